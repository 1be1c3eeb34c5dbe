/*
 * runs — the life of one ps_run: started on the worker pool, watched against
 * its deadline, cancelled cooperatively when late, and closed with exactly
 * one agent_completed event (plus an error event when it failed).
 *
 * The analysis owns its runs; they are freed only after their callbacks have
 * returned (runs_join), so a late plugin never touches freed memory.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "pipeline/internal.h"

int64_t monotonic_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

const char *run_status_name(run_status s)
{
    switch (s) {
    case RUN_COMPLETED: return "completed";
    case RUN_FAILED: return "failed";
    case RUN_TIMED_OUT: return "timed_out";
    case RUN_CANCELLED: return "cancelled";
    case RUN_RUNNING: return "running";
    default: return "pending";
    }
}

static void publish_agent_started(ps_run *run)
{
    const ps_agent_def *def = &run->agent->def;
    envelope_writer w;
    publish_begin(&w, run->an, "agent_started", run->agent->id, 5);
    pack_kv_str(&w.packer, "agent_id", run->agent->id);
    pack_kv_str(&w.packer, "agent_type", def->agent_type ? def->agent_type : def->name);
    pack_kv_str(&w.packer, "agent_label", def->label);
    pack_kv_str(&w.packer, "agent_icon", def->icon);
    pack_kv_str(&w.packer, "status", "running");
    publish_end(&w, run->an);
}

ps_run *run_new(analysis *an, loaded_agent *agent, const void *input, job_fn call)
{
    ps_run *run = calloc(1, sizeof *run);
    if (!run)
        return NULL;
    pthread_mutex_lock(&an->lock);
    ps_run **grown = realloc(an->runs, (an->run_count + 1) * sizeof *grown);
    if (!grown) {
        pthread_mutex_unlock(&an->lock);
        free(run);
        return NULL;
    }
    an->runs = grown;
    an->runs[an->run_count++] = run;
    pthread_mutex_unlock(&an->lock);

    run->an = an;
    run->agent = agent;
    run->input = input;
    run->call = call;
    pthread_mutex_init(&run->lock, NULL);
    atomic_init(&run->cancelled, 0);
    run->status = RUN_PENDING;
    publish_agent_started(run);
    return run;
}

void run_free(ps_run *run)
{
    pthread_mutex_destroy(&run->lock);
    free(run);
}

static void run_job(void *arg)
{
    ps_run *run = arg;
    run->call(run);
    analysis *an = run->an;
    pthread_mutex_lock(&an->lock);
    run->worker_done = 1;
    pthread_cond_broadcast(&an->changed);
    pthread_mutex_unlock(&an->lock);
}

int run_start(ps_run *run)
{
    run->started_ns = monotonic_ns();
    run->deadline_ns = run->started_ns + (int64_t)(run->agent->timeout_seconds * 1e9);
    run->status = RUN_RUNNING;
    if (workers_submit(run->an->owner->pool, run_job, run) != 0) {
        run->status = RUN_FAILED;
        run->result = PS_ENOMEM;
        run->worker_done = 1;
        return -1;
    }
    return 0;
}

static struct timespec to_timespec(int64_t ns)
{
    struct timespec ts = {.tv_sec = ns / 1000000000, .tv_nsec = ns % 1000000000};
    return ts;
}

/* Under an->lock: cancels runs past their deadline (or all, when the
 * analysis is cancelled or out of time); returns the earliest deadline still
 * pending, or 0 when every run is settled. */
static int64_t settle_late_runs(analysis *an, ps_run **runs, size_t count, int64_t now)
{
    int64_t earliest = 0;
    int shutdown = atomic_load(&an->cancelled);
    for (size_t i = 0; i < count; i++) {
        ps_run *run = runs[i];
        if (run->worker_done || run->status == RUN_TIMED_OUT || run->status == RUN_CANCELLED)
            continue;
        int64_t deadline = run->deadline_ns < an->deadline_ns ? run->deadline_ns : an->deadline_ns;
        if (shutdown || now >= deadline) {
            atomic_store(&run->cancelled, 1);
            run->status = shutdown ? RUN_CANCELLED : RUN_TIMED_OUT;
            snprintf(run->host_error, sizeof run->host_error, "%s after %.1f s",
                     shutdown ? "cancelled" : "timed out", (double)(now - run->started_ns) / 1e9);
            continue;
        }
        if (!earliest || deadline < earliest)
            earliest = deadline;
    }
    return earliest;
}

