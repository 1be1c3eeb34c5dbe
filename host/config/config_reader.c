/*
 * config_reader — value checks shared by every configuration section.
 *
 * Scalars are judged by their text, quoted or not: `port: "8000"` is the
 * integer 8000. Integers are decimal digits with an optional sign; numbers
 * are decimal with an optional fraction and exponent (no inf/nan/hex);
 * booleans are true/false/yes/no/on/off in any case.
 */
#include "config/config_reader.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config/config_alloc.h"

/* Longest user text quoted in a message, and longest key in a path. */
#define SHOWN_VALUE_CHARS 40
#define SHOWN_KEY_CHARS 64
#define SHOWN_TEXT_SIZE (SHOWN_KEY_CHARS + 4)

/* Copies at most limit bytes of text into out (SHOWN_TEXT_SIZE bytes),
 * control characters as '?', cut at a character boundary and ended by
 * "..." when shortened. */
static void shorten(const char *text, size_t limit, char *out)
{
    size_t length = strlen(text);
    size_t keep = length <= limit ? length : limit;
    while (keep < length && keep > 0 && ((unsigned char)text[keep] & 0xC0) == 0x80)
        keep--; /* do not split a UTF-8 sequence */
    for (size_t i = 0; i < keep; i++) {
        unsigned char c = (unsigned char)text[i];
        out[i] = (c < 0x20 || c == 0x7F) ? '?' : (char)c;
    }
    strcpy(out + keep, keep < length ? "..." : "");
}

/* What a node other than an alias is, for "expected X, got <description>". */
static void describe(const ytree_node *node, char *out, size_t size)
{
    if (node->kind == YTREE_MAP) {
        snprintf(out, size, "a map");
    } else if (node->kind == YTREE_LIST) {
        snprintf(out, size, "a list");
    } else if (node->plain && node->text[0] == '\0') {
        snprintf(out, size, "nothing");
    } else {
        char shown[SHOWN_TEXT_SIZE];
        shorten(node->text, SHOWN_VALUE_CHARS, shown);
        snprintf(out, size, "'%s'", shown);
    }
}

void reader_error(config_reader *r, const ytree_node *at, const char *path, const char *fmt, ...)
{
    if (r->problems > CONFIG_MAX_PROBLEMS)
        return;
    if (r->problems++ == CONFIG_MAX_PROBLEMS) {
        diag_add(r->diags, r->file, 0, 0, "more than %d problems; the rest are not shown",
                 CONFIG_MAX_PROBLEMS);
        return;
    }
    char *message = NULL;
    va_list args;
    va_start(args, fmt);
    int written = vasprintf(&message, fmt, args);
    va_end(args);
    if (written < 0)
        config_checked(NULL);
    if (path[0])
        diag_add(r->diags, r->file, at->line, at->column, "%s: %s", path, message);
    else
        diag_add(r->diags, r->file, at->line, at->column, "%s", message);
    free(message);
}

void path_key(char *out, const char *parent, const char *key)
{
    char shown[SHOWN_TEXT_SIZE];
    shorten(key, SHOWN_KEY_CHARS, shown);
    snprintf(out, CONFIG_PATH_SIZE, "%s%s%s", parent, parent[0] ? "." : "", shown);
}

void path_index(char *out, const char *parent, size_t index)
{
    snprintf(out, CONFIG_PATH_SIZE, "%s[%zu]", parent, index);
}

void reader_report_unexpected(config_reader *r, const ytree_node *node, const char *path,
                              const char *what)
{
    if (node->kind == YTREE_ALIAS) {
        char shown[SHOWN_TEXT_SIZE];
        shorten(node->text, SHOWN_VALUE_CHARS, shown);
        reader_error(r, node, path, "aliases are not supported (*%s)", shown);
        return;
    }
    char got[SHOWN_TEXT_SIZE + 8];
    describe(node, got, sizeof got);
    reader_error(r, node, path, "expected %s, got %s", what, got);
}

int reader_expect(config_reader *r, const ytree_node *node, const char *path, ytree_kind kind)
{
    if (node->kind == kind)
        return 1;
    if (ytree_is_null(node))
        return 0;
    reader_report_unexpected(r, node, path, kind == YTREE_MAP ? "a map" : "a list");
    return -1;
}

int reader_expect_scalar(config_reader *r, const ytree_node *node, const char *path,
                         const char *what)
{
    if (node->kind == YTREE_SCALAR)
        return 1;
    reader_report_unexpected(r, node, path, what);
    return 0;
}

int read_string(config_reader *r, const ytree_node *node, const char *path, char **out)
{
    if (!reader_expect_scalar(r, node, path, "a string"))
        return -1;
    if (node->text[0] == '\0') {
        reader_error(r, node, path, "must not be empty");
        return -1;
    }
    free(*out);
    *out = config_checked(strdup(node->text));
    return 0;
}

int read_bool(config_reader *r, const ytree_node *node, const char *path, int *out)
{
    static const char *const words[] = {"false", "true", "no", "yes", "off", "on"};
    if (node->kind == YTREE_SCALAR) {
        for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
            if (strcasecmp(node->text, words[i]) == 0) {
                *out = (int)(i % 2);
                return 0;
            }
        }
    }
    reader_report_unexpected(r, node, path, "true or false");
    return -1;
}

static int skip_digits(const char **text)
{
    const char *start = *text;
    while (**text >= '0' && **text <= '9')
        (*text)++;
    return *text > start;
}

/* [+-]digits */
static int is_integer_text(const char *text)
{
    if (*text == '+' || *text == '-')
        text++;
    return skip_digits(&text) && *text == '\0';
}

