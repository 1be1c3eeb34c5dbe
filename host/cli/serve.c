/*
 * serve — `polisim-host serve [-c FILE] [--host H] [--port N]`: runs the
 * HTTP + WebSocket edge until SIGINT/SIGTERM, then shuts down gracefully.
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli/cli.h"
#include "bus/bus.h"
#include "edge/server.h"
#include "pipeline/pipeline.h"
#include "pipeline/results.h"

static server *running_server;

static void on_signal(int sig)
{
    (void)sig;
    if (running_server)
        server_stop(running_server);
}

static void usage(FILE *out)
{
    fprintf(out,
            "usage: polisim-host serve [-c FILE] [--host ADDRESS] [--port N]\n\n"
            "Serves ws://HOST:PORT/api/v1/ws/analysis/{id}?last_sequence=N and the REST API\n"
            "(POST /api/v1/analyses, GET /api/v1/analyses/{id}, GET /api/v1/ws/analysis/{id}/status,\n"
            "GET /api/v1/ws/stats, GET /healthz). SIGINT/SIGTERM stop it gracefully.\n\n"
            "  -c, --config FILE   configuration (default: the embedded conf/polisim.yaml)\n"
            "      --host ADDRESS  override server.host\n"
            "  -p, --port N        override server.port (0 = any free port, printed on stderr)\n");
}

static int serve(const ps_config *cfg, const agent_set *agents)
{
    char err[256] = "out of memory";
    bus *b = bus_new();
    result_store *results = results_new();
    pipeline *p = b && results ? pipeline_new(cfg, agents, b) : NULL;
    server *s = NULL;
    int rc = CLI_FAILED;
    if (p && bus_subscribe(b, results_on_message, results) == 0)
        s = server_new(cfg, p, b, results, err, sizeof err);
    if (s) {
        running_server = s;
        struct sigaction sa = {.sa_handler = on_signal};
        sigemptyset(&sa.sa_mask);
        sigaction(SIGINT, &sa, NULL);
        sigaction(SIGTERM, &sa, NULL);
        signal(SIGPIPE, SIG_IGN);
        rc = server_run(s) == 0 ? CLI_OK : CLI_FAILED;
        running_server = NULL;
    } else {
        fprintf(stderr, "polisim-host: cannot serve: %s\n", err);
    }
    if (p)
        pipeline_cancel_all(p);
    pipeline_free(p);
    server_free(s);
    results_free(results);
    bus_free(b);
    return rc;
}

int cmd_serve(int argc, char **argv)
{
    static const struct option options[] = {
        {"config", required_argument, NULL, 'c'}, {"host", required_argument, NULL, 'H'},
        {"port", required_argument, NULL, 'p'},   {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    const char *config_path = NULL, *host = NULL, *port = NULL;
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "c:p:h", options, NULL)) != -1) {
        switch (opt) {
        case 'c': config_path = optarg; break;
        case 'H': host = optarg; break;
        case 'p': port = optarg; break;
        case 'h': usage(stdout); return CLI_OK;
        default: usage(stderr); return CLI_USAGE;
        }
    }
    char *end = NULL;
    long port_number = port ? strtol(port, &end, 10) : 0;
    if (optind != argc || (port && (end == port || *end || port_number < 0 || port_number > 65535))) {
        usage(stderr);
        return CLI_USAGE;
    }
    ps_config cfg;
    if (cli_load_config(config_path, &cfg) != 0)
        return CLI_FAILED;
    if (host) {
        char *copy = strdup(host);
        if (!copy) {
            config_free(&cfg);
            fprintf(stderr, "polisim-host: out of memory\n");
            return CLI_FAILED;
        }
        free(cfg.server.host);
        cfg.server.host = copy;
    }
    if (port)
        cfg.server.port = (int)port_number;
    agent_set agents = {0};
    int rc = cli_load_agents(&cfg, &agents) == 0 ? serve(&cfg, &agents) : CLI_FAILED;
    loader_unload_all(&agents);
    config_free(&cfg);
    return rc;
}
