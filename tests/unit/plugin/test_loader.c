/*
 * test_loader — the plugin loader: every fixture plugin's accept/reject
 * message, ABI negotiation, settings validation with config positions,
 * defaults, finding the .so, duplicate ids, required vs optional agents.
 */
#include <check.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "plugin/agent_def.h"
#include "plugin/loader.h"
#include "plugin/loader_api.h"
#include "../check_main.h"

/* ---- a minimal host API: instance functions, plus a log that records ---- */

static char last_log[512];

static void record_log(ps_instance *inst, int level, const char *fmt, ...)
{
    va_list ap;
    (void)inst;
    (void)level;
    va_start(ap, fmt);
    vsnprintf(last_log, sizeof last_log, fmt, ap);
    va_end(ap);
}

/* What the pipeline's set_error does with no run: the create-time message. */
static void set_instance_error(ps_instance *inst, ps_run *run, const char *fmt, ...)
{
    va_list ap;
    (void)run;
    va_start(ap, fmt);
    vsnprintf(inst->error, sizeof inst->error, fmt, ap);
    va_end(ap);
}

static void ignore_error(ps_instance *inst, ps_run *run, const char *fmt, ...)
{
    (void)inst;
    (void)run;
    (void)fmt;
}

static const char *error_code_text(int code)
{
    return code == PS_EIO ? "PS_EIO: input/output error" : "another error";
}

static ps_host_api test_api(void)
{
    ps_host_api api;
    memset(&api, 0, sizeof api);
    api.struct_size = sizeof api;
    api.abi_major = PS_ABI_MAJOR;
    api.abi_minor = PS_ABI_MINOR;
    api.log = record_log;
    api.set_error = set_instance_error;
    api.strerror = error_code_text;
    api.setting_string = instance_setting_string;
    api.setting_int = instance_setting_int;
    api.setting_double = instance_setting_double;
    api.setting_bool = instance_setting_bool;
    api.resolve_path = instance_resolve_path;
    return api;
}

/* ---- a hand-built configuration ------------------------------------------ */

#define MAX_AGENTS 4
static ps_config cfg;
static agent_config agents[MAX_AGENTS];
static config_scalar scalars[MAX_AGENTS][8];
static char *plugin_dirs[] = {PS_FIXTURE_DIR};
static diag_list diags;
static ps_host_api api;

static void setup(void)
{
    memset(&cfg, 0, sizeof cfg);
    memset(agents, 0, sizeof agents);
    memset(&diags, 0, sizeof diags);
    cfg.path = "test.yaml";
    cfg.dir = PS_FIXTURE_DIR;
    cfg.plugin_dirs = plugin_dirs;
    cfg.plugin_dir_count = 1;
    cfg.agents = agents;
    cfg.pipeline.agent_timeout_seconds = 60;
    api = test_api();
    last_log[0] = '\0';
}

static void teardown(void)
{
    diag_free(&diags);
}

/* An enabled agent at line `line`, column 5; its `settings:` one line below. */
static agent_config *add_agent(const char *name, const char *plugin, int required, int line)
{
    agent_config *a = &agents[cfg.agent_count];
    a->name = (char *)name;
    a->plugin = (char *)plugin;
    a->enabled = 1;
    a->required = required;
    a->timeout_seconds = 30;
    a->settings = scalars[cfg.agent_count];
    a->line = line;
    a->column = 5;
    cfg.agent_count++;
    return a;
}

/* The agent's k-th setting, on line settings_line + 1 + k, value at column 18. */
static void add_setting(agent_config *a, const char *key, const char *value)
{
    a->settings_line = a->line + 1;
    a->settings_column = 5;
    a->settings[a->setting_count] = (config_scalar){(char *)key, (char *)value,
                                                    a->settings_line + 1 + (int)a->setting_count, 18};
    a->setting_count++;
}

static void assert_diag(size_t index, const char *expected)
{
    ck_assert_uint_gt(diags.count, index);
    ck_assert_str_eq(diags.messages[index], expected);
}

/* loader_load_all on the configured agents returns rc, loads `loaded` of
 * them into set and reports `problems` diagnostics. */
static void expect_load_all(agent_set *set, int rc, size_t loaded, size_t problems)
{
    ck_assert_int_eq(loader_load_all(&cfg, &api, set, &diags), rc);
    ck_assert_uint_eq(set->count, loaded);
    ck_assert_uint_eq(diags.count, problems);
}

/* ---- fixtures rejected with the file and the reason ---------------------- */

