/*
 * server — the lws context, the protocol callback, the bus hand-over, the
 * housekeeping timer and the graceful shutdown (see server.h).
 */
#include "edge/edge.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "bus/envelope.h"

/* File descriptors wanted beyond max_total_connections: connections lws
 * still accepts so they can be told 1013, the listener, the wakeup pipe,
 * HTTP clients, and the files plugins open. */
#define FD_HEADROOM 256
/* Inbound WebSocket data is handed to us in chunks of this size. */
#define RX_CHUNK_BYTES 1024
/* Largest single send(); bigger frames are sent in pieces by lws. */
#define TX_PACKET_BYTES (1024 * 1024)
#define HOUSEKEEPING_US (500 * LWS_US_PER_MS)
#define SHUTDOWN_POLL_US (20 * LWS_US_PER_MS)
/* How long a shutdown waits for cancelled analyses to end, then for clients
 * to take what is left and close. */
#define CANCEL_WAIT_NS (10 * NS_PER_SECOND)
#define CLOSE_WAIT_NS (5 * NS_PER_SECOND)
/* Undecodable envelopes logged before going quiet (they are counted). */
#define LOGGED_BUS_REJECTS 10

void edge_log(const char *fmt, ...)
{
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    fprintf(stderr, "polisim-host: %s\n", line);
}

size_t edge_running_analyses(const server *s)
{
    return s->pipeline ? pipeline_running(s->pipeline) : 0;
}

/* ---- the bus --------------------------------------------------------------------- */

/* Producer threads: the one lws call made off the service thread. */
static void wake_service(void *ctx)
{
    server *s = ctx;
    lws_cancel_service(s->context);
}

/* Service thread, from bus_drain: one envelope into its analysis's room. */
static void on_bus_message(void *ctx, const uint8_t *message, size_t length)
{
    server *s = ctx;
    envelope ev;
    char err[160];
    s->stats.bus_messages++;
    if (envelope_decode(message, length, &ev, err, sizeof err) != 0) {
        if (++s->stats.bus_rejected <= LOGGED_BUS_REJECTS)
            edge_log("bus: envelope dropped: %s", err);
        return;
    }
    channel *ch = pipeline_valid_id(ev.analysis_id) ? channel_open(s, ev.analysis_id) : NULL;
    if (ch)
        channel_push(ch, &ev, edge_now_ns());
    else if (++s->stats.bus_rejected <= LOGGED_BUS_REJECTS)
        edge_log("bus: %s event dropped: %s", ev.event_type,
                 pipeline_valid_id(ev.analysis_id) ? "out of memory" : "invalid analysis id");
    envelope_release(&ev);
}

static void drain_bus(server *s)
{
    bus_drain(s->bus);
    channels_tick_dirty(&s->channels, edge_now_ns());
}

/* ---- timers ---------------------------------------------------------------------- */

static void check_client(ws_client *c, void *now_ns)
{
    client_check(c, *(const int64_t *)now_ns);
}

static void housekeeping(lws_sorted_usec_list_t *sul)
{
    server *s = lws_container_of(sul, server, housekeeping_timer);
    int64_t now = edge_now_ns();
    channels_for_each_client(&s->channels, check_client, &now);
    channels_collect(&s->channels, now);
    lws_sul_schedule(s->context, 0, &s->housekeeping_timer, housekeeping, HOUSEKEEPING_US);
}

static void close_going_away(ws_client *c, void *unused)
{
    (void)unused;
    client_close_soon(c, CLOSE_GOING_AWAY, "server shutting down", 1);
}

/* Waits for the cancelled analyses to end (their last events still count),
 * then flushes every room and closes each client once it has everything. */
static void shutdown_step(lws_sorted_usec_list_t *sul)
{
    server *s = lws_container_of(sul, server, shutdown_timer);
    int64_t now = edge_now_ns();
    drain_bus(s);
    if (!s->rooms_flushed) {
        if (edge_running_analyses(s) > 0 && now < s->cancel_deadline_ns) {
            lws_sul_schedule(s->context, 0, &s->shutdown_timer, shutdown_step, SHUTDOWN_POLL_US);
            return;
        }
        drain_bus(s); /* what the last analyses published as they ended */
        channels_flush(&s->channels, now);
        channels_for_each_client(&s->channels, close_going_away, NULL);
        s->rooms_flushed = 1;
        s->close_deadline_ns = now + CLOSE_WAIT_NS;
    }
    if (s->client_count + s->closing_count == 0 || now >= s->close_deadline_ns) {
        s->finished = 1;
        return;
    }
    lws_sul_schedule(s->context, 0, &s->shutdown_timer, shutdown_step, SHUTDOWN_POLL_US);
}

