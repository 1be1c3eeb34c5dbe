/*
 * inserted — the structure of inserted law text, which bills print run
 * together on one line: "(j) Authorization of appropriations There are
 * authorized ...— (1) $503,000,000 for fiscal year 2027; (2) ...".
 *
 * The line opens with a label ("(K)") or a law section number ("644."); the
 * labels that follow become units when they fit the drafting sequence (the
 * next sibling of an open label, or the first child of a deeper level) and
 * are not references ("paragraph (1)", "clauses (i), (ii), and (iii)").
 */
#include <string.h>
#include "ingest/ingest_internal.h"

#define EM_DASH "\xe2\x80\x94"

typedef struct inline_state {
    outline *o;
    const doc *d;
    int parent; /* bill unit holding the inserted line */
    int stack[INGEST_MAX_DEPTH];
    size_t depth;
    size_t rejected_end; /* end of the last label read as a reference */
} inline_state;

static int push_inline(inline_state *st, int level, size_t label_s, size_t label_e, size_t start)
{
    outline *o = st->o;
    while (st->depth > 0 && o->units[st->stack[st->depth - 1]].level >= level)
        o->units[st->stack[--st->depth]].end = start;
    if (st->depth == INGEST_MAX_DEPTH)
        o->units[st->stack[--st->depth]].end = start;
    if (!grow_array((void **)&o->units, &o->unit_cap, o->unit_count + 1, sizeof(unit)))
        return 0;
    int idx = (int)o->unit_count++;
    unit *u = &o->units[idx];
    memset(u, 0, sizeof(*u));
    u->parent = st->depth ? st->stack[st->depth - 1] : st->parent;
    u->level = level;
    u->inserted = 1;
    size_t n = label_e - label_s < LABEL_MAX ? label_e - label_s : LABEL_MAX - 1;
    memcpy(u->label, st->d->text + label_s, n);
    u->start = start;
    u->end = st->d->len;
    u->head_start = u->head_end = start;
    u->first_child = NOT_FOUND;
    if (u->parent >= 0) {
        unit *p = &o->units[u->parent];
        u->excluded = p->excluded;
        if (p->first_child == NOT_FOUND)
            p->first_child = start;
    }
    st->stack[st->depth++] = idx;
    return 1;
}

/* "(x)" at p followed by a blank or the end: returns the ')' position. */
static size_t label_at(const doc *d, size_t p, size_t e)
{
    if (p >= e || d->text[p] != '(')
        return NOT_FOUND;
    size_t close = p + 1;
    while (close < e && close - p <= LABEL_MAX && d->text[close] != ')')
        close++;
    if (close >= e || d->text[close] != ')' || (close + 1 < e && d->text[close + 1] != ' '))
        return NOT_FOUND;
    int cand[2];
    return label_candidates(d->text + p + 1, close - p - 1, cand) ? close : NOT_FOUND;
}

/* "644. ", "36C. ", "1341A. " */
static size_t law_section_at(const doc *d, size_t p, size_t e)
{
    size_t q = p;
    while (q < e && d->text[q] >= '0' && d->text[q] <= '9')
        q++;
    if (q == p)
        return NOT_FOUND;
    while (q < e && q - p < LABEL_MAX - 1 && d->text[q] >= 'A' && d->text[q] <= 'Z')
        q++;
    return q + 1 < e && d->text[q] == '.' && d->text[q + 1] == ' ' ? q : NOT_FOUND;
}

static int is_reference_word(const doc *d, size_t s, size_t e)
{
    static const char *const words[] = {
        "section", "sections", "subsection", "subsections", "paragraph", "paragraphs", "subparagraph",
        "subparagraphs", "clause", "clauses", "subclause", "subclauses", "item", "items", "subitem",
        "subitems", "title", "part", "parts", "subpart", "subtitle", "chapter", "subchapter", "in",
        "under", "of", "by", "with", "than", "from", "see", "per", "at", "described", "defined",
        "designated", "redesignated", "as", "this", "such", NULL};
    for (size_t i = 0; words[i]; i++)
        if (strlen(words[i]) == e - s && memcmp(d->lower + s, words[i], e - s) == 0)
            return 1;
    return 0;
}

