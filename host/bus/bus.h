/*
 * bus — the multi-producer MessagePack event queue.
 *
 * Any thread publishes encoded envelopes (copied in); one consumer thread
 * drains them and hands each, in publish order, to every subscriber in the
 * order they subscribed. Per-producer order is kept. Owns the queued copies.
 * An optional wakeup hook runs after each publish (the server passes
 * lws_cancel_service there).
 */
#ifndef PS_BUS_BUS_H
#define PS_BUS_BUS_H

#include <stddef.h>
#include <stdint.h>

typedef struct bus bus;
typedef void (*bus_subscriber_fn)(void *ctx, const uint8_t *message, size_t length);
typedef void (*bus_wakeup_fn)(void *ctx);

bus *bus_new(void);
void bus_free(bus *b);

/* Subscribe before the first drain; not thread-safe against drain. */
int bus_subscribe(bus *b, bus_subscriber_fn fn, void *ctx);
void bus_set_wakeup(bus *b, bus_wakeup_fn fn, void *ctx);

/* Any thread. Returns 0 or -1 (out of memory). */
int bus_publish(bus *b, const void *message, size_t length);

/* Consumer thread: delivers everything queued now; returns how many. */
size_t bus_drain(bus *b);
/* Consumer thread: waits until something is queued or timeout_ms passes
 * (-1 = forever). Returns 1 if messages are pending. */
int bus_wait(bus *b, int timeout_ms);

/* Totals since creation (any thread). */
uint64_t bus_published(bus *b);

#endif
