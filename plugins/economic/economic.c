/*
 * economic — the Economic Analyst plugin: expected federal spending in the
 * budget window and its effect on output and employment, as ranges.
 *
 * Findings (category "economic"; each cites a bill section and its text):
 *   - metric "expected_federal_cost_usd": appropriations and direct spending
 *     at their printed amounts plus authorizations x authorization_funding_rate
 *     (default 0.5: the middle of the band between "never appropriated" and
 *     "appropriated in full", since an authorization provides no money by
 *     itself and no published rate of funding across programs exists; set it
 *     from a program's appropriation history when known). The fiscal analyst
 *     estimates the same quantity at the top of the band (CBO's convention),
 *     so the two disagree on authorization bills for a documented reason and
 *     agree on appropriation bills. Confidence: kit_band_confidence.
 *   - metric "output_effect_usd": the cumulative effect on GDP of that
 *     spending, the midpoint of the range Σ spending(category) x [low, high]
 *     multiplier. Multiplier ranges: CBO, "Estimated Impact of the American
 *     Recovery and Reinvestment Act on Employment and Economic Output from
 *     October 2012 Through December 2012" (February 2013), as reproduced in
 *     the 2014 Economic Report of the President, Table 3-5; shipped in
 *     conf/data/cbo_output_multipliers.tsv and overridable by the settings.
 *     Confidence: the expected-cost confidence x kit_band_factor of the
 *     midpoint in the multiplier range.
 *   - metric "employment_effect_job_years": output / output_per_job_year_usd
 *     (default $180,000: BEA current-dollar GDP of $28.65 trillion, 2024 Q2
 *     annual rate, over about 159 million BLS payroll jobs; see
 *     conf/data/README.md). Same range and confidence as the output effect.
 *   - with no printed spending in the window: one finding that the bill has
 *     no material macroeconomic effect that its text can size (value 0),
 *     naming what it cannot size (indefinite amounts, tax or benefit changes).
 *
 * Spending categories (the multiplier rows), chosen per money entry from the
 * headings of its sections and the lines that enact it, first match wins: infrastructure cues ->
 * "public investment" (federal purchases and transfers for infrastructure);
 * cues of payments to people -> "income and support payments"; cues of
 * grants to states or localities -> "state and local fiscal relief";
 * otherwise "public investment" as a federal purchase (the bill names a
 * federal agency or program that spends the money).
 */
#include <string.h>
#include "kit.h"

#define METRIC_EXPECTED_COST "expected_federal_cost_usd"
#define METRIC_OUTPUT "output_effect_usd"
#define METRIC_JOBS "employment_effect_job_years"

typedef enum { CAT_PUBLIC_INVESTMENT, CAT_STATE_LOCAL, CAT_TRANSFERS, CAT_COUNT } category;

static const char *const INFRASTRUCTURE_CUES[] = {"highway", "bridge", "mass transit", "public transportation",
                                                  "infrastructure", "drinking water", "wastewater", "broadband",
                                                  "airport", "construction", NULL};
static const char *const TRANSFER_CUES[] = {"home energy assistance", "payments to individuals", "benefit payments",
                                            "unemployment compensation", "nutrition assistance", "cash assistance",
                                            "scholarship", NULL};
static const char *const STATE_LOCAL_CUES[] = {"grants to States", "to the States", "each State",
                                               "State educational agenc", "local educational agenc",
                                               "units of general local government", "allotments to States", NULL};

static const char *const CATEGORY_NAMES[CAT_COUNT] = {"public investment (federal purchases, infrastructure)",
                                                       "state and local fiscal relief",
                                                       "income and support payments"};

typedef struct economic_settings {
    double multiplier[CAT_COUNT][2]; /* [low, high] per dollar */
    double funding_rate;
    double output_per_job_year;
} economic_settings;

/* Expected spending of the bill, by category, with what it rests on. */
typedef struct spending {
    double enacted, authorized;         /* window sums as printed */
    double expected[CAT_COUNT];         /* after the funding rate */
    double by_year[KIT_MAX_WINDOW_YEARS];
    double lump;                        /* R5/R6 sums tied to no single year */
    const ps_money *largest;            /* the entry with the most expected money */
    double largest_amount;
} spending;

