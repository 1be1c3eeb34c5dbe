/*
 * loader — finds, dlopens, negotiates and validates agent plugins.
 *
 * Owns each loaded_agent: the dlopen handle, a normalized copy of the
 * plugin's ps_agent_def (fields beyond its struct_size read as NULL/0), the
 * validated settings (ps_instance) and the plugin's state. Every rejection
 * names the file and the reason; a rejected optional agent is skipped, a
 * rejected required one fails the load.
 */
#ifndef PS_PLUGIN_LOADER_H
#define PS_PLUGIN_LOADER_H

#include <stddef.h>
#include "polisim/polisim.h"
#include "config/config.h"
#include "util/diag.h"

typedef struct setting_value {
    const ps_setting_def *def; /* the plugin's declaration */
    char *text;                /* value as configured, or the default; NULL if unset */
    int64_t as_int;
    double as_double;
    int as_bool;
} setting_value;

struct ps_instance {
    struct loaded_agent *agent;
    setting_value *settings;
    size_t setting_count;
    const char *config_dir;
    char error[512];           /* set by api->set_error during create */
};

typedef struct loaded_agent {
    char *id;                  /* agent name from the config */
    char *path;                /* resolved .so path */
    void *handle;              /* dlopen handle */
    ps_agent_def def;          /* normalized copy */
    uint32_t plugin_struct_size;
    ps_instance instance;
    void *state;               /* from create() */
    int created;               /* create() succeeded (or there is none): destroy() is due */
    double timeout_seconds;
    int required;
} loaded_agent;

typedef struct agent_set {
    loaded_agent **agents;
    size_t count;
} agent_set;

/* Folder holding the shipped plugins (next to the executable, or the
 * compiled-in build/install folder). */
const char *loader_default_plugin_dir(void);

/* Resolves a config `plugin:` value: absolute path, path relative to the
 * config folder, or a bare name searched as NAME.so in cfg->plugin_dirs then
 * the default folder. Returns malloc'd path or NULL (diag added). */
char *loader_resolve(const ps_config *cfg, const agent_config *agent, diag_list *diags);

/* Loads every enabled agent. Problems go to diags (with the .so path, and
 * config file:line:column for settings). Returns 0, or -1 if a required agent
 * was rejected (then *out is empty). */
int loader_load_all(const ps_config *cfg, const ps_host_api *api, agent_set *out, diag_list *diags);

/* Loads one plugin file directly (used by tests and `plugins`). id NULL: the
 * plugin's name. agent_cfg NULL: no settings configured. api NULL: inspect
 * only (settings get their defaults, required ones are not enforced, create()
 * is not called). The instance borrows cfg->dir: cfg must outlive the agent. */
loaded_agent *loader_load_one(const char *path, const char *id, const agent_config *agent_cfg,
                              const ps_config *cfg, const ps_host_api *api, diag_list *diags);

void loader_unload(loaded_agent *a);
void loader_unload_all(agent_set *set);

/* "analyst", "debate", "consensus", or "analyst+debate" into buf. */
const char *loader_roles_text(uint32_t roles, char *buf, size_t size);

#endif
