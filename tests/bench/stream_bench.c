/*
 * polisim-bench — the streaming benchmark. It starts polisim-host (use a
 * build without sanitizers) with the loadgen plugin for each scenario, runs
 * WebSocket clients on loopback and prints what it measured:
 *
 *   polisim-bench --host build/polisim-host --loadgen build/tests/fixtures/loadgen.so [SCENARIO...]
 *
 *   fanout  1 analysis x 100 clients, 10,000 events emitted at 2,000/s
 *           (max_events_per_second raised to match): delivered events/s,
 *           latency
 *   paced   10 analyses x 100 clients, 50 events/s each for 10 s: server CPU
 *           as a share of one core, latency
 *   idle    1000 idle connections: server RSS per connection
 *   replay  1000 clients reconnecting at once, each replaying 1000 events:
 *           time until all are done
 * Every scenario also checks each client's stream for gaps and duplicates.
 * Latency is from the loadgen's CLOCK_MONOTONIC stamp (taken just before it
 * emits) to the client reading the event. Exit status 1 if a scenario fails.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_fleet.h"
#include "bench_server.h"

#define MIB(kib) ((double)(kib) / 1024.0)

typedef struct bench {
    const char *host;
    const char *loadgen;
} bench;

typedef int (*scenario_fn)(const bench *b);

static char *yaml(const bench *b, const char *server_settings, const char *loadgen_settings)
{
    static char text[4096];
    snprintf(text, sizeof text,
             "server:\n  host: 127.0.0.1\n%s"
             "agents:\n  - name: loadgen\n    plugin: %s\n    required: true\n    settings:\n%s",
             server_settings, b->loadgen, loadgen_settings);
    return text;
}

static int start(const bench *b, bench_server *s, const char *server_settings, const char *loadgen_settings)
{
    char err[256];
    if (bench_server_start(s, b->host, yaml(b, server_settings, loadgen_settings), err, sizeof err) != 0) {
        fprintf(stderr, "polisim-bench: %s\n", err);
        return -1;
    }
    return 0;
}

static int submit(const bench_server *s, const char *analysis_id)
{
    char body[256];
    snprintf(body, sizeof body, "{\"analysis_id\":\"%s\",\"bill_id\":\"bench\",\"text\":\"SECTION 1. SHORT TITLE. "
                                "This Act may be cited as the Benchmark Act.\"}",
             analysis_id);
    return bench_server_post(s, "/api/v1/analyses", body) == 202 ? 0 : -1;
}

/* Connects clients [first, first + n) to analysis_id at last_sequence. */
static int connect_clients(fleet *f, size_t first, size_t n, const char *analysis_id, uint64_t last_sequence)
{
    char path[160];
    snprintf(path, sizeof path, "/api/v1/ws/analysis/%s?last_sequence=%llu", analysis_id,
             (unsigned long long)last_sequence);
    for (size_t i = first; i < first + n; i++)
        if (fleet_connect(f, i, path) != 0)
            return -1;
    return 0;
}

static int stream_intact(const fleet *f, const char *scenario)
{
    if (f->gaps || f->duplicates || f->failed) {
        printf("%-7s FAILED: %llu gap(s), %llu duplicate(s), %zu client(s) failed\n", scenario,
               (unsigned long long)f->gaps, (unsigned long long)f->duplicates, f->failed);
        return -1;
    }
    return 0;
}

static void print_latency(fleet *f)
{
    printf("; latency p50 %.2f ms, p99 %.2f ms, max %.2f ms", fleet_latency_ms(f, 0.50), fleet_latency_ms(f, 0.99),
           fleet_latency_ms(f, 1.0));
}

/* ---- scenarios -------------------------------------------------------------------------- */

