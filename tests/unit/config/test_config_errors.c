/*
 * Broken configurations: each must fail with exactly the listed messages,
 * in order, including file:line:column and the key path.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "../check_main.h"

#define MAX_MESSAGES 4

typedef struct broken_case {
    const char *title;
    const char *yaml;
    const char *messages[MAX_MESSAGES]; /* NULL-terminated when fewer */
} broken_case;

#define SERVER_KEYS                                                                         \
    "host, port, max_connections_per_analysis, max_total_connections, "                      \
    "connection_timeout_seconds, ping_interval_seconds, max_events_per_second, "             \
    "thought_batch_window_ms, message_buffer_size, message_buffer_ttl_seconds, "              \
    "max_message_bytes, max_request_bytes, slow_client_timeout_seconds, write_coalesce_ms"
#define NAME_RULE "a name of 1 to 64 characters from a-z, 0-9 and _"
#define AGENT_A "agents:\n  - name: a\n    plugin: a\n"

static const broken_case broken_cases[] = {
    {"unknown server key", "server:\n  prot: 80\n",
     {"test.yaml:2:3: server.prot: unknown key (expected one of: " SERVER_KEYS ")"}},
    {"unknown section", "servers:\n  port: 80\n",
     {"test.yaml:1:1: servers: unknown key (expected one of: server, pipeline, plugin_dirs, "
      "agents)"}},
    {"unknown agent key", AGENT_A "    timeout: 5\n",
     {"test.yaml:4:5: agents[0].timeout: unknown key (expected one of: name, plugin, enabled, "
      "required, timeout_seconds, settings)"}},
    {"port is a word", "server:\n  port: abc\n",
     {"test.yaml:2:9: server.port: expected an integer, got 'abc'"}},
    {"port above 65535", "server:\n  port: 70000\n",
     {"test.yaml:2:9: server.port: 70000 is out of range 1..65535"}},
    {"port zero", "server:\n  port: 0\n",
     {"test.yaml:2:9: server.port: 0 is out of range 1..65535"}},
    {"write coalescing above 100 ms", "server:\n  write_coalesce_ms: 101\n",
     {"test.yaml:2:22: server.write_coalesce_ms: 101 is out of range 0..100"}},
    {"port with a fraction", "server:\n  port: 1.5\n",
     {"test.yaml:2:9: server.port: expected an integer, got '1.5'"}},
    {"port with trailing garbage", "server:\n  port: 8000x\n",
     {"test.yaml:2:9: server.port: expected an integer, got '8000x'"}},
    {"port without a value", "server:\n  port:\n",
     {"test.yaml:2:8: server.port: expected an integer, got nothing"}},
    {"count that overflows", "server:\n  max_total_connections: 99999999999999999999\n",
     {"test.yaml:2:26: server.max_total_connections: 99999999999999999999 is too large "
      "(maximum 2147483647)"}},
    {"count of zero", "server:\n  message_buffer_size: 0\n",
     {"test.yaml:2:24: server.message_buffer_size: 0 must be at least 1"}},
    {"negative event rate", "server:\n  max_events_per_second: -1\n",
     {"test.yaml:2:26: server.max_events_per_second: -1 must be at least 0"}},
    {"empty host", "server:\n  host: \"\"\n", {"test.yaml:2:9: server.host: must not be empty"}},
    {"host is a list", "server:\n  host: [a, b]\n",
     {"test.yaml:2:9: server.host: expected a string, got a list"}},
    {"threshold above 1", "pipeline:\n  convergence_threshold: 1.5\n",
     {"test.yaml:2:26: pipeline.convergence_threshold: 1.5 is out of range 0..1"}},
    {"threshold below 0", "pipeline:\n  consensus_threshold: -0.1\n",
     {"test.yaml:2:24: pipeline.consensus_threshold: -0.1 is out of range 0..1"}},
    {"threshold is nan", "pipeline:\n  consensus_threshold: .nan\n",
     {"test.yaml:2:24: pipeline.consensus_threshold: expected a number, got '.nan'"}},
    {"too many parallel agents", "pipeline:\n  max_parallel_agents: 65\n",
     {"test.yaml:2:24: pipeline.max_parallel_agents: 65 is out of range 1..64"}},
    {"zero debate rounds", "pipeline:\n  max_debate_rounds: 0\n",
     {"test.yaml:2:22: pipeline.max_debate_rounds: 0 is out of range 1..20"}},
    {"zero global timeout", "pipeline:\n  global_timeout_seconds: 0\n",
     {"test.yaml:2:27: pipeline.global_timeout_seconds: 0 must be greater than 0"}},
    {"duplicate key", "server:\n  port: 1\n  port: 2\n",
     {"test.yaml:3:3: server.port: duplicate key (first at line 2, column 3)"}},
    {"duplicate section", "server: {}\nserver: {}\n",
     {"test.yaml:2:1: server: duplicate key (first at line 1, column 1)"}},
    {"missing plugin", AGENT_A "  - name: b\n",
     {"test.yaml:4:5: agents[1]: missing required key 'plugin'"}},
    {"missing name", "agents:\n  - plugin: a\n",
     {"test.yaml:2:5: agents[0]: missing required key 'name'"}},
    {"empty agent item", "agents:\n  - ~\n",
     {"test.yaml:2:5: agents[0]: missing required key 'name'",
      "test.yaml:2:5: agents[0]: missing required key 'plugin'"}},
    {"duplicate agent name", AGENT_A "  - name: b\n    plugin: b\n  - name: a\n    plugin: c\n",
     {"test.yaml:6:11: agents[2].name: duplicate agent name 'a' (first at line 2, column 11)"}},
    {"agent name with capitals", "agents:\n  - name: Fiscal\n    plugin: a\n",
     {"test.yaml:2:11: agents[0].name: expected " NAME_RULE ", got 'Fiscal'"}},
    {"agent name of 65 characters",
     "agents:\n  - name: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n"
     "    plugin: a\n",
     {"test.yaml:2:11: agents[0].name: expected " NAME_RULE
      ", got 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...'"}},
    {"empty plugin", "agents:\n  - name: a\n    plugin: ''\n",
     {"test.yaml:3:13: agents[0].plugin: must not be empty"}},
    {"enabled is not a boolean", AGENT_A "    enabled: maybe\n",
     {"test.yaml:4:14: agents[0].enabled: expected true or false, got 'maybe'"}},
    {"agent timeout of zero", AGENT_A "    timeout_seconds: 0\n",
     {"test.yaml:4:22: agents[0].timeout_seconds: 0 must be greater than 0"}},
    {"agent timeout is a word", AGENT_A "    timeout_seconds: soon\n",
     {"test.yaml:4:22: agents[0].timeout_seconds: expected a number, got 'soon'"}},
    {"agent timeout too large", AGENT_A "    timeout_seconds: 1e7\n",
     {"test.yaml:4:22: agents[0].timeout_seconds: 1e7 is too large (maximum 1000000)"}},
    {"settings is a list", AGENT_A "    settings: [1, 2]\n",
     {"test.yaml:4:15: agents[0].settings: expected a map, got a list"}},
    {"setting value is a map", AGENT_A "    settings:\n      window: {start: 1}\n",
     {"test.yaml:5:15: agents[0].settings.window: expected a single value, got a map"}},
    {"duplicate setting", AGENT_A "    settings:\n      year: 1\n      year: 2\n",
     {"test.yaml:6:7: agents[0].settings.year: duplicate key (first at line 5, column 7)"}},
    {"section is a scalar", "server: 8000\n",
     {"test.yaml:1:9: server: expected a map, got '8000'"}},
    {"agents is a map", "agents:\n  name: a\n",
     {"test.yaml:2:3: agents: expected a list, got a map"}},
    {"agent is a scalar", "agents:\n  - fiscal\n",
     {"test.yaml:2:5: agents[0]: expected a map, got 'fiscal'"}},
    {"plugin_dirs is a scalar", "plugin_dirs: /opt/plugins\n",
     {"test.yaml:1:14: plugin_dirs: expected a list, got '/opt/plugins'"}},
    {"plugin_dirs entry is a map", "plugin_dirs:\n  - /opt\n  - {a: 1}\n",
     {"test.yaml:3:5: plugin_dirs[1]: expected a string, got a map"}},
    {"top level is a list", "- a\n- b\n",
     {"test.yaml:1:1: expected a map of sections (server, pipeline, plugin_dirs, agents), got "
      "a list"}},
    {"top level is a scalar", "hello\n",
     {"test.yaml:1:1: expected a map of sections (server, pipeline, plugin_dirs, agents), got "
      "'hello'"}},
    {"alias as a value", "agents:\n  - name: &n a\n    plugin: *n\n",
     {"test.yaml:3:13: agents[0].plugin: aliases are not supported (*n)"}},
    {"alias as a section", "server: &s {port: 1}\npipeline: *s\n",
     {"test.yaml:2:11: pipeline: aliases are not supported (*s)"}},
    {"key is a list", "server:\n  ? [a]\n  : 1\n",
     {"test.yaml:2:5: server: expected a text key, got a list"}},
    {"syntax error: stray colon", "server: port: 80\n",
     {"test.yaml:1:13: syntax error: mapping values are not allowed in this context"}},
    {"syntax error: unclosed quote", "server:\n  host: \"abc\n",
     {"test.yaml:3:1: syntax error: found unexpected end of stream (while scanning a quoted "
      "scalar at line 2, column 9)"}},
    {"syntax error: tab indentation", "\t- a\n",
     {"test.yaml:1:1: syntax error: found character that cannot start any token (while "
      "scanning for the next token at line 1, column 1)"}},
    {"syntax error: invalid UTF-8", "server:\n  host: \xff\n",
     {"test.yaml:2:9: syntax error: invalid leading UTF-8 octet (byte 0xFF)"}},
    {"syntax error: control character", "server:\n  host: a\x01\n",
     {"test.yaml:2:10: syntax error: control characters are not allowed (byte 0x01)"}},
    {"NUL character", "server:\n  host: \"a\\0b\"\n",
     {"test.yaml:2:9: NUL characters are not allowed"}},
    {"nesting too deep",
     "a: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]\n",
     {"test.yaml:1:35: nesting is deeper than 32 levels"}},
    {"second document", "server: {}\n---\nagents: []\n",
     {"test.yaml:2:1: only one YAML document is allowed; this one and the rest are ignored"}},
    {"every problem is reported",
     "server:\n  port: x\n  hots: a\npipeline:\n  max_debate_rounds: 21\n"
     "agents:\n  - name: a\n",
     {"test.yaml:2:9: server.port: expected an integer, got 'x'",
      "test.yaml:3:3: server.hots: unknown key (expected one of: " SERVER_KEYS ")",
      "test.yaml:5:22: pipeline.max_debate_rounds: 21 is out of range 1..20",
      "test.yaml:7:5: agents[0]: missing required key 'plugin'"}},
};

