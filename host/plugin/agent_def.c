/*
 * agent_def — ABI negotiation and validation of a plugin's ps_agent_def.
 * See agent_def.h.
 */
#include "plugin/agent_def.h"

#include <stdio.h>
#include <string.h>
#include "plugin/settings.h"

#define KNOWN_ROLES (PS_ROLE_ANALYST | PS_ROLE_DEBATE | PS_ROLE_CONSENSUS)

int agent_name_valid(const char *name)
{
    size_t length = 0;
    for (; name[length] != '\0'; length++) {
        char c = name[length];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
            return 0;
    }
    return length >= 1 && length <= 64;
}

size_t agent_def_setting_count(const ps_agent_def *def)
{
    size_t count = 0;
    if (def->settings == NULL)
        return 0;
    while (count <= PS_MAX_SETTINGS && def->settings[count] != NULL)
        count++;
    return count;
}

/* The header every ABI shares: struct_size, magic, abi_major, abi_minor. */
static int header_acceptable(const ps_agent_def *raw, char *why, size_t why_size)
{
    if (raw->struct_size < offsetof(ps_agent_def, name)) {
        snprintf(why, why_size, "struct_size %u is smaller than ABI 1.0's %zu", raw->struct_size,
                 (size_t)PS_AGENT_DEF_MIN_SIZE);
        return 0;
    }
    if (raw->magic != PS_AGENT_MAGIC) {
        snprintf(why, why_size, "bad magic 0x%08x (expected 0x%08x)", raw->magic, PS_AGENT_MAGIC);
        return 0;
    }
    if (raw->abi_major != PS_ABI_MAJOR) {
        snprintf(why, why_size, "ABI major %u, host supports %u", raw->abi_major, PS_ABI_MAJOR);
        return 0;
    }
    if (raw->struct_size < PS_AGENT_DEF_MIN_SIZE) {
        snprintf(why, why_size, "struct_size %u is smaller than ABI 1.0's %zu", raw->struct_size,
                 (size_t)PS_AGENT_DEF_MIN_SIZE);
        return 0;
    }
    return 1;
}

static int text_fields_valid(const ps_agent_def *def, char *why, size_t why_size)
{
    const char *missing = def->name == NULL ? "name" : def->label == NULL ? "label"
                        : def->version == NULL ? "version" : NULL;
    if (missing != NULL) {
        snprintf(why, why_size, "missing %s", missing);
        return 0;
    }
    if (!agent_name_valid(def->name)) {
        snprintf(why, why_size, "name '%.80s' is not [a-z0-9_]{1,64}", def->name);
        return 0;
    }
    return 1;
}

/* The callback a role cannot run without, or NULL when all are there. */
static const char *missing_role_callback(const ps_agent_def *def)
{
    if ((def->roles & PS_ROLE_ANALYST) && def->analyze == NULL)
        return "analyst role needs analyze";
    if ((def->roles & PS_ROLE_ANALYST) && def->debate_respond == NULL)
        return "analyst role needs debate_respond";
    if ((def->roles & PS_ROLE_DEBATE) && def->moderate == NULL)
        return "debate role needs moderate";
    if ((def->roles & PS_ROLE_CONSENSUS) && def->build_consensus == NULL)
        return "consensus role needs build_consensus";
    return NULL;
}

static int roles_valid(const ps_agent_def *def, char *why, size_t why_size)
{
    const char *missing;
    if (def->roles == 0) {
        snprintf(why, why_size, "no roles");
        return 0;
    }
    if (def->roles & ~(uint32_t)KNOWN_ROLES) {
        snprintf(why, why_size, "unknown role bits 0x%x", def->roles & ~(uint32_t)KNOWN_ROLES);
        return 0;
    }
    missing = missing_role_callback(def);
    if (missing != NULL) {
        snprintf(why, why_size, "%s", missing);
        return 0;
    }
    return 1;
}

static int setting_def_valid(const ps_setting_def *s, size_t index, char *why, size_t why_size)
{
    char reason[256];
    setting_value parsed;
    if (s->struct_size < PS_SETTING_DEF_MIN_SIZE) {
        snprintf(why, why_size, "setting #%zu: struct_size %u is smaller than ABI 1.0's %zu", index + 1,
                 s->struct_size, (size_t)PS_SETTING_DEF_MIN_SIZE);
        return 0;
    }
    if (s->name == NULL || !agent_name_valid(s->name)) {
        snprintf(why, why_size, "setting #%zu: name '%.80s' is not [a-z0-9_]{1,64}", index + 1,
                 s->name != NULL ? s->name : "(null)");
        return 0;
    }
    if (s->type < PS_SETTING_STRING || s->type > PS_SETTING_BOOL) {
        snprintf(why, why_size, "setting '%s': unknown type %d", s->name, (int)s->type);
        return 0;
    }
    if (s->has_range && !(s->min <= s->max)) {
        snprintf(why, why_size, "setting '%s': empty range [%g, %g]", s->name, s->min, s->max);
        return 0;
    }
    if (s->default_value != NULL && setting_parse(s, s->default_value, &parsed, reason, sizeof reason) != 0) {
        snprintf(why, why_size, "setting '%s': bad default: %s", s->name, reason);
        return 0;
    }
    return 1;
}

static int settings_valid(const ps_agent_def *def, char *why, size_t why_size)
{
    size_t count = agent_def_setting_count(def);
    if (count > PS_MAX_SETTINGS) {
        snprintf(why, why_size, "more than %d settings (is the list NULL-terminated?)", PS_MAX_SETTINGS);
        return 0;
    }
    for (size_t i = 0; i < count; i++) {
        if (!setting_def_valid(def->settings[i], i, why, why_size))
            return 0;
        for (size_t j = 0; j < i; j++) {
            if (strcmp(def->settings[j]->name, def->settings[i]->name) == 0) {
                snprintf(why, why_size, "setting '%s' is declared twice", def->settings[i]->name);
                return 0;
            }
        }
    }
    return 1;
}

int agent_def_accept(const ps_agent_def *raw, ps_agent_def *out, char *why, size_t why_size)
{
    size_t copy;
    if (raw == NULL) {
        snprintf(why, why_size, "ps_agent_query returned NULL (the plugin cannot run on host ABI %u.%u)",
                 PS_ABI_MAJOR, PS_ABI_MINOR);
        return -1;
    }
    if (!header_acceptable(raw, why, why_size))
        return -1;
    /* A newer minor is fine: read what this host knows, ignore the rest. */
    copy = raw->struct_size < sizeof *out ? raw->struct_size : sizeof *out;
    memset(out, 0, sizeof *out);
    memcpy(out, raw, copy);
    out->struct_size = sizeof *out;
    if (!text_fields_valid(out, why, why_size) || !roles_valid(out, why, why_size) ||
        !settings_valid(out, why, why_size))
        return -1;
    return 0;
}
