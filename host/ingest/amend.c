/*
 * amend — what the bill does to existing law, read from its own prose:
 *   - statements "<citation> of <law> is amended" (which law: the Internal
 *     Revenue Code, the Social Security Act and its title, the PHSA, ...;
 *     "such Code" / "such Act" follow the last one named);
 *   - text being struck ("by striking $X and inserting $Y": $X is current
 *     law, not the bill's money) and text inserted inline.
 * Inserted lines after "the following:" are marked by the outline.
 */
#include <stdlib.h>
#include <string.h>
#include "ingest/ingest_internal.h"

typedef struct law_name {
    const char *name;
    int law;
} law_name;

static const law_name LAWS[] = {
    {"internal revenue code", LAW_IRC},
    {"social security act", LAW_SSA},
    {"public health service act", LAW_PHSA},
    {"patient protection and affordable care act", LAW_ACA},
    {"elementary and secondary education act", LAW_EDUCATION},
    {"individuals with disabilities education act", LAW_EDUCATION},
    {"higher education act", LAW_EDUCATION},
    {"united states code", LAW_USC},
};

static int add_span(span_list *l, size_t s, size_t e)
{
    if (e <= s)
        return 1;
    if (!grow_array((void **)&l->spans, &l->cap, l->count + 1, sizeof(l->spans[0])))
        return 0;
    l->spans[l->count][0] = s;
    l->spans[l->count][1] = e;
    l->count++;
    return 1;
}

size_t span_start_at(const span_list *l, size_t off)
{
    size_t lo = 0, hi = l->count;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (l->spans[mid][0] <= off)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo > 0 && off < l->spans[lo - 1][1] ? l->spans[lo - 1][0] : NOT_FOUND;
}