#define BROKEN_CASE_COUNT ((int)(sizeof broken_cases / sizeof broken_cases[0]))

static int is_all_zero(const void *memory, size_t size)
{
    const unsigned char *bytes = memory;
    for (size_t i = 0; i < size; i++)
        if (bytes[i])
            return 0;
    return 1;
}

START_TEST(test_broken_config_reports_exact_messages)
{
    const broken_case *c = &broken_cases[_i];
    ps_config cfg;
    diag_list diags = {0};
    int result = config_load_string(c->yaml, strlen(c->yaml), "test.yaml", "/base", &cfg, &diags);
    ck_assert_msg(result == -1, "%s: loaded", c->title);
    ck_assert_msg(is_all_zero(&cfg, sizeof cfg), "%s: config not zeroed", c->title);
    size_t expected = 0;
    while (expected < MAX_MESSAGES && c->messages[expected])
        expected++;
    for (size_t i = 0; i < diags.count && i < expected; i++)
        ck_assert_msg(strcmp(diags.messages[i], c->messages[i]) == 0,
                      "%s: message %zu\n  got:      %s\n  expected: %s", c->title, i,
                      diags.messages[i], c->messages[i]);
    ck_assert_msg(diags.count == expected, "%s: %zu messages, expected %zu (first: %s)", c->title,
                  diags.count, expected, diags.count ? diags.messages[0] : "none");
    diag_free(&diags);
}
END_TEST

