/*
 * test_analysts — the four analyst plugins (fiscal, economic, healthcare,
 * social_security) on the real dev bills, as the host runs them: each .so is
 * dlopened from PS_PLUGIN_DIR, fed the ps_bill that ingest_bill() makes, and
 * talks to a fake host API that records every thought and finding.
 *
 * Expected values come from tests/data/dev/truth.json (the hand-read
 * totals), from conf/data/cbo_output_multipliers.tsv (the multiplier table
 * the economic plugin's defaults must match) and from the documented rules in
 * the plugins' header comments.
 */
#include <check.h>
#include <dlfcn.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ingest_fixture.h"
#include "polisim/polisim.h"
#include "analysts_recorder.h"
#include "../check_main.h"

static const char *const DEV_BILLS[] = {"119-hr-2678", "119-hr-2800", "119-hr-3168", "119-hr-3911",
                                        "119-hr-3936", "119-hr-4401", "119-hr-500",  "119-hr-5687",
                                        "119-hr-6424", "119-hr-6694", "119-hr-8465", "119-hr-8614",
                                        "119-s-4135",  "119-s-4321",  "119-s-586",   "119-s-974"};
#define DEV_COUNT (sizeof DEV_BILLS / sizeof DEV_BILLS[0])
static const char *const ANALYSTS[] = {"fiscal", "economic", "healthcare", "social_security"};

/* ---- loading ------------------------------------------------------------------ */

/* The entry point of a shipped plugin; the handle stays open for the
 * process, as the definitions it returns point into it. */
static ps_agent_query_fn load_query(const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s.so", PS_PLUGIN_DIR, name);
    void *handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    ck_assert_msg(handle, "cannot load %s: %s (build the plugin targets first)", path, dlerror());
    ps_agent_query_fn query = (ps_agent_query_fn)dlsym(handle, PS_AGENT_QUERY_SYMBOL);
    ck_assert_ptr_nonnull(query);
    return query;
}

static const ps_agent_def *load(const char *name)
{
    const ps_agent_def *def = load_query(name)(PS_ABI_MAJOR, PS_ABI_MINOR);
    ck_assert_ptr_nonnull(def);
    return def;
}

/* truth.json's total for a bill: the first "total_2026_2035_usd" after the
 * bill's key (each bill's object holds exactly one). */
static int64_t truth_total(const char *bill_id)
{
    char path[512], key[64];
    snprintf(path, sizeof path, "%s/dev/truth.json", PS_TEST_DATA_DIR);
    snprintf(key, sizeof key, "\"%s\": {", bill_id);
    char *json = test_read_file(path, NULL);
    const char *at = strstr(json, key);
    ck_assert_msg(at, "%s not in truth.json", bill_id);
    at = strstr(at, "\"total_2026_2035_usd\":");
    ck_assert_ptr_nonnull(at);
    int64_t total = strtoll(at + strlen("\"total_2026_2035_usd\":"), NULL, 10);
    free(json);
    return total;
}

/* Sets rec up for one analyst on one dev bill (rec owns the ingested bill). */
static void prepare_on(const char *analyst, const char *bill_id, recorder *rec)
{
    ingest_result *r = ingest_dev_bill(bill_id, "test-analysis");
    recorder_init(rec, load(analyst), ingest_view(r));
    rec->owned_ingest = r;
}

/* Runs one analyst on one dev bill into rec. Returns analyze()'s code. */
static int run_on(const char *analyst, const char *bill_id, recorder *rec)
{
    prepare_on(analyst, bill_id, rec);
    return recorder_analyze(rec);
}

/* Runs one analyst on one dev bill into rec; the run must succeed. */
static void run_ok(const char *analyst, const char *bill_id, recorder *rec)
{
    ck_assert_msg(run_on(analyst, bill_id, rec) == PS_OK, "%s on %s failed: %s", analyst, bill_id, rec->error);
}

