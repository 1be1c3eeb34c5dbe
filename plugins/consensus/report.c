/*
 * report — what the consensus verdict says: the summary sentence and the
 * MessagePack report carried in consensus_reached.report.
 *
 * The report is a map:
 *   level, agreement, analysts: [id], thresholds: {strong_consensus, consensus, majority},
 *   groups_total, truncated,
 *   groups: [{key, metric|nil, category|nil, related_section|nil, level, agreement, debated,
 *             uncontested (a single voter), finding_ids: [id], holders: [agent], dissenters: [agent],
 *             floor: nil | {flagged_by: [agent], acknowledged_by: [agent], not_acknowledged_by: [agent]}}],
 *   minority_views: [{finding_id|nil, agent_id, description|nil, value|nil}],
 *   debates: [{topic, metric, rounds, convergence_score, converged, stop_reason|nil,
 *              final_positions: [{agent_id, value, confidence}]}]
 * A debated total is a *floor* when its debate's final positions carry the
 * debate plugin's omission notes (swarm_groups.h): flagged_by = the
 * positions with a note (the authors of what it leaves out),
 * acknowledged_by = those with the acknowledgment mark and no note,
 * not_acknowledged_by = the rest. The summary names each floor the same way.
 * It stays within what the host accepts from a plugin (64 KiB, 4096 entries)
 * with a margin: when it would not, it lists fewer groups and minority views
 * (halving until it fits) and says truncated: true.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "consensus_internal.h"

#define REPORT_MAX_BYTES 60000
#define REPORT_MAX_ENTRIES 4000

/* Groups at `level`; only the uncontested ones (a single voter) when uncontested is set. */
static size_t count_level(const consensus_verdict *v, const char *level, int uncontested)
{
    size_t n = 0;
    for (size_t i = 0; i < v->group_count; i++)
        n += strcmp(v->groups[i].level, level) == 0 && (!uncontested || v->groups[i].voter_count == 1);
    return n;
}

/* The least agreed group that has dissenters, or NULL. */
static const group_verdict *widest_split(const consensus_verdict *v)
{
    const group_verdict *widest = NULL;
    for (size_t i = 0; i < v->group_count; i++) {
        const group_verdict *g = &v->groups[i];
        for (size_t j = 0; j < g->voter_count; j++) {
            if (!g->voters[j].supports && (!widest || g->agreement < widest->agreement)) {
                widest = g;
                break;
            }
        }
    }
    return widest;
}

static void append_agents(char *buf, size_t size, const group_verdict *g, int supporters)
{
    const char *separator = "";
    for (size_t i = 0; i < g->voter_count; i++) {
        if (g->voters[i].supports == supporters) {
            swarm_appendf(buf, size, "%s%s", separator, g->voters[i].agent_id);
            separator = ", ";
        }
    }
}

/* Where a debate's final position stands on whether the total is complete. */
typedef enum floor_stance { FLOOR_FLAGGED, FLOOR_ACKNOWLEDGED, FLOOR_NOT_ACKNOWLEDGED } floor_stance;

static floor_stance stance_of(const ps_position *p)
{
    if (p->argument && strstr(p->argument, SWARM_NOTE_MARK))
        return FLOOR_FLAGGED;
    if (p->argument && strncmp(p->argument, SWARM_ACK_MARK, strlen(SWARM_ACK_MARK)) == 0)
        return FLOOR_ACKNOWLEDGED;
    return FLOOR_NOT_ACKNOWLEDGED;
}

static size_t count_stance(const ps_debate_outcome *o, floor_stance stance)
{
    size_t n = 0;
    for (size_t i = 0; o && i < o->position_count; i++)
        n += stance_of(o->positions[i]) == stance;
    return n;
}

/* "a, b": the positions of o that take stance. */
static void append_stance(char *buf, size_t size, const ps_debate_outcome *o, floor_stance stance)
{
    const char *separator = "";
    for (size_t i = 0; i < o->position_count; i++) {
        if (stance_of(o->positions[i]) == stance) {
            swarm_appendf(buf, size, "%s%s", separator, o->positions[i]->agent_id);
            separator = ", ";
        }
    }
}

