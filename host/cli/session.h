/*
 * session — runs analyses to completion in the foreground, for the CLI.
 *
 * Owns a bus, a result store and a pipeline. Each run drains the bus on the
 * calling thread until the analysis ends; with a printer, every stored event
 * also goes through a room (numbered, batched, JSON-encoded, unpaced) to it.
 */
#ifndef PS_CLI_SESSION_H
#define PS_CLI_SESSION_H

#include "bus/bus.h"
#include "pipeline/pipeline.h"
#include "pipeline/results.h"
#include "stream/room.h"

typedef struct session {
    const ps_config *cfg;
    bus *bus;
    result_store *results;
    pipeline *pipeline;
    room *room;          /* the current run's room, if it prints */
} session;

int session_open(session *s, const ps_config *cfg, const agent_set *agents);
void session_close(session *s);

/* Runs one analysis until it ends. print may be NULL. Writes the analysis id
 * to id_out (PS_ANALYSIS_ID_SIZE). Returns 0 when it completed, 1 when it
 * ended in error, -1 when it could not start (reason in err). */
int session_run(session *s, const analysis_request *req, room_stored_fn print, void *ctx, char *id_out,
                char *err, size_t err_size);

#endif
