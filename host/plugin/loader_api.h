/*
 * loader_api — the instance-level host API functions a plugin reaches
 * through ps_host_api: settings, data paths, logging.
 *
 * The pipeline assembles the ps_host_api table from these (the run-level
 * functions are its own). Every function tolerates a NULL instance or name
 * and then returns NULL / 0 or does nothing.
 */
#ifndef PS_PLUGIN_LOADER_API_H
#define PS_PLUGIN_LOADER_API_H

#include <stddef.h>
#include <stdint.h>
#include "plugin/loader.h"

/* The configured (or default) text of any declared setting; NULL if unset. */
const char *instance_setting_string(ps_instance *inst, const char *name);
/* A PS_SETTING_INT value; 0 if unset. */
int64_t instance_setting_int(ps_instance *inst, const char *name);
/* A PS_SETTING_DOUBLE or PS_SETTING_INT value; 0 if unset. */
double instance_setting_double(ps_instance *inst, const char *name);
/* A PS_SETTING_BOOL value (0/1); 0 if unset. */
int instance_setting_bool(ps_instance *inst, const char *name);
/* Asking for an undeclared setting, or an int from a string setting, logs a
 * warning for the agent and returns NULL / 0. */

/* `relative` against the config file's folder (absolute paths unchanged),
 * into buf. Returns buf, or NULL if it does not fit. */
const char *instance_resolve_path(ps_instance *inst, const char *relative, char *buf, size_t size);

/* "[agent_id] level: message" on stderr, one whole line per call. */
void instance_log(ps_instance *inst, int level, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
