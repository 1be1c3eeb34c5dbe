/*
 * Loading configurations that are valid: the defaults, the embedded
 * conf/polisim.yaml, a file that changes everything, relative plugin_dirs,
 * empty files, and files that cannot be read. Broken configurations are in
 * test_config_errors.c.
 */
#include <check.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "../check_main.h"

#define CONFIGS_DIR PS_TEST_DATA_DIR "/configs"

extern const char ps_embedded_config[];

/* The text starting at 1-based line and column of text. */
static const char *text_at(const char *text, int line, int column)
{
    for (int i = 1; i < line; i++) {
        text = strchr(text, '\n');
        ck_assert_ptr_nonnull(text);
        text++;
    }
    return text + column - 1;
}

/* Loads yaml (as test.yaml in /base), which must load without a problem. */
static void load_valid(const char *yaml, ps_config *cfg)
{
    diag_list diags = {0};
    ck_assert_int_eq(config_load_string(yaml, strlen(yaml), "test.yaml", "/base", cfg, &diags), 0);
    ck_assert_uint_eq(diags.count, 0);
}

/* Loads the file at path, which must load without a problem. */
static void load_valid_file(const char *path, ps_config *cfg)
{
    diag_list diags = {0};
    ck_assert_int_eq(config_load_file(path, cfg, &diags), 0);
    ck_assert_uint_eq(diags.count, 0);
    ck_assert_str_eq(cfg->path, path);
}

/* Loading path fails with exactly one problem: message. */
static void expect_unreadable(const char *path, ps_config *cfg, const char *message)
{
    diag_list diags = {0};
    ck_assert_int_eq(config_load_file(path, cfg, &diags), -1);
    ck_assert_uint_eq(diags.count, 1);
    ck_assert_str_eq(diags.messages[0], message);
    diag_free(&diags);
}

static void assert_default_values(const ps_config *cfg)
{
    ck_assert_str_eq(cfg->server.host, "127.0.0.1");
    ck_assert_int_eq(cfg->server.port, 8000);
    ck_assert_int_eq(cfg->server.max_connections_per_analysis, 100);
    ck_assert_int_eq(cfg->server.max_total_connections, 1000);
    ck_assert_int_eq(cfg->server.connection_timeout_seconds, 3600);
    ck_assert_int_eq(cfg->server.ping_interval_seconds, 30);
    ck_assert_double_eq(cfg->server.max_events_per_second, 50);
    ck_assert_int_eq(cfg->server.thought_batch_window_ms, 100);
    ck_assert_int_eq(cfg->server.message_buffer_size, 1000);
    ck_assert_int_eq(cfg->server.message_buffer_ttl_seconds, 300);
    ck_assert_int_eq(cfg->server.max_message_bytes, 4096);
    ck_assert_int_eq(cfg->server.max_request_bytes, 1048576);
    ck_assert_int_eq(cfg->server.slow_client_timeout_seconds, 10);
    ck_assert_int_eq(cfg->server.write_coalesce_ms, 2);
    ck_assert_int_eq(cfg->pipeline.max_parallel_agents, 8);
    ck_assert_double_eq(cfg->pipeline.global_timeout_seconds, 300);
    ck_assert_double_eq(cfg->pipeline.agent_timeout_seconds, 60);
    ck_assert_int_eq(cfg->pipeline.max_debate_rounds, 3);
    ck_assert_double_eq(cfg->pipeline.convergence_threshold, 0.8);
    ck_assert_double_eq(cfg->pipeline.consensus_threshold, 0.75);
    ck_assert_int_eq(cfg->pipeline.max_bill_bytes, 2097152);
    ck_assert_uint_eq(cfg->plugin_dir_count, 0);
}

START_TEST(test_defaults_are_the_documented_values)
{
    ps_config cfg;
    config_defaults(&cfg);
    assert_default_values(&cfg);
    ck_assert_uint_eq(cfg.agent_count, 0);
    ck_assert_ptr_null(cfg.path);
    config_free(&cfg);
}
END_TEST

/* Each setting's position in the embedded text holds its value (after the
 * opening quote of a quoted one), and `settings:` is where the agent says. */
static void assert_settings_point_at_their_text(const agent_config *agent)
{
    if (agent->setting_count == 0)
        return;
    const char *settings =
        text_at(ps_embedded_config, agent->settings_line, agent->settings_column);
    ck_assert_int_eq(strncmp(settings, "settings:", 9), 0);
    for (size_t i = 0; i < agent->setting_count; i++) {
        const config_scalar *setting = &agent->settings[i];
        const char *at = text_at(ps_embedded_config, setting->line, setting->column);
        if (*at == '"' || *at == '\'')
            at++;
        ck_assert_int_eq(strncmp(at, setting->value, strlen(setting->value)), 0);
    }
}

