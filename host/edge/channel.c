/*
 * channel — an analysis at the edge and the table of them (see channel.h).
 */
#include "edge/edge.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define INITIAL_BUCKETS 64

/* ---- the table ----------------------------------------------------------------- */

static size_t bucket_of(const channel_table *t, const char *id)
{
    uint64_t hash = 1469598103934665603ULL; /* FNV-1a */
    for (const unsigned char *c = (const unsigned char *)id; *c; c++)
        hash = (hash ^ *c) * 1099511628211ULL;
    return (size_t)(hash & (t->bucket_count - 1));
}

int channels_init(channel_table *t)
{
    memset(t, 0, sizeof *t);
    t->buckets = calloc(INITIAL_BUCKETS, sizeof *t->buckets);
    if (!t->buckets)
        return -1;
    t->bucket_count = INITIAL_BUCKETS;
    return 0;
}

channel *channel_find(const channel_table *t, const char *id)
{
    for (channel *ch = t->buckets[bucket_of(t, id)]; ch; ch = ch->next)
        if (strcmp(ch->id, id) == 0)
            return ch;
    return NULL;
}

static void grow(channel_table *t)
{
    size_t old_count = t->bucket_count;
    channel **old = t->buckets;
    channel **buckets = calloc(old_count * 2, sizeof *buckets);
    if (!buckets)
        return; /* longer chains, still correct */
    t->buckets = buckets;
    t->bucket_count = old_count * 2;
    for (size_t i = 0; i < old_count; i++) {
        channel *ch = old[i];
        while (ch) {
            channel *next = ch->next;
            size_t b = bucket_of(t, ch->id);
            ch->next = t->buckets[b];
            t->buckets[b] = ch;
            ch = next;
        }
    }
    free(old);
}

/* ---- the room and its frames -------------------------------------------------- */

static void free_frames(channel *ch)
{
    for (size_t i = 0; i < ch->capacity; i++)
        free(ch->frames[i]);
    free(ch->frames);
    ch->frames = NULL;
    ch->capacity = 0;
}

/* ---- waking the clients --------------------------------------------------------- */

/* Wakes every client that has a stored event still to be sent. */
static void wake_behind(channel *ch)
{
    uint64_t head = channel_head(ch);
    for (ws_client *c = ch->clients; c; c = c->next)
        if (c->cursor <= head)
            client_wake(c);
}

/* Wakes the clients now and starts a write_coalesce_ms interval. */
static void flush_now(channel *ch, int64_t now_ns)
{
    ch->flushed_at_ns = now_ns;
    wake_behind(ch);
}

/* The end of an interval during which events were stored: they go out now. */
static void on_flush(lws_sorted_usec_list_t *sul)
{
    channel *ch = lws_container_of(sul, channel, flush_timer);
    ch->flush_armed = 0;
    flush_now(ch, edge_now_ns());
}

/* A new event was stored. If the clients were last woken more than
 * write_coalesce_ms ago (the stream was quiet) they are woken at once;
 * while events stream they are woken at the end of each interval, so each
 * WRITEABLE carries every event stored during it in one write
 * (client_writeable batches them). A quiet channel arms no timer. */
static void wake_for_new_event(channel *ch)
{
    if (ch->flush_armed)
        return;
    int64_t interval_ns = (int64_t)ch->server->cfg->server.write_coalesce_ms * NS_PER_MS;
    int64_t now_ns = edge_now_ns();
    int64_t wait_ns = ch->flushed_at_ns + interval_ns - now_ns;
    if (wait_ns <= 0) {
        flush_now(ch, now_ns);
        return;
    }
    ch->flush_armed = 1;
    lws_sul_schedule(ch->server->context, 0, &ch->flush_timer, on_flush, (lws_usec_t)((wait_ns + 999) / 1000));
}

static void stop_flush(channel *ch)
{
    ch->flush_armed = 0;
    lws_sul_cancel(&ch->flush_timer);
}

/* Every stored event becomes its wire frame, once; the clients waiting for
 * it are woken (see wake_for_new_event). Losing a frame would break the
 * contiguous stream, so running out of memory here ends the process (as it
 * does inside the room). */
