/*
 * config_sections — what each part of the configuration may contain.
 *
 * server and pipeline are tables of fields (key, type, place in the struct,
 * allowed range); plugin_dirs and agents have their own readers. Limits:
 * ports 1..65535, max_parallel_agents 1..64, max_debate_rounds 1..20,
 * thresholds 0..1, counts and sizes >= 1, timeouts > 0 (seconds, at most
 * MAX_TIMEOUT_SECONDS), max_events_per_second >= 0 (0 = unpaced).
 */
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config_alloc.h"
#include "config/config_reader.h"

/* Longest timeout accepted (about 11.5 days): large enough for any analysis,
 * small enough that other modules can turn it into nanoseconds safely. */
#define MAX_TIMEOUT_SECONDS 1e6
#define MAX_EVENTS_PER_SECOND 1e6
#define MAX_AGENT_NAME_LENGTH 64
#define AGENT_NAME_RULE "a name of 1 to 64 characters from a-z, 0-9 and _"
#define MAX_SECTION_FIELDS 16

#define DOCUMENTED_RANGE(lo, hi) {(lo), (hi), 0, 1}
#define AT_LEAST(lo) {(lo), INT_MAX, 0, 0}
#define WHOLE_SECONDS {1, MAX_TIMEOUT_SECONDS, 0, 0}
#define POSITIVE_SECONDS {0, MAX_TIMEOUT_SECONDS, 1, 0}
#define EVENT_RATE {0, MAX_EVENTS_PER_SECOND, 0, 0}
#define NO_RANGE {0, 0, 0, 0}

typedef enum field_type { FIELD_STRING, FIELD_INT, FIELD_DOUBLE } field_type;

typedef struct field_spec {
    const char *key;
    field_type type;
    size_t offset; /* of the member in its section struct */
    number_range range;
} field_spec;

