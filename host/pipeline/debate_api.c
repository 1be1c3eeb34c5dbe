/*
 * debate_api — the host API of the debate and consensus roles.
 *
 * The moderator opens a topic, asks analysts (the host calls each analyst's
 * debate_respond and publishes the debate_turn), reports convergence and
 * closes the topic; the host keeps a copy of each outcome for the consensus
 * builder. The consensus builder's verdict becomes consensus_reached.
 */
#include <stdlib.h>
#include <string.h>
#include "pipeline/internal.h"
#include "bus/mp_check.h"

static int has_role(const ps_run *run, uint32_t role)
{
    return (run->agent->def.roles & role) != 0;
}

int api_debate_open(ps_run *run, const char *topic, const char *metric, const char *const *participants,
                    size_t participant_count)
{
    int rc = emit_lock(run);
    if (rc)
        return rc;
    if (!has_role(run, PS_ROLE_DEBATE) || !topic || (participant_count && !participants)) {
        pthread_mutex_unlock(&run->lock);
        return has_role(run, PS_ROLE_DEBATE) ? PS_EINVAL : PS_ENOTSUP;
    }
    snprintf(run->topic, sizeof run->topic, "%s", topic);
    snprintf(run->metric, sizeof run->metric, "%s", metric ? metric : "");
    envelope_writer w;
    publish_begin(&w, run->an, "debate_started", run->agent->id, 4);
    pack_kv_int(&w.packer, "round_number", 1);
    pack_kv_str(&w.packer, "topic", topic);
    pack_kv_str(&w.packer, "metric", metric);
    pack_key(&w.packer, "participants");
    msgpack_pack_array(&w.packer, (uint32_t)participant_count);
    for (size_t i = 0; i < participant_count; i++)
        envelope_pack_cstr(&w.packer, participants[i]);
    publish_end(&w, run->an);
    pthread_mutex_unlock(&run->lock);
    return PS_OK;
}

/* The completed analyst run answering for agent_id, or NULL. */
static ps_run *find_analyst(analysis *an, const char *agent_id)
{
    ps_run *found = NULL;
    pthread_mutex_lock(&an->lock);
    for (size_t i = 0; i < an->run_count && !found; i++) {
        ps_run *r = an->runs[i];
        if (r->status == RUN_COMPLETED && (r->agent->def.roles & PS_ROLE_ANALYST) &&
            strcmp(r->agent->id, agent_id) == 0)
            found = r;
    }
    pthread_mutex_unlock(&an->lock);
    return found;
}

/* The findings agent_id made in this analysis (its run is closed: they no
 * longer change). Caller frees the array. */
static const ps_finding_record **own_findings(analysis *an, const char *agent_id, size_t *count)
{
    pthread_mutex_lock(&an->lock);
    const ps_finding_record **own = calloc(an->finding_count + 1, sizeof *own);
    size_t n = 0;
    for (size_t i = 0; own && i < an->finding_count; i++)
        if (strcmp(an->findings[i]->record.agent_id, agent_id) == 0)
            own[n++] = &an->findings[i]->record;
    pthread_mutex_unlock(&an->lock);
    *count = n;
    return own;
}

static void publish_turn(ps_run *run, const ps_debate_prompt *prompt, const char *agent_id,
                         const ps_debate_reply *reply)
{
    envelope_writer w;
    publish_begin(&w, run->an, "debate_turn", run->agent->id, 8);
    pack_kv_int(&w.packer, "round_number", prompt->round_number);
    pack_kv_str(&w.packer, "topic", run->topic);
    pack_kv_str(&w.packer, "agent_id", agent_id);
    pack_kv_str(&w.packer, "turn_type", reply->turn_type ? reply->turn_type : "argument");
    pack_kv_str(&w.packer, "content", reply->argument ? reply->argument : "");
    pack_kv_str(&w.packer, "target_agent", prompt->target_agent);
    pack_kv_double(&w.packer, "position", reply->value);
    pack_kv_double(&w.packer, "confidence", reply->confidence);
    publish_end(&w, run->an);
}

