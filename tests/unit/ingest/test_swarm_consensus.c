/*
 * test_swarm_consensus — the shipped consensus plugin, loaded with dlopen
 * from the build and given hand-built swarm views (swarm_fake_host.h): who
 * votes on a group, agreement and levels at their boundaries, uncontested
 * groups, minority views, debated keys, totals the debates found to be
 * floors, and the MessagePack report decoded with msgpack-c.
 */
#include <check.h>
#include <msgpack.h>
#include "swarm_fake_host.h"
#include "../check_main.h"

static void setup(void)
{
    fake_reset();
}

static int build_consensus(void)
{
    return fake.def->build_consensus(fake.state, &fake.run, &vb.view);
}

/* ---- the report, decoded with msgpack-c ------------------------------------- */

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

/* ---- levels, voters, holders, debates ----------------------------------------------- */

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
    ck_assert_str_eq(fake.consensus.summary, "majority: 3 of 6 finding groups agreed (1 strong, 0 uncontested), "
                                             "2 majority, "
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
    assert_group(1, "fiscal@3", "consensus", 1.0); /* uncontested: never strong */
    const msgpack_object *g = at(get(report_root(), "groups"), 0);
    assert_str(at(get(g, "holders"), 1), "economic");
    assert_str(at(get(g, "dissenters"), 0), "healthcare");
    const msgpack_object *minority = get(report_root(), "minority_views");
    ck_assert_uint_eq(minority->via.array.size, 1);
    assert_str(get(at(minority, 0), "finding_id"), "healthcare-3");
    assert_str(get(at(minority, 0), "description"), "counts Medicaid");
    ck_assert_double_eq(get(at(minority, 0), "value")->via.f64, 300);
    ck_assert_double_eq_tol(fake.consensus.agreement, (0.5 * 1.6 / 3 + 1.0 * 1.0) / 1.5, 1e-12);
    ck_assert_str_eq(fake.consensus.level, "consensus");
    ck_assert_uint_eq(fake.consensus.agreed_count, 1);
    ck_assert_str_eq(fake.consensus.agreed[0], "fiscal-4");
    ck_assert_str_eq(fake.consensus.summary, "consensus: 1 of 2 finding groups agreed (0 strong, 1 uncontested), "
                                             "1 majority, 0 divided; 0 of 0 debates converged; overall agreement "
                                             "0.84 from 3 analysts. Widest split: total_cost (fiscal, economic vs "
                                             "healthcare).");
}
END_TEST

