/*
 * money_entries — builds ps_money entries in the bill's arena: labels
 * (the law section where the money sits and the bill's own section), the
 * counted flag (R2, R10), extensions without a printed amount (R2) and the
 * merge of repeated `other` figures.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ingest/money.h"
#include "ingest/money_entries.h"

#define LABEL_TEXT 96

static const char *arena_label(arena *a, const char *s)
{
    return arena_strndup(a, s, strlen(s));
}

static void labels_for(const ingest_ctx *c, int unit, size_t at, char *section, char *bill_section)
{
    int bill = outline_bill_ancestor(c->o, unit, LEVEL_SUBSECTION);
    bill_section[0] = '\0';
    if (bill >= 0)
        outline_bill_number(c->o, bill, bill_section, LABEL_TEXT);
    amend_law_label(c->ai, c->o, c->d, unit, at, section, LABEL_TEXT);
    if (!section[0] && unit >= 0)
        outline_bill_number(c->o, unit, section, LABEL_TEXT);
}

int money_add_entry(const ingest_ctx *c, const money_entry_spec *spec, money_list *out)
{
    char section[LABEL_TEXT], bill_section[LABEL_TEXT];
    labels_for(c, spec->unit, spec->at, section, bill_section);
    if (!grow_array((void **)&out->items, &out->cap, out->count + 1, sizeof(ps_money)))
        return 0;
    ps_money *m = &out->items[out->count];
    memset(m, 0, sizeof(*m));
    m->struct_size = sizeof(ps_money);
    m->kind = (ps_money_kind)spec->kind;
    m->amount_usd = spec->printed && !spec->indefinite ? spec->usd : 0;
    m->indefinite = spec->indefinite;
    m->amount_printed = spec->printed && !spec->indefinite;
    m->open_ended = spec->years->open_ended;
    m->period_total = spec->years->period_total;
    m->counted = spec->kind != PS_MONEY_OTHER && m->amount_printed;
    m->year_count = spec->years->count;
    if (m->year_count) {
        uint16_t *years = arena_alloc(c->a, m->year_count * sizeof(uint16_t));
        if (!years)
            return 0;
        memcpy(years, spec->years->years, m->year_count * sizeof(uint16_t));
        m->years = years;
    }
    m->section = arena_label(c->a, section);
    m->bill_section = arena_label(c->a, bill_section);
    m->quote = spec->quote;
    m->note = spec->note;
    if (!m->section || !m->bill_section)
        return 0;
    out->count++;
    return 1;
}

/* ---- extensions whose amount is not printed ------------------------------------ */

static int authorization_context(const ingest_ctx *c, int unit, const line *l)
{
    static const char *const words[] = {"authoriz", "appropriat", NULL};
    if (doc_has_any(c->d, l->start, l->end, words))
        return 1;
    for (int v = unit; v >= 0; v = c->o->units[v].parent)
        if (doc_has_any(c->d, c->o->units[v].start, c->o->units[v].first_child, words))
            return 1;
    return 0;
}

static int extension_at(const ingest_ctx *c, size_t s, size_t e, money_list *out, int *found)
{
    const doc *d = c->d;
    int li = outline_line_at(c->o, s);
    const line *l = &c->o->lines[li];
    year_set old_years, new_years;
    size_t old_end, new_end;
    if (l->kind != LINE_TEXT || !parse_bare_years(d, s, e, &old_years, &old_end) || trim_end(d, s, e) != old_end)
        return 1;
    if (!doc_at(d, e, l->end, " and inserting ") ||
        !parse_bare_years(d, e + strlen(" and inserting "), l->end, &new_years, &new_end))
        return 1;
    int unit = outline_unit_at(c->o, s);
    int g = amend_governing(c->ai, c->o, unit, s);
    if ((unit >= 0 && c->o->units[unit].excluded) || (g >= 0 && c->ai->items[g].law == LAW_IRC) ||
        !authorization_context(c, unit, l))
        return 1;
    size_t qs = skip_blanks(d, l->start, l->end), qe = trim_end(d, qs, l->end);
    money_entry_spec spec = {
        .kind = PS_MONEY_OTHER,
        .printed = 0,
        .years = &new_years,
        .unit = unit,
        .at = s,
        .note = NOTE_EXTENSION,
        .quote = {qs, qe - qs},
    };
    *found = 1;
    return money_add_entry(c, &spec, out);
}

