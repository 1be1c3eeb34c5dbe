/*
 * loader_api — instance-level host API functions. See loader_api.h.
 */
#include "plugin/loader_api.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char *agent_id(const ps_instance *inst)
{
    return inst->agent != NULL && inst->agent->id != NULL ? inst->agent->id : "?";
}

/* The value of a declared setting that `wanted` can read, or NULL (warned). */
static const setting_value *readable_setting(ps_instance *inst, const char *name, int (*wanted)(ps_setting_type),
                                             const char *what)
{
    if (inst == NULL || name == NULL)
        return NULL;
    for (size_t i = 0; i < inst->setting_count; i++) {
        const setting_value *v = &inst->settings[i];
        if (strcmp(v->def->name, name) != 0)
            continue;
        if (wanted(v->def->type))
            return v;
        instance_log(inst, PS_LOG_WARN, "setting '%s' is not %s", name, what);
        return NULL;
    }
    instance_log(inst, PS_LOG_WARN, "setting '%s' is not declared", name);
    return NULL;
}

static int any_type(ps_setting_type type)
{
    (void)type;
    return 1;
}

static int int_type(ps_setting_type type)
{
    return type == PS_SETTING_INT;
}

static int number_type(ps_setting_type type)
{
    return type == PS_SETTING_INT || type == PS_SETTING_DOUBLE;
}

static int bool_type(ps_setting_type type)
{
    return type == PS_SETTING_BOOL;
}

const char *instance_setting_string(ps_instance *inst, const char *name)
{
    const setting_value *v = readable_setting(inst, name, any_type, "a string");
    return v != NULL ? v->text : NULL;
}

int64_t instance_setting_int(ps_instance *inst, const char *name)
{
    const setting_value *v = readable_setting(inst, name, int_type, "an integer");
    return v != NULL ? v->as_int : 0;
}

double instance_setting_double(ps_instance *inst, const char *name)
{
    const setting_value *v = readable_setting(inst, name, number_type, "a number");
    return v != NULL ? v->as_double : 0.0;
}

int instance_setting_bool(ps_instance *inst, const char *name)
{
    const setting_value *v = readable_setting(inst, name, bool_type, "a bool");
    return v != NULL ? v->as_bool : 0;
}

const char *instance_resolve_path(ps_instance *inst, const char *relative, char *buf, size_t size)
{
    int n;
    if (relative == NULL || buf == NULL || size == 0)
        return NULL;
    if (relative[0] == '/' || inst == NULL || inst->config_dir == NULL || inst->config_dir[0] == '\0')
        n = snprintf(buf, size, "%s", relative);
    else
        n = snprintf(buf, size, "%s/%s", inst->config_dir, relative);
    return n >= 0 && (size_t)n < size ? buf : NULL;
}

static const char *level_name(int level)
{
    switch (level) {
    case PS_LOG_ERROR: return "error";
    case PS_LOG_WARN: return "warn";
    case PS_LOG_INFO: return "info";
    case PS_LOG_DEBUG: return "debug";
    default: return "log";
    }
}

void instance_log(ps_instance *inst, int level, const char *fmt, ...)
{
    char line[1024];
    va_list ap;
    int used;
    if (inst == NULL || fmt == NULL)
        return;
    used = snprintf(line, sizeof line, "[%s] %s: ", agent_id(inst), level_name(level));
    if (used < 0 || (size_t)used >= sizeof line - 1)
        return;
    va_start(ap, fmt);
    vsnprintf(line + used, sizeof line - 1 - (size_t)used, fmt, ap);
    va_end(ap);
    strcat(line, "\n");
    fputs(line, stderr); /* one locked call per line: lines from several threads stay whole */
}