/* The first finding whose description holds needle; the test fails without. */
static const recorded_finding *require_finding(const recorder *rec, const char *needle)
{
    const recorded_finding *f = recorder_find(rec, needle);
    ck_assert_msg(f, "%s on %s: no finding says \"%s\"", rec->def->name, rec->bill->bill_id, needle);
    return f;
}

/* The first finding estimating metric; the test fails without. */
static const recorded_finding *require_metric(const recorder *rec, const char *metric)
{
    const recorded_finding *f = recorder_metric(rec, metric);
    ck_assert_msg(f, "%s on %s: no %s finding", rec->def->name, rec->bill->bill_id, metric);
    return f;
}

/* f's description holds text. */
static void assert_says(const recorded_finding *f, const char *text)
{
    ck_assert_msg(strstr(f->description, text), "\"%s\" does not say \"%s\"", f->description, text);
}

/* ---- the SDK contract ----------------------------------------------------------- */

START_TEST(each_plugin_declares_an_analyst_of_this_abi)
{
    const ps_agent_def *def = load(ANALYSTS[_i]);
    ck_assert_uint_eq(def->magic, PS_AGENT_MAGIC);
    ck_assert_uint_eq(def->abi_major, PS_ABI_MAJOR);
    ck_assert_uint_ge(def->struct_size, sizeof(ps_agent_def));
    ck_assert_str_eq(def->name, ANALYSTS[_i]);
    ck_assert_uint_eq(def->roles, PS_ROLE_ANALYST);
    ck_assert_ptr_nonnull(def->analyze);
    ck_assert_ptr_nonnull(def->debate_respond);
    for (size_t i = 0; def->settings && def->settings[i]; i++) {
        const ps_setting_def *s = def->settings[i];
        ck_assert_msg(s->default_value && s->description && s->description[0], "%s.%s", def->name, s->name);
        double value = atof(s->default_value);
        ck_assert_msg(!s->has_range || (value >= s->min && value <= s->max), "%s.%s default out of range",
                      def->name, s->name);
    }
    ck_assert_ptr_null(load_query(ANALYSTS[_i])(PS_ABI_MAJOR + 1, 0));
}
END_TEST

START_TEST(every_finding_cites_a_section_and_the_bill_text)
{
    for (size_t b = 0; b < DEV_COUNT; b++) {
        recorder rec;
        run_ok(ANALYSTS[_i], DEV_BILLS[b], &rec);
        ck_assert_msg(rec.finding_count >= 1, "%s on %s: no finding", ANALYSTS[_i], DEV_BILLS[b]);
        ck_assert_msg(rec.thought_count >= 2, "%s on %s: %zu thoughts", ANALYSTS[_i], DEV_BILLS[b],
                      rec.thought_count);
        for (size_t f = 0; f < rec.finding_count; f++) {
            const recorded_finding *x = &rec.findings[f];
            ck_assert_msg(x->related_section && x->quote_text[0], "%s on %s: finding %zu (%s) cites nothing",
                          ANALYSTS[_i], DEV_BILLS[b], f, x->description);
            ck_assert(x->confidence >= 0 && x->confidence <= 1);
            ck_assert(x->impact >= 0 && x->impact <= 1);
        }
        recorder_free(&rec);
    }
}
END_TEST

/* ---- fiscal ----------------------------------------------------------------------- */

START_TEST(fiscal_total_matches_truth_on_every_dev_bill)
{
    for (size_t b = 0; b < DEV_COUNT; b++) {
        recorder rec;
        run_ok("fiscal", DEV_BILLS[b], &rec);
        const recorded_finding *total = require_metric(&rec, "federal_budget_authority_usd");
        int64_t expected = truth_total(DEV_BILLS[b]);
        ck_assert_msg((int64_t)total->value == expected, "%s: fiscal %.0f, truth %lld", DEV_BILLS[b], total->value,
                      (long long)expected);
        ck_assert(total->has_impact && !total->impact_is_revenue);
        ck_assert_str_eq(total->time_period, "FY2026-2035");
        ck_assert_double_eq_tol(total->amount_billions, (double)expected / 1e9, 1e-9);
        ck_assert_int_eq((int64_t)total->value, ingest_window_total(rec.bill, 2026, 2035));
        recorder_free(&rec);
    }
}
END_TEST

