/*
 * plugins / check-config — `polisim-host plugins [-c FILE]` lists each
 * loaded agent with its settings; `polisim-host check-config FILE` prints
 * "ok" or every problem, with file:line:column.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include "cli/cli.h"
#include "pipeline/pipeline.h"

static const char *setting_type_name(ps_setting_type t)
{
    switch (t) {
    case PS_SETTING_STRING: return "string";
    case PS_SETTING_INT: return "int";
    case PS_SETTING_DOUBLE: return "double";
    case PS_SETTING_BOOL: return "bool";
    }
    return "?";
}

static void print_agent(const loaded_agent *a)
{
    char roles[64];
    const ps_agent_def *d = &a->def;
    printf("%s\n", a->id);
    printf("  plugin:   %s\n", a->path);
    printf("  type:     %s (%s)\n", d->agent_type ? d->agent_type : d->name, d->label ? d->label : "");
    printf("  roles:    %s\n", loader_roles_text(d->roles, roles, sizeof roles));
    printf("  version:  %s, built for ABI %u.%u\n", d->version, d->abi_major, d->abi_minor);
    if (d->description)
        printf("  about:    %s\n", d->description);
    printf("  settings:%s\n", a->instance.setting_count ? "" : " none");
    for (size_t i = 0; i < a->instance.setting_count; i++) {
        const setting_value *s = &a->instance.settings[i];
        printf("    %-34s %-6s = %-12s%s %s\n", s->def->name, setting_type_name(s->def->type),
               s->text ? s->text : "(unset)", s->def->required ? " (required)" : "",
               s->def->description ? s->def->description : "");
    }
}

static int parse_config_option(int argc, char **argv, const char *usage_text, const char **config_path)
{
    static const struct option options[] = {
        {"config", required_argument, NULL, 'c'}, {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "c:h", options, NULL)) != -1) {
        if (opt == 'c') {
            *config_path = optarg;
            continue;
        }
        fputs(usage_text, opt == 'h' ? stdout : stderr);
        return opt == 'h' ? CLI_OK : CLI_USAGE;
    }
    return -1;
}

int cmd_plugins(int argc, char **argv)
{
    static const char usage_text[] =
        "usage: polisim-host plugins [-c FILE]\n\n"
        "Loads the configured agents and prints, for each: its plugin file, type, roles,\n"
        "version, the ABI it was built for and its settings (value, type, description).\n";
    const char *config_path = NULL;
    int early = parse_config_option(argc, argv, usage_text, &config_path);
    if (early >= 0)
        return early;
    if (optind != argc) {
        fputs(usage_text, stderr);
        return CLI_USAGE;
    }
    ps_config cfg;
    if (cli_load_config(config_path, &cfg) != 0)
        return CLI_FAILED;
    agent_set agents = {0};
    int rc = cli_load_agents(&cfg, &agents) == 0 ? CLI_OK : CLI_FAILED;
    printf("host ABI %d.%d, %zu agent(s) from %s\n\n", PS_ABI_MAJOR, PS_ABI_MINOR, agents.count, cfg.path);
    for (size_t i = 0; i < agents.count; i++)
        print_agent(agents.agents[i]);
    loader_unload_all(&agents);
    config_free(&cfg);
    return rc;
}

int cmd_check_config(int argc, char **argv)
{
    static const char usage_text[] =
        "usage: polisim-host check-config FILE\n\n"
        "Validates FILE and the settings of every enabled agent against what its plugin\n"
        "declares. Prints \"ok\", or every problem as FILE:LINE:COLUMN: KEY: message.\n";
    const char *ignored = NULL;
    int early = parse_config_option(argc, argv, usage_text, &ignored);
    if (early >= 0)
        return early;
    if (optind != argc - 1) {
        fputs(usage_text, stderr);
        return CLI_USAGE;
    }
    ps_config cfg;
    diag_list diags = {0};
    agent_set agents = {0};
    if (config_load_file(argv[optind], &cfg, &diags) == 0) {
        loader_load_all(&cfg, pipeline_host_api(), &agents, &diags);
        loader_unload_all(&agents);
        config_free(&cfg);
    }
    for (size_t i = 0; i < diags.count; i++)
        printf("%s\n", diags.messages[i]);
    int rc = diags.count ? CLI_FAILED : CLI_OK;
    if (rc == CLI_OK)
        printf("ok\n");
    diag_free(&diags);
    return rc;
}
