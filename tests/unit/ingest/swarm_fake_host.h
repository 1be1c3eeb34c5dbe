/*
 * swarm_fake_host — the host side of test_swarm_plugins and
 * test_swarm_consensus: loads a shipped plugin with dlopen, offers a
 * ps_host_api that records every debate and consensus call, plays the
 * analysts from a script (one position and turn type per round, or a
 * failure) or hands the prompt to a real analyst plugin (fake_live_analyst)
 * with its own findings of the view, as the host does, and builds
 * ps_swarm_view by hand. Single-threaded; one
 * global `fake`, reset by fake_reset(). The helpers are static inline: each
 * test uses only some of them.
 */
#ifndef SWARM_FAKE_HOST_H
#define SWARM_FAKE_HOST_H

#include <check.h>
#include <dlfcn.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <polisim/polisim.h>

struct ps_instance {
    int unused;
};
struct ps_run {
    int unused;
};

#define MAX_CALLS 64
#define MAX_SEATS 8
#define MAX_FINDINGS 512
#define MAX_ROUNDS 8

#define TEXT_MAX 1024

typedef struct script {
    const char *agent_id;
    double value[MAX_ROUNDS];     /* answer in round r at [r - 1] */
    double confidence[MAX_ROUNDS];
    const char *turn[MAX_ROUNDS]; /* turn type; NULL: "argument" */
    int fail_round;               /* debate_ask fails from this round on; 0: never */
} script;

/* A real analyst plugin answering for agent_id. */
typedef struct live_analyst {
    const char *agent_id;
    const ps_agent_def *def;
    void *handle;
} live_analyst;

typedef struct open_call {
    char topic[256], metric[128], participants[256]; /* "a,b,c" */
} open_call;

typedef struct ask_call {
    int round;
    char agent[32], target[32], responder[32];
    size_t position_count;
    char arguments[MAX_SEATS][256]; /* the prompt's positions' arguments */
    char turn[16], reply[TEXT_MAX];  /* the answer */
    double value, confidence;
} ask_call;

typedef struct close_call {
    char metric[128], stop_reason[16];
    int rounds, converged;
    double score;
    size_t position_count;
    char agents[MAX_SEATS][32];
    double values[MAX_SEATS], confidences[MAX_SEATS];
    char arguments[MAX_SEATS][256];
} close_call;

typedef struct consensus_call {
    char level[32], summary[1024];
    double agreement;
    size_t agreed_count, strong_count;
    char agreed[MAX_FINDINGS][24], strong[MAX_FINDINGS][24];
    unsigned char *report;
    size_t report_size;
} consensus_call;

static struct fake_host {
    struct ps_instance inst;
    struct ps_run run;
    const char *overrides[8][2];  /* setting name, YAML text */
    const ps_agent_def *def;
    void *handle, *state;
    script scripts[MAX_SEATS];
    live_analyst live[MAX_SEATS];
    size_t cancel_after_asks;     /* 0: never cancelled */
    char error[512];
    char thoughts[MAX_CALLS][2][TEXT_MAX]; /* label, content */
    size_t thought_count;
    open_call opens[MAX_CALLS];
    size_t open_count;
    ask_call asks[MAX_CALLS];
    size_t ask_count;
    ps_convergence converges[MAX_CALLS]; /* stop_reason points at a literal copy below */
    char stop_reasons[MAX_CALLS][16];
    size_t converge_count;
    close_call closes[MAX_CALLS];
    size_t close_count;
    consensus_call consensus;
    size_t consensus_count;
} fake;

/* ---- settings: overrides, else the plugin's declared default ---------------- */
static const char *setting_text(const char *name)
{
    for (size_t i = 0; i < 8 && fake.overrides[i][0]; i++)
        if (strcmp(fake.overrides[i][0], name) == 0)
            return fake.overrides[i][1];
    for (size_t i = 0; fake.def->settings[i]; i++)
        if (strcmp(fake.def->settings[i]->name, name) == 0)
            return fake.def->settings[i]->default_value;
    return NULL;
}