/* The first cue of list in the headings of the entry's bill section and
 * innermost section, or in the lines of text that enact it. */
static const char *find_cue(const ps_bill *b, const ps_money *m, const char *const *list)
{
    const ps_section *outer = kit_bill_section_named(b, m->bill_section);
    const ps_section *inner = kit_section_at(b, m->quote.offset);
    for (size_t i = 0; list[i]; i++)
        if ((outer && kit_contains(outer->heading, list[i])) || (inner && kit_contains(inner->heading, list[i])))
            return list[i];
    return kit_find_any(b, kit_lines(b, m->quote), list, NULL);
}

/* The category of an entry and the cue that decided it (NULL: the default). */
static category categorize(const ps_bill *b, const ps_money *m, const char **cue)
{
    if ((*cue = find_cue(b, m, INFRASTRUCTURE_CUES)))
        return CAT_PUBLIC_INVESTMENT;
    if ((*cue = find_cue(b, m, TRANSFER_CUES)))
        return CAT_TRANSFERS;
    if ((*cue = find_cue(b, m, STATE_LOCAL_CUES)))
        return CAT_STATE_LOCAL;
    return CAT_PUBLIC_INVESTMENT;
}

static void add_entry(kit_run *k, const economic_settings *cfg, spending *sp, const ps_money *m)
{
    char usd[40], exp_usd[40];
    const char *cue = NULL;
    double printed = (double)kit_money_in_window(m, k->window_start, k->window_end);
    double rate = m->kind == PS_MONEY_AUTHORIZATION ? cfg->funding_rate : 1.0;
    double expected = printed * rate;
    category c = categorize(k->bill, m, &cue);
    if (m->kind == PS_MONEY_AUTHORIZATION)
        sp->authorized += printed;
    else
        sp->enacted += printed;
    sp->expected[c] += expected;
    if (m->period_total || m->year_count == 0)
        sp->lump += expected;
    for (size_t i = 0; !m->period_total && i < m->year_count; i++)
        if (m->years[i] >= k->window_start && m->years[i] <= k->window_end)
            sp->by_year[m->years[i] - k->window_start] += (double)m->amount_usd * rate;
    if (expected > sp->largest_amount || !sp->largest) {
        sp->largest = m;
        sp->largest_amount = expected;
    }
    kit_thought(k, "calculation", "Expected spending", cue ? KIT_CONF_LEXICAL : KIT_CONF_PRINTED, m->bill_section,
                "Sec. %s (%s): %s %s x %.2f = %s expected; category %s (%s%s%s); multipliers %.1f-%.1f.",
                kit_label(m->bill_section), kit_label(m->section), kit_kind_name(m->kind),
                kit_usd_short(printed, usd, sizeof usd), rate, kit_usd_short(expected, exp_usd, sizeof exp_usd),
                CATEGORY_NAMES[c], cue ? "the section says \"" : "no cue: a federal purchase", cue ? cue : "",
                cue ? "\"" : "", cfg->multiplier[c][0], cfg->multiplier[c][1]);
}

static void gather(kit_run *k, const economic_settings *cfg, spending *sp)
{
    for (size_t i = 0; i < k->bill->money_count && kit_check_cancel(k) == PS_OK; i++) {
        const ps_money *m = k->bill->money[i];
        if (kit_countable(m) && kit_money_in_window(m, k->window_start, k->window_end) > 0)
            add_entry(k, cfg, sp, m);
    }
}

static double expected_total(const spending *sp)
{
    double sum = 0;
    for (int c = 0; c < CAT_COUNT; c++)
        sum += sp->expected[c];
    return sum;
}

static void cite(const kit_run *k, const spending *sp, const char **section, ps_span *quote)
{
    if (sp->largest) {
        *section = sp->largest->bill_section;
        *quote = sp->largest->quote;
    } else {
        kit_cite_bill(k->bill, section, quote);
    }
}

