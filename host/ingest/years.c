/*
 * years — the fiscal years a money phrase names (rules R4-R6):
 *   "for fiscal year 2026"                         -> [2026]
 *   "for each of fiscal years 2026 through 2030"  -> 2026..2030
 *   "for each of the fiscal years 2025, 2026, and 2027" -> the list
 *   "for fiscal year 2026 and each fiscal year thereafter" -> 2026..2035, open-ended
 *   "for the period of fiscal years 2026 to 2028"  -> 2026..2028, one lump sum
 *   "for the fiscal year ending September 30, 2026" -> [2026]
 * A phrase that only dates something else ("the month of fiscal year 2025",
 * "after fiscal year 2030") names no years.
 */
#include <string.h>
#include "ingest/ingest_internal.h"

#define MAX_RANGE 64

static int parse_year(const doc *d, size_t at, size_t to, uint16_t *year, size_t *end)
{
    if (at + 4 > to)
        return 0;
    int v = 0;
    for (size_t i = 0; i < 4; i++) {
        char c = d->text[at + i];
        if (c < '0' || c > '9')
            return 0;
        v = v * 10 + (c - '0');
    }
    if ((at + 4 < to && is_word_char((unsigned char)d->text[at + 4])) || v < 1900 || v > 2199)
        return 0;
    *year = (uint16_t)v;
    *end = at + 4;
    return 1;
}

static void set_range(year_set *ys, uint16_t first, uint16_t last)
{
    ys->count = 0;
    for (unsigned y = first; y <= last && ys->count < YEARS_MAX; y++)
        ys->years[ys->count++] = (uint16_t)y;
}

static void add_year(year_set *ys, uint16_t y)
{
    for (size_t i = 0; i < ys->count; i++)
        if (ys->years[i] == y)
            return;
    if (ys->count == YEARS_MAX)
        return;
    size_t i = ys->count++;
    while (i > 0 && ys->years[i - 1] > y) {
        ys->years[i] = ys->years[i - 1];
        i--;
    }
    ys->years[i] = y;
}

/* " through ", " to ", "-" or an en dash between two years; end past it. */
static int range_joiner(const doc *d, size_t at, size_t to, size_t *end)
{
    static const char *const joiners[] = {" through ", " to ", "-", "\xe2\x80\x93", " \xe2\x80\x93 ", NULL};
    for (size_t i = 0; joiners[i]; i++)
        if (doc_at(d, at, to, joiners[i])) {
            *end = at + strlen(joiners[i]);
            if (doc_at(d, *end, to, "fiscal year "))
                *end += strlen("fiscal year ");
            return 1;
        }
    return 0;
}

/* YEAR [through YEAR | , YEAR ... and YEAR] */
static int parse_year_run(const doc *d, size_t at, size_t to, year_set *ys, size_t *end)
{
    uint16_t first, last;
    size_t p;
    if (!parse_year(d, at, to, &first, &p))
        return 0;
    size_t q;
    if (range_joiner(d, p, to, &q) && parse_year(d, q, to, &last, &q)) {
        if (last < first || last - first >= MAX_RANGE)
            return 0;
        set_range(ys, first, last);
        *end = q;
        return 1;
    }
    ys->count = 0;
    add_year(ys, first);
    for (;;) {
        size_t r = p;
        if (doc_at(d, r, to, ","))
            r++;
        r = skip_blanks(d, r, to);
        if (doc_at(d, r, to, "and "))
            r += 4;
        uint16_t y;
        if (r == p || !parse_year(d, r, to, &y, &r))
            break;
        add_year(ys, y);
        p = r;
    }
    *end = p;
    return 1;
}

static int word_is(const doc *d, size_t start, size_t end, const char *w)
{
    return start != NOT_FOUND && end - start == strlen(w) && memcmp(d->lower + start, w, end - start) == 0;
}

/* How the words before "fiscal year" qualify it: -1 rejects, 1 marks a
 * period lump sum, 2 an open-ended start ("beginning with"), 0 plain. */
