/*
 * fiscal_tax — the revenue side of the fiscal analyst: the direction of each
 * Internal Revenue Code amendment and the budget effects the bill leaves
 * unquantified (R13).
 *
 * The bill prints no revenue estimate, so no amount is claimed; the direction
 * is read from the text by two documented rules, in this order:
 *   1. A parameter swap "striking N and inserting M" in the provision's text
 *      (or, when its quote is only the lead-in "is amended—", in the innermost
 *      section holding it; all swaps there must go the same way):
 *      for a credit, deduction or exclusion a larger dollar amount is a larger
 *      tax benefit (revenue falls when M > N, rises when M < N; percentages
 *      are left alone, since a higher percentage threshold can shrink a
 *      benefit); for a rate change a higher rate raises revenue.
 *      Confidence KIT_CONF_DERIVED.
 *   2. The wording of the provision, then the heading of its subsection, then
 *      of its bill section, then the text of its subsection (first 1,200
 *      bytes): the cue of LOSS_CUES or GAIN_CUES below (for rate changes
 *      RATE_DOWN_CUES / RATE_UP_CUES) that comes first in that text.
 *      Confidence KIT_CONF_LEXICAL.
 * Otherwise the finding says that the text does not show the direction.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fiscal.h"

typedef enum { REVENUE_UNKNOWN, REVENUE_LOSS, REVENUE_GAIN } revenue_direction;

typedef struct reading {
    revenue_direction direction;
    double confidence;
    char evidence[240];
} reading;

/* Tax benefits and other provisions. "repeal of suspension" and "repeal of
 * inclusion" come before the gain cue "repeal of", which they contain. */
static const char *const LOSS_CUES[] = {"allowed as a credit", "refundable credit", "allowed as a deduction",
                                        "shall not be included in gross income", "repeal of suspension",
                                        "repeal of inclusion",
                                        "reinstatement", "permanent extension", "expansion", "expanding",
                                        "enhancement", "increasing", "increase in", NULL};
static const char *const GAIN_CUES[] = {"no deduction shall be allowed", "no credit shall be allowed",
                                        "disallowance", "denial of", "termination of", "repeal of",
                                        "reduction in", NULL};
static const char *const RATE_UP_CUES[] = {"increase", "surtax", "additional tax", NULL};
static const char *const RATE_DOWN_CUES[] = {"reduction", "reducing", "decrease", "repeal", NULL};

/* Rule 1 on the provision's text, else on the innermost section holding it
 * (the lead-in "is amended—" is often quoted and the swaps follow it). */
static int apply_swap(const ps_bill *b, const ps_tax_provision *t, reading *r)
{
    if (t->kind == PS_TAX_OTHER)
        return 0;
    kit_swaps swaps = kit_read_swaps(b, t->quote);
    const ps_section *inner = kit_section_at(b, t->quote.offset);
    if (swaps.count == 0 && inner)
        swaps = kit_read_swaps(b, inner->span);
    int benefit = t->kind != PS_TAX_RATE_CHANGE;
    if (swaps.count == 0 || (swaps.up && swaps.down) || (benefit && swaps.percent))
        return 0;
    int larger = swaps.up > 0;
    r->direction = benefit == larger ? REVENUE_LOSS : REVENUE_GAIN;
    r->confidence = KIT_CONF_DERIVED;
    snprintf(r->evidence, sizeof r->evidence, "the text replaces %g with %g%s, a %s %s", swaps.first_from,
             swaps.first_to, swaps.count > 1 ? " (every swap in the provision goes the same way)" : "",
             larger ? "higher" : "lower", benefit ? "tax-benefit amount" : "rate");
    return 1;
}

/* The cue of either list that comes first in text (the longer on a tie, so
 * "repeal of suspension" wins over "repeal of"): 1 for a cue of the first
 * list, 2 of the second, 0 for none. */
static int first_cue(const char *text, const char *const *a, const char *const *b, const char **cue)
{
    const char *const *lists[2] = {a, b};
    long best = -1;
    int which = 0;
    for (int l = 0; l < 2; l++)
        for (size_t i = 0; lists[l][i]; i++) {
            long at = kit_index_of(text, lists[l][i]);
            if (at < 0 || (best >= 0 && (at > best || (at == best && strlen(lists[l][i]) <= strlen(*cue)))))
                continue;
            best = at;
            *cue = lists[l][i];
            which = l + 1;
        }
    return which;
}

static int apply_cues(const ps_bill *b, const ps_tax_provision *t, reading *r)
{
    char quoted[600], inner_text[1200];
    const ps_section *inner = kit_section_at(b, t->quote.offset);
    const ps_section *outer = kit_bill_section_at(b, t->quote.offset);
    const char *places[4] = {kit_quote(b, t->quote, quoted, sizeof quoted), inner ? inner->heading : NULL,
                             outer ? outer->heading : NULL,
                             inner ? kit_quote(b, inner->span, inner_text, sizeof inner_text) : NULL};
    const char *where[4] = {"the provision's text", "its subsection heading", "its section heading",
                            "the text of its subsection"};
    int rate = t->kind == PS_TAX_RATE_CHANGE;
    for (int i = 0; i < 4; i++) {
        const char *cue = NULL;
        int which = rate ? first_cue(places[i], RATE_DOWN_CUES, RATE_UP_CUES, &cue)
                         : first_cue(places[i], LOSS_CUES, GAIN_CUES, &cue);
        if (which) {
            r->direction = which == 1 ? REVENUE_LOSS : REVENUE_GAIN;
            r->confidence = KIT_CONF_LEXICAL;
            snprintf(r->evidence, sizeof r->evidence, "%s says \"%s\"", where[i], cue);
            return 1;
        }
    }
    return 0;
}