/* " Floors: m leaves out what a, b flag (acknowledged by c; not by d); ..." */
static void append_floors(char *buf, size_t size, const ps_swarm_view *view)
{
    size_t listed = 0;
    for (size_t i = 0; i < view->debate_count; i++) {
        const ps_debate_outcome *o = view->debates[i];
        size_t flagged = count_stance(o, FLOOR_FLAGGED), acknowledged = count_stance(o, FLOOR_ACKNOWLEDGED),
               not_acknowledged = count_stance(o, FLOOR_NOT_ACKNOWLEDGED);
        if (flagged == 0)
            continue;
        swarm_appendf(buf, size, "%s%s leaves out what ", listed++ ? "; " : " Floors: ", o->metric);
        append_stance(buf, size, o, FLOOR_FLAGGED);
        swarm_appendf(buf, size, " flag%s", flagged > 1 ? "" : "s");
        if (acknowledged) {
            swarm_appendf(buf, size, " (acknowledged by ");
            append_stance(buf, size, o, FLOOR_ACKNOWLEDGED);
        }
        if (not_acknowledged) {
            swarm_appendf(buf, size, "%s", acknowledged ? "; not by " : " (not acknowledged by ");
            append_stance(buf, size, o, FLOOR_NOT_ACKNOWLEDGED);
        }
        swarm_appendf(buf, size, "%s", acknowledged || not_acknowledged ? ")" : "");
    }
    swarm_appendf(buf, size, "%s", listed ? "." : "");
}

void consensus_summary(const consensus_verdict *v, const ps_swarm_view *view, char *buf, size_t size)
{
    size_t strong = count_level(v, "strong_consensus", 0);
    size_t converged = 0;
    for (size_t i = 0; i < view->debate_count; i++)
        converged += view->debates[i]->converged != 0;
    snprintf(buf, size,
             "%s: %zu of %zu finding groups agreed (%zu strong, %zu uncontested), %zu majority, %zu divided; "
             "%zu of %zu debates converged; overall agreement %.2f from %zu analysts.",
             v->level, strong + count_level(v, "consensus", 0), v->group_count, strong,
             count_level(v, "consensus", 1), count_level(v, "majority", 0), count_level(v, "divided", 0), converged,
             view->debate_count, v->agreement, view->analyst_count);
    const group_verdict *split = widest_split(v);
    if (split) {
        swarm_appendf(buf, size, " Widest split: %s (", split->group->key);
        append_agents(buf, size, split, 1);
        swarm_appendf(buf, size, " vs ");
        append_agents(buf, size, split, 0);
        swarm_appendf(buf, size, ").");
    }
    append_floors(buf, size, view);
}

/* A string key and its value. */
static void kv_str(mp_writer *w, const char *key, const char *value)
{
    mpw_str(w, key);
    mpw_str(w, value);
}

static void kv_f64(mp_writer *w, const char *key, double value)
{
    mpw_str(w, key);
    mpw_f64(w, value);
}

static void kv_i64(mp_writer *w, const char *key, int64_t value)
{
    mpw_str(w, key);
    mpw_i64(w, value);
}

static void kv_bool(mp_writer *w, const char *key, int value)
{
    mpw_str(w, key);
    mpw_bool(w, value);
}

static void write_agents(mp_writer *w, const group_verdict *g, int supporters)
{
    size_t n = 0;
    for (size_t i = 0; i < g->voter_count; i++)
        n += g->voters[i].supports == supporters;
    mpw_array(w, n);
    for (size_t i = 0; i < g->voter_count; i++)
        if (g->voters[i].supports == supporters)
            mpw_str(w, g->voters[i].agent_id);
}

static void write_stance(mp_writer *w, const char *key, const ps_debate_outcome *o, floor_stance stance)
{
    mpw_str(w, key);
    mpw_array(w, count_stance(o, stance));
    for (size_t i = 0; i < o->position_count; i++)
        if (stance_of(o->positions[i]) == stance)
            mpw_str(w, o->positions[i]->agent_id);
}

static void write_floor(mp_writer *w, const ps_debate_outcome *o)
{
    mpw_str(w, "floor");
    if (count_stance(o, FLOOR_FLAGGED) == 0) {
        mpw_nil(w);
        return;
    }
    mpw_map(w, 3);
    write_stance(w, "flagged_by", o, FLOOR_FLAGGED);
    write_stance(w, "acknowledged_by", o, FLOOR_ACKNOWLEDGED);
    write_stance(w, "not_acknowledged_by", o, FLOOR_NOT_ACKNOWLEDGED);
}

