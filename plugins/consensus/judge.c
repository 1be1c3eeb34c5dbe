/*
 * judge — decides how far the swarm agrees on each group of findings
 * (groups and claims as in swarm_groups.h).
 *
 * Voters of a group: the analysts that took a position on its key, i.e. each
 * analyst's claim on the key; when a debate's metric equals the key (the
 * first such debate), its final positions replace the claims of the analysts
 * that held them to the end and add the participants that had no claim.
 * Two voters agree when either has no value or their values are within
 * value_tolerance (relative difference). The best-backed voter is the one
 * whose agreeing voters' confidences sum highest (the first on a tie); the
 * voters that agree with it are the holders, the others are dissenters and
 * hold minority views.
 *
 * Agreement, with V = the number of voters (holders + dissenters):
 *   not debated: sum of the holders' confidences / V
 *   debated:     convergence_score * sum of the final positions' confidences / V
 * clamped to [0, 1] (0 without voters). Levels: >= strong_threshold
 * "strong_consensus" (only with at least 2 holders), >= consensus_threshold
 * "consensus", > 0.5 "majority", else "divided". A group with a single voter
 * is "uncontested": its level follows the same formula but, having one
 * holder, is never "strong_consensus". Agreed finding ids: the holders' findings in groups at
 * consensus or better; strong ids: those in strong_consensus groups.
 * Overall agreement: the mean of the groups' agreement weighted by each
 * group's largest impact_magnitude (a plain mean when every impact is 0; 0
 * without groups), with the same levels.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "consensus_internal.h"

static double clamp01(double x)
{
    return isfinite(x) ? fmin(1, fmax(0, x)) : 0;
}

int consensus_check_debates(const ps_swarm_view *view, char *why, size_t why_size)
{
    if (view->debate_count && !view->debates) {
        snprintf(why, why_size, "the swarm view counts %zu debates but has no list", view->debate_count);
        return PS_EINVAL;
    }
    for (size_t i = 0; i < view->debate_count; i++) {
        const ps_debate_outcome *o = view->debates[i];
        if (!PS_HAS_FIELD(o, ps_debate_outcome, position_count) || !o->topic || !o->metric ||
            !isfinite(o->convergence_score) || (o->position_count && !o->positions)) {
            snprintf(why, why_size, "debate %zu is missing its topic, metric, score or positions", i);
            return PS_EINVAL;
        }
        for (size_t j = 0; j < o->position_count; j++) {
            const ps_position *p = o->positions[j];
            if (!PS_HAS_FIELD(p, ps_position, argument) || !p->agent_id || !isfinite(p->value) ||
                !isfinite(p->confidence)) {
                snprintf(why, why_size, "position %zu of the debate on %s is unreadable", j, o->metric);
                return PS_EINVAL;
            }
        }
    }
    return PS_OK;
}

const char *consensus_level(double agreement, double strong_threshold, double consensus_threshold)
{
    if (agreement >= strong_threshold)
        return "strong_consensus";
    if (agreement >= consensus_threshold)
        return "consensus";
    if (agreement > CONSENSUS_MAJORITY)
        return "majority";
    return "divided";
}

/* As consensus_level, but strong_consensus needs two holders: one analyst alone is at most "consensus". */
static const char *group_level(const group_verdict *g, double strong_threshold, double consensus_threshold)
{
    const char *level = consensus_level(g->agreement, strong_threshold, consensus_threshold);
    return g->holder_count < 2 && strcmp(level, "strong_consensus") == 0 ? "consensus" : level;
}

static const ps_debate_outcome *debate_on(const ps_swarm_view *view, const char *key)
{
    for (size_t i = 0; i < view->debate_count; i++)
        if (strcmp(view->debates[i]->metric, key) == 0)
            return view->debates[i];
    return NULL;
}

static consensus_voter voter_of_claim(const swarm_claim *c)
{
    return (consensus_voter){.agent_id = c->agent_id, .has_value = c->has_value, .value = c->value,
                             .confidence = c->confidence, .argument = c->record->finding->description};
}

static const consensus_voter *voter_of(const group_verdict *g, const char *agent_id)
{
    for (size_t i = 0; i < g->voter_count; i++)
        if (strcmp(g->voters[i].agent_id, agent_id) == 0)
            return &g->voters[i];
    return NULL;
}

/* The debate's final positions first, then the claims of analysts not among them. */
static int fill_voters(group_verdict *g)
{
    size_t positions = g->debate ? g->debate->position_count : 0;
    g->voters = calloc(positions + g->group->claim_count + 1, sizeof *g->voters);
    if (!g->voters)
        return PS_ENOMEM;
    for (size_t i = 0; i < positions; i++) {
        const ps_position *p = g->debate->positions[i];
        g->voters[g->voter_count++] =
            (consensus_voter){.agent_id = p->agent_id, .has_value = 1, .value = p->value,
                              .confidence = clamp01(p->confidence), .argument = p->argument, .in_debate = 1};
    }
    for (size_t i = 0; i < g->group->claim_count; i++)
        if (!voter_of(g, g->group->claims[i].agent_id))
            g->voters[g->voter_count++] = voter_of_claim(&g->group->claims[i]);
    return PS_OK;
}

static int voters_agree(const consensus_voter *a, const consensus_voter *b, double tolerance)
{
    return !a->has_value || !b->has_value || swarm_relative_difference(a->value, b->value) <= tolerance;
}

