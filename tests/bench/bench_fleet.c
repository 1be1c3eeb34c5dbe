/*
 * bench_fleet — the benchmark's WebSocket clients (see bench_fleet.h).
 */
#include "bench_fleet.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int64_t fleet_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* The unsigned number after `key` in text, or -1 if absent. */
static int64_t number_after(const char *text, size_t length, const char *key)
{
    const char *at = memmem(text, length, key, strlen(key));
    if (!at)
        return -1;
    at += strlen(key);
    int64_t v = 0;
    int digits = 0;
    for (; at < text + length && *at >= '0' && *at <= '9'; at++, digits++)
        v = v * 10 + (*at - '0');
    return digits ? v : -1;
}

static void add_latency(fleet *f, int64_t ns)
{
    if (f->latency_count == f->latency_capacity) {
        size_t capacity = f->latency_capacity ? f->latency_capacity * 2 : 65536;
        int64_t *grown = realloc(f->latencies_ns, capacity * sizeof *grown);
        if (!grown)
            return;
        f->latencies_ns = grown;
        f->latency_capacity = capacity;
    }
    f->latencies_ns[f->latency_count++] = ns;
}

/* A resume notice moves the expected sequence to where the stream resumes. */
static void on_message(fleet_client *c, const char *text, size_t length)
{
    fleet *f = c->owner;
    int64_t now = fleet_now_ns();
    if (length > 16 && memcmp(text, "{\"type\":\"resume\"", 16) == 0) {
        c->expected = (uint64_t)number_after(text, length, "\"resumed_from\":");
        return;
    }
    /* the sequence is the wire event's last member: ..."sequence":N} */
    const char *tail = length > 40 ? text + length - 40 : text;
    int64_t sequence = number_after(tail, (size_t)(text + length - tail), "\"sequence\":");
    if (sequence < 0)
        return; /* outside the stream (progress, pong) */
    if (c->expected && (uint64_t)sequence < c->expected)
        f->duplicates++;
    else if (c->expected && (uint64_t)sequence > c->expected)
        f->gaps++;
    c->expected = (uint64_t)sequence + 1;
    c->events++;
    f->deliveries++;
    if (!f->first_delivery_ns)
        f->first_delivery_ns = now;
    f->last_delivery_ns = now;
    int64_t stamp = number_after(text, length, "\"mono_ns\":");
    if (stamp > 0)
        add_latency(f, now - stamp);
    if (!c->done && memmem(text, length < 120 ? length : 120, "\"analysis_complete\"", 19)) {
        c->done = 1;
        c->done_ns = now;
        f->done++;
    }
}

static int append(fleet_client *c, const void *in, size_t length)
{
    if (c->message_length + length > c->message_capacity) {
        size_t capacity = (c->message_length + length) * 2;
        char *grown = realloc(c->message, capacity);
        if (!grown)
            return -1;
        c->message = grown;
        c->message_capacity = capacity;
    }
    memcpy(c->message + c->message_length, in, length);
    c->message_length += length;
    return 0;
}

static int on_lws_event(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
    fleet_client *c = user;
    switch (reason) {
    case LWS_CALLBACK_CLIENT_ESTABLISHED:
        c->connected = 1;
        c->owner->connected++;
        return 0;
    case LWS_CALLBACK_CLIENT_RECEIVE:
        if (lws_is_first_fragment(wsi) && lws_is_final_fragment(wsi)) {
            on_message(c, in, len);
            return 0;
        }
        if (append(c, in, len) != 0)
            return -1;
        if (lws_is_final_fragment(wsi)) {
            on_message(c, c->message, c->message_length);
            c->message_length = 0;
        }
        return 0;
    case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
    case LWS_CALLBACK_CLIENT_CLOSED:
        if (c && !c->done && !c->failed) {
            c->failed = 1;
            c->owner->failed++;
        }
        if (c)
            c->wsi = NULL;
        return 0;
    default:
        return 0;
    }
}

static const struct lws_protocols PROTOCOLS[] = {{"polisim-bench", on_lws_event, 0, 65536, 0, NULL, 0},
                                                 {NULL, NULL, 0, 0, 0, NULL, 0}};

int fleet_init(fleet *f, int port, size_t count)
{
    memset(f, 0, sizeof *f);
    f->port = port;
    f->count = count;
    f->clients = calloc(count, sizeof *f->clients);
    struct lws_context_creation_info info;
    memset(&info, 0, sizeof info);
    info.port = CONTEXT_PORT_NO_LISTEN;
    info.protocols = PROTOCOLS;
    info.fd_limit_per_thread = (unsigned)count + 64;
    lws_set_log_level(LLL_ERR, NULL);
    f->context = f->clients ? lws_create_context(&info) : NULL;
    return f->context ? 0 : -1;
}

void fleet_free(fleet *f)
{
    if (f->context)
        lws_context_destroy(f->context);
    for (size_t i = 0; i < f->count; i++)
        free(f->clients[i].message);
    free(f->clients);
    free(f->latencies_ns);
    memset(f, 0, sizeof *f);
}

int fleet_connect(fleet *f, size_t i, const char *path)
{
    fleet_client *c = &f->clients[i];
    c->owner = f;
    snprintf(c->path, sizeof c->path, "%s", path);
    struct lws_client_connect_info info;
    memset(&info, 0, sizeof info);
    info.context = f->context;
    info.address = "127.0.0.1";
    info.port = f->port;
    info.path = c->path;
    info.host = info.address;
    info.origin = info.address;
    info.local_protocol_name = "polisim-bench";
    info.userdata = c;
    info.pwsi = &c->wsi;
    f->started++;
    if (lws_client_connect_via_info(&info))
        return 0;
    c->failed = 1;
    f->failed++;
    return -1;
}

/* Wakes the service loop now and then, so a deadline is noticed. */
static void tick(lws_sorted_usec_list_t *sul)
{
    fleet *f = lws_container_of(sul, fleet, ticker);
    lws_sul_schedule(f->context, 0, &f->ticker, tick, 100 * LWS_US_PER_MS);
}

int fleet_run(fleet *f, int (*until)(const fleet *f), double timeout_s)
{
    int64_t deadline = fleet_now_ns() + (int64_t)(timeout_s * 1e9);
    int rc = 0;
    lws_sul_schedule(f->context, 0, &f->ticker, tick, 100 * LWS_US_PER_MS);
    while (!until(f) && rc == 0)
        if (fleet_now_ns() > deadline || lws_service(f->context, 0) < 0)
            rc = -1;
    lws_sul_cancel(&f->ticker);
    return rc;
}

int fleet_all_connected(const fleet *f)
{
    return f->connected + f->failed >= f->started;
}

int fleet_all_done(const fleet *f)
{
    return f->done + f->failed >= f->started;
}

static int compare(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

double fleet_latency_ms(fleet *f, double p)
{
    if (!f->latency_count)
        return 0;
    qsort(f->latencies_ns, f->latency_count, sizeof *f->latencies_ns, compare);
    size_t i = (size_t)(p * (double)(f->latency_count - 1));
    return (double)f->latencies_ns[i] / 1e6;
}