static void write_group(mp_writer *w, const group_verdict *g)
{
    const ps_finding *first = g->group->first;
    mpw_map(w, 12);
    kv_str(w, "key", g->group->key);
    kv_str(w, "metric", first->metric);
    kv_str(w, "category", first->category);
    kv_str(w, "related_section", first->related_section);
    kv_str(w, "level", g->level);
    kv_f64(w, "agreement", g->agreement);
    kv_bool(w, "debated", g->debate != NULL);
    kv_bool(w, "uncontested", g->voter_count == 1);
    mpw_str(w, "finding_ids");
    mpw_array(w, g->group->record_count);
    for (size_t i = 0; i < g->group->record_count; i++)
        mpw_str(w, g->group->records[i]->finding_id);
    mpw_str(w, "holders");
    write_agents(w, g, 1);
    mpw_str(w, "dissenters");
    write_agents(w, g, 0);
    write_floor(w, g->debate);
}

static void write_minority(mp_writer *w, const minority_view *m)
{
    mpw_map(w, 4);
    kv_str(w, "finding_id", m->finding_id);
    kv_str(w, "agent_id", m->agent_id);
    kv_str(w, "description", m->description);
    mpw_str(w, "value");
    if (m->has_value)
        mpw_f64(w, m->value);
    else
        mpw_nil(w);
}

static void write_debate(mp_writer *w, const ps_debate_outcome *o)
{
    mpw_map(w, 7);
    kv_str(w, "topic", o->topic);
    kv_str(w, "metric", o->metric);
    kv_i64(w, "rounds", o->rounds);
    kv_f64(w, "convergence_score", o->convergence_score);
    kv_bool(w, "converged", o->converged);
    kv_str(w, "stop_reason", o->stop_reason);
    mpw_str(w, "final_positions");
    mpw_array(w, o->position_count);
    for (size_t i = 0; i < o->position_count; i++) {
        mpw_map(w, 3);
        kv_str(w, "agent_id", o->positions[i]->agent_id);
        kv_f64(w, "value", o->positions[i]->value);
        kv_f64(w, "confidence", o->positions[i]->confidence);
    }
}

static size_t at_most(size_t n, size_t limit)
{
    return n < limit ? n : limit;
}

/* The report listing at most `limit` groups and minority views. */
static void write_report(const consensus_plugin *plugin, const consensus_verdict *v, const ps_swarm_view *view,
                         size_t limit, mp_writer *w)
{
    size_t groups = at_most(v->group_count, limit), minority = at_most(v->minority_count, limit);
    mpw_map(w, 9);
    kv_str(w, "level", v->level);
    kv_f64(w, "agreement", v->agreement);
    mpw_str(w, "analysts");
    mpw_array(w, view->analyst_count);
    for (size_t i = 0; i < view->analyst_count; i++)
        mpw_str(w, view->analysts[i]);
    mpw_str(w, "thresholds");
    mpw_map(w, 3);
    kv_f64(w, "strong_consensus", plugin->strong_threshold);
    kv_f64(w, "consensus", view->consensus_threshold);
    kv_f64(w, "majority", CONSENSUS_MAJORITY);
    kv_i64(w, "groups_total", (int64_t)v->group_count);
    kv_bool(w, "truncated", groups < v->group_count || minority < v->minority_count);
    mpw_str(w, "groups");
    mpw_array(w, groups);
    for (size_t i = 0; i < groups; i++)
        write_group(w, &v->groups[i]);
    mpw_str(w, "minority_views");
    mpw_array(w, minority);
    for (size_t i = 0; i < minority; i++)
        write_minority(w, &v->minority[i]);
    mpw_str(w, "debates");
    mpw_array(w, view->debate_count);
    for (size_t i = 0; i < view->debate_count; i++)
        write_debate(w, view->debates[i]);
}

int consensus_report(const consensus_plugin *plugin, const consensus_verdict *v, const ps_swarm_view *view,
                     mp_writer *w)
{
    size_t limit = v->group_count > v->minority_count ? v->group_count : v->minority_count;
    for (;;) {
        *w = (mp_writer){0};
        write_report(plugin, v, view, limit, w);
        if (w->failed)
            return PS_ENOMEM;
        if ((w->size <= REPORT_MAX_BYTES && w->entries <= REPORT_MAX_ENTRIES) || limit == 0)
            return PS_OK;
        limit /= 2;
        mpw_free(w);
    }
}
