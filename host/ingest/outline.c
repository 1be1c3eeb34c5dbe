/*
 * outline — splits a bill into lines and a tree of units.
 *
 * Markdown-ish bills: `#### 2. Heading` (section), `##### (a) Heading`
 * (subsection), `**(1)**` / `**(1) Heading**` / `(AA)` (paragraph markers,
 * level from the label), bare roman lines ("II") between titles. Plain bills:
 * `SEC. 2. HEADING.` and lines starting with "(a) ". The preamble (congress,
 * sponsors, "A BILL", the official title) is kept apart; a line following an
 * amendment intro ("... the following:") is inserted law text, whose labels
 * become units too (inserted.c). Units under "Findings" or "Sense of
 * Congress" headings, or whose text opens with "Congress finds", are marked
 * excluded.
 */
#include <stdlib.h>
#include <string.h>
#include "ingest/ingest_internal.h"

#define HEADING_NUMBER_REACH 24 /* "ARTICLE XIII: ..." */
#define MARKER_HEADING_REACH 160
#define PREAMBLE_LINES 20 /* "A BILL" is looked for this far */

typedef struct builder {
    outline *o;
    const doc *d;
    int stack[INGEST_MAX_DEPTH];
    size_t depth;
    int heading_base;   /* number of '#' of a section heading */
    int markdown;
    int unit_has_text;  /* the innermost open unit already has a text line */
    int intro_hint;     /* level named by the intro before an inserted line */
    int after_intro;    /* the previous line introduced inserted text */
} builder;

static int add_line(outline *o, size_t start, size_t end)
{
    if (!grow_array((void **)&o->lines, &o->line_cap, o->line_count + 1, sizeof(line)))
        return 0;
    o->lines[o->line_count++] = (line){start, end, LINE_TEXT, -1};
    return 1;
}

static int split_lines(outline *o, const doc *d)
{
    size_t start = 0;
    for (size_t i = 0; i <= d->len; i++)
        if (i == d->len || d->text[i] == '\n') {
            size_t end = i;
            if (end > start && d->text[end - 1] == '\r')
                end--;
            if (!add_line(o, start, end))
                return 0;
            start = i + 1;
        }
    return 1;
}

static int line_is(const doc *d, const line *l, const char *upper)
{
    size_t s = skip_blanks(d, l->start, l->end), e = trim_end(d, s, l->end);
    return e - s == strlen(upper) && memcmp(d->text + s, upper, e - s) == 0;
}

/* Finds "A BILL" (or a resolution) in the first lines: the next line is the
 * official title and the body starts after it. Returns the first body line. */
static size_t find_preamble(outline *o, const doc *d)
{
    static const struct { const char *line; int enacts; } types[] = {
        {"A BILL", 1}, {"AN ACT", 1}, {"JOINT RESOLUTION", 1}, {"RESOLUTION", 0}, {"CONCURRENT RESOLUTION", 0}};
    for (size_t i = 0; i < o->line_count && i < PREAMBLE_LINES; i++)
        for (size_t t = 0; t < sizeof(types) / sizeof(types[0]); t++)
            if (line_is(d, &o->lines[i], types[t].line)) {
                o->enacts_nothing = !types[t].enacts;
                if (i + 1 < o->line_count) {
                    o->title_start = o->lines[i + 1].start;
                    o->title_end = o->lines[i + 1].end;
                    o->appropriations_act = doc_at(d, o->title_start, o->title_end, "making ") &&
                                            doc_has(d, o->title_start, o->title_end, "appropriations");
                }
                size_t body = i + 2 < o->line_count ? i + 2 : o->line_count;
                o->body_start = body < o->line_count ? o->lines[body].start : d->len;
                return body;
            }
    return 0;
}

static int count_hashes(const doc *d, const line *l)
{
    size_t p = l->start;
    while (p < l->end && d->text[p] == '#')
        p++;
    int n = (int)(p - l->start);
    return n >= 2 && (p == l->end || d->text[p] == ' ') ? n : 0;
}

static void close_units(builder *b, size_t keep, size_t at)
{
    while (b->depth > keep)
        b->o->units[b->stack[--b->depth]].end = at;
}

static int is_exclusion_heading(const doc *d, size_t s, size_t e)
{
    return doc_has_word(d, s, e, "finding*") || doc_has(d, s, e, "sense of");
}

static int push_unit(builder *b, int level, const char *label, size_t label_len, size_t start,
                     size_t head_s, size_t head_e)
{
    outline *o = b->o;
    size_t keep = b->depth;
    while (keep > 0 && o->units[b->stack[keep - 1]].level >= level)
        keep--;
    if (keep == INGEST_MAX_DEPTH)
        keep--;
    close_units(b, keep, start);
    if (!grow_array((void **)&o->units, &o->unit_cap, o->unit_count + 1, sizeof(unit)))
        return 0;
    int idx = (int)o->unit_count++;
    unit *u = &o->units[idx];
    memset(u, 0, sizeof(*u));
    u->parent = b->depth ? b->stack[b->depth - 1] : -1;
    u->level = level;
    if (label_len >= LABEL_MAX)
        label_len = LABEL_MAX - 1;
    memcpy(u->label, label, label_len);
    u->start = start;
    u->end = b->d->len;
    u->head_start = head_s;
    u->head_end = head_e;
    u->first_child = NOT_FOUND;
    u->excluded = is_exclusion_heading(b->d, head_s, head_e);
    if (u->parent >= 0) {
        unit *p = &o->units[u->parent];
        u->excluded |= p->excluded;
        if (p->first_child == NOT_FOUND)
            p->first_child = start;
    }
    b->stack[b->depth++] = idx;
    b->unit_has_text = 0;
    return 1;
}