static void begin_shutdown(server *s)
{
    s->shutting_down = 1;
    edge_log("shutting down: %zu analysis(es) running, %zu client(s) connected", edge_running_analyses(s),
             s->client_count);
    if (s->pipeline)
        pipeline_cancel_all(s->pipeline);
    s->cancel_deadline_ns = edge_now_ns() + CANCEL_WAIT_NS;
    lws_sul_schedule(s->context, 0, &s->shutdown_timer, shutdown_step, 0);
}

/* ---- the protocol callback --------------------------------------------------------- */

static int on_lws_event(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
    server *s = lws_context_user(lws_get_context(wsi));
    edge_session *session = user;
    switch (reason) {
    case LWS_CALLBACK_EVENT_WAIT_CANCELLED:
        if (!s || s->finished)
            return 0;
        drain_bus(s);
        if (s->stop_requested && !s->shutting_down)
            begin_shutdown(s);
        return 0;
    case LWS_CALLBACK_FILTER_NETWORK_CONNECTION:
        return s->shutting_down; /* nonzero: lws drops the new connection */

    case LWS_CALLBACK_HTTP:
        return http_request(&session->http, s, wsi, in);
    case LWS_CALLBACK_HTTP_BODY:
        return http_body(&session->http, s, in, len);
    case LWS_CALLBACK_HTTP_BODY_COMPLETION:
        return http_body_complete(&session->http, s, wsi);
    case LWS_CALLBACK_HTTP_WRITEABLE:
        return http_writeable(&session->http, wsi);
    case LWS_CALLBACK_HTTP_DROP_PROTOCOL:
    case LWS_CALLBACK_CLOSED_HTTP:
        if (session)
            http_exchange_end(&session->http);
        return 0;

    case LWS_CALLBACK_ESTABLISHED:
        return client_open(&session->client, s, wsi);
    case LWS_CALLBACK_RECEIVE:
        return client_receive(&session->client, in, len);
    case LWS_CALLBACK_SERVER_WRITEABLE:
        return client_writeable(&session->client);
    case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE:
        client_peer_closing(&session->client, in, len);
        return 0;
    case LWS_CALLBACK_CLOSED:
        client_closed(&session->client);
        return 0;
    default:
        return 0;
    }
}

/* ---- lifecycle ---------------------------------------------------------------------- */

static void log_lws(int level, const char *line)
{
    (void)level;
    fprintf(stderr, "polisim-host: lws: %s", line);
}

static void configure(server *s)
{
    const server_config *c = &s->cfg->server;
    s->protocols[0] = (struct lws_protocols){
        .name = "polisim-stream",
        .callback = on_lws_event,
        .per_session_data_size = sizeof(edge_session),
        .rx_buffer_size = RX_CHUNK_BYTES,
        .tx_packet_size = TX_PACKET_BYTES,
    };
    int ping = c->ping_interval_seconds > 0 ? c->ping_interval_seconds : 1;
    if (ping > UINT16_MAX / 2)
        ping = UINT16_MAX / 2;
    s->keepalive.secs_since_valid_ping = (uint16_t)ping;
    s->keepalive.secs_since_valid_hangup = (uint16_t)(2 * ping);
    s->room_settings = (room_settings){
        .buffer_size = c->message_buffer_size > 0 ? (unsigned)c->message_buffer_size : 1,
        .buffer_ttl_seconds = c->message_buffer_ttl_seconds,
        .batch_window_ms = c->thought_batch_window_ms > 0 ? (unsigned)c->thought_batch_window_ms : 0,
        .max_events_per_second = c->max_events_per_second,
    };
}

/* "0.0.0.0" / "" / "*": every IPv4 address; "::": every address. */
static const char *listen_interface(const char *host, int *ipv6)
{
    *ipv6 = host && strchr(host, ':') != NULL;
    if (!host || !*host || strcmp(host, "*") == 0 || strcmp(host, "0.0.0.0") == 0 || strcmp(host, "::") == 0)
        return NULL;
    return host;
}

