/*
 * bench_pool — many checking stream clients in one lws context (see bench_pool.h).
 */
#include "bench_pool.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_wire.h"

/* The service loop wakes at least this often to look at its condition. */
#define TICK_US (50 * LWS_US_PER_MS)
/* What one recv() may take: many small messages at once. */
#define READ_BUFFER_BYTES (64 * 1024)
/* Sockets beyond the clients: lws's own, and some slack. */
#define FD_HEADROOM 64

/* The process-local side of a client: its connection. */
typedef struct connection {
    bench_pool *pool;
    bench_client *client;
    struct lws *wsi;
    char *partial;                 /* a message that arrived in pieces */
    size_t partial_length, partial_capacity;
} connection;

struct bench_pool {
    const bench_plan *plan;
    struct lws_context *context;
    bench_client *clients;
    connection *connections;
    size_t count;
    size_t finished;
    int64_t *latencies_ns;
    size_t latency_count, latency_capacity;
    int closing;                   /* pool_free: what happens now is not the stream's doing */
    lws_sorted_usec_list_t tick;
};

int64_t bench_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

void clients_init(bench_client *clients, size_t count, size_t clients_per_analysis)
{
    for (size_t i = 0; i < count; i++) {
        clients[i] = (bench_client){.analysis = i / clients_per_analysis, .first_sequence = 1, .next_sequence = 1};
    }
}

/* ---- one client's checks ----------------------------------------------------------- */

static void fail(bench_client *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fail(bench_client *c, const char *fmt, ...)
{
    if (c->failure[0])
        return; /* the first failure says most */
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->failure, sizeof c->failure, fmt, ap);
    va_end(ap);
}

static void finish(connection *conn)
{
    if (!conn->client->finished) {
        conn->client->finished = 1;
        conn->pool->finished++;
    }
}

static void on_resume_notice(bench_client *c, const wire_message *m)
{
    if (c->events > 0) {
        fail(c, "resume notice after %llu event(s)", (unsigned long long)c->events);
        return;
    }
    if (m->resumed_from == 0) {
        fail(c, "resume notice without resumed_from");
        return;
    }
    c->first_sequence = c->next_sequence = m->resumed_from;
}

static void check_sequence(bench_client *c, uint64_t sequence)
{
    if (sequence != c->next_sequence)
        fail(c, "%s: expected sequence %llu, got %llu", sequence < c->next_sequence ? "duplicate" : "gap",
             (unsigned long long)c->next_sequence, (unsigned long long)sequence);
    if (sequence >= c->next_sequence)
        c->next_sequence = sequence + 1;
    c->events++;
}

static void check_item(connection *conn, const wire_message *m, int64_t now_ns)
{
    bench_pool *p = conn->pool;
    bench_client *c = conn->client;
    int any_start = c->last_item == 0 && !p->plan->items_start_at_one;
    if (!any_start && m->item != c->last_item + 1)
        fail(c, "load item %llu after item %llu", (unsigned long long)m->item, (unsigned long long)c->last_item);
    c->last_item = m->item;
    c->items++;
    if (p->latency_count < p->latency_capacity)
        p->latencies_ns[p->latency_count++] = now_ns - m->stamp_ns;
}

static void on_message(connection *conn, const char *text, size_t length, int64_t now_ns)
{
    bench_client *c = conn->client;
    wire_message m;
    c->joined = 1;
    if (wire_read(text, length, &m) != 0) {
        fail(c, "unreadable message: %.*s", (int)(length < 120 ? length : 120), text);
        return;
    }
    if (strcmp(m.type, "resume") == 0) {
        on_resume_notice(c, &m);
        return;
    }
    if (strcmp(m.type, "error") == 0)
        fail(c, "the server sent an error: %.*s", (int)(length < 120 ? length : 120), text);
    if (!m.numbered)
        return; /* outside the stream: the current progress, a pong */
    check_sequence(c, m.sequence);
    if (m.load_item)
        check_item(conn, &m, now_ns);
    if (strcmp(m.event_type, "analysis_complete") == 0) {
        c->complete = 1;
        c->complete_ns = now_ns;
        finish(conn);
    }
}

static int append_partial(connection *conn, const void *in, size_t length)
{
    if (conn->partial_length + length > conn->partial_capacity) {
        size_t capacity = (conn->partial_length + length) * 2;
        char *grown = realloc(conn->partial, capacity);
        if (!grown)
            return -1;
        conn->partial = grown;
        conn->partial_capacity = capacity;
    }
    memcpy(conn->partial + conn->partial_length, in, length);
    conn->partial_length += length;
    return 0;
}

/* A piece of a message; the whole message is read once its last piece is in. */
static int on_receive(connection *conn, struct lws *wsi, const char *in, size_t length)
{
    int64_t now = bench_now_ns();
    if (conn->partial_length == 0 && lws_is_final_fragment(wsi)) {
        on_message(conn, in, length, now);
    } else {
        if (append_partial(conn, in, length) != 0) {
            fail(conn->client, "out of memory for a message");
            return -1;
        }
        if (!lws_is_final_fragment(wsi))
            return 0;
        on_message(conn, conn->partial, conn->partial_length, now);
        conn->partial_length = 0;
    }
    if (conn->client->complete)
        lws_callback_on_writable(wsi); /* to close it, with a close frame */
    return 0;
}

