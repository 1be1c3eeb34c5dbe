/* Unit tests: request paths (routes.h), client messages and the edge's own
 * JSON texts (messages.h), the reply queue (frame.h). */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "edge/frame.h"
#include "edge/messages.h"
#include "edge/routes.h"

START_TEST(every_route_is_found_with_its_id)
{
    static const struct {
        const char *path;
        route r;
        const char *id;
    } cases[] = {
        {"/healthz", ROUTE_HEALTH, ""},
        {"/api/v1/ws/stats", ROUTE_STATS, ""},
        {"/api/v1/ws/analysis/hr-3168_a", ROUTE_STREAM, "hr-3168_a"},
        {"/api/v1/ws/analysis/X9/status", ROUTE_STREAM_STATUS, "X9"},
        {"/api/v1/analyses", ROUTE_ANALYSES, ""},
        {"/api/v1/analyses/abc", ROUTE_ANALYSIS, "abc"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        route_match m = route_find(cases[i].path);
        ck_assert_int_eq(m.route, cases[i].r);
        ck_assert_int_eq(m.bad_id, 0);
        ck_assert_str_eq(m.id, cases[i].id);
    }
}
END_TEST

START_TEST(unknown_paths_are_not_found)
{
    const char *paths[] = {"/", "", "/healthz/", "/api/v1/ws/stats/x", "/api/v1/analyses/a/b",
                           "/api/v1/ws/analysis/a/statusx", "/api/v1/ws/analysis/a/b/status", "/API/v1/analyses"};
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++)
        ck_assert_int_eq(route_find(paths[i]).route, ROUTE_NOT_FOUND);
}
END_TEST

START_TEST(ids_outside_the_alphabet_or_length_are_bad)
{
    char long_path[128] = "/api/v1/analyses/";
    memset(long_path + strlen(long_path), 'a', 65);
    const char *paths[] = {"/api/v1/analyses/a.b", "/api/v1/ws/analysis/", "/api/v1/ws/analysis//status",
                           "/api/v1/analyses/sp ace", long_path};
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        route_match m = route_find(paths[i]);
        ck_assert_int_ne(m.route, ROUTE_NOT_FOUND);
        ck_assert_int_eq(m.bad_id, 1);
        ck_assert_str_eq(m.id, "");
    }
    long_path[strlen(long_path) - 1] = '\0'; /* 64 characters: allowed */
    ck_assert_int_eq(route_find(long_path).bad_id, 0);
}
END_TEST

START_TEST(each_route_accepts_one_method)
{
    ck_assert_str_eq(route_method(ROUTE_ANALYSES), "POST");
    ck_assert_str_eq(route_method(ROUTE_ANALYSIS), "GET");
    ck_assert_str_eq(route_method(ROUTE_STATS), "GET");
}
END_TEST

