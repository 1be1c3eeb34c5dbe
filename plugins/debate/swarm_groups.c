/*
 * swarm_groups — the view check, finding keys and per-analyst claims shared
 * by the debate and consensus plugins (see swarm_groups.h for the rules).
 */
#include "swarm_groups.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int is_analyst(const ps_swarm_view *view, const char *agent_id)
{
    for (size_t i = 0; i < view->analyst_count; i++)
        if (strcmp(view->analysts[i], agent_id) == 0)
            return 1;
    return 0;
}

static int check_record(const ps_swarm_view *view, size_t index, char *why, size_t why_size)
{
    const ps_finding_record *rec = view->findings[index];
    if (!PS_HAS_FIELD(rec, ps_finding_record, finding) || !rec->finding_id || !rec->agent_id || !rec->finding) {
        snprintf(why, why_size, "finding %zu is missing its id, agent or finding", index);
        return PS_EINVAL;
    }
    const ps_finding *f = rec->finding;
    const char *problem = NULL;
    if (!PS_HAS_FIELD(f, ps_finding, value))
        problem = "is too small for ABI 1.0";
    else if (!isfinite(f->confidence))
        problem = "has a confidence that is not a number";
    else if (f->metric && !isfinite(f->value))
        problem = "has a metric value that is not a number";
    else if (f->fiscal_impact && (!PS_HAS_FIELD(f->fiscal_impact, ps_fiscal_impact, amount_billions) ||
                                  !isfinite(f->fiscal_impact->amount_billions)))
        problem = "has an unreadable fiscal_impact";
    else if (!is_analyst(view, rec->agent_id))
        problem = "comes from an agent that is not a completed analyst";
    if (problem) {
        snprintf(why, why_size, "finding %zu (%s of %s) %s", index, rec->finding_id, rec->agent_id, problem);
        return PS_EINVAL;
    }
    return PS_OK;
}

int swarm_view_check(const ps_swarm_view *view, char *why, size_t why_size)
{
    if (!PS_HAS_FIELD(view, ps_swarm_view, consensus_threshold)) {
        snprintf(why, why_size, "the swarm view is missing or too small for ABI 1.0");
        return PS_EINVAL;
    }
    if ((view->analyst_count && !view->analysts) || (view->finding_count && !view->findings)) {
        snprintf(why, why_size, "the swarm view counts %zu analysts and %zu findings but has no list",
                 view->analyst_count, view->finding_count);
        return PS_EINVAL;
    }
    for (size_t i = 0; i < view->analyst_count; i++) {
        if (!view->analysts[i]) {
            snprintf(why, why_size, "analyst %zu of the swarm view has no id", i);
            return PS_EINVAL;
        }
    }
    for (size_t i = 0; i < view->finding_count; i++) {
        int rc = check_record(view, i, why, why_size);
        if (rc != PS_OK)
            return rc;
    }
    return PS_OK;
}

/* The key of a finding, malloc'd. */
static char *finding_key(const ps_finding *f)
{
    if (f->metric && f->metric[0])
        return strdup(f->metric);
    const char *category = f->category && f->category[0] ? f->category : "uncategorized";
    if (!f->related_section || !f->related_section[0])
        return strdup(category);
    size_t size = strlen(category) + strlen(f->related_section) + 2;
    char *key = malloc(size);
    if (key)
        snprintf(key, size, "%s@%s", category, f->related_section);
    return key;
}

static swarm_claim claim_of(const ps_finding_record *rec)
{
    const ps_finding *f = rec->finding;
    swarm_claim c = {.agent_id = rec->agent_id, .record = rec};
    c.confidence = f->confidence < 0 ? 0 : f->confidence > 1 ? 1 : f->confidence;
    if (f->metric && f->metric[0]) {
        c.has_value = 1;
        c.value = f->value;
    } else if (f->fiscal_impact) {
        c.has_value = 1;
        c.value = f->fiscal_impact->amount_billions;
    }
    return c;
}

const swarm_claim *swarm_group_claim(const swarm_group *group, const char *agent_id)
{
    for (size_t i = 0; i < group->claim_count; i++)
        if (strcmp(group->claims[i].agent_id, agent_id) == 0)
            return &group->claims[i];
    return NULL;
}

/* Adds rec to the group; its claim replaces the agent's one if more confident.
 * The arrays were sized by the counting pass of swarm_groups_build. */
static void group_add(swarm_group *group, const ps_finding_record *rec)
{
    group->records[group->record_count++] = rec;
    swarm_claim claim = claim_of(rec);
    swarm_claim *held = (swarm_claim *)swarm_group_claim(group, rec->agent_id);
    if (!held)
        group->claims[group->claim_count++] = claim;
    else if (claim.confidence > held->confidence)
        *held = claim;
}

/* Index of the group with this key, or groups->count. */
static size_t find_group(const swarm_groups *groups, const char *key)
{
    size_t i = 0;
    while (i < groups->count && strcmp(groups->items[i].key, key) != 0)
        i++;
    return i;
}

/* First pass: one group per key, record_count = how many findings it gets. */
static int count_groups(const ps_swarm_view *view, swarm_groups *out, size_t *group_of)
{
    for (size_t i = 0; i < view->finding_count; i++) {
        const ps_finding *f = view->findings[i]->finding;
        char *key = finding_key(f);
        if (!key)
            return PS_ENOMEM;
        size_t g = find_group(out, key);
        if (g == out->count) {
            out->items[out->count++] = (swarm_group){.key = key, .first = f};
        } else {
            free(key);
        }
        out->items[g].record_count++;
        group_of[i] = g;
    }
    return PS_OK;
}

int swarm_groups_build(const ps_swarm_view *view, swarm_groups *out)
{
    size_t n = view->finding_count;
    size_t *group_of = calloc(n ? n : 1, sizeof *group_of);
    out->count = 0;
    out->items = calloc(n ? n : 1, sizeof *out->items);
    int rc = group_of && out->items ? count_groups(view, out, group_of) : PS_ENOMEM;
    for (size_t g = 0; g < out->count && rc == PS_OK; g++) {
        swarm_group *group = &out->items[g];
        group->records = calloc(group->record_count, sizeof *group->records);
        group->claims = calloc(group->record_count, sizeof *group->claims);
        group->record_count = 0;
        if (!group->records || !group->claims)
            rc = PS_ENOMEM;
    }
    for (size_t i = 0; i < n && rc == PS_OK; i++)
        group_add(&out->items[group_of[i]], view->findings[i]);
    free(group_of);
    return rc;
}

void swarm_groups_free(swarm_groups *groups)
{
    for (size_t i = 0; i < groups->count; i++) {
        free(groups->items[i].key);
        free(groups->items[i].records);
        free(groups->items[i].claims);
    }
    free(groups->items);
    groups->items = NULL;
    groups->count = 0;
}

double swarm_relative_difference(double a, double b)
{
    double scale = fmax(fabs(a), fabs(b));
    return scale == 0 ? 0 : fabs(a - b) / scale;
}

void swarm_appendf(char *buf, size_t size, const char *fmt, ...)
{
    size_t used = strlen(buf);
    if (used + 1 >= size)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf + used, size - used, fmt, ap);
    va_end(ap);
}
