/*
 * frame — one outgoing WebSocket payload with LWS_PRE bytes of headroom in
 * front, so lws_write() can put the frame header there without a copy, and
 * a FIFO of frames (a client's queued control replies).
 *
 * A stored event becomes one frame once (the channel keeps it) and the same
 * frame is written to every client: lws only ever writes into the headroom
 * of a server frame, and the service thread writes one frame at a time.
 * Owns the bytes of each frame; a queue owns the frames in it.
 */
#ifndef PS_EDGE_FRAME_H
#define PS_EDGE_FRAME_H

#include <stddef.h>
#include <stdint.h>
#include <libwebsockets.h>

typedef struct frame {
    struct frame *next;        /* queue link */
    uint64_t sequence;         /* stream sequence; 0 = outside the stream */
    size_t length;             /* payload bytes after the headroom */
    unsigned char bytes[];     /* LWS_PRE headroom, then the payload */
} frame;

/* Copies length bytes of payload. NULL on out of memory. */
frame *frame_new(const void *payload, size_t length, uint64_t sequence);
/* Takes a malloc'd NUL-terminated string (may be NULL) and frees it. */
frame *frame_from_string(char *json);

static inline unsigned char *frame_payload(frame *f)
{
    return f->bytes + LWS_PRE;
}

typedef struct frame_queue {
    frame *head, *tail;
    size_t count;
} frame_queue;

void frame_queue_push(frame_queue *q, frame *f);
frame *frame_queue_pop(frame_queue *q);   /* NULL when empty */
void frame_queue_clear(frame_queue *q);

#endif
