/*
 * test_swarm_plugins — the shipped debate plugin, loaded with dlopen from the
 * build and driven by a fake host (swarm_fake_host.h) that plays the analysts
 * from a script: which disagreements become topics (value spreads,
 * confidence gaps, effects a total leaves out), the topic text, the
 * convergence numbers and each stop rule, dropped and cancelled analysts
 * (omission debates are in test_swarm_omissions.c); and
 * for both swarm plugins (debate and consensus, whose verdicts are tested in
 * test_swarm_consensus.c) the ABI and the settings declared against
 * conf/polisim.yaml.
 */
#include <check.h>
#include "swarm_fake_host.h"
#include "../check_main.h"

static void setup(void)
{
    fake_reset();
}

static void teardown(void)
{
    fake_unload();
}

/* Every analyst answers `value` with confidence 0.5 in every round. */
static void everyone_answers(double value)
{
    static const char *const ids[] = {"fiscal", "economic", "healthcare", "social_security"};
    double values[MAX_ROUNDS], confidences[MAX_ROUNDS];
    for (int r = 0; r < MAX_ROUNDS; r++)
        values[r] = value, confidences[r] = 0.5;
    for (size_t i = 0; i < 4; i++)
        add_script(ids[i], 0, values, confidences, MAX_ROUNDS);
}

/* ---- debate: topics --------------------------------------------------------------- */

/* The scripted findings disagree three ways (a total that leaves effects
 * out, a confidence gap, a value spread) and agree or cannot be compared
 * everywhere else. */
static void disagreeing_findings(void)
{
    four_analysts();
    add_finding("fiscal", "fiscal", "program_cost_usd", 100, 0.8, "3", NAN); /* 4% apart: agree */
    add_finding("economic", "economic", "program_cost_usd", 104, 0.8, "3", NAN);
    add_finding("fiscal", "fiscal", "cost_usd", 100e6, 0.8, NULL, NAN);      /* 33% apart */
    add_finding("economic", "economic", "cost_usd", 150e6, 0.8, NULL, NAN);
    add_finding("fiscal", "economic", "jobs", 100, 0.9, NULL, NAN);          /* 1% apart, conf 0.9 vs 0.4 */
    add_finding("economic", "economic", "jobs", 101, 0.4, NULL, NAN);
    add_finding("fiscal", "fiscal", "federal_cost_usd", 2e9, 0.9, "2(a)", 2.0); /* a total both hold, citing */
    add_finding("economic", "economic", "federal_cost_usd", 2e9, 0.9, "2(a)", 2.0); /* its largest item */
    add_finding("fiscal", "fiscal", NULL, 0, 0.95, "2(a)", 1.5);   /* fiscal's own amount in sec. 2 ... */
    add_effect("fiscal", "2(a)", 0.95, 0.5);                       /* ... does not cover its unsized effect */
    add_finding("fiscal", "fiscal", NULL, 0, 0.95, "3(b)", 0.5);   /* an amount in sec. 3 ... */
    add_effect("healthcare", "3", 0.7, 0.5);                       /* ... covers healthcare's effect there */
    add_effect("healthcare", "4", 0.6, 0.5);                       /* nobody counts it */
    add_effect("healthcare", "5", 0.8, 0.05);                      /* minor: no direction */
    add_effect("social_security", "6", 0, 0.5);                    /* no confidence */
}