START_TEST(test_embedded_default_loads_cleanly)
{
    ps_config cfg;
    diag_list diags = {0};
    ck_assert_int_eq(config_load_default(&cfg, &diags), 0);
    ck_assert_uint_eq(diags.count, 0);
    ck_assert_str_eq(cfg.path, "<embedded>/polisim.yaml");
    ck_assert_str_eq(cfg.dir, ".");
    assert_default_values(&cfg);

    static const char *const names[] = {"fiscal", "economic", "healthcare",
                                        "social_security", "debate", "consensus"};
    ck_assert_uint_eq(cfg.agent_count, 6);
    size_t setting_count = 0;
    for (size_t i = 0; i < 6; i++) {
        const agent_config *agent = &cfg.agents[i];
        ck_assert_str_eq(agent->name, names[i]);
        ck_assert_str_eq(agent->plugin, names[i]);
        ck_assert_int_eq(agent->enabled, 1);
        ck_assert_int_eq(agent->required, i == 0);
        ck_assert_double_eq(agent->timeout_seconds, 60);
        ck_assert_int_eq(strncmp(text_at(ps_embedded_config, agent->line, agent->column),
                                 "name: ", 6), 0);
        assert_settings_point_at_their_text(agent);
        setting_count += agent->setting_count;
    }
    /* the shipped plugins own which settings they take; some are set */
    ck_assert_uint_gt(setting_count, 0);
    config_free(&cfg);
}
END_TEST

START_TEST(test_custom_file_sets_every_value)
{
    ps_config cfg;
    load_valid_file(CONFIGS_DIR "/full.yaml", &cfg);

    ck_assert_str_eq(cfg.server.host, "0.0.0.0");
    ck_assert_int_eq(cfg.server.port, 9000);
    ck_assert_int_eq(cfg.server.max_connections_per_analysis, 5);
    ck_assert_int_eq(cfg.server.max_total_connections, 50);
    ck_assert_int_eq(cfg.server.connection_timeout_seconds, 600);
    ck_assert_int_eq(cfg.server.ping_interval_seconds, 15);
    ck_assert_double_eq(cfg.server.max_events_per_second, 0);
    ck_assert_int_eq(cfg.server.thought_batch_window_ms, 250);
    ck_assert_int_eq(cfg.server.message_buffer_size, 64);
    ck_assert_int_eq(cfg.server.message_buffer_ttl_seconds, 120);
    ck_assert_int_eq(cfg.server.max_message_bytes, 8192);
    ck_assert_int_eq(cfg.server.max_request_bytes, 65536);
    ck_assert_int_eq(cfg.server.slow_client_timeout_seconds, 5);
    ck_assert_int_eq(cfg.server.write_coalesce_ms, 0);
    ck_assert_int_eq(cfg.pipeline.max_parallel_agents, 2);
    ck_assert_double_eq(cfg.pipeline.global_timeout_seconds, 30.5);
    ck_assert_double_eq(cfg.pipeline.agent_timeout_seconds, 7);
    ck_assert_int_eq(cfg.pipeline.max_debate_rounds, 5);
    ck_assert_double_eq(cfg.pipeline.convergence_threshold, 0.9);
    ck_assert_double_eq(cfg.pipeline.consensus_threshold, 1);
    ck_assert_int_eq(cfg.pipeline.max_bill_bytes, 1000);
    ck_assert_uint_eq(cfg.plugin_dir_count, 1);
    ck_assert_str_eq(cfg.plugin_dirs[0], "/opt/polisim/plugins");

    ck_assert_uint_eq(cfg.agent_count, 2);
    const agent_config *first = &cfg.agents[0];
    ck_assert_str_eq(first->name, "fiscal_2");
    ck_assert_str_eq(first->plugin, "./plugins/fiscal.so");
    ck_assert_int_eq(first->enabled, 0);
    ck_assert_int_eq(first->required, 1);
    ck_assert_double_eq(first->timeout_seconds, 12.5);
    ck_assert_int_eq(first->line, 4);
    ck_assert_int_eq(first->column, 5);
    ck_assert_int_eq(first->settings_line, 9);
    ck_assert_int_eq(first->settings_column, 5);
    ck_assert_uint_eq(first->setting_count, 2);
    ck_assert_str_eq(first->settings[0].key, "window_start");
    ck_assert_str_eq(first->settings[0].value, "2027");
    ck_assert_int_eq(first->settings[0].line, 10);
    ck_assert_int_eq(first->settings[0].column, 21);
    ck_assert_str_eq(first->settings[1].key, "label");
    ck_assert_str_eq(first->settings[1].value, "ten year");
    ck_assert_int_eq(first->settings[1].line, 11);
    ck_assert_int_eq(first->settings[1].column, 14);

    const agent_config *second = &cfg.agents[1];
    ck_assert_int_eq(second->enabled, 1);
    ck_assert_int_eq(second->required, 0);
    /* pipeline comes after agents in the file, yet its default applies */
    ck_assert_double_eq(second->timeout_seconds, 7);
    config_free(&cfg);
}
END_TEST

