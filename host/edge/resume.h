/*
 * resume — where a connecting client starts in an analysis's stream, and the
 * resume notice it is told first (schemas/protocol.md, "Resume notice").
 *
 * A client asking for last_sequence=N wants N+1 onwards. If N+1 is still
 * buffered (or is the next event), it gets exactly N+1..head and then live
 * events ("recovered": true, said only when N > 0). Otherwise it is told
 * before anything else, and streams from the oldest buffered event (or from
 * the next event when nothing is buffered):
 *   - unknown_position: N is ahead of head (e.g. the host restarted);
 *   - too_old: N+1 was pushed out of a full replay buffer by newer events;
 *   - expired: N+1 aged out (message_buffer_ttl_seconds), the buffer is not
 *     full.
 * Pure functions; owns nothing.
 */
#ifndef PS_EDGE_RESUME_H
#define PS_EDGE_RESUME_H

#include <stddef.h>
#include <stdint.h>

typedef struct stream_position {
    uint64_t head;       /* last stored sequence, 0 if none */
    uint64_t oldest;     /* oldest buffered, 0 if none buffered */
    size_t buffered;     /* events in the replay buffer */
    size_t capacity;     /* message_buffer_size */
} stream_position;

typedef struct resume_plan {
    uint64_t last_sequence;  /* what the client asked for */
    uint64_t start;          /* first sequence it will receive */
    int notify;              /* send a resume notice first */
    int recovered;           /* 1: nothing is missing */
    const char *reason;      /* NULL when recovered: "too_old" | "expired" | "unknown_position" */
    uint64_t missed;         /* events the client will not get (too_old / expired) */
    stream_position at;      /* the stream when the plan was made */
} resume_plan;

resume_plan resume_plan_for(uint64_t last_sequence, const stream_position *at);

/* {"type":"resume","recovered",...} as malloc'd JSON; NULL on out of memory. */
char *resume_notice_json(const resume_plan *plan);

#endif
