/*
 * consensus — the consensus builder plugin: judges what the swarm agrees on
 * from the analysts' findings and the debates' outcomes, and emits the
 * verdict once.
 *
 * Owns the agent definition, the declared settings (mirrored, commented, in
 * conf/polisim.yaml) and build_consensus(). The judging rules live in
 * judge.c, the summary and MessagePack report in report.c. The state is
 * read-only after create(), so analyses may run concurrently.
 */
#include <stdio.h>
#include <stdlib.h>
#include "consensus_internal.h"

static const ps_setting_def strong_threshold_def = {
    .struct_size = sizeof(ps_setting_def), .name = "strong_threshold", .type = PS_SETTING_DOUBLE,
    .default_value = "0.9", .description = "agreement needed for strong_consensus (>= pipeline.consensus_threshold)",
    .has_range = 1, .min = 0, .max = 1};
static const ps_setting_def value_tolerance_def = {
    .struct_size = sizeof(ps_setting_def), .name = "value_tolerance", .type = PS_SETTING_DOUBLE,
    .default_value = "0.05", .description = "relative difference within which two analysts' values agree",
    .has_range = 1, .min = 0, .max = 2};

static const ps_setting_def *const consensus_settings_defs[] = {&strong_threshold_def, &value_tolerance_def, NULL};

static int consensus_create(const ps_host_api *api, ps_instance *inst, void **state)
{
    if (!PS_API_HAS(api, emit_consensus)) {
        if (PS_API_HAS(api, set_error))
            api->set_error(inst, NULL, "this host offers no emit_consensus");
        return PS_ENOTSUP;
    }
    consensus_plugin *plugin = calloc(1, sizeof *plugin);
    if (!plugin) {
        api->set_error(inst, NULL, "out of memory");
        return PS_ENOMEM;
    }
    *plugin = (consensus_plugin){.api = api, .inst = inst,
                                 .strong_threshold = api->setting_double(inst, "strong_threshold"),
                                 .value_tolerance = api->setting_double(inst, "value_tolerance")};
    *state = plugin;
    return PS_OK;
}

static void consensus_destroy(void *state)
{
    free(state);
}

static int check_view(const consensus_plugin *p, ps_run *run, const ps_swarm_view *view)
{
    char why[256];
    int rc = swarm_view_check(view, why, sizeof why);
    if (rc == PS_OK)
        rc = consensus_check_debates(view, why, sizeof why);
    if (rc == PS_OK && !(view->consensus_threshold >= 0 && view->consensus_threshold <= p->strong_threshold)) {
        snprintf(why, sizeof why, "consensus_threshold %g must be in [0, strong_threshold %g]",
                 view->consensus_threshold, p->strong_threshold);
        rc = PS_EINVAL;
    }
    if (rc != PS_OK)
        p->api->set_error(p->inst, run, "%s", why);
    return rc;
}

static int emit_verdict(const consensus_plugin *p, ps_run *run, const ps_swarm_view *view,
                        const consensus_verdict *verdict)
{
    char summary[1024];
    mp_writer report;
    consensus_summary(verdict, view, summary, sizeof summary);
    int rc = consensus_report(p, verdict, view, &report);
    if (rc != PS_OK) {
        p->api->set_error(p->inst, run, "out of memory writing the consensus report");
    } else {
        ps_consensus c = {.struct_size = sizeof c, .consensus_level = verdict->level,
                          .agreement = verdict->agreement, .agreed_finding_ids = verdict->agreed_ids,
                          .agreed_count = verdict->agreed_count, .strong_finding_ids = verdict->strong_ids,
                          .strong_count = verdict->strong_count, .summary = summary,
                          .report_msgpack = report.data, .report_size = report.size};
        rc = p->api->emit_consensus(run, &c);
        if (rc != PS_OK)
            p->api->set_error(p->inst, run, "the host refused the consensus (%d)", rc);
    }
    mpw_free(&report);
    return rc;
}

static int consensus_build(void *state, ps_run *run, const ps_swarm_view *view)
{
    const consensus_plugin *p = state;
    int rc = check_view(p, run, view);
    if (rc != PS_OK)
        return rc;
    if (p->api->cancelled(run)) {
        p->api->set_error(p->inst, run, "cancelled before judging the consensus");
        return PS_ECANCELED;
    }
    swarm_groups groups = {0};
    consensus_verdict verdict = {0};
    rc = swarm_groups_build(view, &groups);
    if (rc == PS_OK)
        rc = consensus_judge(p, view, &groups, &verdict);
    if (rc != PS_OK)
        p->api->set_error(p->inst, run, "out of memory judging the consensus");
    else
        rc = emit_verdict(p, run, view, &verdict);
    consensus_verdict_free(&verdict);
    swarm_groups_free(&groups);
    return rc;
}

static const ps_agent_def consensus_def = {
    PS_AGENT_DEF_HEADER,
    .name = "consensus",
    .label = "Consensus Builder",
    .icon = "🤝",
    .agent_type = "consensus",
    .version = "1.0.0",
    .description = "Judges what the swarm agrees on from the findings and the debates' outcomes",
    .roles = PS_ROLE_CONSENSUS,
    .settings = consensus_settings_defs,
    .create = consensus_create,
    .destroy = consensus_destroy,
    .build_consensus = consensus_build,
};

PS_AGENT_QUERY_RETURNING(consensus_def)
