/*
 * polisim-host — entry point: dispatches to the commands in host/cli.
 */
#include <stdio.h>
#include <string.h>
#include "cli/cli.h"
#include "polisim/polisim.h"

static const struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} COMMANDS[] = {
    {"analyze", cmd_analyze, "analyse a bill file and print the event stream as JSON lines"},
    {"serve", cmd_serve, "serve the WebSocket stream and REST API"},
    {"survey", cmd_survey, "analyse every bill in a folder and print a table (optionally against a truth file)"},
    {"plugins", cmd_plugins, "list the configured agents and their settings"},
    {"check-config", cmd_check_config, "validate a configuration file (and its agents' settings)"},
};

static void usage(FILE *out)
{
    fprintf(out, "usage: polisim-host <command> [options]\n\ncommands:\n");
    for (size_t i = 0; i < sizeof COMMANDS / sizeof COMMANDS[0]; i++)
        fprintf(out, "  %-13s %s\n", COMMANDS[i].name, COMMANDS[i].summary);
    fprintf(out, "\n'polisim-host <command> --help' describes a command.\n"
                 "Without -c FILE the embedded default configuration (conf/polisim.yaml) is used.\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return CLI_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return CLI_OK;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("polisim-host 1.0.0 (plugin ABI %d.%d)\n", PS_ABI_MAJOR, PS_ABI_MINOR);
        return CLI_OK;
    }
    for (size_t i = 0; i < sizeof COMMANDS / sizeof COMMANDS[0]; i++)
        if (strcmp(argv[1], COMMANDS[i].name) == 0)
            return COMMANDS[i].run(argc - 1, argv + 1);
    fprintf(stderr, "polisim-host: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return CLI_USAGE;
}