static const char *fake_setting_string(ps_instance *inst, const char *name)
{
    (void)inst;
    return setting_text(name);
}

static int64_t fake_setting_int(ps_instance *inst, const char *name)
{
    (void)inst;
    return strtoll(setting_text(name), NULL, 10);
}

static double fake_setting_double(ps_instance *inst, const char *name)
{
    (void)inst;
    return strtod(setting_text(name), NULL);
}

static int fake_setting_bool(ps_instance *inst, const char *name)
{
    (void)inst;
    return strcmp(setting_text(name), "true") == 0;
}

/* ---- errors, logs, thoughts ------------------------------------------------- */
static void fake_log(ps_instance *inst, int level, const char *fmt, ...)
{
    (void)inst, (void)level, (void)fmt;
}

static void fake_set_error(ps_instance *inst, ps_run *run, const char *fmt, ...)
{
    va_list ap;
    (void)inst, (void)run;
    va_start(ap, fmt);
    vsnprintf(fake.error, sizeof fake.error, fmt, ap);
    va_end(ap);
}

static const char *fake_strerror(int code)
{
    return code == PS_EFAILED ? "the analysis itself failed" : "some error";
}

static int fake_cancelled(ps_run *run)
{
    (void)run;
    return fake.cancel_after_asks && fake.ask_count >= fake.cancel_after_asks;
}

static int fake_emit_thought(ps_run *run, const ps_thought *t)
{
    (void)run;
    snprintf(fake.thoughts[fake.thought_count][0], TEXT_MAX, "%s", t->label);
    snprintf(fake.thoughts[fake.thought_count][1], TEXT_MAX, "%s", t->content);
    fake.thought_count++;
    return PS_OK;
}

/* ---- debate: record, and play the analysts ---------------------------------- */
static int fake_debate_open(ps_run *run, const char *topic, const char *metric, const char *const *participants,
                            size_t count)
{
    open_call *c = &fake.opens[fake.open_count++];
    (void)run;
    snprintf(c->topic, sizeof c->topic, "%s", topic);
    snprintf(c->metric, sizeof c->metric, "%s", metric);
    for (size_t i = 0; i < count; i++) {
        size_t used = strlen(c->participants);
        snprintf(c->participants + used, sizeof c->participants - used, "%s%s", i ? "," : "", participants[i]);
    }
    return PS_OK;
}

static const ps_finding_record *own_records[MAX_FINDINGS];

/* Asks the real analyst plugin, with its own findings of the view as the
 * host gives them; the argument is not handed back, as the host does. */
static int ask_live(const live_analyst *a, const ps_debate_prompt *prompt, ps_debate_reply *reply);

static int fake_debate_ask(ps_run *run, const char *agent_id, const ps_debate_prompt *prompt, ps_debate_reply *reply)
{
    ask_call *c = &fake.asks[fake.ask_count++];
    (void)run;
    c->round = prompt->round_number;
    c->position_count = prompt->position_count;
    snprintf(c->agent, sizeof c->agent, "%s", agent_id);
    snprintf(c->target, sizeof c->target, "%s", prompt->target_agent ? prompt->target_agent : "(none)");
    snprintf(c->responder, sizeof c->responder, "%s", prompt->responder ? prompt->responder : "(none)");
    for (size_t i = 0; i < prompt->position_count && i < MAX_SEATS; i++)
        snprintf(c->arguments[i], sizeof c->arguments[i], "%s",
                 prompt->positions[i]->argument ? prompt->positions[i]->argument : "(none)");
    int rc = PS_EINVAL;
    for (size_t i = 0; i < MAX_SEATS && fake.live[i].agent_id; i++)
        if (strcmp(fake.live[i].agent_id, agent_id) == 0)
            rc = ask_live(&fake.live[i], prompt, reply);
    for (size_t i = 0; i < MAX_SEATS && fake.scripts[i].agent_id; i++) {
        const script *s = &fake.scripts[i];
        if (strcmp(s->agent_id, agent_id) != 0)
            continue;
        if (s->fail_round && prompt->round_number >= s->fail_round)
            return PS_EFAILED;
        reply->value = s->value[prompt->round_number - 1];
        reply->confidence = s->confidence[prompt->round_number - 1];
        reply->argument = "scripted answer";
        reply->turn_type = s->turn[prompt->round_number - 1] ? s->turn[prompt->round_number - 1] : "argument";
        rc = PS_OK;
    }
    if (rc == PS_OK) {
        snprintf(c->turn, sizeof c->turn, "%s", reply->turn_type);
        c->value = reply->value;
        c->confidence = reply->confidence;
    }
    return rc;
}