START_TEST(fiscal_period_sum_counts_once_and_indefinite_is_not_zero)
{
    recorder rec;
    run_ok("fiscal", "119-hr-3911", &rec);
    const recorded_finding *period = require_finding(&rec, "for the period FY2026-FY2028");
    ck_assert_double_eq_tol(period->amount_billions, 30.0, 1e-9);
    assert_says(period, "counted once");
    size_t indefinite = 0;
    for (size_t i = 0; i < rec.finding_count; i++)
        if (strstr(rec.findings[i].quote_text, "such sums as may be necessary")) {
            assert_says(&rec.findings[i], "it is not zero");
            ck_assert(!rec.findings[i].has_impact);
            indefinite++;
        }
    ck_assert_uint_eq(indefinite, 2);
    recorder_free(&rec);
}
END_TEST

START_TEST(fiscal_band_spans_zero_to_amount_for_authorizations)
{
    recorder rec;
    run_ok("fiscal", "119-hr-4401", &rec);
    const recorded_finding *total = require_metric(&rec, "federal_budget_authority_usd");
    ck_assert_double_eq_tol(total->band[0], 0.0, 1e-12);
    ck_assert_double_eq_tol(total->band[1], 15.765, 1e-9);
    ck_assert_double_eq_tol(total->band[2], 15.765, 1e-9);
    recorder_free(&rec);
    run_ok("fiscal", "119-hr-3911", &rec);
    total = require_metric(&rec, "federal_budget_authority_usd");
    ck_assert_double_eq_tol(total->band[0], 32.0, 1e-9); /* appropriations: the amount is the law */
    ck_assert_double_eq_tol(total->band[2], 32.0, 1e-9);
    recorder_free(&rec);
}
END_TEST

START_TEST(fiscal_reads_revenue_direction_of_tax_provisions)
{
    recorder rec;
    run_ok("fiscal", "119-hr-2800", &rec);
    const recorded_finding *eitc = require_finding(&rec, "IRC sec. 32(b)(2)(A)");
    assert_says(eitc, "lowers federal revenue");
    assert_says(eitc, "replaces 6330 with 13629");
    ck_assert_double_eq_tol(eitc->confidence, 0.80, 1e-9);
    recorder_free(&rec);
    run_ok("fiscal", "119-s-586", &rec);
    const recorded_finding *denial = require_finding(&rec, "IRC sec. 280C");
    assert_says(denial, "raises federal revenue");
    require_finding(&rec, "without printing an amount (R13)");
    recorder_free(&rec);
}
END_TEST

/* ---- economic ------------------------------------------------------------------------ */

START_TEST(economic_discounts_authorizations_and_fiscal_does_not)
{
    recorder fiscal, economic;
    run_ok("fiscal", "119-s-4321", &fiscal);
    run_ok("economic", "119-s-4321", &economic);
    const recorded_finding *f = require_metric(&fiscal, "expected_federal_cost_usd");
    const recorded_finding *e = require_metric(&economic, "expected_federal_cost_usd");
    ck_assert_double_eq_tol(f->value, 1204200000.0, 0.5);
    ck_assert_double_eq_tol(e->value, 0.5 * 1204200000.0, 0.5);
    /* uniform band [0, 1.2042B]: top scores 0.95 x 0.5, middle 0.95 x 0.75 */
    ck_assert_double_eq_tol(f->confidence, 0.475, 1e-9);
    ck_assert_double_eq_tol(e->confidence, 0.7125, 1e-9);
    recorder_free(&fiscal);
    recorder_free(&economic);

    run_ok("fiscal", "119-hr-3911", &fiscal);
    run_ok("economic", "119-hr-3911", &economic);
    ck_assert_double_eq(require_metric(&fiscal, "expected_federal_cost_usd")->value,
                        require_metric(&economic, "expected_federal_cost_usd")->value);
    recorder_free(&fiscal);
    recorder_free(&economic);
}
END_TEST