static const struct {
    const char *file;
    const char *reason;
} rejections[] = {
    {"returns_null.so", "rejected: ps_agent_query returned NULL (the plugin cannot run on host ABI 1.0)"},
    {"bad_magic.so", "rejected: bad magic 0xdeadbeef (expected 0x50534147)"},
    {"abi_major_2.so", "rejected: ABI major 2, host supports 1"},
    {"missing_callback.so", "rejected: analyst role needs debate_respond"},
    {"bad_name.so", "rejected: name 'Bad-Name' is not [a-z0-9_]{1,64}"},
    {"bad_setting_default.so", "rejected: setting 'rounds': bad default: expected an integer, got 'ten'"},
    {"create_fails.so", "create failed: cannot open model 'model.bin'"},
    {"no_entry_symbol.so", "rejected: undefined symbol: ps_agent_query"},
    {"not_a_plugin.so", "rejected: invalid ELF header"},
    {"no_such_plugin.so", "rejected: cannot open shared object file: No such file or directory"},
};

static void expect_rejected(const char *path, const ps_host_api *host, const char *reason)
{
    char expected[1024];
    ck_assert_ptr_null(loader_load_one(path, NULL, NULL, &cfg, host, &diags));
    ck_assert_uint_eq(diags.count, 1);
    snprintf(expected, sizeof expected, "%s: %s", path, reason);
    assert_diag(0, expected);
}

START_TEST(fixture_is_rejected_with_reason)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/%s", PS_FIXTURE_DIR, rejections[_i].file);
    expect_rejected(path, &api, rejections[_i].reason);
}
END_TEST

START_TEST(struct_too_small_is_rejected)
{
    char reason[128];
    ck_assert_uint_eq(PS_AGENT_DEF_MIN_SIZE, sizeof(ps_agent_def)); /* ABI 1.0: every field is required */
    snprintf(reason, sizeof reason, "rejected: struct_size %zu is smaller than ABI 1.0's %zu",
             offsetof(ps_agent_def, build_consensus), sizeof(ps_agent_def));
    expect_rejected(PS_FIXTURE_DIR "/struct_too_small.so", &api, reason);
}
END_TEST

START_TEST(create_failure_without_message_uses_error_text)
{
    api.set_error = ignore_error;
    expect_rejected(PS_FIXTURE_DIR "/create_fails.so", &api, "create failed: PS_EIO: input/output error");
}
END_TEST

START_TEST(create_failure_without_any_text_names_the_code)
{
    api.set_error = ignore_error;
    api.strerror = NULL;
    expect_rejected(PS_FIXTURE_DIR "/create_fails.so", &api, "create failed: error -4");
}
END_TEST

START_TEST(newer_minor_loads_reading_only_known_fields)
{
    loaded_agent *a = loader_load_one(PS_FIXTURE_DIR "/newer_minor.so", NULL, NULL, &cfg, &api, &diags);
    ck_assert_ptr_nonnull(a);
    ck_assert_uint_eq(diags.count, 0);
    ck_assert_str_eq(a->id, "newer_minor");
    ck_assert_uint_eq(a->def.abi_minor, PS_ABI_MINOR + 1);
    ck_assert_uint_gt(a->plugin_struct_size, sizeof(ps_agent_def));
    ck_assert_uint_eq(a->def.struct_size, sizeof(ps_agent_def));
    ck_assert_int_eq(a->created, 1);
    loader_unload(a);
}
END_TEST

/* ---- a configured good_analyst -------------------------------------------- */

START_TEST(configured_analyst_gets_settings_and_defaults)
{
    agent_set set;
    agent_config *a = add_agent("good", "good_analyst", 1, 10);
    add_setting(a, "data_file", "data/rates.csv");
    add_setting(a, "max_items", "42");
    add_setting(a, "verbose", "true");
    expect_load_all(&set, 0, 1, 0);
    ck_assert_str_eq(set.agents[0]->id, "good");
    ck_assert_str_eq(set.agents[0]->path, PS_FIXTURE_DIR "/good_analyst.so");
    ck_assert_int_eq(set.agents[0]->required, 1);
    ck_assert_double_eq(set.agents[0]->timeout_seconds, 30);
    /* create() read every value through the API table it was given */
    ck_assert_str_eq(last_log, "greeting=hello threshold=0.5 max_items=42 verbose=1 data_file=data/rates.csv");
    ck_assert_ptr_null(instance_setting_string(&set.agents[0]->instance, "note"));
    loader_unload_all(&set);
    ck_assert_uint_eq(set.count, 0);
    ck_assert_ptr_null(set.agents);
}
END_TEST