/* lws sizes its fd tables from RLIMIT_NOFILE and looks sockets up by fd in
 * O(1) (giving it an explicit fd_limit_per_thread makes that lookup a
 * linear scan), so make sure the limit covers the configured connections. */
static void ensure_fd_limit(const server_config *c)
{
    struct rlimit limit;
    rlim_t wanted = (rlim_t)c->max_total_connections + FD_HEADROOM;
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur >= wanted)
        return;
    limit.rlim_cur = limit.rlim_max == RLIM_INFINITY || limit.rlim_max >= wanted ? wanted : limit.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur < wanted)
        edge_log("warning: the open-file limit (%llu) is below max_total_connections + %d; raise ulimit -n",
                 (unsigned long long)limit.rlim_cur, FD_HEADROOM);
}

static int start_lws(server *s, char *err, size_t err_size)
{
    const server_config *c = &s->cfg->server;
    int ipv6 = 0;
    struct lws_context_creation_info info;
    memset(&info, 0, sizeof info);
    info.options = LWS_SERVER_OPTION_EXPLICIT_VHOSTS | LWS_SERVER_OPTION_VALIDATE_UTF8;
    info.user = s;
    info.server_string = "polisim-host";
    ensure_fd_limit(c);
    lws_set_log_level(LLL_ERR, log_lws);
    s->context = lws_create_context(&info);
    if (!s->context) {
        snprintf(err, err_size, "could not create the libwebsockets context");
        return -1;
    }
    info.vhost_name = "polisim";
    info.port = c->port;
    info.iface = listen_interface(c->host, &ipv6);
    if (!ipv6)
        info.options |= LWS_SERVER_OPTION_DISABLE_IPV6;
    info.protocols = s->protocols;
    info.retry_and_idle_policy = &s->keepalive;
    s->vhost = lws_create_vhost(s->context, &info);
    if (!s->vhost) {
        snprintf(err, err_size, "cannot listen on %s:%d (address in use, or not an address of this host?)",
                 c->host, c->port);
        return -1;
    }
    s->port = lws_get_vhost_listen_port(s->vhost);
    return 0;
}

server *server_new(const ps_config *cfg, pipeline *p, bus *b, result_store *results, char *err, size_t err_size)
{
    server *s = calloc(1, sizeof *s);
    if (!s || channels_init(&s->channels) != 0 || !(s->write_batch = malloc(LWS_PRE + EDGE_BATCH_BYTES))) {
        snprintf(err, err_size, "out of memory");
        server_free(s);
        return NULL;
    }
    s->cfg = cfg;
    s->pipeline = p;
    s->bus = b;
    s->results = results;
    s->started_ns = edge_now_ns();
    configure(s);
    if (start_lws(s, err, err_size) != 0) {
        server_free(s);
        return NULL;
    }
    if (bus_subscribe(b, on_bus_message, s) != 0) {
        snprintf(err, err_size, "could not subscribe to the bus");
        server_free(s);
        return NULL;
    }
    bus_set_wakeup(b, wake_service, s);
    lws_sul_schedule(s->context, 0, &s->housekeeping_timer, housekeeping, HOUSEKEEPING_US);
    edge_log("listening on http://%s:%d (WebSocket: ws://%s:%d/api/v1/ws/analysis/{analysis_id})", cfg->server.host,
             s->port, cfg->server.host, s->port);
    return s;
}

int server_run(server *s)
{
    while (!s->finished)
        if (lws_service(s->context, 0) < 0) {
            edge_log("the service loop failed");
            return -1;
        }
    edge_log("stopped: %llu connection(s) served, %llu event(s) sent, %llu stored",
             (unsigned long long)s->stats.total_connections, (unsigned long long)s->stats.total_events_sent,
             (unsigned long long)s->stats.events_stored);
    return 0;
}

void server_stop(server *s)
{
    s->stop_requested = 1;
    lws_cancel_service(s->context);
}

void server_free(server *s)
{
    if (!s)
        return;
    if (s->bus)
        bus_set_wakeup(s->bus, NULL, NULL);
    s->finished = 1; /* no bus drain while lws closes what is left */
    if (s->context) {
        lws_sul_cancel(&s->housekeeping_timer);
        lws_sul_cancel(&s->shutdown_timer);
        channels_stop_timers(&s->channels);
        lws_context_destroy(s->context);
    }
    channels_free(&s->channels);
    free(s->write_batch);
    free(s);
}
