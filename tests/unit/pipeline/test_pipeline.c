/*
 * Pipeline tests: a whole analysis on the real plugins and on fixture
 * analysts that fail, hang past their timeout or emit garbage — the rest of
 * the swarm must still finish, and the stream must say what happened.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cjson/cJSON.h>
#include "bus/bus.h"
#include "bus/envelope.h"
#include "bus/wire_json.h"
#include "pipeline/pipeline.h"
#include "../check_main.h"
#include "../test_data.h"

typedef struct seen_event {
    char type[40];
    char analysis[72];
    char agent[72];
    cJSON *data;
} seen_event;

typedef struct recorder {
    seen_event events[4096];
    size_t count;
    int completed;            /* analysis_complete events seen */
} recorder;

static void record(void *ctx, const uint8_t *msg, size_t len)
{
    recorder *r = ctx;
    envelope e;
    char err[128];
    ck_assert_int_eq(envelope_decode(msg, len, &e, err, sizeof err), 0);
    ck_assert_uint_lt(r->count, 4096);
    seen_event *s = &r->events[r->count++];
    snprintf(s->type, sizeof s->type, "%s", e.event_type);
    snprintf(s->analysis, sizeof s->analysis, "%s", e.analysis_id);
    snprintf(s->agent, sizeof s->agent, "%s", e.agent_id);
    s->data = wire_from_msgpack(&e.data);
    r->completed += strcmp(e.event_type, "analysis_complete") == 0;
    envelope_release(&e);
}

typedef struct harness {
    ps_config cfg;
    agent_set agents;
    bus *bus;
    pipeline *pipeline;
    recorder *rec;
} harness;

/* A config with the shipped analysts plus `extra` (YAML list items). */
static void harness_start(harness *h, const char *extra, double global_timeout)
{
    char yaml[4096];
    snprintf(yaml, sizeof yaml,
             "pipeline:\n  global_timeout_seconds: %g\n  agent_timeout_seconds: 10\n"
             "plugin_dirs: [%s, %s]\n"
             "agents:\n  - {name: fiscal, plugin: fiscal}\n  - {name: economic, plugin: economic}\n%s"
             "  - {name: debate, plugin: debate}\n  - {name: consensus, plugin: consensus}\n",
             global_timeout, PS_PLUGIN_DIR, PS_FIXTURE_DIR, extra);
    diag_list diags = {0};
    memset(h, 0, sizeof *h);
    int rc = config_load_string(yaml, strlen(yaml), "test.yaml", ".", &h->cfg, &diags);
    ck_assert_msg(rc == 0, "config: %s", diags.count ? diags.messages[0] : "?");
    rc = loader_load_all(&h->cfg, pipeline_host_api(), &h->agents, &diags);
    ck_assert_msg(rc == 0 && diags.count == 0, "loader: %s", diags.count ? diags.messages[0] : "?");
    h->bus = bus_new();
    h->rec = calloc(1, sizeof *h->rec);
    bus_subscribe(h->bus, record, h->rec);
    h->pipeline = pipeline_new(&h->cfg, &h->agents, h->bus);
    ck_assert_ptr_nonnull(h->pipeline);
}

/* Delivers the bus's events until `analyses` analysis_complete events came
 * (fails after 60 s). */
static void drain_until_completed(harness *h, int analyses)
{
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    while (h->rec->completed < analyses) {
        bus_wait(h->bus, 100);
        bus_drain(h->bus);
        struct timespec now;
        clock_gettime(CLOCK_MONOTONIC, &now);
        ck_assert_msg(now.tv_sec - start.tv_sec < 60, "analyses did not complete within 60 s");
    }
}

static void drain_until_complete(harness *h)
{
    drain_until_completed(h, 1);
}