int api_debate_ask(ps_run *run, const char *agent_id, const ps_debate_prompt *prompt_in, ps_debate_reply *reply_out)
{
    ps_debate_prompt prompt;
    if (!run || !has_role(run, PS_ROLE_DEBATE))
        return PS_ENOTSUP;
    if (!agent_id || !reply_out || READ_STRUCT(prompt, prompt_in, V1_SIZE(ps_debate_prompt, target_agent)))
        return PS_EINVAL;
    if (!run_accepting(run))
        return PS_ECANCELED;
    ps_run *analyst = find_analyst(run->an, agent_id);
    if (!analyst)
        return PS_EINVAL;
    const ps_finding_record **own = own_findings(run->an, analyst->agent->id, &prompt.own_finding_count);
    if (!own)
        return PS_ENOMEM;
    prompt.struct_size = sizeof prompt;
    prompt.responder = agent_id;
    prompt.own_findings = own;
    ps_debate_reply reply = {.struct_size = sizeof reply};
    int rc = analyst->agent->def.debate_respond(analyst->agent->state, analyst, &prompt, &reply);
    free(own);
    int lock_rc = emit_lock(run);
    if (lock_rc != PS_OK)
        return lock_rc;
    if (rc != PS_OK) {
        publish_error(run->an, agent_id, "debating", "agent '%s' could not answer in the debate on '%s': %s",
                      agent_id, run->topic, pipeline_host_api()->strerror(rc));
        pthread_mutex_unlock(&run->lock);
        return rc;
    }
    publish_turn(run, &prompt, agent_id, &reply);
    pthread_mutex_unlock(&run->lock);
    uint32_t out_size = reply_out->struct_size;
    memcpy(reply_out, &reply, out_size < sizeof reply ? out_size : sizeof reply);
    reply_out->struct_size = out_size;
    reply_out->argument = NULL; /* the analyst's buffer is gone once it returned */
    return PS_OK;
}

int api_debate_converge(ps_run *run, const ps_convergence *in)
{
    ps_convergence c;
    int rc = emit_lock(run);
    if (rc)
        return rc;
    if (!has_role(run, PS_ROLE_DEBATE)) {
        pthread_mutex_unlock(&run->lock);
        return PS_ENOTSUP;
    }
    if (READ_STRUCT(c, in, V1_SIZE(ps_convergence, threshold_met)))
        return reject_emit(run, PS_EINVAL, "convergence", "struct too small");
    envelope_writer w;
    publish_begin(&w, run->an, "debate_convergence", run->agent->id, 8);
    pack_kv_int(&w.packer, "round_number", c.round_number);
    pack_kv_str(&w.packer, "topic", run->topic);
    pack_kv_double(&w.packer, "convergence_score", c.convergence_score);
    pack_kv_double(&w.packer, "previous_score", c.previous_score);
    pack_kv_double(&w.packer, "change", c.convergence_score - c.previous_score);
    pack_kv_bool(&w.packer, "converging", c.convergence_score > c.previous_score);
    pack_kv_bool(&w.packer, "threshold_met", c.threshold_met);
    pack_kv_str(&w.packer, "stop_reason", c.stop_reason);
    publish_end(&w, run->an);
    pthread_mutex_unlock(&run->lock);
    return PS_OK;
}

/* Deep-copies an outcome; on failure d holds what was copied so far. */
static int copy_outcome(debate_record *d, const ps_debate_outcome *o)
{
    size_t n = o->position_count;
    memset(d, 0, sizeof *d);
    d->outcome = *o;
    d->outcome.struct_size = sizeof d->outcome;
    d->outcome.position_count = 0;
    d->topic = strdup(o->topic ? o->topic : "");
    d->metric = strdup(o->metric ? o->metric : "");
    d->stop_reason = strdup(o->stop_reason ? o->stop_reason : "max_rounds");
    d->positions = calloc(n ? n : 1, sizeof *d->positions);
    d->position_ptrs = calloc(n ? n : 1, sizeof *d->position_ptrs);
    if (!d->topic || !d->metric || !d->stop_reason || !d->positions || !d->position_ptrs)
        return PS_ENOMEM;
    d->outcome.topic = d->topic;
    d->outcome.metric = d->metric;
    d->outcome.stop_reason = d->stop_reason;
    d->outcome.positions = d->position_ptrs;
    for (size_t i = 0; i < n; i++) {
        ps_position p;
        if (READ_STRUCT(p, o->positions[i], V1_SIZE(ps_position, argument)))
            return PS_EINVAL;
        p.struct_size = sizeof p;
        p.agent_id = strdup(p.agent_id ? p.agent_id : "");
        p.argument = p.argument ? strdup(p.argument) : NULL;
        d->positions[i] = p;
        d->position_ptrs[i] = &d->positions[i];
        d->outcome.position_count = i + 1;
    }
    return PS_OK;
}

static void debate_record_free(debate_record *d)
{
    for (size_t i = 0; i < d->outcome.position_count; i++) {
        free((char *)d->positions[i].agent_id);
        free((char *)d->positions[i].argument);
    }
    free(d->positions);
    free(d->position_ptrs);
    free(d->topic);
    free(d->metric);
    free(d->stop_reason);
    free(d);
}