void runs_wait(analysis *an, ps_run **runs, size_t count)
{
    pthread_mutex_lock(&an->lock);
    for (;;) {
        int64_t next = settle_late_runs(an, runs, count, monotonic_ns());
        if (!next)
            break;
        struct timespec until = to_timespec(next);
        pthread_cond_timedwait(&an->changed, &an->lock, &until);
    }
    pthread_mutex_unlock(&an->lock);
}

void runs_join(analysis *an)
{
    pthread_mutex_lock(&an->lock);
    for (;;) {
        int pending = 0;
        for (size_t i = 0; i < an->run_count; i++)
            pending |= an->runs[i]->status != RUN_PENDING && !an->runs[i]->worker_done;
        if (!pending)
            break;
        pthread_cond_wait(&an->changed, &an->lock);
    }
    pthread_mutex_unlock(&an->lock);
}

static run_status final_status(const ps_run *run)
{
    if (run->status == RUN_TIMED_OUT || run->status == RUN_CANCELLED)
        return run->status;
    if (run->result == PS_ECANCELED && atomic_load(&run->an->cancelled))
        return RUN_CANCELLED;
    if (run->result != PS_OK || run->misbehaved)
        return RUN_FAILED;
    return RUN_COMPLETED;
}

/* The three most important findings of this run, by impact then confidence. */
static size_t key_takeaways(const ps_run *run, const stored_finding **out, size_t max)
{
    analysis *an = run->an;
    size_t n = 0;
    for (size_t i = 0; i < an->finding_count; i++) {
        const stored_finding *f = an->findings[i];
        if (strcmp(f->record.agent_id, run->agent->id) != 0)
            continue;
        size_t at = n < max ? n++ : max;
        while (at > 0 && (out[at - 1]->finding.impact_magnitude < f->finding.impact_magnitude ||
                          (out[at - 1]->finding.impact_magnitude == f->finding.impact_magnitude &&
                           out[at - 1]->finding.confidence < f->finding.confidence))) {
            if (at < max)
                out[at] = out[at - 1];
            at--;
        }
        if (at < max)
            out[at] = f;
    }
    return n;
}

static void publish_agent_completed(ps_run *run)
{
    const stored_finding *top[3];
    pthread_mutex_lock(&run->an->lock);
    size_t top_count = key_takeaways(run, top, 3);
    envelope_writer w;
    publish_begin(&w, run->an, "agent_completed", run->agent->id, 6);
    pack_kv_str(&w.packer, "agent_id", run->agent->id);
    pack_kv_int(&w.packer, "findings_count", run->finding_count);
    pack_kv_double(&w.packer, "overall_confidence",
                   run->finding_count ? run->confidence_sum / run->finding_count : 0.0);
    pack_key(&w.packer, "key_takeaways");
    msgpack_pack_array(&w.packer, (uint32_t)top_count);
    for (size_t i = 0; i < top_count; i++)
        envelope_pack_cstr(&w.packer, top[i]->finding.description);
    pthread_mutex_unlock(&run->an->lock);
    pack_kv_str(&w.packer, "status", run_status_name(run->status));
    pack_kv_double(&w.packer, "execution_time_seconds", (double)(monotonic_ns() - run->started_ns) / 1e9);
    publish_end(&w, run->an);
}

void run_finish(ps_run *run)
{
    pthread_mutex_lock(&run->lock);
    run->closed = 1;
    run->status = final_status(run);
    if (run->status == RUN_TIMED_OUT || run->status == RUN_CANCELLED) {
        publish_error(run->an, run->agent->id, NULL, "agent '%s' %s", run->agent->id,
                      run->host_error[0] ? run->host_error : "cancelled");
    } else if (run->result != PS_OK) {
        const char *why = run->error[0] ? run->error : pipeline_host_api()->strerror(run->result);
        publish_error(run->an, run->agent->id, NULL, "agent '%s' failed: %s (%s)", run->agent->id, why,
                      pipeline_host_api()->strerror(run->result));
    }
    publish_agent_completed(run);
    pthread_mutex_unlock(&run->lock);
}
