/*
 * diag — a list of user-facing problems, each "file:line:column: message".
 *
 * Owns the messages it collects. Used by the config reader and the plugin
 * loader so that `check-config` can print every problem, not just the first.
 */
#ifndef PS_UTIL_DIAG_H
#define PS_UTIL_DIAG_H

#include <stddef.h>

typedef struct diag_list {
    char **messages;
    size_t count;
    size_t capacity;
} diag_list;

/* Appends "file:line:column: message" (line/column 0 = omitted). */
void diag_add(diag_list *list, const char *file, int line, int column, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
void diag_free(diag_list *list);

#endif
