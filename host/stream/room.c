/*
 * room — the stream of one analysis (see room.h).
 *
 * Pushed envelopes become pending items in one FIFO: events (their data
 * already converted to cJSON), progress snapshots, and thought batches. The
 * pump stores items from the front, in order, each taking the next sequence:
 *   - a batch at the very end of the queue is still open: it waits until its
 *     window has passed; anything queued after it closes it;
 *   - with pacing, each store spends one token of a bucket that refills at
 *     max_events_per_second and holds one second's worth (at least one);
 *     while the bucket is empty, events wait in order, new thoughts merge
 *     into the open batch at the end, and a newer progress snapshot replaces
 *     the one still waiting. Nothing is ever dropped.
 * Stored events go into a ring of buffer_size slots indexed by sequence;
 * events older than buffer_ttl_seconds (<= 0: no age limit) are evicted.
 */
#include "stream/room.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bus/wire_json.h"
#include "stream/progress.h"

#define NS_PER_SECOND 1000000000LL

typedef enum { PENDING_EVENT, PENDING_BATCH, PENDING_PROGRESS, PENDING_REPLACED } pending_kind;

typedef struct pending {
    struct pending *next;
    pending_kind kind;
    char event_type[40];
    int64_t timestamp_ns;  /* wire timestamp (CLOCK_REALTIME); a batch takes the time it is stored */
    cJSON *data;           /* event data map; for a batch, the thoughts array */
    /* batch only */
    int64_t opened_ns;     /* CLOCK_MONOTONIC time of its first thought */
    size_t thought_count;
    char agent_id[72];     /* agent of the first thought */
    int mixed_agents;      /* a later thought came from another agent */
} pending;

struct room {
    char id[72];
    room_settings settings;
    room_stored_fn on_stored;
    void *ctx;

    pending *queue_head;
    pending *queue_tail;
    pending *waiting_progress;   /* the queued progress snapshot a newer one replaces */

    int paced;
    int64_t token_cost_ns;       /* refill time of one token */
    int64_t bucket_capacity_ns;  /* max(1, rate) tokens */
    int64_t bucket_ns;           /* current credit */
    int64_t bucket_refilled_ns;  /* when it was last topped up; -1 before the first push */

    stored_event *ring;
    size_t ring_capacity;
    uint64_t head;               /* last stored sequence */
    uint64_t oldest;             /* oldest buffered; head + 1 when the ring is empty */
    int64_t ttl_ns;              /* 0 = no age limit */
    int analysis_complete_stored;

    progress_tracker progress;
};

/* Out of memory inside the room cannot be reported to anyone without
 * breaking the contiguous stream, so it ends the process with a message. */
static void require(int ok)
{
    if (!ok) {
        fputs("polisim-host: out of memory in the stream room\n", stderr);
        abort();
    }
}

static void *checked(void *p)
{
    require(p != NULL);
    return p;
}

room *room_new(const char *analysis_id, const room_settings *settings, room_stored_fn on_stored, void *ctx)
{
    if (!analysis_id || strlen(analysis_id) >= sizeof ((room *)0)->id)
        return NULL;
    room *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->ring_capacity = settings->buffer_size ? settings->buffer_size : 1;
    r->ring = calloc(r->ring_capacity, sizeof *r->ring);
    if (!r->ring) {
        free(r);
        return NULL;
    }
    snprintf(r->id, sizeof r->id, "%s", analysis_id);
    r->settings = *settings;
    r->on_stored = on_stored;
    r->ctx = ctx;
    r->oldest = 1;
    r->ttl_ns = settings->buffer_ttl_seconds > 0 ? (int64_t)(settings->buffer_ttl_seconds * NS_PER_SECOND) : 0;
    r->paced = settings->max_events_per_second > 0;
    if (r->paced) {
        r->token_cost_ns = llround(NS_PER_SECOND / settings->max_events_per_second);
        if (r->token_cost_ns < 1)
            r->token_cost_ns = 1;
        r->bucket_capacity_ns = r->token_cost_ns > NS_PER_SECOND ? r->token_cost_ns : NS_PER_SECOND;
        r->bucket_ns = r->bucket_capacity_ns;
        r->bucket_refilled_ns = -1;
    }
    progress_init(&r->progress);
    return r;
}

static void free_pending(pending *p)
{
    cJSON_Delete(p->data);
    free(p);
}

void room_free(room *r)
{
    if (!r)
        return;
    while (r->queue_head) {
        pending *next = r->queue_head->next;
        free_pending(r->queue_head);
        r->queue_head = next;
    }
    for (size_t i = 0; i < r->ring_capacity; i++)
        free(r->ring[i].json);
    free(r->ring);
    progress_free(&r->progress);
    free(r);
}