static void on_stored(void *ctx, room *r, const stored_event *ev)
{
    (void)r;
    channel *ch = ctx;
    server *s = ch->server;
    frame *f = frame_new(ev->json, ev->length, ev->sequence);
    if (!f) {
        fputs("polisim-host: out of memory for a stream frame\n", stderr);
        abort();
    }
    frame **slot = &ch->frames[ev->sequence % ch->capacity];
    free(*slot);
    *slot = f;
    s->stats.events_stored++;
    wake_for_new_event(ch);
    if (strcmp(ev->event_type, "analysis_complete") == 0)
        edge_log("analysis %s complete: %llu events stored, %zu client(s) watching", ch->id,
                 (unsigned long long)ev->sequence, ch->client_count);
}

static int start_room(channel *ch)
{
    const room_settings *settings = &ch->server->room_settings;
    ch->capacity = settings->buffer_size ? settings->buffer_size : 1;
    ch->frames = calloc(ch->capacity, sizeof *ch->frames);
    ch->room = ch->frames ? room_new(ch->id, settings, on_stored, ch) : NULL;
    if (!ch->room) {
        free(ch->frames);
        ch->frames = NULL;
        ch->capacity = 0;
        return -1;
    }
    ch->server->channels.rooms++;
    return 0;
}

static void stop_timer(channel *ch)
{
    ch->timer_at_ns = 0;
    lws_sul_cancel(&ch->timer);
}

static void retire_room(channel *ch)
{
    stop_timer(ch);
    stop_flush(ch);
    ch->retired_head = room_head(ch->room);
    ch->retired_progress = room_progress_json(ch->room, edge_now_ns());
    ch->server->channels.rooms--;
    room_free(ch->room);
    ch->room = NULL;
    free_frames(ch);
}

static void destroy(channel *ch)
{
    stop_timer(ch);
    stop_flush(ch);
    if (ch->room)
        ch->server->channels.rooms--;
    room_free(ch->room);
    free_frames(ch);
    free(ch->retired_progress);
    free(ch);
}

void channels_free(channel_table *t)
{
    for (size_t i = 0; i < t->bucket_count; i++) {
        channel *ch = t->buckets[i];
        while (ch) {
            channel *next = ch->next;
            destroy(ch);
            ch = next;
        }
    }
    free(t->buckets);
    memset(t, 0, sizeof *t);
}

channel *channel_open(server *s, const char *id)
{
    channel_table *t = &s->channels;
    channel *ch = channel_find(t, id);
    if (ch)
        return ch;
    if (t->count >= t->bucket_count)
        grow(t);
    ch = calloc(1, sizeof *ch);
    if (!ch)
        return NULL;
    ch->server = s;
    snprintf(ch->id, sizeof ch->id, "%s", id);
    if (start_room(ch) != 0) {
        free(ch);
        return NULL;
    }
    size_t b = bucket_of(t, id);
    ch->next = t->buckets[b];
    t->buckets[b] = ch;
    t->count++;
    return ch;
}

/* ---- events and timers ---------------------------------------------------------- */

static void on_timer(lws_sorted_usec_list_t *sul);

/* Runs the room's due work; schedules the timer for the next. Returns ns
 * until then, or -1 when nothing is pending. */
static int64_t run_due_work(channel *ch, int64_t now_ns)
{
    if (!ch->room)
        return -1;
    int64_t due = room_tick(ch->room, now_ns);
    if (due < 0) {
        stop_timer(ch);
    } else if (!ch->timer_at_ns || ch->timer_at_ns > now_ns + due) {
        /* Re-armed only to fire earlier: an early wake-up ticks and re-arms
         * anyway, and each lws_sul_schedule walks the sorted timer list. */
        ch->timer_at_ns = now_ns + due;
        lws_sul_schedule(ch->server->context, 0, &ch->timer, on_timer, (lws_usec_t)((due + 999) / 1000));
    }
    return due;
}

static void on_timer(lws_sorted_usec_list_t *sul)
{
    channel *ch = lws_container_of(sul, channel, timer);
    ch->timer_at_ns = 0;
    run_due_work(ch, edge_now_ns());
}

/* A retired analysis got events again: its id was reused for a new stream,
 * numbered from 1, and the clients waiting on the old one follow it. */
static int restart_stream(channel *ch)
{
    if (start_room(ch) != 0)
        return -1;
    edge_log("analysis %s: new stream (the previous one ended at sequence %llu and expired)", ch->id,
             (unsigned long long)ch->retired_head);
    ch->retired_head = 0;
    free(ch->retired_progress);
    ch->retired_progress = NULL;
    for (ws_client *c = ch->clients; c; c = c->next) {
        c->cursor = 1;
        client_wake(c);
    }
    return 0;
}

