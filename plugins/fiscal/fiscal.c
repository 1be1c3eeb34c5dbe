/*
 * fiscal — the Fiscal Analyst plugin: what the bill adds to the federal
 * budget in the budget window, counted from the amounts the bill prints under
 * the rules of conf/bills/README.md.
 *
 * Findings (category "fiscal"; each cites its bill section and the enacting
 * text):
 *   - one per group of counted money entries (counted entries of one kind in
 *     one bill section that follow each other; an uncounted "of which"
 *     earmark between them does not split the group): the amounts, the fiscal
 *     years, what counts in the window (R9; no-year and period sums once,
 *     R5/R6), with the band below;
 *   - one per indefinite amount ("such sums as may be necessary"): reported as
 *     indefinite, never as zero (R10);
 *   - the window total, metric "federal_budget_authority_usd": every counted
 *     amount, with fiscal_impact {total, "FY2026-2035", band, is_revenue 0};
 *   - metric "expected_federal_cost_usd": fiscal's estimate of what the bill
 *     will cost in the window. Fiscal follows CBO's convention for cost
 *     estimates of authorization bills, which assume appropriation of the
 *     authorized amounts, so its estimate is the top of the band; the economic
 *     analyst estimates the same quantity at the band's middle (economic.c),
 *     and the two debate it on authorization bills;
 *   - per IRC provision, the revenue direction the text shows, and the
 *     unquantified budget effects (R13): fiscal_tax.c.
 *
 * Band rule (fiscal_impact low/mid/high; conf/data/README.md): an
 * appropriation or direct spending is budget authority once the bill is law,
 * so low = mid = high = the amount. An authorization of appropriations
 * provides no budget authority until an appropriation act does (GAO,
 * Principles of Federal Appropriations Law, ch. 2), so low =
 * authorization_low_rate x amount (setting, default 0) and mid = high = the
 * amount (the CBO convention above). Confidence of the estimate:
 * kit_band_confidence (analyst_kit/kit.h).
 */
#include <stdlib.h>
#include <string.h>
#include "kit.h"
#include "fiscal.h"

#define METRIC_BUDGET_AUTHORITY "federal_budget_authority_usd"
#define METRIC_EXPECTED_COST "expected_federal_cost_usd"
#define GROUP_QUOTE_MAX 1200 /* longer group spans cite the first entry only */

static const char FISCAL_METHOD[] =
    "I count every printed appropriation, direct-spending and authorization amount in the window (rule R9) and, "
    "as CBO's cost estimates do, assume the authorized amounts are appropriated.";

typedef struct fiscal_settings {
    double authorization_low_rate;
    int64_t max_group_findings;
} fiscal_settings;

/* Window sums and counts gathered while walking the money entries. */
typedef struct tally {
    int64_t total, enacted, authorized;  /* all / appropriation + direct / authorizations */
    int64_t by_kind[PS_MONEY_OTHER + 1];
    int64_t by_year[KIT_MAX_WINDOW_YEARS];
    int64_t once;                        /* R5/R6 sums tied to no single year */
    size_t counted, indefinite, uncounted, groups;
    int64_t largest;
    const char *largest_section;
    ps_span largest_quote;
    int64_t summarized;                  /* groups past max_group_findings */
    size_t summarized_groups;
} tally;

static int same_group(const ps_money *a, const ps_money *b)
{
    return a->kind == b->kind && strcmp(kit_label(a->bill_section), kit_label(b->bill_section)) == 0;
}

/* "FY2026-FY2030", "FY2027, FY2029" for ascending years. */
static void add_year_list(kit_buf *out, const uint16_t *years, size_t count)
{
    for (size_t i = 0; i < count;) {
        size_t j = i;
        while (j + 1 < count && years[j + 1] == years[j] + 1)
            j++;
        kit_buf_add(out, "%sFY%u", i ? ", " : "", years[i]);
        if (j > i)
            kit_buf_add(out, "-FY%u", years[j]);
        i = j + 1;
    }
}

static void add_years(kit_buf *out, const ps_money *m)
{
    add_year_list(out, m->years, m->year_count);
    if (m->open_ended)
        kit_buf_add(out, " and each fiscal year thereafter (counted through the window's end, R4)");
}

/* One amount for single, successive years ("$83,403,000 for each of
 * FY2026-FY2030"), when every entry of the group prints the same sum for one
 * year; 0 otherwise. */
