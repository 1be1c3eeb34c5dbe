/*
 * cli — the polisim-host commands (analyze, plugins, check-config, serve)
 * and what they share: loading the config and the agents with every
 * problem printed to stderr.
 */
#ifndef PS_CLI_CLI_H
#define PS_CLI_CLI_H

#include "config/config.h"
#include "plugin/loader.h"

/* Exit statuses. */
enum { CLI_OK = 0, CLI_FAILED = 1, CLI_USAGE = 2 };

int cmd_analyze(int argc, char **argv);
int cmd_plugins(int argc, char **argv);
int cmd_check_config(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_survey(int argc, char **argv);

/* Loads FILE, or the embedded default when path is NULL; prints problems. */
int cli_load_config(const char *path, ps_config *cfg);
/* Loads the enabled agents; prints problems (skipped agents as warnings). */
int cli_load_agents(const ps_config *cfg, agent_set *agents);
void cli_print_diags(const diag_list *diags, const char *prefix);

#endif
