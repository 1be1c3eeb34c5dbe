/* Unit tests: the multi-producer bus (bus.h). */
#include <check.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bus/bus.h"
#include "bus/envelope.h"
#include "../check_main.h"

#define PRODUCERS 8
#define EVENTS_PER_PRODUCER 10000

/* ---- 8 producers x 10,000 real envelopes ------------------------------------ */

typedef struct order_check {
    uint64_t next_counter[PRODUCERS];
    size_t received;
    size_t out_of_order;
    size_t undecodable;
} order_check;

typedef struct producer_arg {
    bus *b;
    int producer;
    int publish_failures;
} producer_arg;

static void *produce(void *arg)
{
    producer_arg *pa = arg;
    for (uint64_t counter = 0; counter < EVENTS_PER_PRODUCER; counter++) {
        envelope_writer w;
        envelope_begin(&w, "agent_event", "analysis-1", "producer", envelope_now_ns());
        msgpack_pack_map(&w.packer, 2);
        envelope_pack_cstr(&w.packer, "producer");
        msgpack_pack_int(&w.packer, pa->producer);
        envelope_pack_cstr(&w.packer, "counter");
        msgpack_pack_uint64(&w.packer, counter);
        if (bus_publish(pa->b, w.buffer.data, w.buffer.size) != 0)
            pa->publish_failures++;
        envelope_writer_free(&w);
    }
    return NULL;
}

static void check_order(void *ctx, const uint8_t *message, size_t length)
{
    order_check *c = ctx;
    envelope ev;
    char err[128];
    if (envelope_decode(message, length, &ev, err, sizeof err) != 0 || ev.data.via.map.size != 2) {
        c->undecodable++;
        envelope_release(&ev);
        return;
    }
    uint64_t producer = ev.data.via.map.ptr[0].val.via.u64;
    uint64_t counter = ev.data.via.map.ptr[1].val.via.u64;
    if (producer >= PRODUCERS || counter != c->next_counter[producer])
        c->out_of_order++;
    else
        c->next_counter[producer]++;
    c->received++;
    envelope_release(&ev);
}

START_TEST(eight_producers_lose_nothing_and_keep_their_order)
{
    bus *b = bus_new();
    order_check check = {0};
    ck_assert_int_eq(bus_subscribe(b, check_order, &check), 0);
    pthread_t threads[PRODUCERS];
    producer_arg args[PRODUCERS];
    for (int i = 0; i < PRODUCERS; i++) {
        args[i] = (producer_arg){b, i, 0};
        ck_assert_int_eq(pthread_create(&threads[i], NULL, produce, &args[i]), 0);
    }
    /* The consumer drains while the producers are still publishing. */
    size_t drained = 0;
    while (drained < (size_t)PRODUCERS * EVENTS_PER_PRODUCER) {
        ck_assert_int_eq(bus_wait(b, 5000), 1);
        drained += bus_drain(b);
    }
    for (int i = 0; i < PRODUCERS; i++) {
        pthread_join(threads[i], NULL);
        ck_assert_int_eq(args[i].publish_failures, 0);
    }

    ck_assert_uint_eq(drained, (size_t)PRODUCERS * EVENTS_PER_PRODUCER);
    ck_assert_uint_eq(check.received, (size_t)PRODUCERS * EVENTS_PER_PRODUCER);
    ck_assert_uint_eq(check.undecodable, 0);
    ck_assert_uint_eq(check.out_of_order, 0);
    for (int i = 0; i < PRODUCERS; i++)
        ck_assert_uint_eq(check.next_counter[i], EVENTS_PER_PRODUCER);
    ck_assert_uint_eq(bus_published(b), (uint64_t)PRODUCERS * EVENTS_PER_PRODUCER);
    ck_assert_uint_eq(bus_drain(b), 0);
    bus_free(b);
}
END_TEST

/* ---- subscribers, copies, counts ---------------------------------------------- */

typedef struct call_log {
    char entries[16][16];
    size_t count;
} call_log;

typedef struct tagged_log {
    call_log *log;
    char tag;
} tagged_log;

static void record(void *ctx, const uint8_t *message, size_t length)
{
    tagged_log *t = ctx;
    char *entry = t->log->entries[t->log->count++];
    entry[0] = t->tag;
    memcpy(entry + 1, message, length);
    entry[1 + length] = '\0';
}