static int fake_debate_converge(ps_run *run, const ps_convergence *in)
{
    size_t i = fake.converge_count++;
    (void)run;
    fake.converges[i] = *in;
    snprintf(fake.stop_reasons[i], 16, "%s", in->stop_reason ? in->stop_reason : "(none)");
    fake.converges[i].stop_reason = fake.stop_reasons[i];
    return PS_OK;
}

static int fake_debate_close(ps_run *run, const ps_debate_outcome *o)
{
    close_call *c = &fake.closes[fake.close_count++];
    (void)run;
    snprintf(c->metric, sizeof c->metric, "%s", o->metric);
    snprintf(c->stop_reason, sizeof c->stop_reason, "%s", o->stop_reason);
    c->rounds = o->rounds;
    c->converged = o->converged;
    c->score = o->convergence_score;
    c->position_count = o->position_count;
    for (size_t i = 0; i < o->position_count; i++) {
        snprintf(c->agents[i], sizeof c->agents[i], "%s", o->positions[i]->agent_id);
        c->values[i] = o->positions[i]->value;
        c->confidences[i] = o->positions[i]->confidence;
        snprintf(c->arguments[i], sizeof c->arguments[i], "%s",
                 o->positions[i]->argument ? o->positions[i]->argument : "(none)");
    }
    return PS_OK;
}

static int fake_emit_consensus(ps_run *run, const ps_consensus *in)
{
    consensus_call *c = &fake.consensus;
    (void)run;
    fake.consensus_count++;
    snprintf(c->level, sizeof c->level, "%s", in->consensus_level);
    snprintf(c->summary, sizeof c->summary, "%s", in->summary);
    c->agreement = in->agreement;
    c->agreed_count = in->agreed_count;
    c->strong_count = in->strong_count;
    for (size_t i = 0; i < in->agreed_count; i++)
        snprintf(c->agreed[i], sizeof c->agreed[i], "%s", in->agreed_finding_ids[i]);
    for (size_t i = 0; i < in->strong_count; i++)
        snprintf(c->strong[i], sizeof c->strong[i], "%s", in->strong_finding_ids[i]);
    free(c->report);
    c->report = malloc(in->report_size);
    memcpy(c->report, in->report_msgpack, in->report_size);
    c->report_size = in->report_size;
    return PS_OK;
}

static const ps_host_api fake_api = {
    .struct_size = sizeof(ps_host_api), .abi_major = PS_ABI_MAJOR, .abi_minor = PS_ABI_MINOR,
    .log = fake_log, .set_error = fake_set_error, .strerror = fake_strerror,
    .setting_string = fake_setting_string, .setting_int = fake_setting_int,
    .setting_double = fake_setting_double, .setting_bool = fake_setting_bool,
    .cancelled = fake_cancelled, .emit_thought = fake_emit_thought,
    .debate_open = fake_debate_open, .debate_ask = fake_debate_ask, .debate_converge = fake_debate_converge,
    .debate_close = fake_debate_close, .emit_consensus = fake_emit_consensus};

