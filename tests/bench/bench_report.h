/*
 * bench_report — the figures bench_stream prints, the targets they are held
 * to (PASS/FAIL each) and the correctness verdict on every client's stream.
 * A report fails as soon as one check or one target fails.
 */
#ifndef PS_BENCH_REPORT_H
#define PS_BENCH_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "bench_probe.h"
#include "bench_workers.h"

/* Limits the figures are held to; a negative one is not checked. */
typedef struct bench_targets {
    double min_events_per_second;
    double max_p99_ms;
    double max_cpu_percent;
    double max_kib_per_connection;
    double max_seconds;            /* replay: until the last client has everything */
} bench_targets;

void bench_targets_init(bench_targets *t);

/* Taken at both ends of a measured stretch. */
typedef struct bench_sample {
    int64_t at_ns;                 /* CLOCK_MONOTONIC */
    process_sample server;
} bench_sample;

typedef struct report {
    const bench_targets *targets;
    int failed;
} report;

/* Where each client's stream must start. */
typedef enum {
    STREAM_IDLE,        /* no stream expected: the client must only stay connected */
    STREAM_FROM_ONE,    /* 1 .. head, and load items 1 .. items */
    STREAM_FROM_OLDEST, /* oldest .. head as buffered before connecting, load items ending at items */
} stream_expectation;

void report_init(report *r, const bench_targets *targets);
/* Prints "  FAIL: ..." and fails the report. */
void report_fail(report *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Numbered events received by all clients between start and end (CLOCK_MONOTONIC ns). */
void report_throughput(report *r, const bench_workers *w, int64_t start_ns, int64_t end_ns);
/* p50 / p99 / max of the recorded load-item latencies (sorts them). */
void report_latency(report *r, bench_workers *w);
/* Server CPU time and memory between two samples, and the clients' CPU
 * (near 100% of a core per worker, the clients are what limits the figures). */
void report_cpu(report *r, const bench_sample *before, const bench_sample *after, const bench_workers *w);
void report_idle_memory(report *r, const bench_sample *before, const bench_sample *after, size_t connections);
/* How long the clients took to replay, counted from start_ns. */
void report_replay(report *r, const bench_workers *w, const stream_status *positions, int64_t start_ns);
/* The verdict on every client's stream; positions (per analysis, from the
 * REST status) may be NULL when they could not be read. */
void report_stream_checks(report *r, const bench_workers *w, const stream_status *positions,
                          stream_expectation expect, size_t items);

/* Prints "RESULT: PASS|FAIL"; returns the exit status (0 or 1). */
int report_finish(const report *r);

#endif