/* Between a rejected reference label and this one only ", and", "or", ... */
static int continues_reference(const inline_state *st, size_t p)
{
    static const char *const joins[] = {"and", "or", "through", "to", NULL};
    const doc *d = st->d;
    if (st->rejected_end == NOT_FOUND || st->rejected_end > p)
        return 0;
    size_t q = st->rejected_end;
    while (q < p && (d->text[q] == ' ' || d->text[q] == ','))
        q++;
    for (size_t i = 0; joins[i]; i++)
        if (doc_at(d, q, p, joins[i]) && q + strlen(joins[i]) < p && d->text[q + strlen(joins[i])] == ' ') {
            q += strlen(joins[i]);
            break;
        }
    while (q < p && d->text[q] == ' ')
        q++;
    return q == p;
}

static int preceded_by_break(const doc *d, size_t floor, size_t p)
{
    if (p == floor || d->text[p - 1] == ' ')
        return 1;
    return p - floor >= 3 && memcmp(d->text + p - 3, EM_DASH, 3) == 0;
}

static int read_label(inline_state *st, size_t floor, size_t p, size_t close)
{
    const doc *d = st->d;
    size_t we, ws = prev_word(d, floor, p, &we);
    int reference = (ws != NOT_FOUND && we == p - 1 && is_reference_word(d, ws, we)) ||
                    continues_reference(st, p);
    if (!reference) {
        open_label open[INGEST_MAX_DEPTH];
        for (size_t i = 0; i < st->depth; i++) {
            const unit *u = &st->o->units[st->stack[i]];
            open[i] = (open_label){u->level, u->label};
        }
        int fits;
        int level = label_choose_level(d->text + p + 1, close - p - 1, open, st->depth, -1, &fits);
        if (fits && level > LEVEL_SECTION)
            return push_inline(st, level, p + 1, close, p);
    }
    st->rejected_end = close + 1;
    return 1;
}

static size_t next_paren(const doc *d, size_t from, size_t e)
{
    const char *p = from < e ? memchr(d->text + from, '(', e - from) : NULL;
    return p ? (size_t)(p - d->text) : e;
}

static int first_label_level(const doc *d, size_t p, size_t close, int hint)
{
    int cand[2];
    int count = label_candidates(d->text + p + 1, close - p - 1, cand);
    for (int i = 0; i < count; i++)
        if (cand[i] == hint)
            return hint;
    int fits;
    return label_choose_level(d->text + p + 1, close - p - 1, NULL, 0, hint, &fits);
}

int inserted_parse(outline *o, const doc *d, size_t line_index, int parent, int hint_level)
{
    const line *l = &o->lines[line_index];
    inline_state st = {.o = o, .d = d, .parent = parent, .rejected_end = NOT_FOUND};
    size_t s = skip_blanks(d, l->start, l->end), e = l->end;
    if (doc_at(d, s, e, "``"))
        s += 2; /* plain bills open each quoted line */
    else if (doc_at(d, s, e, "\xe2\x80\x9c"))
        s += 3;
    size_t p, close = label_at(d, s, e), root = law_section_at(d, s, e);
    if (root != NOT_FOUND) {
        if (!push_inline(&st, LEVEL_SECTION, s, root, s))
            return 0;
        p = root + 1;
    } else if (close != NOT_FOUND) {
        if (!push_inline(&st, first_label_level(d, s, close, hint_level), s + 1, close, s))
            return 0;
        p = close + 1;
    } else {
        return 1; /* unstructured text: a sentence, a table-of-contents item */
    }
    for (p = next_paren(d, p, e); p < e; p = next_paren(d, p + 1, e)) {
        close = label_at(d, p, e);
        if (close != NOT_FOUND && preceded_by_break(d, s, p) && !read_label(&st, s, p, close))
            return 0;
    }
    while (st.depth > 0)
        o->units[st.stack[--st.depth]].end = e;
    return 1;
}
