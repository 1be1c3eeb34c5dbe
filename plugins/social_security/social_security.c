/*
 * social_security — the Social Security Analyst plugin: what the bill
 * changes in OASDI benefits, credited earnings and the payroll taxes that
 * finance them, and which way the trust funds move.
 *
 * Scope: bill sections that carry title II of the Social Security Act (when
 * the ingest tags the bill social_security, rules in conf/bills/README.md),
 * and amendments of the IRC sections that finance OASDI (FICA 3101, 3102,
 * 3111, 3121; SECA 1401, 1402; the tax on benefits, 86). Sections headed
 * "Short title", "Findings", "Sense of Congress" or "Purpose" are skipped.
 *
 * Findings (category "social_security"), each citing the bill text:
 *   - one per title II section: topics, direction of OASI/DI outlays
 *     (social_security_reading.c), benefit parameters printed in it, counted
 *     money, its effective date (and whether it precedes the budget window);
 *   - one per payroll-tax or benefit-taxation provision: its role and the
 *     direction of trust fund income (a rate swap, or the revenue cues of the
 *     provision's kind), and whether the text holds the trust funds harmless;
 *   - metric "social_security_spending_usd" when title II sections hold
 *     counted money (R9 window total);
 *   - with none of these: one low-impact finding that the bill has no Social
 *     Security provisions (KIT_CONF_ABSENCE), citing the long title.
 */
#include <stdio.h>
#include <string.h>
#include "kit.h"
#include "social_security.h"

#define METRIC_SS_SPENDING "social_security_spending_usd"

typedef struct ss_totals {
    size_t sections, provisions;
    kit_money_sum money;
} ss_totals;

static void add_effective_date(kit_run *k, const ps_section *s, kit_buf *desc)
{
    char quoted[320];
    ps_span effective = kit_effective_date(k->bill, s);
    if (!effective.length)
        return;
    int year = kit_first_year(k->bill, effective);
    kit_buf_add(desc, " Effective: \"%s\"", kit_quote(k->bill, effective, quoted, sizeof quoted));
    if (year && year < k->window_start)
        kit_buf_add(desc, " (%d, before the first fiscal year of the %s window).", year, k->period);
}

static void report_section(kit_run *k, const ps_section *s, const ss_marker *marker, ss_totals *t)
{
    char text[1280];
    kit_buf desc;
    ss_reading r = ss_read_section(k->bill, s);
    kit_buf_init(&desc, text, sizeof text);
    kit_buf_add(&desc, "Sec. %s (%s) amends Social Security (%s): %s. %s", s->number,
                s->heading ? s->heading : "untitled", marker->what,
                r.topics[0] ? r.topics : "provisions the documented lexicon does not name", r.direction);
    if (r.impact != KIT_IMPACT_MINOR)
        kit_buf_add(&desc, " Benefits are paid from the %s trust fund, so its balance moves the other way.", r.fund);
    kit_section_money(k, s, &desc, &t->money);
    add_effective_date(k, s, &desc);
    kit_thought(k, "analysis", "Title II section", r.confidence, s->number, "Sec. %s names %s; topics: %s.",
                s->number, marker->what, r.topics[0] ? r.topics : "none named");
    ps_finding f = {
        .description = text,
        .confidence = r.confidence,
        .impact_magnitude = r.impact,
        .related_section = s->number,
        .quote = kit_sentence(k->bill, s->span, marker->at, 400),
    };
    t->sections++;
    kit_finding(k, &f);
}

static const char *const INCOME_DOWN_CUES[] = {"repeal", "terminat", "reduc", "eliminat", "exclu", NULL};
static const char *const INCOME_UP_CUES[] = {"increas", "expan", NULL};

/* A cue of list in the headings of the provision's bill section or innermost
 * section, or NULL. */
static const char *heading_cue(const ps_bill *b, const ps_tax_provision *p, const char *const *list)
{
    const ps_section *outer = kit_bill_section_at(b, p->quote.offset);
    const ps_section *inner = kit_section_at(b, p->quote.offset);
    for (size_t i = 0; list[i]; i++)
        if ((outer && kit_contains(outer->heading, list[i])) || (inner && kit_contains(inner->heading, list[i])))
            return list[i];
    return NULL;
}

/* Direction of trust fund income from a payroll-tax or benefit-tax change:
 * a rate or base swap (KIT_CONF_DERIVED); a tax benefit kind, or a heading
 * cue of INCOME_DOWN_CUES / INCOME_UP_CUES (KIT_CONF_LEXICAL). */
static const char *income_direction(const ps_bill *b, const ps_tax_provision *p, double *confidence)
{
    kit_swaps swaps = kit_read_swaps(b, p->quote);
    const ps_section *inner = kit_section_at(b, p->quote.offset);
    if (swaps.count == 0 && inner)
        swaps = kit_read_swaps(b, inner->span);
    *confidence = KIT_CONF_DERIVED;
    if (swaps.count && !(swaps.up && swaps.down) && (p->kind == PS_TAX_RATE_CHANGE || swaps.percent))
        return swaps.up ? "trust fund income rises (a higher rate or base in the text)"
                        : "trust fund income falls (a lower rate or base in the text)";
    *confidence = KIT_CONF_LEXICAL;
    if (p->kind == PS_TAX_EXCLUSION || p->kind == PS_TAX_DEDUCTION || p->kind == PS_TAX_CREDIT)
        return "trust fund income falls (less income is taxed: a new or wider exclusion, deduction or credit)";
    const char *down = heading_cue(b, p, INCOME_DOWN_CUES), *up = heading_cue(b, p, INCOME_UP_CUES);
    if (down && !up)
        return "trust fund income falls (a heading of the provision speaks of a repeal, reduction or exclusion)";
    if (up && !down)
        return "trust fund income rises (a heading of the provision speaks of an increase)";
    *confidence = KIT_CONF_PRINTED;
    return "the text does not show the direction of trust fund income";
}

