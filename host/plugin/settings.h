/*
 * settings — turns an agent's configured `settings:` scalars into validated,
 * typed values against what its plugin declares (private to host/plugin).
 *
 * Owns the parsing rules for each ps_setting_type (shared with the check of
 * declared defaults) and ps_instance.settings.
 */
#ifndef PS_PLUGIN_SETTINGS_H
#define PS_PLUGIN_SETTINGS_H

#include <stddef.h>
#include "plugin/loader.h"

/* Parses `text` as the declared type and checks the declared range. Fills
 * out->as_int / as_double / as_bool (not out->text). Returns 0, or -1 with
 * the reason in why ("expected an integer, got 'ten'"). */
int setting_parse(const ps_setting_def *def, const char *text, setting_value *out, char *why,
                  size_t why_size);

/* Where the agent's settings came from, for messages. */
typedef struct settings_origin {
    const char *config_name;     /* config file, "CONFIG" in "CONFIG:LINE:COL: ..." */
    const char *key_path;        /* "agents[2]" */
    const agent_config *agent;   /* NULL: nothing configured */
    int enforce_required;        /* 0: a missing required setting is fine (inspection) */
} settings_origin;

/* Fills inst->settings: one value per declared setting, configured or
 * default. Every unknown key, bad value and missing required setting is a
 * diag. Returns 0, or -1 (inst->settings freed). */
int settings_bind(ps_instance *inst, const ps_agent_def *def, const settings_origin *origin,
                  diag_list *diags);

void settings_free(ps_instance *inst);

#endif
