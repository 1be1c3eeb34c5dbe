/*
 * session — see session.h.
 */
#include <string.h>
#include <time.h>
#include "cli/session.h"

/* How often a waiting run re-checks whether the pipeline went idle. */
#define IDLE_CHECK_MS 250

static int64_t now_monotonic(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void feed_room(void *ctx, const uint8_t *message, size_t length)
{
    session *s = ctx;
    envelope e;
    char err[128];
    if (!s->room || envelope_decode(message, length, &e, err, sizeof err) != 0)
        return;
    room_push(s->room, &e, now_monotonic());
    envelope_release(&e);
}

int session_open(session *s, const ps_config *cfg, const agent_set *agents)
{
    memset(s, 0, sizeof *s);
    s->cfg = cfg;
    s->bus = bus_new();
    s->results = results_new();
    s->pipeline = s->bus && s->results ? pipeline_new(cfg, agents, s->bus) : NULL;
    if (!s->pipeline) {
        session_close(s);
        return -1;
    }
    if (bus_subscribe(s->bus, results_on_message, s->results) != 0 || bus_subscribe(s->bus, feed_room, s) != 0) {
        session_close(s);
        return -1;
    }
    return 0;
}

void session_close(session *s)
{
    pipeline_free(s->pipeline);
    results_free(s->results);
    bus_free(s->bus);
    memset(s, 0, sizeof *s);
}

static int ended(const session *s, const char *id)
{
    const char *state = results_state(s->results, id);
    return state && (strcmp(state, "complete") == 0 || strcmp(state, "error") == 0);
}

int session_run(session *s, const analysis_request *req, room_stored_fn print, void *ctx, char *id_out,
                char *err, size_t err_size)
{
    if (pipeline_submit(s->pipeline, req, id_out, err, err_size) != 0)
        return -1;
    if (print) {
        room_settings settings = {
            .buffer_size = (unsigned)s->cfg->server.message_buffer_size,
            .buffer_ttl_seconds = s->cfg->server.message_buffer_ttl_seconds,
            .batch_window_ms = (unsigned)s->cfg->server.thought_batch_window_ms,
            .max_events_per_second = 0, /* the CLI is not paced */
        };
        s->room = room_new(id_out, &settings, print, ctx);
    }
    /* Until the analysis ends — or, should its analysis_complete never come
     * (lost to an out-of-memory), until the pipeline is idle and the bus empty. */
    for (;;) {
        int idle = pipeline_running(s->pipeline) == 0; /* before the drain: nothing can follow it */
        size_t delivered = bus_drain(s->bus);
        if (ended(s, id_out) || (idle && delivered == 0))
            break;
        int64_t due_ms = s->room ? room_tick(s->room, now_monotonic()) / 1000000 + 1 : 0;
        bus_wait(s->bus, due_ms > 0 && due_ms < IDLE_CHECK_MS ? (int)due_ms : IDLE_CHECK_MS);
    }
    if (s->room) {
        room_flush(s->room, now_monotonic());
        room_free(s->room);
        s->room = NULL;
    }
    const char *state = results_state(s->results, id_out);
    return state && strcmp(state, "complete") == 0 ? 0 : 1;
}
