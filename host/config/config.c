/*
 * config — loading a configuration: defaults, then a YAML file, a string or
 * the embedded conf/polisim.yaml on top of them.
 *
 * Every key is optional, so an empty file (or one holding only comments) is
 * valid: it yields the defaults and NO agents. Only the embedded default
 * lists the shipped swarm. An agent without timeout_seconds gets
 * pipeline.agent_timeout_seconds, whichever order the sections come in.
 */
#include "config/config.h"

#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config_alloc.h"
#include "config/config_reader.h"
#include "config/yaml_tree.h"

/* Configuration files are small; anything larger is a mistake. */
#define CONFIG_MAX_BYTES (1024 * 1024)
#define EMBEDDED_NAME "<embedded>/polisim.yaml"

/* Generated from conf/polisim.yaml by cmake/embed.cmake. */
extern const char ps_embedded_config[];
extern const size_t ps_embedded_config_length;

void config_defaults(ps_config *out)
{
    *out = (ps_config){
        .server =
            {
                .host = config_checked(strdup("127.0.0.1")),
                .port = 8000,
                .max_connections_per_analysis = 100,
                .max_total_connections = 1000,
                .connection_timeout_seconds = 3600,
                .ping_interval_seconds = 30,
                .max_events_per_second = 50,
                .thought_batch_window_ms = 100,
                .message_buffer_size = 1000,
                .message_buffer_ttl_seconds = 300,
                .max_message_bytes = 4096,
                .max_request_bytes = 1048576,
                .slow_client_timeout_seconds = 10,
                .write_coalesce_ms = 2,
            },
        .pipeline =
            {
                .max_parallel_agents = 8,
                .max_running_analyses = 16,
                .global_timeout_seconds = 300,
                .agent_timeout_seconds = 60,
                .max_debate_rounds = 3,
                .convergence_threshold = 0.8,
                .consensus_threshold = 0.75,
                .max_bill_bytes = 2097152,
                .budget_window_start = 2026,
                .budget_window_end = 2035,
            },
    };
}

/* Agents read without timeout_seconds hold 0 (never valid) until now. */
static void apply_default_timeouts(ps_config *cfg)
{
    for (size_t i = 0; i < cfg->agent_count; i++)
        if (cfg->agents[i].timeout_seconds == 0)
            cfg->agents[i].timeout_seconds = cfg->pipeline.agent_timeout_seconds;
}

int config_load_string(const char *yaml, size_t length, const char *name, const char *dir,
                       ps_config *out, diag_list *diags)
{
    diag_list unused = {0};
    diag_list *sink = diags ? diags : &unused;
    size_t problems_before = sink->count;
    if (!yaml) {
        yaml = "";
        length = 0;
    }

    config_defaults(out);
    out->path = config_checked(strdup(name ? name : "<string>"));
    out->dir = config_checked(strdup(dir ? dir : "."));
    if (length > CONFIG_MAX_BYTES) {
        diag_add(sink, out->path, 0, 0, "too large (%zu bytes; the limit is %d)", length,
                 CONFIG_MAX_BYTES);
    } else {
        ytree_node *root = NULL;
        if (ytree_parse(yaml, length, out->path, sink, &root) == 0) {
            config_reader reader = {.file = out->path, .dir = out->dir, .diags = sink};
            config_read_document(&reader, root, out);
            ytree_free(root);
        }
    }
    apply_default_timeouts(out);
    if (out->pipeline.budget_window_end < out->pipeline.budget_window_start)
        diag_add(sink, out->path, 0, 0, "pipeline.budget_window_end: %d is before budget_window_start %d",
                 out->pipeline.budget_window_end, out->pipeline.budget_window_start);

    int failed = sink->count != problems_before;
    diag_free(&unused);
    if (failed) {
        config_free(out);
        return -1;
    }
    return 0;
}

/* Reads a whole file of at most CONFIG_MAX_BYTES (one more byte tells that it
 * is too large). Returns NULL with errno set on failure. */
static char *read_file(const char *path, size_t *length)
{
    FILE *file = fopen(path, "rb");
    if (!file)
        return NULL;
    char *text = config_checked(malloc(CONFIG_MAX_BYTES + 1));
    *length = fread(text, 1, CONFIG_MAX_BYTES + 1, file);
    int failed = ferror(file);
    int saved_errno = errno;
    fclose(file);
    if (failed) {
        free(text);
        errno = saved_errno ? saved_errno : EIO;
        return NULL;
    }
    return text;
}

/* The absolute folder holding path (its plain dirname if that fails). */
static char *folder_of(const char *path)
{
    char *copy = config_checked(strdup(path));
    const char *parent = dirname(copy);
    char *folder = realpath(parent, NULL);
    if (!folder)
        folder = config_checked(strdup(parent));
    free(copy);
    return folder;
}

int config_load_file(const char *path, ps_config *out, diag_list *diags)
{
    size_t length = 0;
    char *text = read_file(path, &length);
    if (!text) {
        memset(out, 0, sizeof *out);
        if (diags)
            diag_add(diags, path, 0, 0, "cannot read: %s", strerror(errno));
        return -1;
    }
    char *folder = folder_of(path);
    int result = config_load_string(text, length, path, folder, out, diags);
    free(folder);
    free(text);
    return result;
}

int config_load_default(ps_config *out, diag_list *diags)
{
    return config_load_string(ps_embedded_config, ps_embedded_config_length, EMBEDDED_NAME, ".",
                              out, diags);
}

static void free_agent(agent_config *agent)
{
    free(agent->name);
    free(agent->plugin);
    for (size_t i = 0; i < agent->setting_count; i++) {
        free(agent->settings[i].key);
        free(agent->settings[i].value);
    }
    free(agent->settings);
}

void config_free(ps_config *cfg)
{
    if (!cfg)
        return;
    free(cfg->path);
    free(cfg->dir);
    free(cfg->server.host);
    for (size_t i = 0; i < cfg->plugin_dir_count; i++)
        free(cfg->plugin_dirs[i]);
    free(cfg->plugin_dirs);
    for (size_t i = 0; i < cfg->agent_count; i++)
        free_agent(&cfg->agents[i]);
    free(cfg->agents);
    memset(cfg, 0, sizeof *cfg);
}
