/*
 * bench_stream — the streaming benchmark: many WebSocket clients (one lws
 * context per client process, one process unless --processes says more)
 * against a running `polisim-host serve` whose only agent is the loadgen
 * plugin. It prints the figures and checks every client's stream (each
 * sequence exactly once, in order, up to the head the server reports; every
 * load item in order). scripts/bench.sh starts the server with the right
 * config for each scenario and runs this.
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

#include "bench_probe.h"
#include "bench_report.h"
#include "bench_workers.h"

#define JOIN_TIMEOUT_SECONDS 20.0     /* for every client to get its first message */
#define COMPLETE_TIMEOUT_SECONDS 30.0 /* replay: for the analyses to finish before the clients come */
#define PROBE_MARGIN_SECONDS 10.0     /* idle: for the probes after the hold */
#define STATUS_POLL_SECONDS 0.020
#define WRITTEN_POLL_SECONDS 0.005

typedef struct options {
    const char *scenario;
    int port;
    pid_t pid;
    size_t analyses, clients, items, processes;
    double timeout_seconds, hold_seconds;
    double stagger_ms;             /* pause between two POSTs */
    bench_targets targets;
} options;

/* ---- shared steps ---------------------------------------------------------------------- */

static bench_workers *new_workers(const options *o, size_t items_per_client, report *r)
{
    char err[256], prefix[40];
    snprintf(prefix, sizeof prefix, "bench%d", (int)getpid());
    bench_workers *w =
        workers_new(o->port, prefix, o->analyses, o->clients, items_per_client, o->processes, err, sizeof err);
    if (!w)
        report_fail(r, "%s", err);
    return w;
}

static int64_t deadline_after(double seconds)
{
    return bench_now_ns() + (int64_t)(seconds * 1e9);
}

static void pause_for(double seconds)
{
    double whole = floor(seconds);
    struct timespec pause = {(time_t)whole, (long)((seconds - whole) * 1e9)};
    nanosleep(&pause, NULL);
}

/* Starts the client workers; they run until run_deadline_ns at most. */
static int start_clients(bench_workers *w, int64_t run_deadline_ns, report *r)
{
    char err[256];
    if (workers_start(w, deadline_after(JOIN_TIMEOUT_SECONDS), run_deadline_ns, err, sizeof err) != 0) {
        report_fail(r, "%s", err);
        return -1;
    }
    return 0;
}

static void finish_clients(bench_workers *w, int stop_now, report *r)
{
    char err[256];
    if (workers_finish(w, stop_now, err, sizeof err) != 0)
        report_fail(r, "%s", err);
}

static int take_sample(const options *o, bench_sample *out, report *r)
{
    char err[256];
    out->at_ns = bench_now_ns();
    if (probe_process(o->pid, &out->server, err, sizeof err) != 0) {
        report_fail(r, "server process: %s", err);
        return -1;
    }
    return 0;
}

/* POSTs every analysis, o->stagger_ms apart (so that analyses emitting at
 * the same rate do not all emit at the same instant). */
static int submit_all(const options *o, const bench_workers *w, report *r)
{
    char err[512];
    for (size_t k = 0; k < w->plan.analysis_count; k++) {
        if (k > 0 && o->stagger_ms > 0)
            pause_for(o->stagger_ms / 1000);
        if (probe_submit(o->port, w->plan.analysis_ids[k], err, sizeof err) != 0) {
            report_fail(r, "%s", err);
            return -1;
        }
    }
    return 0;
}

/* The head (and oldest) sequence of every analysis, from the REST status. */
static int read_positions(const options *o, const bench_workers *w, stream_status *out, report *r)
{
    char err[512];
    for (size_t k = 0; k < w->plan.analysis_count; k++)
        if (probe_stream_status(o->port, w->plan.analysis_ids[k], &out[k], err, sizeof err) != 0) {
            report_fail(r, "%s", err);
            return -1;
        }
    return 0;
}

