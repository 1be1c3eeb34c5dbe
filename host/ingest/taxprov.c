/*
 * taxprov — Internal Revenue Code amendments (rules T1-T2): one provision
 * per substantive amending subsection (or section without subsections);
 * units the bill labels "conforming" or "clerical" are left out. The kind
 * comes from the subsection heading, then the section heading, then the
 * IRC section amended (sections 21-54 are credits, 101-140 exclusions, ...).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ingest/ingest_internal.h"

#define SECTION_TEXT 160

typedef struct tax_group {
    int unit;          /* the amending subsection or section */
    char sections[SECTION_TEXT];
    long first_number; /* IRC section number of the first amendment */
    ps_span quote;
} tax_group;

static int is_labelled_conforming(const ingest_ctx *c, int u)
{
    static const char *const labels[] = {"conforming", "clerical", "technical amendment", NULL};
    for (int v = u; v >= 0; v = c->o->units[v].parent)
        if (doc_has_any(c->d, c->o->units[v].head_start, c->o->units[v].head_end, labels))
            return 1;
    return 0;
}

static int kind_from_words(const doc *d, size_t s, size_t e)
{
    static const char *const other[] = {"constructive receipt", "advance payment", "definition", "character",
                                        "information return", "reporting", NULL};
    static const char *const deduction[] = {"deduction*", "depreciation", "expensing", "depletion",
                                            "carryover*", "carryback*", "amortization", NULL};
    static const char *const exclusion[] = {"exclusion*", "excluded", "exclude*", NULL};
    static const char *const rate[] = {"rate", "rates", "surtax", "surcharge", NULL};
    if (doc_has_any(d, s, e, other))
        return PS_TAX_OTHER;
    if (doc_has_any_word(d, s, e, deduction))
        return PS_TAX_DEDUCTION;
    if (doc_has_word(d, s, e, "credit*"))
        return PS_TAX_CREDIT;
    if (doc_has_any_word(d, s, e, exclusion))
        return PS_TAX_EXCLUSION;
    if (doc_has_any_word(d, s, e, rate))
        return PS_TAX_RATE_CHANGE;
    if (doc_has(d, s, e, "excise tax"))
        return PS_TAX_OTHER;
    return 0;
}

static int kind_from_section_number(long n)
{
    if ((n >= 1 && n <= 15) || (n >= 55 && n <= 59) || (n >= 4001 && n <= 5000))
        return PS_TAX_RATE_CHANGE;
    if (n >= 21 && n <= 54)
        return PS_TAX_CREDIT;
    if (n >= 101 && n <= 140)
        return PS_TAX_EXCLUSION;
    if ((n >= 151 && n <= 280) || (n >= 611 && n <= 638))
        return PS_TAX_DEDUCTION;
    return PS_TAX_OTHER;
}

static int group_kind(const ingest_ctx *c, const tax_group *g)
{
    const unit *u = &c->o->units[g->unit];
    int kind = kind_from_words(c->d, u->head_start, u->head_end);
    int section = outline_bill_ancestor(c->o, g->unit, LEVEL_SECTION);
    if (!kind && section >= 0)
        kind = kind_from_words(c->d, c->o->units[section].head_start, c->o->units[section].head_end);
    return kind ? kind : kind_from_section_number(g->first_number);
}

/* The IRC section a statement amends: a new section it inserts ("36C."),
 * else the one its subject cites. */
static void amended_section(const ingest_ctx *c, const amendment *a, citation *out)
{
    *out = a->cite;
    int li = outline_line_at(c->o, a->verb);
    if (li < 0 || (size_t)li + 1 >= c->o->line_count || c->o->lines[li + 1].kind != LINE_INSERTED)
        return;
    int u = outline_unit_at(c->o, c->o->lines[li + 1].start);
    if (u >= 0 && c->o->units[u].inserted && c->o->units[u].level == LEVEL_SECTION &&
        c->o->units[u].start == skip_blanks(c->d, c->o->lines[li + 1].start, c->o->lines[li + 1].end)) {
        memset(out, 0, sizeof(*out));
        memcpy(out->parts[0], c->o->units[u].label, sizeof(out->parts[0]));
        out->count = 1;
    }
}

static void add_section_text(tax_group *g, const citation *cite)
{
    char text[64];
    citation_format(cite, text, sizeof(text));
    if (!text[0])
        return;
    const char *p = g->sections;
    size_t n = strlen(text);
    for (; (p = strstr(p, text)) != NULL; p += n)
        if ((p == g->sections || p[-1] == ' ') && (p[n] == ',' || p[n] == '\0'))
            return;
    size_t len = strlen(g->sections);
    snprintf(g->sections + len, sizeof(g->sections) - len, "%s%s", len ? ", " : "", text);
    if (!g->first_number)
        g->first_number = citation_number(cite);
}

static tax_group *group_for(tax_group **groups, size_t *count, size_t *cap, int unit, int *failed)
{
    for (size_t i = 0; i < *count; i++)
        if ((*groups)[i].unit == unit)
            return &(*groups)[i];
    if (!grow_array((void **)groups, cap, *count + 1, sizeof(tax_group))) {
        *failed = 1;
        return NULL;
    }
    tax_group *g = &(*groups)[(*count)++];
    memset(g, 0, sizeof(*g));
    g->unit = unit;
    return g;
}

static int emit(const ingest_ctx *c, const tax_group *groups, size_t count, ps_tax_provision **out, size_t *n)
{
    *out = count ? arena_alloc(c->a, count * sizeof(ps_tax_provision)) : NULL;
    *n = 0;
    if (count && !*out)
        return 0;
    for (size_t i = 0; i < count; i++) {
        char number[96];
        outline_bill_number(c->o, groups[i].unit, number, sizeof(number));
        ps_tax_provision *t = &(*out)[i];
        t->struct_size = sizeof(*t);
        t->kind = (ps_tax_kind)group_kind(c, &groups[i]);
        t->section = arena_strndup(c->a, groups[i].sections, strlen(groups[i].sections));
        t->bill_section = arena_strndup(c->a, number, strlen(number));
        t->quote = groups[i].quote;
        if (!t->section || !t->bill_section)
            return 0;
    }
    *n = count;
    return 1;
}

int tax_extract(const ingest_ctx *c, ps_tax_provision **out, size_t *count)
{
    tax_group *groups = NULL;
    size_t n = 0, cap = 0;
    int failed = 0;
    for (size_t i = 0; i < c->ai->count && !failed; i++) {
        const amendment *a = &c->ai->items[i];
        if (a->law != LAW_IRC || a->unit < 0 || c->o->units[a->unit].excluded || is_labelled_conforming(c, a->unit))
            continue;
        int unit = outline_bill_ancestor(c->o, a->unit, LEVEL_SUBSECTION);
        if (unit < 0)
            unit = a->unit;
        tax_group *g = group_for(&groups, &n, &cap, unit, &failed);
        if (!g)
            break;
        citation cite;
        amended_section(c, a, &cite);
        add_section_text(g, &cite);
        if (g->quote.length == 0) {
            int li = outline_line_at(c->o, a->verb);
            size_t e = trim_end(c->d, a->at, c->o->lines[li].end);
            g->quote = (ps_span){a->at, e - a->at};
        }
    }
    int ok = !failed && emit(c, groups, n, out, count);
    free(groups);
    return ok;
}