START_TEST(economic_output_and_jobs_follow_the_multiplier_range)
{
    recorder rec;
    run_ok("economic", "119-hr-4401", &rec);
    double expected = 0.5 * 15765000000.0; /* bridges: public investment, 0.5-2.5 */
    const recorded_finding *output = require_metric(&rec, "output_effect_usd");
    ck_assert_double_eq_tol(output->value, expected * (0.5 + 2.5) / 2, 1.0);
    assert_says(output, "x 0.5-2.5");
    const recorded_finding *jobs = require_metric(&rec, "employment_effect_job_years");
    ck_assert_double_eq_tol(jobs->value, output->value / 180000.0, 1e-6);
    recorder_free(&rec);
}
END_TEST

START_TEST(economic_says_no_material_effect_without_money)
{
    recorder rec;
    run_ok("economic", "119-hr-6694", &rec);
    const recorded_finding *output = require_metric(&rec, "output_effect_usd");
    ck_assert_double_eq(output->value, 0.0);
    assert_says(output, "No material macroeconomic effect");
    ck_assert_ptr_null(recorder_metric(&rec, "employment_effect_job_years"));
    recorder_free(&rec);
}
END_TEST

START_TEST(economic_defaults_match_the_shipped_multiplier_table)
{
    char path[512], row[512];
    snprintf(path, sizeof path, "%s/conf/data/cbo_output_multipliers.tsv", PS_SOURCE_DIR);
    FILE *f = fopen(path, "r");
    ck_assert_msg(f, "missing %s", path);
    const ps_agent_def *def = load("economic");
    size_t checked = 0;
    while (fgets(row, sizeof row, f)) {
        char low_key[96], high_key[96];
        double low, high;
        if (row[0] == '#' ||
            sscanf(row, "%*[^\t]\t%lf\t%lf\t%95[^\t]\t%95[^\t\n]", &low, &high, low_key, high_key) != 4)
            continue;
        for (size_t i = 0; def->settings[i]; i++) {
            const ps_setting_def *setting = def->settings[i];
            int is_low = strcmp(setting->name, low_key) == 0, is_high = strcmp(setting->name, high_key) == 0;
            if (is_low || is_high) {
                ck_assert_double_eq(atof(setting->default_value), is_low ? low : high);
                checked++;
            }
        }
    }
    fclose(f);
    ck_assert_uint_eq(checked, 6);
}
END_TEST

/* ---- healthcare and social security ----------------------------------------------------- */

START_TEST(healthcare_reports_health_money_and_coverage_changes)
{
    recorder rec;
    run_ok("healthcare", "119-hr-3911", &rec);
    ck_assert_double_eq(require_metric(&rec, "federal_health_spending_usd")->value, 32000000000.0);
    const recorded_finding *cap = require_finding(&rec, "Sec. 4 (Protecting against high out-of-pocket");
    assert_says(cap, "HI (part A) and SMI (parts B/D)");
    assert_says(cap, "$6,700");
    recorder_free(&rec);

    run_ok("healthcare", "119-hr-500", &rec);
    const recorded_finding *hearing = require_finding(&rec, "Federal health spending rises");
    ck_assert_str_eq(hearing->related_section, "2");
    ck_assert_ptr_null(recorder_metric(&rec, "federal_health_spending_usd"));
    recorder_free(&rec);

    run_ok("healthcare", "119-hr-2678", &rec);
    ck_assert_double_eq(require_metric(&rec, "federal_health_spending_usd")->value, 100000000.0);
    recorder_free(&rec);
}
END_TEST

START_TEST(healthcare_and_social_security_say_so_when_nothing_applies)
{
    recorder rec;
    run_ok("healthcare", "119-s-974", &rec);
    ck_assert_uint_eq(rec.finding_count, 1);
    assert_says(&rec.findings[0], "No health provisions");
    ck_assert_str_eq(rec.findings[0].related_section, "long title");
    recorder_free(&rec);
    run_ok("social_security", "119-hr-3911", &rec);
    ck_assert_uint_eq(rec.finding_count, 1);
    assert_says(&rec.findings[0], "No Social Security provisions");
    recorder_free(&rec);
}
END_TEST

