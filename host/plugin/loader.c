/*
 * loader — finds, dlopens, negotiates and validates agent plugins, and owns
 * each loaded_agent until it is unloaded. See loader.h.
 */
#include "plugin/loader.h"

#include <dlfcn.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "plugin/agent_def.h"
#include "plugin/settings.h"

#ifndef PS_BUILD_PLUGIN_DIR
#error "PS_BUILD_PLUGIN_DIR (the build's plugin folder) comes from host/CMakeLists.txt"
#endif

/* ---- paths ------------------------------------------------------------------ */

static char default_plugin_dir[PATH_MAX];
static pthread_once_t default_plugin_dir_once = PTHREAD_ONCE_INIT;

static int is_directory(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int is_regular_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static void find_default_plugin_dir(void)
{
    char exe[PATH_MAX];
    ssize_t length = readlink("/proc/self/exe", exe, sizeof exe - 1);
    char *slash;
    if (length > 0) {
        exe[length] = '\0';
        slash = strrchr(exe, '/');
        if (slash != NULL && (size_t)(slash - exe) + sizeof "/plugins" <= sizeof default_plugin_dir) {
            memcpy(default_plugin_dir, exe, (size_t)(slash - exe));
            strcpy(default_plugin_dir + (slash - exe), "/plugins");
            if (is_directory(default_plugin_dir))
                return;
        }
    }
    snprintf(default_plugin_dir, sizeof default_plugin_dir, "%s", PS_BUILD_PLUGIN_DIR);
}

const char *loader_default_plugin_dir(void)
{
    pthread_once(&default_plugin_dir_once, find_default_plugin_dir);
    return default_plugin_dir;
}

/* malloc'd formatted string, or NULL when out of memory. */
static char *format_string(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *format_string(const char *fmt, ...)
{
    char *text;
    va_list ap;
    int n;
    va_start(ap, fmt);
    n = vasprintf(&text, fmt, ap);
    va_end(ap);
    return n < 0 ? NULL : text;
}

/* `path` against `dir`; absolute paths and an empty dir leave it as it is. */
static char *path_join(const char *dir, const char *path)
{
    if (path[0] == '/' || dir == NULL || dir[0] == '\0')
        return strdup(path);
    return format_string("%s/%s", dir, path);
}

static const char *config_name(const ps_config *cfg)
{
    return cfg != NULL && cfg->path != NULL ? cfg->path : "<config>";
}

#define KEY_PATH_SIZE 96

/* "agents[2]" for an entry of cfg->agents, else "agent 'id'". */
static void agent_key_path(const ps_config *cfg, const agent_config *agent, const char *id, char *buf,
                           size_t size)
{
    for (size_t i = 0; cfg != NULL && agent != NULL && i < cfg->agent_count; i++) {
        if (&cfg->agents[i] == agent) {
            snprintf(buf, size, "agents[%zu]", i);
            return;
        }
    }
    snprintf(buf, size, "agent '%s'", id != NULL ? id : "?");
}

/* Appends ", item" (or "item" first) to a fixed buffer, truncating. */
static void list_append(char *buf, size_t size, const char *item)
{
    size_t used = strlen(buf);
    if (used < size)
        snprintf(buf + used, size - used, "%s%s", used > 0 ? ", " : "", item);
}

/* NAME.so in cfg->plugin_dirs, then in the default folder. */
static char *search_plugin_dirs(const ps_config *cfg, const agent_config *agent, const char *key,
                                diag_list *diags)
{
    char looked_in[1024] = "";
    for (size_t i = 0; i <= cfg->plugin_dir_count; i++) {
        char *dir = i < cfg->plugin_dir_count ? path_join(cfg->dir, cfg->plugin_dirs[i])
                                              : strdup(loader_default_plugin_dir());
        char *candidate = dir != NULL ? format_string("%s/%s.so", dir, agent->plugin) : NULL;
        if (candidate == NULL) {
            free(dir);
            diag_add(diags, config_name(cfg), agent->line, agent->column, "%s.plugin: out of memory", key);
            return NULL;
        }
        list_append(looked_in, sizeof looked_in, dir);
        free(dir);
        if (is_regular_file(candidate))
            return candidate;
        free(candidate);
    }
    diag_add(diags, config_name(cfg), agent->line, agent->column, "%s.plugin: plugin '%s' not found (looked in %s)",
             key, agent->plugin, looked_in);
    return NULL;
}

char *loader_resolve(const ps_config *cfg, const agent_config *agent, diag_list *diags)
{
    char key[KEY_PATH_SIZE];
    char *path;
    agent_key_path(cfg, agent, agent->name, key, sizeof key);
    if (agent->plugin == NULL || agent->plugin[0] == '\0') {
        diag_add(diags, config_name(cfg), agent->line, agent->column, "%s.plugin: missing", key);
        return NULL;
    }
    if (strchr(agent->plugin, '/') == NULL)
        return search_plugin_dirs(cfg, agent, key, diags);
    path = path_join(cfg->dir, agent->plugin);
    if (path == NULL)
        diag_add(diags, config_name(cfg), agent->line, agent->column, "%s.plugin: out of memory", key);
    return path;
}

/* ---- loading one plugin --------------------------------------------------- */

static void reject(diag_list *diags, const char *path, const char *reason)
{
    diag_add(diags, path, 0, 0, "rejected: %s", reason);
}

/* dlerror() without the "PATH: " it starts with (the diag names the file). */
static const char *dl_reason(const char *path)
{
    const char *error = dlerror();
    size_t length = strlen(path);
    if (error == NULL)
        return "unknown dynamic loader error";
    if (strncmp(error, path, length) == 0 && strncmp(error + length, ": ", 2) == 0)
        return error + length + 2;
    return error;
}

/* dlopen, ps_agent_query, and the checks on what it returns. */
static int open_plugin(loaded_agent *a, diag_list *diags)
{
    char why[256];
    ps_agent_query_fn query;
    const ps_agent_def *raw;
    a->handle = dlopen(a->path, RTLD_NOW | RTLD_LOCAL);
    if (a->handle == NULL) {
        reject(diags, a->path, dl_reason(a->path));
        return -1;
    }
    dlerror();
    query = (ps_agent_query_fn)dlsym(a->handle, PS_AGENT_QUERY_SYMBOL);
    if (query == NULL) {
        reject(diags, a->path, dl_reason(a->path));
        return -1;
    }
    raw = query(PS_ABI_MAJOR, PS_ABI_MINOR);
    if (agent_def_accept(raw, &a->def, why, sizeof why) != 0) {
        reject(diags, a->path, why);
        return -1;
    }
    a->plugin_struct_size = raw->struct_size;
    return 0;
}

static int create_instance(loaded_agent *a, const ps_host_api *api, diag_list *diags)
{
    int rc;
    if (a->def.create != NULL) {
        a->instance.error[0] = '\0';
        rc = a->def.create(api, &a->instance, &a->state);
        if (rc != 0) {
            if (a->instance.error[0] != '\0')
                diag_add(diags, a->path, 0, 0, "create failed: %s", a->instance.error);
            else if (PS_API_HAS(api, strerror))
                diag_add(diags, a->path, 0, 0, "create failed: %s", api->strerror(rc));
            else
                diag_add(diags, a->path, 0, 0, "create failed: error %d", rc);
            return -1;
        }
    }
    a->created = 1;
    return 0;
}

/* Frees everything of a; destroy() only if create() succeeded. */
static void release_agent(loaded_agent *a)
{
    if (a->created && a->def.destroy != NULL)
        a->def.destroy(a->state);
    settings_free(&a->instance);
    if (a->handle != NULL)
        dlclose(a->handle);
    free(a->id);
    free(a->path);
    free(a);
}

loaded_agent *loader_load_one(const char *path, const char *id, const agent_config *agent_cfg,
                              const ps_config *cfg, const ps_host_api *api, diag_list *diags)
{
    char key[KEY_PATH_SIZE];
    settings_origin origin;
    loaded_agent *a = calloc(1, sizeof *a);
    if (a == NULL || (a->path = strdup(path)) == NULL) {
        free(a);
        reject(diags, path, "out of memory");
        return NULL;
    }
    a->instance.agent = a;
    a->instance.config_dir = cfg != NULL ? cfg->dir : NULL;
    a->required = agent_cfg != NULL && agent_cfg->required;
    a->timeout_seconds = agent_cfg != NULL ? agent_cfg->timeout_seconds
                         : cfg != NULL     ? cfg->pipeline.agent_timeout_seconds
                                           : 0;
    if (open_plugin(a, diags) != 0)
        goto fail;
    a->id = strdup(id != NULL ? id : a->def.name);
    if (a->id == NULL) {
        reject(diags, path, "out of memory");
        goto fail;
    }
    agent_key_path(cfg, agent_cfg, a->id, key, sizeof key);
    origin = (settings_origin){config_name(cfg), key, agent_cfg, api != NULL};
    if (settings_bind(&a->instance, &a->def, &origin, diags) != 0)
        goto fail;
    if (api != NULL && create_instance(a, api, diags) != 0)
        goto fail;
    return a;
fail:
    release_agent(a);
    return NULL;
}

void loader_unload(loaded_agent *a)
{
    if (a != NULL)
        release_agent(a);
}

/* ---- the configured swarm ------------------------------------------------- */

static const loaded_agent *find_agent(const agent_set *set, const char *id)
{
    for (size_t i = 0; i < set->count; i++) {
        if (strcmp(set->agents[i]->id, id) == 0)
            return set->agents[i];
    }
    return NULL;
}

/* Resolves and loads one configured agent; a duplicate id is rejected. */
static loaded_agent *load_configured(const ps_config *cfg, const agent_config *agent, const ps_host_api *api,
                                     const agent_set *loaded, diag_list *diags)
{
    char key[KEY_PATH_SIZE];
    loaded_agent *a;
    char *path = loader_resolve(cfg, agent, diags);
    if (path == NULL)
        return NULL;
    a = loader_load_one(path, agent->name, agent, cfg, api, diags);
    free(path);
    if (a != NULL && find_agent(loaded, a->id) != NULL) {
        agent_key_path(cfg, agent, a->id, key, sizeof key);
        diag_add(diags, config_name(cfg), agent->line, agent->column, "%s.name: duplicate agent id '%s'", key,
                 a->id);
        loader_unload(a);
        return NULL;
    }
    return a;
}

int loader_load_all(const ps_config *cfg, const ps_host_api *api, agent_set *out, diag_list *diags)
{
    int required_failed = 0;
    out->agents = NULL;
    out->count = 0;
    if (cfg->agent_count > 0) {
        out->agents = calloc(cfg->agent_count, sizeof *out->agents);
        if (out->agents == NULL) {
            diag_add(diags, config_name(cfg), 0, 0, "agents: out of memory");
            return -1;
        }
    }
    /* Every agent is tried, so that one run reports every problem. */
    for (size_t i = 0; i < cfg->agent_count; i++) {
        const agent_config *agent = &cfg->agents[i];
        loaded_agent *a;
        if (!agent->enabled)
            continue;
        a = load_configured(cfg, agent, api, out, diags);
        if (a != NULL)
            out->agents[out->count++] = a;
        else if (agent->required)
            required_failed = 1;
    }
    if (required_failed) {
        loader_unload_all(out);
        return -1;
    }
    return 0;
}

void loader_unload_all(agent_set *set)
{
    /* Reverse order: the last created is the first destroyed. */
    while (set->count > 0)
        loader_unload(set->agents[--set->count]);
    free(set->agents);
    set->agents = NULL;
}

const char *loader_roles_text(uint32_t roles, char *buf, size_t size)
{
    static const struct {
        uint32_t bit;
        const char *name;
    } role_names[] = {{PS_ROLE_ANALYST, "analyst"}, {PS_ROLE_DEBATE, "debate"}, {PS_ROLE_CONSENSUS, "consensus"}};
    size_t used = 0;
    if (size == 0)
        return buf;
    buf[0] = '\0';
    for (size_t i = 0; i < sizeof role_names / sizeof role_names[0]; i++) {
        int n;
        if (!(roles & role_names[i].bit) || used >= size)
            continue;
        n = snprintf(buf + used, size - used, "%s%s", used > 0 ? "+" : "", role_names[i].name);
        used += n > 0 ? (size_t)n : 0;
    }
    if (buf[0] == '\0')
        snprintf(buf, size, "none");
    return buf;
}