const char *room_id(const room *r)
{
    return r->id;
}

/* ---- the ring ---------------------------------------------------------------- */

static size_t ring_count(const room *r)
{
    return (size_t)(r->head + 1 - r->oldest);
}

static void evict_oldest(room *r)
{
    stored_event *slot = &r->ring[r->oldest % r->ring_capacity];
    free(slot->json);
    memset(slot, 0, sizeof *slot);
    r->oldest++;
}

static void evict_expired(room *r, int64_t now_ns)
{
    while (r->ttl_ns && ring_count(r) && now_ns - r->ring[r->oldest % r->ring_capacity].stored_ns >= r->ttl_ns)
        evict_oldest(r);
}

static void store(room *r, const char *event_type, cJSON *data, int64_t timestamp_ns, int64_t now_ns)
{
    uint64_t sequence = r->head + 1;
    char event_id[96];
    snprintf(event_id, sizeof event_id, "%s-%llu", r->id, (unsigned long long)sequence);
    char *json = checked(wire_event_json(event_id, event_type, r->id, data, timestamp_ns, sequence));
    if (ring_count(r) == r->ring_capacity)
        evict_oldest(r);
    stored_event *slot = &r->ring[sequence % r->ring_capacity];
    slot->sequence = sequence;
    slot->stored_ns = now_ns;
    snprintf(slot->event_type, sizeof slot->event_type, "%s", event_type);
    slot->length = strlen(json);
    slot->json = json;
    r->head = sequence;
    if (strcmp(event_type, "analysis_complete") == 0)
        r->analysis_complete_stored = 1;
    if (r->on_stored)
        r->on_stored(r->ctx, r, slot);
}

/* ---- the pending queue ------------------------------------------------------- */

static pending *new_pending(pending_kind kind, const char *event_type, int64_t timestamp_ns, cJSON *data)
{
    pending *p = checked(calloc(1, sizeof *p));
    p->kind = kind;
    snprintf(p->event_type, sizeof p->event_type, "%s", event_type);
    p->timestamp_ns = timestamp_ns;
    p->data = data;
    return p;
}

static void enqueue(room *r, pending *p)
{
    if (r->queue_tail)
        r->queue_tail->next = p;
    else
        r->queue_head = p;
    r->queue_tail = p;
}

static pending *dequeue(room *r)
{
    pending *p = r->queue_head;
    r->queue_head = p->next;
    if (!r->queue_head)
        r->queue_tail = NULL;
    if (p == r->waiting_progress)
        r->waiting_progress = NULL;
    return p;
}

static cJSON *batch_data(pending *batch)
{
    cJSON *data = checked(cJSON_CreateObject());
    int shared_agent = !batch->mixed_agents && batch->agent_id[0];
    checked(shared_agent ? cJSON_AddStringToObject(data, "agent_id", batch->agent_id)
                         : cJSON_AddNullToObject(data, "agent_id"));
    require(cJSON_AddItemToObjectCS(data, "thoughts", batch->data));
    batch->data = NULL;
    checked(cJSON_AddNumberToObject(data, "batch_size", (double)batch->thought_count));
    return data;
}

static void store_pending(room *r, pending *p, int64_t now_ns)
{
    if (p->kind == PENDING_BATCH) {
        store(r, "agent_thinking", batch_data(p), envelope_now_ns(), now_ns);
    } else if (p->kind != PENDING_REPLACED) {
        store(r, p->event_type, p->data, p->timestamp_ns, now_ns);
        p->data = NULL;
    }
    free_pending(p);
}

static int batch_is_open(const room *r, const pending *p, int64_t now_ns)
{
    return p->kind == PENDING_BATCH && p == r->queue_tail &&
           now_ns - p->opened_ns < (int64_t)r->settings.batch_window_ms * 1000000LL;
}

static void refill_bucket(room *r, int64_t now_ns)
{
    if (r->bucket_refilled_ns >= 0 && now_ns > r->bucket_refilled_ns) {
        r->bucket_ns += now_ns - r->bucket_refilled_ns;
        if (r->bucket_ns > r->bucket_capacity_ns)
            r->bucket_ns = r->bucket_capacity_ns;
    }
    if (now_ns > r->bucket_refilled_ns)
        r->bucket_refilled_ns = now_ns;
}

