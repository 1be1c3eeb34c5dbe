/*
 * edge internals — shared by the files of host/edge only: the server
 * struct, its statistics, the per-connection session, the clock and the
 * log line. Everything here is touched by the lws service thread only,
 * except server.stop_requested (set from a signal handler).
 */
#ifndef PS_EDGE_EDGE_H
#define PS_EDGE_EDGE_H

#include <signal.h>
#include <stdint.h>
#include <time.h>
#include <libwebsockets.h>

#include "edge/server.h"
#include "edge/channel.h"
#include "edge/client.h"
#include "edge/http_api.h"
#include "stream/room.h"

#define NS_PER_SECOND 1000000000LL
#define NS_PER_MS 1000000LL
/* Size of the buffer whole frames are batched in for a client that is behind. */
#define EDGE_BATCH_BYTES (32 * 1024)

typedef struct edge_stats {
    uint64_t total_connections;      /* WebSocket clients admitted, ever */
    uint64_t total_reconnections;    /* ... of which connected with last_sequence > 0 */
    uint64_t rejected_connections;   /* accepted, then closed 1013 (a limit) */
    uint64_t invalid_connections;    /* accepted, then closed 1008 (path, id, query) */
    uint64_t slow_client_disconnects;/* closed 4008 */
    uint64_t timed_out_connections;  /* closed 1000 after connection_timeout_seconds */
    uint64_t total_events_sent;      /* stream events written to clients */
    uint64_t total_control_sent;     /* resume, progress, pong and error replies */
    uint64_t total_messages_received;/* client text messages */
    uint64_t events_stored;          /* stream events numbered by the rooms */
    uint64_t bus_messages;           /* envelopes drained from the bus */
    uint64_t bus_rejected;           /* envelopes that could not be decoded */
    uint64_t http_requests;
} edge_stats;

struct server {
    const ps_config *cfg;
    pipeline *pipeline;
    bus *bus;
    result_store *results;

    struct lws_context *context;
    struct lws_vhost *vhost;
    struct lws_protocols protocols[2];
    lws_retry_bo_t keepalive;
    room_settings room_settings;
    int port;
    unsigned char *write_batch;      /* LWS_PRE + EDGE_BATCH_BYTES, reused by every client write */

    channel_table channels;
    size_t client_count;             /* admitted WebSocket clients now */
    size_t closing_count;            /* rejected clients waiting for their close */
    edge_stats stats;
    int64_t started_ns;              /* CLOCK_MONOTONIC */

    volatile sig_atomic_t stop_requested;
    int shutting_down;               /* stop seen: no new connections */
    int rooms_flushed;               /* analyses done or given up on: rooms flushed, clients closing */
    int finished;                    /* the service loop may return */
    int64_t cancel_deadline_ns;      /* stop waiting for analyses to end */
    int64_t close_deadline_ns;       /* stop waiting for clients to drain */

    lws_sorted_usec_list_t housekeeping_timer;
    lws_sorted_usec_list_t shutdown_timer;
};

/* The per-connection user data lws allocates (zeroed) for every wsi: an
 * HTTP exchange until a WebSocket upgrade, then a client (lws drops and
 * re-allocates it on the upgrade). */
typedef union edge_session {
    http_exchange http;
    ws_client client;
} edge_session;

static inline int64_t edge_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * NS_PER_SECOND + ts.tv_nsec;
}

/* One line on stderr, prefixed "polisim-host: ". */
void edge_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Analyses still running, according to the pipeline (0 without one). */
size_t edge_running_analyses(const server *s);

#endif