START_TEST(social_security_reads_the_death_payment_change)
{
    recorder rec;
    run_ok("social_security", "119-hr-6424", &rec);
    const recorded_finding *f = require_finding(&rec, "section 202 of the Social Security Act");
    ck_assert_str_eq(f->related_section, "2");
    assert_says(f, "OASI outlays rise");
    assert_says(f, "$2,900");
    assert_says(f, "2025, before the first fiscal year");
    recorder_free(&rec);
}
END_TEST

/* ---- debate ---------------------------------------------------------------------------------- */

static ps_debate_reply ask(const char *analyst, const char *responder, const char *metric, int round,
                           const ps_position *const *positions, size_t count)
{
    const ps_agent_def *def = load(analyst);
    ps_debate_prompt prompt = {.struct_size = sizeof prompt, .round_number = round, .topic = "window cost",
                               .metric = metric, .positions = positions, .position_count = count,
                               .responder = responder};
    ps_debate_reply reply = {.struct_size = sizeof reply};
    ck_assert_int_eq(def->debate_respond(NULL, NULL, &prompt, &reply), PS_OK);
    return reply;
}

START_TEST(debate_rule_moves_the_less_confident_side_only)
{
    ps_position fiscal = {sizeof fiscal, "fiscal", 1.2e9, 0.475, "sec. 2(5)"};
    ps_position economic = {sizeof economic, "economic", 0.6e9, 0.7125, "sec. 2(5)"};
    const ps_position *const positions[] = {&fiscal, &economic};
    ps_debate_reply r = ask("fiscal", "fiscal", "expected_federal_cost_usd", 1, positions, 2);
    ck_assert_str_eq(r.turn_type, "argument");
    ck_assert_double_eq(r.value, 1.2e9);
    ck_assert_ptr_nonnull(strstr(r.argument, "sec. 2(5)"));
    r = ask("fiscal", "fiscal", "expected_federal_cost_usd", 2, positions, 2);
    ck_assert_str_eq(r.turn_type, "concession");
    ck_assert_double_eq_tol(r.value, 1.2e9 + (0.7125 - 0.475) * (0.6e9 - 1.2e9), 1.0);
    ck_assert_double_eq(r.confidence, 0.475);
    r = ask("economic", "economic", "expected_federal_cost_usd", 2, positions, 2);
    ck_assert_str_eq(r.turn_type, "rebuttal");
    ck_assert_double_eq(r.value, 0.6e9);
}
END_TEST

START_TEST(debate_move_is_capped_at_half_the_gap)
{
    ps_position mine = {sizeof mine, "fiscal_b", 100.0, 0.1, "x"};
    ps_position other = {sizeof other, "economic", 0.0, 0.9, "y"};
    const ps_position *const positions[] = {&mine, &other};
    ps_debate_reply r = ask("fiscal", "fiscal_b", "expected_federal_cost_usd", 3, positions, 2);
    ck_assert_str_eq(r.turn_type, "concession");
    ck_assert_double_eq_tol(r.value, 50.0, 1e-9);
}
END_TEST

START_TEST(debate_without_an_estimate_is_a_question)
{
    ps_position fiscal = {sizeof fiscal, "fiscal", 10.0, 0.5, "a"};
    ps_position economic = {sizeof economic, "economic", 20.0, 0.5, "b"};
    const ps_position *const positions[] = {&fiscal, &economic};
    ps_debate_reply r = ask("healthcare", "healthcare", "expected_federal_cost_usd", 2, positions, 2);
    ck_assert_str_eq(r.turn_type, "question");
    ck_assert_double_eq(r.confidence, 0.0);
    ck_assert_double_eq_tol(r.value, 15.0, 1e-9);
}
END_TEST

/* ---- robustness ---------------------------------------------------------------------------------- */

