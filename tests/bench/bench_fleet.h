/*
 * bench_fleet — many WebSocket clients on one libwebsockets client context
 * (one thread), each following one analysis stream. For every stream event
 * it checks the sequence (gaps and duplicates are counted), counts the
 * delivery, and for loadgen items takes the latency from the item's
 * CLOCK_MONOTONIC stamp. A client is done at analysis_complete. Messages
 * are scanned, not parsed, so the fleet stays cheaper than the server.
 * Owns the lws context, the clients and the latency samples.
 */
#ifndef PS_BENCH_FLEET_H
#define PS_BENCH_FLEET_H

#include <stddef.h>
#include <stdint.h>
#include <libwebsockets.h>

typedef struct fleet fleet;

typedef struct fleet_client {
    fleet *owner;
    struct lws *wsi;
    char path[160];            /* /api/v1/ws/analysis/{id}?last_sequence=N */
    uint64_t expected;         /* next sequence owed (0 = not started) */
    uint64_t events;           /* stream events received */
    int connected, done, failed;
    int64_t done_ns;
    char *message;             /* a message arriving in pieces */
    size_t message_length, message_capacity;
} fleet_client;

struct fleet {
    struct lws_context *context;
    int port;
    fleet_client *clients;
    size_t count;              /* room for this many */
    size_t started, connected, done, failed;
    uint64_t deliveries, gaps, duplicates;
    int64_t first_delivery_ns, last_delivery_ns;
    int64_t *latencies_ns;     /* loadgen items: delivery time - emit time */
    size_t latency_count, latency_capacity;
    lws_sorted_usec_list_t ticker;
};

int fleet_init(fleet *f, int port, size_t count);
void fleet_free(fleet *f);
/* Starts client i on path (which carries the query). */
int fleet_connect(fleet *f, size_t i, const char *path);
/* Services until until(f) is true or timeout_s passes; 0, or -1 on timeout. */
int fleet_run(fleet *f, int (*until)(const fleet *f), double timeout_s);

/* Every client started so far is connected (or failed) / done (or failed). */
int fleet_all_connected(const fleet *f);
int fleet_all_done(const fleet *f);

/* p in [0, 1] of the latency samples (sorts them); 0 when there are none. */
double fleet_latency_ms(fleet *f, double p);
int64_t fleet_now_ns(void);

#endif