static double report_expected_cost(kit_run *k, const economic_settings *cfg, const spending *sp)
{
    char text[1024], usd[40], enacted[40], authorized[40], top_usd[40];
    kit_buf desc;
    const char *section;
    ps_span quote;
    double value = expected_total(sp), top = sp->enacted + sp->authorized;
    double confidence = kit_band_confidence(sp->enacted, value, top, kit_known_share(k->bill));
    cite(k, sp, &section, &quote);
    kit_buf_init(&desc, text, sizeof text);
    kit_buf_add(&desc, "Expected federal cost in %s: %s. Appropriations and direct spending count in full (%s); "
                "authorizations (%s as printed) count at a funding rate of %.2f, because an authorization provides "
                "no money until an appropriation act does. The band runs from %s (no authorization funded) to %s "
                "(all funded).",
                k->period, kit_usd_short(value, usd, sizeof usd), kit_usd_short(sp->enacted, enacted, sizeof enacted),
                kit_usd_short(sp->authorized, authorized, sizeof authorized), cfg->funding_rate, enacted,
                kit_usd_short(top, top_usd, sizeof top_usd));
    if (sp->largest)
        kit_buf_add(&desc, " Largest item: sec. %s.", kit_label(sp->largest->bill_section));
    ps_fiscal_impact fi = {sizeof fi, value / 1e9, k->period, sp->enacted / 1e9, value / 1e9, top / 1e9, 0};
    ps_finding f = {
        .description = text,
        .confidence = confidence,
        .impact_magnitude = kit_impact_from_usd(value),
        .fiscal_impact = &fi,
        .related_section = section,
        .metric = METRIC_EXPECTED_COST,
        .value = value,
        .quote = quote,
    };
    kit_finding(k, &f);
    return confidence;
}

static void add_timing(kit_run *k, const spending *sp, kit_buf *desc)
{
    int peak = -1;
    for (int y = 0; y <= k->window_end - k->window_start; y++)
        if (sp->by_year[y] > 0 && (peak < 0 || sp->by_year[y] > sp->by_year[peak]))
            peak = y;
    char usd[40];
    if (peak >= 0)
        kit_buf_add(desc, " Of the money tied to single fiscal years, most falls in FY%d (%s expected).",
                    k->window_start + peak, kit_usd_short(sp->by_year[peak], usd, sizeof usd));
    if (sp->lump > 0)
        kit_buf_add(desc, " %s comes as sums for a period or with no fiscal year, whose timing the text leaves open.",
                    kit_usd_short(sp->lump, usd, sizeof usd));
    kit_buf_add(desc, " The effect on output follows the spending over several quarters.");
}

static void report_output(kit_run *k, const economic_settings *cfg, const spending *sp, double cost_confidence)
{
    char text[1024], lo_usd[40], hi_usd[40], mid_usd[40], amount[40];
    kit_buf desc;
    const char *section;
    ps_span quote;
    double lo = 0, hi = 0;
    cite(k, sp, &section, &quote);
    kit_buf_init(&desc, text, sizeof text);
    kit_buf_add(&desc, "Output (GDP) effect of the expected spending, cumulative: ");
    for (int c = 0; c < CAT_COUNT; c++) {
        if (sp->expected[c] <= 0)
            continue;
        lo += sp->expected[c] * cfg->multiplier[c][0];
        hi += sp->expected[c] * cfg->multiplier[c][1];
        kit_buf_add(&desc, "%s x %.1f-%.1f (%s); ", kit_usd_short(sp->expected[c], amount, sizeof amount),
                    cfg->multiplier[c][0], cfg->multiplier[c][1], CATEGORY_NAMES[c]);
    }
    double mid = (lo + hi) / 2;
    kit_buf_add(&desc, "range %s to %s, midpoint %s (CBO multiplier ranges, conf/data/cbo_output_multipliers.tsv).",
                kit_usd_short(lo, lo_usd, sizeof lo_usd), kit_usd_short(hi, hi_usd, sizeof hi_usd),
                kit_usd_short(mid, mid_usd, sizeof mid_usd));
    add_timing(k, sp, &desc);
    kit_buf_add(&desc, " CBO's ranges hold while the economy has unused capacity; near full employment the effect "
                "lies toward the low end.");
    double confidence = cost_confidence * kit_band_factor(lo, mid, hi);
    ps_finding f = {
        .description = text,
        .confidence = confidence,
        .impact_magnitude = kit_impact_from_usd(mid),
        .related_section = section,
        .metric = METRIC_OUTPUT,
        .value = mid,
        .quote = quote,
    };
    kit_finding(k, &f);
    kit_thought(k, "calculation", "Employment", confidence, section,
                "%s to %s of output at %.0f dollars of output per job-year is %.0f to %.0f job-years.", lo_usd,
                hi_usd, cfg->output_per_job_year, lo / cfg->output_per_job_year, hi / cfg->output_per_job_year);
    kit_buf_init(&desc, text, sizeof text);
    kit_buf_add(&desc, "Employment effect: %.0f to %.0f job-years (midpoint %.0f) over the years the money is spent, "
                "at %.0f dollars of output per job-year (BEA GDP over BLS payroll jobs, 2024; conf/data/README.md). "
                "A job-year is one job held for one year; the same range caveat as for output applies.",
                lo / cfg->output_per_job_year, hi / cfg->output_per_job_year, mid / cfg->output_per_job_year,
                cfg->output_per_job_year);
    f.description = text;
    f.metric = METRIC_JOBS;
    f.value = mid / cfg->output_per_job_year;
    kit_finding(k, &f);
}