START_TEST(inspection_fills_defaults_without_create)
{
    loaded_agent *a = loader_load_one(PS_FIXTURE_DIR "/good_analyst.so", NULL, NULL, &cfg, NULL, &diags);
    ck_assert_ptr_nonnull(a);
    ck_assert_uint_eq(diags.count, 0);
    ck_assert_int_eq(a->created, 0);
    ck_assert_ptr_null(a->state);
    ck_assert_int_eq(instance_setting_int(&a->instance, "max_items"), 10);
    ck_assert_ptr_null(instance_setting_string(&a->instance, "data_file"));
    loader_unload(a);
}
END_TEST

static const struct {
    const char *key, *value, *message;
} bad_settings[] = {
    {"colour", "red", "test.yaml:13:18: agents[0].settings.colour: unknown setting for plugin 'good_analyst' "
                      "(declared: greeting, threshold, max_items, verbose, data_file, note)"},
    {"max_items", "many", "test.yaml:13:18: agents[0].settings.max_items: expected an integer, got 'many'"},
    {"max_items", "4.5", "test.yaml:13:18: agents[0].settings.max_items: expected an integer, got '4.5'"},
    {"max_items", "500", "test.yaml:13:18: agents[0].settings.max_items: 500 is out of range [1, 100]"},
    {"threshold", "high", "test.yaml:13:18: agents[0].settings.threshold: expected a number, got 'high'"},
    {"threshold", "1.5", "test.yaml:13:18: agents[0].settings.threshold: 1.5 is out of range [0, 1]"},
    {"threshold", "nan", "test.yaml:13:18: agents[0].settings.threshold: expected a number, got 'nan'"},
    {"verbose", "yes", "test.yaml:13:18: agents[0].settings.verbose: expected true or false, got 'yes'"},
};

START_TEST(bad_setting_is_reported_at_its_position)
{
    agent_set set;
    agent_config *a = add_agent("good", "good_analyst", 0, 10);
    add_setting(a, "data_file", "rates.csv");
    add_setting(a, bad_settings[_i].key, bad_settings[_i].value);
    expect_load_all(&set, 0, 0, 1);
    assert_diag(0, bad_settings[_i].message);
    loader_unload_all(&set);
}
END_TEST

START_TEST(missing_required_setting_is_reported_at_settings_key)
{
    agent_set set;
    add_setting(add_agent("good", "good_analyst", 0, 10), "greeting", "hi");
    expect_load_all(&set, 0, 0, 1);
    assert_diag(0, "test.yaml:11:5: agents[0].settings: missing required setting 'data_file' for plugin 'good_analyst'");
    loader_unload_all(&set);
}
END_TEST

START_TEST(missing_required_setting_without_settings_key_uses_agent_position)
{
    agent_set set;
    add_agent("good", "good_analyst", 0, 10);
    expect_load_all(&set, 0, 0, 1);
    assert_diag(0, "test.yaml:10:5: agents[0].settings: missing required setting 'data_file' for plugin 'good_analyst'");
    loader_unload_all(&set);
}
END_TEST

START_TEST(every_settings_problem_is_reported)
{
    agent_set set;
    agent_config *a = add_agent("good", "good_analyst", 0, 10);
    add_setting(a, "colour", "red");
    add_setting(a, "verbose", "1");
    expect_load_all(&set, 0, 0, 3);
    ck_assert_ptr_nonnull(strstr(diags.messages[0], "agents[0].settings.colour: unknown setting"));
    assert_diag(1, "test.yaml:13:18: agents[0].settings.verbose: expected true or false, got '1'");
    assert_diag(2, "test.yaml:11:5: agents[0].settings: missing required setting 'data_file' for plugin 'good_analyst'");
    loader_unload_all(&set);
}
END_TEST

/* ---- finding the .so -------------------------------------------------------- */

static void expect_resolved(const char *plugin, const char *expected)
{
    char *path = loader_resolve(&cfg, add_agent("a", plugin, 0, 10), &diags);
    ck_assert_ptr_nonnull(path);
    ck_assert_str_eq(path, expected);
    ck_assert_uint_eq(diags.count, 0);
    free(path);
}

START_TEST(bare_name_is_found_in_plugin_dirs)
{
    expect_resolved("good_analyst", PS_FIXTURE_DIR "/good_analyst.so");
}
END_TEST

START_TEST(relative_plugin_dir_resolves_against_config_folder)
{
    char *dot[] = {"."};
    cfg.plugin_dirs = dot;
    expect_resolved("good_analyst", PS_FIXTURE_DIR "/./good_analyst.so");
}
END_TEST

START_TEST(bare_name_falls_back_to_shipped_plugins)
{
    ck_assert_str_eq(loader_default_plugin_dir(), PS_PLUGIN_DIR); /* no plugins/ next to the test binary */
    expect_resolved("fiscal", PS_PLUGIN_DIR "/fiscal.so");
}
END_TEST

