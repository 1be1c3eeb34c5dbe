/*
 * config — reads and validates the YAML configuration (libyaml).
 *
 * Owns ps_config and everything hanging off it. Every problem is reported
 * with file:line:column and the key path ("server.port: ..."); unknown keys,
 * wrong types, out-of-range values, duplicate keys, syntax errors and a
 * missing file are all diagnostics, never crashes. Agent `settings:` are kept
 * as raw scalars with their positions: the plugin loader validates them
 * against what each plugin declares.
 */
#ifndef PS_CONFIG_CONFIG_H
#define PS_CONFIG_CONFIG_H

#include <stddef.h>
#include "util/diag.h"

typedef struct config_scalar {
    char *key;
    char *value;      /* scalar text as written */
    int line, column; /* 1-based position of the value */
} config_scalar;

typedef struct agent_config {
    char *name;          /* agent id, unique */
    char *plugin;        /* as written */
    int enabled;         /* default 1 */
    int required;        /* default 0: a failing plugin is skipped */
    double timeout_seconds; /* default pipeline.agent_timeout_seconds */
    config_scalar *settings;
    size_t setting_count;
    int line, column;    /* position of the list item */
    int settings_line, settings_column; /* position of `settings:` (0 if absent) */
} agent_config;

typedef struct server_config {
    char *host;                       /* "127.0.0.1" */
    int port;                         /* 8000 */
    int max_connections_per_analysis; /* 100 */
    int max_total_connections;        /* 1000 */
    int connection_timeout_seconds;   /* 3600 */
    int ping_interval_seconds;        /* 30 */
    double max_events_per_second;     /* 50 */
    int thought_batch_window_ms;      /* 100 */
    int message_buffer_size;          /* 1000 */
    int message_buffer_ttl_seconds;   /* 300 */
    int max_message_bytes;            /* 4096: inbound WebSocket message cap */
    int max_request_bytes;            /* 1048576: POST body cap */
    int slow_client_timeout_seconds;  /* 10: socket not drained -> close 4008 */
    int write_coalesce_ms;            /* 2: wake a channel's clients at most this often (0 = at once) */
} server_config;

typedef struct pipeline_config {
    int max_parallel_agents;          /* 8 */
    int max_running_analyses;         /* 16: more submissions are refused */
    double global_timeout_seconds;    /* 300 */
    double agent_timeout_seconds;     /* 60 */
    int max_debate_rounds;            /* 3 */
    double convergence_threshold;     /* 0.8 */
    double consensus_threshold;       /* 0.75 */
    int max_bill_bytes;               /* 2097152 */
    int budget_window_start;          /* 2026: first fiscal year of the budget window */
    int budget_window_end;            /* 2035: last (>= start) */
} pipeline_config;

typedef struct ps_config {
    char *path;          /* file it came from ("<embedded>/polisim.yaml" for the default) */
    char *dir;           /* folder relative plugin/data paths resolve against */
    server_config server;
    pipeline_config pipeline;
    char **plugin_dirs;  /* extra folders searched for bare plugin names */
    size_t plugin_dir_count;
    agent_config *agents;
    size_t agent_count;
} ps_config;

/* Fills *out with the defaults (no agents). */
void config_defaults(ps_config *out);

/* Parses YAML text. `name` is used in messages, `dir` for relative paths.
 * Returns 0 when diags stayed empty; on -1 *out is freed and zeroed. */
int config_load_string(const char *yaml, size_t length, const char *name, const char *dir,
                       ps_config *out, diag_list *diags);
int config_load_file(const char *path, ps_config *out, diag_list *diags);
/* The embedded conf/polisim.yaml (built into the binary). */
int config_load_default(ps_config *out, diag_list *diags);
void config_free(ps_config *cfg);

#endif