START_TEST(debate_topics_only_where_analysts_disagree)
{
    ck_assert_int_eq(fake_load("debate"), PS_OK);
    view_reset(3, 0.8, 0.75);
    disagreeing_findings();
    everyone_answers(10);
    ck_assert_int_eq(fake_moderate(), PS_OK);
    ck_assert_uint_eq(fake.open_count, 3);
    ck_assert_str_eq(fake.opens[0].topic, "federal_cost_usd: leaves out 2 unsized effects flagged by fiscal, "
                                          "healthcare -- fiscal $2.00 billion (conf 0.90), economic $2.00 billion "
                                          "(conf 0.90), healthcare no amount (conf 0.60)");
    ck_assert_str_eq(fake.opens[0].participants, "fiscal,economic,healthcare");
    ck_assert_str_eq(fake.opens[1].topic, "jobs: confidence differs by 0.50 -- "
                                          "fiscal 100 (conf 0.90), economic 101 (conf 0.40)");
    ck_assert_str_eq(fake.opens[1].participants, "fiscal,economic");
    ck_assert_str_eq(fake.opens[2].topic, "cost_usd: estimates differ by 33.3% -- "
                                          "fiscal $100.0 million (conf 0.80), economic $150.0 million (conf 0.80)");
    ck_assert_str_eq(fake.thoughts[0][1], "3 disagreements found; debating the 3 largest: federal_cost_usd, jobs, "
                                          "cost_usd");
    ck_assert_str_eq(fake.thoughts[1][0], "Left out of a total");
    ck_assert_str_eq(fake.thoughts[1][1], "federal_cost_usd adds printed amounts only (held by fiscal, economic), so "
                                          "each holder leaves out the unsized effects other analysts flag (2): "
                                          "fiscal-10 (fiscal, sec. 2(a)); healthcare-13 (healthcare, sec. 4).");
    ck_assert_uint_eq(fake.close_count, 3);
}
END_TEST

START_TEST(debate_takes_only_the_largest_max_topics)
{
    fake.overrides[0][0] = "max_topics", fake.overrides[0][1] = "2";
    ck_assert_int_eq(fake_load("debate"), PS_OK);
    view_reset(3, 0.8, 0.75);
    disagreeing_findings();
    everyone_answers(10);
    ck_assert_int_eq(fake_moderate(), PS_OK);
    ck_assert_uint_eq(fake.open_count, 2);
    ck_assert_str_eq(fake.opens[0].metric, "federal_cost_usd");
    ck_assert_str_eq(fake.opens[1].metric, "jobs");
}
END_TEST

START_TEST(debate_omission_min_impact_decides_which_effects_count)
{
    fake.overrides[0][0] = "omission_min_impact", fake.overrides[0][1] = "0.75";
    ck_assert_int_eq(fake_load("debate"), PS_OK);
    view_reset(3, 0.8, 0.75);
    disagreeing_findings();
    add_effect("social_security", "7", 0.6, 0.75); /* the only effect important enough */
    everyone_answers(10);
    ck_assert_int_eq(fake_moderate(), PS_OK);
    ck_assert_str_eq(fake.opens[0].topic, "federal_cost_usd: leaves out 1 unsized effect flagged by social_security "
                                          "-- fiscal $2.00 billion (conf 0.90), economic $2.00 billion (conf 0.90), "
                                          "social_security no amount (conf 0.60)");
}
END_TEST

START_TEST(debate_writes_money_readably)
{
    ck_assert_int_eq(fake_load("debate"), PS_OK);
    view_reset(1, 0.8, 0.75);
    four_analysts();
    add_finding("fiscal", "fiscal", "x_usd", 83403, 0.5, NULL, NAN);
    add_finding("economic", "economic", "x_usd", 417015000, 0.5, NULL, NAN);
    add_finding("healthcare", "healthcare", "x_usd", 1.62e9, 0.5, NULL, NAN);
    add_finding("social_security", "social_security", "x_usd", -2.5e12, 0.5, NULL, NAN);
    add_finding("fiscal", "fiscal", "job_years", 1737.5625, 0.5, NULL, NAN);
    add_finding("economic", "economic", "job_years", 0.001234, 0.5, NULL, NAN);
    everyone_answers(10);
    ck_assert_int_eq(fake_moderate(), PS_OK);
    ck_assert_str_eq(fake.opens[0].topic, "x_usd: estimates differ by 100.1% -- fiscal $83,403 (conf 0.50), "
                                          "economic $417.0 million (conf 0.50), healthcare $1.62 billion (conf 0.50), "
                                          "social_security -$2.50 trillion (conf 0.50)");
    ck_assert_str_eq(fake.opens[1].topic, "job_years: estimates differ by 100.0% -- fiscal 1.74e+03 (conf 0.50), "
                                          "economic 0.00123 (conf 0.50)");
}
END_TEST