START_TEST(consensus_counts_only_the_analysts_that_took_a_position)
{
    ck_assert_int_eq(fake_load("consensus"), PS_OK);
    view_reset(3, 0.8, 0.75);
    four_analysts();
    add_finding("fiscal", "fiscal", "shared", 10, 0.9, NULL, NAN);     /* 2 voters of 4 analysts */
    add_finding("economic", "economic", "shared", 10, 0.875, NULL, NAN);
    add_finding("fiscal", "fiscal", "split", 10, 0.75, NULL, NAN);     /* economic dissents */
    add_finding("economic", "economic", "split", 20, 0.5, NULL, NAN);
    add_finding("healthcare", "healthcare", NULL, 0, 0.95, "2", NAN);  /* one voter, confident */
    add_finding("social_security", "social_security", NULL, 0, 0.625, "3", NAN); /* one voter, unsure */
    ck_assert_int_eq(build_consensus(), PS_OK);
    assert_group(0, "shared", "consensus", 1.775 / 2);
    assert_group(1, "split", "divided", 0.75 / 2);
    assert_group(2, "healthcare@2", "consensus", 0.95);
    assert_group(3, "social_security@3", "majority", 0.625);
    const msgpack_object *groups = get(report_root(), "groups");
    ck_assert(!get(at(groups, 0), "uncontested")->via.boolean);
    ck_assert(get(at(groups, 2), "uncontested")->via.boolean);
    ck_assert_uint_eq(fake.consensus.agreed_count, 3);
    ck_assert_str_eq(fake.consensus.agreed[0], "fiscal-1");
    ck_assert_str_eq(fake.consensus.agreed[1], "economic-2");
    ck_assert_str_eq(fake.consensus.agreed[2], "healthcare-5");
    ck_assert_uint_eq(fake.consensus.strong_count, 0);
    ck_assert_double_eq_tol(fake.consensus.agreement, (1.775 / 2 + 0.75 / 2 + 0.95 + 0.625) / 4, 1e-12);
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

START_TEST(consensus_says_which_totals_are_floors_and_who_acknowledged)
{
    static const char acknowledged[] = "Acknowledged: the total is a floor.";
    static const char fiscal_note[] = "Acknowledged: the total is a floor. Left out of the total (conf 0.95): fiscal-9.";
    static const char healthcare_note[] = "Left out of the total (conf 0.60): healthcare-4 (sec. 2).";
    ck_assert_int_eq(fake_load("consensus"), PS_OK);
    view_reset(3, 0.8, 0.75);
    four_analysts();
    add_finding("fiscal", "fiscal", "cost_usd", 0, 0.8, NULL, 0);
    add_finding("economic", "economic", "cost_usd", 0, 0.8, NULL, 0);
    add_finding("social_security", "social_security", "cost_usd", 0, 0.8, NULL, 0);
    add_effect("healthcare", "2", 0.6, 0.5);
    add_finding("fiscal", "fiscal", "authority_usd", 0, 0.8, NULL, 0);
    ps_debate_outcome *o = add_outcome("cost_usd", 1.0, 1, "threshold");
    add_position(o, "fiscal", 0, 0.56, fiscal_note);
    add_position(o, "economic", 0, 0.5, acknowledged);
    add_position(o, "social_security", 0, 0.8, "a scripted finding");
    add_position(o, "healthcare", 0, 0.6, healthcare_note);
    o = add_outcome("authority_usd", 1.0, 1, "threshold");
    add_position(o, "fiscal", 0, 0.8, "a scripted finding");
    add_position(o, "healthcare", 0, 0.6, healthcare_note);
    ck_assert_int_eq(build_consensus(), PS_OK);
    /* cost_usd 1 x 2.46 / 4, healthcare@2 0.6 (the only impact, so also the overall), authority_usd 1 x 1.4 / 2 */
    assert_group(0, "cost_usd", "majority", 2.46 / 4);
    assert_group(2, "authority_usd", "majority", 0.7);
    ck_assert_str_eq(fake.consensus.summary,
                     "majority: 0 of 3 finding groups agreed (0 strong, 0 uncontested), 3 majority, 0 divided; 2 of 2 "
                     "debates converged; overall agreement 0.60 from 4 analysts. Floors: cost_usd leaves out what "
                     "fiscal, healthcare flag (acknowledged by economic; not by social_security); authority_usd leaves "
                     "out what healthcare flags (not acknowledged by fiscal).");
    const msgpack_object *groups = get(report_root(), "groups");
    const msgpack_object *floor = get(at(groups, 0), "floor");
    assert_str(at(get(floor, "flagged_by"), 0), "fiscal");
    assert_str(at(get(floor, "flagged_by"), 1), "healthcare");
    assert_str(at(get(floor, "acknowledged_by"), 0), "economic");
    assert_str(at(get(floor, "not_acknowledged_by"), 0), "social_security");
    ck_assert_uint_eq(get(floor, "not_acknowledged_by")->via.array.size, 1);
    ck_assert_int_eq(get(at(groups, 1), "floor")->type, MSGPACK_OBJECT_NIL);
    floor = get(at(groups, 2), "floor");
    ck_assert_uint_eq(get(floor, "acknowledged_by")->via.array.size, 0);
    assert_str(at(get(floor, "not_acknowledged_by"), 0), "fiscal");
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
static Suite *swarm_consensus_suite(void)
{
    Suite *suite = suite_create("swarm_consensus");
    TCase *consensus = tcase_create("consensus");
    tcase_add_checked_fixture(consensus, setup, teardown_report);
    tcase_add_test(consensus, consensus_levels_at_their_boundaries);
    tcase_add_test(consensus, consensus_names_minority_views_and_weights_by_impact);
    tcase_add_test(consensus, consensus_counts_only_the_analysts_that_took_a_position);
    tcase_add_test(consensus, consensus_uses_the_debate_outcome_for_debated_metrics);
    tcase_add_test(consensus, consensus_says_which_totals_are_floors_and_who_acknowledged);
    tcase_add_test(consensus, consensus_report_stays_within_the_host_limits);
    tcase_add_test(consensus, consensus_rejects_a_consensus_threshold_above_strong);
    tcase_add_test(consensus, consensus_without_findings_is_divided);
    suite_add_tcase(suite, consensus);
    return suite;
}

CHECK_MAIN(swarm_consensus_suite)