#define SERVER_FIELD(member, type, range) {#member, type, offsetof(server_config, member), range}
#define PIPELINE_FIELD(member, type, range) \
    {#member, type, offsetof(pipeline_config, member), range}

static const field_spec server_fields[] = {
    SERVER_FIELD(host, FIELD_STRING, NO_RANGE),
    SERVER_FIELD(port, FIELD_INT, DOCUMENTED_RANGE(1, 65535)),
    SERVER_FIELD(max_connections_per_analysis, FIELD_INT, AT_LEAST(1)),
    SERVER_FIELD(max_total_connections, FIELD_INT, AT_LEAST(1)),
    SERVER_FIELD(connection_timeout_seconds, FIELD_INT, WHOLE_SECONDS),
    SERVER_FIELD(ping_interval_seconds, FIELD_INT, WHOLE_SECONDS),
    SERVER_FIELD(max_events_per_second, FIELD_DOUBLE, EVENT_RATE),
    SERVER_FIELD(thought_batch_window_ms, FIELD_INT, AT_LEAST(1)),
    SERVER_FIELD(message_buffer_size, FIELD_INT, AT_LEAST(1)),
    SERVER_FIELD(message_buffer_ttl_seconds, FIELD_INT, WHOLE_SECONDS),
    SERVER_FIELD(max_message_bytes, FIELD_INT, AT_LEAST(1)),
    SERVER_FIELD(max_request_bytes, FIELD_INT, AT_LEAST(1)),
    SERVER_FIELD(slow_client_timeout_seconds, FIELD_INT, WHOLE_SECONDS),
    SERVER_FIELD(write_coalesce_ms, FIELD_INT, DOCUMENTED_RANGE(0, 100)),
};

static const field_spec pipeline_fields[] = {
    PIPELINE_FIELD(max_parallel_agents, FIELD_INT, DOCUMENTED_RANGE(1, 64)),
    PIPELINE_FIELD(max_running_analyses, FIELD_INT, DOCUMENTED_RANGE(1, 1024)),
    PIPELINE_FIELD(global_timeout_seconds, FIELD_DOUBLE, POSITIVE_SECONDS),
    PIPELINE_FIELD(agent_timeout_seconds, FIELD_DOUBLE, POSITIVE_SECONDS),
    PIPELINE_FIELD(max_debate_rounds, FIELD_INT, DOCUMENTED_RANGE(1, 20)),
    PIPELINE_FIELD(convergence_threshold, FIELD_DOUBLE, DOCUMENTED_RANGE(0, 1)),
    PIPELINE_FIELD(consensus_threshold, FIELD_DOUBLE, DOCUMENTED_RANGE(0, 1)),
    PIPELINE_FIELD(max_bill_bytes, FIELD_INT, AT_LEAST(1)),
    PIPELINE_FIELD(budget_window_start, FIELD_INT, DOCUMENTED_RANGE(1900, 2200)),
    PIPELINE_FIELD(budget_window_end, FIELD_INT, DOCUMENTED_RANGE(1900, 2200)),
};

#define FIELD_COUNT(table) (sizeof(table) / sizeof((table)[0]))
_Static_assert(FIELD_COUNT(server_fields) <= MAX_SECTION_FIELDS, "raise MAX_SECTION_FIELDS");
_Static_assert(FIELD_COUNT(pipeline_fields) <= MAX_SECTION_FIELDS, "raise MAX_SECTION_FIELDS");

static const number_range agent_timeout_range = POSITIVE_SECONDS;

typedef struct section_target {
    const field_spec *fields;
    void *base; /* the section struct the fields live in */
} section_target;

static void visit_field(config_reader *r, const ytree_node *key, const ytree_node *value,
                        int key_index, const char *path, void *context)
{
    (void)key;
    const section_target *target = context;
    const field_spec *field = &target->fields[key_index];
    void *storage = (char *)target->base + field->offset;
    switch (field->type) {
    case FIELD_STRING:
        read_string(r, value, path, storage);
        break;
    case FIELD_INT:
        read_int(r, value, path, &field->range, storage);
        break;
    case FIELD_DOUBLE:
        read_double(r, value, path, &field->range, storage);
        break;
    }
}

static void read_section(config_reader *r, const ytree_node *node, const char *path,
                         const field_spec *fields, size_t field_count, void *base)
{
    if (reader_expect(r, node, path, YTREE_MAP) != 1)
        return;
    const char *names[MAX_SECTION_FIELDS + 1];
    for (size_t i = 0; i < field_count; i++)
        names[i] = fields[i].key;
    names[field_count] = NULL;
    section_target target = {fields, base};
    reader_visit_map(r, node, path, names, visit_field, &target);
}

static char *resolve_against(const char *dir, const char *path)
{
    if (path[0] == '/')
        return config_checked(strdup(path));
    char *resolved = NULL;
    if (asprintf(&resolved, "%s/%s", dir, path) < 0)
        config_checked(NULL);
    return resolved;
}

static void read_plugin_dirs(config_reader *r, const ytree_node *node, const char *path,
                             ps_config *cfg)
{
    if (reader_expect(r, node, path, YTREE_LIST) != 1)
        return;
    size_t count = node->child_count;
    cfg->plugin_dirs = config_checked(calloc(count ? count : 1, sizeof *cfg->plugin_dirs));
    for (size_t i = 0; i < count; i++) {
        char item_path[CONFIG_PATH_SIZE];
        path_index(item_path, path, i);
        char *entry = NULL;
        if (read_string(r, node->children[i], item_path, &entry) < 0)
            continue;
        cfg->plugin_dirs[cfg->plugin_dir_count++] = resolve_against(r->dir, entry);
        free(entry);
    }
}

static void visit_setting(config_reader *r, const ytree_node *key, const ytree_node *value,
                          int key_index, const char *path, void *context)
{
    (void)key_index;
    agent_config *agent = context;
    if (!reader_expect_scalar(r, value, path, "a single value"))
        return;
    config_scalar *setting = &agent->settings[agent->setting_count++];
    setting->key = config_checked(strdup(key->text));
    setting->value = config_checked(strdup(value->text));
    setting->line = value->line;
    setting->column = value->column;
}

static void read_settings(config_reader *r, const ytree_node *key, const ytree_node *value,
                          const char *path, agent_config *agent)
{
    agent->settings_line = key->line;
    agent->settings_column = key->column;
    if (reader_expect(r, value, path, YTREE_MAP) != 1)
        return;
    size_t pairs = value->child_count / 2;
    agent->settings = config_checked(calloc(pairs ? pairs : 1, sizeof *agent->settings));
    reader_visit_map(r, value, path, NULL, visit_setting, agent);
}

static int is_valid_agent_name(const char *name)
{
    size_t length = strlen(name);
    if (length == 0 || length > MAX_AGENT_NAME_LENGTH)
        return 0;
    for (size_t i = 0; i < length; i++) {
        char c = name[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
            return 0;
    }
    return 1;
}

typedef struct agent_reading {
    agent_config *agent;
    const ytree_node *name_node; /* set once a valid name was read */
    int has_name, has_plugin;    /* the keys were present, valid or not */
} agent_reading;

enum agent_key { AGENT_NAME, AGENT_PLUGIN, AGENT_ENABLED, AGENT_REQUIRED, AGENT_TIMEOUT,
                 AGENT_SETTINGS };
static const char *const agent_keys[] = {"name",     "plugin",          "enabled",
                                         "required", "timeout_seconds", "settings", NULL};

static void read_agent_name(config_reader *r, const ytree_node *value, const char *path,
                            agent_reading *reading)
{
    if (value->kind == YTREE_SCALAR && !is_valid_agent_name(value->text)) {
        reader_report_unexpected(r, value, path, AGENT_NAME_RULE);
        return;
    }
    if (read_string(r, value, path, &reading->agent->name) == 0)
        reading->name_node = value;
}

static void visit_agent_key(config_reader *r, const ytree_node *key, const ytree_node *value,
                            int key_index, const char *path, void *context)
{
    agent_reading *reading = context;
    agent_config *agent = reading->agent;
    switch ((enum agent_key)key_index) {
    case AGENT_NAME:
        reading->has_name = 1;
        read_agent_name(r, value, path, reading);
        break;
    case AGENT_PLUGIN:
        reading->has_plugin = 1;
        read_string(r, value, path, &agent->plugin);
        break;
    case AGENT_ENABLED:
        read_bool(r, value, path, &agent->enabled);
        break;
    case AGENT_REQUIRED:
        read_bool(r, value, path, &agent->required);
        break;
    case AGENT_TIMEOUT:
        read_double(r, value, path, &agent_timeout_range, &agent->timeout_seconds);
        break;
    case AGENT_SETTINGS:
        read_settings(r, key, value, path, agent);
        break;
    }
}

/* Reads one list item into agent; returns the node of its valid name, if any. */
static const ytree_node *read_agent(config_reader *r, const ytree_node *item, const char *path,
                                    agent_config *agent)
{
    agent->enabled = 1;
    agent->line = item->line;
    agent->column = item->column;
    agent_reading reading = {.agent = agent};
    int kind = reader_expect(r, item, path, YTREE_MAP);
    if (kind < 0)
        return NULL;
    if (kind == 1)
        reader_visit_map(r, item, path, agent_keys, visit_agent_key, &reading);
    if (!reading.has_name)
        reader_error(r, item, path, "missing required key 'name'");
    if (!reading.has_plugin)
        reader_error(r, item, path, "missing required key 'plugin'");
    return reading.name_node;
}

static void report_duplicate_names(config_reader *r, const ps_config *cfg,
                                   const ytree_node *const *name_nodes)
{
    const char **names = config_checked(calloc(cfg->agent_count, sizeof *names));
    for (size_t i = 0; i < cfg->agent_count; i++)
        names[i] = name_nodes[i] ? cfg->agents[i].name : NULL;
    size_t *first = reader_first_occurrences(names, cfg->agent_count);
    for (size_t i = 0; i < cfg->agent_count; i++) {
        if (first[i] == i)
            continue;
        char path[CONFIG_PATH_SIZE];
        snprintf(path, sizeof path, "agents[%zu].name", i);
        const ytree_node *earlier = name_nodes[first[i]];
        reader_error(r, name_nodes[i], path,
                     "duplicate agent name '%s' (first at line %d, column %d)", names[i],
                     earlier->line, earlier->column);
    }
    free(first);
    free(names);
}

static void read_agents(config_reader *r, const ytree_node *node, const char *path,
                        ps_config *cfg)
{
    if (reader_expect(r, node, path, YTREE_LIST) != 1 || node->child_count == 0)
        return;
    size_t count = node->child_count;
    cfg->agents = config_checked(calloc(count, sizeof *cfg->agents));
    const ytree_node **name_nodes = config_checked(calloc(count, sizeof *name_nodes));
    for (size_t i = 0; i < count; i++) {
        char item_path[CONFIG_PATH_SIZE];
        path_index(item_path, path, i);
        name_nodes[i] = read_agent(r, node->children[i], item_path, &cfg->agents[i]);
        cfg->agent_count++;
    }
    report_duplicate_names(r, cfg, name_nodes);
    free(name_nodes);
}

enum section_key { SECTION_SERVER, SECTION_PIPELINE, SECTION_PLUGIN_DIRS, SECTION_AGENTS };
static const char *const section_keys[] = {"server", "pipeline", "plugin_dirs", "agents", NULL};

static void visit_section(config_reader *r, const ytree_node *key, const ytree_node *value,
                          int key_index, const char *path, void *context)
{
    (void)key;
    ps_config *cfg = context;
    switch ((enum section_key)key_index) {
    case SECTION_SERVER:
        read_section(r, value, path, server_fields, FIELD_COUNT(server_fields), &cfg->server);
        break;
    case SECTION_PIPELINE:
        read_section(r, value, path, pipeline_fields, FIELD_COUNT(pipeline_fields),
                     &cfg->pipeline);
        break;
    case SECTION_PLUGIN_DIRS:
        read_plugin_dirs(r, value, path, cfg);
        break;
    case SECTION_AGENTS:
        read_agents(r, value, path, cfg);
        break;
    }
}

void config_read_document(config_reader *r, const ytree_node *root, ps_config *cfg)
{
    if (!root || ytree_is_null(root))
        return;
    if (root->kind != YTREE_MAP) {
        reader_report_unexpected(r, root, "",
                                 "a map of sections (server, pipeline, plugin_dirs, agents)");
        return;
    }
    reader_visit_map(r, root, "", section_keys, visit_section, cfg);
}
