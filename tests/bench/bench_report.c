/*
 * bench_report — figures, targets and the stream verdict (see bench_report.h).
 */
#include "bench_report.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

/* Failing clients described one by one before the count says the rest. */
#define DESCRIBED_FAILURES 5

void bench_targets_init(bench_targets *t)
{
    *t = (bench_targets){-1, -1, -1, -1, -1};
}

void report_init(report *r, const bench_targets *targets)
{
    r->targets = targets;
    r->failed = 0;
}

void report_fail(report *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("  FAIL: ", stdout);
    vprintf(fmt, ap);
    fputc('\n', stdout);
    va_end(ap);
    r->failed = 1;
}

/* One target line; limit < 0 means the target was not asked for. */
static void check_target(report *r, const char *name, double value, double limit, int at_most, const char *unit)
{
    if (limit < 0)
        return;
    int ok = at_most ? value <= limit : value >= limit;
    printf("  target %s %s %g %s: %s (measured %.2f)\n", name, at_most ? "<=" : ">=", limit, unit,
           ok ? "PASS" : "FAIL", value);
    if (!ok)
        r->failed = 1;
}

static int compare_int64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Nearest-rank percentile of sorted values (n > 0). */
static int64_t percentile(const int64_t *sorted, size_t n, double q)
{
    size_t rank = (size_t)ceil(q * (double)n);
    return sorted[rank > 0 ? rank - 1 : 0];
}

static double ms(int64_t ns)
{
    return (double)ns / 1e6;
}

/* ---- figures ---------------------------------------------------------------------------- */

void report_throughput(report *r, const bench_workers *w, int64_t start_ns, int64_t end_ns)
{
    uint64_t delivered = 0;
    for (size_t i = 0; i < w->client_count; i++)
        delivered += w->clients[i].events;
    double seconds = (double)(end_ns - start_ns) / 1e9;
    double rate = seconds > 0 ? (double)delivered / seconds : 0;
    printf("  delivered: %llu events to %zu clients in %.3f s (POST to the last analysis_complete) = %.0f events/s\n",
           (unsigned long long)delivered, w->client_count, seconds, rate);
    check_target(r, "delivered events/s", rate, r->targets->min_events_per_second, 0, "events/s");
}

void report_latency(report *r, bench_workers *w)
{
    size_t n = w->latency_count;
    if (n == 0) {
        report_fail(r, "no load item received: no latency to report");
        return;
    }
    qsort(w->latencies_ns, n, sizeof *w->latencies_ns, compare_int64);
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += (double)w->latencies_ns[i];
    double p99 = ms(percentile(w->latencies_ns, n, 0.99));
    printf("  latency (item stamp -> client receive, %zu samples): p50 %.3f ms, p99 %.3f ms, max %.3f ms, "
           "mean %.3f ms\n",
           n, ms(percentile(w->latencies_ns, n, 0.50)), p99, ms(w->latencies_ns[n - 1]), sum / (double)n / 1e6);
    check_target(r, "latency p99", p99, r->targets->max_p99_ms, 1, "ms");
}

void report_cpu(report *r, const bench_sample *before, const bench_sample *after, const bench_workers *w)
{
    double seconds = (double)(after->at_ns - before->at_ns) / 1e9;
    double cpu = after->server.cpu_seconds - before->server.cpu_seconds;
    double percent = seconds > 0 ? cpu / seconds * 100 : 0;
    double client_cpu = w->client_cpu_seconds;
    printf("  server: CPU %.2f s in %.2f s = %.1f%% of one core; RSS %ld KiB (%+ld KiB), peak %ld KiB\n", cpu,
           seconds, percent, after->server.rss_kib, after->server.rss_kib - before->server.rss_kib,
           after->server.peak_rss_kib);
    printf("  clients (%zu process(es), from their start): CPU %.2f s = %.1f%% of one core over the same time\n",
           w->processes, client_cpu, seconds > 0 ? client_cpu / seconds * 100 : 0);
    check_target(r, "server CPU", percent, r->targets->max_cpu_percent, 1, "% of one core");
}

void report_idle_memory(report *r, const bench_sample *before, const bench_sample *after, size_t connections)
{
    long growth = after->server.rss_kib - before->server.rss_kib;
    double per_connection = (double)growth / (double)connections;
    printf("  server RSS: %ld KiB before, %ld KiB with %zu idle connections = %.2f KiB per connection\n",
           before->server.rss_kib, after->server.rss_kib, connections, per_connection);
    check_target(r, "RSS per connection", per_connection, r->targets->max_kib_per_connection, 1, "KiB");
}

