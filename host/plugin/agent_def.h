/*
 * agent_def — ABI negotiation and validation of a plugin's ps_agent_def
 * (private to host/plugin).
 *
 * Owns the rules for what a definition must hold: struct_size, magic, ABI
 * major, the fields a version-1.0 host needs, the name, the roles and their
 * callbacks, and every declared setting (with a parseable default).
 */
#ifndef PS_PLUGIN_AGENT_DEF_H
#define PS_PLUGIN_AGENT_DEF_H

#include <stddef.h>
#include "polisim/polisim.h"

/* ps_agent_def as of ABI 1.0 ends with build_consensus: a plugin's struct
 * must be at least this large, whatever its minor version. */
#define PS_AGENT_DEF_MIN_SIZE \
    (offsetof(ps_agent_def, build_consensus) + sizeof(((ps_agent_def *)0)->build_consensus))

/* ps_setting_def as of ABI 1.0 ends with max. */
#define PS_SETTING_DEF_MIN_SIZE (offsetof(ps_setting_def, max) + sizeof(((ps_setting_def *)0)->max))

/* More declared settings than this means a missing NULL terminator. */
#define PS_MAX_SETTINGS 128

/* Checks what ps_agent_query returned and writes a normalized copy to *out:
 * the first min(struct_size, sizeof *out) bytes, the rest zero, and
 * out->struct_size = sizeof *out. Returns 0, or -1 with the reason in why
 * ("ABI major 2, host supports 1"). */
int agent_def_accept(const ps_agent_def *raw, ps_agent_def *out, char *why, size_t why_size);

/* [a-z0-9_]{1,64} */
int agent_name_valid(const char *name);

/* Number of entries in def->settings (0 when NULL). */
size_t agent_def_setting_count(const ps_agent_def *def);

#endif
