/*
 * test_loader_api — what the loader offers besides loading: the definition
 * checks (agent_def_accept, without a .so), the instance API plugins call
 * (settings, data paths, logging), role names, and that every fixture and
 * shipped plugin exports only ps_agent_query.
 */
#include <check.h>
#include <dirent.h>
#include <elf.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "plugin/agent_def.h"
#include "plugin/loader.h"
#include "plugin/loader_api.h"
#include "../check_main.h"

/* ---- definition checks, without a .so ------------------------------------- */

/* Callbacks that only need to exist: agent_def_accept never calls them. */
static int stub_analyze(void *state, ps_run *run, const ps_bill *bill)
{
    (void)state, (void)run, (void)bill;
    return PS_OK;
}

static int stub_respond(void *state, ps_run *run, const ps_debate_prompt *prompt, ps_debate_reply *reply)
{
    (void)state, (void)run, (void)prompt, (void)reply;
    return PS_OK;
}

static int stub_view(void *state, ps_run *run, const ps_swarm_view *view)
{
    (void)state, (void)run, (void)view;
    return PS_OK;
}

static ps_setting_def case_settings[2];
static const ps_setting_def *case_setting_list[3];

/* A valid analyst+debate+consensus definition with two valid settings. */
static ps_agent_def valid_def(void)
{
    ps_agent_def def;
    memset(&def, 0, sizeof def);
    def.struct_size = sizeof def;
    def.magic = PS_AGENT_MAGIC;
    def.abi_major = PS_ABI_MAJOR;
    def.name = "swarm";
    def.label = "Swarm";
    def.version = "1";
    def.roles = PS_ROLE_ANALYST | PS_ROLE_DEBATE | PS_ROLE_CONSENSUS;
    def.analyze = stub_analyze;
    def.debate_respond = stub_respond;
    def.moderate = stub_view;
    def.build_consensus = stub_view;
    for (int i = 0; i < 2; i++) {
        case_settings[i] = (ps_setting_def){.struct_size = sizeof(ps_setting_def), .name = i ? "rounds" : "ratio",
                                            .type = i ? PS_SETTING_INT : PS_SETTING_DOUBLE, .default_value = "1",
                                            .has_range = 1, .min = 0, .max = 5};
        case_setting_list[i] = &case_settings[i];
    }
    case_setting_list[2] = NULL;
    def.settings = case_setting_list;
    return def;
}

static void no_roles(ps_agent_def *d) { d->roles = 0; }
static void unknown_role(ps_agent_def *d) { d->roles |= 1u << 5; }
static void no_name(ps_agent_def *d) { d->name = NULL; }
static void no_label(ps_agent_def *d) { d->label = NULL; }
static void no_version(ps_agent_def *d) { d->version = NULL; }
static void long_name(ps_agent_def *d) { d->name = "a123456789b123456789c123456789d123456789e123456789f123456789g1234"; }
static void no_analyze(ps_agent_def *d) { d->analyze = NULL; }
static void no_moderate(ps_agent_def *d) { d->moderate = NULL; }
static void no_build_consensus(ps_agent_def *d) { d->build_consensus = NULL; }
static void small_setting(ps_agent_def *d) { (void)d; case_settings[1].struct_size = 8; }
static void unnamed_setting(ps_agent_def *d) { (void)d; case_settings[1].name = NULL; }
static void unknown_setting_type(ps_agent_def *d) { (void)d; case_settings[1].type = (ps_setting_type)9; }
static void empty_range(ps_agent_def *d) { (void)d; case_settings[1].min = 6; }
static void default_out_of_range(ps_agent_def *d) { (void)d; case_settings[1].default_value = "7"; }
static void setting_twice(ps_agent_def *d) { (void)d; case_settings[1].name = "ratio"; }

static const struct {
    void (*bend)(ps_agent_def *def);
    const char *why;
} bent_defs[] = {
    {no_roles, "no roles"},
    {unknown_role, "unknown role bits 0x20"},
    {no_name, "missing name"},
    {no_label, "missing label"},
    {no_version, "missing version"},
    {long_name, "name 'a123456789b123456789c123456789d123456789e123456789f123456789g1234' is not [a-z0-9_]{1,64}"},
    {no_analyze, "analyst role needs analyze"},
    {no_moderate, "debate role needs moderate"},
    {no_build_consensus, "consensus role needs build_consensus"},
    {unnamed_setting, "setting #2: name '(null)' is not [a-z0-9_]{1,64}"},
    {unknown_setting_type, "setting 'rounds': unknown type 9"},
    {empty_range, "setting 'rounds': empty range [6, 5]"},
    {default_out_of_range, "setting 'rounds': bad default: 7 is out of range [0, 5]"},
    {setting_twice, "setting 'ratio' is declared twice"},
};

