/*
 * pipeline — runs analyses: ingest, analysts in parallel on a bounded worker
 * pool, debate, consensus; publishes every step on the bus.
 *
 * Owns the worker pool, one orchestrator thread per running analysis, and
 * the ps_run handles. Stages: ingesting -> analyzing -> debating -> voting ->
 * synthesizing -> complete (or error). A failing, timed-out or misbehaving
 * agent ends with agent_completed{status: failed|timed_out} plus an error
 * event, and the swarm carries on without it.
 */
#ifndef PS_PIPELINE_PIPELINE_H
#define PS_PIPELINE_PIPELINE_H

#include <stddef.h>
#include "config/config.h"
#include "plugin/loader.h"
#include "bus/bus.h"

typedef struct pipeline pipeline;

typedef struct analysis_request {
    const char *analysis_id; /* NULL: the pipeline makes one */
    const char *bill_id;     /* NULL: "bill" */
    const char *title;       /* NULL: from the bill text */
    const char *text;
    size_t length;
} analysis_request;

/* The host API table handed to plugins (process-wide, immutable). */
const ps_host_api *pipeline_host_api(void);

pipeline *pipeline_new(const ps_config *cfg, const agent_set *agents, bus *b);
#define PS_ANALYSIS_ID_SIZE 72

/* Starts an analysis in the background. Writes the id used to id_out
 * (PS_ANALYSIS_ID_SIZE bytes). Returns 0, or -1 with a reason in err (bad id, id in use,
 * too large, shutting down). */
int pipeline_submit(pipeline *p, const analysis_request *req, char *id_out, char *err, size_t err_size);
/* Number of analyses still running. */
size_t pipeline_running(pipeline *p);
/* Cancels every running analysis (cooperatively). */
void pipeline_cancel_all(pipeline *p);
/* Waits for every analysis to finish, then frees. */
void pipeline_free(pipeline *p);

/* [A-Za-z0-9_-]{1,64} */
int pipeline_valid_id(const char *id);

#endif
