/*
 * client — one WebSocket connection streaming one analysis (see client.h).
 */
#include "edge/edge.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "bus/envelope.h"
#include "edge/messages.h"
#include "edge/resume.h"
#include "edge/routes.h"

/* A client that queues this many replies without reading them is slow. */
#define MAX_QUEUED_REPLIES 64
/* Longest close reason a close frame carries (RFC 6455 5.5: 125 - 2). */
#define MAX_CLOSE_REASON 123
/* Kernel send buffer of a WebSocket connection (Linux doubles it). Bounds
 * the memory a stuck client pins and lets us see it stall within a few
 * hundred KiB instead of the several MiB autotuning would allow; far more
 * than a client that keeps up ever has in flight. */
#define SOCKET_SEND_BUFFER (256 * 1024)
/* Close reasons of a slow consumer (4008). */
#define FELL_BEHIND "slow consumer: fell out of the replay buffer; reconnect with last_sequence"
#define NOT_DRAINED "slow consumer: socket not drained; reconnect with last_sequence"
/* Largest WebSocket frame header (RFC 6455 5.2: 2 + 8 length bytes, unmasked). */
#define MAX_FRAME_HEADER 10
/* A refused message is read to the end of its frame, up to this much. */
#define MAX_DISCARDED_BYTES (1024 * 1024)

/* ---- closing ---------------------------------------------------------------------- */

void client_wake(ws_client *c)
{
    if (!c->writable_requested) {
        c->writable_requested = 1;
        lws_callback_on_writable(c->wsi);
    }
}

static void set_close(ws_client *c, int code, const char *reason, int after_drain)
{
    free(c->close_reason);
    c->close_reason = strdup(reason);
    c->close_code = code;
    c->close_after_drain = after_drain;
}

void client_close_soon(ws_client *c, int code, const char *reason, int after_drain)
{
    if (c->close_code && !(c->close_after_drain && !after_drain))
        return;
    set_close(c, code, reason, after_drain);
    client_wake(c);
}

/* Sends the pending close frame: the caller returns -1 to lws. */
static int close_now(ws_client *c)
{
    const char *reason = c->close_reason ? c->close_reason : "";
    size_t length = strlen(reason);
    if (length > MAX_CLOSE_REASON)
        length = MAX_CLOSE_REASON;
    lws_close_reason(c->wsi, (enum lws_close_status)c->close_code, (unsigned char *)reason, length);
    return -1;
}

/* Closes now, from inside this client's own callback. */
static int close_with(ws_client *c, int code, const char *reason)
{
    set_close(c, code, reason, 0);
    return close_now(c);
}

/* Refuses a client: it is closed at its first WRITEABLE and never joins. */
static int refuse(ws_client *c, int code, const char *reason, const char *analysis_id)
{
    c->server->closing_count++;
    edge_log("ws %s: refused %s: %d %s", c->peer, analysis_id ? analysis_id : "(no analysis)", code, reason);
    client_close_soon(c, code, reason, 0);
    return 0;
}

static int refuse_limit(ws_client *c, const char *what, long limit, const char *analysis_id)
{
    char *reason = message_limit_reason(what, limit);
    c->server->stats.rejected_connections++;
    refuse(c, CLOSE_TRY_AGAIN_LATER, reason ? reason : what, analysis_id);
    free(reason);
    return 0;
}

static int refuse_invalid(ws_client *c, const char *reason, const char *analysis_id)
{
    c->server->stats.invalid_connections++;
    return refuse(c, CLOSE_POLICY_VIOLATION, reason, analysis_id);
}

/* ---- connecting ------------------------------------------------------------------- */

/* The urldecoded value of query argument `name` (a malloc'd string, "" for a
 * bare "name"), or NULL if absent. *failed is set on out of memory. */
static char *query_value(struct lws *wsi, const char *name, int *failed)
{
    size_t name_length = strlen(name);
    for (int i = 0;; i++) {
        int length = lws_hdr_fragment_length(wsi, WSI_TOKEN_HTTP_URI_ARGS, i);
        if (length <= 0)
            return NULL;
        char *arg = malloc((size_t)length + 1);
        if (!arg || lws_hdr_copy_fragment(wsi, arg, length + 1, WSI_TOKEN_HTTP_URI_ARGS, i) < 0) {
            free(arg);
            *failed = 1;
            return NULL;
        }
        if (strncmp(arg, name, name_length) == 0 && (arg[name_length] == '=' || arg[name_length] == '\0')) {
            size_t skip = name_length + (arg[name_length] == '=');
            memmove(arg, arg + skip, (size_t)length + 1 - skip);
            return arg;
        }
        free(arg);
    }
}

