/*
 * server — the HTTP + WebSocket edge: one libwebsockets service thread that
 * owns every socket, serves the REST API and streams each analysis's rooms
 * to its WebSocket clients (wire protocol: DESIGN.md section 4,
 * schemas/protocol.md).
 *
 * Owns the lws context, the analysis channels (room + wire frames + clients)
 * and the statistics. Other threads only publish on the bus; the bus wakeup
 * set here calls lws_cancel_service(), the one lws call made off the service
 * thread, and the service thread drains the bus.
 */
#ifndef PS_EDGE_SERVER_H
#define PS_EDGE_SERVER_H

#include <stddef.h>
#include "bus/bus.h"
#include "config/config.h"
#include "pipeline/pipeline.h"
#include "pipeline/results.h"

typedef struct server server;

/* Listens on cfg->server.host:port (port 0: any free port, logged), subscribes
 * to the bus and sets its wakeup. p and results may be NULL (POST then
 * answers 503 and analyses are unknown to REST). NULL with a reason in err. */
server *server_new(const ps_config *cfg, pipeline *p, bus *b, result_store *results, char *err, size_t err_size);
/* Runs the lws service loop on the calling thread until stopped and every
 * client is closed; 0 = clean shutdown. */
int server_run(server *s);
/* Async-signal-safe: sets a flag and calls lws_cancel_service. The loop then
 * stops accepting, cancels the running analyses, drains the bus, flushes
 * every room, sends what is left and closes every client with 1001. */
void server_stop(server *s);
/* Closes what is left and frees. The bus subscription cannot be undone:
 * drain the bus no more after this (free it, or keep it undrained). */
void server_free(server *s);

#endif