START_TEST(a_cancelled_run_stops_with_ecanceled)
{
    recorder rec;
    prepare_on(ANALYSTS[_i], "119-hr-3911", &rec);
    rec.cancelled = 1;
    ck_assert_int_eq(recorder_analyze(&rec), PS_ECANCELED);
    ck_assert_ptr_nonnull(strstr(rec.error, "stopped"));
    recorder_free(&rec);
}
END_TEST

START_TEST(a_bill_with_a_quote_outside_its_text_is_refused)
{
    static const char text[] = "A bill.";
    ps_money money = {.struct_size = sizeof money, .kind = PS_MONEY_APPROPRIATION, .amount_usd = 5,
                      .amount_printed = 1, .counted = 1, .quote = {3, 100}};
    const ps_money *const list[] = {&money};
    ps_bill bill = {.struct_size = sizeof bill, .text = text, .text_length = sizeof text - 1, .money = list,
                    .money_count = 1, .window_start = 2026, .window_end = 2035};
    recorder rec;
    recorder_init(&rec, load(ANALYSTS[_i]), &bill);
    ck_assert_int_eq(recorder_analyze(&rec), PS_EINVAL);
    ck_assert_ptr_nonnull(strstr(rec.error, "money entry 0"));
    ck_assert_uint_eq(rec.finding_count, 0);
    recorder_free(&rec);
}
END_TEST

typedef struct parallel_job {
    const char *bill_id;
    recorder rec;
} parallel_job;

static void *run_job(void *arg)
{
    parallel_job *job = arg;
    run_on("fiscal", job->bill_id, &job->rec);
    return NULL;
}

START_TEST(parallel_runs_on_their_own_instances_agree_with_the_truth)
{
    parallel_job jobs[4] = {{"119-hr-3911", {0}}, {"119-hr-8465", {0}}, {"119-s-4321", {0}}, {"119-hr-4401", {0}}};
    pthread_t threads[4];
    for (int i = 0; i < 4; i++)
        ck_assert_int_eq(pthread_create(&threads[i], NULL, run_job, &jobs[i]), 0);
    for (int i = 0; i < 4; i++)
        pthread_join(threads[i], NULL);
    for (int i = 0; i < 4; i++) {
        ck_assert_double_eq(require_metric(&jobs[i].rec, "federal_budget_authority_usd")->value,
                            (double)truth_total(jobs[i].bill_id));
        recorder_free(&jobs[i].rec);
    }
}
END_TEST

static Suite *analysts_suite(void)
{
    Suite *s = suite_create("analysts");
    TCase *contract = CHECK_TCASE(s, "contract", parallel_runs_on_their_own_instances_agree_with_the_truth);
    tcase_add_loop_test(contract, each_plugin_declares_an_analyst_of_this_abi, 0, 4);
    tcase_add_loop_test(contract, every_finding_cites_a_section_and_the_bill_text, 0, 4);
    tcase_add_loop_test(contract, a_cancelled_run_stops_with_ecanceled, 0, 4);
    tcase_add_loop_test(contract, a_bill_with_a_quote_outside_its_text_is_refused, 0, 4);
    CHECK_TCASE(s, "fiscal", fiscal_total_matches_truth_on_every_dev_bill,
                fiscal_period_sum_counts_once_and_indefinite_is_not_zero,
                fiscal_band_spans_zero_to_amount_for_authorizations,
                fiscal_reads_revenue_direction_of_tax_provisions);
    CHECK_TCASE(s, "economic", economic_discounts_authorizations_and_fiscal_does_not,
                economic_output_and_jobs_follow_the_multiplier_range,
                economic_says_no_material_effect_without_money,
                economic_defaults_match_the_shipped_multiplier_table);
    CHECK_TCASE(s, "programs", healthcare_reports_health_money_and_coverage_changes,
                healthcare_and_social_security_say_so_when_nothing_applies,
                social_security_reads_the_death_payment_change);
    CHECK_TCASE(s, "debate", debate_rule_moves_the_less_confident_side_only,
                debate_move_is_capped_at_half_the_gap, debate_without_an_estimate_is_a_question);
    return s;
}

CHECK_MAIN(analysts_suite)