static int qualifier_before(const doc *d, size_t floor, size_t at)
{
    static const char *const rejecting[] = {"after", "before", "preceding", "previous", "prior", "since",
                                            "until", "than", "ending", "through", "between", "following",
                                            "last", "same", "current", NULL};
    size_t e1, s1 = prev_word(d, floor, at, &e1);
    if (word_is(d, s1, e1, "the"))
        s1 = prev_word(d, floor, s1, &e1);
    if (s1 == NOT_FOUND)
        return 0;
    for (size_t i = 0; rejecting[i]; i++)
        if (word_is(d, s1, e1, rejecting[i]))
            return -1;
    size_t e2, s2 = prev_word(d, floor, s1, &e2);
    if (word_is(d, s1, e1, "of")) {
        if (word_is(d, s2, e2, "period"))
            return 1;
        return word_is(d, s2, e2, "each") ? 0 : -1;
    }
    if (word_is(d, s1, e1, "with"))
        return word_is(d, s2, e2, "beginning") || word_is(d, s2, e2, "starting") ||
                       word_is(d, s2, e2, "commencing")
                   ? 2
                   : -1;
    return 0;
}

static int thereafter_follows(const doc *d, size_t at, size_t to)
{
    static const char *const tails[] = {"and each fiscal year thereafter", "and each subsequent fiscal year",
                                        "and each succeeding fiscal year", "and each fiscal year after",
                                        "and for each fiscal year thereafter", "and each year thereafter",
                                        "and thereafter", NULL};
    size_t p = at;
    if (doc_at(d, p, to, ","))
        p++;
    p = skip_blanks(d, p, to);
    for (size_t i = 0; tails[i]; i++)
        if (doc_at(d, p, to, tails[i]))
            return 1;
    return 0;
}

static void make_open_ended(year_set *ys)
{
    uint16_t first = ys->years[0];
    if (first <= INGEST_OPEN_END_YEAR)
        set_range(ys, first, INGEST_OPEN_END_YEAR);
    ys->open_ended = 1;
}

/* A phrase starting at "fiscal year" (position p). */
static int parse_phrase(const doc *d, size_t floor, size_t p, size_t to, year_set *ys)
{
    int qual = qualifier_before(d, floor, p);
    if (qual < 0)
        return 0;
    memset(ys, 0, sizeof(*ys));
    size_t q = p + strlen("fiscal year");
    if (doc_at(d, q, to, "s"))
        q++;
    q = skip_blanks(d, q, to);
    if (doc_at(d, q, to, "of "))
        q += 3; /* "each fiscal year of 2027 through 2031" */
    else if (doc_at(d, q, to, "ending september 30, "))
        q += strlen("ending september 30, "); /* appropriations Acts name the year so */
    size_t end;
    if (!parse_year_run(d, q, to, ys, &end))
        return 0;
    ys->start = p;
    ys->end = end;
    ys->period_total = qual == 1;
    if (ys->count == 1 && (qual == 2 || thereafter_follows(d, end, to)))
        make_open_ended(ys);
    return 1;
}

int find_fiscal_years(const doc *d, size_t from, size_t to, int want_last, year_set *out)
{
    int found = 0;
    year_set ys;
    for (size_t p = doc_find(d, from, to, "fiscal year"); p != NOT_FOUND;
         p = doc_find(d, p + 1, to, "fiscal year")) {
        if (!parse_phrase(d, from, p, to, &ys))
            continue;
        *out = ys;
        found = 1;
        if (!want_last)
            break;
    }
    return found;
}

int parse_bare_years(const doc *d, size_t at, size_t to, year_set *out, size_t *end)
{
    memset(out, 0, sizeof(*out));
    if (doc_at(d, at, to, "fiscal years "))
        at += strlen("fiscal years ");
    else if (doc_at(d, at, to, "fiscal year "))
        at += strlen("fiscal year ");
    if (!parse_year_run(d, at, to, out, end))
        return 0;
    out->start = at;
    out->end = *end;
    return 1;
}
