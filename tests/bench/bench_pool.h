/*
 * bench_pool — many WebSocket stream clients in one libwebsockets context
 * (one thread), each checking what it receives.
 *
 * Client i watches analysis i / clients_per_analysis. Each client checks
 * its stream as it arrives: numbered events exactly once and in order from
 * where the stream starts for it (1, or the resumed_from of a resume
 * notice), and the loadgen items in order, 1, 2, 3, ... (or, for a replay
 * that starts in the middle, each one after the one before). It is done at
 * the numbered analysis_complete, then closes; the first thing that went
 * wrong is kept as its failure. The latency of every load item (receive
 * time minus the stamp it carries, both CLOCK_MONOTONIC) is recorded.
 */
#ifndef PS_BENCH_POOL_H
#define PS_BENCH_POOL_H

#include <stddef.h>
#include <stdint.h>
#include <libwebsockets.h>

#define BENCH_ID_SIZE 72
#define BENCH_FAILURE_SIZE 200

typedef struct bench_client {
    struct bench_pool *pool;
    struct lws *wsi;
    size_t analysis;               /* index into pool->analysis_ids */
    uint64_t first_sequence;       /* where the stream starts for this client */
    uint64_t next_sequence;        /* the next numbered event owed */
    uint64_t events;               /* numbered events received */
    uint64_t items;                /* load items received */
    uint64_t last_item;            /* number of the last load item, 0 before the first */
    int joined;                    /* got its first message */
    int complete;                  /* got analysis_complete */
    int finished;                  /* complete, failed or closed: counted in pool->finished */
    int peer_close_code;
    int64_t complete_ns;
    char failure[BENCH_FAILURE_SIZE]; /* "" while all is well */
    char *partial;                 /* a message that arrived in pieces */
    size_t partial_length, partial_capacity;
} bench_client;

typedef struct bench_pool {
    struct lws_context *context;
    int port;
    bench_client *clients;
    size_t client_count;
    size_t clients_per_analysis;
    char (*analysis_ids)[BENCH_ID_SIZE];
    size_t analysis_count;
    int items_start_at_one;        /* 0: a replay may start at any item */
    size_t finished;               /* clients done, failed or closed */
    int64_t *latencies_ns;         /* one per load item received, up to latency_capacity */
    size_t latency_count, latency_capacity;
    int64_t last_complete_ns;      /* when the last client got analysis_complete */
    lws_sorted_usec_list_t tick;
} bench_pool;

/* analysis_count * clients_per_analysis clients on the analyses named
 * "<prefix>-<k>"; latency_capacity load items are recorded at most. NULL
 * with err set on failure. */
bench_pool *pool_new(int port, const char *prefix, size_t analysis_count, size_t clients_per_analysis,
                     size_t latency_capacity, char *err, size_t err_size);
void pool_free(bench_pool *p);

/* Opens every client's connection with ?last_sequence=0 (they connect as
 * the pool is serviced). -1 with err set if lws refuses one. */
int pool_connect(bench_pool *p, char *err, size_t err_size);

typedef int (*pool_condition)(const bench_pool *p);
int pool_all_joined(const bench_pool *p);   /* every client joined or finished */
int pool_all_finished(const bench_pool *p);
/* Services the connections until condition(p) or the deadline
 * (CLOCK_MONOTONIC ns). Returns 1 if the condition was met. */
int pool_run(bench_pool *p, pool_condition condition, int64_t deadline_ns);

/* Clients whose stream had a failure, and those that did not complete
 * (require_complete) or that were closed (otherwise: idle clients). */
size_t pool_failed(const bench_pool *p, int require_complete);

int64_t bench_now_ns(void);

#endif