START_TEST(subscribers_run_in_subscription_order_for_each_message)
{
    bus *b = bus_new();
    call_log log = {0};
    tagged_log first = {&log, 'A'}, second = {&log, 'B'};
    bus_subscribe(b, record, &first);
    bus_subscribe(b, record, &second);
    bus_publish(b, "one", 3);
    bus_publish(b, "two", 3);
    ck_assert_uint_eq(bus_drain(b), 2);
    ck_assert_uint_eq(log.count, 4);
    ck_assert_str_eq(log.entries[0], "Aone");
    ck_assert_str_eq(log.entries[1], "Bone");
    ck_assert_str_eq(log.entries[2], "Atwo");
    ck_assert_str_eq(log.entries[3], "Btwo");
    bus_free(b);
}
END_TEST

START_TEST(publish_copies_the_message)
{
    bus *b = bus_new();
    call_log log = {0};
    tagged_log t = {&log, '>'};
    bus_subscribe(b, record, &t);
    char message[] = "original";
    bus_publish(b, message, strlen(message));
    memcpy(message, "changed!", 8);
    bus_drain(b);
    ck_assert_str_eq(log.entries[0], ">original");
    bus_free(b);
}
END_TEST

START_TEST(an_empty_message_is_delivered)
{
    bus *b = bus_new();
    call_log log = {0};
    tagged_log t = {&log, 'E'};
    bus_subscribe(b, record, &t);
    ck_assert_int_eq(bus_publish(b, NULL, 0), 0);
    ck_assert_uint_eq(bus_drain(b), 1);
    ck_assert_str_eq(log.entries[0], "E");
    bus_free(b);
}
END_TEST

START_TEST(undrained_messages_are_freed_with_the_bus)
{
    bus *b = bus_new();
    bus_publish(b, "left behind", 11);
    ck_assert_uint_eq(bus_published(b), 1);
    bus_free(b); /* LeakSanitizer proves the copy is released */
}
END_TEST

/* ---- wakeup and waiting -------------------------------------------------------- */

static void count_wakeup(void *ctx)
{
    atomic_fetch_add((atomic_int *)ctx, 1);
}

START_TEST(wakeup_runs_after_every_publish)
{
    bus *b = bus_new();
    atomic_int wakeups = 0;
    bus_set_wakeup(b, count_wakeup, &wakeups);
    bus_publish(b, "a", 1);
    bus_publish(b, "b", 1);
    bus_publish(b, "c", 1);
    ck_assert_int_eq(atomic_load(&wakeups), 3);
    bus_free(b);
}
END_TEST

static int64_t monotonic_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

START_TEST(wait_times_out_when_nothing_is_queued)
{
    bus *b = bus_new();
    int64_t start = monotonic_ms();
    ck_assert_int_eq(bus_wait(b, 30), 0);
    ck_assert_int_ge(monotonic_ms() - start, 29);
    ck_assert_int_eq(bus_wait(b, 0), 0);
    bus_free(b);
}
END_TEST

START_TEST(wait_returns_at_once_when_messages_are_pending)
{
    bus *b = bus_new();
    bus_publish(b, "x", 1);
    ck_assert_int_eq(bus_wait(b, 0), 1);
    ck_assert_int_eq(bus_wait(b, -1), 1);
    bus_drain(b);
    ck_assert_int_eq(bus_wait(b, 0), 0);
    bus_free(b);
}
END_TEST

static void *publish_one(void *arg)
{
    bus_publish(arg, "late", 4);
    return NULL;
}

START_TEST(wait_forever_wakes_on_a_publish_from_another_thread)
{
    bus *b = bus_new();
    pthread_t t;
    ck_assert_int_eq(pthread_create(&t, NULL, publish_one, b), 0);
    ck_assert_int_eq(bus_wait(b, -1), 1);
    pthread_join(t, NULL);
    ck_assert_uint_eq(bus_drain(b), 1);
    bus_free(b);
}
END_TEST

static Suite *bus_suite(void)
{
    Suite *s = suite_create("bus");
    TCase *tc = CHECK_TCASE(s, "core", eight_producers_lose_nothing_and_keep_their_order,
                            subscribers_run_in_subscription_order_for_each_message, publish_copies_the_message,
                            an_empty_message_is_delivered, undrained_messages_are_freed_with_the_bus,
                            wakeup_runs_after_every_publish, wait_times_out_when_nothing_is_queued,
                            wait_returns_at_once_when_messages_are_pending,
                            wait_forever_wakes_on_a_publish_from_another_thread);
    tcase_set_timeout(tc, 120);
    return s;
}

CHECK_MAIN(bus_suite)
