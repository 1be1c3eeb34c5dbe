/*
 * healthcare — the Healthcare Analyst plugin: what the bill changes in
 * Medicare, Medicaid and other federal health programs, and the health money
 * it provides.
 *
 * Which programs: the ingest's tags (ps_bill.programs, rules in
 * conf/bills/README.md) decide which health programs the bill touches; this
 * plugin then finds the bill sections that carry each tagged program, by the
 * markers below, and reads them. Sections headed "Short title", "Findings",
 * "Sense of Congress" or "Purpose" enact nothing and are skipped.
 *
 * Findings (category "healthcare"), one per health section, citing the
 * sentence with the program's marker: the programs, what the section changes
 * (topics), the direction of federal health spending where the wording shows
 * it (healthcare_reading.c), the Medicare trust fund involved, the money and
 * benefit parameters printed in it, and its effective date. Plus:
 *   - metric "federal_health_spending_usd" when health sections hold counted
 *     money: their window total under rule R9 (confidence KIT_CONF_PRINTED x
 *     kit_known_share);
 *   - with no health program tagged: one low-impact finding that the bill has
 *     no health provisions (KIT_CONF_ABSENCE), citing the long title, so the
 *     swarm hears the healthcare view on every bill.
 */
#include <string.h>
#include "kit.h"
#include "healthcare.h"

#define METRIC_HEALTH_SPENDING "federal_health_spending_usd"
#define HEALTH_PROGRAMS (PS_PROGRAM_MEDICARE | PS_PROGRAM_MEDICAID | PS_PROGRAM_HEALTH_OTHER)

typedef struct health_totals {
    size_t sections;
    kit_money_sum money;
} health_totals;

static int section_has_money(const ps_bill *b, const ps_section *s)
{
    for (size_t i = 0; i < b->money_count; i++)
        if (kit_section_holds(s, b->money[i]->quote.offset) && (b->money[i]->indefinite || kit_countable(b->money[i])))
            return 1;
    return 0;
}

static void report_section(kit_run *k, const ps_section *s, const health_marker *marker, health_totals *t)
{
    char text[1280], quoted[320], programs[160];
    kit_buf desc;
    health_reading r = health_read_section(k->bill, s, section_has_money(k->bill, s));
    kit_buf_init(&desc, text, sizeof text);
    kit_buf_add(&desc, "Sec. %s (%s) changes %s", s->number, s->heading ? s->heading : "untitled",
                health_program_list(k->bill, s, k->bill->programs, programs, sizeof programs));
    kit_buf_add(&desc, ": %s.", r.topics[0] ? r.topics : "provisions whose topic the documented lexicon does not name");
    kit_buf_add(&desc, " %s", r.direction_text);
    if (r.trust_fund_text[0])
        kit_buf_add(&desc, " %s", r.trust_fund_text);
    int64_t money = kit_section_money(k, s, &desc, &t->money);
    ps_span effective = kit_effective_date(k->bill, s);
    if (effective.length)
        kit_buf_add(&desc, " Effective: \"%s\"", kit_quote(k->bill, effective, quoted, sizeof quoted));
    kit_thought(k, "analysis", "Health section", r.confidence, s->number, "Sec. %s names %s (\"%s\"); topics: %s.",
                s->number, marker->program, marker->cue, r.topics[0] ? r.topics : "none named");
    ps_finding f = {
        .description = text,
        .confidence = r.confidence,
        .impact_magnitude = money > 0 ? kit_impact_from_usd((double)money) : r.impact,
        .related_section = s->number,
        .quote = kit_sentence(k->bill, s->span, marker->at, 400),
    };
    t->sections++;
    kit_finding(k, &f);
}

static void report_spending(kit_run *k, const health_totals *t)
{
    char text[512], usd[40];
    kit_buf desc;
    kit_buf_init(&desc, text, sizeof text);
    kit_buf_add(&desc, "Federal health spending the bill provides or authorizes in %s: %s, the counted money "
                "(rule R9) in its %zu health section%s; indefinite health amounts and benefit changes without a "
                "printed amount come on top.", k->period, kit_usd((double)t->money.usd, usd, sizeof usd),
                t->sections, t->sections == 1 ? "" : "s");
    kit_thought(k, "conclusion", "Health money", KIT_CONF_PRINTED * kit_known_share(k->bill), t->money.section, "%s",
                text);
    kit_money_finding(k, &t->money, METRIC_HEALTH_SPENDING, text);
}

static void report_no_health(kit_run *k, const char *reason)
{
    kit_report_absence(k, "No health provisions",
                       "No health provisions: %s, so the bill changes no Medicare, Medicaid or other federal health "
                       "program and provides no health money.", reason);
}

static void healthcare_analyze(kit_run *k, const void *settings)
{
    (void)settings;
    const ps_bill *bill = k->bill;
    char programs[128];
    uint32_t tagged = bill->programs & HEALTH_PROGRAMS;
    kit_thought(k, "observation", "Programs", KIT_CONF_PRINTED, NULL, "Health programs the bill touches: %s.",
                tagged ? kit_program_names(tagged, programs, sizeof programs) : "none");
    if (!tagged) {
        report_no_health(k, "the text amends no health program under the tagging rules");
        return;
    }
    health_totals t;
    memset(&t, 0, sizeof t);
    for (size_t i = 0; i < bill->section_count && kit_check_cancel(k) == PS_OK; i++) {
        const ps_section *s = bill->sections[i];
        health_marker marker;
        if (s->depth == 0 && !kit_enacts_nothing(s) && health_find_marker(bill, s, tagged, &marker))
            report_section(k, s, &marker, &t);
    }
    if (kit_check_cancel(k) != PS_OK)
        return;
    if (t.sections == 0)
        report_no_health(k, "no section names a tagged health program with a documented marker");
    else if (t.money.usd > 0)
        report_spending(k, &t);
}

static const char *healthcare_method(const char *metric)
{
    if (strcmp(metric, METRIC_HEALTH_SPENDING) == 0)
        return "I add the counted money (rule R9) printed in the sections that carry a tagged health program.";
    return NULL;
}

const kit_analyst KIT_ANALYST = {
    .agent = KIT_ANALYST_AGENT(
        .name = "healthcare", .label = "Healthcare Analyst", .icon = "+", .agent_type = "healthcare",
        .version = "1.0.0",
        .description = "Finds what a bill changes in Medicare, Medicaid and other federal health programs, the "
                       "direction of federal health spending and the trust funds involved, and the health money it "
                       "provides."),
    .analyze = healthcare_analyze,
    .method_for = healthcare_method,
};
