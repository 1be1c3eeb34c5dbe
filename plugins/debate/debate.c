/*
 * debate — the moderator plugin: finds where the analysts really disagree
 * and debates the largest disagreements in rounds until they converge,
 * stall, or run out of rounds.
 *
 * Owns the agent definition, the declared settings (mirrored, commented, in
 * conf/polisim.yaml) and moderate(). Topic selection lives in topics.c (with
 * omissions.c for effects a total leaves out), the rounds, convergence
 * formula and stop rules in rounds.c. The state is read-only after create(),
 * so analyses may run concurrently.
 */
#include <stdio.h>
#include <stdlib.h>
#include "debate_internal.h"

#define SETTING(n, t, def, desc, lo, hi) \
    {.struct_size = sizeof(ps_setting_def), .name = n, .type = t, .default_value = def, \
     .description = desc, .has_range = 1, .min = lo, .max = hi}

static const ps_setting_def value_tolerance_def =
    SETTING("value_tolerance", PS_SETTING_DOUBLE, "0.05",
            "relative difference above which two analysts' values of one metric disagree", 0, 2);
static const ps_setting_def confidence_gap_def =
    SETTING("confidence_gap", PS_SETTING_DOUBLE, "0.3",
            "confidence spread on one metric above which the analysts disagree", 0, 1);
static const ps_setting_def max_topics_def =
    SETTING("max_topics", PS_SETTING_INT, "3", "largest disagreements debated per analysis", 1, 50);
static const ps_setting_def stalemate_epsilon_def =
    SETTING("stalemate_epsilon", PS_SETTING_DOUBLE, "0.01",
            "a round that changes convergence by less than this ends the debate (0: never)", 0, 1);
static const ps_setting_def omission_min_impact_def =
    SETTING("omission_min_impact", PS_SETTING_DOUBLE, "0.5",
            "an unsized finding (no metric, no amount) at least this important is an effect a total can leave out",
            0, 1);

static const ps_setting_def *const debate_settings_defs[] = {
    &value_tolerance_def, &confidence_gap_def, &max_topics_def, &stalemate_epsilon_def, &omission_min_impact_def,
    NULL};

int debate_think(const debate_plugin *plugin, ps_run *run, const char *type, const char *label,
                 const char *content)
{
    ps_thought thought = {.struct_size = sizeof thought, .thought_type = type, .label = label,
                          .content = content, .confidence = 1.0};
    int rc = plugin->api->emit_thought(run, &thought);
    if (rc != PS_OK)
        plugin->api->set_error(plugin->inst, run, "could not emit the thought '%s' (%d)", label, rc);
    return rc;
}

static void read_settings(const ps_host_api *api, ps_instance *inst, debate_settings *s)
{
    s->value_tolerance = api->setting_double(inst, "value_tolerance");
    s->confidence_gap = api->setting_double(inst, "confidence_gap");
    s->max_topics = (int)api->setting_int(inst, "max_topics");
    s->stalemate_epsilon = api->setting_double(inst, "stalemate_epsilon");
    s->omission_min_impact = api->setting_double(inst, "omission_min_impact");
}

static int debate_create(const ps_host_api *api, ps_instance *inst, void **state)
{
    if (!PS_API_HAS(api, debate_close)) {
        if (PS_API_HAS(api, set_error))
            api->set_error(inst, NULL, "this host offers no debate functions");
        return PS_ENOTSUP;
    }
    debate_plugin *plugin = calloc(1, sizeof *plugin);
    if (!plugin) {
        api->set_error(inst, NULL, "out of memory");
        return PS_ENOMEM;
    }
    plugin->api = api;
    plugin->inst = inst;
    read_settings(api, inst, &plugin->settings);
    *state = plugin;
    return PS_OK;
}

static void debate_destroy(void *state)
{
    free(state);
}

static int check_view(const debate_plugin *p, ps_run *run, const ps_swarm_view *view)
{
    char why[256];
    int rc = swarm_view_check(view, why, sizeof why);
    if (rc == PS_OK && (view->max_debate_rounds < 1 || !(view->convergence_threshold >= 0) ||
                        view->convergence_threshold > 1)) {
        snprintf(why, sizeof why, "max_debate_rounds %d must be >= 1 and convergence_threshold %g in [0, 1]",
                 view->max_debate_rounds, view->convergence_threshold);
        rc = PS_EINVAL;
    }
    if (rc != PS_OK)
        p->api->set_error(p->inst, run, "%s", why);
    return rc;
}

