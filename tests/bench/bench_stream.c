/*
 * bench_stream — the streaming benchmark: many WebSocket clients in one
 * process (one lws context) against a running `polisim-host serve` whose
 * only agent is the loadgen plugin. It prints the figures and checks every
 * client's stream (each sequence exactly once, in order, up to the head the
 * server reports; every load item in order). scripts/bench.sh starts the
 * server with the right config for each scenario and runs this.
 *
 *   bench_stream SCENARIO --port P --pid PID [options]
 *
 *   stream  clients connect to analyses chosen up front, then the analyses
 *           are POSTed; runs until every client has analysis_complete.
 *           Delivered events/s, latency of the load items (stamp in the
 *           event to receive time, CLOCK_MONOTONIC), server CPU and RSS.
 *   idle    clients connect and stay idle: server RSS growth per connection.
 *   replay  the analyses are POSTed and finish first; then every client
 *           connects at once with last_sequence=0 and replays the buffer.
 *
 * Prints PASS/FAIL per target given and a last line "RESULT: PASS|FAIL".
 * Exit status: 0 all passed, 1 a check or a target failed, 2 usage.
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "bench_pool.h"
#include "bench_probe.h"
#include "bench_report.h"

#define JOIN_TIMEOUT_NS (20 * 1000000000LL)
#define SUBMIT_TIMEOUT_NS (30 * 1000000000LL)
#define STATUS_POLL_NS (20 * 1000000LL)

typedef struct options {
    const char *scenario;
    int port;
    pid_t pid;
    size_t analyses, clients, items;
    double timeout_seconds, hold_seconds;
    bench_targets targets;
} options;

/* ---- shared steps ---------------------------------------------------------------------- */

static bench_pool *new_pool(const options *o, size_t latency_capacity, report *r)
{
    char err[256], prefix[40];
    snprintf(prefix, sizeof prefix, "bench%d", (int)getpid());
    bench_pool *p = pool_new(o->port, prefix, o->analyses, o->clients, latency_capacity, err, sizeof err);
    if (!p)
        report_fail(r, "%s", err);
    return p;
}

static int connect_clients(bench_pool *p, int64_t deadline_ns, report *r)
{
    char err[256];
    if (pool_connect(p, err, sizeof err) != 0) {
        report_fail(r, "%s", err);
        return -1;
    }
    if (!pool_run(p, pool_all_joined, deadline_ns)) {
        report_fail(r, "not every client joined in time");
        return -1;
    }
    return 0;
}

static int sample_server(const options *o, process_sample *out, report *r)
{
    char err[256];
    if (probe_process(o->pid, out, err, sizeof err) != 0) {
        report_fail(r, "server process: %s", err);
        return -1;
    }
    return 0;
}

static int submit_all(const options *o, const bench_pool *p, report *r)
{
    char err[512];
    for (size_t k = 0; k < p->analysis_count; k++)
        if (probe_submit(o->port, p->analysis_ids[k], err, sizeof err) != 0) {
            report_fail(r, "%s", err);
            return -1;
        }
    return 0;
}

/* The head (and oldest) sequence of every analysis, from the REST status. */
static int read_positions(const options *o, const bench_pool *p, stream_status *out, report *r)
{
    char err[512];
    for (size_t k = 0; k < p->analysis_count; k++)
        if (probe_stream_status(o->port, p->analysis_ids[k], &out[k], err, sizeof err) != 0) {
            report_fail(r, "%s", err);
            return -1;
        }
    return 0;
}

/* Polls the REST status until every analysis has stored analysis_complete. */
static int wait_all_complete(const options *o, const bench_pool *p, stream_status *out, report *r)
{
    int64_t deadline = bench_now_ns() + SUBMIT_TIMEOUT_NS;
    for (;;) {
        if (read_positions(o, p, out, r) != 0)
            return -1;
        size_t complete = 0;
        for (size_t k = 0; k < p->analysis_count; k++)
            complete += out[k].complete;
        if (complete == p->analysis_count)
            return 0;
        if (bench_now_ns() >= deadline) {
            report_fail(r, "%zu of %zu analyses did not complete within %lld s", p->analysis_count - complete,
                        p->analysis_count, SUBMIT_TIMEOUT_NS / 1000000000LL);
            return -1;
        }
        struct timespec pause = {0, STATUS_POLL_NS};
        nanosleep(&pause, NULL);
    }
}

static int64_t deadline_after(double seconds)
{
    return bench_now_ns() + (int64_t)(seconds * 1e9);
}

