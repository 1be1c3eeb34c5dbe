/*
 * textscan — lexical helpers over a bill: case-insensitive phrase search on
 * the lowercased copy, word boundaries, dollar amounts and sentence limits.
 * Every function is bounded by the [from, to) range it is given.
 */
#include <string.h>
#include "ingest/ingest_internal.h"

#define MAX_USD 1000000000000000LL /* $1 quadrillion: larger figures are not amounts */
#define SENTENCE_REACH 1500        /* how far a sentence limit is looked for */
#define ABBREVIATION_MAX 8         /* "U.S.C" is the longest abbreviation known */

int is_word_char(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

size_t doc_find(const doc *d, size_t from, size_t to, const char *needle)
{
    size_t n = strlen(needle);
    if (to > d->len)
        to = d->len;
    if (from >= to || to - from < n)
        return NOT_FOUND;
    const char *p = memmem(d->lower + from, to - from, needle, n);
    return p ? (size_t)(p - d->lower) : NOT_FOUND;
}

size_t doc_rfind(const doc *d, size_t from, size_t to, const char *needle)
{
    size_t last = NOT_FOUND;
    for (size_t p = doc_find(d, from, to, needle); p != NOT_FOUND; p = doc_find(d, p + 1, to, needle))
        last = p;
    return last;
}

int doc_has(const doc *d, size_t from, size_t to, const char *needle)
{
    return doc_find(d, from, to, needle) != NOT_FOUND;
}

int doc_has_word(const doc *d, size_t from, size_t to, const char *word)
{
    size_t n = strlen(word);
    int stem = n > 0 && word[n - 1] == '*';
    char needle[64];
    if (stem)
        n--;
    if (n == 0 || n >= sizeof(needle))
        return 0;
    memcpy(needle, word, n);
    needle[n] = '\0';
    for (size_t p = doc_find(d, from, to, needle); p != NOT_FOUND; p = doc_find(d, p + 1, to, needle)) {
        int starts = p == 0 || !is_word_char((unsigned char)d->lower[p - 1]);
        int ends = stem || p + n >= d->len || !is_word_char((unsigned char)d->lower[p + n]);
        if (starts && ends)
            return 1;
    }
    return 0;
}

int doc_has_any(const doc *d, size_t from, size_t to, const char *const *needles)
{
    for (size_t i = 0; needles[i]; i++)
        if (doc_has(d, from, to, needles[i]))
            return 1;
    return 0;
}

int doc_has_any_word(const doc *d, size_t from, size_t to, const char *const *words)
{
    for (size_t i = 0; words[i]; i++)
        if (doc_has_word(d, from, to, words[i]))
            return 1;
    return 0;
}

int doc_at(const doc *d, size_t at, size_t to, const char *needle)
{
    size_t n = strlen(needle);
    if (to > d->len)
        to = d->len;
    return at <= to && to - at >= n && memcmp(d->lower + at, needle, n) == 0;
}

size_t skip_blanks(const doc *d, size_t at, size_t to)
{
    while (at < to && (d->text[at] == ' ' || d->text[at] == '\t'))
        at++;
    return at;
}

static int is_blank_or_newline(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

size_t trim_end(const doc *d, size_t from, size_t to)
{
    while (to > from && is_blank_or_newline(d->text[to - 1]))
        to--;
    return to;
}

int ends_list_intro(const doc *d, size_t s, size_t e)
{
    e = trim_end(d, s, e);
    return e > s && (d->text[e - 1] == ':' || (e - s >= 3 && memcmp(d->text + e - 3, "\xe2\x80\x94", 3) == 0));
}

size_t prev_word(const doc *d, size_t floor, size_t at, size_t *word_end)
{
    while (at > floor && (d->text[at - 1] == ' ' || d->text[at - 1] == '\t'))
        at--;
    size_t end = at;
    while (at > floor && is_word_char((unsigned char)d->text[at - 1]))
        at--;
    if (at == end)
        return NOT_FOUND;
    *word_end = end;
    return at;
}

/* ---- dollar amounts ---------------------------------------------------------- */

static int digit_at(const doc *d, size_t p, size_t to)
{
    return p < to && d->text[p] >= '0' && d->text[p] <= '9';
}

/* Integer part with thousands commas; 0 on overflow past MAX_USD. */
static int parse_grouped(const doc *d, size_t *p, size_t to, int64_t *value, int *digits)
{
    int64_t v = 0;
    *digits = 0;
    for (;;) {
        while (digit_at(d, *p, to)) {
            if (v > MAX_USD / 10)
                return 0;
            v = v * 10 + (d->text[*p] - '0');
            (*p)++;
            (*digits)++;
        }
        /* a comma continues the number only when three digits follow it */
        if (*digits && *p < to && d->text[*p] == ',' && digit_at(d, *p + 1, to) &&
            digit_at(d, *p + 2, to) && digit_at(d, *p + 3, to) && !digit_at(d, *p + 4, to))
            (*p)++;
        else
            break;
    }
    *value = v;
    return 1;
}

static int64_t scale_word(const doc *d, size_t *p, size_t to)
{
    static const struct { const char *word; int64_t factor; } scales[] = {
        {"thousand", 1000LL}, {"million", 1000000LL}, {"billion", 1000000000LL},
        {"trillion", 1000000000000LL}};
    size_t q = skip_blanks(d, *p, to);
    for (size_t i = 0; i < sizeof(scales) / sizeof(scales[0]); i++) {
        size_t n = strlen(scales[i].word);
        if (doc_at(d, q, to, scales[i].word) && (q + n >= to || !is_word_char((unsigned char)d->text[q + n]))) {
            *p = q + n;
            return scales[i].factor;
        }
    }
    return 1;
}

int parse_dollars(const doc *d, size_t at, size_t to, int64_t *usd, size_t *end)
{
    if (at >= to || d->text[at] != '$')
        return 0;
    size_t p = at + 1;
    if (p < to && d->text[p] == ' ')
        p++;
    int64_t whole = 0;
    int digits = 0;
    if (!parse_grouped(d, &p, to, &whole, &digits))
        return 0;
    int64_t frac = 0, frac_scale = 1;
    if (p + 1 < to && d->text[p] == '.' && digit_at(d, p + 1, to)) {
        p++;
        while (digit_at(d, p, to)) {
            if (frac_scale < 1000000000LL) {
                frac = frac * 10 + (d->text[p] - '0');
                frac_scale *= 10;
            }
            p++;
            digits++;
        }
    }
    if (digits == 0)
        return 0;
    int64_t factor = scale_word(d, &p, to);
    if (whole > MAX_USD / factor)
        return 0;
    /* factor and frac_scale are powers of ten: divide first, never overflow. */
    int64_t fraction = factor >= frac_scale ? frac * (factor / frac_scale) : frac / (frac_scale / factor);
    if (fraction > MAX_USD - whole * factor)
        return 0;
    *usd = whole * factor + fraction;
    *end = p;
    return 1;
}

/* ---- sentences ----------------------------------------------------------------- */

static int is_abbreviation(const doc *d, size_t dot)
{
    static const char *const abbrevs[] = {"no", "nos", "mr", "mrs", "ms", "dr", "st", "inc", "co",
                                          "corp", "jr", "sr", "sec", "secs", "stat", "pub", "seq",
                                          "vs", "v", "u.s", "u.s.c", "i.e", "e.g", "et al", NULL};
    size_t start = dot;
    while (start > 0 && dot - start < ABBREVIATION_MAX &&
           (is_word_char((unsigned char)d->text[start - 1]) || d->text[start - 1] == '.'))
        start--;
    size_t n = dot - start;
    if (n == 0)
        return 0;
    if (n == 1 && d->text[start] >= 'A' && d->text[start] <= 'Z')
        return 1; /* "H. R.", "S.", "L." */
    for (size_t i = 0; abbrevs[i]; i++)
        if (strlen(abbrevs[i]) == n && memcmp(d->lower + start, abbrevs[i], n) == 0)
            return 1;
    return 0;
}

static int is_terminator(const doc *d, size_t p, size_t hi)
{
    char c = d->text[p];
    if (c == ';' || c == '\n')
        return 1;
    if (c != '.')
        return 0;
    if (p + 1 < hi && d->text[p + 1] != ' ')
        return 0;
    size_t q = skip_blanks(d, p + 1, hi);
    if (q < hi) {
        char n = d->text[q];
        if (!((n >= 'A' && n <= 'Z') || n == '(' || n == '$' || n == '.'))
            return 0;
    }
    return !is_abbreviation(d, p);
}

void sentence_bounds(const doc *d, size_t lo, size_t hi, size_t at, size_t *s, size_t *e)
{
    if (at > lo + SENTENCE_REACH)
        lo = at - SENTENCE_REACH;
    if (hi > at + SENTENCE_REACH)
        hi = at + SENTENCE_REACH;
    size_t start = at;
    while (start > lo && !is_terminator(d, start - 1, hi))
        start--;
    size_t end = at;
    while (end < hi && !is_terminator(d, end, hi))
        end++;
    *s = skip_blanks(d, start, end);
    *e = end;
}
