/*
 * money_kind — what a dollar amount is (rule R2), from the words around it:
 * first the amount's own clause ("of which", "there is appropriated",
 * "not to exceed"), then the lead-ins of the lists holding it ("There are
 * authorized to be appropriated— (1) $X"), then headings ("Authorization of
 * appropriations") and, for bare "$X for fiscal year Y" lists inserted into
 * law, the authorization the existing lead-in makes. Amounts that are no
 * money of the bill (penalties, rounding multiples, tax parameters) are
 * dropped; other figures tied to spending become `other`, never counted.
 */
#include <string.h>
#include "ingest/money.h"

static const char *const AUTHORIZATION[] = {"authorized to be appropriated", "authorization of appropriations",
                                            "authorizations of appropriations", NULL};
static const char *const APPROPRIATION[] = {"there is appropriated", "there are appropriated",
                                            "there is hereby appropriated", "there are hereby appropriated",
                                            "is hereby appropriated", "are hereby appropriated",
                                            "not otherwise appropriated", "not otherwise obligated",
                                            "for an additional amount", NULL};
static const char *const DIRECT[] = {"commodity credit corporation", NULL};
static const char *const SET_ASIDE[] = {"of the amounts", "of the amount ", "of the funds", "out of amounts",
                                        "out of any amounts", "from amounts made available", "from the amounts",
                                        "set aside", "shall reserve", "shall be reserved", NULL};
static const char *const RESCISSION[] = {"rescind*", "rescission*", NULL};
static const char *const CAPS[] = {"greater than", "less than", "in excess of", "exceed*", "not more than",
                                   "no more than", "up to", "at least", "maximum", "minimum", "limit",
                                   "limits", "limitation*", "cap", "threshold*", NULL};
static const char *const PENALTIES[] = {"penalty", "penalties", "fine", "fines", "fined", "civil monetary",
                                        "forfeit*", NULL};
static const char *const SPENDING[] = {"grant*", "payment*", "benefit*", "appropriat*", "funding", "funds",
                                       "award*", "financial assistance", "allocat*", "made available", "reward*",
                                       "compensation", "loan*", "reimburs*", "subsid*", "out-of-pocket",
                                       "cost-sharing", "expenditure*", "leverage", "administrative expense*",
                                       "remain available", NULL};

const char *const NOTE_OF_WHICH = "'of which' earmark inside another amount; not added";
const char *const NOTE_SET_ASIDE = "set-aside or redirection of funds provided elsewhere; not new budget authority";
const char *const NOTE_RESCISSION = "rescission; recorded, never subtracted (R8)";
const char *const NOTE_FORMULA = "formula term, not a fixed amount";
const char *const NOTE_CAP = "cap, limit or threshold tied to spending; not budget authority";
const char *const NOTE_PARAMETER = "benefit, grant or program parameter; not budget authority";
const char *const NOTE_EXTENSION = "extension of an existing authorization; amount not printed";

static int budget_kind(const doc *d, size_t s, size_t e)
{
    if (doc_has_any(d, s, e, AUTHORIZATION))
        return PS_MONEY_AUTHORIZATION;
    if (doc_has_any(d, s, e, APPROPRIATION))
        return PS_MONEY_APPROPRIATION;
    return 0;
}

static size_t first_of(const doc *d, size_t s, size_t e, const char *const *needles)
{
    size_t best = NOT_FOUND;
    for (size_t i = 0; needles[i]; i++) {
        size_t p = doc_find(d, s, e, needles[i]);
        if (p < best)
            best = p;
    }
    return best;
}

int money_is_of_which(const doc *d, size_t s, size_t e)
{
    return doc_has(d, s, e, ", of which") || doc_has(d, s, e, "; of which");
}