/* Stores what is due at now_ns, in queue order. */
static void pump(room *r, int64_t now_ns)
{
    if (r->paced)
        refill_bucket(r, now_ns);
    evict_expired(r, now_ns);
    while (r->queue_head) {
        pending *p = r->queue_head;
        if (p->kind != PENDING_REPLACED) {
            if (batch_is_open(r, p, now_ns))
                break;
            if (r->paced) {
                if (r->bucket_ns < r->token_cost_ns)
                    break;
                r->bucket_ns -= r->token_cost_ns;
            }
        }
        store_pending(r, dequeue(r), now_ns);
    }
}

static void add_thought(room *r, const envelope *ev, int64_t now_ns)
{
    pending *batch = r->queue_tail;
    if (!batch || batch->kind != PENDING_BATCH) {
        batch = new_pending(PENDING_BATCH, "agent_thinking", 0, checked(cJSON_CreateArray()));
        batch->opened_ns = now_ns;
        snprintf(batch->agent_id, sizeof batch->agent_id, "%s", ev->agent_id);
        enqueue(r, batch);
    } else if (strcmp(batch->agent_id, ev->agent_id) != 0) {
        batch->mixed_agents = 1;
    }
    require(cJSON_AddItemToArray(batch->data, checked(wire_from_msgpack(&ev->data))));
    batch->thought_count++;
}

static void add_progress_snapshot(room *r, int64_t timestamp_ns, int64_t now_ns)
{
    if (r->waiting_progress) {
        r->waiting_progress->kind = PENDING_REPLACED;
        cJSON_Delete(r->waiting_progress->data);
        r->waiting_progress->data = NULL;
    }
    cJSON *data = checked(progress_data(&r->progress, r->id, now_ns));
    r->waiting_progress = new_pending(PENDING_PROGRESS, "progress_update", timestamp_ns, data);
    enqueue(r, r->waiting_progress);
}

/* ---- public ------------------------------------------------------------------ */

void room_push(room *r, const envelope *ev, int64_t now_ns)
{
    if (strcmp(ev->analysis_id, r->id) != 0)
        return;
    pump(r, now_ns); /* a batch whose window has passed goes out before this envelope joins */
    if (strcmp(ev->event_type, "agent_thought") == 0) {
        add_thought(r, ev, now_ns);
    } else {
        int wants_progress = progress_observe(&r->progress, ev, now_ns);
        enqueue(r, new_pending(PENDING_EVENT, ev->event_type, ev->timestamp_ns,
                               checked(wire_from_msgpack(&ev->data))));
        if (wants_progress)
            add_progress_snapshot(r, ev->timestamp_ns, now_ns);
    }
    pump(r, now_ns);
}

static int64_t later(int64_t a, int64_t b)
{
    return a > b ? a : b;
}

int64_t room_tick(room *r, int64_t now_ns)
{
    pump(r, now_ns);
    int64_t due = -1;
    const pending *p = r->queue_head;
    if (p) {
        int64_t window_wait = 0;
        if (batch_is_open(r, p, now_ns))
            window_wait = p->opened_ns + (int64_t)r->settings.batch_window_ms * 1000000LL - now_ns;
        int64_t token_wait = r->paced ? r->token_cost_ns - r->bucket_ns : 0;
        due = later(1, later(window_wait, token_wait));
    }
    if (r->ttl_ns && ring_count(r)) {
        int64_t expiry_wait = later(1, r->ring[r->oldest % r->ring_capacity].stored_ns + r->ttl_ns - now_ns);
        if (due < 0 || expiry_wait < due)
            due = expiry_wait;
    }
    return due;
}

void room_flush(room *r, int64_t now_ns)
{
    evict_expired(r, now_ns);
    while (r->queue_head)
        store_pending(r, dequeue(r), now_ns);
}

uint64_t room_head(const room *r)
{
    return r->head;
}

uint64_t room_oldest(const room *r)
{
    return ring_count(r) ? r->oldest : 0;
}

size_t room_buffered(const room *r)
{
    return ring_count(r);
}

const stored_event *room_get(const room *r, uint64_t sequence)
{
    if (sequence < r->oldest || sequence > r->head)
        return NULL;
    return &r->ring[sequence % r->ring_capacity];
}

int room_complete(const room *r)
{
    return r->analysis_complete_stored && !r->queue_head;
}

char *room_progress_json(room *r, int64_t now_ns)
{
    char event_id[96];
    snprintf(event_id, sizeof event_id, "%s-progress", r->id);
    cJSON *data = progress_data(&r->progress, r->id, now_ns);
    if (!data)
        return NULL;
    return wire_event_json(event_id, "progress_update", r->id, data, envelope_now_ns(), 0);
}