START_TEST(path_with_slash_is_relative_to_config_folder)
{
    expect_resolved("sub/x.so", PS_FIXTURE_DIR "/sub/x.so");
}
END_TEST

START_TEST(absolute_path_is_kept)
{
    expect_resolved("/opt/agents/x.so", "/opt/agents/x.so");
}
END_TEST

START_TEST(unknown_bare_name_lists_folders_searched)
{
    ck_assert_ptr_null(loader_resolve(&cfg, add_agent("a", "nope", 0, 10), &diags));
    ck_assert_uint_eq(diags.count, 1);
    assert_diag(0, "test.yaml:10:5: agents[0].plugin: plugin 'nope' not found (looked in " PS_FIXTURE_DIR ", "
                   PS_PLUGIN_DIR ")");
}
END_TEST

/* ---- the swarm ---------------------------------------------------------------- */

START_TEST(duplicate_agent_id_is_rejected)
{
    agent_set set;
    add_setting(add_agent("twin", "good_analyst", 0, 10), "data_file", "a.csv");
    add_setting(add_agent("twin", "good_analyst", 0, 20), "data_file", "b.csv");
    expect_load_all(&set, 0, 1, 1);
    assert_diag(0, "test.yaml:20:5: agents[1].name: duplicate agent id 'twin'");
    loader_unload_all(&set);
}
END_TEST

START_TEST(rejected_optional_agent_is_skipped)
{
    agent_set set;
    add_agent("magic", "bad_magic", 0, 10);
    add_setting(add_agent("good", "good_analyst", 1, 20), "data_file", "a.csv");
    expect_load_all(&set, 0, 1, 1);
    ck_assert_str_eq(set.agents[0]->id, "good");
    assert_diag(0, PS_FIXTURE_DIR "/bad_magic.so: rejected: bad magic 0xdeadbeef (expected 0x50534147)");
    loader_unload_all(&set);
}
END_TEST

START_TEST(rejected_required_agent_fails_and_unloads_the_rest)
{
    agent_set set;
    add_setting(add_agent("good", "good_analyst", 0, 10), "data_file", "a.csv");
    add_agent("magic", "bad_magic", 1, 20);
    add_agent("major", "abi_major_2", 1, 30);
    expect_load_all(&set, -1, 0, 2); /* every agent was tried */
    ck_assert_ptr_null(set.agents);  /* good was destroyed and closed: LSan sees no leak */
    assert_diag(1, PS_FIXTURE_DIR "/abi_major_2.so: rejected: ABI major 2, host supports 1");
}
END_TEST

START_TEST(disabled_agent_is_not_loaded)
{
    agent_set set;
    add_agent("off", "nope", 1, 10)->enabled = 0;
    expect_load_all(&set, 0, 0, 0);
    loader_unload_all(&set);
}
END_TEST

static Suite *loader_suite(void)
{
    Suite *suite = suite_create("loader");
    TCase *plugins = CHECK_TCASE(suite, "plugins", struct_too_small_is_rejected,
                                 create_failure_without_message_uses_error_text,
                                 create_failure_without_any_text_names_the_code,
                                 newer_minor_loads_reading_only_known_fields);
    TCase *settings = CHECK_TCASE(suite, "settings", configured_analyst_gets_settings_and_defaults,
                                  inspection_fills_defaults_without_create,
                                  missing_required_setting_is_reported_at_settings_key,
                                  missing_required_setting_without_settings_key_uses_agent_position,
                                  every_settings_problem_is_reported);
    TCase *swarm = CHECK_TCASE(suite, "swarm", bare_name_is_found_in_plugin_dirs,
                               relative_plugin_dir_resolves_against_config_folder,
                               bare_name_falls_back_to_shipped_plugins, path_with_slash_is_relative_to_config_folder,
                               absolute_path_is_kept, unknown_bare_name_lists_folders_searched,
                               duplicate_agent_id_is_rejected, rejected_optional_agent_is_skipped,
                               rejected_required_agent_fails_and_unloads_the_rest, disabled_agent_is_not_loaded);
    tcase_add_checked_fixture(plugins, setup, teardown);
    tcase_add_checked_fixture(settings, setup, teardown);
    tcase_add_checked_fixture(swarm, setup, teardown);
    tcase_add_loop_test(plugins, fixture_is_rejected_with_reason, 0, (int)(sizeof rejections / sizeof rejections[0]));
    tcase_add_loop_test(settings, bad_setting_is_reported_at_its_position, 0,
                        (int)(sizeof bad_settings / sizeof bad_settings[0]));
    return suite;
}

CHECK_MAIN(loader_suite)
