/*
 * stages — what happens in each stage of an analysis: the analysts in
 * parallel, then the moderator, then the consensus builder, then the final
 * summary (analysis_complete with the fiscal_summary from ingest).
 */
#include <stdlib.h>
#include <string.h>
#include "pipeline/internal.h"

static void call_analyze(void *arg)
{
    ps_run *run = arg;
    run->result = run->agent->def.analyze(run->agent->state, run, run->input);
}

static void call_moderate(void *arg)
{
    ps_run *run = arg;
    run->result = run->agent->def.moderate(run->agent->state, run, run->input);
}

static void call_build_consensus(void *arg)
{
    ps_run *run = arg;
    run->result = run->agent->def.build_consensus(run->agent->state, run, run->input);
}

/* Starts one run per agent having `role`, waits for all, closes each. */
static size_t run_role(analysis *an, uint32_t role, const void *input, job_fn call)
{
    const agent_set *agents = an->owner->agents;
    ps_run **runs = calloc(agents->count ? agents->count : 1, sizeof *runs);
    size_t count = 0;
    if (!runs)
        return 0;
    for (size_t i = 0; i < agents->count; i++) {
        if (!(agents->agents[i]->def.roles & role) || atomic_load(&an->cancelled))
            continue;
        ps_run *run = run_new(an, agents->agents[i], input, call);
        if (!run)
            continue;
        run_start(run);
        runs[count++] = run;
    }
    runs_wait(an, runs, count);
    for (size_t i = 0; i < count; i++)
        run_finish(runs[i]);
    free(runs);
    return count;
}

void stage_analyze(analysis *an)
{
    run_role(an, PS_ROLE_ANALYST, ingest_view(an->ingest), call_analyze);
}

/* Under an->lock: fills the view's arrays from the analysis so far. */
static void collect_swarm(analysis *an, ps_swarm_view *v, const ps_finding_record **findings,
                          const char **analysts, const ps_debate_outcome **debates)
{
    for (size_t i = 0; i < an->run_count; i++) {
        ps_run *r = an->runs[i];
        if ((r->agent->def.roles & PS_ROLE_ANALYST) && r->status == RUN_COMPLETED)
            analysts[v->analyst_count++] = r->agent->id;
    }
    /* Grouped by analyst in config order, so the view does not depend on
     * how the parallel analysts' emits interleaved. */
    for (size_t a = 0; a < v->analyst_count; a++)
        for (size_t i = 0; i < an->finding_count; i++)
            if (strcmp(analysts[a], an->findings[i]->record.agent_id) == 0)
                findings[v->finding_count++] = &an->findings[i]->record;
    for (size_t i = 0; i < an->debate_count; i++)
        debates[v->debate_count++] = &an->debates[i]->outcome;
}

ps_swarm_view *swarm_view_new(analysis *an)
{
    ps_swarm_view *v = calloc(1, sizeof *v);
    if (!v)
        return NULL;
    pthread_mutex_lock(&an->lock);
    const ps_finding_record **findings = calloc(an->finding_count + 1, sizeof *findings);
    const char **analysts = calloc(an->run_count + 1, sizeof *analysts);
    const ps_debate_outcome **debates = calloc(an->debate_count + 1, sizeof *debates);
    if (findings && analysts && debates)
        collect_swarm(an, v, findings, analysts, debates);
    pthread_mutex_unlock(&an->lock);
    v->findings = findings;
    v->analysts = analysts;
    v->debates = debates;
    if (!findings || !analysts || !debates) {
        swarm_view_free(v);
        return NULL;
    }
    const pipeline_config *pc = &an->owner->cfg->pipeline;
    v->struct_size = sizeof *v;
    v->bill = ingest_view(an->ingest);
    v->max_debate_rounds = pc->max_debate_rounds;
    v->convergence_threshold = pc->convergence_threshold;
    v->consensus_threshold = pc->consensus_threshold;
    return v;
}

void swarm_view_free(ps_swarm_view *v)
{
    if (!v)
        return;
    free((void *)v->findings);
    free((void *)v->analysts);
    free((void *)v->debates);
    free(v);
}

static void run_swarm_role(analysis *an, uint32_t role, job_fn call)
{
    ps_swarm_view *view = swarm_view_new(an);
    if (!view) {
        publish_error(an, NULL, NULL, "out of memory preparing the swarm view");
        return;
    }
    run_role(an, role, view, call);
    swarm_view_free(view);
}

void stage_debate(analysis *an)
{
    run_swarm_role(an, PS_ROLE_DEBATE, call_moderate);
}

void stage_vote(analysis *an)
{
    run_swarm_role(an, PS_ROLE_CONSENSUS, call_build_consensus);
}