void report_replay(report *r, const bench_workers *w, const stream_status *positions, int64_t start_ns)
{
    int64_t *done_ns = malloc(w->client_count * sizeof *done_ns);
    if (!done_ns) {
        report_fail(r, "out of memory");
        return;
    }
    size_t complete = 0;
    uint64_t delivered = 0;
    for (size_t i = 0; i < w->client_count; i++) {
        const bench_client *c = &w->clients[i];
        delivered += c->events;
        if (c->complete)
            done_ns[complete++] = c->complete_ns - start_ns;
    }
    if (complete == 0) {
        report_fail(r, "no client completed its replay");
        free(done_ns);
        return;
    }
    qsort(done_ns, complete, sizeof *done_ns, compare_int64);
    double last = (double)done_ns[complete - 1] / 1e9;
    printf("  replay: %zu clients, each sequences %llu..%llu of %s; %llu events in all\n", w->client_count,
           (unsigned long long)positions[0].oldest_sequence, (unsigned long long)positions[0].head_sequence,
           w->plan.analysis_ids[0], (unsigned long long)delivered);
    printf("  time from the first connect: half the clients done in %.3f s, all %zu in %.3f s = %.0f events/s\n",
           (double)percentile(done_ns, complete, 0.5) / 1e9, complete, last, (double)delivered / last);
    check_target(r, "all replays done in", last, r->targets->max_seconds, 1, "s");
    free(done_ns);
}

/* ---- the verdict on every stream ----------------------------------------------------------- */

/* Why one client's stream is wrong ("" if it is right). */
static void judge(const bench_client *c, const stream_status *at, stream_expectation expect, size_t items,
                  char *why, size_t size)
{
    why[0] = '\0';
    if (c->failure[0]) {
        snprintf(why, size, "%s", c->failure);
        return;
    }
    if (expect == STREAM_IDLE)
        return;
    uint64_t first = expect == STREAM_FROM_ONE ? 1 : at ? at->oldest_sequence : c->first_sequence;
    uint64_t last = c->next_sequence - 1;
    if (!c->complete)
        snprintf(why, size, "no analysis_complete: %llu event(s) received, last sequence %llu",
                 (unsigned long long)c->events, (unsigned long long)last);
    else if (c->first_sequence != first)
        snprintf(why, size, "stream started at %llu, expected %llu", (unsigned long long)c->first_sequence,
                 (unsigned long long)first);
    else if (at && last != at->head_sequence)
        snprintf(why, size, "stream ended at %llu, the server's head is %llu", (unsigned long long)last,
                 (unsigned long long)at->head_sequence);
    else if (c->last_item != items || (expect == STREAM_FROM_ONE && c->items != items))
        snprintf(why, size, "%llu load item(s) ending at item %llu, expected %s%zu", (unsigned long long)c->items,
                 (unsigned long long)c->last_item, expect == STREAM_FROM_ONE ? "1.." : "..", items);
}

void report_stream_checks(report *r, const bench_workers *w, const stream_status *positions,
                          stream_expectation expect, size_t items)
{
    if (!w)
        return;
    size_t bad = 0;
    uint64_t min_head = UINT64_MAX, max_head = 0;
    for (size_t i = 0; i < w->client_count; i++) {
        const bench_client *c = &w->clients[i];
        char why[BENCH_FAILURE_SIZE + 64];
        judge(c, positions ? &positions[c->analysis] : NULL, expect, items, why, sizeof why);
        if (why[0] && ++bad <= DESCRIBED_FAILURES)
            printf("  client %zu (%s): %s\n", i + 1, w->plan.analysis_ids[c->analysis], why);
        if (c->next_sequence - 1 < min_head)
            min_head = c->next_sequence - 1;
        if (c->next_sequence - 1 > max_head)
            max_head = c->next_sequence - 1;
    }
    if (bad) {
        report_fail(r, "%zu of %zu client(s) did not get their stream right", bad, w->client_count);
    } else if (expect == STREAM_IDLE) {
        printf("  check: all %zu connections stayed open\n", w->client_count);
    } else {
        printf("  check: all %zu clients got every sequence exactly once, in order, up to the head (%llu",
               w->client_count, (unsigned long long)min_head);
        if (max_head != min_head)
            printf("..%llu", (unsigned long long)max_head);
        printf("), and every load item in order\n");
    }
}

int report_finish(const report *r)
{
    printf("RESULT: %s\n", r->failed ? "FAIL" : "PASS");
    return r->failed ? 1 : 0;
}