/* ---- the lws callback ----------------------------------------------------------------- */

static int on_lws_event(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
    (void)user;
    connection *conn = wsi ? lws_get_opaque_user_data(wsi) : NULL;
    if (!conn || conn->pool->closing)
        return 0;
    bench_client *c = conn->client;
    switch (reason) {
    case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
        fail(c, "cannot connect: %s", in ? (const char *)in : "unknown error");
        conn->wsi = NULL;
        finish(conn);
        return 0;
    case LWS_CALLBACK_CLIENT_RECEIVE:
        return on_receive(conn, wsi, in, len);
    case LWS_CALLBACK_CLIENT_WRITEABLE:
        if (!c->complete)
            return 0;
        lws_close_reason(wsi, LWS_CLOSE_STATUS_NORMAL, (unsigned char *)"done", 4);
        return -1;
    case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE:
        if (len >= 2)
            c->peer_close_code = ((const unsigned char *)in)[0] << 8 | ((const unsigned char *)in)[1];
        return 0;
    case LWS_CALLBACK_CLIENT_CLOSED:
        conn->wsi = NULL;
        if (!c->complete)
            fail(c, "connection closed (server close code %d) before analysis_complete", c->peer_close_code);
        finish(conn);
        return 0;
    default:
        return 0;
    }
}

static const struct lws_protocols protocols[] = {
    {"polisim-bench", on_lws_event, 0, 0, 0, NULL, 0},
    {NULL, NULL, 0, 0, 0, NULL, 0},
};

/* ---- the pool --------------------------------------------------------------------------- */

static void on_tick(lws_sorted_usec_list_t *sul)
{
    bench_pool *p = lws_container_of(sul, bench_pool, tick);
    lws_sul_schedule(p->context, 0, &p->tick, on_tick, TICK_US);
}

bench_pool *pool_new(const bench_plan *plan, bench_client *clients, size_t count, int64_t *latencies_ns,
                     size_t latency_capacity, char *err, size_t err_size)
{
    bench_pool *p = calloc(1, sizeof *p);
    if (!p || !(p->connections = calloc(count ? count : 1, sizeof *p->connections))) {
        snprintf(err, err_size, "out of memory for %zu clients", count);
        free(p);
        return NULL;
    }
    p->plan = plan;
    p->clients = clients;
    p->count = count;
    p->latencies_ns = latencies_ns;
    p->latency_capacity = latency_capacity;
    for (size_t i = 0; i < count; i++)
        p->connections[i] = (connection){.pool = p, .client = &clients[i]};
    struct lws_context_creation_info info;
    memset(&info, 0, sizeof info);
    info.port = CONTEXT_PORT_NO_LISTEN;
    info.protocols = protocols;
    info.fd_limit_per_thread = (unsigned)(count + FD_HEADROOM);
    info.pt_serv_buf_size = READ_BUFFER_BYTES;
    lws_set_log_level(LLL_ERR, NULL);
    p->context = lws_create_context(&info);
    if (!p->context) {
        snprintf(err, err_size, "could not create the libwebsockets context");
        pool_free(p);
        return NULL;
    }
    lws_sul_schedule(p->context, 0, &p->tick, on_tick, TICK_US);
    return p;
}

void pool_free(bench_pool *p)
{
    if (!p)
        return;
    p->closing = 1;
    if (p->context) {
        lws_sul_cancel(&p->tick);
        lws_context_destroy(p->context); /* closes what is open: the connections must still exist */
    }
    for (size_t i = 0; i < p->count; i++)
        free(p->connections[i].partial);
    free(p->connections);
    free(p);
}

int pool_connect(bench_pool *p, char *err, size_t err_size)
{
    for (size_t i = 0; i < p->count; i++) {
        connection *conn = &p->connections[i];
        char path[160];
        snprintf(path, sizeof path, "/api/v1/ws/analysis/%s?last_sequence=0",
                 p->plan->analysis_ids[conn->client->analysis]);
        struct lws_client_connect_info info;
        memset(&info, 0, sizeof info);
        info.context = p->context;
        info.address = "127.0.0.1";
        info.port = p->plan->port;
        info.path = path;
        info.host = info.address;
        info.origin = info.address;
        info.local_protocol_name = protocols[0].name;
        info.opaque_user_data = conn;
        info.pwsi = &conn->wsi;
        if (!lws_client_connect_via_info(&info) && !conn->client->finished) {
            snprintf(err, err_size, "libwebsockets refused to open connection %zu", i + 1);
            return -1;
        }
    }
    return 0;
}

int pool_all_joined(const bench_pool *p, void *unused)
{
    (void)unused;
    for (size_t i = 0; i < p->count; i++)
        if (!p->clients[i].joined && !p->clients[i].finished)
            return 0;
    return 1;
}

int pool_all_finished(const bench_pool *p, void *unused)
{
    (void)unused;
    return p->finished >= p->count;
}

int pool_run(bench_pool *p, pool_condition condition, void *arg, int64_t deadline_ns)
{
    while (!condition(p, arg)) {
        if (bench_now_ns() >= deadline_ns || lws_service(p->context, 0) < 0)
            return 0;
    }
    return 1;
}

size_t pool_latency_count(const bench_pool *p)
{
    return p->latency_count;
}