START_TEST(last_sequence_is_digits_that_fit_64_bits)
{
    uint64_t v = 99;
    ck_assert_int_eq(route_parse_sequence(NULL, &v), 0);
    ck_assert_uint_eq(v, 0);
    ck_assert_int_eq(route_parse_sequence("42", &v), 0);
    ck_assert_uint_eq(v, 42);
    ck_assert_int_eq(route_parse_sequence("18446744073709551615", &v), 0);
    ck_assert_uint_eq(v, UINT64_MAX);
    const char *bad[] = {"", "-1", "+1", "1.5", "12abc", " 1", "18446744073709551616"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        ck_assert_int_eq(route_parse_sequence(bad[i], &v), -1);
}
END_TEST

static client_request parse(const char *text, char *error)
{
    return message_parse_client(text, strlen(text), error, 200);
}

START_TEST(ping_and_progress_request_are_understood)
{
    char error[200];
    ck_assert_int_eq(parse("{\"type\":\"ping\"}", error), CLIENT_PING);
    ck_assert_int_eq(parse(" {\"type\" : \"progress_request\", \"extra\": 1}\n", error), CLIENT_PROGRESS_REQUEST);
}
END_TEST

START_TEST(everything_else_is_invalid_with_a_reason)
{
    static const struct {
        const char *text, *reason;
    } cases[] = {
        {"{\"type\":\"Ping\"}", "unknown message type \"Ping\""},
        {"{}", "needs a string \"type\""},
        {"{\"type\":null}", "needs a string \"type\""},
        {"{\"type\":\"ping\"", "malformed JSON"},
        {"{\"type\":\"ping\"}{}", "malformed JSON"},
        {"", "malformed JSON"},
        {"[]", "not an array"},
        {"\"x\"", "not a string"},
        {"1", "not a number"},
        {"false", "not a boolean"},
        {"null", "not null"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char error[200] = "";
        ck_assert_int_eq(parse(cases[i].text, error), CLIENT_INVALID);
        ck_assert_msg(strstr(error, cases[i].reason), "%s: %s", cases[i].text, error);
    }
}
END_TEST

START_TEST(a_long_unknown_type_is_cut_in_the_error)
{
    char text[400] = "{\"type\":\"";
    memset(text + strlen(text), 'q', 300);
    strcat(text, "\"}");
    char error[200];
    ck_assert_int_eq(parse(text, error), CLIENT_INVALID);
    ck_assert_ptr_null(strstr(error, "qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq")); /* 65 */
}
END_TEST

START_TEST(replies_are_the_documented_json)
{
    char *pong = message_pong(1764495795123000000LL);
    ck_assert_str_eq(pong, "{\"type\":\"pong\",\"timestamp\":\"2025-11-30T09:43:15.123Z\"}");
    char *error = message_client_error("bad \"x\"");
    ck_assert_str_eq(error, "{\"type\":\"error\",\"error\":\"bad \\\"x\\\"\"}");
    char *body = message_error_body("nope");
    ck_assert_str_eq(body, "{\"error\":\"nope\"}");
    char *reason = message_limit_reason("too many", 100);
    ck_assert_str_eq(reason, "{\"error\":\"too many\",\"limit\":100}");
    free(pong);
    free(error);
    free(body);
    free(reason);
}
END_TEST

START_TEST(reply_queue_is_first_in_first_out)
{
    frame_queue q = {0};
    frame_queue_push(&q, frame_new("a", 1, 0));
    frame_queue_push(&q, frame_from_string(strdup("bc")));
    ck_assert_uint_eq(q.count, 2);
    frame *f = frame_queue_pop(&q);
    ck_assert_uint_eq(f->length, 1);
    ck_assert_int_eq(memcmp(frame_payload(f), "a", 1), 0);
    free(f);
    frame_queue_push(&q, frame_new("d", 1, 7));
    f = frame_queue_pop(&q);
    ck_assert_int_eq(memcmp(frame_payload(f), "bc", 2), 0);
    free(f);
    f = frame_queue_pop(&q);
    ck_assert_uint_eq(f->sequence, 7);
    free(f);
    ck_assert_ptr_null(frame_queue_pop(&q));
    ck_assert_ptr_null(frame_from_string(NULL));
}
END_TEST

static Suite *edge_suite(void)
{
    Suite *s = suite_create("routes_messages");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, every_route_is_found_with_its_id);
    tcase_add_test(tc, unknown_paths_are_not_found);
    tcase_add_test(tc, ids_outside_the_alphabet_or_length_are_bad);
    tcase_add_test(tc, each_route_accepts_one_method);
    tcase_add_test(tc, last_sequence_is_digits_that_fit_64_bits);
    tcase_add_test(tc, ping_and_progress_request_are_understood);
    tcase_add_test(tc, everything_else_is_invalid_with_a_reason);
    tcase_add_test(tc, a_long_unknown_type_is_cut_in_the_error);
    tcase_add_test(tc, replies_are_the_documented_json);
    tcase_add_test(tc, reply_queue_is_first_in_first_out);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(edge_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