/* Polls the REST status until every analysis has stored analysis_complete. */
static int wait_all_complete(const options *o, const bench_workers *w, stream_status *out, report *r)
{
    int64_t deadline = deadline_after(COMPLETE_TIMEOUT_SECONDS);
    for (;;) {
        if (read_positions(o, w, out, r) != 0)
            return -1;
        size_t complete = 0;
        for (size_t k = 0; k < w->plan.analysis_count; k++)
            complete += out[k].complete;
        if (complete == w->plan.analysis_count)
            return 0;
        if (bench_now_ns() >= deadline) {
            report_fail(r, "%zu of %zu analyses did not complete within %g s", w->plan.analysis_count - complete,
                        w->plan.analysis_count, COMPLETE_TIMEOUT_SECONDS);
            return -1;
        }
        pause_for(STATUS_POLL_SECONDS);
    }
}

static void describe_clients(const options *o)
{
    printf("  clients: %zu in %zu process(es), one lws context each\n", o->analyses * o->clients, o->processes);
}

/* ---- scenarios ---------------------------------------------------------------------------- */

static void run_stream(const options *o, report *r)
{
    printf("stream: %zu analysis(es) x %zu clients, %zu load items per analysis", o->analyses, o->clients, o->items);
    if (o->stagger_ms > 0)
        printf(", POSTed %g ms apart", o->stagger_ms);
    printf("\n");
    describe_clients(o);
    bench_workers *w = new_workers(o, o->items, r);
    stream_status *positions = calloc(o->analyses, sizeof *positions);
    bench_sample before, after;
    int64_t run_deadline = deadline_after(JOIN_TIMEOUT_SECONDS + o->timeout_seconds);
    if (!w || !positions || start_clients(w, run_deadline, r) != 0 || take_sample(o, &before, r) != 0) {
        if (w)
            finish_clients(w, 1, r);
        report_stream_checks(r, w, NULL, STREAM_FROM_ONE, o->items);
        goto done;
    }
    int submitted = submit_all(o, w, r) == 0;
    finish_clients(w, !submitted, r);
    if (take_sample(o, &after, r) == 0 && read_positions(o, w, positions, r) == 0) {
        int64_t last = workers_last_complete_ns(w);
        report_throughput(r, w, before.at_ns, last > before.at_ns ? last : after.at_ns);
        report_latency(r, w);
        report_cpu(r, &before, &after, w);
    }
    report_stream_checks(r, w, positions, STREAM_FROM_ONE, o->items);
done:
    free(positions);
    workers_free(w);
}

static void run_idle(const options *o, report *r)
{
    printf("idle: %zu connection(s) on %zu analysis(es), held %.1f s\n", o->analyses * o->clients, o->analyses,
           o->hold_seconds);
    describe_clients(o);
    bench_workers *w = new_workers(o, 0, r);
    bench_sample before, after;
    char err[512];
    server_stats stats;
    if (!w || take_sample(o, &before, r) != 0)
        goto done;
    if (start_clients(w, deadline_after(JOIN_TIMEOUT_SECONDS + o->hold_seconds + PROBE_MARGIN_SECONDS), r) == 0) {
        printf("  all joined in %.2f s\n", (double)(bench_now_ns() - before.at_ns) / 1e9);
        pause_for(o->hold_seconds); /* the connections sit idle: that is what is measured */
        if (probe_stats(o->port, &stats, err, sizeof err) != 0)
            report_fail(r, "%s", err);
        else if (stats.connected != w->client_count)
            report_fail(r, "the server counts %llu connected client(s), expected %zu",
                        (unsigned long long)stats.connected, w->client_count);
        if (take_sample(o, &after, r) == 0)
            report_idle_memory(r, &before, &after, w->client_count);
    }
    report_stream_checks(r, w, NULL, STREAM_IDLE, 0); /* before they are closed */
    finish_clients(w, 1, r);
done:
    workers_free(w);
}

/* Events the clients of a replay are owed in all. */
static uint64_t replay_size(const bench_workers *w, const stream_status *positions)
{
    uint64_t total = 0;
    for (size_t i = 0; i < w->client_count; i++) {
        const stream_status *at = &positions[w->clients[i].analysis];
        total += at->head_sequence - at->oldest_sequence + 1;
    }
    return total;
}

/* Polls the server's count of events written until it reaches target:
 * when (CLOCK_MONOTONIC ns), or 0 if not by the deadline. The server may
 * be done before its clients have read everything (socket buffers). */