void debates_free(analysis *an)
{
    for (size_t i = 0; i < an->debate_count; i++)
        debate_record_free(an->debates[i]);
    free(an->debates);
    an->debates = NULL;
    an->debate_count = 0;
}

int api_debate_close(ps_run *run, const ps_debate_outcome *in)
{
    ps_debate_outcome o;
    int rc = emit_lock(run);
    if (rc)
        return rc;
    if (!has_role(run, PS_ROLE_DEBATE)) {
        pthread_mutex_unlock(&run->lock);
        return PS_ENOTSUP;
    }
    if (READ_STRUCT(o, in, V1_SIZE(ps_debate_outcome, position_count)) || (o.position_count && !o.positions))
        return reject_emit(run, PS_EINVAL, "debate outcome", "struct too small or no positions");
    debate_record *record = calloc(1, sizeof *record);
    rc = record ? copy_outcome(record, &o) : PS_ENOMEM;
    analysis *an = run->an;
    pthread_mutex_lock(&an->lock);
    debate_record **grown = rc == PS_OK ? realloc(an->debates, (an->debate_count + 1) * sizeof *grown) : NULL;
    if (grown) {
        an->debates = grown;
        an->debates[an->debate_count++] = record;
    }
    pthread_mutex_unlock(&an->lock);
    if (!grown && record) {
        debate_record_free(record);
        rc = rc == PS_OK ? PS_ENOMEM : rc;
    }
    run->topic[0] = '\0';
    pthread_mutex_unlock(&run->lock);
    return rc;
}

static void pack_id_list(msgpack_packer *pk, const char *key, const char *const *ids, size_t count)
{
    pack_key(pk, key);
    msgpack_pack_array(pk, (uint32_t)count);
    for (size_t i = 0; i < count; i++)
        envelope_pack_cstr(pk, ids[i]);
}

static void pack_consensus(msgpack_packer *pk, msgpack_sbuffer *buffer, const char *agent_id,
                           const ps_consensus *c)
{
    msgpack_pack_map(pk, 8);
    pack_kv_str(pk, "agent_id", agent_id);
    pack_kv_str(pk, "consensus_level", c->consensus_level);
    pack_kv_double(pk, "agreement", c->agreement);
    pack_kv_int(pk, "agreed_findings_count", (int64_t)c->agreed_count);
    pack_id_list(pk, "agreed_findings", c->agreed_finding_ids, c->agreed_count);
    pack_id_list(pk, "strong_findings", c->strong_finding_ids, c->strong_count);
    pack_kv_str(pk, "summary", c->summary);
    pack_key(pk, "report");
    if (c->report_msgpack)
        msgpack_sbuffer_write(buffer, c->report_msgpack, c->report_size);
    else
        msgpack_pack_nil(pk);
}

int api_emit_consensus(ps_run *run, const ps_consensus *in)
{
    ps_consensus c;
    char why[160];
    int rc = emit_lock(run);
    if (rc)
        return rc;
    if (!has_role(run, PS_ROLE_CONSENSUS)) {
        pthread_mutex_unlock(&run->lock);
        return PS_ENOTSUP;
    }
    if (READ_STRUCT(c, in, V1_SIZE(ps_consensus, report_size)) || !c.consensus_level ||
        (c.agreed_count && !c.agreed_finding_ids) || (c.strong_count && !c.strong_finding_ids))
        return reject_emit(run, PS_EINVAL, "consensus", "missing level or finding ids");
    if (c.report_msgpack && mp_check_map(c.report_msgpack, c.report_size, &MP_DEFAULT_LIMITS, why, sizeof why))
        return reject_emit(run, PS_EINVAL, "consensus report", why);
    msgpack_sbuffer data;
    msgpack_packer pk;
    msgpack_sbuffer_init(&data);
    msgpack_packer_init(&pk, &data, msgpack_sbuffer_write);
    pack_consensus(&pk, &data, run->agent->id, &c);
    envelope_writer w;
    envelope_begin(&w, "consensus_reached", run->an->id, run->agent->id, envelope_now_ns());
    msgpack_sbuffer_write(&w.buffer, data.data, data.size);
    publish_end(&w, run->an);
    pthread_mutex_lock(&run->an->lock);
    free(run->an->consensus_data);
    run->an->consensus_data = data.data;   /* kept for analysis_complete */
    run->an->consensus_size = data.size;
    pthread_mutex_unlock(&run->an->lock);
    pthread_mutex_unlock(&run->lock);
    return PS_OK;
}