START_TEST(debate_without_disagreement_says_the_analysts_agree)
{
    ck_assert_int_eq(fake_load("debate"), PS_OK);
    view_reset(3, 0.8, 0.75);
    four_analysts();
    add_finding("fiscal", "fiscal", "total_budget_authority_usd", 100, 0.8, NULL, NAN);
    add_finding("economic", "economic", "total_budget_authority_usd", 104, 0.7, NULL, NAN);
    add_finding("healthcare", "healthcare", NULL, 0, 0.9, "4", 2.0);
    add_finding("fiscal", "fiscal", "own_total_usd", 5e9, 0.9, NULL, 5.0); /* a total only fiscal holds ... */
    add_effect("fiscal", "2", 0.9, 0.5);                                   /* ... leaves out only its own effect */
    ck_assert_int_eq(fake_moderate(), PS_OK);
    ck_assert_uint_eq(fake.open_count, 0);
    ck_assert_uint_eq(fake.ask_count, 0);
    ck_assert_uint_eq(fake.thought_count, 1);
    ck_assert_str_eq(fake.thoughts[0][0], "The analysts agree");
    ck_assert_str_eq(fake.thoughts[0][1], "5 findings from 4 analysts on 4 subjects: no shared metric differs by "
                                          "more than 5%, no confidence gap exceeds 0.3, and no total leaves out "
                                          "an effect another analyst flags.");
}
END_TEST

/* ---- debate: rounds, convergence, stop rules ---------------------------------------------- */

START_TEST(debate_stops_at_threshold_with_the_documented_scores)
{
    ck_assert_int_eq(fake_load("debate"), PS_OK);
    view_reset(5, 0.95, 0.75);
    add_analyst("fiscal");
    add_analyst("economic");
    add_finding("fiscal", "fiscal", "cost", 100, 0.5, NULL, NAN);
    add_finding("economic", "economic", "cost", 140, 0.5, NULL, NAN);
    add_script("fiscal", 0, (double[]){110, 118}, (double[]){0.5, 0.75}, 2);
    add_script("economic", 0, (double[]){130, 122}, (double[]){0.5, 0.25}, 2);
    ck_assert_int_eq(fake_moderate(), PS_OK);
    /* opening: mean 120, spread 20, scale 120; round 1: spread 10;
     * round 2, weights .75/.25: mean 119, spread .75*1 + .25*3 = 1.5, scale 119 */
    ck_assert_uint_eq(fake.converge_count, 2);
    assert_converge(0, 1, 1 - 10.0 / 120, 1 - 20.0 / 120, 0, "(none)");
    assert_converge(1, 2, 1 - 1.5 / 119, 1 - 10.0 / 120, 1, "threshold");
    ck_assert_uint_eq(fake.ask_count, 4);
    ck_assert_str_eq(fake.asks[0].agent, "fiscal");
    ck_assert_str_eq(fake.asks[1].agent, "economic");
    ck_assert_str_eq(fake.asks[1].responder, "economic");
    const close_call *c = &fake.closes[0];
    ck_assert_int_eq(c->rounds, 2);
    ck_assert_int_eq(c->converged, 1);
    ck_assert_str_eq(c->stop_reason, "threshold");
    ck_assert_double_eq_tol(c->score, 1 - 1.5 / 119, 1e-12);
    ck_assert_uint_eq(c->position_count, 2);
    ck_assert_double_eq(c->values[0], 118);
    ck_assert_double_eq(c->confidences[1], 0.25);
}
END_TEST