/* What the text cannot size: indefinite amounts, tax and benefit changes. */
static void add_unsized(const ps_bill *b, kit_buf *desc)
{
    size_t indefinite = 0;
    for (size_t i = 0; i < b->money_count; i++)
        indefinite += b->money[i]->indefinite ? 1 : 0;
    if (indefinite)
        kit_buf_add(desc, " %zu indefinite amount%s (\"such sums\") cannot be sized.", indefinite,
                    indefinite == 1 ? "" : "s");
    if (b->tax_provision_count)
        kit_buf_add(desc, " %zu tax provision%s print%s no revenue amount, so %s demand effect cannot be sized.",
                    b->tax_provision_count, b->tax_provision_count == 1 ? "" : "s",
                    b->tax_provision_count == 1 ? "s" : "", b->tax_provision_count == 1 ? "its" : "their");
    if (b->unquantified_effects)
        kit_buf_add(desc, " Benefit or credit changes without a printed amount cannot be sized either.");
}

static void report_no_spending(kit_run *k)
{
    char text[768];
    kit_buf desc;
    const char *section;
    ps_span quote;
    kit_cite_bill(k->bill, &section, &quote);
    kit_buf_init(&desc, text, sizeof text);
    kit_buf_add(&desc, "No material macroeconomic effect that the text can size: the bill provides and authorizes no "
                "counted money in %s, so there is no spending to apply a multiplier to.", k->period);
    add_unsized(k->bill, &desc);
    ps_finding f = {
        .description = text,
        .confidence = KIT_CONF_PRINTED * kit_known_share(k->bill),
        .impact_magnitude = KIT_IMPACT_MINOR,
        .related_section = section,
        .metric = METRIC_OUTPUT,
        .value = 0,
        .quote = quote,
    };
    kit_thought(k, "conclusion", "No spending", f.confidence, section, "%s", text);
    kit_finding(k, &f);
}

static void economic_analyze(kit_run *k, const void *settings)
{
    const economic_settings *cfg = settings;
    const ps_bill *bill = k->bill;
    spending sp;
    memset(&sp, 0, sizeof sp);
    kit_thought(k, "observation", "Scope", KIT_CONF_PRINTED, NULL,
                "Reading %zu money entries for spending in %s; authorizations count at a funding rate of %.2f.",
                bill->money_count, k->period, cfg->funding_rate);
    gather(k, cfg, &sp);
    if (kit_check_cancel(k) != PS_OK)
        return;
    double cost_confidence = report_expected_cost(k, cfg, &sp);
    if (kit_check_cancel(k) != PS_OK)
        return;
    if (expected_total(&sp) > 0)
        report_output(k, cfg, &sp, cost_confidence);
    else
        report_no_spending(k);
    if (expected_total(&sp) > 0 && (bill->tax_provision_count || bill->unquantified_effects)) {
        char text[512];
        kit_buf extra;
        kit_buf_init(&extra, text, sizeof text);
        add_unsized(bill, &extra);
        kit_thought(k, "concern", "Not sized", KIT_CONF_PRINTED, NULL, "Left out of the ranges:%s", text);
    }
}