void channel_push(channel *ch, const envelope *ev, int64_t now_ns)
{
    if (!ch->room && restart_stream(ch) != 0) {
        edge_log("analysis %s: out of memory, event %s not streamed", ch->id, ev->event_type);
        return;
    }
    room_push(ch->room, ev, now_ns);
    if (!ch->dirty) {
        channel_table *t = &ch->server->channels;
        ch->dirty = 1;
        ch->next_dirty = t->dirty;
        t->dirty = ch;
    }
}

void channels_tick_dirty(channel_table *t, int64_t now_ns)
{
    while (t->dirty) {
        channel *ch = t->dirty;
        t->dirty = ch->next_dirty;
        ch->next_dirty = NULL;
        ch->dirty = 0;
        run_due_work(ch, now_ns);
    }
}

/* ---- positions and frames ------------------------------------------------------- */

uint64_t channel_head(const channel *ch)
{
    return ch->room ? room_head(ch->room) : ch->retired_head;
}

stream_position channel_position(const channel *ch)
{
    stream_position at = {.head = channel_head(ch), .capacity = ch->server->room_settings.buffer_size};
    if (ch->room) {
        at.oldest = room_oldest(ch->room);
        at.buffered = room_buffered(ch->room);
    }
    return at;
}

char *channel_progress_json(const channel *ch)
{
    if (ch->room)
        return room_progress_json(ch->room, edge_now_ns());
    return ch->retired_progress ? strdup(ch->retired_progress) : NULL;
}

frame *channel_frame(const channel *ch, uint64_t sequence)
{
    if (!ch->room || !room_get(ch->room, sequence))
        return NULL;
    frame *f = ch->frames[sequence % ch->capacity];
    return f && f->sequence == sequence ? f : NULL;
}

/* ---- clients -------------------------------------------------------------------- */

void channel_attach(channel *ch, ws_client *c)
{
    c->channel = ch;
    c->prev = NULL;
    c->next = ch->clients;
    if (ch->clients)
        ch->clients->prev = c;
    ch->clients = c;
    ch->client_count++;
}

void channel_detach(channel *ch, ws_client *c)
{
    if (c->prev)
        c->prev->next = c->next;
    else
        ch->clients = c->next;
    if (c->next)
        c->next->prev = c->prev;
    c->prev = c->next = NULL;
    c->channel = NULL;
    ch->client_count--;
}

void channels_stop_timers(channel_table *t)
{
    for (size_t i = 0; i < t->bucket_count; i++)
        for (channel *ch = t->buckets[i]; ch; ch = ch->next) {
            stop_timer(ch);
            stop_flush(ch);
        }
}

void channels_for_each_client(channel_table *t, void (*fn)(ws_client *c, void *arg), void *arg)
{
    for (size_t i = 0; i < t->bucket_count; i++)
        for (channel *ch = t->buckets[i]; ch; ch = ch->next)
            for (ws_client *c = ch->clients; c; c = c->next)
                fn(c, arg);
}

/* ---- shutdown and collection ---------------------------------------------------- */

void channels_flush(channel_table *t, int64_t now_ns)
{
    for (size_t i = 0; i < t->bucket_count; i++)
        for (channel *ch = t->buckets[i]; ch; ch = ch->next)
            if (ch->room) {
                room_flush(ch->room, now_ns);
                run_due_work(ch, now_ns);
            }
}

static int analysis_active(const server *s, const char *id)
{
    const char *state = s->results ? results_state(s->results, id) : NULL;
    return state && (strcmp(state, "queued") == 0 || strcmp(state, "running") == 0);
}

/* 1 if nobody needs the channel's room any more. */
static int idle(channel *ch, int64_t now_ns)
{
    if (ch->client_count || ch->dirty || analysis_active(ch->server, ch->id))
        return 0;
    return !ch->room || (run_due_work(ch, now_ns) < 0 && room_buffered(ch->room) == 0);
}

void channels_collect(channel_table *t, int64_t now_ns)
{
    for (size_t i = 0; i < t->bucket_count; i++) {
        channel **link = &t->buckets[i];
        while (*link) {
            channel *ch = *link;
            if (!idle(ch, now_ns)) {
                link = &ch->next;
            } else if (channel_head(ch) == 0) {
                *link = ch->next;
                t->count--;
                destroy(ch);
            } else {
                if (ch->room)
                    retire_room(ch);
                link = &ch->next;
            }
        }
    }
}