static int add_same_amount(kit_buf *out, const ps_money *const *g, size_t n)
{
    uint16_t years[64];
    char usd[40];
    if (n < 2 || n > sizeof years / sizeof years[0])
        return 0;
    for (size_t i = 0; i < n; i++) {
        if (g[i]->amount_usd != g[0]->amount_usd || g[i]->year_count != 1 || g[i]->period_total ||
            g[i]->open_ended || (i && g[i]->years[0] <= years[i - 1]))
            return 0;
        years[i] = g[i]->years[0];
    }
    kit_buf_add(out, "%s for each of ", kit_usd((double)g[0]->amount_usd, usd, sizeof usd));
    add_year_list(out, years, n);
    return 1;
}

static void add_entry_terms(kit_buf *out, const ps_money *m, int ws, int we)
{
    char usd[40];
    kit_buf_add(out, "%s", kit_usd((double)m->amount_usd, usd, sizeof usd));
    if (m->year_count == 0) {
        kit_buf_add(out, " with no fiscal year stated (counted once, R5)");
        return;
    }
    kit_buf_add(out, m->period_total ? " for the period " : m->year_count > 1 ? " for each of " : " for ");
    add_years(out, m);
    if (m->period_total)
        kit_buf_add(out, " (one lump sum, counted once, R6)");
    int outside = (int)m->year_count - kit_years_in_window(m, ws, we);
    if (outside > 0 && !m->period_total)
        kit_buf_add(out, " (%d listed year%s outside the window add nothing)", outside, outside > 1 ? "s" : "");
}

/* The band of one kind of money: see the header comment. */
static ps_fiscal_impact band_for(const kit_run *k, const fiscal_settings *cfg, int64_t enacted, int64_t authorized)
{
    double total = (double)(enacted + authorized);
    ps_fiscal_impact fi = {
        .struct_size = sizeof fi,
        .amount_billions = total / 1e9,
        .time_period = k->period,
        .confidence_low = ((double)enacted + cfg->authorization_low_rate * (double)authorized) / 1e9,
        .confidence_mid = total / 1e9,
        .confidence_high = total / 1e9,
        .is_revenue = 0,
    };
    return fi;
}

static ps_span group_quote(const ps_money *const *g, size_t n)
{
    size_t start = g[0]->quote.offset, end = start + g[0]->quote.length;
    for (size_t i = 1; i < n; i++) {
        if (g[i]->quote.offset < start)
            start = g[i]->quote.offset;
        if (g[i]->quote.offset + g[i]->quote.length > end)
            end = g[i]->quote.offset + g[i]->quote.length;
    }
    return end - start <= GROUP_QUOTE_MAX ? (ps_span){start, end - start} : g[0]->quote;
}

static void tally_entry(tally *t, const ps_money *m, int ws, int we)
{
    int64_t sum = kit_money_in_window(m, ws, we);
    t->total += sum;
    t->by_kind[m->kind] += sum;
    if (m->kind == PS_MONEY_AUTHORIZATION)
        t->authorized += sum;
    else
        t->enacted += sum;
    t->counted++;
    if (m->year_count == 0 || m->period_total) {
        t->once += sum;
        return;
    }
    for (size_t i = 0; i < m->year_count; i++)
        if (m->years[i] >= ws && m->years[i] <= we)
            t->by_year[m->years[i] - ws] += m->amount_usd;
}