/* `#### 2. Heading`, `##### (a) Heading`, `#### ARTICLE I: Heading` */
static int heading_line(builder *b, const line *l, int hashes)
{
    const doc *d = b->d;
    if (!b->heading_base)
        b->heading_base = hashes;
    int level = hashes <= b->heading_base ? LEVEL_SECTION : LEVEL_SUBSECTION;
    size_t p = skip_blanks(d, l->start + (size_t)hashes, l->end);
    size_t label_s = p, label_e = p, head = p;
    if (p < l->end && d->text[p] == '(') {
        size_t close = p + 1;
        while (close < l->end && close - p <= LABEL_MAX && d->text[close] != ')')
            close++;
        if (close < l->end && d->text[close] == ')') {
            label_s = p + 1;
            label_e = close;
            head = close + 1;
        }
    } else {
        for (size_t q = p; q < l->end && q - p < HEADING_NUMBER_REACH; q++)
            if ((d->text[q] == '.' || d->text[q] == ':') && (q + 1 == l->end || d->text[q + 1] == ' ')) {
                label_e = q;
                head = q + 1;
                break;
            }
    }
    head = skip_blanks(d, head, l->end);
    return push_unit(b, level, d->text + label_s, label_e - label_s, l->start, head, trim_end(d, head, l->end));
}

/* Current open labels (outermost first) for level inference. */
static size_t open_labels(const builder *b, open_label *out)
{
    size_t n = 0;
    for (size_t i = 0; i < b->depth; i++) {
        const unit *u = &b->o->units[b->stack[i]];
        if (u->level > LEVEL_SECTION)
            out[n++] = (open_label){u->level, u->label};
    }
    return n;
}

/* `**(1)**`, `**(1) Heading**`, `(AA)`; plain bills: `(a) Heading.—Text`. */
static int marker_line(builder *b, const line *l, int *handled)
{
    const doc *d = b->d;
    size_t s = skip_blanks(d, l->start, l->end), e = trim_end(d, s, l->end);
    int bold = e - s >= 4 && memcmp(d->text + s, "**", 2) == 0;
    size_t p = bold ? s + 2 : s;
    *handled = 0;
    if (p >= e || d->text[p] != '(')
        return 1;
    size_t close = p + 1;
    while (close < e && close - p <= LABEL_MAX && d->text[close] != ')')
        close++;
    if (close >= e || d->text[close] != ')')
        return 1;
    int cand[2];
    if (!label_candidates(d->text + p + 1, close - p - 1, cand))
        return 1;
    size_t head_s = skip_blanks(d, close + 1, e), head_e = head_s;
    if (bold) {
        if (e - head_s < 2 || memcmp(d->text + e - 2, "**", 2) != 0)
            return 1;
        head_e = trim_end(d, head_s, e - 2);
    } else if (b->markdown) {
        if (head_s != e)
            return 1; /* a bare "(AA)" line only */
    } else {
        size_t reach = head_s + MARKER_HEADING_REACH < e ? head_s + MARKER_HEADING_REACH : e;
        size_t dash = doc_find(d, head_s, reach, ".\xe2\x80\x94"); /* "(a) In General.—" */
        if (dash == NOT_FOUND)
            dash = doc_find(d, head_s, reach, ".--"); /* the same in plain ASCII */
        head_e = dash == NOT_FOUND ? head_s : dash;
    }
    open_label open[INGEST_MAX_DEPTH];
    size_t n = open_labels(b, open);
    int fits;
    int level = label_choose_level(d->text + p + 1, close - p - 1, open, n, -1, &fits);
    *handled = 1;
    return push_unit(b, level, d->text + p + 1, close - p - 1, l->start, head_s, head_e);
}

/* `SEC. 2. SHORT TITLE.` in plain bills. */
static int plain_section_line(builder *b, const line *l, int *handled)
{
    const doc *d = b->d;
    size_t p = skip_blanks(d, l->start, l->end);
    *handled = 0;
    if (strncmp(d->text + p, "SEC.", 4) == 0)
        p += 4;
    else if (strncmp(d->text + p, "SECTION", 7) == 0)
        p += 7;
    else
        return 1;
    p = skip_blanks(d, p, l->end);
    size_t num = p;
    while (p < l->end && is_word_char((unsigned char)d->text[p]))
        p++;
    if (p == num || p >= l->end || d->text[p] != '.')
        return 1;
    size_t head = skip_blanks(d, p + 1, l->end), head_e = trim_end(d, head, l->end);
    if (head_e > head && d->text[head_e - 1] == '.')
        head_e--;
    *handled = 1;
    return push_unit(b, LEVEL_SECTION, d->text + num, p - num, l->start, head, head_e);
}