static void report_provision(kit_run *k, const ps_tax_provision *p, const char *role, ss_totals *t)
{
    char text[900], quoted[240];
    kit_buf desc;
    double confidence;
    size_t harmless_at;
    const char *direction = income_direction(k->bill, p, &confidence);
    kit_buf_init(&desc, text, sizeof text);
    kit_buf_add(&desc, "IRC sec. %s (bill sec. %s), %s: %s; %s.", p->section ? p->section : "?",
                p->bill_section ? p->bill_section : "?", kit_tax_kind_name(p->kind), role, direction);
    if (ss_held_harmless(k->bill, &harmless_at)) {
        const ps_section *where = kit_bill_section_at(k->bill, harmless_at);
        ps_span sentence = kit_sentence(k->bill, where ? where->span : kit_all(k->bill), harmless_at, 220);
        kit_buf_add(&desc, " The bill holds the trust funds harmless (sec. %s: \"%s\"): general revenue replaces "
                    "the lost income, so the cost falls on the general fund, not on OASDI.",
                    where ? where->number : "?", kit_quote(k->bill, sentence, quoted, sizeof quoted));
    }
    kit_thought(k, "analysis", "Payroll or benefit tax", confidence, p->bill_section, "IRC sec. %s: %s.",
                p->section ? p->section : "?", role);
    ps_finding f = {
        .description = text,
        .confidence = confidence,
        .impact_magnitude = KIT_IMPACT_UNSIZED,
        .related_section = p->bill_section,
        .quote = p->quote,
    };
    t->provisions++;
    kit_finding(k, &f);
}

static void report_spending(kit_run *k, const ss_totals *t)
{
    char text[400], usd[40];
    snprintf(text, sizeof text, "Counted money (rule R9) in the bill's title II sections: %s in %s.",
             kit_usd((double)t->money.usd, usd, sizeof usd), k->period);
    kit_money_finding(k, &t->money, METRIC_SS_SPENDING, text);
}

static void walk_sections(kit_run *k, ss_totals *t)
{
    const ps_bill *b = k->bill;
    if (!(b->programs & PS_PROGRAM_SOCIAL_SECURITY))
        return;
    for (size_t i = 0; i < b->section_count && kit_check_cancel(k) == PS_OK; i++) {
        const ps_section *s = b->sections[i];
        ss_marker marker;
        if (s->depth == 0 && !kit_enacts_nothing(s) && ss_find_marker(b, s, &marker))
            report_section(k, s, &marker, t);
    }
}

static void walk_provisions(kit_run *k, ss_totals *t)
{
    for (size_t i = 0; i < k->bill->tax_provision_count && kit_check_cancel(k) == PS_OK; i++) {
        const ps_tax_provision *p = k->bill->tax_provisions[i];
        const char *role = ss_payroll_role(p->section);
        if (role)
            report_provision(k, p, role, t);
    }
}

static void ss_analyze(kit_run *k, const void *settings)
{
    (void)settings;
    const ps_bill *bill = k->bill;
    kit_thought(k, "observation", "Scope", KIT_CONF_PRINTED, NULL,
                "The bill is %stagged social_security; reading its %zu sections and %zu IRC provisions for title II "
                "and payroll-tax changes.", bill->programs & PS_PROGRAM_SOCIAL_SECURITY ? "" : "not ",
                bill->section_count, bill->tax_provision_count);
    ss_totals t;
    memset(&t, 0, sizeof t);
    walk_sections(k, &t);
    walk_provisions(k, &t);
    if (kit_check_cancel(k) != PS_OK)
        return;
    if (t.sections == 0 && t.provisions == 0)
        kit_report_absence(k, "No Social Security provisions",
                           "No Social Security provisions: no section carries title II of the Social Security Act "
                           "under the tagging rules, and the bill amends none of IRC secs. 86, 1401, 1402, 3101, "
                           "3102, 3111 and 3121, so OASDI benefits, credited earnings, payroll taxes and the trust "
                           "funds are unchanged.");
    else if (t.money.usd > 0)
        report_spending(k, &t);
}

static const char *ss_method(const char *metric)
{
    if (strcmp(metric, METRIC_SS_SPENDING) == 0)
        return "I add the counted money (rule R9) printed in the sections that carry title II.";
    return NULL;
}

const kit_analyst KIT_ANALYST = {
    .agent = KIT_ANALYST_AGENT(
        .name = "social_security", .label = "Social Security Analyst", .icon = "SS",
        .agent_type = "social_security", .version = "1.0.0",
        .description = "Finds what a bill changes in OASDI benefits, credited earnings and the payroll taxes that "
                       "finance them, and which way the Social Security trust funds move."),
    .analyze = ss_analyze,
    .method_for = ss_method,
};
