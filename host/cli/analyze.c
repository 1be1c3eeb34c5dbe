/*
 * analyze — `polisim-host analyze [-c FILE] BILL`: runs one analysis and
 * prints every stored event as one JSON line, exactly the bytes a WebSocket
 * client receives (the same room numbers, batches and encodes them; the CLI
 * only skips pacing). Exit 0 when the analysis completes.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "cli/cli.h"
#include "cli/bill_file.h"
#include "bus/bus.h"
#include "pipeline/pipeline.h"
#include "pipeline/results.h"
#include "stream/room.h"

typedef struct printer {
    room *room;
    FILE *out;
} printer;

static int64_t now_monotonic(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void print_stored(void *ctx, room *r, const stored_event *ev)
{
    (void)r;
    printer *p = ctx;
    fwrite(ev->json, 1, ev->length, p->out);
    fputc('\n', p->out);
    fflush(p->out);
}

static void feed_room(void *ctx, const uint8_t *message, size_t length)
{
    printer *p = ctx;
    envelope e;
    char err[128];
    if (envelope_decode(message, length, &e, err, sizeof err) != 0) {
        fprintf(stderr, "polisim-host: dropped a malformed bus message: %s\n", err);
        return;
    }
    room_push(p->room, &e, now_monotonic());
    envelope_release(&e);
}

static void usage(FILE *out)
{
    fprintf(out,
            "usage: polisim-host analyze [-c FILE] [--bill-id ID] [--title TEXT] [--id ANALYSIS_ID] BILL.txt\n\n"
            "Analyses BILL.txt with the configured agents and prints the event stream on stdout,\n"
            "one JSON event per line (the same events a WebSocket client receives, unpaced).\n\n"
            "  -c, --config FILE   configuration (default: the embedded conf/polisim.yaml)\n"
            "      --bill-id ID    bill id in the events (default: the file name without extension)\n"
            "      --title TEXT    bill title (default: the bill's short title)\n"
            "      --id ID         analysis id, [A-Za-z0-9_-]{1,64} (default: generated)\n\n"
            "Exit status: 0 analysis complete, 1 analysis or input failed, 2 usage error.\n");
}

/* Drains the bus into the room until analysis_complete is stored (or, should
 * it never come, until the pipeline has stopped and the bus is empty). */
static void stream_until_complete(bus *b, room *r, pipeline *p)
{
    while (!room_complete(r) && (pipeline_running(p) > 0 || bus_drain(b) > 0)) {
        int64_t due = room_tick(r, now_monotonic());
        int wait_ms = due < 0 ? 250 : (int)(due / 1000000) + 1;
        bus_wait(b, wait_ms);
        bus_drain(b);
    }
}

static int run_analysis(const ps_config *cfg, const agent_set *agents, const analysis_request *req)
{
    bus *b = bus_new();
    result_store *results = results_new();
    room_settings settings = {
        .buffer_size = (unsigned)cfg->server.message_buffer_size,
        .buffer_ttl_seconds = cfg->server.message_buffer_ttl_seconds,
        .batch_window_ms = (unsigned)cfg->server.thought_batch_window_ms,
        .max_events_per_second = 0,
    };
    printer out = {.out = stdout};
    pipeline *p = b && results ? pipeline_new(cfg, agents, b) : NULL;
    char id[PS_ANALYSIS_ID_SIZE], err[256] = "out of memory";
    int rc = CLI_FAILED;
    if (p && pipeline_submit(p, req, id, err, sizeof err) == 0 &&
        (out.room = room_new(id, &settings, print_stored, &out)) != NULL) {
        bus_subscribe(b, results_on_message, results);
        bus_subscribe(b, feed_room, &out);
        stream_until_complete(b, out.room, p);
        room_flush(out.room, now_monotonic());
        const char *state = results_state(results, id);
        rc = state && strcmp(state, "complete") == 0 ? CLI_OK : CLI_FAILED;
    } else {
        fprintf(stderr, "polisim-host: cannot start the analysis: %s\n", err);
    }
    pipeline_free(p);
    room_free(out.room);
    results_free(results);
    bus_free(b);
    return rc;
}

int cmd_analyze(int argc, char **argv)
{
    static const struct option options[] = {
        {"config", required_argument, NULL, 'c'}, {"bill-id", required_argument, NULL, 'b'},
        {"title", required_argument, NULL, 't'},  {"id", required_argument, NULL, 'i'},
        {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0}};
    const char *config_path = NULL;
    analysis_request req = {0};
    char bill_id[256];
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "c:h", options, NULL)) != -1) {
        switch (opt) {
        case 'c': config_path = optarg; break;
        case 'b': req.bill_id = optarg; break;
        case 't': req.title = optarg; break;
        case 'i': req.analysis_id = optarg; break;
        case 'h': usage(stdout); return CLI_OK;
        default: usage(stderr); return CLI_USAGE;
        }
    }
    if (optind != argc - 1) {
        fprintf(stderr, "polisim-host analyze: expected exactly one bill file\n");
        usage(stderr);
        return CLI_USAGE;
    }
    const char *path = argv[optind];
    ps_config cfg;
    if (cli_load_config(config_path, &cfg) != 0)
        return CLI_FAILED;
    char err[512];
    char *text = bill_file_read(path, (size_t)cfg.pipeline.max_bill_bytes, &req.length, err, sizeof err);
    agent_set agents = {0};
    int rc = CLI_FAILED;
    if (!text)
        fprintf(stderr, "polisim-host: %s\n", err);
    else if (cli_load_agents(&cfg, &agents) == 0) {
        req.text = text;
        if (!req.bill_id)
            req.bill_id = bill_file_id(path, bill_id, sizeof bill_id);
        rc = run_analysis(&cfg, &agents, &req);
    }
    loader_unload_all(&agents);
    free(text);
    config_free(&cfg);
    return rc;
}