/* A bare "II" or "A" line: a title or subtitle divider. */
static int is_divider(const doc *d, const line *l)
{
    size_t s = skip_blanks(d, l->start, l->end), e = trim_end(d, s, l->end);
    if (e == s || e - s > 6)
        return 0;
    for (size_t i = s; i < e; i++)
        if (d->text[i] < 'A' || d->text[i] > 'Z')
            return 0;
    return 1;
}

/* "... is amended by adding at the end the following:" */
static int is_intro(const doc *d, const line *l, int *hint)
{
    static const char *const lead[] = {"the following", "as follows", NULL};
    static const char *const verbs[] = {"insert", "adding", "amend", "redesignat", NULL};
    size_t e = trim_end(d, l->start, l->end);
    if (e == l->start || d->text[e - 1] != ':')
        return 0;
    if (!doc_has_any(d, l->start, e, lead) || !doc_has_any(d, l->start, e, verbs))
        return 0;
    *hint = -1;
    for (size_t p = l->start; p < e;) {
        size_t w = p;
        while (p < e && is_word_char((unsigned char)d->text[p]))
            p++;
        int level = designation_level(d->text + w, p - w);
        if (level >= 0)
            *hint = level;
        while (p < e && !is_word_char((unsigned char)d->text[p]))
            p++;
    }
    return 1;
}

static void note_lead_in(builder *b, const line *l)
{
    static const char *const openers[] = {"congress finds", "the congress finds",
                                          "congress makes the following finding",
                                          "the congress makes the following finding", "it is the sense of", NULL};
    if (b->depth == 0 || b->unit_has_text)
        return;
    b->unit_has_text = 1;
    size_t s = skip_blanks(b->d, l->start, l->end);
    for (size_t i = 0; openers[i]; i++)
        if (doc_at(b->d, s, l->end, openers[i]))
            b->o->units[b->stack[b->depth - 1]].excluded = 1;
}

static int body_line(builder *b, size_t index)
{
    outline *o = b->o;
    line *l = &o->lines[index];
    int handled = 0;
    int hashes = count_hashes(b->d, l);
    if (hashes) {
        l->kind = LINE_HEADING;
        handled = 1;
        if (!heading_line(b, l, hashes))
            return 0;
    } else if (!b->markdown && !plain_section_line(b, l, &handled)) {
        return 0;
    } else if (!handled && !marker_line(b, l, &handled)) {
        return 0;
    }
    if (handled) {
        if (l->kind != LINE_HEADING)
            l->kind = LINE_MARKER;
        l->unit = b->stack[b->depth - 1];
        b->after_intro = 0;
        return 1;
    }
    if (b->markdown && is_divider(b->d, l)) {
        l->kind = LINE_DIVIDER;
        close_units(b, 0, l->start);
        b->after_intro = 0;
        return 1;
    }
    l->unit = b->depth ? b->stack[b->depth - 1] : -1;
    size_t first = skip_blanks(b->d, l->start, l->end);
    if (first == l->end)
        return 1; /* a blank line keeps an intro waiting for its text */
    if (!b->markdown && (doc_at(b->d, first, l->end, "``") || doc_at(b->d, first, l->end, "\xe2\x80\x9c"))) {
        l->kind = LINE_INSERTED; /* plain bills quote inserted law line by line */
        b->after_intro = 0;
        return inserted_parse(o, b->d, index, l->unit, -1);
    }
    if (b->after_intro) {
        l->kind = LINE_INSERTED;
        b->after_intro = 0;
        return inserted_parse(o, b->d, index, l->unit, b->intro_hint);
    }
    note_lead_in(b, l);
    b->after_intro = is_intro(b->d, l, &b->intro_hint);
    return 1;
}

static int detect_markdown(const outline *o, const doc *d, size_t first)
{
    for (size_t i = first; i < o->line_count; i++) {
        const line *l = &o->lines[i];
        if (count_hashes(d, l) || (l->end - l->start >= 4 && memcmp(d->text + l->start, "**(", 3) == 0))
            return 1;
    }
    return 0;
}

int outline_build(outline *o, const doc *d)
{
    memset(o, 0, sizeof(*o));
    if (!split_lines(o, d))
        return 0;
    size_t first = find_preamble(o, d);
    builder b = {.o = o, .d = d, .markdown = detect_markdown(o, d, first), .intro_hint = -1};
    for (size_t i = first; i < o->line_count; i++)
        if (!body_line(&b, i))
            return 0;
    close_units(&b, 0, d->len);
    for (size_t i = 0; i < o->unit_count; i++)
        if (o->units[i].first_child == NOT_FOUND)
            o->units[i].first_child = o->units[i].end;
    return 1;
}

void outline_free(outline *o)
{
    free(o->lines);
    free(o->units);
    memset(o, 0, sizeof(*o));
}