/* One finding (or, past the cap, a share of the summary) per group. */
static void report_group(kit_run *k, const fiscal_settings *cfg, tally *t, const ps_money *const *g, size_t n)
{
    char text[1024], usd[40], calc[512];
    kit_buf desc, work;
    int64_t sum = 0;
    for (size_t i = 0; i < n; i++) {
        sum += kit_money_in_window(g[i], k->window_start, k->window_end);
        tally_entry(t, g[i], k->window_start, k->window_end);
    }
    ps_span quote = group_quote(g, n);
    if (sum > t->largest || !t->largest_section) {
        t->largest = sum;
        t->largest_section = kit_label(g[0]->bill_section);
        t->largest_quote = quote;
    }
    kit_buf_init(&work, calc, sizeof calc);
    for (size_t i = 0; i < n; i++)
        kit_buf_add(&work, "%s%s", i ? " + " : "",
                    kit_usd((double)kit_money_in_window(g[i], k->window_start, k->window_end), usd, sizeof usd));
    kit_thought(k, "calculation", "Counted money", KIT_CONF_PRINTED, g[0]->bill_section, "Sec. %s, %s: %s = %s in %s.",
                kit_label(g[0]->bill_section), kit_kind_name(g[0]->kind), calc, kit_usd((double)sum, usd, sizeof usd),
                k->period);
    if (++t->groups > (size_t)cfg->max_group_findings) {
        t->summarized += sum;
        t->summarized_groups++;
        return;
    }
    kit_buf_init(&desc, text, sizeof text);
    kit_buf_add(&desc, "Sec. %s", kit_label(g[0]->bill_section));
    if (n > 1 || strcmp(kit_label(g[0]->section), kit_label(g[0]->bill_section)) != 0)
        kit_buf_add(&desc, " (%s%s%s)", kit_label(g[0]->section), n > 1 ? " to " : "",
                    n > 1 ? kit_label(g[n - 1]->section) : "");
    kit_buf_add(&desc, ": %s of ", kit_kind_name(g[0]->kind));
    for (size_t i = 0; !add_same_amount(&desc, g, n) && i < n; i++) {
        kit_buf_add(&desc, "%s", i ? "; " : "");
        add_entry_terms(&desc, g[i], k->window_start, k->window_end);
    }
    kit_buf_add(&desc, ". %s counts in %s.", kit_usd((double)sum, usd, sizeof usd), k->period);
    if (g[0]->kind == PS_MONEY_AUTHORIZATION)
        kit_buf_add(&desc, " An authorization: no money is available until an appropriation act provides it.");
    int authorization = g[0]->kind == PS_MONEY_AUTHORIZATION;
    ps_fiscal_impact fi = band_for(k, cfg, authorization ? 0 : sum, authorization ? sum : 0);
    ps_finding f = {
        .description = text,
        .confidence = KIT_CONF_PRINTED,
        .impact_magnitude = kit_impact_from_usd((double)sum),
        .fiscal_impact = &fi,
        .related_section = g[0]->bill_section,
        .quote = quote,
    };
    kit_finding(k, &f);
}

static void report_indefinite(kit_run *k, tally *t, const ps_money *m)
{
    char text[768], quoted[240];
    kit_buf desc;
    t->indefinite++;
    kit_buf_init(&desc, text, sizeof text);
    kit_buf_add(&desc, "Sec. %s (%s): %s of an indefinite amount (\"%s\"). No amount is printed, so it adds an "
                "unknown cost that the %s total leaves out (R10); it is not zero.",
                kit_label(m->bill_section), kit_label(m->section), kit_kind_name(m->kind),
                kit_quote(k->bill, m->quote, quoted, sizeof quoted), k->period);
    if (m->note)
        kit_buf_add(&desc, " Note: %s.", m->note);
    kit_thought(k, "concern", "Indefinite amount", KIT_CONF_PRINTED, m->bill_section,
                "Sec. %s authorizes or provides such sums as may be necessary: the cost is open, not zero.",
                kit_label(m->bill_section));
    ps_finding f = {
        .description = text,
        .confidence = KIT_CONF_PRINTED,
        .impact_magnitude = KIT_IMPACT_UNSIZED,
        .related_section = m->bill_section,
        .quote = m->quote,
    };
    kit_finding(k, &f);
}

static void note_uncounted(kit_run *k, tally *t, const ps_money *m)
{
    char usd[40];
    t->uncounted++;
    kit_thought(k, "observation", "Not counted", KIT_CONF_PRINTED, m->bill_section,
                "Sec. %s (%s): %s %s is not new budget authority and is not counted (R2)%s%s.",
                kit_label(m->bill_section), kit_label(m->section), kit_kind_name(m->kind),
                m->amount_printed ? kit_usd((double)m->amount_usd, usd, sizeof usd) : "(amount not printed)",
                m->note ? ": " : "", m->note ? m->note : "");
}

/* Indefinite and uncounted entries first, then the counted ones in groups:
 * runs of the same kind in the same bill section among the counted entries
 * (an "of which" earmark between two years does not split a group). */