/* The marker of a non-budget figure in [s, e), or NULL. */
static const char *other_marker(const doc *d, size_t s, size_t e)
{
    if (doc_has_any(d, s, e, SET_ASIDE))
        return NOTE_SET_ASIDE;
    if (doc_has_any_word(d, s, e, RESCISSION))
        return NOTE_RESCISSION;
    if (doc_has(d, s, e, "difference between"))
        return NOTE_FORMULA;
    if (doc_has_any_word(d, s, e, CAPS))
        return NOTE_CAP;
    return NULL;
}

/* Lead-in of unit v: its text before its first child, nearest part. */
static void lead_in(const ingest_ctx *c, int v, size_t *s, size_t *e)
{
    const unit *u = &c->o->units[v];
    *e = u->first_child;
    *s = *e - u->start > LEAD_IN_REACH ? *e - LEAD_IN_REACH : u->start;
}

static int heading_says_authorization(const ingest_ctx *c, const money_site *site)
{
    for (int v = site->unit; v >= 0; v = c->o->units[v].parent) {
        const unit *u = &c->o->units[v];
        if (!doc_has(c->d, u->head_start, u->head_end, "authoriz"))
            continue;
        if (doc_has(c->d, u->head_start, u->head_end, "appropriat") || site->years_follow)
            return 1;
    }
    return 0;
}

/* Spending words anywhere from the clause up through the enclosing headings. */
static int tied_to_spending(const ingest_ctx *c, const money_site *site)
{
    if (doc_has_any_word(c->d, site->seg_s, site->seg_e, SPENDING))
        return 1;
    for (int v = site->unit; v >= 0; v = c->o->units[v].parent) {
        size_t s, e;
        lead_in(c, v, &s, &e);
        if (doc_has_any_word(c->d, s, e, SPENDING) ||
            doc_has_any_word(c->d, c->o->units[v].head_start, c->o->units[v].head_end, SPENDING))
            return 1;
    }
    return 0;
}

/* "a civil penalty of not more than $X": the clause, its unit or the list holding it. */
static int is_penalty(const ingest_ctx *c, const money_site *site)
{
    if (doc_has_any_word(c->d, site->seg_s, site->seg_e, PENALTIES))
        return 1;
    if (site->unit < 0)
        return 0;
    size_t s, e;
    lead_in(c, site->unit, &s, &e);
    if (doc_has_any_word(c->d, s, e < site->seg_s ? e : site->seg_s, PENALTIES))
        return 1;
    int parent = c->o->units[site->unit].parent;
    if (parent < 0)
        return 0;
    lead_in(c, parent, &s, &e);
    return doc_has_any_word(c->d, s, e, PENALTIES);
}

/* Dollar figures inside Internal Revenue Code text are tax parameters (T2). */
static int is_tax_parameter(const ingest_ctx *c, const money_site *site)
{
    int g = amend_governing(c->ai, c->o, site->unit, site->at);
    return g >= 0 && c->ai->items[g].law == LAW_IRC && !budget_kind(c->d, site->seg_s, site->seg_e);
}

static int verdict(money_verdict *out, int kind, const char *note)
{
    out->kind = kind;
    out->note = note;
    return 1;
}

/* The amount's own clause: the text before it (back to the previous amount
 * of the clause) and, for passive phrasing, after it. */