/* ---- loading ------------------------------------------------------------------ */
static inline const ps_agent_def *fake_query(const char *plugin, void **handle)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s.so", PS_PLUGIN_DIR, plugin);
    *handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!*handle)
        return NULL;
    ps_agent_query_fn query = (ps_agent_query_fn)dlsym(*handle, PS_AGENT_QUERY_SYMBOL);
    return query ? query(PS_ABI_MAJOR, PS_ABI_MINOR) : NULL;
}

/* Loads and creates the plugin with fake.overrides; returns create()'s code. */
static inline int fake_load(const char *plugin)
{
    fake.def = fake_query(plugin, &fake.handle);
    if (!fake.def)
        return PS_EIO;
    return fake.def->create(&fake_api, &fake.inst, &fake.state);
}

static inline void fake_reset(void)
{
    free(fake.consensus.report);
    memset(&fake, 0, sizeof fake);
}

static inline void fake_unload(void)
{
    if (fake.def && fake.state)
        fake.def->destroy(fake.state);
    if (fake.handle)
        dlclose(fake.handle);
    for (size_t i = 0; i < MAX_SEATS && fake.live[i].agent_id; i++)
        dlclose(fake.live[i].handle);
    fake_reset();
}

/* Lets the shipped analyst plugin `plugin` answer for itself (agent id = plugin name). */
static inline void fake_live_analyst(const char *plugin)
{
    size_t i = 0;
    while (fake.live[i].agent_id)
        i++;
    fake.live[i].agent_id = plugin;
    fake.live[i].def = fake_query(plugin, &fake.live[i].handle);
}

/* ---- the debate plugin's convergence calls ---------------------------------------------- */
/* The i-th debate_converge call was round `round` with these numbers. */
static inline void assert_converge(size_t i, int round, double score, double previous, int met, const char *stop)
{
    const ps_convergence *c = &fake.converges[i];
    ck_assert_int_eq(c->round_number, round);
    ck_assert_double_eq_tol(c->convergence_score, score, 1e-12);
    ck_assert_double_eq_tol(c->previous_score, previous, 1e-12);
    ck_assert_int_eq(c->threshold_met, met);
    ck_assert_str_eq(c->stop_reason, stop);
}

/* ---- hand-built swarm views ------------------------------------------------------- */
static struct view_builder {
    ps_finding findings[MAX_FINDINGS];
    ps_fiscal_impact impacts[MAX_FINDINGS];
    ps_finding_record records[MAX_FINDINGS];
    const ps_finding_record *record_ptrs[MAX_FINDINGS];
    char ids[MAX_FINDINGS][24];
    const char *analysts[MAX_SEATS];
    ps_debate_outcome outcomes[4];
    const ps_debate_outcome *outcome_ptrs[4];
    ps_position positions[4][MAX_SEATS];
    const ps_position *position_ptrs[4][MAX_SEATS];
    ps_swarm_view view;
} vb;

static inline void view_reset(int max_rounds, double convergence_threshold, double consensus_threshold)
{
    memset(&vb, 0, sizeof vb);
    vb.view = (ps_swarm_view){.struct_size = sizeof vb.view, .findings = vb.record_ptrs, .analysts = vb.analysts,
                              .debates = vb.outcome_ptrs, .max_debate_rounds = max_rounds,
                              .convergence_threshold = convergence_threshold,
                              .consensus_threshold = consensus_threshold};
}

static inline void add_analyst(const char *id)
{
    vb.analysts[vb.view.analyst_count++] = id;
}

/* fiscal, economic, healthcare, social_security, in that order. */
static inline void four_analysts(void)
{
    add_analyst("fiscal");
    add_analyst("economic");
    add_analyst("healthcare");
    add_analyst("social_security");
}