START_TEST(valid_definition_is_accepted_and_normalized)
{
    ps_agent_def raw = valid_def(), out;
    char why[256] = "";
    raw.abi_minor = PS_ABI_MINOR + 3;
    ck_assert_int_eq(agent_def_accept(&raw, &out, why, sizeof why), 0);
    ck_assert_str_eq(why, "");
    ck_assert_str_eq(out.name, "swarm");
    ck_assert_uint_eq(out.abi_minor, PS_ABI_MINOR + 3);
    ck_assert_uint_eq(out.struct_size, sizeof(ps_agent_def));
}
END_TEST

START_TEST(bent_definition_is_rejected)
{
    ps_agent_def raw = valid_def(), out;
    char why[256] = "";
    bent_defs[_i].bend(&raw);
    ck_assert_int_eq(agent_def_accept(&raw, &out, why, sizeof why), -1);
    ck_assert_str_eq(why, bent_defs[_i].why);
}
END_TEST

START_TEST(small_setting_definition_is_rejected)
{
    ps_agent_def raw = valid_def(), out;
    char why[256] = "", expected[256];
    ck_assert_uint_eq(PS_SETTING_DEF_MIN_SIZE, sizeof(ps_setting_def)); /* ABI 1.0: every field is required */
    small_setting(&raw);
    snprintf(expected, sizeof expected, "setting #2: struct_size 8 is smaller than ABI 1.0's %zu",
             sizeof(ps_setting_def));
    ck_assert_int_eq(agent_def_accept(&raw, &out, why, sizeof why), -1);
    ck_assert_str_eq(why, expected);
}
END_TEST

/* ---- role names ----------------------------------------------------------- */

START_TEST(roles_text_joins_role_names)
{
    char buf[32], tiny[8];
    ck_assert_str_eq(loader_roles_text(PS_ROLE_ANALYST, buf, sizeof buf), "analyst");
    ck_assert_str_eq(loader_roles_text(PS_ROLE_ANALYST | PS_ROLE_DEBATE, buf, sizeof buf), "analyst+debate");
    ck_assert_str_eq(loader_roles_text(PS_ROLE_CONSENSUS, buf, sizeof buf), "consensus");
    ck_assert_str_eq(loader_roles_text(0, buf, sizeof buf), "none");
    ck_assert_str_eq(loader_roles_text(PS_ROLE_ANALYST | PS_ROLE_DEBATE, tiny, sizeof tiny), "analyst");
}
END_TEST

/* ---- the instance API ----------------------------------------------------- */

static const ps_setting_def api_int = {.struct_size = sizeof(ps_setting_def), .name = "rounds",
                                       .type = PS_SETTING_INT};
static const ps_setting_def api_bool = {.struct_size = sizeof(ps_setting_def), .name = "strict",
                                        .type = PS_SETTING_BOOL};

/* The instance the api tests call: agent "fiscal" with rounds = 7 and
 * strict = true, set up afresh before each test. */
static loaded_agent agent;
static setting_value values[2];

static void setup_instance(void)
{
    memset(&agent, 0, sizeof agent);
    agent.id = "fiscal";
    agent.instance.agent = &agent;
    agent.instance.config_dir = "/etc/polisim";
    values[0] = (setting_value){&api_int, "7", 7, 7.0, 0};
    values[1] = (setting_value){&api_bool, "true", 0, 0.0, 1};
    agent.instance.settings = values;
    agent.instance.setting_count = 2;
}

/* What fn(inst) writes to stderr. */
static void capture_stderr(void (*fn)(ps_instance *inst), ps_instance *inst, char *out, size_t size)
{
    FILE *file = tmpfile();
    int saved = dup(STDERR_FILENO);
    size_t n;
    ck_assert_ptr_nonnull(file);
    dup2(fileno(file), STDERR_FILENO);
    fn(inst);
    dup2(saved, STDERR_FILENO);
    close(saved);
    rewind(file);
    n = fread(out, 1, size - 1, file);
    out[n] = '\0';
    fclose(file);
}

static void log_a_warning(ps_instance *inst)
{
    instance_log(inst, PS_LOG_WARN, "window %d-%d", 2026, 2035);
}

static void read_wrong_types(ps_instance *inst)
{
    ck_assert_int_eq(instance_setting_bool(inst, "rounds"), 0);
    ck_assert_ptr_null(instance_setting_string(inst, "colour"));
}

START_TEST(log_line_names_agent_and_level)
{
    char out[256];
    capture_stderr(log_a_warning, &agent.instance, out, sizeof out);
    ck_assert_str_eq(out, "[fiscal] warn: window 2026-2035\n");
}
END_TEST

START_TEST(settings_read_by_type)
{
    ck_assert_int_eq(instance_setting_int(&agent.instance, "rounds"), 7);
    ck_assert_double_eq(instance_setting_double(&agent.instance, "rounds"), 7.0);
    ck_assert_str_eq(instance_setting_string(&agent.instance, "rounds"), "7");
    ck_assert_int_eq(instance_setting_bool(&agent.instance, "strict"), 1);
    ck_assert_ptr_null(instance_setting_string(NULL, "rounds"));
}
END_TEST

