/*
 * kit_agent — the plugin around an analysis, the same for every analyst:
 * create() allocates the instance with room for the plugin's settings and
 * lets the plugin read them, analyze() wraps the plugin's analysis in
 * kit_begin / kit_finish, debate_respond() applies the kit's debate rule with
 * the plugin's method, and ps_agent_query() — the plugin's one exported
 * symbol — hands the host KIT_ANALYST.agent. What differs between analysts is
 * in their KIT_ANALYST (kit.h).
 */
#include <stdlib.h>
#include "kit.h"

/* One configured analyst: the state create() hands the host. */
typedef struct kit_agent {
    const ps_host_api *api;
    ps_instance *inst;
    max_align_t settings[]; /* KIT_ANALYST.settings_size bytes */
} kit_agent;

int kit_agent_create(const ps_host_api *api, ps_instance *inst, void **state)
{
    kit_agent *agent = calloc(1, sizeof *agent + KIT_ANALYST.settings_size);
    if (!agent) {
        api->set_error(inst, NULL, "%s analyst: out of memory", KIT_ANALYST.agent.name);
        return PS_ENOMEM;
    }
    agent->api = api;
    agent->inst = inst;
    if (KIT_ANALYST.read_settings) {
        int rc = KIT_ANALYST.read_settings(api, inst, agent->settings);
        if (rc != PS_OK) {
            free(agent);
            return rc;
        }
    }
    *state = agent;
    return PS_OK;
}

void kit_agent_destroy(void *state)
{
    free(state);
}

int kit_agent_analyze(void *state, ps_run *run, const ps_bill *bill)
{
    const kit_agent *agent = state;
    kit_run k;
    if (kit_begin(&k, agent->api, agent->inst, run, bill, KIT_ANALYST.agent.agent_type) != PS_OK)
        return k.rc;
    KIT_ANALYST.analyze(&k, agent->settings);
    return kit_finish(&k);
}

int kit_agent_respond(void *state, ps_run *run, const ps_debate_prompt *prompt, ps_debate_reply *reply)
{
    (void)state;
    (void)run;
    const char *method = prompt && prompt->metric ? KIT_ANALYST.method_for(prompt->metric) : NULL;
    return kit_debate_respond(KIT_ANALYST.agent.name, method, prompt, reply);
}

PS_AGENT_QUERY_RETURNING(KIT_ANALYST.agent)
