/*
 * progress — what a room knows about how far its analysis has come
 * (private to the stream module).
 *
 * Fed every envelope of the analysis; counts analysts, completed analysts
 * and debates, follows the stage, and builds the `progress_update` data map:
 * overall progress from per-stage weights and the measured progress inside
 * the current stage, and an ETA from elapsed time and that measured
 * progress. Owns its counters and the analyst ids / debate topics it keeps.
 */
#ifndef PS_STREAM_PROGRESS_H
#define PS_STREAM_PROGRESS_H

#include <stddef.h>
#include <stdint.h>
#include <cjson/cJSON.h>

#include "bus/envelope.h"

typedef struct analyst_state {
    char agent_id[72];
    int completed;
} analyst_state;

typedef struct progress_tracker {
    char stage[32];              /* as last announced by stage_changed */
    int stage_index;             /* last known pipeline stage (index into the weight table) */
    char bill_id[72];            /* "" until pipeline_started */
    int started;                 /* an envelope was seen: the clocks below are set */
    int64_t start_wall_ns;       /* timestamp of the first envelope (CLOCK_REALTIME) */
    int64_t start_mono_ns;       /* when it was pushed (CLOCK_MONOTONIC) */
    analyst_state *analysts;
    size_t analyst_count;
    size_t analysts_completed;
    char **debate_topics;        /* distinct topics of debate_started */
    size_t debates_started;
    size_t debates_completed;    /* debate_convergence with a stop_reason */
    int consensus_reached;
} progress_tracker;

void progress_init(progress_tracker *t);
void progress_free(progress_tracker *t);

/* Updates the tracker from one envelope pushed at now_ns (CLOCK_MONOTONIC).
 * Returns 1 if a progress_update should follow this event (stage_changed,
 * agent_completed), else 0. */
int progress_observe(progress_tracker *t, const envelope *ev, int64_t now_ns);

/* The progress_update data map as of now_ns; NULL on out of memory. */
cJSON *progress_data(const progress_tracker *t, const char *analysis_id, int64_t now_ns);

#endif