START_TEST(test_relative_plugin_dirs_resolve_against_the_file_folder)
{
    char folder[PATH_MAX];
    ck_assert_ptr_nonnull(realpath(CONFIGS_DIR, folder));
    char expected_first[PATH_MAX + 32], expected_second[PATH_MAX + 32];
    snprintf(expected_first, sizeof expected_first, "%s/plugins", folder);
    snprintf(expected_second, sizeof expected_second, "%s/../shared/plugins", folder);

    ps_config cfg;
    load_valid_file(CONFIGS_DIR "/plugin_dirs.yaml", &cfg);
    ck_assert_str_eq(cfg.dir, folder);
    ck_assert_uint_eq(cfg.plugin_dir_count, 3);
    ck_assert_str_eq(cfg.plugin_dirs[0], expected_first);
    ck_assert_str_eq(cfg.plugin_dirs[1], expected_second);
    ck_assert_str_eq(cfg.plugin_dirs[2], "/opt/polisim/plugins");
    config_free(&cfg);
}
END_TEST

START_TEST(test_plugin_dirs_of_a_string_resolve_against_its_dir)
{
    ps_config cfg;
    load_valid("plugin_dirs: [extra]\n", &cfg);
    ck_assert_str_eq(cfg.dir, "/base");
    ck_assert_uint_eq(cfg.plugin_dir_count, 1);
    ck_assert_str_eq(cfg.plugin_dirs[0], "/base/extra");
    config_free(&cfg);
}
END_TEST

START_TEST(test_missing_file_is_reported)
{
    ps_config cfg;
    expect_unreadable(CONFIGS_DIR "/no_such.yaml", &cfg,
                      CONFIGS_DIR "/no_such.yaml: cannot read: No such file or directory");
    ck_assert_ptr_null(cfg.path);
    ck_assert_ptr_null(cfg.server.host);
    ck_assert_uint_eq(cfg.agent_count, 0);
}
END_TEST

START_TEST(test_folder_is_not_a_config_file)
{
    ps_config cfg;
    expect_unreadable(CONFIGS_DIR, &cfg, CONFIGS_DIR ": cannot read: Is a directory");
}
END_TEST

/* An empty file is valid: the defaults, and no agents at all. */
static const char *const empty_documents[] = {"", "# only a comment\n", "---\n", "~\n", "{}\n"};

START_TEST(test_empty_document_gives_defaults_without_agents)
{
    ps_config cfg;
    load_valid(empty_documents[_i], &cfg);
    assert_default_values(&cfg);
    ck_assert_uint_eq(cfg.agent_count, 0);
    config_free(&cfg);
}
END_TEST

START_TEST(test_empty_sections_keep_defaults)
{
    ps_config cfg;
    load_valid("server:\npipeline: ~\nplugin_dirs:\nagents: []\n", &cfg);
    assert_default_values(&cfg);
    ck_assert_uint_eq(cfg.agent_count, 0);
    config_free(&cfg);
}
END_TEST

START_TEST(test_agent_defaults_apply)
{
    ps_config cfg;
    load_valid("agents:\n  - {name: a_1, plugin: /x/a.so}\n"
               "pipeline:\n  agent_timeout_seconds: 2.5\n", &cfg);
    ck_assert_uint_eq(cfg.agent_count, 1);
    ck_assert_str_eq(cfg.agents[0].name, "a_1");
    ck_assert_str_eq(cfg.agents[0].plugin, "/x/a.so");
    ck_assert_int_eq(cfg.agents[0].enabled, 1);
    ck_assert_int_eq(cfg.agents[0].required, 0);
    ck_assert_double_eq(cfg.agents[0].timeout_seconds, 2.5);
    ck_assert_uint_eq(cfg.agents[0].setting_count, 0);
    ck_assert_int_eq(cfg.agents[0].settings_line, 0);
    ck_assert_int_eq(cfg.agents[0].line, 2);
    ck_assert_int_eq(cfg.agents[0].column, 5);
    config_free(&cfg);
}
END_TEST

