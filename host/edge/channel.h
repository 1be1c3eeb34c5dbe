/*
 * channel — one analysis at the edge: its room (numbering, batching,
 * pacing, replay ring, progress), the wire frame of every buffered event
 * (built once, written to every client), its clients, the lws timer
 * that runs the room's due work and the one that paces client wake-ups
 * while events stream (server.write_coalesce_ms). A table finds channels
 * by analysis id.
 *
 * Lifetime: a channel is opened by the first bus envelope of its analysis,
 * by a POST, or by a client connecting first. When it has no clients, its
 * analysis is not queued or running and its replay buffer has emptied
 * (message_buffer_ttl_seconds), the room is retired: only the id, the
 * last sequence and the final progress stay, so a late resume is told
 * "expired", not "unknown".
 * A channel that never stored an event is removed instead.
 * Owns its room, frames and timers; the clients belong to their connections.
 */
#ifndef PS_EDGE_CHANNEL_H
#define PS_EDGE_CHANNEL_H

#include <stddef.h>
#include <stdint.h>
#include <libwebsockets.h>

#include "bus/envelope.h"
#include "edge/frame.h"
#include "edge/resume.h"
#include "edge/routes.h"
#include "stream/room.h"

struct server;
struct ws_client;

typedef struct channel {
    struct channel *next;          /* in its table bucket */
    struct server *server;
    char id[ROUTE_ID_SIZE];
    room *room;                    /* NULL once retired */
    uint64_t retired_head;         /* last sequence of the retired room */
    char *retired_progress;        /* its last progress_update (sequence null) */
    frame **frames;                /* wire frames, slot = sequence % capacity */
    size_t capacity;
    struct ws_client *clients;     /* doubly linked through ws_client.prev/next */
    size_t client_count;
    lws_sorted_usec_list_t timer;  /* room work due (batch window, pacing, TTL) */
    int64_t timer_at_ns;           /* when the timer fires, 0 when it is not set */
    lws_sorted_usec_list_t flush_timer; /* wakes the clients at the end of a write_coalesce_ms interval */
    int flush_armed;               /* events stored during the interval wait for flush_timer */
    int64_t flushed_at_ns;         /* when the clients were last woken for new events, 0 never */
    struct channel *next_dirty;    /* pushed to since the last tick */
    int dirty;
} channel;

typedef struct channel_table {
    channel **buckets;
    size_t bucket_count;
    size_t count;
    size_t rooms;                  /* channels with a live (not retired) room */
    channel *dirty;                /* channels to tick after a bus drain */
} channel_table;

int channels_init(channel_table *t);
void channels_free(channel_table *t);

channel *channel_find(const channel_table *t, const char *id);
/* Finds or creates the channel (and its room). NULL on out of memory. */
channel *channel_open(struct server *s, const char *id);

/* Hands one envelope to the channel's room (a retired channel starts a new
 * stream) and marks the channel for channels_tick_dirty. */
void channel_push(channel *ch, const envelope *ev, int64_t now_ns);
/* Runs the due work of every channel pushed to, and schedules its timer. */
void channels_tick_dirty(channel_table *t, int64_t now_ns);

uint64_t channel_head(const channel *ch);
stream_position channel_position(const channel *ch);
/* The current progress_update ("sequence": null) as malloc'd JSON; NULL on
 * out of memory. */
char *channel_progress_json(const channel *ch);
/* The wire frame of a buffered event; NULL if it is no longer buffered. */
frame *channel_frame(const channel *ch, uint64_t sequence);

void channel_attach(channel *ch, struct ws_client *c);
void channel_detach(channel *ch, struct ws_client *c);

/* Stores everything pending in every room now (shutdown). */
void channels_flush(channel_table *t, int64_t now_ns);
/* Retires or removes channels nobody needs any more (see above). */
void channels_collect(channel_table *t, int64_t now_ns);
/* Cancels every channel's timer (before the lws context goes). */
void channels_stop_timers(channel_table *t);
/* Calls fn for every client of every channel; fn may close (not free) it. */
void channels_for_each_client(channel_table *t, void (*fn)(struct ws_client *c, void *arg), void *arg);

#endif
