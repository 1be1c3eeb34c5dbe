/*
 * diag — collects user-facing problems as "file:line:column: message".
 *
 * Owns every message string and the array holding them. Running out of
 * memory while reporting a problem is not recoverable: the process stops
 * with a message rather than silently losing the diagnostic.
 */
#include "util/diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

static void diag_out_of_memory(void)
{
    fputs("polisim: out of memory\n", stderr);
    abort();
}

/* "file:line:column: ", "file:line: ", "file: " or "" depending on what is known. */
static char *format_location(const char *file, int line, int column)
{
    char *location = NULL;
    int written;
    if (!file)
        written = asprintf(&location, "%s", "");
    else if (line <= 0)
        written = asprintf(&location, "%s: ", file);
    else if (column <= 0)
        written = asprintf(&location, "%s:%d: ", file, line);
    else
        written = asprintf(&location, "%s:%d:%d: ", file, line, column);
    if (written < 0)
        diag_out_of_memory();
    return location;
}

static void diag_append(diag_list *list, char *entry)
{
    if (list->count == list->capacity) {
        size_t capacity = list->capacity ? list->capacity * 2 : 8;
        char **grown = realloc(list->messages, capacity * sizeof *grown);
        if (!grown)
            diag_out_of_memory();
        list->messages = grown;
        list->capacity = capacity;
    }
    list->messages[list->count++] = entry;
}

void diag_add(diag_list *list, const char *file, int line, int column, const char *fmt, ...)
{
    char *message = NULL;
    va_list args;
    va_start(args, fmt);
    int written = vasprintf(&message, fmt, args);
    va_end(args);
    if (written < 0)
        diag_out_of_memory();

    char *location = format_location(file, line, column);
    char *entry = NULL;
    if (asprintf(&entry, "%s%s", location, message) < 0)
        diag_out_of_memory();
    free(location);
    free(message);
    diag_append(list, entry);
}

void diag_free(diag_list *list)
{
    for (size_t i = 0; i < list->count; i++)
        free(list->messages[i]);
    free(list->messages);
    list->messages = NULL;
    list->count = 0;
    list->capacity = 0;
}