size_t spans_from(const span_list *l, size_t off)
{
    size_t lo = 0, hi = l->count;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (l->spans[mid][0] < off)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

int in_spans(const span_list *l, size_t off)
{
    return span_start_at(l, off) != NOT_FOUND;
}

static size_t earliest(const doc *d, size_t from, size_t to, const char *const *stops)
{
    size_t best = to;
    for (size_t i = 0; stops[i]; i++) {
        size_t p = doc_find(d, from, best, stops[i]);
        if (p != NOT_FOUND && p < best)
            best = p;
    }
    return best;
}

/* "by striking X and inserting Y": X struck, Y inserted inline. */
static int scan_edits(amend_index *ai, const doc *d, const line *l)
{
    static const char *const struck_ends[] = {" and inserting", ", and inserting", " and all that follows",
                                              " each place", "; ", NULL};
    static const char *const inserted_ends[] = {"; ", " after ", " before ", " by striking", NULL};
    for (size_t p = doc_find(d, l->start, l->end, "striking "); p != NOT_FOUND;
         p = doc_find(d, p + 1, l->end, "striking ")) {
        size_t s = p + strlen("striking ");
        if (!add_span(&ai->struck, s, earliest(d, s, l->end, struck_ends)))
            return 0;
    }
    for (size_t p = doc_find(d, l->start, l->end, "inserting "); p != NOT_FOUND;
         p = doc_find(d, p + 1, l->end, "inserting ")) {
        size_t s = p + strlen("inserting ");
        if (!add_span(&ai->inserted, s, earliest(d, s, l->end, inserted_ends)))
            return 0;
    }
    size_t colon = doc_find(d, l->start, l->end, "following new sentence:");
    if (colon == NOT_FOUND)
        colon = doc_find(d, l->start, l->end, "following sentence:");
    if (colon != NOT_FOUND) {
        size_t s = doc_find(d, colon, l->end, ":") + 1;
        if (!add_span(&ai->inserted, s, l->end))
            return 0;
    }
    return 1;
}

static int ssa_title_of(const doc *d, size_t s, size_t e, const citation *cite)
{
    size_t t = doc_find(d, s, e, "title ");
    if (t != NOT_FOUND) {
        size_t w = t + strlen("title "), n = 0;
        while (w + n < e && is_word_char((unsigned char)d->text[w + n]))
            n++;
        int v = roman_value(d->text + w, n);
        if (v)
            return v; /* "Title XVIII of the Social Security Act" */
    }
    long n = citation_number(cite);
    if (n >= 201 && n <= 299)
        return 2;
    if (n >= 1601 && n <= 1699)
        return 16;
    if (n >= 1801 && n <= 1899)
        return 18;
    if (n >= 1900 && n <= 1999)
        return 19;
    return 0;
}

static int usc_title_of(const doc *d, size_t s, size_t e)
{
    size_t t = doc_rfind(d, s, e, "title ");
    int v = 0;
    if (t == NOT_FOUND)
        return 0;
    for (size_t p = t + 6; p < e && d->text[p] >= '0' && d->text[p] <= '9' && v < 1000; p++)
        v = v * 10 + (d->text[p] - '0');
    return v;
}

typedef struct statement_state {
    int irc_named; /* "such Code" means the Internal Revenue Code */
    int last_act;
    int last;      /* index of the previous statement, -1 none */
} statement_state;

static int law_of_subject(const doc *d, size_t s, size_t e, statement_state *st, const amendment *last)
{
    for (size_t i = 0; i < sizeof(LAWS) / sizeof(LAWS[0]); i++)
        if (doc_has(d, s, e, LAWS[i].name)) {
            if (LAWS[i].law != LAW_IRC && LAWS[i].law != LAW_USC)
                st->last_act = LAWS[i].law;
            return LAWS[i].law;
        }
    if (doc_has(d, s, e, "such code"))
        return st->irc_named ? LAW_IRC : LAW_OTHER;
    if (doc_has(d, s, e, "such act"))
        return st->last_act;
    if (doc_has(d, s, e, "such section") || doc_has(d, s, e, "such subsection"))
        return last ? last->law : LAW_NONE;
    if (doc_has_word(d, s, e, "act")) {
        st->last_act = LAW_OTHER;
        return LAW_OTHER;
    }
    return LAW_NONE;
}

static int scan_statements(amend_index *ai, const doc *d, const line *l, statement_state *st)
{
    static const char *const verbs[] = {" is amended", " are amended", " are each amended", " is further amended",
                                        " are further amended", " is hereby amended", " is repealed",
                                        " are repealed", NULL};
    for (size_t v = 0; verbs[v]; v++)
        for (size_t p = doc_find(d, l->start, l->end, verbs[v]); p != NOT_FOUND;
             p = doc_find(d, p + 1, l->end, verbs[v])) {
            size_t s, e;
            sentence_bounds(d, l->start, l->end, p, &s, &e);
            if (!grow_array((void **)&ai->items, &ai->cap, ai->count + 1, sizeof(amendment)))
                return 0;
            const amendment *last = st->last >= 0 ? &ai->items[st->last] : NULL;
            amendment *a = &ai->items[ai->count];
            memset(a, 0, sizeof(*a));
            a->at = s;
            a->verb = p;
            a->unit = l->unit;
            a->law = law_of_subject(d, s, p, st, last);
            citation_from_subject(d, s, p, last ? &last->cite : NULL, &a->cite);
            if (a->law == LAW_SSA)
                a->ssa_title = ssa_title_of(d, s, p, &a->cite);
            if (a->law == LAW_USC)
                a->usc_title = usc_title_of(d, s, p);
            st->last = (int)ai->count++;
        }
    return 1;
}

static int by_span_start(const void *x, const void *y)
{
    const size_t *a = x, *b = y;
    return a[0] < b[0] ? -1 : a[0] > b[0];
}

static void sort_spans(span_list *l)
{
    if (l->count > 1)
        qsort(l->spans, l->count, sizeof(l->spans[0]), by_span_start);
}

static int by_position(const void *x, const void *y)
{
    const amendment *a = x, *b = y;
    return a->verb < b->verb ? -1 : a->verb > b->verb;
}

int amend_index_build(amend_index *ai, const outline *o, const doc *d)
{
    memset(ai, 0, sizeof(*ai));
    statement_state st = {.irc_named = 0, .last_act = LAW_NONE, .last = -1};
    for (size_t i = 0; i < o->line_count; i++) {
        const line *l = &o->lines[i];
        if (!st.irc_named && doc_has(d, l->start, l->end, "internal revenue code"))
            st.irc_named = 1;
        if ((l->kind != LINE_TEXT && l->kind != LINE_MARKER) || l->start < o->body_start)
            continue; /* plain bills print text on their "(a) In General.—" lines */
        size_t before = ai->count;
        if (!scan_statements(ai, d, l, &st) || !scan_edits(ai, d, l))
            return 0;
        if (ai->count - before > 1)
            qsort(ai->items + before, ai->count - before, sizeof(amendment), by_position);
        st.last = (int)ai->count - 1;
    }
    sort_spans(&ai->struck);
    sort_spans(&ai->inserted);
    return 1;
}

void amend_index_free(amend_index *ai)
{
    free(ai->items);
    free(ai->struck.spans);
    free(ai->inserted.spans);
    memset(ai, 0, sizeof(*ai));
}

/* Last statement with its verb in [lo, hi). */
static int last_statement_in(const amend_index *ai, size_t lo, size_t hi)
{
    size_t a = 0, b = ai->count;
    while (a < b) {
        size_t mid = (a + b) / 2;
        if (ai->items[mid].verb < hi)
            a = mid + 1;
        else
            b = mid;
    }
    return a > 0 && ai->items[a - 1].verb >= lo ? (int)a - 1 : -1;
}

int amend_governing(const amend_index *ai, const outline *o, int u, size_t off)
{
    int li = outline_line_at(o, off);
    if (li >= 0 && (o->lines[li].kind == LINE_TEXT || o->lines[li].kind == LINE_MARKER)) {
        int g = last_statement_in(ai, o->lines[li].start, off);
        if (g >= 0)
            return g;
    }
    for (int v = u; v >= 0; v = o->units[v].parent) {
        if (o->units[v].inserted)
            continue;
        size_t hi = o->units[v].first_child < off ? o->units[v].first_child : off;
        int g = last_statement_in(ai, o->units[v].start, hi);
        if (g >= 0)
            return g;
    }
    return -1;
}