/* Each boolean spelling and the value it stands for. */
static const struct {
    const char *text;
    int value;
} booleans[] = {{"true", 1}, {"yes", 1}, {"on", 1},   {"True", 1},
                {"false", 0}, {"no", 0},  {"off", 0}, {"OFF", 0}};

START_TEST(test_boolean_spellings)
{
    char yaml[128];
    snprintf(yaml, sizeof yaml, "agents:\n  - {name: a, plugin: a, required: %s}\n",
             booleans[_i].text);
    ps_config cfg;
    load_valid(yaml, &cfg);
    ck_assert_int_eq(cfg.agents[0].required, booleans[_i].value);
    config_free(&cfg);
}
END_TEST

START_TEST(test_number_spellings)
{
    ps_config cfg;
    load_valid("server:\n  port: +8080\n  max_events_per_second: 1e2\n"
               "pipeline:\n  convergence_threshold: .5\n"
               "  global_timeout_seconds: '45'\n", &cfg);
    ck_assert_int_eq(cfg.server.port, 8080);
    ck_assert_double_eq(cfg.server.max_events_per_second, 100);
    ck_assert_double_eq(cfg.pipeline.convergence_threshold, 0.5);
    ck_assert_double_eq(cfg.pipeline.global_timeout_seconds, 45);
    config_free(&cfg);
}
END_TEST

START_TEST(test_setting_values_are_kept_as_written)
{
    ps_config cfg;
    load_valid("agents:\n  - name: a\n    plugin: a\n    settings:\n"
               "      rate: 0x1F\n      note: \"  spaced  \"\n      empty:\n", &cfg);
    const agent_config *agent = &cfg.agents[0];
    ck_assert_uint_eq(agent->setting_count, 3);
    ck_assert_str_eq(agent->settings[0].value, "0x1F");
    ck_assert_str_eq(agent->settings[1].value, "  spaced  ");
    ck_assert_str_eq(agent->settings[2].key, "empty");
    ck_assert_str_eq(agent->settings[2].value, "");
    config_free(&cfg);
}
END_TEST

START_TEST(test_diag_formats_known_parts_of_the_location)
{
    diag_list diags = {0};
    diag_add(&diags, "f.yaml", 3, 7, "bad %s", "value");
    diag_add(&diags, "f.yaml", 3, 0, "no column");
    diag_add(&diags, "f.yaml", 0, 0, "whole file");
    diag_add(&diags, NULL, 0, 0, "no file");
    ck_assert_uint_eq(diags.count, 4);
    ck_assert_str_eq(diags.messages[0], "f.yaml:3:7: bad value");
    ck_assert_str_eq(diags.messages[1], "f.yaml:3: no column");
    ck_assert_str_eq(diags.messages[2], "f.yaml: whole file");
    ck_assert_str_eq(diags.messages[3], "no file");
    diag_free(&diags);
    ck_assert_uint_eq(diags.count, 0);
    ck_assert_ptr_null(diags.messages);
}
END_TEST

static Suite *config_suite(void)
{
    Suite *suite = suite_create("config");
    CHECK_TCASE(suite, "defaults", test_defaults_are_the_documented_values, test_embedded_default_loads_cleanly);
    CHECK_TCASE(suite, "files", test_custom_file_sets_every_value,
                test_relative_plugin_dirs_resolve_against_the_file_folder,
                test_plugin_dirs_of_a_string_resolve_against_its_dir, test_missing_file_is_reported,
                test_folder_is_not_a_config_file);
    TCase *values = CHECK_TCASE(suite, "values", test_empty_sections_keep_defaults, test_agent_defaults_apply,
                                test_number_spellings, test_setting_values_are_kept_as_written);
    tcase_add_loop_test(values, test_empty_document_gives_defaults_without_agents, 0,
                        (int)(sizeof empty_documents / sizeof empty_documents[0]));
    tcase_add_loop_test(values, test_boolean_spellings, 0,
                        (int)(sizeof booleans / sizeof booleans[0]));
    CHECK_TCASE(suite, "diag", test_diag_formats_known_parts_of_the_location);
    return suite;
}

CHECK_MAIN(config_suite)