START_TEST(test_problems_beyond_the_limit_are_summarized)
{
    char yaml[4096] = "";
    size_t used = 0;
    for (int i = 0; i < 150; i++)
        used += (size_t)snprintf(yaml + used, sizeof yaml - used, "k%d: 1\n", i);
    ps_config cfg;
    diag_list diags = {0};
    ck_assert_int_eq(config_load_string(yaml, used, "test.yaml", ".", &cfg, &diags), -1);
    ck_assert_uint_eq(diags.count, 101);
    ck_assert_str_eq(diags.messages[0], "test.yaml:1:1: k0: unknown key (expected one of: "
                                        "server, pipeline, plugin_dirs, agents)");
    ck_assert_str_eq(diags.messages[100],
                     "test.yaml: more than 100 problems; the rest are not shown");
    diag_free(&diags);
}
END_TEST

START_TEST(test_oversized_text_is_refused)
{
    size_t length = 1024 * 1024 + 1;
    char *yaml = malloc(length);
    ck_assert_ptr_nonnull(yaml);
    memset(yaml, '#', length);
    ps_config cfg;
    diag_list diags = {0};
    ck_assert_int_eq(config_load_string(yaml, length, "big.yaml", ".", &cfg, &diags), -1);
    ck_assert_uint_eq(diags.count, 1);
    ck_assert_str_eq(diags.messages[0],
                     "big.yaml: too large (1048577 bytes; the limit is 1048576)");
    diag_free(&diags);
    free(yaml);
}
END_TEST