static int fanout(const bench *b)
{
    bench_server s;
    fleet f = {0};
    if (start(b, &s, "  max_events_per_second: 2500\n  message_buffer_size: 20000\n",
              "      count: 10000\n      rate: 2000\n      kind: custom\n") != 0)
        return -1;
    int rc = fleet_init(&f, s.port, 100) || connect_clients(&f, 0, 100, "fanout", 0) ||
             fleet_run(&f, fleet_all_connected, 30);
    double cpu0 = bench_server_cpu_seconds(&s);
    rc = rc || submit(&s, "fanout") || fleet_run(&f, fleet_all_done, 300);
    double cpu = bench_server_cpu_seconds(&s) - cpu0;
    long rss = bench_server_rss_kib(&s);
    if (rc == 0 && stream_intact(&f, "fanout") == 0) {
        double seconds = (double)(f.last_delivery_ns - f.first_delivery_ns) / 1e9;
        printf("fanout  1 analysis x 100 clients, 10,000 items at 2,000/s: %llu deliveries in %.2f s = %.0f events/s",
               (unsigned long long)f.deliveries, seconds, (double)f.deliveries / seconds);
        print_latency(&f);
        printf("; server CPU %.2f s, RSS %.1f MiB\n", cpu, MIB(rss));
    } else if (rc) {
        printf("fanout  FAILED: %zu of 100 clients done\n", f.done);
    }
    fleet_free(&f);
    bench_server_stop(&s);
    return rc;
}

static int paced(const bench *b)
{
    bench_server s;
    fleet f = {0};
    if (start(b, &s, "  max_events_per_second: 1000\n  max_total_connections: 1100\n",
              "      count: 500\n      rate: 50\n      kind: custom\n") != 0)
        return -1;
    char id[32];
    int rc = fleet_init(&f, s.port, 1000);
    for (int a = 0; a < 10 && rc == 0; a++) {
        snprintf(id, sizeof id, "paced-%d", a);
        rc = connect_clients(&f, (size_t)a * 100, 100, id, 0);
    }
    rc = rc || fleet_run(&f, fleet_all_connected, 60);
    double cpu0 = bench_server_cpu_seconds(&s);
    int64_t t0 = fleet_now_ns();
    for (int a = 0; a < 10 && rc == 0; a++) {
        snprintf(id, sizeof id, "paced-%d", a);
        rc = submit(&s, id);
    }
    rc = rc || fleet_run(&f, fleet_all_done, 120);
    double wall = (double)(fleet_now_ns() - t0) / 1e9;
    double cpu = bench_server_cpu_seconds(&s) - cpu0;
    if (rc == 0 && stream_intact(&f, "paced") == 0) {
        printf("paced   10 analyses x 100 clients at 50 items/s: %llu deliveries in %.1f s; server CPU %.2f s = %.1f%% "
               "of one core",
               (unsigned long long)f.deliveries, wall, cpu, 100 * cpu / wall);
        print_latency(&f);
        printf("\n");
    } else if (rc) {
        printf("paced   FAILED: %zu of 1000 clients done\n", f.done);
    }
    fleet_free(&f);
    bench_server_stop(&s);
    return rc;
}

static int idle(const bench *b)
{
    bench_server s;
    fleet f = {0};
    if (start(b, &s, "  max_total_connections: 1100\n", "      count: 1\n") != 0)
        return -1;
    char id[32];
    /* 10 connections first, so what lws and the server allocate once is not counted */
    int rc = fleet_init(&f, s.port, 1010) || connect_clients(&f, 0, 10, "warm-up", 0) ||
             fleet_run(&f, fleet_all_connected, 30);
    long before = bench_server_rss_kib(&s);
    for (int a = 0; a < 10 && rc == 0; a++) {
        snprintf(id, sizeof id, "idle-%d", a);
        rc = connect_clients(&f, 10 + (size_t)a * 100, 100, id, 0);
    }
    rc = rc || fleet_run(&f, fleet_all_connected, 60);
    long after = bench_server_rss_kib(&s);
    if (rc == 0 && f.failed == 0)
        printf("idle    1000 idle connections: server RSS %.1f -> %.1f MiB = %.2f KiB per connection\n", MIB(before),
               MIB(after), (double)(after - before) / 1000.0);
    else
        printf("idle    FAILED: %zu connected, %zu failed\n", f.connected, f.failed);
    fleet_free(&f);
    bench_server_stop(&s);
    return rc || f.failed;
}