static void harness_analyze(harness *h, const char *bill, const char *id)
{
    size_t len;
    char *text = test_read_dev_bill(bill, &len);
    analysis_request req = {.analysis_id = id, .bill_id = bill, .text = text, .length = len};
    char got[PS_ANALYSIS_ID_SIZE], err[256];
    ck_assert_msg(pipeline_submit(h->pipeline, &req, got, err, sizeof err) == 0, "%s", err);
    free(text);
    drain_until_complete(h);
}

static void harness_stop(harness *h)
{
    pipeline_free(h->pipeline);
    bus_drain(h->bus);
    for (size_t i = 0; i < h->rec->count; i++)
        cJSON_Delete(h->rec->events[i].data);
    free(h->rec);
    bus_free(h->bus);
    loader_unload_all(&h->agents);
    config_free(&h->cfg);
}

/* Index of the first event of `type` (and agent, if given) at or after from; -1 if none. */
static long find_event(const recorder *r, const char *type, const char *agent, size_t from)
{
    for (size_t i = from; i < r->count; i++)
        if (strcmp(r->events[i].type, type) == 0 && (!agent || strcmp(r->events[i].agent, agent) == 0))
            return (long)i;
    return -1;
}

static const char *data_string(const seen_event *e, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(e->data, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static void assert_agent_ended(const recorder *r, const char *agent, const char *status)
{
    long done = find_event(r, "agent_completed", agent, 0);
    ck_assert_msg(done >= 0, "no agent_completed for %s", agent);
    ck_assert_str_eq(data_string(&r->events[done], "status"), status);
}

/* The last event is analysis_complete with status. */
static void assert_analysis_ended(const recorder *r, const char *status)
{
    const seen_event *last = &r->events[r->count - 1];
    ck_assert_str_eq(last->type, "analysis_complete");
    ck_assert_str_eq(data_string(last, "status"), status);
}

/* agent's error event exists and its message holds text; returns the message. */
static const char *assert_error_mentions(const recorder *r, const char *agent, const char *text)
{
    long err = find_event(r, "error", agent, 0);
    ck_assert_msg(err >= 0, "no error event from %s", agent);
    const char *message = data_string(&r->events[err], "error");
    ck_assert_msg(message && strstr(message, text), "%s's error \"%s\" does not mention \"%s\"", agent,
                  message ? message : "(none)", text);
    return message;
}

static void assert_completed_normally(const recorder *r)
{
    assert_analysis_ended(r, "complete");
    assert_agent_ended(r, "fiscal", "completed");
    assert_agent_ended(r, "economic", "completed");
}

START_TEST(stages_come_in_order_and_every_agent_opens_and_closes)
{
    harness h;
    harness_start(&h, "", 60);
    harness_analyze(&h, "119-hr-3168", "order");
    recorder *r = h.rec;
    ck_assert_str_eq(r->events[0].type, "pipeline_started");
    static const char *const stages[] = {"ingesting", "analyzing", "debating", "voting", "synthesizing",
                                         "complete"};
    long at = 0;
    for (size_t s = 0; s < 6; s++) {
        long i = at;
        while ((i = find_event(r, "stage_changed", NULL, (size_t)i)) >= 0 &&
               strcmp(data_string(&r->events[i], "stage"), stages[s]) != 0)
            i++;
        ck_assert_msg(i > at || (s == 0 && i >= 0), "stage %s missing or out of order", stages[s]);
        at = i;
    }
    static const char *const agents[] = {"fiscal", "economic", "debate", "consensus"};
    for (size_t a = 0; a < 4; a++) {
        long started = find_event(r, "agent_started", agents[a], 0);
        long ended = find_event(r, "agent_completed", agents[a], 0);
        ck_assert_msg(started >= 0 && ended > started, "%s not started then completed", agents[a]);
        for (size_t i = 0; i < r->count; i++)
            if (strcmp(r->events[i].agent, agents[a]) == 0 && strcmp(r->events[i].type, "error") != 0)
                ck_assert_msg((long)i >= started && (long)i <= ended, "%s emitted outside its run", agents[a]);
    }
    ck_assert_int_ge(find_event(r, "consensus_reached", "consensus", 0), 0);
    assert_completed_normally(r);
    harness_stop(&h);
}
END_TEST

START_TEST(a_failing_analyst_is_reported_and_the_swarm_finishes)
{
    harness h;
    harness_start(&h, "  - {name: broken, plugin: fails_analyst}\n", 60);
    harness_analyze(&h, "119-hr-3168", "fails");
    assert_agent_ended(h.rec, "broken", "failed");
    assert_error_mentions(h.rec, "broken", "failed");
    assert_completed_normally(h.rec);
    harness_stop(&h);
}
END_TEST

START_TEST(an_analyst_that_hangs_is_timed_out_and_cancelled)
{
    harness h;
    harness_start(&h, "  - {name: sleepy, plugin: hangs_analyst, timeout_seconds: 0.3}\n", 60);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    harness_analyze(&h, "119-hr-3168", "hangs");
    clock_gettime(CLOCK_MONOTONIC, &t1);
    assert_agent_ended(h.rec, "sleepy", "timed_out");
    assert_error_mentions(h.rec, "sleepy", "timed out");
    ck_assert_int_lt(t1.tv_sec - t0.tv_sec, 10);
    assert_completed_normally(h.rec);
    harness_stop(&h);
}
END_TEST

START_TEST(garbage_messagepack_becomes_an_error_naming_the_agent)
{
    harness h;
    harness_start(&h, "  - {name: noisy, plugin: garbage_analyst}\n", 60);
    harness_analyze(&h, "119-hr-3168", "garbage");
    const char *message = assert_error_mentions(h.rec, "noisy", "noisy");
    ck_assert_ptr_nonnull(strstr(message, "MessagePack"));
    ck_assert_int_ge(find_event(h.rec, "agent_thought", "noisy", 0), 0);
    ck_assert_int_lt(find_event(h.rec, "agent_event", "noisy", 0), 0);
    assert_agent_ended(h.rec, "noisy", "failed");
    assert_completed_normally(h.rec);
    harness_stop(&h);
}
END_TEST

START_TEST(the_global_timeout_ends_the_analysis_with_an_error)
{
    harness h;
    harness_start(&h, "  - {name: sleepy, plugin: hangs_analyst, timeout_seconds: 30}\n", 0.5);
    harness_analyze(&h, "119-hr-3168", "global");
    assert_agent_ended(h.rec, "sleepy", "timed_out");
    assert_analysis_ended(h.rec, "error");
    harness_stop(&h);
}
END_TEST

START_TEST(submit_refuses_bad_ids_oversized_bills_and_running_ids)
{
    harness h;
    harness_start(&h, "  - {name: sleepy, plugin: hangs_analyst, timeout_seconds: 5}\n", 60);
    char id[PS_ANALYSIS_ID_SIZE], err[256];
    analysis_request req = {.analysis_id = "bad id!", .text = "x", .length = 1};
    ck_assert_int_eq(pipeline_submit(h.pipeline, &req, id, err, sizeof err), -1);
    ck_assert_str_eq(err, "invalid analysis id: expected [A-Za-z0-9_-]{1,64}");
    req.analysis_id = "big";
    req.length = (size_t)h.cfg.pipeline.max_bill_bytes + 1;
    ck_assert_int_eq(pipeline_submit(h.pipeline, &req, id, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "pipeline.max_bill_bytes"));
    req.analysis_id = "twice";
    req.length = 1;
    ck_assert_int_eq(pipeline_submit(h.pipeline, &req, id, err, sizeof err), 0);
    ck_assert_int_eq(pipeline_submit(h.pipeline, &req, id, err, sizeof err), -1);
    ck_assert_str_eq(err, "analysis id already running");
    h.cfg.pipeline.max_running_analyses = 1;
    req.analysis_id = "third";
    ck_assert_int_eq(pipeline_submit(h.pipeline, &req, id, err, sizeof err), -1);
    ck_assert_str_eq(err, "too many analyses running (pipeline.max_running_analyses)");
    pipeline_cancel_all(h.pipeline);
    harness_stop(&h);
}
END_TEST

START_TEST(shutdown_cancels_running_analyses)
{
    harness h;
    harness_start(&h, "  - {name: sleepy, plugin: hangs_analyst, timeout_seconds: 30}\n", 60);
    char id[PS_ANALYSIS_ID_SIZE], err[256];
    analysis_request req = {.analysis_id = "cancel", .text = "SEC. 1. Short title.", .length = 20};
    ck_assert_int_eq(pipeline_submit(h.pipeline, &req, id, err, sizeof err), 0);
    struct timespec start, now;
    clock_gettime(CLOCK_MONOTONIC, &start);
    while (find_event(h.rec, "agent_started", "sleepy", 0) < 0) {
        bus_wait(h.bus, 100);
        bus_drain(h.bus);
        clock_gettime(CLOCK_MONOTONIC, &now);
        ck_assert_msg(now.tv_sec - start.tv_sec < 60, "sleepy did not start within 60 s");
    }
    pipeline_cancel_all(h.pipeline);
    drain_until_complete(&h);
    assert_agent_ended(h.rec, "sleepy", "cancelled");
    assert_analysis_ended(h.rec, "error");
    harness_stop(&h);
}
END_TEST

/* The fiscal_summary total of analysis `id`'s analysis_complete. */
static double completed_total(const recorder *r, const char *id)
{
    for (size_t i = 0; i < r->count; i++)
        if (strcmp(r->events[i].type, "analysis_complete") == 0 && strcmp(r->events[i].analysis, id) == 0) {
            const cJSON *summary = cJSON_GetObjectItemCaseSensitive(r->events[i].data, "summary");
            const cJSON *fiscal = cJSON_GetObjectItemCaseSensitive(summary, "fiscal_summary");
            return cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(fiscal, "total_usd"));
        }
    ck_abort_msg("no analysis_complete for %s", id);
    return 0;
}

/* Several analyses at once share each plugin's one instance (its state),
 * as in the server: each still gets its own, correct result. */
START_TEST(concurrent_analyses_share_the_plugins_and_stay_apart)
{
    static const struct { const char *bill; double total; } bills[] = {
        {"119-hr-3911", 32000000000.0}, {"119-hr-8465", 10581300000.0},
        {"119-s-4321", 1204200000.0},   {"119-hr-4401", 15765000000.0}};
    harness h;
    harness_start(&h, "", 60);
    for (size_t i = 0; i < 4; i++) {
        size_t len;
        char *text = test_read_dev_bill(bills[i].bill, &len);
        analysis_request req = {.analysis_id = bills[i].bill, .bill_id = bills[i].bill, .text = text, .length = len};
        char id[PS_ANALYSIS_ID_SIZE], err[256];
        ck_assert_msg(pipeline_submit(h.pipeline, &req, id, err, sizeof err) == 0, "%s", err);
        free(text);
    }
    drain_until_completed(&h, 4);
    for (size_t i = 0; i < 4; i++)
        ck_assert_double_eq(completed_total(h.rec, bills[i].bill), bills[i].total);
    harness_stop(&h);
}
END_TEST

static Suite *pipeline_suite(void)
{
    Suite *s = suite_create("pipeline");
    TCase *tc = CHECK_TCASE(s, "pipeline", stages_come_in_order_and_every_agent_opens_and_closes,
                            a_failing_analyst_is_reported_and_the_swarm_finishes,
                            an_analyst_that_hangs_is_timed_out_and_cancelled,
                            garbage_messagepack_becomes_an_error_naming_the_agent,
                            the_global_timeout_ends_the_analysis_with_an_error,
                            submit_refuses_bad_ids_oversized_bills_and_running_ids, shutdown_cancels_running_analyses,
                            concurrent_analyses_share_the_plugins_and_stay_apart);
    tcase_set_timeout(tc, 120);
    return s;
}

CHECK_MAIN(pipeline_suite)
