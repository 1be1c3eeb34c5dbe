/*
 * pipeline — accepts analyses and runs each on its own orchestrator thread:
 * pipeline_started, ingesting, analyzing, debating, voting, synthesizing,
 * complete (or error). Owns the analyses while they run and the worker pool.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pipeline/internal.h"

int pipeline_valid_id(const char *id)
{
    size_t n = 0;
    if (!id)
        return 0;
    for (; id[n]; n++) {
        char c = id[n];
        if (n >= 64 || !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                         c == '_' || c == '-'))
            return 0;
    }
    return n > 0;
}

pipeline *pipeline_new(const ps_config *cfg, const agent_set *agents, bus *b)
{
    pipeline *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->cfg = cfg;
    p->agents = agents;
    p->bus = b;
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->idle, NULL);
    p->pool = workers_start((unsigned)cfg->pipeline.max_parallel_agents);
    if (!p->pool) {
        pthread_mutex_destroy(&p->lock);
        pthread_cond_destroy(&p->idle);
        free(p);
        return NULL;
    }
    return p;
}

static void pack_roles(msgpack_packer *pk, uint32_t roles)
{
    static const struct { uint32_t bit; const char *name; } names[] = {
        {PS_ROLE_ANALYST, "analyst"}, {PS_ROLE_DEBATE, "debate"}, {PS_ROLE_CONSENSUS, "consensus"}};
    uint32_t count = 0;
    for (size_t i = 0; i < 3; i++)
        count += (roles & names[i].bit) != 0;
    pack_key(pk, "roles");
    msgpack_pack_array(pk, count);
    for (size_t i = 0; i < 3; i++)
        if (roles & names[i].bit)
            envelope_pack_cstr(pk, names[i].name);
}

static void publish_pipeline_started(analysis *an)
{
    const agent_set *agents = an->owner->agents;
    envelope_writer w;
    msgpack_packer *pk = &w.packer;
    publish_begin(&w, an, "pipeline_started", NULL, 5);
    pack_kv_str(pk, "analysis_id", an->id);
    pack_kv_str(pk, "bill_id", an->bill_id);
    pack_kv_str(pk, "title", an->title);
    pack_kv_int(pk, "bill_bytes", (int64_t)an->length);
    pack_key(pk, "agents");
    msgpack_pack_array(pk, (uint32_t)agents->count);
    for (size_t i = 0; i < agents->count; i++) {
        const loaded_agent *a = agents->agents[i];
        msgpack_pack_map(pk, 5);
        pack_kv_str(pk, "agent_id", a->id);
        pack_kv_str(pk, "agent_type", a->def.agent_type ? a->def.agent_type : a->def.name);
        pack_kv_str(pk, "agent_label", a->def.label);
        pack_kv_str(pk, "agent_icon", a->def.icon);
        pack_roles(pk, a->def.roles);
    }
    publish_end(&w, an);
}

/* Moves to the next stage unless the analysis was cancelled or ran out of time. */
static int enter_stage(analysis *an, const char **current, const char *next)
{
    if (atomic_load(&an->cancelled) || monotonic_ns() >= an->deadline_ns) {
        publish_error(an, NULL, *current, "analysis %s during stage '%s'",
                      atomic_load(&an->cancelled) ? "cancelled" : "timed out", *current);
        publish_stage(an, "error", *current);
        *current = "error";
        return 0;
    }
    publish_stage(an, next, *current);
    *current = next;
    return 1;
}

static int ingest_stage(analysis *an)
{
    an->ingest = ingest_bill(an->text, an->length, an->id, an->bill_id, an->title);
    if (!an->ingest) {
        publish_error(an, NULL, "ingesting", "could not ingest the bill: out of memory");
        return 0;
    }
    const pipeline_config *pc = &an->owner->cfg->pipeline;
    ingest_set_window(an->ingest, pc->budget_window_start, pc->budget_window_end);
    if (!an->title || !*an->title) {
        free(an->title);
        const char *title = ingest_view(an->ingest)->title;
        an->title = title ? strdup(title) : NULL;
    }
    return 1;
}

static void analysis_free(analysis *an)
{
    for (size_t i = 0; i < an->run_count; i++)
        run_free(an->runs[i]);
    free(an->runs);
    findings_free(an);
    debates_free(an);
    free(an->consensus_data);
    ingest_free(an->ingest);
    pthread_mutex_destroy(&an->lock);
    pthread_cond_destroy(&an->changed);
    free(an->bill_id);
    free(an->title);
    free(an->text);
    free(an);
}

/* Takes the analysis off the running list (cancel_all no longer sees it). */
static void pipeline_unlist(pipeline *p, analysis *an)
{
    pthread_mutex_lock(&p->lock);
    for (analysis **at = &p->running; *at; at = &(*at)->next) {
        if (*at == an) {
            *at = an->next;
            break;
        }
    }
    pthread_mutex_unlock(&p->lock);
}

/* The last thing an orchestrator does: pipeline_free may proceed after it. */
static void pipeline_release(pipeline *p)
{
    pthread_mutex_lock(&p->lock);
    p->running_count--;
    pthread_cond_broadcast(&p->idle);
    pthread_mutex_unlock(&p->lock);
}

static const struct swarm_stage {
    const char *name;
    void (*run)(analysis *an);
} SWARM_STAGES[] = {{"analyzing", stage_analyze}, {"debating", stage_debate}, {"voting", stage_vote}};

