/*
 * bench_workers — the benchmark's clients, run by worker processes (see
 * bench_workers.h).
 */
#include "bench_workers.h"

#include <errno.h>
#include <poll.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

struct workers_shared {
    atomic_int stop;               /* set by the parent: close the clients now */
    size_t latency_counts[];       /* per worker: samples written into its slice */
};

/* ---- memory the workers share with the parent ------------------------------------ */

static void *shared_alloc(size_t bytes)
{
    void *p = mmap(NULL, bytes ? bytes : 1, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

static void shared_free(void *p, size_t bytes)
{
    if (p)
        munmap(p, bytes ? bytes : 1);
}

static size_t shared_size(size_t processes)
{
    return sizeof(workers_shared) + processes * sizeof(size_t);
}

/* Where worker k of n starts in an array of count things (worker n: the end). */
static size_t slice_start(size_t count, size_t k, size_t n)
{
    return count * k / n;
}

static double children_cpu_seconds(void)
{
    struct rusage usage;
    if (getrusage(RUSAGE_CHILDREN, &usage) != 0)
        return 0;
    return (double)(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
           (double)(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

bench_workers *workers_new(int port, const char *prefix, size_t analyses, size_t clients_per_analysis,
                           size_t items_per_client, size_t processes, char *err, size_t err_size)
{
    bench_workers *w = calloc(1, sizeof *w);
    if (!w) {
        snprintf(err, err_size, "out of memory");
        return NULL;
    }
    w->client_count = analyses * clients_per_analysis;
    w->processes = processes < 1 ? 1 : processes > w->client_count ? w->client_count : processes;
    w->latency_capacity = w->client_count * items_per_client;
    w->ready_fd = -1;
    w->plan = (bench_plan){.port = port, .analysis_count = analyses, .items_start_at_one = 1};
    w->plan.analysis_ids = calloc(analyses, sizeof *w->plan.analysis_ids);
    w->clients = shared_alloc(w->client_count * sizeof *w->clients);
    w->latencies_ns = shared_alloc(w->latency_capacity * sizeof *w->latencies_ns);
    w->shared = shared_alloc(shared_size(w->processes));
    w->pids = calloc(w->processes, sizeof *w->pids);
    if (!w->plan.analysis_ids || !w->clients || !w->latencies_ns || !w->shared || !w->pids) {
        snprintf(err, err_size, "out of memory for %zu clients", w->client_count);
        workers_free(w);
        return NULL;
    }
    atomic_init(&w->shared->stop, 0);
    for (size_t k = 0; k < analyses; k++)
        snprintf(w->plan.analysis_ids[k], BENCH_ID_SIZE, "%s-%zu", prefix, k + 1);
    clients_init(w->clients, w->client_count, clients_per_analysis);
    return w;
}

void workers_free(bench_workers *w)
{
    if (!w)
        return;
    if (w->started) {
        char err[160];
        workers_finish(w, 1, err, sizeof err);
    }
    shared_free(w->clients, w->client_count * sizeof *w->clients);
    shared_free(w->latencies_ns, w->latency_capacity * sizeof *w->latencies_ns);
    shared_free(w->shared, shared_size(w->processes));
    free(w->plan.analysis_ids);
    free(w->pids);
    free(w);
}

/* ---- a worker -------------------------------------------------------------------------- */

static int finished_or_stopped(const bench_pool *p, void *shared)
{
    return pool_all_finished(p, NULL) || atomic_load(&((workers_shared *)shared)->stop);
}

/* Worker k: connects its slice, reports on ready_fd once they have joined,
 * services them to the end. Never returns. */
static void run_worker(bench_workers *w, size_t k, int ready_fd, int64_t join_deadline_ns, int64_t run_deadline_ns)
{
    size_t first = slice_start(w->client_count, k, w->processes);
    size_t end = slice_start(w->client_count, k + 1, w->processes);
    size_t samples_first = slice_start(w->latency_capacity, k, w->processes);
    size_t samples_end = slice_start(w->latency_capacity, k + 1, w->processes);
    char err[256];
    int status = 0;
    bench_pool *p = pool_new(&w->plan, w->clients + first, end - first, w->latencies_ns + samples_first,
                             samples_end - samples_first, err, sizeof err);
    if (!p || pool_connect(p, err, sizeof err) != 0) {
        fprintf(stderr, "bench_stream: worker %zu: %s\n", k + 1, err);
        status = 1;
    } else {
        pool_run(p, pool_all_joined, NULL, join_deadline_ns);
        char joined = 'j';
        if (write(ready_fd, &joined, 1) != 1)
            status = 1;
        pool_run(p, finished_or_stopped, w->shared, run_deadline_ns);
        w->shared->latency_counts[k] = pool_latency_count(p);
    }
    close(ready_fd);
    pool_free(p);
    _exit(status);
}

/* ---- the parent ------------------------------------------------------------------------ */

/* Waits for one byte from every worker (all its clients joined). */
static int wait_ready(bench_workers *w, int64_t deadline_ns, char *err, size_t err_size)
{
    size_t ready = 0;
    while (ready < w->started) {
        int64_t left_ms = (deadline_ns - bench_now_ns()) / 1000000;
        if (left_ms <= 0) {
            snprintf(err, err_size, "not every client joined in time");
            return -1;
        }
        struct pollfd readable = {.fd = w->ready_fd, .events = POLLIN};
        int n = poll(&readable, 1, left_ms > 1000 ? 1000 : (int)left_ms);
        if (n <= 0)
            continue; /* timeout (checked above) or a signal */
        char bytes[64];
        ssize_t got = read(w->ready_fd, bytes, sizeof bytes);
        if (got <= 0) {
            snprintf(err, err_size, "a client worker ended before its clients joined");
            return -1;
        }
        ready += (size_t)got;
    }
    return 0;
}

int workers_start(bench_workers *w, int64_t join_deadline_ns, int64_t run_deadline_ns, char *err, size_t err_size)
{
    int ready[2];
    if (pipe(ready) != 0) {
        snprintf(err, err_size, "pipe: %s", strerror(errno));
        return -1;
    }
    fflush(NULL); /* a worker must not write what the parent has buffered */
    w->children_cpu_before = children_cpu_seconds();
    int rc = 0;
    for (size_t k = 0; k < w->processes && rc == 0; k++) {
        pid_t pid = fork();
        if (pid == 0) {
            close(ready[0]);
            run_worker(w, k, ready[1], join_deadline_ns, run_deadline_ns);
        }
        if (pid < 0) {
            snprintf(err, err_size, "fork: %s", strerror(errno));
            rc = -1;
        } else {
            w->pids[w->started++] = pid;
        }
    }
    close(ready[1]);
    w->ready_fd = ready[0];
    if (rc != 0 || wait_ready(w, join_deadline_ns, err, err_size) != 0)
        return -1;
    size_t missing = 0;
    for (size_t i = 0; i < w->client_count; i++)
        missing += !w->clients[i].joined && !w->clients[i].finished;
    if (missing) {
        snprintf(err, err_size, "%zu client(s) did not join in time", missing);
        return -1;
    }
    return 0;
}

/* Puts the workers' latency slices one after the other. */
static void gather_latencies(bench_workers *w)
{
    size_t total = 0;
    for (size_t k = 0; k < w->processes; k++) {
        size_t first = slice_start(w->latency_capacity, k, w->processes);
        size_t count = w->shared->latency_counts[k];
        memmove(w->latencies_ns + total, w->latencies_ns + first, count * sizeof *w->latencies_ns);
        total += count;
    }
    w->latency_count = total;
}

int workers_finish(bench_workers *w, int stop_now, char *err, size_t err_size)
{
    int rc = 0;
    if (stop_now)
        atomic_store(&w->shared->stop, 1);
    for (size_t k = 0; k < w->started; k++) {
        int status = 0;
        while (waitpid(w->pids[k], &status, 0) < 0 && errno == EINTR)
            ;
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            snprintf(err, err_size, "client worker %zu ended badly (status %d)", k + 1, status);
            rc = -1;
        }
    }
    w->started = 0;
    if (w->ready_fd >= 0)
        close(w->ready_fd);
    w->ready_fd = -1;
    w->client_cpu_seconds = children_cpu_seconds() - w->children_cpu_before;
    gather_latencies(w);
    return rc;
}

int64_t workers_last_complete_ns(const bench_workers *w)
{
    int64_t last = 0;
    for (size_t i = 0; i < w->client_count; i++)
        if (w->clients[i].complete && w->clients[i].complete_ns > last)
            last = w->clients[i].complete_ns;
    return last;
}
