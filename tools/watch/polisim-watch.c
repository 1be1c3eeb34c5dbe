/*
 * polisim-watch — the reference stream consumer: a libwebsockets client
 * that prints an analysis's events readably, one line each.
 *
 *   polisim-watch [--from N] [--quiet] [--json] [--until-complete]
 *                 [--retries N] ws://HOST:PORT/api/v1/ws/analysis/{id}
 *
 * It keeps the highest sequence it has seen and, when the connection drops
 * (or the server closes it: slow consumer, shutdown, limits), reconnects by
 * itself with ?last_sequence=N after a backoff (0.25 s doubling to 4 s;
 * --retries consecutive failures and it gives up). Resume notices are
 * reported on stderr, and so is any gap or duplicate it sees (it checks the
 * sequence of every event), with a summary at the end.
 *
 * Exit status: 0 done (analysis_complete with --until-complete, or
 * interrupted), 1 gave up reconnecting, 2 usage or refused by the server
 * (1008), 3 the stream had a gap or a duplicate.
 */
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>
#include <libwebsockets.h>

#include "watch_format.h"

#define DEFAULT_RETRIES 10

static const uint32_t BACKOFF_MS[] = {250, 500, 1000, 2000, 4000};

typedef struct watch {
    struct lws_context *context;
    char url[1024];                /* parsed in place by lws_parse_uri */
    const char *address;
    const char *base_path;         /* without the leading '/' and the query */
    int port;
    int tls;
    int quiet, json, until_complete, max_retries;

    uint64_t last_sequence;        /* highest sequence received (resume position) */
    uint64_t expected;             /* next sequence the stream owes us */
    uint64_t events, gaps, duplicates, reconnects;
    int failures;                  /* consecutive attempts without an event */
    int connected;
    struct lws *wsi;               /* the open connection, if any */
    int leaving;                   /* closing it politely (1000), then done */
    int peer_close_code;
    int done, exit_code;

    char *message;                 /* inbound message being assembled */
    size_t message_length, message_capacity;
    lws_sorted_usec_list_t reconnect_timer;
} watch;

static watch the_watch;
static volatile sig_atomic_t interrupted;