static int own_clause(const ingest_ctx *c, const money_site *site, money_verdict *out)
{
    const doc *d = c->d;
    size_t bs = site->before_s, be = site->at;
    if (money_is_of_which(d, bs, be))
        return verdict(out, PS_MONEY_OTHER, NOTE_OF_WHICH);
    if (doc_has_any(d, site->seg_s, site->seg_e, DIRECT))
        return verdict(out, PS_MONEY_DIRECT_SPENDING, NULL);
    /* a later amount of the sentence: its own words ("Provided, That not to
     * exceed $X") come before the sentence's opening phrase */
    const char *marker = bs > site->seg_s ? other_marker(d, bs, be) : NULL;
    if (marker)
        return verdict(out, PS_MONEY_OTHER, marker);
    /* "Of the amounts authorized to be appropriated ..., $X" earmarks; "there
     * are authorized to be appropriated, from amounts made available ..." authorizes */
    size_t aside = first_of(d, site->seg_s, be, SET_ASIDE);
    int kind = budget_kind(d, site->seg_s, be);
    size_t budget = kind ? first_of(d, site->seg_s, be, kind == PS_MONEY_AUTHORIZATION ? AUTHORIZATION : APPROPRIATION)
                         : NOT_FOUND;
    if (aside != NOT_FOUND && (budget == NOT_FOUND || aside < budget))
        return verdict(out, PS_MONEY_OTHER, NOTE_SET_ASIDE);
    if (kind)
        return verdict(out, kind, NULL);
    if (c->o->appropriations_act && doc_at(d, site->seg_s, be, "for necessary expenses"))
        return verdict(out, PS_MONEY_APPROPRIATION, NULL);
    marker = other_marker(d, bs, be);
    if (marker)
        return verdict(out, PS_MONEY_OTHER, marker);
    kind = budget_kind(d, site->end, site->after_e);
    if (kind)
        return verdict(out, kind, NULL);
    marker = other_marker(d, site->end, site->after_e);
    return marker == NOTE_RESCISSION ? verdict(out, PS_MONEY_OTHER, marker) : 0;
}

/* Lead-ins of the units holding the amount, nearest first. */
static int enclosing_lead_ins(const ingest_ctx *c, const money_site *site, money_verdict *out)
{
    for (int v = site->unit; v >= 0; v = c->o->units[v].parent) {
        size_t s, e;
        lead_in(c, v, &s, &e);
        if (v == site->unit) {
            if (e > site->seg_s)
                e = site->seg_s; /* the part of its own unit before the clause */
        } else if (!ends_list_intro(c->d, s, e)) {
            continue;
        }
        if (e <= s)
            continue;
        int kind = budget_kind(c->d, s, e);
        if (kind)
            return verdict(out, kind, NULL);
        const char *marker = other_marker(c->d, s, e);
        if (marker)
            return verdict(out, PS_MONEY_OTHER, marker);
    }
    return 0;
}

/* "(K) $83,403,000 for fiscal year 2026" inserted under an existing
 * authorization whose lead-in the bill does not reprint (R2); in an
 * appropriations Act, the amounts of its paragraphs. */
static int listed_under_a_heading(const ingest_ctx *c, const money_site *site, money_verdict *out)
{
    if (c->o->appropriations_act && !site->in_inserted)
        return verdict(out, PS_MONEY_APPROPRIATION, NULL);
    if ((site->years_follow && site->in_inserted) || heading_says_authorization(c, site))
        return verdict(out, PS_MONEY_AUTHORIZATION, NULL);
    return 0;
}

/* Earmarks, set-asides and rescissions are about spending by their nature. */
static int is_spending_by_nature(const money_verdict *v)
{
    return v->note == NOTE_OF_WHICH || v->note == NOTE_SET_ASIDE || v->note == NOTE_RESCISSION;
}

int money_classify(const ingest_ctx *c, const money_site *site, money_verdict *out)
{
    memset(out, 0, sizeof(*out));
    if (!site->indefinite && (site->after_multiple_of || is_penalty(c, site)))
        return 0; /* rounding rules and penalties are no money of the bill */
    if (is_tax_parameter(c, site))
        return 0;
    int decided = own_clause(c, site, out) || enclosing_lead_ins(c, site, out) ||
                  listed_under_a_heading(c, site, out);
    if (site->indefinite)
        return decided && out->kind != PS_MONEY_OTHER;
    if (decided && (out->kind != PS_MONEY_OTHER || is_spending_by_nature(out)))
        return 1;
    if (!tied_to_spending(c, site))
        return 0; /* a reporting threshold, a fee, a coin's face value */
    return decided || verdict(out, PS_MONEY_OTHER, NOTE_PARAMETER);
}
