/* Unit tests: where a connecting client starts, and the resume notice (resume.h). */
#include <check.h>
#include <cjson/cJSON.h>
#include <stdlib.h>

#include "edge/resume.h"

/* A ring of 100 holding 51..150 (full), or 140..150 after expiry (not full). */
static const stream_position FULL = {.head = 150, .oldest = 51, .buffered = 100, .capacity = 100};
static const stream_position AGED = {.head = 150, .oldest = 140, .buffered = 11, .capacity = 100};
static const stream_position EMPTY_AFTER_TTL = {.head = 150, .oldest = 0, .buffered = 0, .capacity = 100};
static const stream_position NOTHING_YET = {.head = 0, .oldest = 0, .buffered = 0, .capacity = 100};
static const stream_position FROM_ONE = {.head = 20, .oldest = 1, .buffered = 20, .capacity = 100};

START_TEST(fresh_join_with_everything_buffered_needs_no_notice)
{
    resume_plan p = resume_plan_for(0, &FROM_ONE);
    ck_assert_int_eq(p.notify, 0);
    ck_assert_int_eq(p.recovered, 1);
    ck_assert_uint_eq(p.start, 1);
}
END_TEST

START_TEST(join_before_any_event_starts_at_one)
{
    resume_plan p = resume_plan_for(0, &NOTHING_YET);
    ck_assert_int_eq(p.notify, 0);
    ck_assert_uint_eq(p.start, 1);
}
END_TEST

START_TEST(buffered_position_resumes_right_after_it)
{
    for (uint64_t n = 50; n <= 150; n++) {
        resume_plan p = resume_plan_for(n, &FULL);
        ck_assert_int_eq(p.notify, 1);
        ck_assert_int_eq(p.recovered, 1);
        ck_assert_ptr_null(p.reason);
        ck_assert_uint_eq(p.start, n + 1);
        ck_assert_uint_eq(p.missed, 0);
    }
}
END_TEST

START_TEST(position_pushed_out_of_a_full_buffer_is_too_old)
{
    resume_plan p = resume_plan_for(10, &FULL);
    ck_assert_int_eq(p.recovered, 0);
    ck_assert_str_eq(p.reason, "too_old");
    ck_assert_uint_eq(p.start, 51);
    ck_assert_uint_eq(p.missed, 40); /* 11..50 */
    p = resume_plan_for(0, &FULL);    /* a fresh join whose event 1 is gone is told too */
    ck_assert_int_eq(p.notify, 1);
    ck_assert_str_eq(p.reason, "too_old");
    ck_assert_uint_eq(p.missed, 50);
}
END_TEST

START_TEST(position_aged_out_of_a_partial_buffer_is_expired)
{
    resume_plan p = resume_plan_for(100, &AGED);
    ck_assert_str_eq(p.reason, "expired");
    ck_assert_uint_eq(p.start, 140);
    ck_assert_uint_eq(p.missed, 39);
    p = resume_plan_for(100, &EMPTY_AFTER_TTL);
    ck_assert_str_eq(p.reason, "expired");
    ck_assert_uint_eq(p.start, 151); /* nothing buffered: the next event */
    ck_assert_uint_eq(p.missed, 50);
}
END_TEST

START_TEST(position_ahead_of_head_is_unknown)
{
    resume_plan p = resume_plan_for(151, &FULL);
    ck_assert_str_eq(p.reason, "unknown_position");
    ck_assert_uint_eq(p.start, 51); /* everything still buffered */
    ck_assert_uint_eq(p.missed, 0);
    p = resume_plan_for(7, &NOTHING_YET); /* e.g. the host restarted */
    ck_assert_str_eq(p.reason, "unknown_position");
    ck_assert_uint_eq(p.start, 1);
}
END_TEST

START_TEST(notice_json_has_the_documented_shape)
{
    resume_plan p = resume_plan_for(10, &FULL);
    char *json = resume_notice_json(&p);
    ck_assert_str_eq(json, "{\"type\":\"resume\",\"recovered\":false,\"reason\":\"too_old\",\"last_sequence\":10,"
                           "\"resumed_from\":51,\"missed\":40,\"oldest_sequence\":51,\"head_sequence\":150}");
    free(json);
    p = resume_plan_for(149, &FULL);
    json = resume_notice_json(&p);
    ck_assert_str_eq(json, "{\"type\":\"resume\",\"recovered\":true,\"reason\":null,\"last_sequence\":149,"
                           "\"resumed_from\":150,\"missed\":0,\"oldest_sequence\":51,\"head_sequence\":150}");
    free(json);
    p = resume_plan_for(3, &EMPTY_AFTER_TTL);
    json = resume_notice_json(&p);
    cJSON *o = cJSON_Parse(json);
    ck_assert(cJSON_IsNull(cJSON_GetObjectItem(o, "oldest_sequence")));
    cJSON_Delete(o);
    free(json);
}
END_TEST

static Suite *resume_suite(void)
{
    Suite *s = suite_create("resume");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, fresh_join_with_everything_buffered_needs_no_notice);
    tcase_add_test(tc, join_before_any_event_starts_at_one);
    tcase_add_test(tc, buffered_position_resumes_right_after_it);
    tcase_add_test(tc, position_pushed_out_of_a_full_buffer_is_too_old);
    tcase_add_test(tc, position_aged_out_of_a_partial_buffer_is_expired);
    tcase_add_test(tc, position_ahead_of_head_is_unknown);
    tcase_add_test(tc, notice_json_has_the_documented_shape);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(resume_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
