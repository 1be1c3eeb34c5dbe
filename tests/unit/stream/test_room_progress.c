/* Unit tests: progress_update events of the stream room (room.h). */
#include "room_fixture.h"

static const room_settings UNPACED = {1000, 0, 100, 0};

/* The data of room_progress_json at now, printed unformatted. */
static char *progress_now(room *r, int64_t now)
{
    char *json = room_progress_json(r, now);
    cJSON *root = cJSON_Parse(json);
    ck_assert_ptr_nonnull(root);
    char *data = cJSON_PrintUnformatted(cJSON_GetObjectItemCaseSensitive(root, "data"));
    cJSON_Delete(root);
    free(json);
    return data;
}

static void expect_progress_now(room *r, int64_t now, const char *expected)
{
    char *data = progress_now(r, now);
    ck_assert_str_eq(data, expected);
    free(data);
}

START_TEST(each_stage_change_and_agent_completion_is_followed_by_progress)
{
    room *r = open_room(&UNPACED);
    push_pipeline_started(r, 0, 4);
    push_stage(r, 1 * SECOND, "analyzing");
    push_completed(r, 10 * SECOND, "a0");
    ck_assert_uint_eq(stored.count, 5);
    static const char *types[] = {"pipeline_started", "stage_changed", "progress_update", "agent_completed",
                                  "progress_update"};
    for (size_t i = 0; i < 5; i++) {
        ck_assert_str_eq(stored.items[i].event_type, types[i]);
        ck_assert_uint_eq(stored.items[i].sequence, i + 1);
    }
    expect_data(&stored.items[2], "{\"analysis_id\":\"bill-42\",\"bill_id\":\"hr-1\",\"stage\":\"analyzing\","
                                  "\"stage_progress\":0,\"overall_progress\":0.05,\"agents_complete\":0,"
                                  "\"agents_total\":4,\"debates_complete\":0,\"debates_expected\":0,"
                                  "\"estimated_time_remaining_seconds\":19,\"elapsed_seconds\":1,"
                                  "\"start_time\":\"2025-11-30T09:43:15.000Z\"}");
    /* 1 of 4 analysts: 0.05 + 0.55 * 0.25; ETA = 10 s / 0.1875 * 0.8125 */
    expect_data(&stored.items[4], "{\"analysis_id\":\"bill-42\",\"bill_id\":\"hr-1\",\"stage\":\"analyzing\","
                                  "\"stage_progress\":0.25,\"overall_progress\":0.1875,\"agents_complete\":1,"
                                  "\"agents_total\":4,\"debates_complete\":0,\"debates_expected\":0,"
                                  "\"estimated_time_remaining_seconds\":43.333,\"elapsed_seconds\":10,"
                                  "\"start_time\":\"2025-11-30T09:43:15.000Z\"}");
    ck_assert(strstr(stored.items[4].json, "\"timestamp\":\"2025-11-30T09:43:25.000Z\",\"sequence\":5}") != NULL);
}
END_TEST

START_TEST(progress_request_answers_outside_the_stream_with_a_fresh_eta)
{
    room *r = open_room(&UNPACED);
    push_pipeline_started(r, 0, 4);
    push_stage(r, 1 * SECOND, "analyzing");
    push_completed(r, 10 * SECOND, "a0");
    char *json = room_progress_json(r, 20 * SECOND);
    cJSON *root = cJSON_Parse(json);
    ck_assert(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(root, "sequence")));
    ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(root, "event_type")->valuestring, "progress_update");
    ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(root, "event_id")->valuestring, "bill-42-progress");
    cJSON_Delete(root);
    free(json);
    ck_assert_uint_eq(room_head(r), 5); /* nothing was stored */
    expect_progress_now(r, 20 * SECOND,
                        "{\"analysis_id\":\"bill-42\",\"bill_id\":\"hr-1\",\"stage\":\"analyzing\","
                        "\"stage_progress\":0.25,\"overall_progress\":0.1875,\"agents_complete\":1,"
                        "\"agents_total\":4,\"debates_complete\":0,\"debates_expected\":0,"
                        "\"estimated_time_remaining_seconds\":86.667,\"elapsed_seconds\":20,"
                        "\"start_time\":\"2025-11-30T09:43:15.000Z\"}");
}
END_TEST

START_TEST(before_any_progress_the_eta_is_null)
{
    room *r = open_room(&UNPACED);
    expect_progress_now(r, 5 * SECOND,
                        "{\"analysis_id\":\"bill-42\",\"bill_id\":null,\"stage\":\"ingesting\","
                        "\"stage_progress\":0,\"overall_progress\":0,\"agents_complete\":0,"
                        "\"agents_total\":0,\"debates_complete\":0,\"debates_expected\":0,"
                        "\"estimated_time_remaining_seconds\":null,\"elapsed_seconds\":0,\"start_time\":null}");
}
END_TEST

