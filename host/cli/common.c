/*
 * common — config and agent loading shared by the commands.
 */
#include <stdio.h>
#include "cli/cli.h"
#include "pipeline/pipeline.h"

void cli_print_diags(const diag_list *diags, const char *prefix)
{
    for (size_t i = 0; i < diags->count; i++)
        fprintf(stderr, "%s%s\n", prefix, diags->messages[i]);
}

int cli_load_config(const char *path, ps_config *cfg)
{
    diag_list diags = {0};
    int rc = path ? config_load_file(path, cfg, &diags) : config_load_default(cfg, &diags);
    cli_print_diags(&diags, "polisim-host: error: ");
    diag_free(&diags);
    return rc;
}

int cli_load_agents(const ps_config *cfg, agent_set *agents)
{
    diag_list diags = {0};
    int rc = loader_load_all(cfg, pipeline_host_api(), agents, &diags);
    cli_print_diags(&diags, rc == 0 ? "polisim-host: warning: skipped agent: " : "polisim-host: error: ");
    diag_free(&diags);
    return rc;
}