START_TEST(debate_stops_at_max_rounds_and_targets_the_outlier)
{
    ck_assert_int_eq(fake_load("debate"), PS_OK);
    view_reset(2, 0.99, 0.75);
    add_analyst("fiscal");
    add_analyst("economic");
    add_analyst("healthcare");
    add_finding("fiscal", "fiscal", "cost", 90, 0.5, NULL, NAN);
    add_finding("economic", "economic", "cost", 90, 0.5, NULL, NAN);
    add_finding("healthcare", "healthcare", "cost", 120, 0.5, NULL, NAN);
    add_script("fiscal", 0, (double[]){92, 94}, (double[]){0.5, 0.5}, 2);
    add_script("economic", 0, (double[]){92, 94}, (double[]){0.5, 0.5}, 2);
    add_script("healthcare", 0, (double[]){116, 112}, (double[]){0.5, 0.5}, 2);
    ck_assert_int_eq(fake_moderate(), PS_OK);
    /* mean stays 100, scale 100: spread (10+10+20)/3, then 32/3, then 24/3 */
    ck_assert_uint_eq(fake.converge_count, 2);
    assert_converge(0, 1, 1 - 32.0 / 300, 1 - 40.0 / 300, 0, "(none)");
    assert_converge(1, 2, 1 - 24.0 / 300, 1 - 32.0 / 300, 0, "max_rounds");
    ck_assert_str_eq(fake.closes[0].stop_reason, "max_rounds");
    ck_assert_int_eq(fake.closes[0].converged, 0);
    ck_assert_uint_eq(fake.ask_count, 6);
    for (size_t i = 0; i < fake.ask_count; i++)
        ck_assert_str_eq(fake.asks[i].target, "healthcare");
}
END_TEST

START_TEST(debate_stops_at_stalemate_when_a_round_barely_moves)
{
    ck_assert_int_eq(fake_load("debate"), PS_OK);
    view_reset(5, 0.9, 0.75);
    add_analyst("fiscal");
    add_analyst("economic");
    add_finding("fiscal", "fiscal", "cost", 100, 0.5, NULL, NAN);
    add_finding("economic", "economic", "cost", 200, 0.5, NULL, NAN);
    add_script("fiscal", 0, (double[]){120, 121}, (double[]){0.5, 0.5}, 2);
    add_script("economic", 0, (double[]){180, 179}, (double[]){0.5, 0.5}, 2);
    ck_assert_int_eq(fake_moderate(), PS_OK);
    /* mean 150: spread 50, 30, 29 -> the second round moves by 1/150 < 0.01 */
    ck_assert_uint_eq(fake.converge_count, 2);
    assert_converge(0, 1, 1 - 30.0 / 150, 1 - 50.0 / 150, 0, "(none)");
    assert_converge(1, 2, 1 - 29.0 / 150, 1 - 30.0 / 150, 0, "stalemate");
    ck_assert_str_eq(fake.closes[0].stop_reason, "stalemate");
    ck_assert_int_eq(fake.closes[0].rounds, 2);
}
END_TEST

START_TEST(debate_round_one_is_never_a_stalemate)
{
    ck_assert_int_eq(fake_load("debate"), PS_OK);
    view_reset(5, 0.9, 0.75);
    add_analyst("fiscal");
    add_analyst("economic");
    add_finding("fiscal", "fiscal", "cost", 400, 0.25, NULL, NAN);
    add_finding("economic", "economic", "cost", 200, 0.75, NULL, NAN);
    /* round 1 restates the findings; then fiscal, less confident, moves half way each round */
    add_script("fiscal", 0, (double[]){400, 300, 250}, (double[]){0.25, 0.25, 0.25}, 3);
    add_script("economic", 0, (double[]){200, 200, 200}, (double[]){0.75, 0.75, 0.75}, 3);
    ck_assert_int_eq(fake_moderate(), PS_OK);
    /* weights .25/.75: mean 250, spread 37.5 + 37.5, scale 250; then mean 225, spread 18.75 + 18.75,
     * scale 225; then mean 212.5, spread 9.375 + 9.375, scale 212.5 */
    ck_assert_uint_eq(fake.converge_count, 3);
    assert_converge(0, 1, 1 - 75.0 / 250, 1 - 75.0 / 250, 0, "(none)");
    assert_converge(1, 2, 1 - 37.5 / 225, 1 - 75.0 / 250, 0, "(none)");
    assert_converge(2, 3, 1 - 18.75 / 212.5, 1 - 37.5 / 225, 1, "threshold");
    ck_assert_double_eq(fake.closes[0].values[0], 250);
}
END_TEST