START_TEST(wrong_setting_reads_warn_and_return_nothing)
{
    char out[256];
    capture_stderr(read_wrong_types, &agent.instance, out, sizeof out);
    ck_assert_str_eq(out, "[fiscal] warn: setting 'rounds' is not a bool\n"
                          "[fiscal] warn: setting 'colour' is not declared\n");
}
END_TEST

START_TEST(data_path_resolves_against_config_folder)
{
    char buf[32], tiny[8];
    ck_assert_str_eq(instance_resolve_path(&agent.instance, "data/cbo.csv", buf, sizeof buf),
                     "/etc/polisim/data/cbo.csv");
    ck_assert_str_eq(instance_resolve_path(&agent.instance, "/srv/x.csv", buf, sizeof buf), "/srv/x.csv");
    ck_assert_ptr_null(instance_resolve_path(&agent.instance, "data/cbo.csv", tiny, sizeof tiny));
}
END_TEST

/* ---- exported symbols (nm -D --defined-only, by hand) ----------------------- */

/* The defined, default-visibility dynamic symbols of an ELF64 file, each
 * followed by a space. Returns -1 if the file is not ELF64. */
static int exported_symbols(const char *path, char *out, size_t size)
{
    struct stat st;
    int fd = open(path, O_RDONLY);
    const unsigned char *map;
    const Elf64_Ehdr *header;
    const Elf64_Shdr *sections;
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(fstat(fd, &st), 0);
    map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    ck_assert_ptr_ne(map, MAP_FAILED);
    header = (const Elf64_Ehdr *)map;
    if ((size_t)st.st_size < sizeof *header || memcmp(header->e_ident, ELFMAG, SELFMAG) != 0 ||
        header->e_ident[EI_CLASS] != ELFCLASS64) {
        munmap((void *)map, (size_t)st.st_size);
        return -1;
    }
    sections = (const Elf64_Shdr *)(map + header->e_shoff);
    out[0] = '\0';
    for (size_t i = 0; i < header->e_shnum; i++) {
        const Elf64_Sym *symbols = (const Elf64_Sym *)(map + sections[i].sh_offset);
        const char *names = (const char *)(map + sections[sections[i].sh_link].sh_offset);
        if (sections[i].sh_type != SHT_DYNSYM)
            continue;
        for (size_t j = 0; j < sections[i].sh_size / sizeof *symbols; j++) {
            const Elf64_Sym *s = &symbols[j];
            int global = ELF64_ST_BIND(s->st_info) == STB_GLOBAL || ELF64_ST_BIND(s->st_info) == STB_WEAK;
            if (s->st_shndx != SHN_UNDEF && global && ELF64_ST_VISIBILITY(s->st_other) == STV_DEFAULT) {
                strncat(out, names + s->st_name, size - strlen(out) - 1);
                strncat(out, " ", size - strlen(out) - 1);
            }
        }
    }
    munmap((void *)map, (size_t)st.st_size);
    return 0;
}

/* Checks every .so in dir; returns how many were ELF. */
static int check_exports_in(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *entry;
    int checked = 0;
    ck_assert_msg(d != NULL, "cannot open %s", dir);
    while ((entry = readdir(d)) != NULL) {
        char path[PATH_MAX], symbols[1024];
        size_t length = strlen(entry->d_name);
        if (length < 4 || strcmp(entry->d_name + length - 3, ".so") != 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, entry->d_name);
        if (exported_symbols(path, symbols, sizeof symbols) != 0)
            continue; /* not_a_plugin.so */
        ck_assert_msg(strcmp(symbols, "ps_agent_query ") == 0 ||
                          (strcmp(entry->d_name, "no_entry_symbol.so") == 0 && symbols[0] == '\0'),
                      "%s exports: %s", path, symbols);
        checked++;
    }
    closedir(d);
    return checked;
}

START_TEST(plugins_export_only_the_entry_symbol)
{
    ck_assert_int_ge(check_exports_in(PS_FIXTURE_DIR), 14);
    ck_assert_int_ge(check_exports_in(PS_PLUGIN_DIR), 6);
}
END_TEST

static Suite *loader_api_suite(void)
{
    Suite *suite = suite_create("loader_api");
    TCase *definition = CHECK_TCASE(suite, "definition", valid_definition_is_accepted_and_normalized,
                                    small_setting_definition_is_rejected, plugins_export_only_the_entry_symbol);
    TCase *api = CHECK_TCASE(suite, "api", roles_text_joins_role_names, log_line_names_agent_and_level,
                             settings_read_by_type, wrong_setting_reads_warn_and_return_nothing,
                             data_path_resolves_against_config_folder);
    tcase_add_checked_fixture(api, setup_instance, NULL);
    tcase_add_loop_test(definition, bent_definition_is_rejected, 0, (int)(sizeof bent_defs / sizeof bent_defs[0]));
    return suite;
}

CHECK_MAIN(loader_api_suite)