static void note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void note(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("polisim-watch: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

/* ---- connecting --------------------------------------------------------------------- */

static void connect_now(lws_sorted_usec_list_t *sul);

static void finish(watch *w, int exit_code)
{
    w->done = 1;
    w->exit_code = exit_code;
    lws_cancel_service(w->context);
}

/* Closes the connection with 1000 at its next WRITEABLE, then finishes. */
static void leave(watch *w)
{
    if (!w->wsi) {
        finish(w, 0);
        return;
    }
    w->leaving = 1;
    lws_callback_on_writable(w->wsi);
}

static void schedule_reconnect(watch *w)
{
    if (w->done)
        return;
    if (w->failures >= w->max_retries) {
        note("giving up after %d failed attempt(s)", w->failures);
        finish(w, 1);
        return;
    }
    size_t step = (size_t)w->failures < sizeof BACKOFF_MS / sizeof BACKOFF_MS[0]
                      ? (size_t)w->failures
                      : sizeof BACKOFF_MS / sizeof BACKOFF_MS[0] - 1;
    w->failures++;
    lws_sul_schedule(w->context, 0, &w->reconnect_timer, connect_now, BACKOFF_MS[step] * LWS_US_PER_MS);
}

static void connect_now(lws_sorted_usec_list_t *sul)
{
    watch *w = lws_container_of(sul, watch, reconnect_timer);
    char path[1200];
    snprintf(path, sizeof path, "/%s?last_sequence=%" PRIu64, w->base_path, w->last_sequence);
    struct lws_client_connect_info info;
    memset(&info, 0, sizeof info);
    info.context = w->context;
    info.address = w->address;
    info.port = w->port;
    info.path = path;
    info.host = w->address;
    info.origin = w->address;
    info.ssl_connection = w->tls ? LCCSCF_USE_SSL : 0;
    info.local_protocol_name = "polisim-watch";
    w->peer_close_code = 0;
    if (!lws_client_connect_via_info(&info))
        schedule_reconnect(w);
}

/* ---- receiving ---------------------------------------------------------------------- */

static void on_resume_notice(watch *w, const cJSON *notice)
{
    char text[400];
    watch_format_resume(notice, text, sizeof text);
    note("%s", text);
    const cJSON *from = cJSON_GetObjectItemCaseSensitive(notice, "resumed_from");
    if (cJSON_IsNumber(from) && from->valuedouble >= 1) {
        w->expected = (uint64_t)from->valuedouble;
        w->last_sequence = w->expected - 1;
    }
}

/* Checks the event's place in the stream; 0 if it is the next one. */
static int check_sequence(watch *w, uint64_t sequence)
{
    if (sequence < w->expected) {
        w->duplicates++;
        note("duplicate: got sequence %" PRIu64 " again (expected %" PRIu64 ")", sequence, w->expected);
        return -1;
    }
    if (sequence > w->expected) {
        w->gaps++;
        note("gap: expected sequence %" PRIu64 ", got %" PRIu64, w->expected, sequence);
    }
    w->expected = sequence + 1;
    w->last_sequence = sequence;
    w->events++;
    w->failures = 0;
    return 0;
}

/* Returns 1 when the watch is done (analysis_complete with --until-complete). */
static int on_message(watch *w, const char *text, size_t length)
{
    cJSON *message = cJSON_ParseWithLength(text, length);
    if (!cJSON_IsObject(message)) {
        note("ignoring a message that is not a JSON object");
        cJSON_Delete(message);
        return 0;
    }
    const cJSON *type = cJSON_GetObjectItemCaseSensitive(message, "type");
    const cJSON *sequence = cJSON_GetObjectItemCaseSensitive(message, "sequence");
    const cJSON *event_type = cJSON_GetObjectItemCaseSensitive(message, "event_type");
    int in_stream = cJSON_IsNumber(sequence);
    int complete = 0;
    if (cJSON_IsString(type) && strcmp(type->valuestring, "resume") == 0)
        on_resume_notice(w, message);
    else if (cJSON_IsString(type))
        note("server says %.*s", (int)length, text);
    if (in_stream && check_sequence(w, (uint64_t)sequence->valuedouble) != 0) {
        cJSON_Delete(message);
        return 0;
    }
    if (w->json) {
        printf("%.*s\n", (int)length, text);
    } else if (!w->quiet && cJSON_IsString(event_type)) {
        char line[600];
        watch_format_event(message, line, sizeof line);
        puts(line);
    }
    complete = in_stream && cJSON_IsString(event_type) && strcmp(event_type->valuestring, "analysis_complete") == 0;
    cJSON_Delete(message);
    return complete && w->until_complete;
}

static int append(watch *w, const void *in, size_t length)
{
    if (w->message_length + length + 1 > w->message_capacity) {
        size_t capacity = (w->message_length + length + 1) * 2;
        char *grown = realloc(w->message, capacity);
        if (!grown)
            return -1;
        w->message = grown;
        w->message_capacity = capacity;
    }
    memcpy(w->message + w->message_length, in, length);
    w->message_length += length;
    return 0;
}

/* ---- the lws callback ----------------------------------------------------------------- */

static void describe_close(watch *w)
{
    if (w->peer_close_code)
        note("disconnected by the server (%d); reconnecting from last_sequence=%" PRIu64, w->peer_close_code,
             w->last_sequence);
    else
        note("connection lost; reconnecting from last_sequence=%" PRIu64, w->last_sequence);
}

static int on_lws_event(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
    (void)user;
    watch *w = &the_watch;
    switch (reason) {
    case LWS_CALLBACK_EVENT_WAIT_CANCELLED:
        if (interrupted && !w->done && !w->leaving)
            leave(w);
        return 0;
    case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
        note("cannot connect to %s:%d: %s", w->address, w->port, in ? (const char *)in : "unknown error");
        schedule_reconnect(w);
        return 0;
    case LWS_CALLBACK_CLIENT_ESTABLISHED:
        w->wsi = wsi;
        if (w->connected++)
            w->reconnects++;
        if (!w->quiet)
            note("connected to %s:%d/%s (last_sequence=%" PRIu64 ")", w->address, w->port, w->base_path,
                 w->last_sequence);
        return 0;
    case LWS_CALLBACK_CLIENT_RECEIVE:
        if (w->leaving)
            return 0;
        if (append(w, in, len) != 0)
            return -1;
        if (!lws_is_final_fragment(wsi))
            return 0;
        if (on_message(w, w->message, w->message_length))
            leave(w);
        w->message_length = 0;
        return 0;
    case LWS_CALLBACK_CLIENT_WRITEABLE:
        if (!w->leaving)
            return 0;
        lws_close_reason(wsi, LWS_CLOSE_STATUS_NORMAL, (unsigned char *)"done", 4);
        return -1;
    case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE:
        if (len >= 2)
            w->peer_close_code = ((const unsigned char *)in)[0] << 8 | ((const unsigned char *)in)[1];
        return 0;
    case LWS_CALLBACK_CLIENT_CLOSED:
        w->message_length = 0;
        w->wsi = NULL;
        if (w->leaving)
            finish(w, 0);
        if (w->done)
            return 0;
        if (w->peer_close_code == LWS_CLOSE_STATUS_POLICY_VIOLATION) {
            note("refused by the server (1008): check the URL and the analysis id");
            finish(w, 2);
            return 0;
        }
        describe_close(w);
        schedule_reconnect(w);
        return 0;
    default:
        return 0;
    }
}

/* ---- main ------------------------------------------------------------------------------ */

static void on_signal(int sig)
{
    (void)sig;
    interrupted = 1;
    if (the_watch.context)
        lws_cancel_service(the_watch.context);
}

static void usage(FILE *out)
{
    fprintf(out, "usage: polisim-watch [--from N] [--quiet] [--json] [--until-complete] [--retries N] URL\n"
                 "  URL               ws://HOST:PORT/api/v1/ws/analysis/{analysis_id}\n"
                 "  --from N          start after sequence N (last_sequence=N; default 0: everything buffered)\n"
                 "  --quiet           no event lines, only notices and the summary\n"
                 "  --json            print every message as received, one JSON object per line\n"
                 "  --until-complete  exit 0 after analysis_complete\n"
                 "  --retries N       give up after N failed reconnects in a row (default %d)\n",
            DEFAULT_RETRIES);
}

static int parse_number(const char *text, long long max, long long *out)
{
    char *end = NULL;
    long long v = strtoll(text, &end, 10);
    if (end == text || *end || v < 0 || v > max)
        return -1;
    *out = v;
    return 0;
}

/* Splits the URL; a ?last_sequence=N in it is the starting point unless --from says otherwise. */
static int parse_url(watch *w, const char *url, int from_given)
{
    const char *protocol = NULL, *path = NULL;
    snprintf(w->url, sizeof w->url, "%s", url);
    if (strlen(url) >= sizeof w->url || lws_parse_uri(w->url, &protocol, &w->address, &w->port, &path) != 0 ||
        (strcmp(protocol, "ws") != 0 && strcmp(protocol, "wss") != 0) || !*w->address)
        return -1;
    w->tls = strcmp(protocol, "wss") == 0;
    char *query = strchr(path, '?');
    if (query) {
        *query++ = '\0';
        const char *arg = strstr(query, "last_sequence=");
        long long n = 0;
        if (arg && !from_given) {
            char value[32];
            snprintf(value, sizeof value, "%.*s", (int)strcspn(arg + 14, "&"), arg + 14);
            if (parse_number(value, INT64_MAX, &n) != 0)
                return -1;
            w->last_sequence = (uint64_t)n;
        }
    }
    w->base_path = path;
    return 0;
}

int main(int argc, char **argv)
{
    static const struct option options[] = {
        {"from", required_argument, NULL, 'f'},  {"quiet", no_argument, NULL, 'q'},
        {"json", no_argument, NULL, 'j'},        {"until-complete", no_argument, NULL, 'u'},
        {"retries", required_argument, NULL, 'r'}, {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    watch *w = &the_watch;
    w->max_retries = DEFAULT_RETRIES;
    int opt, from_given = 0;
    long long n;
    while ((opt = getopt_long(argc, argv, "f:qjur:h", options, NULL)) != -1) {
        switch (opt) {
        case 'f':
            if (parse_number(optarg, INT64_MAX, &n) != 0) {
                usage(stderr);
                return 2;
            }
            w->last_sequence = (uint64_t)n;
            from_given = 1;
            break;
        case 'q': w->quiet = 1; break;
        case 'j': w->json = 1; break;
        case 'u': w->until_complete = 1; break;
        case 'r':
            if (parse_number(optarg, 1000000, &n) != 0) {
                usage(stderr);
                return 2;
            }
            w->max_retries = (int)n;
            break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (optind != argc - 1 || parse_url(w, argv[optind], from_given) != 0) {
        if (optind == argc - 1)
            note("not a ws:// or wss:// URL: %s", argv[optind]);
        usage(stderr);
        return 2;
    }
    w->expected = w->last_sequence + 1;
    setvbuf(stdout, NULL, _IOLBF, 0);

    static const struct lws_protocols protocols[] = {{"polisim-watch", on_lws_event, 0, 0, 0, NULL, 0},
                                                     {NULL, NULL, 0, 0, 0, NULL, 0}};
    struct lws_context_creation_info info;
    memset(&info, 0, sizeof info);
    info.port = CONTEXT_PORT_NO_LISTEN;
    info.protocols = protocols;
    if (w->tls)
        info.options = LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
    lws_set_log_level(LLL_ERR, NULL);
    w->context = lws_create_context(&info);
    if (!w->context) {
        note("could not create the libwebsockets context");
        return 1;
    }
    struct sigaction sa = {.sa_handler = on_signal};
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);

    lws_sul_schedule(w->context, 0, &w->reconnect_timer, connect_now, 1);
    while (!w->done && lws_service(w->context, 0) >= 0)
        ;
    lws_sul_cancel(&w->reconnect_timer);
    lws_context_destroy(w->context);
    free(w->message);
    note("%" PRIu64 " event(s) received, last sequence %" PRIu64 ", %" PRIu64 " reconnect(s), %" PRIu64
         " gap(s), %" PRIu64 " duplicate(s)",
         w->events, w->last_sequence, w->reconnects, w->gaps, w->duplicates);
    if (w->exit_code == 0 && (w->gaps || w->duplicates))
        return 3;
    return w->exit_code;
}
