/*
 * test_swarm_plugins — the shipped debate and consensus plugins, loaded with
 * dlopen from the build and driven by a fake host (swarm_fake_host.h) that
 * plays the analysts from a script: which disagreements become topics, the
 * convergence numbers and each stop rule, dropped and cancelled analysts,
 * consensus levels at their boundaries, minority views, and the MessagePack
 * report decoded with msgpack-c.
 */
#include <check.h>
#include <msgpack.h>
#include "swarm_fake_host.h"

static void setup(void)
{
    fake_reset();
}

static void teardown(void)
{
    fake_unload();
}

static int moderate(void)
{
    return fake.def->moderate(fake.state, &fake.run, &vb.view);
}

static int build_consensus(void)
{
    return fake.def->build_consensus(fake.state, &fake.run, &vb.view);
}

static void four_analysts(void)
{
    add_analyst("fiscal");
    add_analyst("economic");
    add_analyst("healthcare");
    add_analyst("social_security");
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

static void assert_converge(size_t i, int round, double score, double previous, int met, const char *stop)
{
    const ps_convergence *c = &fake.converges[i];
    ck_assert_int_eq(c->round_number, round);
    ck_assert_double_eq_tol(c->convergence_score, score, 1e-12);
    ck_assert_double_eq_tol(c->previous_score, previous, 1e-12);
    ck_assert_int_eq(c->threshold_met, met);
    ck_assert_str_eq(c->stop_reason, stop);
}

/* ---- debate: topics --------------------------------------------------------------- */

/* The scripted findings disagree three ways (an omitted effect, a confidence
 * gap, a value spread) and agree or cannot be compared everywhere else. */
static void disagreeing_findings(void)
{
    four_analysts();
    add_finding("fiscal", "fiscal", "program_cost_usd", 100, 0.8, "3", NAN);   /* 4% apart: agree */
    add_finding("economic", "economic", "program_cost_usd", 104, 0.8, "3", NAN);
    add_finding("fiscal", "fiscal", "total_budget_authority_usd", 100, 0.8, NULL, NAN); /* 33% apart */
    add_finding("economic", "economic", "total_budget_authority_usd", 150, 0.8, NULL, NAN);
    add_finding("fiscal", "economic", "jobs_created", 1000, 0.9, NULL, NAN);   /* 1% apart, conf 0.9 vs 0.4 */
    add_finding("economic", "economic", "jobs_created", 1010, 0.4, NULL, NAN);
    add_finding("healthcare", "healthcare", "medicaid_enrollment", 5, 0.7, "4", NAN); /* nobody else */
    add_finding("healthcare", "unquantified_effect", NULL, 0, 0.6, "4", 2.0); /* the totals leave it out */
    add_finding("social_security", "social_security", NULL, 0, 0.9, "2", NAN); /* no value */
    add_finding("fiscal", "unquantified_effect", NULL, 0, 0.5, "5", NAN);     /* flagged without a value */
}

START_TEST(debate_topics_only_where_analysts_disagree)
{
    ck_assert_int_eq(fake_load("debate"), PS_OK);
    view_reset(3, 0.8, 0.75);
    disagreeing_findings();
    everyone_answers(10);
    ck_assert_int_eq(moderate(), PS_OK);
    ck_assert_uint_eq(fake.open_count, 3);
    ck_assert_str_eq(fake.opens[0].metric, "unquantified_effect@4");
    ck_assert_str_eq(fake.opens[0].topic, "unquantified_effect@4: left out of the total by fiscal, economic -- "
                                          "healthcare 2 (conf 0.60), fiscal 0 (conf 0.80), economic 0 (conf 0.80)");
    ck_assert_str_eq(fake.opens[0].participants, "healthcare,fiscal,economic");
    ck_assert_str_eq(fake.opens[1].topic, "jobs_created: confidence differs by 0.50 -- "
                                          "fiscal 1000 (conf 0.90), economic 1010 (conf 0.40)");
    ck_assert_str_eq(fake.opens[1].participants, "fiscal,economic");
    ck_assert_str_eq(fake.opens[2].topic, "total_budget_authority_usd: estimates differ by 33.3% -- "
                                          "fiscal 100 (conf 0.80), economic 150 (conf 0.80)");
    ck_assert_str_eq(fake.thoughts[0][1], "3 disagreements found; debating the 3 largest: unquantified_effect@4, "
                                          "jobs_created, total_budget_authority_usd");
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
    ck_assert_int_eq(moderate(), PS_OK);
    ck_assert_uint_eq(fake.open_count, 2);
    ck_assert_str_eq(fake.opens[0].metric, "unquantified_effect@4");
    ck_assert_str_eq(fake.opens[1].metric, "jobs_created");
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
    ck_assert_int_eq(moderate(), PS_OK);
    ck_assert_uint_eq(fake.open_count, 0);
    ck_assert_uint_eq(fake.ask_count, 0);
    ck_assert_uint_eq(fake.thought_count, 1);
    ck_assert_str_eq(fake.thoughts[0][0], "The analysts agree");
    ck_assert_str_eq(fake.thoughts[0][1], "3 findings from 4 analysts on 2 subjects: no shared metric differs by "
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
    ck_assert_int_eq(moderate(), PS_OK);
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
    ck_assert_int_eq(moderate(), PS_OK);
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
    ck_assert_int_eq(moderate(), PS_OK);
    /* mean 150: spread 50, 30, 29 -> the second round moves by 1/150 < 0.01 */
    ck_assert_uint_eq(fake.converge_count, 2);
    assert_converge(0, 1, 1 - 30.0 / 150, 1 - 50.0 / 150, 0, "(none)");
    assert_converge(1, 2, 1 - 29.0 / 150, 1 - 30.0 / 150, 0, "stalemate");
    ck_assert_str_eq(fake.closes[0].stop_reason, "stalemate");
    ck_assert_int_eq(fake.closes[0].rounds, 2);
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
    ck_assert_int_eq(moderate(), PS_OK);
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
    ck_assert_int_eq(moderate(), PS_OK);
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
    ck_assert_int_eq(moderate(), PS_ECANCELED);
    ck_assert_uint_eq(fake.ask_count, 1);
    ck_assert_uint_eq(fake.close_count, 0);
    ck_assert_str_eq(fake.error, "cancelled in round 1 of the debate on unquantified_effect@4");
}
END_TEST

START_TEST(debate_rejects_a_finding_from_an_unknown_agent)
{
    ck_assert_int_eq(fake_load("debate"), PS_OK);
    view_reset(3, 0.8, 0.75);
    add_analyst("fiscal");
    add_finding("ghost", "fiscal", "cost", 1, 0.5, NULL, NAN);
    ck_assert_int_eq(moderate(), PS_EINVAL);
    ck_assert_str_eq(fake.error, "finding 0 (ghost-1 of ghost) comes from an agent that is not a completed analyst");
    ck_assert_int_eq(fake.def->moderate(fake.state, &fake.run, NULL), PS_EINVAL);
    ck_assert_str_eq(fake.error, "the swarm view is missing or too small for ABI 1.0");
    ck_assert_uint_eq(fake.open_count, 0);
}
END_TEST

/* ---- consensus: the report, decoded with msgpack-c ------------------------------------- */

static msgpack_unpacked report;

/* Every map key in the tree is a string (what the host requires). */
static int keys_are_strings(const msgpack_object *o)
{
    if (o->type == MSGPACK_OBJECT_ARRAY) {
        for (uint32_t i = 0; i < o->via.array.size; i++)
            if (!keys_are_strings(&o->via.array.ptr[i]))
                return 0;
    } else if (o->type == MSGPACK_OBJECT_MAP) {
        for (uint32_t i = 0; i < o->via.map.size; i++)
            if (o->via.map.ptr[i].key.type != MSGPACK_OBJECT_STR || !keys_are_strings(&o->via.map.ptr[i].val))
                return 0;
    }
    return 1;
}

/* Decodes the emitted report: exactly one map with string keys. */
static const msgpack_object *report_root(void)
{
    size_t offset = 0;
    msgpack_unpacked_destroy(&report);
    msgpack_unpacked_init(&report);
    ck_assert_int_eq(msgpack_unpack_next(&report, (const char *)fake.consensus.report, fake.consensus.report_size,
                                         &offset), MSGPACK_UNPACK_SUCCESS);
    ck_assert_uint_eq(offset, fake.consensus.report_size);
    ck_assert_int_eq(report.data.type, MSGPACK_OBJECT_MAP);
    ck_assert(keys_are_strings(&report.data));
    return &report.data;
}

static const msgpack_object *get(const msgpack_object *map, const char *key)
{
    for (uint32_t i = 0; i < map->via.map.size; i++) {
        const msgpack_object_str *k = &map->via.map.ptr[i].key.via.str;
        if (k->size == strlen(key) && memcmp(k->ptr, key, k->size) == 0)
            return &map->via.map.ptr[i].val;
    }
    ck_abort_msg("no key %s in the report", key);
    return NULL;
}

static const msgpack_object *at(const msgpack_object *array, uint32_t i)
{
    ck_assert_int_eq(array->type, MSGPACK_OBJECT_ARRAY);
    ck_assert_uint_lt(i, array->via.array.size);
    return &array->via.array.ptr[i];
}

static void assert_str(const msgpack_object *o, const char *expected)
{
    ck_assert_int_eq(o->type, MSGPACK_OBJECT_STR);
    ck_assert_uint_eq(o->via.str.size, strlen(expected));
    ck_assert(memcmp(o->via.str.ptr, expected, o->via.str.size) == 0);
}

static void assert_group(uint32_t i, const char *key, const char *level, double agreement)
{
    const msgpack_object *g = at(get(report_root(), "groups"), i);
    assert_str(get(g, "key"), key);
    assert_str(get(g, "level"), level);
    ck_assert_double_eq_tol(get(g, "agreement")->via.f64, agreement, 1e-12);
}

static void teardown_report(void)
{
    msgpack_unpacked_destroy(&report);
    memset(&report, 0, sizeof report);
    fake_unload();
}

/* ---- consensus: levels, holders, debates ----------------------------------------------- */

START_TEST(consensus_levels_at_their_boundaries)
{
    fake.overrides[0][0] = "strong_threshold", fake.overrides[0][1] = "0.875";
    ck_assert_int_eq(fake_load("consensus"), PS_OK);
    view_reset(3, 0.8, 0.75);
    add_analyst("fiscal");
    add_analyst("economic");
    static const struct { const char *metric; double fiscal, economic; } cases[] = {
        {"a", 0.875, 0.875}, /* 0.875: strong_consensus, exactly */
        {"b", 1.0, 0.74609375}, /* 0.873046875: just below strong */
        {"c", 0.875, 0.625}, /* 0.75: consensus, exactly */
        {"d", 0.75, 0.74609375}, /* 0.748046875: just below consensus */
        {"e", 0.5, 0.515625}, /* 0.5078125: majority */
        {"f", 0.5, 0.5}, /* 0.5: divided, majority needs more */
    };
    for (size_t i = 0; i < 6; i++) {
        add_finding("fiscal", "fiscal", cases[i].metric, 10, cases[i].fiscal, NULL, NAN);
        add_finding("economic", "economic", cases[i].metric, 10, cases[i].economic, NULL, NAN);
    }
    ck_assert_int_eq(build_consensus(), PS_OK);
    ck_assert_uint_eq(fake.consensus_count, 1);
    assert_group(0, "a", "strong_consensus", 0.875);
    assert_group(1, "b", "consensus", 0.873046875);
    assert_group(2, "c", "consensus", 0.75);
    assert_group(3, "d", "majority", 0.748046875);
    assert_group(4, "e", "majority", 0.5078125);
    assert_group(5, "f", "divided", 0.5);
    ck_assert_uint_eq(fake.consensus.agreed_count, 6);
    ck_assert_str_eq(fake.consensus.agreed[0], "fiscal-1");
    ck_assert_str_eq(fake.consensus.agreed[5], "economic-6");
    ck_assert_uint_eq(fake.consensus.strong_count, 2);
    ck_assert_str_eq(fake.consensus.strong[1], "economic-2");
    /* no impact anywhere: the overall agreement is the plain mean */
    ck_assert_double_eq_tol(fake.consensus.agreement, 4.25390625 / 6, 1e-12);
    ck_assert_str_eq(fake.consensus.level, "majority");
    ck_assert_str_eq(fake.consensus.summary, "majority: 3 of 6 finding groups agreed (1 strong), 2 majority, "
                                             "1 divided; 0 of 0 debates converged; overall agreement 0.71 from "
                                             "2 analysts.");
}
END_TEST

START_TEST(consensus_names_minority_views_and_weights_by_impact)
{
    ck_assert_int_eq(fake_load("consensus"), PS_OK);
    view_reset(3, 0.8, 0.75);
    add_analyst("fiscal");
    add_analyst("economic");
    add_analyst("healthcare");
    add_finding("fiscal", "fiscal", "total_cost", 100, 0.8, NULL, NAN)->impact_magnitude = 0.5;
    add_finding("economic", "economic", "total_cost", 102, 0.8, NULL, NAN);
    add_finding("healthcare", "healthcare", "total_cost", 300, 0.6, NULL, NAN)->description = "counts Medicaid";
    add_finding("fiscal", "fiscal", NULL, 0, 1.0, "3", NAN)->impact_magnitude = 1.0;
    ck_assert_int_eq(build_consensus(), PS_OK);
    assert_group(0, "total_cost", "majority", 1.6 / 3);
    assert_group(1, "fiscal@3", "divided", 1.0 / 3);
    const msgpack_object *g = at(get(report_root(), "groups"), 0);
    assert_str(at(get(g, "holders"), 1), "economic");
    assert_str(at(get(g, "dissenters"), 0), "healthcare");
    const msgpack_object *minority = get(report_root(), "minority_views");
    ck_assert_uint_eq(minority->via.array.size, 1);
    assert_str(get(at(minority, 0), "finding_id"), "healthcare-3");
    assert_str(get(at(minority, 0), "description"), "counts Medicaid");
    ck_assert_double_eq(get(at(minority, 0), "value")->via.f64, 300);
    ck_assert_double_eq_tol(fake.consensus.agreement, (0.5 * 1.6 / 3 + 1.0 / 3) / 1.5, 1e-12);
    ck_assert_uint_eq(fake.consensus.agreed_count, 0);
    ck_assert_str_eq(fake.consensus.summary, "divided: 0 of 2 finding groups agreed (0 strong), 1 majority, "
                                             "1 divided; 0 of 0 debates converged; overall agreement 0.40 from "
                                             "3 analysts. Widest split: total_cost (fiscal, economic vs healthcare).");
}
END_TEST

START_TEST(consensus_uses_the_debate_outcome_for_debated_metrics)
{
    ck_assert_int_eq(fake_load("consensus"), PS_OK);
    view_reset(3, 0.8, 0.75);
    add_analyst("fiscal");
    add_analyst("economic");
    add_finding("fiscal", "fiscal", "total_x", 100, 0.9, NULL, NAN);
    add_finding("economic", "economic", "total_x", 150, 0.9, NULL, NAN);
    add_finding("economic", "unquantified_effect", NULL, 0, 0.9, "4", 2.0);
    ps_debate_outcome *o = add_outcome("total_x", 0.9, 1, "threshold");
    add_position(o, "fiscal", 120, 1.0, NULL);
    add_position(o, "economic", 125, 0.8, NULL);
    o = add_outcome("unquantified_effect@4", 0.25, 0, "max_rounds");
    add_position(o, "economic", 2.0, 0.9, NULL);
    add_position(o, "fiscal", 0, 0.8, "total_x = 100 does not count unquantified_effect@4");
    ck_assert_int_eq(build_consensus(), PS_OK);
    assert_group(0, "total_x", "consensus", 0.9 * 1.8 / 2);
    assert_group(1, "unquantified_effect@4", "divided", 0.25 * 1.7 / 2);
    ck_assert_uint_eq(fake.consensus.agreed_count, 2);
    const msgpack_object *minority = at(get(report_root(), "minority_views"), 0);
    ck_assert_int_eq(get(minority, "finding_id")->type, MSGPACK_OBJECT_NIL);
    assert_str(get(minority, "agent_id"), "fiscal");
    assert_str(get(minority, "description"), "total_x = 100 does not count unquantified_effect@4");
    const msgpack_object *debate = at(get(report_root(), "debates"), 0);
    assert_str(get(debate, "metric"), "total_x");
    assert_str(get(debate, "stop_reason"), "threshold");
    ck_assert(get(debate, "converged")->via.boolean);
    ck_assert_int_eq(get(debate, "rounds")->via.i64, 2);
    assert_str(get(at(get(debate, "final_positions"), 1), "agent_id"), "economic");
    ck_assert_int_eq(get(report_root(), "truncated")->via.boolean, 0);
}
END_TEST

START_TEST(consensus_report_stays_within_the_host_limits)
{
    static char metrics[200][8], description[401];
    memset(description, 'x', 400);
    ck_assert_int_eq(fake_load("consensus"), PS_OK);
    view_reset(3, 0.8, 0.75);
    add_analyst("fiscal");
    add_analyst("economic");
    for (int i = 0; i < 200; i++) {
        snprintf(metrics[i], sizeof metrics[i], "m%d", i);
        add_finding("fiscal", "fiscal", metrics[i], 1, 0.9, NULL, NAN);
        add_finding("economic", "economic", metrics[i], 3, 0.5, NULL, NAN)->description = description;
    }
    ck_assert_int_eq(build_consensus(), PS_OK);
    ck_assert_uint_le(fake.consensus.report_size, 65536);
    const msgpack_object *root = report_root();
    ck_assert(get(root, "truncated")->via.boolean);
    ck_assert_int_eq(get(root, "groups_total")->via.i64, 200);
    ck_assert_uint_lt(get(root, "minority_views")->via.array.size, 200);
    ck_assert_uint_gt(get(root, "minority_views")->via.array.size, 0);
}
END_TEST

START_TEST(consensus_rejects_a_consensus_threshold_above_strong)
{
    ck_assert_int_eq(fake_load("consensus"), PS_OK);
    view_reset(3, 0.8, 0.95);
    add_analyst("fiscal");
    ck_assert_int_eq(build_consensus(), PS_EINVAL);
    ck_assert_str_eq(fake.error, "consensus_threshold 0.95 must be in [0, strong_threshold 0.9]");
    ck_assert_uint_eq(fake.consensus_count, 0);
}
END_TEST

START_TEST(consensus_without_findings_is_divided)
{
    ck_assert_int_eq(fake_load("consensus"), PS_OK);
    view_reset(3, 0.8, 0.75);
    add_analyst("fiscal");
    ck_assert_int_eq(build_consensus(), PS_OK);
    ck_assert_str_eq(fake.consensus.level, "divided");
    ck_assert_double_eq(fake.consensus.agreement, 0);
    ck_assert_uint_eq(get(report_root(), "groups")->via.array.size, 0);
}
END_TEST

/* ---- both: ABI and configuration ---------------------------------------------------------------- */

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

int main(void)
{
    Suite *suite = suite_create("swarm_plugins");
    TCase *debate = tcase_create("debate");
    tcase_add_checked_fixture(debate, setup, teardown);
    tcase_add_test(debate, debate_topics_only_where_analysts_disagree);
    tcase_add_test(debate, debate_takes_only_the_largest_max_topics);
    tcase_add_test(debate, debate_without_disagreement_says_the_analysts_agree);
    tcase_add_test(debate, debate_stops_at_threshold_with_the_documented_scores);
    tcase_add_test(debate, debate_stops_at_max_rounds_and_targets_the_outlier);
    tcase_add_test(debate, debate_stops_at_stalemate_when_a_round_barely_moves);
    tcase_add_test(debate, debate_drops_analysts_that_fail_or_answer_nonsense);
    tcase_add_test(debate, debate_with_one_analyst_left_ends_in_stalemate);
    tcase_add_test(debate, debate_honours_cancellation);
    tcase_add_test(debate, debate_rejects_a_finding_from_an_unknown_agent);
    suite_add_tcase(suite, debate);
    TCase *consensus = tcase_create("consensus");
    tcase_add_checked_fixture(consensus, setup, teardown_report);
    tcase_add_test(consensus, consensus_levels_at_their_boundaries);
    tcase_add_test(consensus, consensus_names_minority_views_and_weights_by_impact);
    tcase_add_test(consensus, consensus_uses_the_debate_outcome_for_debated_metrics);
    tcase_add_test(consensus, consensus_report_stays_within_the_host_limits);
    tcase_add_test(consensus, consensus_rejects_a_consensus_threshold_above_strong);
    tcase_add_test(consensus, consensus_without_findings_is_divided);
    tcase_add_loop_test(consensus, declared_settings_match_the_default_config, 0, 2);
    suite_add_tcase(suite, consensus);
    SRunner *runner = srunner_create(suite);
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