static void walk_money(kit_run *k, const fiscal_settings *cfg, tally *t)
{
    const ps_bill *b = k->bill;
    const ps_money **counted = calloc(b->money_count ? b->money_count : 1, sizeof *counted);
    size_t n = 0;
    if (!counted) {
        k->rc = PS_ENOMEM;
        return;
    }
    for (size_t i = 0; i < b->money_count && kit_check_cancel(k) == PS_OK; i++) {
        const ps_money *m = b->money[i];
        if (m->indefinite)
            report_indefinite(k, t, m);
        else if (!kit_countable(m))
            note_uncounted(k, t, m);
        else
            counted[n++] = m;
    }
    for (size_t i = 0; i < n && kit_check_cancel(k) == PS_OK;) {
        size_t end = i + 1;
        while (end < n && same_group(counted[i], counted[end]))
            end++;
        report_group(k, cfg, t, counted + i, end - i);
        i = end;
    }
    free(counted);
}

static void report_breakdown(kit_run *k, const tally *t)
{
    char text[1024], usd[40];
    kit_buf out;
    kit_buf_init(&out, text, sizeof text);
    for (int kind = PS_MONEY_AUTHORIZATION; kind <= PS_MONEY_DIRECT_SPENDING; kind++)
        kit_buf_add(&out, "%s%s %s", kind > PS_MONEY_AUTHORIZATION ? "; " : "", kit_kind_name((ps_money_kind)kind),
                    kit_usd_short((double)t->by_kind[kind], usd, sizeof usd));
    kit_thought(k, "analysis", "By kind", KIT_CONF_PRINTED, NULL, "Window sums by kind: %s.", text);
    kit_buf_init(&out, text, sizeof text);
    for (int y = k->window_start; y <= k->window_end; y++)
        if (t->by_year[y - k->window_start])
            kit_buf_add(&out, "FY%d %s; ", y, kit_usd_short((double)t->by_year[y - k->window_start], usd, sizeof usd));
    if (t->once)
        kit_buf_add(&out, "sums counted once (no year or a period) %s; ",
                    kit_usd_short((double)t->once, usd, sizeof usd));
    kit_thought(k, "analysis", "By fiscal year", KIT_CONF_PRINTED, NULL, "%s",
                out.length ? text : "No counted amount falls in any fiscal year of the window.");
    if (t->summarized_groups)
        kit_thought(k, "observation", "More groups", KIT_CONF_PRINTED, NULL,
                    "%zu further groups of money (%s) are included in the total without findings of their own "
                    "(setting max_group_findings).", t->summarized_groups,
                    kit_usd_short((double)t->summarized, usd, sizeof usd));
}

static void report_totals(kit_run *k, const fiscal_settings *cfg, const tally *t)
{
    char text[1024], total_usd[40], appropriated[40], direct[40], authorized[40], low[40], high[40];
    kit_buf desc;
    const char *section = t->largest_section;
    ps_span quote = t->largest_quote;
    if (!section)
        kit_cite_bill(k->bill, &section, &quote);
    ps_fiscal_impact fi = band_for(k, cfg, t->enacted, t->authorized);
    double share = kit_known_share(k->bill);
    kit_buf_init(&desc, text, sizeof text);
    kit_buf_add(&desc, "The bill provides or authorizes %s of budget authority in %s: %zu counted amount%s "
                "(appropriations %s, direct spending %s, authorizations %s).",
                kit_usd((double)t->total, total_usd, sizeof total_usd), k->period, t->counted,
                t->counted == 1 ? "" : "s",
                kit_usd_short((double)t->by_kind[PS_MONEY_APPROPRIATION], appropriated, sizeof appropriated),
                kit_usd_short((double)t->by_kind[PS_MONEY_DIRECT_SPENDING], direct, sizeof direct),
                kit_usd_short((double)t->by_kind[PS_MONEY_AUTHORIZATION], authorized, sizeof authorized));
    if (t->indefinite)
        kit_buf_add(&desc, " %zu indefinite amount%s an unknown sum not in this total.", t->indefinite,
                    t->indefinite == 1 ? " adds" : "s add");
    if (k->bill->unquantified_effects)
        kit_buf_add(&desc, " Benefit, credit or entitlement changes without a printed amount are not in it either.");
    ps_finding total = {
        .description = text,
        .confidence = KIT_CONF_PRINTED * share,
        .impact_magnitude = kit_impact_from_usd((double)t->total),
        .fiscal_impact = &fi,
        .related_section = section,
        .metric = METRIC_BUDGET_AUTHORITY,
        .value = (double)t->total,
        .quote = quote,
    };
    kit_finding(k, &total);

    kit_buf_init(&desc, text, sizeof text);
    kit_buf_add(&desc, "Expected federal cost in %s: %s. %s The band runs from %s (authorized amounts never "
                "appropriated) to %s.", k->period, kit_usd_short((double)t->total, total_usd, sizeof total_usd),
                FISCAL_METHOD, kit_usd_short(fi.confidence_low * 1e9, low, sizeof low),
                kit_usd_short(fi.confidence_high * 1e9, high, sizeof high));
    if (t->counted)
        kit_buf_add(&desc, " Evidence: the amounts in sec. %s (the largest) and %zu other counted amount%s.", section,
                    t->counted - 1, t->counted == 2 ? "" : "s");
    else
        kit_buf_add(&desc, " Evidence: the text prints no counted amount.");
    ps_finding expected = total;
    expected.description = text;
    expected.metric = METRIC_EXPECTED_COST;
    expected.confidence =
        kit_band_confidence(fi.confidence_low * 1e9, (double)t->total, fi.confidence_high * 1e9, share);
    kit_finding(k, &expected);
    kit_thought(k, "conclusion", "Window total", expected.confidence, section,
                "Total counted in %s: %s (%zu amounts, %zu indefinite, %zu not counted).", k->period,
                kit_usd((double)t->total, total_usd, sizeof total_usd), t->counted, t->indefinite, t->uncounted);
}

