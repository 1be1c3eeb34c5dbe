/*
 * settings — validates an agent's configured settings against its plugin's
 * declarations and fills defaults. See settings.h.
 */
#include "plugin/settings.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "plugin/agent_def.h"

static int parse_int(const char *text, int64_t *out)
{
    char *end;
    long long value;
    const char *digits = (text[0] == '-' || text[0] == '+') ? text + 1 : text;
    if (!isdigit((unsigned char)digits[0]))
        return -1;
    errno = 0;
    value = strtoll(text, &end, 10);
    if (errno != 0 || *end != '\0')
        return -1;
    *out = value;
    return 0;
}

static int parse_double(const char *text, double *out)
{
    char *end;
    double value;
    if (text[0] == '\0' || isspace((unsigned char)text[0]))
        return -1;
    value = strtod(text, &end);
    if (*end != '\0' || !isfinite(value))
        return -1;
    *out = value;
    return 0;
}

static int parse_bool(const char *text, int *out)
{
    static const char *const truths[] = {"true", "True", "TRUE"};
    static const char *const falsehoods[] = {"false", "False", "FALSE"};
    for (size_t i = 0; i < sizeof truths / sizeof truths[0]; i++) {
        if (strcmp(text, truths[i]) == 0) {
            *out = 1;
            return 0;
        }
        if (strcmp(text, falsehoods[i]) == 0) {
            *out = 0;
            return 0;
        }
    }
    return -1;
}

int setting_parse(const ps_setting_def *def, const char *text, setting_value *out, char *why,
                  size_t why_size)
{
    out->as_int = 0;
    out->as_double = 0;
    out->as_bool = 0;
    switch (def->type) {
    case PS_SETTING_STRING:
        return 0;
    case PS_SETTING_INT:
        if (parse_int(text, &out->as_int) != 0) {
            snprintf(why, why_size, "expected an integer, got '%.80s'", text);
            return -1;
        }
        out->as_double = (double)out->as_int;
        break;
    case PS_SETTING_DOUBLE:
        if (parse_double(text, &out->as_double) != 0) {
            snprintf(why, why_size, "expected a number, got '%.80s'", text);
            return -1;
        }
        break;
    case PS_SETTING_BOOL:
        if (parse_bool(text, &out->as_bool) != 0) {
            snprintf(why, why_size, "expected true or false, got '%.80s'", text);
            return -1;
        }
        return 0;
    default:
        snprintf(why, why_size, "unknown type %d", (int)def->type);
        return -1;
    }
    if (def->has_range && (out->as_double < def->min || out->as_double > def->max)) {
        snprintf(why, why_size, "%.80s is out of range [%g, %g]", text, def->min, def->max);
        return -1;
    }
    return 0;
}

/* Parses text into v and keeps a copy of it. */
static int store_value(setting_value *v, const char *text, char *why, size_t why_size)
{
    if (setting_parse(v->def, text, v, why, why_size) != 0)
        return -1;
    v->text = strdup(text);
    if (v->text == NULL) {
        snprintf(why, why_size, "out of memory");
        return -1;
    }
    return 0;
}

static setting_value *find_value(ps_instance *inst, const char *name)
{
    for (size_t i = 0; i < inst->setting_count; i++) {
        if (strcmp(inst->settings[i].def->name, name) == 0)
            return &inst->settings[i];
    }
    return NULL;
}

/* "a, b" — or "none". */
static void declared_names(const ps_instance *inst, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < inst->setting_count && used < size; i++) {
        int n = snprintf(buf + used, size - used, "%s%s", i > 0 ? ", " : "", inst->settings[i].def->name);
        used += n > 0 ? (size_t)n : 0;
    }
    if (inst->setting_count == 0)
        snprintf(buf, size, "none");
}

static int configured(const agent_config *agent, const char *name)
{
    for (size_t i = 0; agent != NULL && i < agent->setting_count; i++) {
        if (strcmp(agent->settings[i].key, name) == 0)
            return 1;
    }
    return 0;
}

static int bind_configured(ps_instance *inst, const ps_agent_def *def, const settings_origin *origin,
                           const config_scalar *scalar, diag_list *diags)
{
    char why[256];
    setting_value *v = find_value(inst, scalar->key);
    if (v == NULL) {
        char names[512];
        declared_names(inst, names, sizeof names);
        diag_add(diags, origin->config_name, scalar->line, scalar->column,
                 "%s.settings.%s: unknown setting for plugin '%s' (declared: %s)", origin->key_path,
                 scalar->key, def->name, names);
        return -1;
    }
    if (v->text != NULL) {
        diag_add(diags, origin->config_name, scalar->line, scalar->column, "%s.settings.%s: set twice",
                 origin->key_path, scalar->key);
        return -1;
    }
    if (store_value(v, scalar->value, why, sizeof why) != 0) {
        diag_add(diags, origin->config_name, scalar->line, scalar->column, "%s.settings.%s: %s",
                 origin->key_path, scalar->key, why);
        return -1;
    }
    return 0;
}

/* A setting the config left out: its default, or a diag if it is required. */
static int bind_unset(setting_value *v, const ps_agent_def *def, const settings_origin *origin,
                      diag_list *diags)
{
    const agent_config *agent = origin->agent;
    char why[256];
    int line = agent == NULL ? 0 : agent->settings_line != 0 ? agent->settings_line : agent->line;
    int column = agent == NULL ? 0 : agent->settings_line != 0 ? agent->settings_column : agent->column;
    if (v->def->default_value != NULL) {
        if (store_value(v, v->def->default_value, why, sizeof why) == 0)
            return 0;
        diag_add(diags, origin->config_name, line, column, "%s.settings.%s: default: %s", origin->key_path,
                 v->def->name, why);
        return -1;
    }
    if (v->def->required && origin->enforce_required) {
        diag_add(diags, origin->config_name, line, column,
                 "%s.settings: missing required setting '%s' for plugin '%s'", origin->key_path,
                 v->def->name, def->name);
        return -1;
    }
    return 0;
}

int settings_bind(ps_instance *inst, const ps_agent_def *def, const settings_origin *origin,
                  diag_list *diags)
{
    size_t count = agent_def_setting_count(def);
    int failed = 0;
    inst->setting_count = 0;
    inst->settings = NULL;
    if (count > 0) {
        inst->settings = calloc(count, sizeof *inst->settings);
        if (inst->settings == NULL) {
            diag_add(diags, origin->config_name, 0, 0, "%s.settings: out of memory", origin->key_path);
            return -1;
        }
    }
    inst->setting_count = count;
    for (size_t i = 0; i < count; i++)
        inst->settings[i].def = def->settings[i];
    for (size_t i = 0; origin->agent != NULL && i < origin->agent->setting_count; i++)
        failed |= bind_configured(inst, def, origin, &origin->agent->settings[i], diags) != 0;
    for (size_t i = 0; i < count; i++) {
        if (!configured(origin->agent, inst->settings[i].def->name))
            failed |= bind_unset(&inst->settings[i], def, origin, diags) != 0;
    }
    if (failed) {
        settings_free(inst);
        return -1;
    }
    return 0;
}

void settings_free(ps_instance *inst)
{
    for (size_t i = 0; i < inst->setting_count; i++)
        free(inst->settings[i].text);
    free(inst->settings);
    inst->settings = NULL;
    inst->setting_count = 0;
}
