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

int64_t bench_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
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

static void finish(bench_client *c)
{
    if (!c->finished) {
        c->finished = 1;
        c->pool->finished++;
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

static void check_item(bench_client *c, const wire_message *m, int64_t now_ns)
{
    bench_pool *p = c->pool;
    int any_start = c->last_item == 0 && !p->items_start_at_one;
    if (!any_start && m->item != c->last_item + 1)
        fail(c, "load item %llu after item %llu", (unsigned long long)m->item, (unsigned long long)c->last_item);
    c->last_item = m->item;
    c->items++;
    if (p->latency_count < p->latency_capacity)
        p->latencies_ns[p->latency_count++] = now_ns - m->stamp_ns;
}

static void on_message(bench_client *c, const char *text, size_t length, int64_t now_ns)
{
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
        check_item(c, &m, now_ns);
    if (strcmp(m.event_type, "analysis_complete") == 0) {
        c->complete = 1;
        c->complete_ns = now_ns;
        if (now_ns > c->pool->last_complete_ns)
            c->pool->last_complete_ns = now_ns;
        finish(c);
    }
}

static int append_partial(bench_client *c, const void *in, size_t length)
{
    if (c->partial_length + length > c->partial_capacity) {
        size_t capacity = (c->partial_length + length) * 2;
        char *grown = realloc(c->partial, capacity);
        if (!grown)
            return -1;
        c->partial = grown;
        c->partial_capacity = capacity;
    }
    memcpy(c->partial + c->partial_length, in, length);
    c->partial_length += length;
    return 0;
}

/* A piece of a message; the whole message is read once its last piece is in. */
static int on_receive(bench_client *c, struct lws *wsi, const char *in, size_t length)
{
    int64_t now = bench_now_ns();
    if (c->partial_length == 0 && lws_is_final_fragment(wsi)) {
        on_message(c, in, length, now);
    } else {
        if (append_partial(c, in, length) != 0) {
            fail(c, "out of memory for a message");
            return -1;
        }
        if (!lws_is_final_fragment(wsi))
            return 0;
        on_message(c, c->partial, c->partial_length, now);
        c->partial_length = 0;
    }
    if (!c->complete)
        return 0;
    lws_close_reason(wsi, LWS_CLOSE_STATUS_NORMAL, (unsigned char *)"done", 4);
    return -1;
}

/* ---- the lws callback ----------------------------------------------------------------- */

static int on_lws_event(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
    (void)user;
    bench_client *c = wsi ? lws_get_opaque_user_data(wsi) : NULL;
    if (!c)
        return 0;
    switch (reason) {
    case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
        fail(c, "cannot connect: %s", in ? (const char *)in : "unknown error");
        c->wsi = NULL;
        finish(c);
        return 0;
    case LWS_CALLBACK_CLIENT_RECEIVE:
        return on_receive(c, wsi, in, len);
    case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE:
        if (len >= 2)
            c->peer_close_code = ((const unsigned char *)in)[0] << 8 | ((const unsigned char *)in)[1];
        return 0;
    case LWS_CALLBACK_CLIENT_CLOSED:
        c->wsi = NULL;
        if (!c->complete)
            fail(c, "connection closed (server close code %d) before analysis_complete", c->peer_close_code);
        finish(c);
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

static int allocate(bench_pool *p, const char *prefix, size_t latency_capacity)
{
    p->clients = calloc(p->client_count, sizeof *p->clients);
    p->analysis_ids = calloc(p->analysis_count, sizeof *p->analysis_ids);
    p->latency_capacity = latency_capacity;
    p->latencies_ns = latency_capacity ? malloc(latency_capacity * sizeof *p->latencies_ns) : NULL;
    if (!p->clients || !p->analysis_ids || (latency_capacity && !p->latencies_ns))
        return -1;
    for (size_t k = 0; k < p->analysis_count; k++)
        snprintf(p->analysis_ids[k], BENCH_ID_SIZE, "%s-%zu", prefix, k + 1);
    for (size_t i = 0; i < p->client_count; i++) {
        bench_client *c = &p->clients[i];
        c->pool = p;
        c->analysis = i / p->clients_per_analysis;
        c->first_sequence = c->next_sequence = 1;
    }
    return 0;
}

bench_pool *pool_new(int port, const char *prefix, size_t analysis_count, size_t clients_per_analysis,
                     size_t latency_capacity, char *err, size_t err_size)
{
    bench_pool *p = calloc(1, sizeof *p);
    if (!p) {
        snprintf(err, err_size, "out of memory");
        return NULL;
    }
    p->port = port;
    p->analysis_count = analysis_count;
    p->clients_per_analysis = clients_per_analysis;
    p->client_count = analysis_count * clients_per_analysis;
    p->items_start_at_one = 1;
    if (allocate(p, prefix, latency_capacity) != 0) {
        snprintf(err, err_size, "out of memory for %zu clients", p->client_count);
        pool_free(p);
        return NULL;
    }
    struct lws_context_creation_info info;
    memset(&info, 0, sizeof info);
    info.port = CONTEXT_PORT_NO_LISTEN;
    info.protocols = protocols;
    info.fd_limit_per_thread = (unsigned)(p->client_count + FD_HEADROOM);
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
    if (p->context) {
        lws_sul_cancel(&p->tick);
        lws_context_destroy(p->context); /* closes what is open: the clients must still exist */
    }
    for (size_t i = 0; p->clients && i < p->client_count; i++)
        free(p->clients[i].partial);
    free(p->clients);
    free(p->analysis_ids);
    free(p->latencies_ns);
    free(p);
}

int pool_connect(bench_pool *p, char *err, size_t err_size)
{
    for (size_t i = 0; i < p->client_count; i++) {
        bench_client *c = &p->clients[i];
        char path[160];
        snprintf(path, sizeof path, "/api/v1/ws/analysis/%s?last_sequence=0", p->analysis_ids[c->analysis]);
        struct lws_client_connect_info info;
        memset(&info, 0, sizeof info);
        info.context = p->context;
        info.address = "127.0.0.1";
        info.port = p->port;
        info.path = path;
        info.host = info.address;
        info.origin = info.address;
        info.local_protocol_name = protocols[0].name;
        info.opaque_user_data = c;
        info.pwsi = &c->wsi;
        if (!lws_client_connect_via_info(&info) && !c->finished) {
            snprintf(err, err_size, "libwebsockets refused to open connection %zu", i + 1);
            return -1;
        }
    }
    return 0;
}

int pool_all_joined(const bench_pool *p)
{
    for (size_t i = 0; i < p->client_count; i++)
        if (!p->clients[i].joined && !p->clients[i].finished)
            return 0;
    return 1;
}

int pool_all_finished(const bench_pool *p)
{
    return p->finished >= p->client_count;
}

int pool_run(bench_pool *p, pool_condition condition, int64_t deadline_ns)
{
    while (!condition(p)) {
        if (bench_now_ns() >= deadline_ns || lws_service(p->context, 0) < 0)
            return 0;
    }
    return 1;
}

size_t pool_failed(const bench_pool *p, int require_complete)
{
    size_t failed = 0;
    for (size_t i = 0; i < p->client_count; i++) {
        const bench_client *c = &p->clients[i];
        failed += c->failure[0] || (require_complete ? !c->complete : c->finished);
    }
    return failed;
}
