/*
 * amend_cite — citations of amended law: "Subsection 12(b)(2) of ..." ->
 * 12(b)(2); "Clause (i) of section 36B(b)(2)(B)" -> 36B(b)(2)(B)(i);
 * "in subsection (c)—" -> (c). Composes the label of inserted text from
 * the governing citation, the designations on the way down and the labels
 * of the inserted text itself ("12(b)(2)" + "(K)" -> "12(b)(2)(K)").
 */
#include <stdio.h>
#include <string.h>
#include "ingest/ingest_internal.h"

static void cite_push(citation *c, const char *s, size_t n)
{
    if (c->count == CITE_PARTS || n == 0)
        return;
    if (n >= LABEL_MAX)
        n = LABEL_MAX - 1;
    memcpy(c->parts[c->count], s, n);
    c->parts[c->count][n] = '\0';
    c->count++;
}

/* "(b)(2)(A)" attached labels at p; returns the end. */
static size_t read_labels(const doc *d, size_t p, size_t e, citation *c)
{
    while (p < e && d->text[p] == '(') {
        size_t close = p + 1;
        while (close < e && close - p <= LABEL_MAX && is_word_char((unsigned char)d->text[close]))
            close++;
        if (close >= e || d->text[close] != ')' || close == p + 1)
            break;
        cite_push(c, d->text + p + 1, close - p - 1);
        p = close + 1;
    }
    return p;
}

/* "36B", "300j–24", "1899C" followed by labels. */
static size_t read_section_number(const doc *d, size_t p, size_t e, citation *c)
{
    size_t s = p;
    while (p < e && d->text[p] >= '0' && d->text[p] <= '9')
        p++;
    if (p == s)
        return NOT_FOUND;
    while (p < e && is_word_char((unsigned char)d->text[p]))
        p++;
    if (doc_at(d, p, e, "\xe2\x80\x93") && p + 3 < e && is_word_char((unsigned char)d->text[p + 3])) {
        p += 3;
        while (p < e && is_word_char((unsigned char)d->text[p]))
            p++;
    }
    cite_push(c, d->text + s, p - s);
    return read_labels(d, p, e, c);
}

static void append_parts(citation *c, const citation *tail)
{
    size_t best = 0;
    for (size_t k = 1; k <= c->count && k <= tail->count; k++) {
        size_t i = 0;
        while (i < k && strcmp(c->parts[c->count - k + i], tail->parts[i]) == 0)
            i++;
        if (i == k)
            best = k;
    }
    for (size_t i = best; i < tail->count; i++)
        cite_push(c, tail->parts[i], strlen(tail->parts[i]));
}

/* Designation word at p ("Subsection", "clauses"); returns its end. */
static size_t designation_at(const doc *d, size_t p, size_t e)
{
    size_t q = p;
    while (q < e && is_word_char((unsigned char)d->text[q]))
        q++;
    return designation_level(d->text + p, q - p) >= 0 ? q : NOT_FOUND;
}

int citation_from_subject(const doc *d, size_t s, size_t e, const citation *previous, citation *out)
{
    memset(out, 0, sizeof(*out));
    s = skip_blanks(d, s, e);
    if (doc_at(d, s, e, "the "))
        s += 4;
    size_t word_end = designation_at(d, s, e);
    if (word_end != NOT_FOUND && word_end < e && d->text[word_end] == ' ') {
        size_t p = word_end + 1;
        if (p < e && d->text[p] >= '0' && d->text[p] <= '9')
            return read_section_number(d, p, e, out) != NOT_FOUND; /* "Subsection 12(b)(2)" */
        citation prefix = {0};
        int plural = d->text[word_end - 1] == 's';
        p = read_labels(d, p, e, &prefix);
        if (doc_at(d, p, e, " of such section")) {
            if (previous && previous->count)
                cite_push(out, previous->parts[0], strlen(previous->parts[0]));
        } else if (doc_at(d, p, e, " of section ")) {
            if (read_section_number(d, p + strlen(" of section "), e, out) == NOT_FOUND)
                return 0;
        } else {
            return 0;
        }
        if (!plural)
            for (size_t i = 0; i < prefix.count; i++)
                cite_push(out, prefix.parts[i], strlen(prefix.parts[i]));
        return out->count > 0;
    }
    /* the first "section N" of the subject ("The table contained in section 32(b)") */
    for (size_t at = doc_find(d, s, e, "section "); at != NOT_FOUND; at = doc_find(d, at + 1, e, "section "))
        if ((at == s || !is_word_char((unsigned char)d->text[at - 1])) &&
            read_section_number(d, at + strlen("section "), e, out) != NOT_FOUND)
            return 1;
    return 0;
}