/* The status's head_sequence once the analysis's stream is complete, or 0. */
static uint64_t completed_head(const bench_server *s, const char *analysis_id)
{
    char path[128], body[8192];
    snprintf(path, sizeof path, "/api/v1/ws/analysis/%s/status", analysis_id);
    for (int tries = 0; tries < 3000; tries++) {
        if (bench_server_get(s, path, body, sizeof body) == 200 && strstr(body, "\"complete\":true")) {
            const char *head = strstr(body, "\"head_sequence\":");
            return head ? strtoull(head + 16, NULL, 10) : 0;
        }
        struct timespec pause = {0, 10 * 1000000L};
        nanosleep(&pause, NULL);
    }
    return 0;
}

static int replay(const bench *b)
{
    bench_server s;
    fleet f = {0};
    if (start(b, &s,
              "  max_events_per_second: 1000000\n  message_buffer_size: 2000\n  max_total_connections: 1100\n"
              "  max_connections_per_analysis: 1100\n",
              "      count: 1000\n      kind: custom\n") != 0)
        return -1;
    uint64_t head = submit(&s, "replay") == 0 ? completed_head(&s, "replay") : 0;
    int rc = head < 1000 || fleet_init(&f, s.port, 1000);
    int64_t t0 = fleet_now_ns();
    rc = rc || connect_clients(&f, 0, 1000, "replay", head - 1000) || fleet_run(&f, fleet_all_done, 120);
    double seconds = (double)(fleet_now_ns() - t0) / 1e9;
    int exact = 1;
    for (size_t i = 0; rc == 0 && i < f.count; i++)
        exact &= f.clients[i].events == 1000;
    if (rc == 0 && stream_intact(&f, "replay") == 0 && exact)
        printf("replay  1000 clients reconnecting at once, 1000 events each: all done in %.2f s (%llu deliveries, "
               "%.0f events/s)\n",
               seconds, (unsigned long long)f.deliveries, (double)f.deliveries / seconds);
    else
        printf("replay  FAILED: %zu of 1000 clients done%s\n", f.done, exact ? "" : ", some got != 1000 events");
    fleet_free(&f);
    bench_server_stop(&s);
    return rc || !exact;
}

/* ---- main ----------------------------------------------------------------------------- */

static const struct {
    const char *name;
    scenario_fn run;
} SCENARIOS[] = {{"fanout", fanout}, {"paced", paced}, {"idle", idle}, {"replay", replay}};

#define SCENARIO_COUNT (sizeof SCENARIOS / sizeof SCENARIOS[0])

static int run_named(const bench *b, const char *name)
{
    for (size_t i = 0; i < SCENARIO_COUNT; i++)
        if (strcmp(name, SCENARIOS[i].name) == 0)
            return SCENARIOS[i].run(b);
    fprintf(stderr, "polisim-bench: unknown scenario %s (fanout, paced, idle, replay)\n", name);
    return -1;
}

int main(int argc, char **argv)
{
    static const struct option options[] = {{"host", required_argument, NULL, 'H'},
                                            {"loadgen", required_argument, NULL, 'l'},
                                            {NULL, 0, NULL, 0}};
    bench b = {0};
    int opt;
    while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
        if (opt == 'H')
            b.host = optarg;
        else if (opt == 'l')
            b.loadgen = optarg;
        else
            return 2;
    }
    if (!b.host || !b.loadgen) {
        fprintf(stderr, "usage: polisim-bench --host POLISIM_HOST --loadgen LOADGEN_SO [fanout|paced|idle|replay]...\n");
        return 2;
    }
    int failed = 0;
    for (size_t i = 0; optind == argc && i < SCENARIO_COUNT; i++)
        failed |= SCENARIOS[i].run(&b) != 0;
    for (int i = optind; i < argc; i++)
        failed |= run_named(&b, argv[i]) != 0;
    return failed;
}