int money_add_extensions(const ingest_ctx *c, money_list *out, int *found)
{
    const span_list *struck = &c->ai->struck;
    for (size_t i = 0; i < struck->count; i++)
        if (!extension_at(c, struck->spans[i][0], struck->spans[i][1], out, found))
            return 0;
    return 1;
}

/* ---- merge of repeated `other` figures ------------------------------------------- */

typedef struct merge_key {
    size_t index;
    int64_t amount;
    const char *section; /* the bill section number, up to its first '(' */
    size_t section_length;
} merge_key;

static int by_figure(const void *x, const void *y)
{
    const merge_key *a = x, *b = y;
    size_t n = a->section_length < b->section_length ? a->section_length : b->section_length;
    int c = memcmp(a->section, b->section, n);
    if (c == 0 && a->section_length != b->section_length)
        c = a->section_length < b->section_length ? -1 : 1;
    if (c == 0 && a->amount != b->amount)
        c = a->amount < b->amount ? -1 : 1;
    if (c == 0)
        c = a->index < b->index ? -1 : a->index > b->index;
    return c;
}

static int same_figure(const merge_key *a, const merge_key *b)
{
    return a->amount == b->amount && a->section_length == b->section_length &&
           memcmp(a->section, b->section, a->section_length) == 0;
}

/* "12(b)(2)(K)" + "12(b)(2)(O)" -> "12(b)(2)(K)-(O)"; other labels keep the first. */
static const char *range_label(arena *a, const char *first, const char *next)
{
    const char *dash = strstr(first, ")-(");
    size_t base = dash ? (size_t)(dash - first) + 1 : strlen(first);
    const char *tail = strrchr(next, '(');
    size_t prefix = 0; /* up to the last '(' of the first label's base */
    for (size_t i = 0; i < base; i++)
        if (first[i] == '(')
            prefix = i;
    if (!tail || prefix == 0 || strcmp(first, next) == 0 || (size_t)(tail - next) != prefix ||
        memcmp(first, next, prefix) != 0)
        return first;
    char buf[LABEL_TEXT * 2];
    snprintf(buf, sizeof(buf), "%.*s-%s", (int)base, first, tail);
    return arena_label(a, buf);
}

static int unite_years(arena *a, ps_money *into, const ps_money *from)
{
    year_set ys = {0};
    for (size_t k = 0; k < 2; k++) {
        const ps_money *m = k == 0 ? into : from;
        for (size_t i = 0; i < m->year_count; i++) {
            size_t j = 0;
            while (j < ys.count && ys.years[j] < m->years[i])
                j++;
            if ((j < ys.count && ys.years[j] == m->years[i]) || ys.count == YEARS_MAX)
                continue;
            memmove(ys.years + j + 1, ys.years + j, (ys.count - j) * sizeof(uint16_t));
            ys.years[j] = m->years[i];
            ys.count++;
        }
    }
    uint16_t *years = ys.count ? arena_alloc(a, ys.count * sizeof(uint16_t)) : NULL;
    if (ys.count && !years)
        return 0;
    if (ys.count)
        memcpy(years, ys.years, ys.count * sizeof(uint16_t));
    into->years = years;
    into->year_count = ys.count;
    into->open_ended |= from->open_ended;
    return 1;
}

int money_merge_other(const ingest_ctx *c, money_list *out)
{
    merge_key *keys = malloc((out->count + 1) * sizeof(merge_key));
    unsigned char *merged = calloc(out->count + 1, 1);
    size_t n = 0;
    int ok = keys && merged;
    for (size_t i = 0; ok && i < out->count; i++) {
        const ps_money *m = &out->items[i];
        if (m->kind == PS_MONEY_OTHER && m->amount_printed)
            keys[n++] = (merge_key){i, m->amount_usd, m->bill_section, strcspn(m->bill_section, "(")};
    }
    if (ok && n > 1)
        qsort(keys, n, sizeof(merge_key), by_figure);
    for (size_t k = 1, first = 0; ok && k < n; k++) {
        if (!same_figure(&keys[first], &keys[k])) {
            first = k; /* the earliest entry of a new figure */
            continue;
        }
        ps_money *into = &out->items[keys[first].index];
        const ps_money *m = &out->items[keys[k].index];
        ok = unite_years(c->a, into, m) && (into->section = range_label(c->a, into->section, m->section)) != NULL;
        merged[keys[k].index] = 1;
    }
    size_t kept = 0;
    for (size_t i = 0; ok && i < out->count; i++)
        if (!merged[i])
            out->items[kept++] = out->items[i];
    if (ok)
        out->count = kept;
    free(keys);
    free(merged);
    return ok;
}