START_TEST(debate_drops_analysts_that_fail_or_answer_nonsense)
{
    ck_assert_int_eq(fake_load("debate"), PS_OK);
    view_reset(2, 0.99, 0.75);
    four_analysts();
    add_finding("fiscal", "fiscal", "cost", 100, 0.5, NULL, NAN);
    add_finding("economic", "economic", "cost", 100, 0.5, NULL, NAN);
    add_finding("healthcare", "healthcare", "cost", 300, 0.5, NULL, NAN);
    add_finding("social_security", "social_security", "cost", 100, 0.5, NULL, NAN);
    add_script("fiscal", 0, (double[]){100, 100}, (double[]){0.5, 0.5}, 2);
    add_script("economic", 0, (double[]){100, 100}, (double[]){0.5, 0.5}, 2);
    add_script("healthcare", 1, (double[]){0, 0}, (double[]){0, 0}, 2);
    add_script("social_security", 0, (double[]){100, 100}, (double[]){1.5, 1.5}, 2);
    ck_assert_int_eq(fake_moderate(), PS_OK);
    ck_assert_uint_eq(fake.ask_count, 4); /* round 1 asks all four; fiscal and economic agree: threshold */
    ck_assert_uint_eq(fake.asks[2].position_count, 4);
    ck_assert_uint_eq(fake.asks[3].position_count, 3);
    ck_assert_str_eq(fake.thoughts[1][1], "healthcare left the debate on cost in round 1 "
                                          "(the analysis itself failed); the others go on.");
    ck_assert_str_eq(fake.thoughts[2][1], "social_security left the debate on cost in round 1 "
                                          "(unusable answer (value 100, confidence 1.5)); the others go on.");
    ck_assert_uint_eq(fake.closes[0].position_count, 2);
    ck_assert_str_eq(fake.closes[0].agents[0], "fiscal");
    ck_assert_str_eq(fake.closes[0].agents[1], "economic");
    ck_assert_str_eq(fake.closes[0].stop_reason, "threshold");
}
END_TEST

START_TEST(debate_with_one_analyst_left_ends_in_stalemate)
{
    ck_assert_int_eq(fake_load("debate"), PS_OK);
    view_reset(3, 0.8, 0.75);
    add_analyst("fiscal");
    add_analyst("economic");
    add_finding("fiscal", "fiscal", "cost", 100, 0.5, NULL, NAN);
    add_finding("economic", "economic", "cost", 200, 0.5, NULL, NAN);
    add_script("fiscal", 0, (double[]){100}, (double[]){0.5}, 1);
    add_script("economic", 1, (double[]){0}, (double[]){0}, 1);
    ck_assert_int_eq(fake_moderate(), PS_OK);
    assert_converge(0, 1, 0, 1 - 50.0 / 150, 0, "stalemate");
    ck_assert_uint_eq(fake.closes[0].position_count, 1);
    ck_assert_int_eq(fake.closes[0].converged, 0);
}
END_TEST

START_TEST(debate_honours_cancellation)
{
    ck_assert_int_eq(fake_load("debate"), PS_OK);
    view_reset(3, 0.8, 0.75);
    disagreeing_findings();
    everyone_answers(10);
    fake.cancel_after_asks = 1;
    ck_assert_int_eq(fake_moderate(), PS_ECANCELED);
    ck_assert_uint_eq(fake.ask_count, 1);
    ck_assert_uint_eq(fake.close_count, 0);
    ck_assert_str_eq(fake.error, "cancelled in round 1 of the debate on federal_cost_usd");
}
END_TEST

START_TEST(debate_rejects_a_finding_from_an_unknown_agent)
{
    ck_assert_int_eq(fake_load("debate"), PS_OK);
    view_reset(3, 0.8, 0.75);
    add_analyst("fiscal");
    add_finding("ghost", "fiscal", "cost", 1, 0.5, NULL, NAN);
    ck_assert_int_eq(fake_moderate(), PS_EINVAL);
    ck_assert_str_eq(fake.error, "finding 0 (ghost-1 of ghost) comes from an agent that is not a completed analyst");
    ck_assert_int_eq(fake.def->moderate(fake.state, &fake.run, NULL), PS_EINVAL);
    ck_assert_str_eq(fake.error, "the swarm view is missing or too small for ABI 1.0");
    ck_assert_uint_eq(fake.open_count, 0);
}
END_TEST
/* ---- both plugins: ABI and configuration ---------------------------------------------------------------- */