static void mark_supporters(group_verdict *g, double tolerance)
{
    size_t best = 0;
    double best_backing = -1;
    for (size_t i = 0; i < g->voter_count; i++) {
        double backing = 0;
        for (size_t j = 0; j < g->voter_count; j++)
            if (voters_agree(&g->voters[i], &g->voters[j], tolerance))
                backing += g->voters[j].confidence;
        if (backing > best_backing) {
            best_backing = backing;
            best = i;
        }
    }
    g->holder_count = 0;
    for (size_t i = 0; i < g->voter_count; i++) {
        g->voters[i].supports = voters_agree(&g->voters[i], &g->voters[best], tolerance);
        g->holder_count += g->voters[i].supports != 0;
    }
}

static double group_agreement(const group_verdict *g)
{
    if (g->voter_count == 0)
        return 0;
    double confidence = 0;
    for (size_t i = 0; i < g->voter_count; i++)
        if (g->debate ? g->voters[i].in_debate : g->voters[i].supports)
            confidence += g->voters[i].confidence;
    double agreement = confidence / (double)g->voter_count;
    if (g->debate)
        agreement *= clamp01(g->debate->convergence_score);
    return clamp01(agreement);
}

static double group_impact(const swarm_group *group)
{
    double impact = 0;
    for (size_t i = 0; i < group->record_count; i++)
        impact = fmax(impact, clamp01(group->records[i]->finding->impact_magnitude));
    return impact;
}

static void add_minority(consensus_verdict *v, const group_verdict *g, const consensus_voter *dissenter)
{
    size_t before = v->minority_count;
    for (size_t i = 0; i < g->group->record_count; i++) {
        const ps_finding_record *rec = g->group->records[i];
        if (strcmp(rec->agent_id, dissenter->agent_id) == 0)
            v->minority[v->minority_count++] =
                (minority_view){.finding_id = rec->finding_id, .agent_id = rec->agent_id,
                                .description = rec->finding->description, .has_value = dissenter->has_value,
                                .value = dissenter->value};
    }
    if (v->minority_count == before)
        v->minority[v->minority_count++] =
            (minority_view){.agent_id = dissenter->agent_id, .description = dissenter->argument,
                            .has_value = dissenter->has_value, .value = dissenter->value};
}

/* Sorts the group's findings into agreed / strong lists and minority views. */
static void collect_findings(consensus_verdict *v, const group_verdict *g)
{
    int strong = strcmp(g->level, "strong_consensus") == 0;
    int agreed = strong || strcmp(g->level, "consensus") == 0;
    for (size_t i = 0; i < g->group->record_count && agreed; i++) {
        const ps_finding_record *rec = g->group->records[i];
        const consensus_voter *voter = voter_of(g, rec->agent_id);
        if (!voter || !voter->supports)
            continue;
        v->agreed_ids[v->agreed_count++] = rec->finding_id;
        if (strong)
            v->strong_ids[v->strong_count++] = rec->finding_id;
    }
    for (size_t i = 0; i < g->voter_count; i++)
        if (!g->voters[i].supports)
            add_minority(v, g, &g->voters[i]);
}

static void judge_overall(consensus_verdict *v, double strong_threshold, double consensus_threshold)
{
    double weighted = 0, weights = 0, plain = 0;
    for (size_t i = 0; i < v->group_count; i++) {
        weighted += v->groups[i].impact * v->groups[i].agreement;
        weights += v->groups[i].impact;
        plain += v->groups[i].agreement;
    }
    v->agreement = v->group_count == 0 ? 0 : weights > 0 ? weighted / weights : plain / (double)v->group_count;
    v->level = consensus_level(v->agreement, strong_threshold, consensus_threshold);
}

static int allocate_lists(consensus_verdict *v, const ps_swarm_view *view)
{
    size_t minority_capacity = 1;
    for (size_t i = 0; i < v->group_count; i++)
        minority_capacity += v->groups[i].group->record_count + v->groups[i].voter_count;
    size_t n = view->finding_count ? view->finding_count : 1;
    v->agreed_ids = calloc(n, sizeof *v->agreed_ids);
    v->strong_ids = calloc(n, sizeof *v->strong_ids);
    v->minority = calloc(minority_capacity, sizeof *v->minority);
    return v->agreed_ids && v->strong_ids && v->minority ? PS_OK : PS_ENOMEM;
}

int consensus_judge(const consensus_plugin *plugin, const ps_swarm_view *view, const swarm_groups *groups,
                    consensus_verdict *out)
{
    *out = (consensus_verdict){0};
    out->groups = calloc(groups->count ? groups->count : 1, sizeof *out->groups);
    if (!out->groups)
        return PS_ENOMEM;
    for (size_t i = 0; i < groups->count; i++) {
        group_verdict *g = &out->groups[out->group_count++];
        g->group = &groups->items[i];
        g->debate = debate_on(view, g->group->key);
        if (fill_voters(g) != PS_OK)
            return PS_ENOMEM;
        mark_supporters(g, plugin->value_tolerance);
        g->agreement = group_agreement(g);
        g->impact = group_impact(g->group);
        g->level = group_level(g, plugin->strong_threshold, view->consensus_threshold);
    }
    if (allocate_lists(out, view) != PS_OK)
        return PS_ENOMEM;
    for (size_t i = 0; i < out->group_count; i++)
        collect_findings(out, &out->groups[i]);
    judge_overall(out, plugin->strong_threshold, view->consensus_threshold);
    return PS_OK;
}

void consensus_verdict_free(consensus_verdict *verdict)
{
    for (size_t i = 0; i < verdict->group_count; i++)
        free(verdict->groups[i].voters);
    free(verdict->groups);
    free(verdict->agreed_ids);
    free(verdict->strong_ids);
    free(verdict->minority);
    *verdict = (consensus_verdict){0};
}