START_TEST(test_problems_are_appended_after_existing_ones)
{
    diag_list diags = {0};
    diag_add(&diags, "earlier.yaml", 1, 1, "earlier problem");
    ps_config cfg;
    const char *yaml = "server:\n  port: 0\n";
    ck_assert_int_eq(config_load_string(yaml, strlen(yaml), "test.yaml", ".", &cfg, &diags), -1);
    ck_assert_uint_eq(diags.count, 2);
    ck_assert_str_eq(diags.messages[1], "test.yaml:2:9: server.port: 0 is out of range 1..65535");
    diag_free(&diags);
}
END_TEST

START_TEST(test_failure_without_a_diag_list_still_fails)
{
    ps_config cfg;
    const char *yaml = "server:\n  port: 0\n";
    ck_assert_int_eq(config_load_string(yaml, strlen(yaml), "test.yaml", ".", &cfg, NULL), -1);
    ck_assert(is_all_zero(&cfg, sizeof cfg));
}
END_TEST

static Suite *config_errors_suite(void)
{
    Suite *suite = suite_create("config_errors");
    TCase *broken = CHECK_TCASE(suite, "broken", test_problems_beyond_the_limit_are_summarized,
                                test_oversized_text_is_refused, test_problems_are_appended_after_existing_ones,
                                test_failure_without_a_diag_list_still_fails);
    tcase_add_loop_test(broken, test_broken_config_reports_exact_messages, 0, BROKEN_CASE_COUNT);
    return suite;
}

CHECK_MAIN(config_errors_suite)