static int queue_reply(ws_client *c, char *json)
{
    frame *f = frame_from_string(json);
    if (!f)
        return -1;
    frame_queue_push(&c->replies, f);
    return 0;
}

/* Joins the channel and queues the resume notice (when needed) and the
 * current progress; the cursor then starts the replay. */
static int admit(ws_client *c, channel *ch, uint64_t last_sequence)
{
    server *s = c->server;
    stream_position at = channel_position(ch);
    resume_plan plan = resume_plan_for(last_sequence, &at);
    if ((plan.notify && queue_reply(c, resume_notice_json(&plan)) != 0) ||
        queue_reply(c, channel_progress_json(ch)) != 0) {
        frame_queue_clear(&c->replies);
        return -1;
    }
    channel_attach(ch, c);
    c->admitted = 1;
    c->cursor = c->first_sequence = plan.start;
    s->client_count++;
    s->stats.total_connections++;
    c->resume_reason = plan.reason;
    if (last_sequence > 0)
        s->stats.total_reconnections++;
    client_wake(c);
    return 0;
}

int client_open(ws_client *c, server *s, struct lws *wsi)
{
    const server_config *limits = &s->cfg->server;
    memset(c, 0, sizeof *c);
    c->wsi = wsi;
    c->server = s;
    c->connected_ns = c->drained_ns = edge_now_ns();
    lws_get_peer_simple(wsi, c->peer, sizeof c->peer);
    int send_buffer = SOCKET_SEND_BUFFER;
    setsockopt(lws_get_socket_fd(wsi), SOL_SOCKET, SO_SNDBUF, &send_buffer, sizeof send_buffer);
    if (s->shutting_down)
        return refuse(c, CLOSE_GOING_AWAY, "server shutting down", NULL);

    char path[320];
    route_match m = {0};
    if (lws_hdr_copy(wsi, path, sizeof path, WSI_TOKEN_GET_URI) >= 0)
        m = route_find(path);
    if (m.route != ROUTE_STREAM)
        return refuse_invalid(c, "unknown WebSocket path: use /api/v1/ws/analysis/{analysis_id}", NULL);
    if (m.bad_id)
        return refuse_invalid(c, "invalid analysis id: use 1 to 64 of A-Z a-z 0-9 _ -", NULL);

    int failed = 0;
    char *value = query_value(wsi, "last_sequence", &failed);
    uint64_t last_sequence = 0;
    int bad_sequence = route_parse_sequence(value, &last_sequence) != 0;
    free(value);
    if (failed)
        return refuse(c, CLOSE_INTERNAL_ERROR, "out of memory", m.id);
    if (bad_sequence)
        return refuse_invalid(c, "last_sequence must be a non-negative integer", m.id);

    if (s->client_count >= (size_t)limits->max_total_connections)
        return refuse_limit(c, "too many connections to this server", limits->max_total_connections, m.id);
    channel *ch = channel_find(&s->channels, m.id);
    if (ch && ch->client_count >= (size_t)limits->max_connections_per_analysis)
        return refuse_limit(c, "too many connections to this analysis", limits->max_connections_per_analysis,
                            m.id);
    if (!ch)
        ch = channel_open(s, m.id);
    if (!ch || admit(c, ch, last_sequence) != 0)
        return refuse(c, CLOSE_INTERNAL_ERROR, "out of memory", m.id);
    return 0;
}

/* ---- receiving -------------------------------------------------------------------- */

static void answer(ws_client *c, const char *text, size_t length)
{
    server *s = c->server;
    char error[160];
    char *reply = NULL;
    s->stats.total_messages_received++;
    switch (message_parse_client(text, length, error, sizeof error)) {
    case CLIENT_PING:
        reply = message_pong(envelope_now_ns());
        break;
    case CLIENT_PROGRESS_REQUEST:
        reply = channel_progress_json(c->channel);
        break;
    case CLIENT_INVALID:
        reply = message_client_error(error);
        break;
    }
    if (c->replies.count >= MAX_QUEUED_REPLIES) {
        free(reply);
        s->stats.slow_client_disconnects++;
        client_close_soon(c, CLOSE_SLOW_CONSUMER, "slow consumer: replies not read", 0);
        return;
    }
    if (queue_reply(c, reply) != 0)
        client_close_soon(c, CLOSE_INTERNAL_ERROR, "out of memory", 0);
    else
        client_wake(c);
}