static reading read_direction(const ps_bill *b, const ps_tax_provision *t)
{
    reading r = {REVENUE_UNKNOWN, KIT_CONF_PRINTED, ""};
    if (!apply_swap(b, t, &r) && !apply_cues(b, t, &r))
        snprintf(r.evidence, sizeof r.evidence, "neither a parameter swap nor a documented cue in the text");
    return r;
}

static const char *direction_text(revenue_direction d)
{
    switch (d) {
    case REVENUE_LOSS: return "lowers federal revenue (a new or larger tax benefit)";
    case REVENUE_GAIN: return "raises federal revenue";
    case REVENUE_UNKNOWN: break;
    }
    return "changes revenue in a direction the text does not show";
}

static int refundable(const ps_bill *b, const ps_tax_provision *t)
{
    const ps_section *outer = kit_bill_section_at(b, t->quote.offset);
    return t->kind == PS_TAX_CREDIT && outer && kit_contains(outer->heading, "refundable");
}

static void report_provision(kit_run *k, const ps_tax_provision *t, int counts[3])
{
    const ps_bill *b = k->bill;
    char text[768];
    kit_buf desc;
    reading r = read_direction(b, t);
    counts[r.direction]++;
    kit_buf_init(&desc, text, sizeof text);
    kit_buf_add(&desc, "IRC sec. %s (bill sec. %s), %s: %s; evidence: %s. No revenue estimate is printed, so "
                "no amount is claimed and nothing enters the %s total.",
                t->section ? t->section : "?", t->bill_section ? t->bill_section : "?", kit_tax_kind_name(t->kind),
                direction_text(r.direction), r.evidence, k->period);
    if (refundable(b, t))
        kit_buf_add(&desc, " The credit is refundable: the part paid beyond tax owed is an outlay.");
    kit_thought(k, "analysis", "Tax provision", r.confidence, t->bill_section, "IRC sec. %s (%s): %s.",
                t->section ? t->section : "?", kit_tax_kind_name(t->kind), direction_text(r.direction));
    ps_finding f = {
        .description = text,
        .confidence = r.confidence,
        .impact_magnitude = KIT_IMPACT_UNSIZED,
        .related_section = t->bill_section,
        .quote = t->quote,
    };
    kit_finding(k, &f);
}

/* What the unquantified-effects finding cites: the first credit, else the
 * first "is amended" sentence, else the bill's title. */
static void cite_unquantified(const ps_bill *b, const char **section, ps_span *quote)
{
    for (size_t i = 0; i < b->tax_provision_count; i++)
        if (b->tax_provisions[i]->kind == PS_TAX_CREDIT) {
            *section = b->tax_provisions[i]->bill_section;
            *quote = b->tax_provisions[i]->quote;
            return;
        }
    long at = kit_find(b, kit_all(b), "is amended");
    const ps_section *s = at >= 0 ? kit_bill_section_at(b, (size_t)at) : NULL;
    if (s) {
        *section = s->number;
        *quote = kit_sentence(b, s->span, (size_t)at, 400);
        return;
    }
    kit_cite_bill(b, section, quote);
}

static void report_unquantified(kit_run *k, const int counts[3])
{
    const ps_bill *b = k->bill;
    char text[768], programs[128];
    kit_buf desc;
    const char *section = NULL;
    ps_span quote = {0, 0};
    cite_unquantified(b, &section, &quote);
    kit_buf_init(&desc, text, sizeof text);
    kit_buf_add(&desc, "The bill changes benefits, credits or entitlement rules without printing an amount (R13), "
                "so part of its budget effect is not in the %s total (programs: %s).", k->period,
                kit_program_names(b->programs, programs, sizeof programs));
    if (b->tax_provision_count)
        kit_buf_add(&desc, " Revenue direction of its %zu IRC provisions: %d lower revenue, %d raise it, %d not "
                    "shown by the text.", b->tax_provision_count, counts[REVENUE_LOSS], counts[REVENUE_GAIN],
                    counts[REVENUE_UNKNOWN]);
    kit_thought(k, "concern", "Unquantified effects", KIT_CONF_PRINTED, section,
                "Part of the budget effect has no printed amount; the window total understates or misses it.");
    ps_finding f = {
        .description = text,
        .confidence = KIT_CONF_PRINTED,
        .impact_magnitude = KIT_IMPACT_UNSIZED,
        .related_section = section,
        .quote = quote,
    };
    kit_finding(k, &f);
}

void fiscal_report_taxes(kit_run *k)
{
    int counts[3] = {0, 0, 0};
    for (size_t i = 0; i < k->bill->tax_provision_count && kit_check_cancel(k) == PS_OK; i++)
        report_provision(k, k->bill->tax_provisions[i], counts);
    if (k->bill->unquantified_effects && kit_check_cancel(k) == PS_OK)
        report_unquantified(k, counts);
}
