/*
 * room_fixture — shared helpers of the room tests: the room under test and
 * the recorder of what it stored, envelope builders, all in simulated time
 * (now_ns is passed in). static inline, so each test file uses only what it
 * needs without warnings.
 */
#ifndef PS_TEST_ROOM_FIXTURE_H
#define PS_TEST_ROOM_FIXTURE_H

#include <check.h>
#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "bus/envelope.h"
#include "stream/room.h"
#include "../check_main.h"

#define MS 1000000LL
#define SECOND 1000000000LL
#define WALL_BASE 1764495795000000000LL /* 2025-11-30T09:43:15.000Z */

/* ---- what the room stored --------------------------------------------------- */

typedef struct record {
    uint64_t sequence;
    int64_t stored_ns;
    char event_type[40];
    char *json;
    const stored_event *pointer;
} record;

typedef struct recorder {
    record *items;
    size_t count;
    size_t capacity;
} recorder;

static inline void on_stored(void *ctx, room *r, const stored_event *ev)
{
    (void)r;
    recorder *log = ctx;
    if (log->count == log->capacity) {
        log->capacity = log->capacity ? log->capacity * 2 : 64;
        log->items = realloc(log->items, log->capacity * sizeof *log->items);
    }
    record *item = &log->items[log->count++];
    item->sequence = ev->sequence;
    item->stored_ns = ev->stored_ns;
    snprintf(item->event_type, sizeof item->event_type, "%s", ev->event_type);
    item->json = strdup(ev->json);
    item->pointer = ev;
}


/* The "data" of a stored event, printed unformatted (caller frees). */
static inline char *data_of(const record *item)
{
    cJSON *root = cJSON_Parse(item->json);
    ck_assert_ptr_nonnull(root);
    char *text = cJSON_PrintUnformatted(cJSON_GetObjectItemCaseSensitive(root, "data"));
    cJSON_Delete(root);
    return text;
}

static inline double number_in_data(const record *item, const char *key)
{
    cJSON *root = cJSON_Parse(item->json);
    cJSON *value = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(root, "data"), key);
    ck_assert_msg(cJSON_IsNumber(value), "%s has no number %s", item->json, key);
    double v = value->valuedouble;
    cJSON_Delete(root);
    return v;
}

static inline void expect_data(const record *item, const char *expected)
{
    char *text = data_of(item);
    ck_assert_str_eq(text, expected);
    free(text);
}

/* ---- the room under test -------------------------------------------------------- */

/* Each test opens one room (analysis "bill-42") with open_room; close_room,
 * the checked fixture of every room tcase, frees it and what it stored. */
static room *room_under_test;
static recorder stored;

static inline room *open_room(const room_settings *settings)
{
    room_under_test = room_new("bill-42", settings, on_stored, &stored);
    ck_assert_ptr_nonnull(room_under_test);
    return room_under_test;
}

static inline void close_room(void)
{
    room_free(room_under_test);
    room_under_test = NULL;
    for (size_t i = 0; i < stored.count; i++)
        free(stored.items[i].json);
    free(stored.items);
    memset(&stored, 0, sizeof stored);
}

/* Makes tc a tcase of room tests: close_room after each test, 60 s each. */
static inline void room_tcase(TCase *tc)
{
    tcase_set_timeout(tc, 60);
    tcase_add_checked_fixture(tc, NULL, close_room);
}

/* ---- pushing envelopes ------------------------------------------------------- */

static inline void push_envelope(room *r, envelope_writer *w, int64_t now)
{
    envelope ev;
    char err[128];
    ck_assert_int_eq(envelope_decode(w->buffer.data, w->buffer.size, &ev, err, sizeof err), 0);
    room_push(r, &ev, now);
    envelope_release(&ev);
    envelope_writer_free(w);
}

/* Pushes `type` with a data map of `pairs` string pairs (key, value|NULL). */
static inline void push(room *r, int64_t now, const char *type, const char *agent, int pairs, ...)
{
    envelope_writer w;
    envelope_begin(&w, type, "bill-42", agent, WALL_BASE + now);
    msgpack_pack_map(&w.packer, pairs);
    va_list ap;
    va_start(ap, pairs);
    for (int i = 0; i < pairs; i++) {
        envelope_pack_cstr(&w.packer, va_arg(ap, const char *));
        envelope_pack_cstr(&w.packer, va_arg(ap, const char *));
    }
    va_end(ap);
    push_envelope(r, &w, now);
}

static inline void push_thought(room *r, int64_t now, const char *agent, const char *content)
{
    push(r, now, "agent_thought", agent, 2, "agent_id", agent, "content", content);
}

static inline void push_stage(room *r, int64_t now, const char *stage)
{
    push(r, now, "stage_changed", NULL, 1, "stage", stage);
}

static inline void push_completed(room *r, int64_t now, const char *agent)
{
    push(r, now, "agent_completed", agent, 2, "agent_id", agent, "status", "completed");
}

/* pipeline_started for bill "hr-1" with analysts a0..a(n-1) plus a debate agent. */
static inline void push_pipeline_started(room *r, int64_t now, int analysts)
{
    envelope_writer w;
    envelope_begin(&w, "pipeline_started", "bill-42", NULL, WALL_BASE + now);
    msgpack_pack_map(&w.packer, 2);
    envelope_pack_cstr(&w.packer, "bill_id");
    envelope_pack_cstr(&w.packer, "hr-1");
    envelope_pack_cstr(&w.packer, "agents");
    msgpack_pack_array(&w.packer, analysts + 1);
    for (int i = 0; i <= analysts; i++) {
        char id[8];
        snprintf(id, sizeof id, i < analysts ? "a%d" : "debate", i);
        msgpack_pack_map(&w.packer, 2);
        envelope_pack_cstr(&w.packer, "agent_id");
        envelope_pack_cstr(&w.packer, id);
        envelope_pack_cstr(&w.packer, "roles");
        msgpack_pack_array(&w.packer, 1);
        envelope_pack_cstr(&w.packer, i < analysts ? "analyst" : "debate");
    }
    push_envelope(r, &w, now);
}

#endif