/* "in subsection (e)(1)—", "by amending paragraph (1) to read as follows:" */
static void designation_labels(const doc *d, const line *l, citation *out)
{
    size_t p = skip_blanks(d, l->start, l->end);
    if (doc_at(d, p, l->end, "in "))
        p += 3;
    else if (doc_at(d, p, l->end, "by amending "))
        p += 12;
    else
        return;
    size_t w = designation_at(d, p, l->end);
    if (w == NOT_FOUND || d->text[w - 1] == 's' || !doc_at(d, w, l->end, " ("))
        return;
    read_labels(d, w + 1, l->end, out);
}

void citation_format(const citation *c, char *buf, size_t size)
{
    size_t len = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < c->count && len < size; i++) {
        int w = snprintf(buf + len, size - len, i == 0 ? "%s" : "(%s)", c->parts[i]);
        if (w < 0)
            return;
        len += (size_t)w;
    }
}

long citation_number(const citation *c)
{
    long v = 0;
    if (c->count == 0)
        return 0;
    for (const char *p = c->parts[0]; *p >= '0' && *p <= '9'; p++)
        if (v < 1000000)
            v = v * 10 + (*p - '0');
    return v;
}

/* Labels of the inserted text holding u, outermost first; 1 if its root
 * is a law section ("644."). */
static int inserted_path(const outline *o, int u, citation *out, int *bill_parent)
{
    int chain[INGEST_MAX_DEPTH * 2];
    size_t n = 0;
    while (u >= 0 && o->units[u].inserted && n < sizeof(chain) / sizeof(chain[0])) {
        chain[n++] = u;
        u = o->units[u].parent;
    }
    *bill_parent = u;
    memset(out, 0, sizeof(*out));
    int law_root = n > 0 && o->units[chain[n - 1]].level == LEVEL_SECTION;
    while (n-- > 0)
        cite_push(out, o->units[chain[n]].label, strlen(o->units[chain[n]].label));
    return law_root;
}

/* Designations printed between the governing statement and the text. */
static void designations_down(const outline *o, const doc *d, int from_unit, int stop_unit, size_t off,
                              citation *out)
{
    int chain[INGEST_MAX_DEPTH * 2];
    size_t n = 0;
    for (int v = from_unit; v >= 0 && v != stop_unit && n < sizeof(chain) / sizeof(chain[0]);
         v = o->units[v].parent)
        chain[n++] = v;
    memset(out, 0, sizeof(*out));
    int seen = -1;
    while (n-- > 0) {
        int li = outline_line_at(o, o->units[chain[n]].start) + 1;
        if (li > 0 && (size_t)li < o->line_count && o->lines[li].kind == LINE_TEXT &&
            o->lines[li].start < o->units[chain[n]].first_child) {
            designation_labels(d, &o->lines[li], out);
            seen = li;
        }
    }
    int own = outline_line_at(o, off);
    if (own >= 0 && own != seen && o->lines[own].kind == LINE_TEXT)
        designation_labels(d, &o->lines[own], out);
}

void amend_law_label(const amend_index *ai, const outline *o, const doc *d, int u, size_t off,
                     char *buf, size_t size)
{
    citation inner, down, label = {0};
    int bill_unit;
    int law_root = inserted_path(o, u, &inner, &bill_unit);
    int g = amend_governing(ai, o, u, off);
    buf[0] = '\0';
    if (g < 0 && inner.count == 0)
        return;
    if (g >= 0) {
        label = ai->items[g].cite;
        designations_down(o, d, bill_unit, ai->items[g].unit, off, &down);
        append_parts(&label, &down);
    }
    if (law_root && (label.count == 0 || strcmp(label.parts[0], inner.parts[0]) != 0))
        memset(&label, 0, sizeof(label));
    append_parts(&label, &inner);
    citation_format(&label, buf, size);
}