static void *orchestrate(void *arg)
{
    analysis *an = arg;
    const char *stage = "queued";
    publish_pipeline_started(an);
    int ok = enter_stage(an, &stage, "ingesting") && ingest_stage(an);
    for (size_t i = 0; ok && i < sizeof SWARM_STAGES / sizeof SWARM_STAGES[0]; i++) {
        ok = enter_stage(an, &stage, SWARM_STAGES[i].name);
        if (ok)
            SWARM_STAGES[i].run(an);
    }
    ok = ok && enter_stage(an, &stage, "synthesizing");
    if (ok)
        publish_stage(an, "complete", stage);
    else if (strcmp(stage, "error") != 0)
        publish_stage(an, "error", stage); /* ingest failed */
    stage_synthesize(an, ok ? "complete" : "error");
    runs_join(an);
    pipeline *p = an->owner;
    pipeline_unlist(p, an);
    analysis_free(an);
    pipeline_release(p);
    return NULL;
}

static analysis *analysis_new(pipeline *p, const analysis_request *req, const char *id)
{
    analysis *an = calloc(1, sizeof *an);
    if (!an)
        return NULL;
    an->owner = p;
    snprintf(an->id, sizeof an->id, "%s", id);
    an->bill_id = strdup(req->bill_id ? req->bill_id : "bill");
    an->title = req->title ? strdup(req->title) : NULL;
    an->text = malloc(req->length + 1);
    if (!an->bill_id || !an->text || (req->title && !an->title)) {
        free(an->bill_id);
        free(an->title);
        free(an->text);
        free(an);
        return NULL;
    }
    memcpy(an->text, req->text, req->length);
    an->text[req->length] = '\0';
    an->length = req->length;
    pthread_mutex_init(&an->lock, NULL);
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&an->changed, &attr);
    pthread_condattr_destroy(&attr);
    atomic_init(&an->cancelled, 0);
    an->started_ns = monotonic_ns();
    an->started_wall_ns = envelope_now_ns();
    an->deadline_ns = an->started_ns + (int64_t)(p->cfg->pipeline.global_timeout_seconds * 1e9);
    return an;
}

static int id_running(pipeline *p, const char *id)
{
    for (analysis *an = p->running; an; an = an->next)
        if (strcmp(an->id, id) == 0)
            return 1;
    return 0;
}

/* Under p->lock: why an analysis with this id cannot start now, or NULL. */
static const char *submit_refusal(pipeline *p, const char *id)
{
    if (p->stopping)
        return "the host is shutting down";
    if (id_running(p, id))
        return "analysis id already running";
    if (p->running_count >= (size_t)p->cfg->pipeline.max_running_analyses)
        return "too many analyses running (pipeline.max_running_analyses)";
    return NULL;
}

int pipeline_submit(pipeline *p, const analysis_request *req, char *id_out, char *err, size_t err_size)
{
    char id[72];
    if (req->length > (size_t)p->cfg->pipeline.max_bill_bytes) {
        snprintf(err, err_size, "bill is %zu bytes, over pipeline.max_bill_bytes (%d)", req->length,
                 p->cfg->pipeline.max_bill_bytes);
        return -1;
    }
    if (req->analysis_id && !pipeline_valid_id(req->analysis_id)) {
        snprintf(err, err_size, "invalid analysis id: expected [A-Za-z0-9_-]{1,64}");
        return -1;
    }
    pthread_mutex_lock(&p->lock);
    if (req->analysis_id)
        snprintf(id, sizeof id, "%s", req->analysis_id);
    else
        snprintf(id, sizeof id, "an-%llx-%u", (unsigned long long)(envelope_now_ns() / 1000000),
                 ++p->id_counter);
    const char *refusal = submit_refusal(p, id);
    analysis *an = refusal ? NULL : analysis_new(p, req, id);
    if (!an) {
        pthread_mutex_unlock(&p->lock);
        snprintf(err, err_size, "%s", refusal ? refusal : "out of memory");
        return -1;
    }
    an->next = p->running;
    p->running = an;
    p->running_count++;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    int rc = pthread_create(&an->thread, &attr, orchestrate, an);
    pthread_attr_destroy(&attr);
    if (rc != 0) {
        p->running = an->next;
        p->running_count--;
        pthread_mutex_unlock(&p->lock);
        analysis_free(an);
        snprintf(err, err_size, "could not start a thread for the analysis");
        return -1;
    }
    pthread_mutex_unlock(&p->lock);
    snprintf(id_out, PS_ANALYSIS_ID_SIZE, "%s", id);
    return 0;
}

size_t pipeline_running(pipeline *p)
{
    pthread_mutex_lock(&p->lock);
    size_t n = p->running_count;
    pthread_mutex_unlock(&p->lock);
    return n;
}

void pipeline_cancel_all(pipeline *p)
{
    pthread_mutex_lock(&p->lock);
    p->stopping = 1;
    for (analysis *an = p->running; an; an = an->next) {
        atomic_store(&an->cancelled, 1);
        pthread_mutex_lock(&an->lock);
        pthread_cond_broadcast(&an->changed);
        pthread_mutex_unlock(&an->lock);
    }
    pthread_mutex_unlock(&p->lock);
}

void pipeline_free(pipeline *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->lock);
    p->stopping = 1;
    while (p->running_count > 0)
        pthread_cond_wait(&p->idle, &p->lock);
    pthread_mutex_unlock(&p->lock);
    workers_stop(p->pool);
    pthread_mutex_destroy(&p->lock);
    pthread_cond_destroy(&p->idle);
    free(p);
}
