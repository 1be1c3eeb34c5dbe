/*
 * frame — headroom-prefixed WebSocket payloads and their FIFO (see frame.h).
 */
#include "edge/frame.h"

#include <stdlib.h>
#include <string.h>

frame *frame_new(const void *payload, size_t length, uint64_t sequence)
{
    frame *f = malloc(sizeof *f + LWS_PRE + length);
    if (!f)
        return NULL;
    f->next = NULL;
    f->sequence = sequence;
    f->length = length;
    memcpy(frame_payload(f), payload, length);
    return f;
}

frame *frame_from_string(char *json)
{
    if (!json)
        return NULL;
    frame *f = frame_new(json, strlen(json), 0);
    free(json);
    return f;
}

void frame_queue_push(frame_queue *q, frame *f)
{
    f->next = NULL;
    if (q->tail)
        q->tail->next = f;
    else
        q->head = f;
    q->tail = f;
    q->count++;
}

frame *frame_queue_pop(frame_queue *q)
{
    frame *f = q->head;
    if (!f)
        return NULL;
    q->head = f->next;
    if (!q->head)
        q->tail = NULL;
    q->count--;
    f->next = NULL;
    return f;
}

void frame_queue_clear(frame_queue *q)
{
    frame *f;
    while ((f = frame_queue_pop(q)))
        free(f);
}
