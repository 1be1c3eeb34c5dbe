/*
 * bench_pool — many WebSocket stream clients in one libwebsockets context
 * (one thread), each checking what it receives.
 *
 * The clients live in memory the caller owns (bench_workers puts them in
 * memory shared with the parent process); a pool drives one slice of them.
 * Each client checks its stream as it arrives: numbered events exactly once
 * and in order from where the stream starts for it (1, or the resumed_from
 * of a resume notice), and the loadgen items in order, 1, 2, 3, ... (or,
 * for a replay that starts in the middle, each one after the one before).
 * It is done at the numbered analysis_complete, then closes; the first
 * thing that went wrong is kept as its failure. The latency of every load
 * item (receive time minus the stamp it carries, both CLOCK_MONOTONIC) is
 * recorded.
 */
#ifndef PS_BENCH_POOL_H
#define PS_BENCH_POOL_H

#include <stddef.h>
#include <stdint.h>
#include <libwebsockets.h>

#define BENCH_ID_SIZE 72
#define BENCH_FAILURE_SIZE 200

typedef struct bench_client {
    size_t analysis;               /* index of the analysis it watches */
    uint64_t first_sequence;       /* where the stream starts for this client */
    uint64_t next_sequence;        /* the next numbered event owed */
    uint64_t events;               /* numbered events received */
    uint64_t items;                /* load items received */
    uint64_t last_item;            /* number of the last load item, 0 before the first */
    int joined;                    /* got its first message */
    int complete;                  /* got analysis_complete */
    int finished;                  /* complete, failed to connect, or closed */
    int peer_close_code;
    int64_t complete_ns;           /* CLOCK_MONOTONIC */
    char failure[BENCH_FAILURE_SIZE]; /* "" while all is well */
} bench_client;

/* What every client of a run shares (read only while the pool runs). */
typedef struct bench_plan {
    int port;
    char (*analysis_ids)[BENCH_ID_SIZE];
    size_t analysis_count;
    int items_start_at_one;        /* 0: a replay may start at any item */
} bench_plan;

/* Sets every client to its starting state: client i watches analysis
 * i / clients_per_analysis. */
void clients_init(bench_client *clients, size_t count, size_t clients_per_analysis);

typedef struct bench_pool bench_pool;

/* A pool driving clients[0 .. count-1]; up to latency_capacity latencies
 * go to latencies_ns. NULL with err set on failure. */
bench_pool *pool_new(const bench_plan *plan, bench_client *clients, size_t count, int64_t *latencies_ns,
                     size_t latency_capacity, char *err, size_t err_size);
void pool_free(bench_pool *p);

/* Opens every client's connection with ?last_sequence=0 (they connect as
 * the pool is serviced). -1 with err set if lws refuses one. */
int pool_connect(bench_pool *p, char *err, size_t err_size);

typedef int (*pool_condition)(const bench_pool *p, void *arg);
int pool_all_joined(const bench_pool *p, void *unused);   /* every client joined or finished */
int pool_all_finished(const bench_pool *p, void *unused);
/* Services the connections until condition(p, arg) or the deadline
 * (CLOCK_MONOTONIC ns). Returns 1 if the condition was met. */
int pool_run(bench_pool *p, pool_condition condition, void *arg, int64_t deadline_ns);

size_t pool_latency_count(const bench_pool *p);

int64_t bench_now_ns(void);

#endif