/* Refuses the message being received. Closing in the middle of a frame
 * would leave its rest to be parsed as frames (and the client would see the
 * connection drop, not the code), so the rest of the frame is read and
 * dropped first. */
static int refuse_message(ws_client *c, int code, const char *reason)
{
    set_close(c, code, reason, 0);
    free(c->message);
    c->message = NULL;
    c->message_length = 0;
    if (lws_remaining_packet_payload(c->wsi) == 0)
        return close_now(c);
    c->discarding = 1;
    return 0;
}

static int discard(ws_client *c, size_t length)
{
    c->discarded += length;
    if (lws_remaining_packet_payload(c->wsi) == 0)
        return close_now(c);
    return c->discarded > MAX_DISCARDED_BYTES ? -1 : 0; /* a frame that never ends: drop the connection */
}

int client_receive(ws_client *c, const void *in, size_t length)
{
    size_t limit = (size_t)c->server->cfg->server.max_message_bytes;
    if (c->discarding)
        return discard(c, length);
    if (c->close_code || !c->admitted)
        return 0; /* closing: what it says no longer matters */
    if (lws_frame_is_binary(c->wsi))
        return refuse_message(c, CLOSE_UNSUPPORTED_DATA, "binary frames are not accepted: send JSON text");
    if (length > limit - c->message_length) {
        char reason[80];
        snprintf(reason, sizeof reason, "message over %zu bytes", limit);
        return refuse_message(c, CLOSE_MESSAGE_TOO_BIG, reason);
    }
    if (!lws_is_final_fragment(c->wsi) || c->message) {
        unsigned char *grown = realloc(c->message, c->message_length + length + 1);
        if (!grown)
            return refuse_message(c, CLOSE_INTERNAL_ERROR, "out of memory");
        memcpy(grown + c->message_length, in, length);
        c->message = grown;
        c->message_length += length;
        if (!lws_is_final_fragment(c->wsi))
            return 0;
        answer(c, (const char *)c->message, c->message_length);
        free(c->message);
        c->message = NULL;
        c->message_length = 0;
        return 0;
    }
    answer(c, in, length); /* the whole message arrived at once */
    return 0;
}

/* ---- sending ---------------------------------------------------------------------- */

static int stream_pending(const ws_client *c)
{
    return c->channel && c->channel->room && c->cursor <= room_head(c->channel->room);
}

static int has_pending(const ws_client *c)
{
    return c->replies.count || stream_pending(c) || c->close_code;
}

static int write_frame(ws_client *c, frame *f)
{
    return lws_write(c->wsi, frame_payload(f), f->length, LWS_WRITE_TEXT) < (int)f->length ? -1 : 0;
}

/* The next frame to send: a queued reply, else the stream event at the
 * cursor (NULL if it fell out of the buffer, or nothing is pending). */
static frame *next_frame(const ws_client *c)
{
    if (c->replies.head)
        return c->replies.head;
    return stream_pending(c) ? channel_frame(c->channel, c->cursor) : NULL;
}

/* Counts next_frame() as sent and moves on. */
static void consume(ws_client *c, frame *f)
{
    server *s = c->server;
    if (f == c->replies.head) {
        free(frame_queue_pop(&c->replies));
        s->stats.total_control_sent++;
    } else {
        c->cursor++;
        c->events_sent++;
        s->stats.total_events_sent++;
    }
}

/* An unmasked, final text frame header (RFC 6455 5.2); returns its size. */
static size_t text_frame_header(unsigned char *out, size_t length)
{
    out[0] = 0x81;
    if (length < 126) {
        out[1] = (unsigned char)length;
        return 2;
    }
    if (length < 65536) {
        out[1] = 126;
        out[2] = (unsigned char)(length >> 8);
        out[3] = (unsigned char)length;
        return 4;
    }
    out[1] = 127;
    for (int i = 0; i < 8; i++)
        out[2 + i] = (unsigned char)(length >> (56 - 8 * i));
    return 10;
}

/* Whole frames, in order, copied into the server's batch buffer until the
 * next one would not fit; returns the bytes used. */
static size_t fill_batch(ws_client *c, unsigned char *batch)
{
    size_t used = 0;
    frame *f;
    while ((f = next_frame(c)) && used + MAX_FRAME_HEADER + f->length <= EDGE_BATCH_BYTES) {
        used += text_frame_header(batch + used, f->length);
        memcpy(batch + used, frame_payload(f), f->length);
        used += f->length;
        consume(c, f);
    }
    return used;
}