static void fiscal_analyze(kit_run *k, const void *settings)
{
    const fiscal_settings *cfg = settings;
    const ps_bill *bill = k->bill;
    tally t;
    memset(&t, 0, sizeof t);
    kit_thought(k, "observation", "Inventory", KIT_CONF_PRINTED, NULL,
                "%zu sections, %zu money entries, %zu IRC provisions; budget window %s.", bill->section_count,
                bill->money_count, bill->tax_provision_count, k->period);
    walk_money(k, cfg, &t);
    if (kit_check_cancel(k) == PS_OK)
        report_breakdown(k, &t);
    if (kit_check_cancel(k) == PS_OK)
        fiscal_report_taxes(k);
    if (kit_check_cancel(k) == PS_OK)
        report_totals(k, cfg, &t);
}

static const char *fiscal_method(const char *metric)
{
    if (strcmp(metric, METRIC_EXPECTED_COST) == 0)
        return FISCAL_METHOD;
    if (strcmp(metric, METRIC_BUDGET_AUTHORITY) == 0)
        return "I add every counted amount the bill prints in the window (rule R9).";
    return NULL;
}

static const ps_setting_def SET_LOW_RATE = {
    sizeof(ps_setting_def), "authorization_low_rate", PS_SETTING_DOUBLE, "0", 0,
    "share of authorized amounts at the low end of the band (an authorization alone provides no money)", 1, 0, 1};
static const ps_setting_def SET_MAX_GROUPS = {
    sizeof(ps_setting_def), "max_group_findings", PS_SETTING_INT, "50", 0,
    "money groups reported one finding each; further groups are summed into the total", 1, 1, 10000};
static const ps_setting_def *const SETTINGS[] = {&SET_LOW_RATE, &SET_MAX_GROUPS, NULL};

static int fiscal_read_settings(const ps_host_api *api, ps_instance *inst, void *settings)
{
    fiscal_settings *cfg = settings;
    cfg->authorization_low_rate = api->setting_double(inst, SET_LOW_RATE.name);
    cfg->max_group_findings = api->setting_int(inst, SET_MAX_GROUPS.name);
    return PS_OK;
}

const kit_analyst KIT_ANALYST = {
    .agent = KIT_ANALYST_AGENT(
        .name = "fiscal", .label = "Fiscal Analyst", .icon = "$", .agent_type = "fiscal", .version = "1.0.0",
        .description = "Counts the budget authority a bill provides or authorizes in the budget window, cites each "
                       "amount, and reports indefinite amounts and the revenue direction of tax provisions.",
        .settings = SETTINGS),
    .settings_size = sizeof(fiscal_settings),
    .read_settings = fiscal_read_settings,
    .analyze = fiscal_analyze,
    .method_for = fiscal_method,
};
