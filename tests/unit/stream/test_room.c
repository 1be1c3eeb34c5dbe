/* Unit tests: the stream room (room.h): numbering, thought batching, the replay ring. */
#include "room_fixture.h"

/* No age limit: tick reports only batching work. */
static const room_settings UNPACED = {1000, 0, 100, 0};

/* ---- numbering ----------------------------------------------------------------- */

START_TEST(sequences_are_contiguous_from_one)
{
    room *r = open_room(&UNPACED);
    ck_assert_uint_eq(room_head(r), 0);
    ck_assert_uint_eq(room_oldest(r), 0);
    for (int i = 0; i < 5; i++)
        push(r, i * MS, "agent_finding", "a0", 1, "finding_id", "f");
    ck_assert_uint_eq(stored.count, 5);
    for (size_t i = 0; i < 5; i++)
        ck_assert_uint_eq(stored.items[i].sequence, i + 1);
    ck_assert_uint_eq(room_head(r), 5);
    ck_assert_uint_eq(room_oldest(r), 1);
    ck_assert_uint_eq(room_buffered(r), 5);
    ck_assert_str_eq(stored.items[2].json,
                     "{\"event_id\":\"bill-42-3\",\"event_type\":\"agent_finding\",\"analysis_id\":\"bill-42\","
                     "\"data\":{\"finding_id\":\"f\"},\"timestamp\":\"2025-11-30T09:43:15.002Z\",\"sequence\":3}");
    ck_assert_str_eq(room_id(r), "bill-42");
}
END_TEST

START_TEST(on_stored_sees_the_buffered_event)
{
    room *r = open_room(&UNPACED);
    push(r, 0, "agent_finding", "a0", 0);
    const stored_event *ev = room_get(r, 1);
    ck_assert_ptr_eq(stored.items[0].pointer, ev);
    ck_assert_str_eq(ev->event_type, "agent_finding");
    ck_assert_uint_eq(ev->length, strlen(ev->json));
}
END_TEST

START_TEST(envelopes_of_another_analysis_are_ignored)
{
    room *r = open_room(&UNPACED);
    envelope_writer w;
    envelope_begin(&w, "agent_finding", "other", "a0", WALL_BASE);
    msgpack_pack_map(&w.packer, 0);
    push_envelope(r, &w, 0);
    ck_assert_uint_eq(stored.count, 0);
    ck_assert_uint_eq(room_head(r), 0);
}
END_TEST

/* ---- thought batching ----------------------------------------------------------- */

START_TEST(thoughts_inside_the_window_become_one_event)
{
    room *r = open_room(&UNPACED);
    push_thought(r, 0, "a0", "one");
    push_thought(r, 10 * MS, "a0", "two");
    push_thought(r, 50 * MS, "a0", "three");
    ck_assert_uint_eq(stored.count, 0);
    ck_assert_int_eq(room_tick(r, 99 * MS), 1 * MS);
    ck_assert_uint_eq(stored.count, 0);
    ck_assert_int_eq(room_tick(r, 100 * MS), -1);
    ck_assert_uint_eq(stored.count, 1);
    ck_assert_str_eq(stored.items[0].event_type, "agent_thinking");
    ck_assert_uint_eq(stored.items[0].sequence, 1);
    expect_data(&stored.items[0], "{\"agent_id\":\"a0\",\"thoughts\":[{\"agent_id\":\"a0\",\"content\":\"one\"},"
                                  "{\"agent_id\":\"a0\",\"content\":\"two\"},"
                                  "{\"agent_id\":\"a0\",\"content\":\"three\"}],\"batch_size\":3}");
}
END_TEST

START_TEST(a_batch_of_several_agents_has_a_null_agent)
{
    room *r = open_room(&UNPACED);
    push_thought(r, 0, "a0", "one");
    push_thought(r, 1 * MS, "a1", "two");
    room_tick(r, 100 * MS);
    ck_assert_uint_eq(stored.count, 1);
    expect_data(&stored.items[0], "{\"agent_id\":null,\"thoughts\":[{\"agent_id\":\"a0\",\"content\":\"one\"},"
                                  "{\"agent_id\":\"a1\",\"content\":\"two\"}],\"batch_size\":2}");
}
END_TEST

START_TEST(a_lifecycle_event_flushes_the_batch_first)
{
    room *r = open_room(&UNPACED);
    push_thought(r, 0, "a0", "one");
    push_thought(r, 10 * MS, "a0", "two");
    push(r, 20 * MS, "agent_finding", "a0", 1, "finding_id", "f1");
    ck_assert_uint_eq(stored.count, 2);
    ck_assert_str_eq(stored.items[0].event_type, "agent_thinking");
    ck_assert_int_eq((int)number_in_data(&stored.items[0], "batch_size"), 2);
    ck_assert_str_eq(stored.items[1].event_type, "agent_finding");
    ck_assert_uint_eq(stored.items[1].sequence, 2);
    ck_assert_int_eq(room_tick(r, 30 * MS), -1);
}
END_TEST

