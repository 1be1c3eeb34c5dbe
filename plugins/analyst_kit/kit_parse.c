/*
 * kit_parse — numbers in the bill text: the parameter swaps that amending
 * text makes ("by striking 6,330 and inserting 13,629") and fiscal years.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "kit.h"

/* Parses "1,234.5" at s; returns the end or NULL. */
static const char *parse_number(const char *s, const char *end, double *value)
{
    char digits[32];
    size_t n = 0;
    if (s < end && *s == '$')
        s++;
    while (s < end && (isdigit((unsigned char)*s) || *s == ',' || *s == '.') && n + 1 < sizeof digits) {
        if (*s != ',')
            digits[n++] = *s;
        s++;
    }
    if (n == 0 || !isdigit((unsigned char)digits[0]))
        return NULL;
    digits[n] = '\0';
    *value = strtod(digits, NULL);
    return s;
}

static int starts(const char *s, const char *end, const char *word)
{
    size_t n = strlen(word);
    return (size_t)(end - s) >= n && strncmp(s, word, n) == 0;
}

/* At one "striking ": "N [percent] and inserting M [percent]". */
static int swap_at(const char *s, const char *end, double *from, double *to, int *percent)
{
    if (!(s = parse_number(s, end, from)))
        return 0;
    *percent = starts(s, end, " percent");
    if (*percent)
        s += 8;
    if (!starts(s, end, " and inserting ") || !(s = parse_number(s + 15, end, to)))
        return 0;
    *percent = *percent || starts(s, end, " percent");
    return 1;
}

kit_swaps kit_read_swaps(const ps_bill *b, ps_span span)
{
    kit_swaps swaps = {0, 0, 0, 0, 0, 0};
    size_t end = span.offset + span.length;
    for (long at = kit_find(b, span, "striking "); at >= 0;) {
        double from, to;
        int percent;
        if (swap_at(b->text + at + 9, b->text + end, &from, &to, &percent) && from != to) {
            if (swaps.count++ == 0) {
                swaps.first_from = from;
                swaps.first_to = to;
            }
            swaps.up += to > from;
            swaps.down += to < from;
            swaps.percent |= percent;
        }
        size_t next = (size_t)at + 9;
        at = kit_find(b, (ps_span){next, end - next}, "striking ");
    }
    return swaps;
}

int kit_first_year(const ps_bill *b, ps_span span)
{
    const char *t = b->text + span.offset;
    for (size_t i = 0; i + 4 <= span.length; i++) {
        int edge_before = i == 0 || !isdigit((unsigned char)t[i - 1]);
        int edge_after = i + 4 == span.length || !isdigit((unsigned char)t[i + 4]);
        if (edge_before && edge_after && (strncmp(t + i, "19", 2) == 0 || strncmp(t + i, "20", 2) == 0) &&
            isdigit((unsigned char)t[i + 2]) && isdigit((unsigned char)t[i + 3]))
            return (t[i] - '0') * 1000 + (t[i + 1] - '0') * 100 + (t[i + 2] - '0') * 10 + (t[i + 3] - '0');
    }
    return 0;
}
