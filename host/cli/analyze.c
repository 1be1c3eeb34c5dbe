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
#include "cli/cli.h"
#include "cli/bill_file.h"
#include "cli/session.h"

static void print_stored(void *ctx, room *r, const stored_event *ev)
{
    (void)r;
    FILE *out = ctx;
    fwrite(ev->json, 1, ev->length, out);
    fputc('\n', out);
    fflush(out);
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

static int run_analysis(const ps_config *cfg, const agent_set *agents, const analysis_request *req)
{
    session s;
    char id[PS_ANALYSIS_ID_SIZE], err[256] = "out of memory";
    int rc = session_open(&s, cfg, agents) == 0 ? session_run(&s, req, print_stored, stdout, id, err, sizeof err)
                                               : -1;
    if (rc < 0)
        fprintf(stderr, "polisim-host: cannot start the analysis: %s\n", err);
    session_close(&s);
    return rc == 0 ? CLI_OK : CLI_FAILED;
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
