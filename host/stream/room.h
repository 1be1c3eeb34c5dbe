/*
 * room — the stream of one analysis: numbering, thought batching, pacing,
 * the replay ring and progress.
 *
 * A room takes bus envelopes of one analysis and turns them into stored
 * events: each stored event takes the next sequence (1, 2, 3, ... no holes)
 * and is converted to JSON once. Thoughts ("agent_thought" envelopes) within
 * the batch window become one `agent_thinking` event; a pending batch is
 * flushed before any other event. Pacing (token bucket) delays lifecycle
 * events, merges thoughts into the next batch and coalesces progress. The
 * ring keeps the last buffer_size events younger than buffer_ttl. Owns the
 * stored events. Single-threaded: used only by the consumer thread.
 */
#ifndef PS_STREAM_ROOM_H
#define PS_STREAM_ROOM_H

#include <stddef.h>
#include <stdint.h>
#include "bus/envelope.h"

typedef struct room_settings {
    unsigned buffer_size;          /* events kept for replay (at least 1 is kept) */
    double buffer_ttl_seconds;     /* and for how long (<= 0: no age limit) */
    unsigned batch_window_ms;      /* thought batching window */
    double max_events_per_second;  /* 0 = unpaced */
} room_settings;

typedef struct stored_event {
    uint64_t sequence;
    int64_t stored_ns;             /* CLOCK_MONOTONIC */
    char event_type[40];
    size_t length;
    char *json;                    /* the wire bytes, shared by every client */
} stored_event;

typedef struct room room;
typedef void (*room_stored_fn)(void *ctx, room *r, const stored_event *ev);

/* NULL if analysis_id is longer than 71 bytes, or out of memory. */
room *room_new(const char *analysis_id, const room_settings *settings,
               room_stored_fn on_stored, void *ctx);
void room_free(room *r);
const char *room_id(const room *r);

/* Takes one envelope of this room's analysis (others are ignored); the room
 * copies what it keeps. now = CLOCK_MONOTONIC ns. */
void room_push(room *r, const envelope *ev, int64_t now_ns);
/* Does due work (batch window, pacing, TTL). Returns ns until the next due
 * work (a batch window ends, a pacing token arrives, a buffered event
 * expires), or -1 if nothing is pending. */
int64_t room_tick(room *r, int64_t now_ns);
/* Stores everything pending now, ignoring windows and pacing (shutdown, CLI end). */
void room_flush(room *r, int64_t now_ns);

uint64_t room_head(const room *r);      /* last stored sequence, 0 if none */
uint64_t room_oldest(const room *r);    /* oldest buffered, 0 if none */
size_t room_buffered(const room *r);
const stored_event *room_get(const room *r, uint64_t sequence); /* NULL if not buffered */
int room_complete(const room *r);       /* analysis_complete (or a final error) stored */

/* A progress_update outside the stream ("sequence": null); malloc'd JSON. */
char *room_progress_json(room *r, int64_t now_ns);

#endif
