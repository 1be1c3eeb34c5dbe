/*
 * bench_workers — the benchmark's clients, run by worker processes.
 *
 * The clients and their latency samples live in memory shared with the
 * workers. Each worker (a fork) runs one bench_pool — one lws context, one
 * thread — over its slice of the clients: it connects them, says so once
 * they have all joined, and services them until they have all finished,
 * the parent says stop, or the run deadline passes. Meanwhile the parent
 * samples the server and drives it (POSTs); after workers_finish it reads
 * every client's result. With one worker every connection is in one
 * process on one lws context; more workers are for when one client
 * process cannot keep up with the server.
 */
#ifndef PS_BENCH_WORKERS_H
#define PS_BENCH_WORKERS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "bench_pool.h"

typedef struct workers_shared workers_shared;

typedef struct bench_workers {
    bench_plan plan;
    size_t processes;
    bench_client *clients;         /* shared with the workers */
    size_t client_count;
    int64_t *latencies_ns;         /* shared; one slice per worker until workers_finish joins them */
    size_t latency_capacity;       /* in all */
    size_t latency_count;          /* set by workers_finish */
    double client_cpu_seconds;     /* the workers' CPU time, set by workers_finish */
    workers_shared *shared;
    pid_t *pids;
    size_t started;                /* workers forked and not yet waited for */
    int ready_fd;                  /* one byte per worker whose clients have all joined */
    double children_cpu_before;
} bench_workers;

/* analyses * clients_per_analysis clients on the analyses "<prefix>-1",
 * "<prefix>-2", ...; room for items_per_client latencies per client. NULL
 * with err set on failure. */
bench_workers *workers_new(int port, const char *prefix, size_t analyses, size_t clients_per_analysis,
                           size_t items_per_client, size_t processes, char *err, size_t err_size);
void workers_free(bench_workers *w);

/* Forks the workers and waits until every client has joined (got its first
 * message) or finished. The workers then service their clients until they
 * are all finished or run_deadline_ns (CLOCK_MONOTONIC). 0, or -1 with err
 * set (a worker failed, or the join deadline passed); call workers_finish
 * either way. */
int workers_start(bench_workers *w, int64_t join_deadline_ns, int64_t run_deadline_ns, char *err, size_t err_size);

/* stop_now: the workers close their clients now (idle connections);
 * otherwise they end by themselves. Waits for every worker and gathers the
 * latencies. 0, or -1 with err set if a worker did not end well. */
int workers_finish(bench_workers *w, int stop_now, char *err, size_t err_size);

/* The latest analysis_complete any client received (0 if none). */
int64_t workers_last_complete_ns(const bench_workers *w);

#endif