static int64_t wait_written(const options *o, uint64_t target, int64_t deadline_ns)
{
    char err[512];
    server_stats stats;
    while (bench_now_ns() < deadline_ns && probe_stats(o->port, &stats, err, sizeof err) == 0) {
        if (stats.events_sent >= target)
            return bench_now_ns();
        pause_for(WRITTEN_POLL_SECONDS);
    }
    return 0;
}

static void run_replay(const options *o, report *r)
{
    printf("replay: %zu analysis(es) of %zu load items, then %zu clients each reconnect at once with "
           "last_sequence=0\n",
           o->analyses, o->items, o->clients);
    describe_clients(o);
    bench_workers *w = new_workers(o, 0, r);
    stream_status *positions = calloc(o->analyses, sizeof *positions);
    bench_sample before, after;
    server_stats sent;
    char err[512];
    if (!w || !positions || submit_all(o, w, r) != 0 || wait_all_complete(o, w, positions, r) != 0 ||
        take_sample(o, &before, r) != 0)
        goto done;
    if (probe_stats(o->port, &sent, err, sizeof err) != 0) {
        report_fail(r, "%s", err);
        goto done;
    }
    w->plan.items_start_at_one = 0;
    int64_t deadline = deadline_after(o->timeout_seconds);
    int started = start_clients(w, deadline, r) == 0;
    int64_t written = started ? wait_written(o, sent.events_sent + replay_size(w, positions), deadline) : 0;
    finish_clients(w, !started, r);
    if (take_sample(o, &after, r) == 0) {
        report_replay(r, w, positions, before.at_ns);
        if (written)
            printf("  server: wrote every replayed event %.3f s after the first connect (stats polled every %g ms)\n",
                   (double)(written - before.at_ns) / 1e9, WRITTEN_POLL_SECONDS * 1000);
        report_cpu(r, &before, &after, w);
    }
    report_stream_checks(r, w, positions, STREAM_FROM_OLDEST, o->items);
done:
    free(positions);
    workers_free(w);
}

/* ---- options ------------------------------------------------------------------------------- */

static void usage(FILE *out)
{
    fputs("usage: bench_stream stream|idle|replay --port P --pid PID [options]\n"
          "  --analyses N      analyses (default 1)\n"
          "  --clients N       clients per analysis (default 100)\n"
          "  --items N         load items per analysis: the loadgen `count` in the server's config\n"
          "  --processes N     client processes, each with its own lws context (default 1)\n"
          "  --timeout S       give up after S seconds (default 50)\n"
          "  --hold S          idle: how long the connections stay before measuring (default 2)\n"
          "  --stagger-ms X    pause between two POSTs (default 0)\n"
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
        {"max-seconds", required_argument, NULL, 's'}, {"processes", required_argument, NULL, 'n'},
        {"stagger-ms", required_argument, NULL, 'g'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    size_t port = 0, pid = 0;
    int opt, bad = 0;
    *o = (options){.analyses = 1, .clients = 100, .items = 1000, .processes = 1, .timeout_seconds = 50,
                   .hold_seconds = 2};
    bench_targets_init(&o->targets);
    while ((opt = getopt_long(argc, argv, "h", long_options, NULL)) != -1) {
        switch (opt) {
        case 'p': bad |= parse_size(optarg, &port) != 0 || port > 65535; break;
        case 'P': bad |= parse_size(optarg, &pid) != 0; break;
        case 'a': bad |= parse_size(optarg, &o->analyses) != 0; break;
        case 'c': bad |= parse_size(optarg, &o->clients) != 0; break;
        case 'i': bad |= parse_size(optarg, &o->items) != 0; break;
        case 'n': bad |= parse_size(optarg, &o->processes) != 0 || o->processes > 64; break;
        case 't': bad |= parse_real(optarg, &o->timeout_seconds) != 0; break;
        case 'H': bad |= parse_real(optarg, &o->hold_seconds) != 0; break;
        case 'g': bad |= parse_real(optarg, &o->stagger_ms) != 0 || o->stagger_ms > 10000; break;
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