/* ---- scenarios ---------------------------------------------------------------------------- */

static void run_stream(const options *o, report *r)
{
    printf("stream: %zu analysis(es) x %zu clients, %zu load items per analysis\n", o->analyses, o->clients,
           o->items);
    bench_pool *p = new_pool(o, o->analyses * o->clients * o->items, r);
    stream_status *positions = calloc(o->analyses, sizeof *positions);
    process_sample before, after;
    if (!p || !positions || connect_clients(p, bench_now_ns() + JOIN_TIMEOUT_NS, r) != 0 ||
        sample_server(o, &before, r) != 0) {
        report_stream_checks(r, p, NULL, STREAM_FROM_ONE, o->items);
        goto done;
    }
    int64_t start = bench_now_ns();
    if (submit_all(o, p, r) == 0 && !pool_run(p, pool_all_finished, deadline_after(o->timeout_seconds)))
        report_fail(r, "not every client completed within %.0f s", o->timeout_seconds);
    int64_t end = bench_now_ns();
    if (sample_server(o, &after, r) == 0 && read_positions(o, p, positions, r) == 0) {
        int64_t delivery_end = p->last_complete_ns > start ? p->last_complete_ns : end;
        report_throughput(r, p, start, delivery_end);
        report_latency(r, p);
        report_server(r, &before, &after, (double)(end - start) / 1e9);
    }
    report_stream_checks(r, p, positions, STREAM_FROM_ONE, o->items);
done:
    free(positions);
    pool_free(p);
}

static int never(const bench_pool *p)
{
    (void)p;
    return 0;
}

static void run_idle(const options *o, report *r)
{
    printf("idle: %zu connection(s) on %zu analysis(es), held %.1f s\n", o->analyses * o->clients, o->analyses,
           o->hold_seconds);
    bench_pool *p = new_pool(o, 0, r);
    process_sample before, after;
    char err[512];
    uint64_t connected = 0;
    if (!p || sample_server(o, &before, r) != 0)
        goto done;
    int64_t start = bench_now_ns();
    if (connect_clients(p, start + JOIN_TIMEOUT_NS, r) != 0)
        goto done;
    printf("  all joined in %.2f s\n", (double)(bench_now_ns() - start) / 1e9);
    pool_run(p, never, deadline_after(o->hold_seconds));
    if (probe_connected_clients(o->port, &connected, err, sizeof err) != 0)
        report_fail(r, "%s", err);
    else if (connected != p->client_count)
        report_fail(r, "the server counts %llu connected client(s), expected %zu", (unsigned long long)connected,
                    p->client_count);
    if (sample_server(o, &after, r) == 0)
        report_idle_memory(r, &before, &after, p->client_count);
done:
    report_stream_checks(r, p, NULL, STREAM_IDLE, 0);
    pool_free(p);
}

static void run_replay(const options *o, report *r)
{
    printf("replay: %zu analysis(es) of %zu load items, then %zu clients each reconnect at once with "
           "last_sequence=0\n",
           o->analyses, o->items, o->clients);
    bench_pool *p = new_pool(o, 0, r);
    stream_status *positions = calloc(o->analyses, sizeof *positions);
    process_sample before, after;
    if (!p || !positions || submit_all(o, p, r) != 0 || wait_all_complete(o, p, positions, r) != 0 ||
        sample_server(o, &before, r) != 0)
        goto done;
    p->items_start_at_one = 0;
    int64_t start = bench_now_ns();
    int64_t deadline = deadline_after(o->timeout_seconds);
    if (connect_clients(p, deadline, r) == 0 && !pool_run(p, pool_all_finished, deadline))
        report_fail(r, "not every client completed its replay within %.0f s", o->timeout_seconds);
    int64_t end = bench_now_ns();
    if (sample_server(o, &after, r) == 0) {
        report_replay(r, p, positions, start);
        report_server(r, &before, &after, (double)(end - start) / 1e9);
    }
    report_stream_checks(r, p, positions, STREAM_FROM_OLDEST, o->items);
done:
    free(positions);
    pool_free(p);
}

/* ---- options ------------------------------------------------------------------------------- */

static void usage(FILE *out)
{
    fputs("usage: bench_stream stream|idle|replay --port P --pid PID [options]\n"
          "  --analyses N      analyses (default 1)\n"
          "  --clients N       clients per analysis (default 100)\n"
          "  --items N         load items per analysis: the loadgen `count` in the server's config\n"
          "  --timeout S       give up after S seconds (default 50)\n"
          "  --hold S          idle: how long the connections stay before measuring (default 2)\n"
          "targets (each prints PASS or FAIL):\n"
          "  --min-events-per-second X   --max-p99-ms X   --max-cpu-percent X\n"
          "  --max-kib-per-connection X  --max-seconds X\n",
          out);
}