static const char *economic_method(const char *metric)
{
    if (strcmp(metric, METRIC_EXPECTED_COST) == 0)
        return "I count appropriations and direct spending in full and authorizations at a funding rate, since an "
               "authorization provides no money until an appropriation act does.";
    if (strcmp(metric, METRIC_OUTPUT) == 0 || strcmp(metric, METRIC_JOBS) == 0)
        return "I apply CBO's output-multiplier ranges by spending category to the expected spending.";
    return NULL;
}

#define MULTIPLIER_SETTING(var, key, value, what)                                                          \
    static const ps_setting_def var = {sizeof(ps_setting_def), key, PS_SETTING_DOUBLE, value, 0, what, 1, 0, 10}
MULTIPLIER_SETTING(SET_PI_LOW, "public_investment_multiplier_low", "0.5",
                   "low output multiplier, federal purchases and infrastructure (CBO 2013)");
MULTIPLIER_SETTING(SET_PI_HIGH, "public_investment_multiplier_high", "2.5",
                   "high output multiplier, federal purchases and infrastructure (CBO 2013)");
MULTIPLIER_SETTING(SET_SL_LOW, "state_local_multiplier_low", "0.4",
                   "low output multiplier, transfers to state and local governments (CBO 2013)");
MULTIPLIER_SETTING(SET_SL_HIGH, "state_local_multiplier_high", "1.8",
                   "high output multiplier, transfers to state and local governments (CBO 2013)");
MULTIPLIER_SETTING(SET_TR_LOW, "transfers_multiplier_low", "0.4",
                   "low output multiplier, income and support payments to people (CBO 2013)");
MULTIPLIER_SETTING(SET_TR_HIGH, "transfers_multiplier_high", "2.1",
                   "high output multiplier, income and support payments to people (CBO 2013)");
static const ps_setting_def SET_FUNDING = {
    sizeof(ps_setting_def), "authorization_funding_rate", PS_SETTING_DOUBLE, "0.5", 0,
    "share of authorized amounts expected to be appropriated (0.5: middle of the band)", 1, 0, 1};
static const ps_setting_def SET_PER_JOB = {
    sizeof(ps_setting_def), "output_per_job_year_usd", PS_SETTING_DOUBLE, "180000", 0,
    "dollars of output per job-year (BEA GDP / BLS payroll jobs, 2024)", 1, 1000, 10000000};
static const ps_setting_def *const SETTINGS[] = {&SET_PI_LOW, &SET_PI_HIGH, &SET_SL_LOW, &SET_SL_HIGH, &SET_TR_LOW,
                                                 &SET_TR_HIGH, &SET_FUNDING, &SET_PER_JOB, NULL};

static int economic_read_settings(const ps_host_api *api, ps_instance *inst, void *settings)
{
    static const ps_setting_def *const ranges[CAT_COUNT][2] = {
        {&SET_PI_LOW, &SET_PI_HIGH}, {&SET_SL_LOW, &SET_SL_HIGH}, {&SET_TR_LOW, &SET_TR_HIGH}};
    economic_settings *cfg = settings;
    for (int c = 0; c < CAT_COUNT; c++) {
        cfg->multiplier[c][0] = api->setting_double(inst, ranges[c][0]->name);
        cfg->multiplier[c][1] = api->setting_double(inst, ranges[c][1]->name);
        if (cfg->multiplier[c][0] > cfg->multiplier[c][1]) {
            api->set_error(inst, NULL, "economic analyst: setting %s (%g) is above %s (%g)", ranges[c][0]->name,
                           cfg->multiplier[c][0], ranges[c][1]->name, cfg->multiplier[c][1]);
            return PS_EINVAL;
        }
    }
    cfg->funding_rate = api->setting_double(inst, SET_FUNDING.name);
    cfg->output_per_job_year = api->setting_double(inst, SET_PER_JOB.name);
    return PS_OK;
}

const kit_analyst KIT_ANALYST = {
    .agent = KIT_ANALYST_AGENT(
        .name = "economic", .label = "Economic Analyst", .icon = "~", .agent_type = "economic", .version = "1.0.0",
        .description = "Estimates the federal spending a bill will bring in the budget window and its output and "
                       "employment effects as ranges from CBO's published multipliers.",
        .settings = SETTINGS),
    .settings_size = sizeof(economic_settings),
    .read_settings = economic_read_settings,
    .analyze = economic_analyze,
    .method_for = economic_method,
};