START_TEST(only_analysts_count_towards_agents_complete)
{
    room *r = open_room(&UNPACED);
    push_pipeline_started(r, 0, 4);
    push_stage(r, 0, "analyzing");
    push_completed(r, 1 * SECOND, "debate");
    push_completed(r, 2 * SECOND, "a1");
    push_completed(r, 3 * SECOND, "a1");
    ck_assert(number_in_data(&stored.items[stored.count - 1], "agents_complete") == 1.0);
    ck_assert(number_in_data(&stored.items[stored.count - 1], "agents_total") == 4.0);
}
END_TEST

START_TEST(debates_count_by_topic_and_complete_with_a_stop_reason)
{
    room *r = open_room(&UNPACED);
    push_pipeline_started(r, 0, 2);
    push_stage(r, 0, "analyzing");
    push_completed(r, 1 * SECOND, "a0");
    push_completed(r, 2 * SECOND, "a1");
    push_stage(r, 10 * SECOND, "debating");
    push(r, 11 * SECOND, "debate_started", NULL, 1, "topic", "deficit");
    push(r, 11 * SECOND, "debate_started", NULL, 1, "topic", "jobs");
    push(r, 12 * SECOND, "debate_started", NULL, 1, "topic", "deficit"); /* round 2 */
    push(r, 13 * SECOND, "debate_convergence", NULL, 2, "topic", "deficit", "stop_reason", "threshold_met");
    push(r, 14 * SECOND, "debate_convergence", NULL, 2, "topic", "jobs", "stop_reason", NULL);
    /* 0.05 + 0.55 + 0.2 * 1/2 = 0.7; ETA = 20 s / 0.7 * 0.3 */
    expect_progress_now(r, 20 * SECOND,
                        "{\"analysis_id\":\"bill-42\",\"bill_id\":\"hr-1\",\"stage\":\"debating\","
                        "\"stage_progress\":0.5,\"overall_progress\":0.7,\"agents_complete\":2,"
                        "\"agents_total\":2,\"debates_complete\":1,\"debates_expected\":2,"
                        "\"estimated_time_remaining_seconds\":8.571,\"elapsed_seconds\":20,"
                        "\"start_time\":\"2025-11-30T09:43:15.000Z\"}");
}
END_TEST

START_TEST(a_skipped_stage_counts_as_done)
{
    room *r = open_room(&UNPACED);
    push_pipeline_started(r, 0, 1);
    push_stage(r, 0, "analyzing");
    push_stage(r, 8 * SECOND, "voting");
    const record *last = &stored.items[stored.count - 1];
    ck_assert(number_in_data(last, "overall_progress") == 0.8);
    ck_assert(number_in_data(last, "estimated_time_remaining_seconds") == 2.0);
    push(r, 9 * SECOND, "consensus_reached", "consensus", 0);
    push_stage(r, 9 * SECOND, "synthesizing");
    ck_assert(number_in_data(&stored.items[stored.count - 1], "overall_progress") == 0.9);
}
END_TEST

START_TEST(complete_is_all_done_and_error_has_no_eta)
{
    room *r = open_room(&UNPACED);
    push_pipeline_started(r, 0, 2);
    push_stage(r, 0, "analyzing");
    push_completed(r, 4 * SECOND, "a0");
    push_stage(r, 5 * SECOND, "error");
    char *data = progress_now(r, 6 * SECOND);
    ck_assert(strstr(data, "\"stage\":\"error\",\"stage_progress\":0.5,\"overall_progress\":0.325,") != NULL);
    ck_assert(strstr(data, "\"estimated_time_remaining_seconds\":null") != NULL);
    free(data);
    push_stage(r, 7 * SECOND, "complete");
    const record *last = &stored.items[stored.count - 1];
    ck_assert(number_in_data(last, "stage_progress") == 1.0);
    ck_assert(number_in_data(last, "overall_progress") == 1.0);
    ck_assert(number_in_data(last, "estimated_time_remaining_seconds") == 0.0);
}
END_TEST

static Suite *room_progress_suite(void)
{
    Suite *s = suite_create("room_progress");
    room_tcase(CHECK_TCASE(s, "room_progress", each_stage_change_and_agent_completion_is_followed_by_progress,
                           progress_request_answers_outside_the_stream_with_a_fresh_eta,
                           before_any_progress_the_eta_is_null, only_analysts_count_towards_agents_complete,
                           debates_count_by_topic_and_complete_with_a_stop_reason, a_skipped_stage_counts_as_done,
                           complete_is_all_done_and_error_has_no_eta));
    return s;
}

CHECK_MAIN(room_progress_suite)