/* One lws_write per WRITEABLE. A client with one frame waiting gets it
 * straight from the shared frame; a client that is behind gets as many
 * whole frames as fit in one batch, written raw in one go, so catching up
 * (a replay, a burst) costs one system call per batch, not per event. */
int client_writeable(ws_client *c)
{
    server *s = c->server;
    c->writable_requested = 0;
    c->drained_ns = edge_now_ns();
    if (c->close_code && !c->close_after_drain && !c->discarding)
        return close_now(c);
    frame *f = next_frame(c);
    if (!f && stream_pending(c)) {
        s->stats.slow_client_disconnects++;
        return close_with(c, CLOSE_SLOW_CONSUMER, FELL_BEHIND);
    }
    if (!f)
        return c->close_code ? close_now(c) : 0;
    int more_waiting = c->replies.count + (stream_pending(c) ? room_head(c->channel->room) - c->cursor + 1 : 0) > 1;
    if (more_waiting && MAX_FRAME_HEADER + f->length <= EDGE_BATCH_BYTES) {
        size_t used = fill_batch(c, s->write_batch + LWS_PRE);
        if (lws_write(c->wsi, s->write_batch + LWS_PRE, used, LWS_WRITE_RAW) < (int)used)
            return -1;
    } else {
        if (write_frame(c, f) != 0)
            return -1;
        consume(c, f);
    }
    if (has_pending(c))
        client_wake(c);
    return 0;
}

/* ---- housekeeping and the end ------------------------------------------------------ */

/* Closes a client that may not be writable again: if it does not drain
 * within the grace period, lws drops the connection. */
static void close_stuck(ws_client *c, int code, const char *reason)
{
    int grace = c->server->cfg->server.slow_client_timeout_seconds;
    client_close_soon(c, code, reason, 0);
    lws_set_timeout(c->wsi, PENDING_TIMEOUT_USER_OK, grace > 0 ? grace : 1);
}

void client_check(ws_client *c, int64_t now_ns)
{
    const server_config *cfg = &c->server->cfg->server;
    if (c->close_code && !c->close_after_drain)
        return;
    if (!has_pending(c))
        c->drained_ns = now_ns;
    if (now_ns - c->connected_ns >= (int64_t)cfg->connection_timeout_seconds * NS_PER_SECOND) {
        c->server->stats.timed_out_connections++;
        close_stuck(c, CLOSE_NORMAL, "connection timeout");
    } else if (stream_pending(c) && !channel_frame(c->channel, c->cursor)) {
        c->server->stats.slow_client_disconnects++;
        close_stuck(c, CLOSE_SLOW_CONSUMER, FELL_BEHIND);
    } else if (now_ns - c->drained_ns >= (int64_t)cfg->slow_client_timeout_seconds * NS_PER_SECOND) {
        c->server->stats.slow_client_disconnects++;
        close_stuck(c, CLOSE_SLOW_CONSUMER, NOT_DRAINED);
    }
}

void client_peer_closing(ws_client *c, const void *in, size_t length)
{
    const unsigned char *bytes = in;
    if (length >= 2)
        c->peer_close_code = bytes[0] << 8 | bytes[1];
}

static void describe_end(const ws_client *c, char *out, size_t size)
{
    if (c->close_code)
        snprintf(out, size, "closed by server %d (%s)", c->close_code, c->close_reason ? c->close_reason : "");
    else if (c->peer_close_code)
        snprintf(out, size, "closed by client %d", c->peer_close_code);
    else
        snprintf(out, size, "connection lost");
}

void client_closed(ws_client *c)
{
    server *s = c->server;
    if (!s)
        return; /* never opened */
    if (c->admitted) {
        char end[200];
        describe_end(c, end, sizeof end);
        double seconds = (double)(edge_now_ns() - c->connected_ns) / NS_PER_SECOND;
        char resumed[48] = "";
        if (c->resume_reason)
            snprintf(resumed, sizeof resumed, " (not recovered: %s)", c->resume_reason);
        edge_log("ws %s: %s after %.1f s, %llu event(s) sent from sequence %llu%s; %s", c->peer, c->channel->id,
                 seconds, (unsigned long long)c->events_sent, (unsigned long long)c->first_sequence, resumed, end);
        channel_detach(c->channel, c);
        s->client_count--;
    } else {
        s->closing_count--;
    }
    frame_queue_clear(&c->replies);
    free(c->message);
    free(c->close_reason);
    memset(c, 0, sizeof *c);
}
