/*
 * test_bench_wire — the benchmark's message reader: it must read the
 * sequence, types and load-item stamps of real server messages in any
 * layout, and refuse what is not a well-formed message, or the benchmark's
 * gap/duplicate checks could pass on a stream they misread.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "bench_wire.h"

static int read_text(const char *json, wire_message *m)
{
    return wire_read(json, strlen(json), m);
}

START_TEST(load_item_is_read_with_its_stamp)
{
    wire_message m;
    const char *json = "{\"event_id\":\"a1-7\",\"event_type\":\"agent_event\",\"analysis_id\":\"a1\","
                       "\"data\":{\"agent_id\":\"loadgen\",\"name\":\"load\",\"data\":{\"seq\":41,"
                       "\"mono_ns\":2732224062606,\"pad\":\"xx\"}},\"timestamp\":\"2026-11-30T10:28:03.979Z\","
                       "\"sequence\":47}";
    ck_assert_int_eq(read_text(json, &m), 0);
    ck_assert_str_eq(m.event_type, "agent_event");
    ck_assert_int_eq(m.numbered, 1);
    ck_assert_uint_eq(m.sequence, 47);
    ck_assert_int_eq(m.load_item, 1);
    ck_assert_uint_eq(m.item, 41);
    ck_assert_int_eq(m.stamp_ns, 2732224062606LL);
}
END_TEST

START_TEST(progress_outside_the_stream_is_not_numbered)
{
    wire_message m;
    const char *json = "{\"event_id\":\"a1-progress\",\"event_type\":\"progress_update\",\"analysis_id\":\"a1\","
                       "\"data\":{\"stage\":\"analyzing\",\"overall_progress\":0.05,\"eta\":null},"
                       "\"timestamp\":\"2026-11-30T10:28:05.075Z\",\"sequence\":null}";
    ck_assert_int_eq(read_text(json, &m), 0);
    ck_assert_str_eq(m.event_type, "progress_update");
    ck_assert_int_eq(m.numbered, 0);
    ck_assert_int_eq(m.load_item, 0);
}
END_TEST

START_TEST(resume_notice_gives_where_the_stream_resumes)
{
    wire_message m;
    const char *json = "{\"type\":\"resume\",\"recovered\":false,\"reason\":\"too_old\",\"last_sequence\":0,"
                       "\"resumed_from\":18,\"missed\":17,\"oldest_sequence\":18,\"head_sequence\":1017}";
    ck_assert_int_eq(read_text(json, &m), 0);
    ck_assert_str_eq(m.type, "resume");
    ck_assert_uint_eq(m.resumed_from, 18);
    ck_assert_int_eq(m.numbered, 0);
}
END_TEST

START_TEST(any_key_order_escapes_and_nesting)
{
    wire_message m;
    /* "sequence" first, a decoy "sequence" inside a string and inside nested data, escaped quotes */
    const char *json = " { \"sequence\" : 9 , \"data\" : {\"x\":[1,{\"sequence\":3,\"s\":\"}\\\"]\"}],\"y\":true},"
                       "\"note\":\"\\\\\",\"event_type\":\"agent_finding\"} ";
    ck_assert_int_eq(read_text(json, &m), 0);
    ck_assert_uint_eq(m.sequence, 9);
    ck_assert_str_eq(m.event_type, "agent_finding");
}
END_TEST

START_TEST(agent_event_of_another_name_is_not_a_load_item)
{
    wire_message m;
    const char *json = "{\"event_type\":\"agent_event\",\"data\":{\"agent_id\":\"x\",\"name\":\"other\","
                       "\"data\":{\"seq\":1}},\"sequence\":3}";
    ck_assert_int_eq(read_text(json, &m), 0);
    ck_assert_int_eq(m.numbered, 1);
    ck_assert_int_eq(m.load_item, 0);
}
END_TEST

START_TEST(malformed_messages_are_refused)
{
    static const char *const bad[] = {
        "[1,2]",                                        /* not an object */
        "{\"sequence\":1.5}",                           /* not an integer */
        "{\"sequence\":-3}",                            /* negative */
        "{\"sequence\":5",                              /* truncated */
        "{\"sequence\":5} x",                           /* trailing text */
        "{\"a\":\"unterminated}",                       /* open string */
        "{\"a\":1,}",                                   /* dangling comma */
        "{\"event_type\":\"agent_event\",\"data\":{\"name\":\"load\",\"data\":{\"seq\":1}},\"sequence\":2}",
        "{\"sequence\":99999999999999999999999}",      /* does not fit */
        "",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        wire_message m;
        ck_assert_msg(read_text(bad[i], &m) == -1, "accepted: %s", bad[i]);
    }
}
END_TEST

START_TEST(deep_nesting_is_refused_not_overflowed)
{
    size_t depth = 10000;
    char *json = malloc(2 * depth + 32);
    ck_assert_ptr_nonnull(json);
    strcpy(json, "{\"data\":");
    size_t at = strlen(json);
    memset(json + at, '[', depth);
    memset(json + at + depth, ']', depth);
    strcpy(json + at + 2 * depth, "}");
    wire_message m;
    ck_assert_int_eq(read_text(json, &m), -1);
    free(json);
}
END_TEST

static Suite *wire_suite(void)
{
    Suite *s = suite_create("bench_wire");
    TCase *tc = tcase_create("read");
    tcase_add_test(tc, load_item_is_read_with_its_stamp);
    tcase_add_test(tc, progress_outside_the_stream_is_not_numbered);
    tcase_add_test(tc, resume_notice_gives_where_the_stream_resumes);
    tcase_add_test(tc, any_key_order_escapes_and_nesting);
    tcase_add_test(tc, agent_event_of_another_name_is_not_a_load_item);
    tcase_add_test(tc, malformed_messages_are_refused);
    tcase_add_test(tc, deep_nesting_is_refused_not_overflowed);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *runner = srunner_create(wire_suite());
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
