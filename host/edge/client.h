/*
 * client — one WebSocket connection to /api/v1/ws/analysis/{id}: a cursor
 * (the next sequence to send) into its channel's replay ring, a queue of
 * replies outside the stream, and the inbound message being assembled.
 *
 * On connect it is checked (path, id, last_sequence, limits), then sent a
 * resume notice when needed, the current progress, the replay and the live
 * events: replay and live are the same cursor walking the same ring, so
 * there is no seam to lose or repeat an event at. Each WRITEABLE writes one
 * frame: a queued reply first, else the event at the cursor.
 *
 * Closes it makes (schemas/protocol.md): 1000 connection timeout, 1001
 * shutdown, 1003 binary frame, 1008 bad path/id/query, 1009 message too
 * big, 1011 out of memory, 1013 a connection limit (JSON reason), 4008 slow
 * consumer (fell out of the replay buffer, or its socket did not drain for
 * slow_client_timeout_seconds). Lives in the lws per-session memory.
 */
#ifndef PS_EDGE_CLIENT_H
#define PS_EDGE_CLIENT_H

#include <stddef.h>
#include <stdint.h>
#include <libwebsockets.h>

#include "edge/frame.h"

struct server;
struct channel;

/* The close codes the server sends (4008: private use, RFC 6455 7.4.2). */
enum edge_close_code {
    CLOSE_NORMAL = 1000,           /* connection_timeout_seconds reached */
    CLOSE_GOING_AWAY = 1001,       /* server shutting down */
    CLOSE_UNSUPPORTED_DATA = 1003, /* binary frame */
    CLOSE_POLICY_VIOLATION = 1008, /* bad path, analysis id or last_sequence */
    CLOSE_MESSAGE_TOO_BIG = 1009,  /* over server.max_message_bytes */
    CLOSE_INTERNAL_ERROR = 1011,   /* out of memory */
    CLOSE_TRY_AGAIN_LATER = 1013,  /* a connection limit; the reason is JSON */
    CLOSE_SLOW_CONSUMER = 4008     /* cannot keep up; resume with last_sequence */
};

typedef struct ws_client {
    struct lws *wsi;
    struct server *server;
    struct channel *channel;        /* NULL until admitted, and for rejected clients */
    struct ws_client *prev, *next;  /* in channel->clients */
    uint64_t cursor;                /* next sequence to send */
    uint64_t first_sequence;        /* where it started (for the log line) */
    const char *resume_reason;      /* why it could not start where it asked, or NULL */
    uint64_t events_sent;
    int64_t connected_ns;           /* CLOCK_MONOTONIC */
    int64_t drained_ns;             /* last time it had nothing waiting, or lws let us write */
    frame_queue replies;            /* outside the stream; sent before stream events */
    unsigned char *message;         /* inbound text message being assembled */
    size_t message_length;
    int discarding;                 /* a refused message: reading to its frame's end, then closing */
    size_t discarded;
    int writable_requested;
    int admitted;                   /* counted in server.client_count */
    int close_code;                 /* close to send (0 = none) */
    int close_after_drain;          /* ... once everything queued is sent */
    char *close_reason;
    int peer_close_code;            /* what the client's close frame said */
    char peer[48];
} ws_client;

/* LWS_CALLBACK_ESTABLISHED. Always 0: a refused client is closed with a code. */
int client_open(ws_client *c, struct server *s, struct lws *wsi);
/* LWS_CALLBACK_RECEIVE; -1 = close now (the close reason is set). */
int client_receive(ws_client *c, const void *in, size_t length);
/* LWS_CALLBACK_SERVER_WRITEABLE; -1 = close now. */
int client_writeable(ws_client *c);
/* LWS_CALLBACK_WS_PEER_INITIATED_CLOSE */
void client_peer_closing(ws_client *c, const void *in, size_t length);
/* LWS_CALLBACK_CLOSED: detaches, logs one line, frees what it holds. */
void client_closed(ws_client *c);

/* Asks lws for a WRITEABLE callback unless one is already on its way. */
void client_wake(ws_client *c);
/* Closes with code and reason at its next WRITEABLE (after_drain: once all
 * queued replies and stream events are sent). The first close asked wins,
 * except that an immediate close overrides one after draining. */
void client_close_soon(ws_client *c, int code, const char *reason, int after_drain);
/* Housekeeping: connection timeout, slow consumer. */
void client_check(ws_client *c, int64_t now_ns);

#endif
