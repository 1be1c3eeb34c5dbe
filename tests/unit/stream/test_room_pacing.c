/* Unit tests: pacing of the stream room (room.h): token bucket, merging, coalescing. */
#include "room_fixture.h"

/* ---- pacing ---------------------------------------------------------------------- */

#define RATE 50
#define TOKEN_NS (SECOND / RATE)

/* The lifecycle events (everything but thoughts) in the order they were pushed,
 * as "type#n" labels, plus a count of thoughts. */
typedef struct script {
    char labels[1000][64];
    size_t count;
    size_t thoughts;
} script;

static void push_numbered(room *r, script *s, int64_t now, const char *type, const char *agent, const char *key,
                          const char *value)
{
    char n[16];
    snprintf(n, sizeof n, "%zu", s->count);
    push(r, now, type, agent, 2, "n", n, key, value);
    snprintf(s->labels[s->count++], sizeof s->labels[0], "%s#%s", type, n);
}

/* "type#n" of a stored lifecycle event (n is "-" when the data has none). */
static void label_of(const record *item, char *buf, size_t size)
{
    cJSON *root = cJSON_Parse(item->json);
    const cJSON *n = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(root, "data"), "n");
    snprintf(buf, size, "%s#%s", item->event_type, cJSON_IsString(n) ? n->valuestring : "-");
    cJSON_Delete(root);
}

/* 1000 envelopes, one per millisecond: a whole analysis with 658 thoughts. */
static void push_thousand(room *r, script *s)
{
    static const char *agents[] = {"a0", "a1", "a2", "a3"};
    int64_t now = 0;
    push_pipeline_started(r, now, 4);
    snprintf(s->labels[s->count++], sizeof s->labels[0], "pipeline_started#-");
    push_numbered(r, s, now += MS, "stage_changed", NULL, "stage", "analyzing");
    for (int i = 0; i < 940; i++) {
        if (i % 10 < 7) {
            push_thought(r, now += MS, agents[i % 4], "thinking");
            s->thoughts++;
        } else {
            push_numbered(r, s, now += MS, "agent_finding", agents[i % 4], "agent_id", agents[i % 4]);
        }
    }
    for (int i = 0; i < 4; i++)
        push_numbered(r, s, now += MS, "agent_completed", agents[i], "agent_id", agents[i]);
    push_numbered(r, s, now += MS, "stage_changed", NULL, "stage", "debating");
    push_numbered(r, s, now += MS, "debate_started", NULL, "topic", "deficit");
    push_numbered(r, s, now += MS, "debate_started", NULL, "topic", "jobs");
    for (int i = 0; i < 44; i++)
        push_numbered(r, s, now += MS, "debate_turn", agents[i % 4], "topic", i % 2 ? "jobs" : "deficit");
    push_numbered(r, s, now += MS, "debate_convergence", NULL, "stop_reason", "threshold_met");
    push_numbered(r, s, now += MS, "debate_convergence", NULL, "stop_reason", "max_rounds");
    push_numbered(r, s, now += MS, "stage_changed", NULL, "stage", "voting");
    push_numbered(r, s, now += MS, "consensus_reached", "consensus", "summary", "agreed");
    push_numbered(r, s, now += MS, "stage_changed", NULL, "stage", "synthesizing");
    push_numbered(r, s, now += MS, "stage_changed", NULL, "stage", "complete");
    push_numbered(r, s, now += MS, "analysis_complete", NULL, "status", "complete");
    ck_assert_int_eq(now, 999 * MS);
    ck_assert_uint_eq(s->count + s->thoughts, 1000);
}