/* The value of `setting` under agent `agent` in conf/polisim.yaml, or "". */
static void conf_setting(const char *agent, const char *setting, char *out, size_t size)
{
    FILE *f = fopen(PS_SOURCE_DIR "/conf/polisim.yaml", "r");
    char line[512], header[64];
    int inside = 0;
    ck_assert_ptr_nonnull(f);
    snprintf(header, sizeof header, "  - name: %s\n", agent);
    out[0] = '\0';
    while (!out[0] && fgets(line, sizeof line, f)) {
        const char *p = line + strspn(line, " ");
        if (strncmp(line, "  - name: ", 10) == 0)
            inside = strcmp(line, header) == 0;
        else if (inside && strncmp(p, setting, strlen(setting)) == 0 && p[strlen(setting)] == ':') {
            p += strlen(setting) + 1;
            p += strspn(p, " \"");
            snprintf(out, size, "%.*s", (int)strcspn(p, "\" #\n"), p);
        }
    }
    fclose(f);
}

START_TEST(declared_settings_match_the_default_config)
{
    static const char *const plugins[] = {"debate", "consensus"};
    const char *plugin = plugins[_i];
    ck_assert_int_eq(fake_load(plugin), PS_OK);
    ck_assert_uint_eq(fake.def->magic, PS_AGENT_MAGIC);
    ck_assert_uint_eq(fake.def->abi_major, PS_ABI_MAJOR);
    ck_assert_str_eq(fake.def->name, plugin);
    ck_assert_uint_eq(fake.def->roles, _i == 0 ? PS_ROLE_DEBATE : PS_ROLE_CONSENSUS);
    for (size_t i = 0; fake.def->settings[i]; i++) {
        char configured[128];
        conf_setting(plugin, fake.def->settings[i]->name, configured, sizeof configured);
        ck_assert_msg(strcmp(configured, fake.def->settings[i]->default_value) == 0, "%s.%s: yaml '%s', declared '%s'",
                      plugin, fake.def->settings[i]->name, configured, fake.def->settings[i]->default_value);
    }
    void *handle = NULL;
    ck_assert_ptr_nonnull(fake_query(plugin, &handle));
    ps_agent_query_fn query = (ps_agent_query_fn)dlsym(handle, PS_AGENT_QUERY_SYMBOL);
    ck_assert_ptr_null(query(PS_ABI_MAJOR + 1, 0));
    dlclose(handle);
}
END_TEST
static Suite *swarm_plugins_suite(void)
{
    Suite *suite = suite_create("swarm_plugins");
    TCase *debate = tcase_create("debate");
    tcase_add_checked_fixture(debate, setup, teardown);
    tcase_add_test(debate, debate_topics_only_where_analysts_disagree);
    tcase_add_test(debate, debate_takes_only_the_largest_max_topics);
    tcase_add_test(debate, debate_omission_min_impact_decides_which_effects_count);
    tcase_add_test(debate, debate_writes_money_readably);
    tcase_add_test(debate, debate_without_disagreement_says_the_analysts_agree);
    tcase_add_test(debate, debate_stops_at_threshold_with_the_documented_scores);
    tcase_add_test(debate, debate_stops_at_max_rounds_and_targets_the_outlier);
    tcase_add_test(debate, debate_stops_at_stalemate_when_a_round_barely_moves);
    tcase_add_test(debate, debate_round_one_is_never_a_stalemate);
    tcase_add_test(debate, debate_drops_analysts_that_fail_or_answer_nonsense);
    tcase_add_test(debate, debate_with_one_analyst_left_ends_in_stalemate);
    tcase_add_test(debate, debate_honours_cancellation);
    tcase_add_test(debate, debate_rejects_a_finding_from_an_unknown_agent);
    suite_add_tcase(suite, debate);
    TCase *plugins = tcase_create("plugins");
    tcase_add_checked_fixture(plugins, setup, teardown);
    tcase_add_loop_test(plugins, declared_settings_match_the_default_config, 0, 2);
    suite_add_tcase(suite, plugins);
    return suite;
}

CHECK_MAIN(swarm_plugins_suite)