static int parse_size(const char *text, size_t *out)
{
    char *end = NULL;
    unsigned long long v = strtoull(text, &end, 10);
    if (end == text || *end || v == 0 || v > 10000000ULL || text[0] == '-')
        return -1;
    *out = (size_t)v;
    return 0;
}

static int parse_real(const char *text, double *out)
{
    char *end = NULL;
    double v = strtod(text, &end);
    if (end == text || *end || !isfinite(v) || v < 0)
        return -1;
    *out = v;
    return 0;
}

static int parse_options(int argc, char **argv, options *o)
{
    static const struct option long_options[] = {
        {"port", required_argument, NULL, 'p'},       {"pid", required_argument, NULL, 'P'},
        {"analyses", required_argument, NULL, 'a'},   {"clients", required_argument, NULL, 'c'},
        {"items", required_argument, NULL, 'i'},      {"timeout", required_argument, NULL, 't'},
        {"hold", required_argument, NULL, 'H'},       {"min-events-per-second", required_argument, NULL, 'e'},
        {"max-p99-ms", required_argument, NULL, 'l'}, {"max-cpu-percent", required_argument, NULL, 'u'},
        {"max-kib-per-connection", required_argument, NULL, 'm'},
        {"max-seconds", required_argument, NULL, 's'}, {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    size_t port = 0, pid = 0;
    int opt, bad = 0;
    *o = (options){.analyses = 1, .clients = 100, .items = 1000, .timeout_seconds = 50, .hold_seconds = 2};
    bench_targets_init(&o->targets);
    while ((opt = getopt_long(argc, argv, "h", long_options, NULL)) != -1) {
        switch (opt) {
        case 'p': bad |= parse_size(optarg, &port) != 0 || port > 65535; break;
        case 'P': bad |= parse_size(optarg, &pid) != 0; break;
        case 'a': bad |= parse_size(optarg, &o->analyses) != 0; break;
        case 'c': bad |= parse_size(optarg, &o->clients) != 0; break;
        case 'i': bad |= parse_size(optarg, &o->items) != 0; break;
        case 't': bad |= parse_real(optarg, &o->timeout_seconds) != 0; break;
        case 'H': bad |= parse_real(optarg, &o->hold_seconds) != 0; break;
        case 'e': bad |= parse_real(optarg, &o->targets.min_events_per_second) != 0; break;
        case 'l': bad |= parse_real(optarg, &o->targets.max_p99_ms) != 0; break;
        case 'u': bad |= parse_real(optarg, &o->targets.max_cpu_percent) != 0; break;
        case 'm': bad |= parse_real(optarg, &o->targets.max_kib_per_connection) != 0; break;
        case 's': bad |= parse_real(optarg, &o->targets.max_seconds) != 0; break;
        case 'h': usage(stdout); exit(0);
        default: bad = 1; break;
        }
    }
    if (bad || optind != argc - 1 || !port || !pid) {
        fputs(bad ? "bench_stream: bad option value\n" : "bench_stream: a scenario, --port and --pid are needed\n",
              stderr);
        return -1;
    }
    o->scenario = argv[optind];
    o->port = (int)port;
    o->pid = (pid_t)pid;
    return 0;
}

/* Every client is a socket: take what the hard limit allows. */
static void raise_file_limit(void)
{
    struct rlimit limit;
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        setrlimit(RLIMIT_NOFILE, &limit);
    }
}

int main(int argc, char **argv)
{
    options o;
    if (parse_options(argc, argv, &o) != 0) {
        usage(stderr);
        return 2;
    }
    raise_file_limit();
    setvbuf(stdout, NULL, _IOLBF, 0);
    report r;
    report_init(&r, &o.targets);
    if (strcmp(o.scenario, "stream") == 0) {
        run_stream(&o, &r);
    } else if (strcmp(o.scenario, "idle") == 0) {
        run_idle(&o, &r);
    } else if (strcmp(o.scenario, "replay") == 0) {
        run_replay(&o, &r);
    } else {
        fprintf(stderr, "bench_stream: unknown scenario %s\n", o.scenario);
        usage(stderr);
        return 2;
    }
    return report_finish(&r);
}