/* A finding "<agent>-<n>"; metric NULL for none; fiscal_amount NAN for no fiscal impact. */
static inline ps_finding *add_finding(const char *agent, const char *category, const char *metric, double value,
                               double confidence, const char *section, double fiscal_amount)
{
    size_t i = vb.view.finding_count++;
    ps_finding *f = &vb.findings[i];
    *f = (ps_finding){.struct_size = sizeof *f, .category = category, .description = "a scripted finding",
                      .confidence = confidence, .related_section = section, .metric = metric, .value = value};
    if (!isnan(fiscal_amount)) {
        vb.impacts[i] = (ps_fiscal_impact){.struct_size = sizeof vb.impacts[i], .amount_billions = fiscal_amount,
                                           .time_period = "FY2026-2035"};
        f->fiscal_impact = &vb.impacts[i];
    }
    snprintf(vb.ids[i], sizeof vb.ids[i], "%s-%zu", agent, i + 1);
    vb.records[i] = (ps_finding_record){.struct_size = sizeof vb.records[i], .finding_id = vb.ids[i],
                                        .agent_id = agent, .finding = f};
    vb.record_ptrs[i] = &vb.records[i];
    return f;
}

/* A finding with no metric and no amount (an unsized effect), of the given impact. */
static inline void add_effect(const char *agent, const char *section, double confidence, double impact)
{
    add_finding(agent, agent, NULL, 0, confidence, section, NAN)->impact_magnitude = impact;
}

static inline ps_debate_outcome *add_outcome(const char *metric, double score, int converged, const char *stop)
{
    size_t d = vb.view.debate_count++;
    vb.outcomes[d] = (ps_debate_outcome){.struct_size = sizeof vb.outcomes[d], .topic = "a scripted topic",
                                         .metric = metric, .rounds = 2, .convergence_score = score,
                                         .converged = converged, .stop_reason = stop,
                                         .positions = vb.position_ptrs[d]};
    vb.outcome_ptrs[d] = &vb.outcomes[d];
    return &vb.outcomes[d];
}

static inline void add_position(ps_debate_outcome *o, const char *agent, double value, double confidence,
                         const char *argument)
{
    size_t d = (size_t)(o - vb.outcomes), i = o->position_count++;
    vb.positions[d][i] = (ps_position){.struct_size = sizeof(ps_position), .agent_id = agent, .value = value,
                                       .confidence = confidence, .argument = argument};
    vb.position_ptrs[d][i] = &vb.positions[d][i];
}

/* Runs the loaded debate plugin's moderate() on the built view. */
static inline int fake_moderate(void)
{
    return fake.def->moderate(fake.state, &fake.run, &vb.view);
}

/* The turn types of agent's script, from round 1 on. */
static inline void set_turns(const char *agent, const char *const *turns, int rounds)
{
    for (size_t i = 0; i < MAX_SEATS && fake.scripts[i].agent_id; i++)
        if (strcmp(fake.scripts[i].agent_id, agent) == 0)
            for (int r = 0; r < rounds; r++)
                fake.scripts[i].turn[r] = turns[r];
}

static int ask_live(const live_analyst *a, const ps_debate_prompt *prompt, ps_debate_reply *reply)
{
    ps_debate_prompt own = *prompt;
    own.own_findings = own_records;
    own.own_finding_count = 0;
    for (size_t i = 0; i < vb.view.finding_count; i++)
        if (strcmp(vb.records[i].agent_id, a->agent_id) == 0)
            own_records[own.own_finding_count++] = &vb.records[i];
    int rc = a->def->debate_respond(NULL, NULL, &own, reply);
    if (rc == PS_OK) {
        snprintf(fake.asks[fake.ask_count - 1].reply, TEXT_MAX, "%s", reply->argument);
        reply->argument = NULL;
    }
    return rc;
}

static inline void add_script(const char *agent, int fail_round, const double *values, const double *confidences,
                       int rounds)
{
    size_t i = 0;
    while (fake.scripts[i].agent_id)
        i++;
    fake.scripts[i] = (script){.agent_id = agent, .fail_round = fail_round};
    for (int r = 0; r < rounds; r++) {
        fake.scripts[i].value[r] = values[r];
        fake.scripts[i].confidence[r] = confidences[r];
    }
}

#endif
