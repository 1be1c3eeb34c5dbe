/*
 * pipeline internals — shared by the pipeline's files only: the analysis
 * record, the run handle behind ps_run, the worker pool, the publishing
 * helpers. Nothing outside host/pipeline includes this.
 */
#ifndef PS_PIPELINE_INTERNAL_H
#define PS_PIPELINE_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <msgpack.h>
#include "pipeline/pipeline.h"
#include "ingest/ingest.h"
#include "bus/envelope.h"

typedef void (*job_fn)(void *arg);

typedef enum run_status {
    RUN_PENDING = 0,
    RUN_RUNNING,
    RUN_COMPLETED,
    RUN_FAILED,
    RUN_TIMED_OUT,
    RUN_CANCELLED             /* the analysis was cancelled (shutdown) */
} run_status;

typedef struct stored_finding {
    ps_finding_record record;
    ps_finding finding;
    ps_fiscal_impact impact;
    char *strings[6];         /* owned copies behind the pointers above */
    char id[80];
} stored_finding;

typedef struct analysis analysis;

/* One agent's part in one analysis. Shared by the orchestrator and the worker
 * running the plugin: freed when both have let go (refs). */
struct ps_run {
    analysis *an;
    loaded_agent *agent;
    pthread_mutex_t lock;     /* closed + publishing, so nothing follows agent_completed */
    int closed;               /* agent_completed published: emits are refused */
    atomic_int cancelled;
    int misbehaved;           /* emitted invalid data: ends as failed */
    run_status status;
    int result;               /* the callback's return code */
    int worker_done;          /* callback returned (under an->lock) */
    int64_t started_ns, deadline_ns; /* CLOCK_MONOTONIC */
    unsigned thought_count, finding_count;
    double confidence_sum;
    const void *input;        /* the ps_bill or ps_swarm_view the callback gets */
    job_fn call;              /* invokes the plugin callback, sets result */
    char topic[256];          /* debate role: the open topic */
    char metric[128];
    char error[512];          /* the plugin's message (api->set_error), under lock */
    char host_error[128];     /* why the host stopped it (orchestrator thread only) */
};

typedef struct debate_record {
    ps_debate_outcome outcome;
    ps_position *positions;
    const ps_position **position_ptrs;
    char *topic, *metric, *stop_reason;
} debate_record;

struct analysis {
    pipeline *owner;
    char id[72];
    char *bill_id;
    char *title;
    char *text;
    size_t length;
    ingest_result *ingest;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t changed;   /* a run finished */
    atomic_int cancelled;
    int64_t started_ns, started_wall_ns, deadline_ns;
    stored_finding **findings;
    size_t finding_count, finding_capacity;
    debate_record **debates;  /* each stays put: swarm views point into them */
    size_t debate_count;
    char *consensus_data;     /* the consensus_reached data map (MessagePack), or NULL */
    size_t consensus_size;
    struct ps_run **runs;     /* every run this analysis started */
    size_t run_count;
    analysis *next;           /* pipeline's list */
};

struct pipeline {
    const ps_config *cfg;
    const agent_set *agents;
    bus *bus;
    pthread_mutex_t lock;
    pthread_cond_t idle;      /* an analysis ended */
    analysis *running;
    size_t running_count;
    int stopping;
    unsigned id_counter;
    struct worker_pool *pool;
};

/* worker pool (workers.c): runs jobs on max_parallel_agents threads. */
struct worker_pool *workers_start(unsigned threads);
int workers_submit(struct worker_pool *wp, job_fn fn, void *arg);
void workers_stop(struct worker_pool *wp); /* finishes queued jobs, joins */

/* publishing (publish.c): envelope with a data map of `pairs` entries. */
void publish_begin(envelope_writer *w, const analysis *an, const char *type, const char *agent_id,
                   uint32_t pairs);
void publish_end(envelope_writer *w, const analysis *an);
void pack_key(msgpack_packer *pk, const char *key);
void pack_kv_str(msgpack_packer *pk, const char *key, const char *value);
void pack_kv_int(msgpack_packer *pk, const char *key, int64_t value);
void pack_kv_double(msgpack_packer *pk, const char *key, double value);
void pack_kv_bool(msgpack_packer *pk, const char *key, int value);
void publish_error(const analysis *an, const char *agent_id, const char *stage, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void publish_stage(const analysis *an, const char *stage, const char *previous);

/* runs (runs.c) */
/* A run owned by the analysis (freed with it); publishes agent_started. */
ps_run *run_new(analysis *an, loaded_agent *agent, const void *input, job_fn call);
/* Queues run->call on the pool; the run is marked done when it returns. */
int run_start(ps_run *run);
/* Waits until every run of the analysis has returned (teardown). */
void runs_join(analysis *an);
void run_free(ps_run *run);
/* Waits until each run has returned or passed its deadline; late ones are
 * cancelled and marked timed out. */
void runs_wait(analysis *an, ps_run **runs, size_t count);
/* Publishes agent_completed (and an error event if it failed). */
void run_finish(ps_run *run);
const char *run_status_name(run_status s);

/* host API (host_api.c, debate_api.c) */
int run_accepting(ps_run *run); /* 0 when closed or cancelled */
/* Copies a plugin struct into a zeroed host-sized one, honouring both sizes.
 * Fails when the plugin's struct is smaller than `minimum` (its 1.0 size). */
int read_struct(void *dst, size_t dst_size, const void *src, size_t minimum);
#define READ_STRUCT(dst, src, minimum) read_struct(&(dst), sizeof(dst), (src), (minimum))
#define V1_SIZE(type, last) (offsetof(type, last) + sizeof(((type *)0)->last))
/* Locks the run for one emit; returns 0 if it may emit (then unlock run->lock). */
int emit_lock(ps_run *run);
/* Marks the run as misbehaving, says so on the stream, unlocks run->lock. */
int reject_emit(ps_run *run, int code, const char *what, const char *why);
int api_debate_open(ps_run *run, const char *topic, const char *metric, const char *const *participants,
                    size_t participant_count);
int api_debate_ask(ps_run *run, const char *agent_id, const ps_debate_prompt *prompt, ps_debate_reply *reply_out);
int api_debate_converge(ps_run *run, const ps_convergence *convergence);
int api_debate_close(ps_run *run, const ps_debate_outcome *outcome);
int api_emit_consensus(ps_run *run, const ps_consensus *consensus);
void findings_free(analysis *an);
void debates_free(analysis *an);

/* stages (stages.c) */
void stage_analyze(analysis *an);
void stage_debate(analysis *an);
void stage_vote(analysis *an);
void stage_synthesize(analysis *an, const char *status);
/* The swarm view for the debate / consensus plugins; free with swarm_view_free. */
ps_swarm_view *swarm_view_new(analysis *an);
void swarm_view_free(ps_swarm_view *v);

int64_t monotonic_ns(void);

#endif