START_TEST(pacing_stores_everything_in_order_at_the_rate)
{
    const room_settings paced = {5000, 0, 100, RATE};
    room *r = open_room(&paced);
    static script s;
    memset(&s, 0, sizeof s);
    push_thousand(r, &s);
    ck_assert_int_eq(room_complete(r), 0);

    int64_t now = 999 * MS, delay;
    int ticks = 0;
    while ((delay = room_tick(r, now)) >= 0 && ticks++ < 100000)
        now += delay;
    ck_assert_int_eq(delay, -1);
    ck_assert_int_eq(room_complete(r), 1);

    size_t lifecycle = 0, batches = 0, batched_thoughts = 0, progress = 0;
    for (size_t i = 0; i < stored.count; i++) {
        const record *item = &stored.items[i];
        ck_assert_uint_eq(item->sequence, i + 1);
        if (strcmp(item->event_type, "agent_thinking") == 0) {
            batches++;
            batched_thoughts += (size_t)number_in_data(item, "batch_size");
        } else if (strcmp(item->event_type, "progress_update") == 0) {
            progress++;
        } else {
            char label[64];
            label_of(item, label, sizeof label);
            ck_assert_uint_lt(lifecycle, s.count);
            ck_assert_str_eq(label, s.labels[lifecycle++]);
        }
    }
    ck_assert_uint_eq(lifecycle, s.count);
    ck_assert_str_eq(stored.items[stored.count - 1].event_type, "analysis_complete");
    ck_assert_uint_eq(batched_thoughts, s.thoughts);
    ck_assert_uint_lt(batches, s.thoughts / 4);   /* thoughts merged while events waited */
    /* 10 stage/agent changes: the first progress went out at once, the other 9
     * waited behind the backlog, each replacing the one before. */
    ck_assert_uint_eq(progress, 2);
    const record *last_progress = &stored.items[stored.count - 2];
    ck_assert_str_eq(last_progress->event_type, "progress_update");
    ck_assert(number_in_data(last_progress, "overall_progress") == 1.0);
    ck_assert(number_in_data(last_progress, "agents_complete") == 4.0);
    ck_assert(number_in_data(last_progress, "debates_complete") == 2.0);

    /* Never faster than the bucket allows: a one-second burst, then RATE/s. */
    for (size_t i = 0; i < stored.count; i++)
        for (size_t j = i + RATE; j < stored.count; j++)
            ck_assert_int_ge(stored.items[j].stored_ns - stored.items[i].stored_ns,
                             (int64_t)(j - i + 1 - RATE) * TOKEN_NS);
    /* ... and never slower: the tick delays were exact, the backlog never idled. */
    ck_assert_int_eq(stored.items[stored.count - 1].stored_ns, (int64_t)(stored.count - RATE) * TOKEN_NS);
}
END_TEST

static const room_settings ONE_PER_SECOND = {100, 0, 100, 1};

START_TEST(waiting_progress_is_replaced_by_the_newer_one)
{
    room *r = open_room(&ONE_PER_SECOND);
    push_pipeline_started(r, 0, 2);
    push_stage(r, 1 * MS, "analyzing");
    push_completed(r, 2 * MS, "a0");
    ck_assert_uint_eq(stored.count, 1);
    ck_assert_int_eq(room_tick(r, 2 * MS), 998 * MS);
    for (int64_t now = 1; now <= 3; now++)
        ck_assert_int_eq(room_tick(r, now * SECOND), now < 3 ? SECOND : -1);
    ck_assert_uint_eq(stored.count, 4);
    ck_assert_str_eq(stored.items[1].event_type, "stage_changed");
    ck_assert_str_eq(stored.items[2].event_type, "agent_completed");
    ck_assert_str_eq(stored.items[3].event_type, "progress_update");
    ck_assert(number_in_data(&stored.items[3], "agents_complete") == 1.0);
    for (size_t i = 1; i < 4; i++)
        ck_assert_int_eq(stored.items[i].stored_ns, (int64_t)i * SECOND);
}
END_TEST

START_TEST(thoughts_merge_while_the_bucket_is_empty)
{
    room *r = open_room(&ONE_PER_SECOND);
    push(r, 0, "agent_finding", "a0", 0);
    push_thought(r, 1 * MS, "a0", "one");
    push_thought(r, 200 * MS, "a0", "two");
    push_thought(r, 500 * MS, "a0", "three");
    ck_assert_int_eq(room_tick(r, 500 * MS), 500 * MS);
    ck_assert_uint_eq(stored.count, 1);
    ck_assert_int_eq(room_tick(r, SECOND), -1);
    ck_assert_uint_eq(stored.count, 2);
    ck_assert_int_eq((int)number_in_data(&stored.items[1], "batch_size"), 3);
}
END_TEST

START_TEST(flush_stores_everything_now)
{
    room *r = open_room(&ONE_PER_SECOND);
    push(r, 0, "agent_finding", "a0", 1, "finding_id", "f1");
    push(r, 1 * MS, "agent_finding", "a0", 1, "finding_id", "f2");
    push_thought(r, 2 * MS, "a0", "one");
    push(r, 3 * MS, "analysis_complete", NULL, 1, "status", "complete");
    push_thought(r, 4 * MS, "a0", "two");
    ck_assert_uint_eq(stored.count, 1);
    room_flush(r, 5 * MS);
    ck_assert_uint_eq(stored.count, 5);
    static const char *types[] = {"agent_finding", "agent_finding", "agent_thinking", "analysis_complete",
                                  "agent_thinking"};
    for (size_t i = 0; i < 5; i++)
        ck_assert_str_eq(stored.items[i].event_type, types[i]);
    ck_assert_int_eq(room_complete(r), 1);
    ck_assert_int_eq(room_tick(r, 6 * MS), -1);
}
END_TEST

static Suite *room_suite(void)
{
    Suite *s = suite_create("room_pacing");
    room_tcase(CHECK_TCASE(s, "room_pacing", pacing_stores_everything_in_order_at_the_rate,
                           waiting_progress_is_replaced_by_the_newer_one, thoughts_merge_while_the_bucket_is_empty,
                           flush_stores_everything_now));
    return s;
}

CHECK_MAIN(room_suite)