static int say_agreement(const debate_plugin *p, ps_run *run, const ps_swarm_view *view, size_t group_count)
{
    char content[512];
    snprintf(content, sizeof content,
             "%zu findings from %zu analysts on %zu subjects: no shared metric differs by more than %g%%, "
             "no confidence gap exceeds %g, and no total leaves out an effect another analyst flags.",
             view->finding_count, view->analyst_count, group_count, p->settings.value_tolerance * 100,
             p->settings.confidence_gap);
    return debate_think(p, run, "conclusion", "The analysts agree", content);
}

/* One thought per debated total that leaves effects out, naming each effect. */
static int announce_omissions(const debate_plugin *p, ps_run *run, const debate_topic *t)
{
    char content[1024];
    snprintf(content, sizeof content, "%s adds printed amounts only (held by", t->metric);
    for (size_t i = 0; i < t->holder_count; i++)
        swarm_appendf(content, sizeof content, "%s %s", i ? "," : "", t->seats[i].position.agent_id);
    swarm_appendf(content, sizeof content, "), so each holder leaves out the unsized effects other analysts flag (%zu):",
                  t->omissions.count);
    for (size_t i = 0; i < t->omissions.count; i++) {
        const ps_finding_record *effect = t->omissions.effects[i];
        const char *section = effect->finding->related_section;
        swarm_appendf(content, sizeof content, "%s %s (%s%s%s)", i ? ";" : "", effect->finding_id, effect->agent_id,
                      section ? ", sec. " : "", section ? section : "");
    }
    swarm_appendf(content, sizeof content, ".");
    return debate_think(p, run, "concern", "Left out of a total", content);
}

static int announce_topics(const debate_plugin *p, ps_run *run, const debate_topics *topics, size_t debated)
{
    char content[512];
    snprintf(content, sizeof content, "%zu disagreement%s found; debating the %zu largest:", topics->count,
             topics->count == 1 ? "" : "s", debated);
    for (size_t i = 0; i < debated; i++)
        swarm_appendf(content, sizeof content, "%s %s", i ? "," : "", topics->items[i].metric);
    int rc = debate_think(p, run, "analysis", "Debate topics", content);
    for (size_t i = 0; i < debated && rc == PS_OK; i++)
        if (topics->items[i].omissions.count > 0)
            rc = announce_omissions(p, run, &topics->items[i]);
    return rc;
}

static int debate_topics_in_turn(const debate_plugin *p, ps_run *run, const ps_swarm_view *view,
                                 debate_topics *topics)
{
    size_t debated = topics->count < (size_t)p->settings.max_topics ? topics->count : (size_t)p->settings.max_topics;
    int rc = announce_topics(p, run, topics, debated);
    for (size_t i = 0; i < debated && rc == PS_OK; i++) {
        if (p->api->cancelled(run)) {
            p->api->set_error(p->inst, run, "cancelled before the debate on %s", topics->items[i].metric);
            return PS_ECANCELED;
        }
        rc = debate_run_topic(p, run, view, &topics->items[i]);
    }
    return rc;
}

static int debate_moderate(void *state, ps_run *run, const ps_swarm_view *view)
{
    const debate_plugin *p = state;
    int rc = check_view(p, run, view);
    if (rc != PS_OK)
        return rc;
    swarm_groups groups = {0};
    debate_topics topics = {0};
    rc = swarm_groups_build(view, &groups);
    if (rc == PS_OK)
        rc = debate_find_topics(&p->settings, view, &groups, &topics);
    if (rc != PS_OK)
        p->api->set_error(p->inst, run, "out of memory finding the debate topics");
    else if (topics.count == 0)
        rc = say_agreement(p, run, view, groups.count);
    else
        rc = debate_topics_in_turn(p, run, view, &topics);
    debate_topics_free(&topics);
    swarm_groups_free(&groups);
    return rc;
}

static const ps_agent_def debate_def = {
    PS_AGENT_DEF_HEADER,
    .name = "debate",
    .label = "Debate Moderator",
    .icon = "⚖",
    .agent_type = "debate",
    .version = "1.0.0",
    .description = "Finds where the analysts disagree and debates it in rounds until they converge",
    .roles = PS_ROLE_DEBATE,
    .settings = debate_settings_defs,
    .create = debate_create,
    .destroy = debate_destroy,
    .moderate = debate_moderate,
};

PS_AGENT_QUERY_RETURNING(debate_def)
