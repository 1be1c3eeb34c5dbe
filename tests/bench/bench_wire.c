/*
 * bench_wire — reads what the benchmark needs from one server message
 * (see bench_wire.h).
 */
#include "bench_wire.h"

#include <string.h>

/* Nesting deeper than this is refused (the server's messages are shallow). */
#define MAX_DEPTH 32

typedef struct cursor {
    const char *p;
    const char *end;
} cursor;

static void skip_space(cursor *c)
{
    const char *p = c->p;
    while (p < c->end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
        p++;
    c->p = p;
}

/* Consumes `ch` (after white space) if it is next. */
static int take(cursor *c, char ch)
{
    skip_space(c);
    if (c->p < c->end && *c->p == ch) {
        c->p++;
        return 1;
    }
    return 0;
}

static int take_word(cursor *c, const char *word)
{
    size_t length = strlen(word);
    skip_space(c);
    if ((size_t)(c->end - c->p) < length || memcmp(c->p, word, length) != 0)
        return 0;
    c->p += length;
    return 1;
}

/* A string at the cursor: its raw bytes between the quotes (escapes are
 * left as they are). A quote ends it unless an odd number of backslashes
 * precedes it. */
static int read_string(cursor *c, const char **start, size_t *length)
{
    if (!take(c, '"'))
        return -1;
    const char *s = c->p;
    for (;;) {
        const char *quote = memchr(c->p, '"', (size_t)(c->end - c->p));
        if (!quote)
            return -1;
        const char *b = quote;
        while (b > s && b[-1] == '\\')
            b--;
        c->p = quote + 1;
        if ((quote - b) % 2 == 0)
            break;
    }
    *start = s;
    *length = (size_t)(c->p - 1 - s);
    return 0;
}

static int key_is(const char *key, size_t length, const char *name)
{
    return length == strlen(name) && memcmp(key, name, length) == 0;
}

/* Steps to the next member of an object whose '{' was read: 1 with its key
 * (the cursor is then at the value), 0 after the closing '}', -1 if the
 * text is malformed. *first is 1 before the first member. */
static int next_member(cursor *c, int *first, const char **key, size_t *key_length)
{
    if (take(c, '}'))
        return 0;
    if (!*first && !take(c, ','))
        return -1;
    *first = 0;
    if (read_string(c, key, key_length) != 0 || !take(c, ':'))
        return -1;
    return 1;
}

static int skip_value(cursor *c, int depth);

static int skip_members(cursor *c, int depth)
{
    int first = 1, more;
    const char *key;
    size_t length;
    while ((more = next_member(c, &first, &key, &length)) == 1)
        if (skip_value(c, depth) != 0)
            return -1;
    return more;
}

static int skip_elements(cursor *c, int depth)
{
    if (take(c, ']'))
        return 0;
    do {
        if (skip_value(c, depth) != 0)
            return -1;
    } while (take(c, ','));
    return take(c, ']') ? 0 : -1;
}

/* A number or a literal (true, false, null): its characters. */
static int scalar_char(char ch)
{
    return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') || ch == '-' || ch == '+' || ch == '.' ||
           ch == 'E';
}

static int skip_scalar(cursor *c)
{
    const char *start = c->p;
    while (c->p < c->end && scalar_char(*c->p))
        c->p++;
    return c->p > start ? 0 : -1;
}

static int skip_value(cursor *c, int depth)
{
    if (depth > MAX_DEPTH)
        return -1;
    skip_space(c);
    if (c->p >= c->end)
        return -1;
    const char *start;
    size_t length;
    switch (*c->p) {
    case '"':
        return read_string(c, &start, &length);
    case '{':
        c->p++;
        return skip_members(c, depth + 1);
    case '[':
        c->p++;
        return skip_elements(c, depth + 1);
    default:
        return skip_scalar(c);
    }
}

/* A string value copied into out (cut to fit). */
static int read_text(cursor *c, char *out, size_t size)
{
    const char *start;
    size_t length;
    if (read_string(c, &start, &length) != 0)
        return -1;
    if (length >= size)
        length = size - 1;
    memcpy(out, start, length);
    out[length] = '\0';
    return 0;
}

/* A non-negative integer value (no fraction, no exponent). */
static int read_uint(cursor *c, uint64_t *out)
{
    skip_space(c);
    uint64_t value = 0;
    const char *start = c->p;
    while (c->p < c->end && *c->p >= '0' && *c->p <= '9') {
        unsigned digit = (unsigned)(*c->p - '0');
        if (value > (UINT64_MAX - digit) / 10)
            return -1;
        value = value * 10 + digit;
        c->p++;
    }
    if (c->p == start || (c->p < c->end && scalar_char(*c->p)))
        return -1;
    *out = value;
    return 0;
}

/* An integer or null: *present says which. */
static int read_optional_uint(cursor *c, int *present, uint64_t *out)
{
    *present = !take_word(c, "null");
    return *present ? read_uint(c, out) : 0;
}

/* The {seq, mono_ns, pad} map of a load item. */
static int read_stamp(cursor *c, wire_message *out)
{
    int first = 1, more, has_item = 0, has_stamp = 0;
    const char *key;
    size_t length;
    uint64_t stamp = 0;
    if (!take(c, '{'))
        return -1;
    while ((more = next_member(c, &first, &key, &length)) == 1) {
        int rc;
        if (key_is(key, length, "seq")) {
            rc = read_uint(c, &out->item);
            has_item = 1;
        } else if (key_is(key, length, "mono_ns")) {
            rc = read_uint(c, &stamp);
            has_stamp = 1;
        } else {
            rc = skip_value(c, 2);
        }
        if (rc != 0)
            return -1;
    }
    if (more < 0 || !has_item || !has_stamp || stamp > INT64_MAX)
        return -1;
    out->stamp_ns = (int64_t)stamp;
    out->load_item = 1;
    return 0;
}

/* The data of an agent_event: {agent_id, name, data}; a load item has the
 * name "load". */
static int read_agent_event(cursor *c, wire_message *out)
{
    int first = 1, more;
    const char *key;
    size_t length;
    char name[WIRE_TYPE_SIZE] = "";
    cursor payload = {NULL, NULL};
    if (!take(c, '{'))
        return -1;
    while ((more = next_member(c, &first, &key, &length)) == 1) {
        int rc;
        if (key_is(key, length, "name")) {
            rc = read_text(c, name, sizeof name);
        } else if (key_is(key, length, "data")) {
            payload = *c;
            rc = skip_value(c, 2);
        } else {
            rc = skip_value(c, 2);
        }
        if (rc != 0)
            return -1;
    }
    if (more < 0)
        return -1;
    if (strcmp(name, "load") != 0)
        return 0;
    return payload.p ? read_stamp(&payload, out) : -1;
}

int wire_read(const char *json, size_t length, wire_message *out)
{
    memset(out, 0, sizeof *out);
    cursor c = {json, json + length};
    cursor data = {NULL, NULL};
    int first = 1, more, has_resumed_from = 0;
    const char *key;
    size_t key_length;
    if (!take(&c, '{'))
        return -1;
    while ((more = next_member(&c, &first, &key, &key_length)) == 1) {
        int rc;
        if (key_is(key, key_length, "event_type")) {
            rc = read_text(&c, out->event_type, sizeof out->event_type);
        } else if (key_is(key, key_length, "type")) {
            rc = read_text(&c, out->type, sizeof out->type);
        } else if (key_is(key, key_length, "sequence")) {
            rc = read_optional_uint(&c, &out->numbered, &out->sequence);
        } else if (key_is(key, key_length, "resumed_from")) {
            rc = read_optional_uint(&c, &has_resumed_from, &out->resumed_from);
        } else if (key_is(key, key_length, "data")) {
            data = c;
            rc = skip_value(&c, 1);
        } else {
            rc = skip_value(&c, 1);
        }
        if (rc != 0)
            return -1;
    }
    skip_space(&c);
    if (more < 0 || c.p != c.end)
        return -1;
    if (data.p && strcmp(out->event_type, "agent_event") == 0)
        return read_agent_event(&data, out);
    return 0;
}