/* [+-](digits[.digits]|.digits)[(e|E)[+-]digits] */
static int is_number_text(const char *text)
{
    if (*text == '+' || *text == '-')
        text++;
    int whole = skip_digits(&text);
    int fraction = 0;
    if (*text == '.') {
        text++;
        fraction = skip_digits(&text);
    }
    if (!whole && !fraction)
        return 0;
    if (*text == 'e' || *text == 'E') {
        text++;
        if (*text == '+' || *text == '-')
            text++;
        if (!skip_digits(&text))
            return 0;
    }
    return *text == '\0';
}

/* Reports and returns -1 if value (written as node's text) is outside range. */
static int check_range(config_reader *r, const ytree_node *node, const char *path,
                       const number_range *range, double value)
{
    char shown[SHOWN_TEXT_SIZE];
    shorten(node->text, SHOWN_VALUE_CHARS, shown);
    if (range->min_exclusive && value <= range->min) {
        reader_error(r, node, path, "%s must be greater than %.15g", shown, range->min);
        return -1;
    }
    if (value >= range->min && value <= range->max)
        return 0;
    if (range->documented)
        reader_error(r, node, path, "%s is out of range %.15g..%.15g", shown, range->min,
                     range->max);
    else if (value < range->min)
        reader_error(r, node, path, "%s must be at least %.15g", shown, range->min);
    else
        reader_error(r, node, path, "%s is too large (maximum %.15g)", shown, range->max);
    return -1;
}

int read_int(config_reader *r, const ytree_node *node, const char *path,
             const number_range *range, int *out)
{
    if (node->kind != YTREE_SCALAR || !is_integer_text(node->text)) {
        reader_report_unexpected(r, node, path, "an integer");
        return -1;
    }
    /* Out-of-range text saturates at LLONG_MIN/MAX, which any range rejects. */
    long long value = strtoll(node->text, NULL, 10);
    if (check_range(r, node, path, range, (double)value) < 0)
        return -1;
    *out = (int)value;
    return 0;
}

int read_double(config_reader *r, const ytree_node *node, const char *path,
                const number_range *range, double *out)
{
    if (node->kind != YTREE_SCALAR || !is_number_text(node->text)) {
        reader_report_unexpected(r, node, path, "a number");
        return -1;
    }
    /* Overflow gives HUGE_VAL, which any range rejects; underflow gives ~0. */
    double value = strtod(node->text, NULL);
    if (check_range(r, node, path, range, value) < 0)
        return -1;
    *out = value;
    return 0;
}

typedef struct text_entry {
    const char *text;
    size_t index;
} text_entry;

static int compare_entries(const void *a, const void *b)
{
    const text_entry *left = a, *right = b;
    int order = strcmp(left->text, right->text);
    if (order)
        return order;
    return (left->index > right->index) - (left->index < right->index);
}

size_t *reader_first_occurrences(const char *const *texts, size_t count)
{
    size_t *first = config_checked(calloc(count ? count : 1, sizeof *first));
    text_entry *entries = config_checked(calloc(count ? count : 1, sizeof *entries));
    size_t entry_count = 0;
    for (size_t i = 0; i < count; i++) {
        first[i] = i;
        if (texts[i])
            entries[entry_count++] = (text_entry){texts[i], i};
    }
    qsort(entries, entry_count, sizeof *entries, compare_entries);
    for (size_t i = 1; i < entry_count; i++)
        if (strcmp(entries[i].text, entries[i - 1].text) == 0)
            first[entries[i].index] = first[entries[i - 1].index];
    free(entries);
    return first;
}

/* reader_first_occurrences over a map's keys (non-scalar keys never match). */
static size_t *find_repeated_keys(const ytree_node *map)
{
    size_t pairs = map->child_count / 2;
    const char **keys = config_checked(calloc(pairs ? pairs : 1, sizeof *keys));
    for (size_t i = 0; i < pairs; i++) {
        const ytree_node *key = map->children[2 * i];
        keys[i] = key->kind == YTREE_SCALAR ? key->text : NULL;
    }
    size_t *first = reader_first_occurrences(keys, pairs);
    free(keys);
    return first;
}

static int find_allowed(const char *const *allowed, const char *key)
{
    for (int i = 0; allowed[i]; i++)
        if (strcmp(allowed[i], key) == 0)
            return i;
    return -1;
}

static void report_unknown_key(config_reader *r, const ytree_node *key, const char *path,
                               const char *const *allowed)
{
    char expected[512] = "";
    size_t used = 0;
    for (size_t i = 0; allowed[i] && used < sizeof expected; i++)
        used += (size_t)snprintf(expected + used, sizeof expected - used, "%s%s", i ? ", " : "",
                                 allowed[i]);
    reader_error(r, key, path, "unknown key (expected one of: %s)", expected);
}

void reader_visit_map(config_reader *r, const ytree_node *map, const char *path,
                      const char *const *allowed, map_visitor visit, void *context)
{
    size_t *first = find_repeated_keys(map);
    for (size_t i = 0; i < map->child_count / 2; i++) {
        const ytree_node *key = map->children[2 * i];
        const ytree_node *value = map->children[2 * i + 1];
        if (!reader_expect_scalar(r, key, path, "a text key"))
            continue;
        char key_path[CONFIG_PATH_SIZE];
        path_key(key_path, path, key->text);
        if (first[i] != i) {
            const ytree_node *earlier = map->children[2 * first[i]];
            reader_error(r, key, key_path, "duplicate key (first at line %d, column %d)",
                         earlier->line, earlier->column);
            continue;
        }
        int key_index = -1;
        if (allowed && (key_index = find_allowed(allowed, key->text)) < 0) {
            report_unknown_key(r, key, key_path, allowed);
            continue;
        }
        visit(r, key, value, key_index, key_path, context);
    }
    free(first);
}