START_TEST(a_thought_after_the_window_starts_a_new_batch)
{
    room *r = open_room(&UNPACED);
    push_thought(r, 0, "a0", "one");
    push_thought(r, 150 * MS, "a0", "two");
    ck_assert_uint_eq(stored.count, 1);
    ck_assert_int_eq((int)number_in_data(&stored.items[0], "batch_size"), 1);
    ck_assert_int_eq(room_tick(r, 200 * MS), 50 * MS);
    room_tick(r, 250 * MS);
    ck_assert_uint_eq(stored.count, 2);
    expect_data(&stored.items[1], "{\"agent_id\":\"a0\",\"thoughts\":[{\"agent_id\":\"a0\",\"content\":\"two\"}],"
                                  "\"batch_size\":1}");
}
END_TEST

START_TEST(tick_reports_nothing_pending_as_minus_one)
{
    room *r = open_room(&UNPACED);
    ck_assert_int_eq(room_tick(r, 0), -1);
    push(r, 0, "agent_finding", "a0", 0);
    ck_assert_int_eq(room_tick(r, 1 * MS), -1);
}
END_TEST

/* ---- the replay ring ------------------------------------------------------------ */

START_TEST(the_ring_keeps_the_last_buffer_size_events)
{
    const room_settings small = {3, 0, 100, 0};
    room *r = open_room(&small);
    for (int i = 0; i < 5; i++)
        push(r, i * MS, "agent_finding", "a0", 0);
    ck_assert_uint_eq(room_head(r), 5);
    ck_assert_uint_eq(room_oldest(r), 3);
    ck_assert_uint_eq(room_buffered(r), 3);
    ck_assert_ptr_null(room_get(r, 0));
    ck_assert_ptr_null(room_get(r, 2));
    ck_assert_uint_eq(room_get(r, 3)->sequence, 3);
    ck_assert_uint_eq(room_get(r, 5)->sequence, 5);
    ck_assert_str_eq(room_get(r, 4)->json, stored.items[3].json);
    ck_assert_ptr_null(room_get(r, 6));
}
END_TEST

START_TEST(events_older_than_the_ttl_are_evicted)
{
    const room_settings one_second = {100, 1.0, 100, 0};
    room *r = open_room(&one_second);
    push(r, 0, "agent_finding", "a0", 0);
    push(r, 500 * MS, "agent_finding", "a0", 0);
    ck_assert_int_eq(room_tick(r, 999 * MS), 1 * MS);
    ck_assert_uint_eq(room_buffered(r), 2);
    ck_assert_int_eq(room_tick(r, SECOND), 500 * MS);
    ck_assert_uint_eq(room_oldest(r), 2);
    ck_assert_ptr_null(room_get(r, 1));
    ck_assert_int_eq(room_tick(r, 1500 * MS), -1);
    ck_assert_uint_eq(room_buffered(r), 0);
    ck_assert_uint_eq(room_oldest(r), 0);
    ck_assert_uint_eq(room_head(r), 2);
    ck_assert_ptr_null(room_get(r, 2));
    push(r, 2 * SECOND, "agent_finding", "a0", 0);
    ck_assert_uint_eq(room_oldest(r), 3);
    ck_assert_uint_eq(room_get(r, 3)->sequence, 3);
}
END_TEST

START_TEST(complete_once_analysis_complete_is_stored)
{
    room *r = open_room(&UNPACED);
    push(r, 0, "stage_changed", NULL, 1, "stage", "complete");
    ck_assert_int_eq(room_complete(r), 0);
    push(r, 1 * MS, "analysis_complete", NULL, 1, "status", "complete");
    ck_assert_int_eq(room_complete(r), 1);
}
END_TEST

static Suite *room_suite(void)
{
    Suite *s = suite_create("room");
    room_tcase(CHECK_TCASE(s, "room", sequences_are_contiguous_from_one, on_stored_sees_the_buffered_event,
                           envelopes_of_another_analysis_are_ignored, thoughts_inside_the_window_become_one_event,
                           a_batch_of_several_agents_has_a_null_agent, a_lifecycle_event_flushes_the_batch_first,
                           a_thought_after_the_window_starts_a_new_batch, tick_reports_nothing_pending_as_minus_one,
                           the_ring_keeps_the_last_buffer_size_events, events_older_than_the_ttl_are_evicted,
                           complete_once_analysis_complete_is_stored));
    return s;
}

CHECK_MAIN(room_suite)
