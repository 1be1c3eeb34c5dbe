/*
 * progress — stage, counters and ETA of one analysis (see progress.h).
 */
#include "stream/progress.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bus/wire_json.h"

typedef struct stage_weight {
    const char *name;
    double weight;
} stage_weight;

/* The pipeline's stages in order, with their share of the whole run. */
static const stage_weight STAGES[] = {
    {"ingesting", 0.05}, {"analyzing", 0.55}, {"debating", 0.20}, {"voting", 0.10}, {"synthesizing", 0.10},
};
#define STAGE_COUNT (sizeof STAGES / sizeof STAGES[0])
enum { STAGE_INGESTING, STAGE_ANALYZING, STAGE_DEBATING, STAGE_VOTING, STAGE_SYNTHESIZING };

void progress_init(progress_tracker *t)
{
    memset(t, 0, sizeof *t);
    snprintf(t->stage, sizeof t->stage, "%s", STAGES[STAGE_INGESTING].name);
    t->stage_index = STAGE_INGESTING;
}

void progress_free(progress_tracker *t)
{
    for (size_t i = 0; i < t->debates_started; i++)
        free(t->debate_topics[i]);
    free(t->debate_topics);
    free(t->analysts);
    memset(t, 0, sizeof *t);
}

/* ---- reading the envelope's data map ------------------------------------- */

static int str_equals(const msgpack_object *o, const char *s)
{
    size_t n = strlen(s);
    return o->type == MSGPACK_OBJECT_STR && o->via.str.size == n && memcmp(o->via.str.ptr, s, n) == 0;
}

static const msgpack_object *map_get(const msgpack_object *map, const char *key)
{
    if (map->type != MSGPACK_OBJECT_MAP)
        return NULL;
    for (uint32_t i = 0; i < map->via.map.size; i++)
        if (str_equals(&map->via.map.ptr[i].key, key))
            return &map->via.map.ptr[i].val;
    return NULL;
}

/* Copies a string field into buf; returns 0 if absent, not a string, or too long. */
static int get_str(const msgpack_object *map, const char *key, char *buf, size_t size)
{
    const msgpack_object *o = map_get(map, key);
    if (!o || o->type != MSGPACK_OBJECT_STR || o->via.str.size >= size)
        return 0;
    memcpy(buf, o->via.str.ptr, o->via.str.size);
    buf[o->via.str.size] = '\0';
    return 1;
}

static int str_contains(const msgpack_object *o, const char *needle)
{
    return o->type == MSGPACK_OBJECT_STR && memmem(o->via.str.ptr, o->via.str.size, needle, strlen(needle));
}

/* roles: a string ("analyst", "analyst,debate") or an array of strings. */
static int has_analyst_role(const msgpack_object *roles)
{
    if (!roles)
        return 0;
    if (roles->type != MSGPACK_OBJECT_ARRAY)
        return str_contains(roles, "analyst");
    for (uint32_t i = 0; i < roles->via.array.size; i++)
        if (str_contains(&roles->via.array.ptr[i], "analyst"))
            return 1;
    return 0;
}

/* ---- events ---------------------------------------------------------------- */

static analyst_state *find_analyst(const progress_tracker *t, const char *agent_id)
{
    for (size_t i = 0; i < t->analyst_count; i++)
        if (strcmp(t->analysts[i].agent_id, agent_id) == 0)
            return &t->analysts[i];
    return NULL;
}

static void add_analyst(progress_tracker *t, const char *agent_id)
{
    if (find_analyst(t, agent_id))
        return;
    analyst_state *grown = realloc(t->analysts, (t->analyst_count + 1) * sizeof *grown);
    if (!grown)
        return; /* out of memory: this analyst is left out of agents_total */
    t->analysts = grown;
    analyst_state *a = &t->analysts[t->analyst_count++];
    snprintf(a->agent_id, sizeof a->agent_id, "%s", agent_id);
    a->completed = 0;
}

static void on_pipeline_started(progress_tracker *t, const msgpack_object *data)
{
    get_str(data, "bill_id", t->bill_id, sizeof t->bill_id);
    const msgpack_object *agents = map_get(data, "agents");
    if (!agents || agents->type != MSGPACK_OBJECT_ARRAY)
        return;
    for (uint32_t i = 0; i < agents->via.array.size; i++) {
        const msgpack_object *agent = &agents->via.array.ptr[i];
        char agent_id[72];
        if (get_str(agent, "agent_id", agent_id, sizeof agent_id) && has_analyst_role(map_get(agent, "roles")))
            add_analyst(t, agent_id);
    }
}

static void on_stage_changed(progress_tracker *t, const msgpack_object *data)
{
    char stage[sizeof t->stage];
    if (!get_str(data, "stage", stage, sizeof stage))
        return;
    memcpy(t->stage, stage, sizeof stage);
    for (size_t i = 0; i < STAGE_COUNT; i++)
        if (strcmp(stage, STAGES[i].name) == 0)
            t->stage_index = (int)i;
}

static void on_agent_completed(progress_tracker *t, const envelope *ev)
{
    char agent_id[72];
    if (!get_str(&ev->data, "agent_id", agent_id, sizeof agent_id))
        memcpy(agent_id, ev->agent_id, sizeof agent_id);
    analyst_state *a = find_analyst(t, agent_id);
    if (a && !a->completed) {
        a->completed = 1;
        t->analysts_completed++;
    }
}

static int known_topic(const progress_tracker *t, const msgpack_object *topic)
{
    for (size_t i = 0; i < t->debates_started; i++)
        if (t->debate_topics[i] && str_equals(topic, t->debate_topics[i]))
            return 1;
    return 0;
}

/* A debate is one topic; a topic seen again (a later round) is the same debate. */
/* A NUL-terminated copy of a MessagePack string (whose bytes are not). */
static char *copy_str(const msgpack_object *o)
{
    char *s = malloc(o->via.str.size + 1);
    if (s) {
        memcpy(s, o->via.str.ptr, o->via.str.size);
        s[o->via.str.size] = '\0';
    }
    return s;
}

static void on_debate_started(progress_tracker *t, const msgpack_object *data)
{
    const msgpack_object *topic = map_get(data, "topic");
    int has_topic = topic && topic->type == MSGPACK_OBJECT_STR;
    if (has_topic && known_topic(t, topic))
        return;
    char **grown = realloc(t->debate_topics, (t->debates_started + 1) * sizeof *grown);
    if (!grown)
        return;
    t->debate_topics = grown;
    t->debate_topics[t->debates_started++] = has_topic ? copy_str(topic) : NULL;
}

static void on_debate_convergence(progress_tracker *t, const msgpack_object *data)
{
    const msgpack_object *stop_reason = map_get(data, "stop_reason");
    if (stop_reason && stop_reason->type != MSGPACK_OBJECT_NIL)
        t->debates_completed++;
}

int progress_observe(progress_tracker *t, const envelope *ev, int64_t now_ns)
{
    if (!t->started) {
        t->started = 1;
        t->start_wall_ns = ev->timestamp_ns;
        t->start_mono_ns = now_ns;
    }
    const char *type = ev->event_type;
    if (strcmp(type, "pipeline_started") == 0) {
        on_pipeline_started(t, &ev->data);
    } else if (strcmp(type, "stage_changed") == 0) {
        on_stage_changed(t, &ev->data);
        return 1;
    } else if (strcmp(type, "agent_completed") == 0) {
        on_agent_completed(t, ev);
        return 1;
    } else if (strcmp(type, "debate_started") == 0) {
        on_debate_started(t, &ev->data);
    } else if (strcmp(type, "debate_convergence") == 0) {
        on_debate_convergence(t, &ev->data);
    } else if (strcmp(type, "consensus_reached") == 0) {
        t->consensus_reached = 1;
    }
    return 0;
}

/* ---- the progress_update map ----------------------------------------------- */

static double ratio(size_t done, size_t total)
{
    if (total == 0)
        return 0.0;
    return done >= total ? 1.0 : (double)done / (double)total;
}

/* Measured progress inside a stage, 0..1. Ingesting and synthesizing have no
 * inner milestones: they count only once the next stage starts. */
static double stage_progress(const progress_tracker *t)
{
    switch (t->stage_index) {
    case STAGE_ANALYZING: return ratio(t->analysts_completed, t->analyst_count);
    case STAGE_DEBATING: return ratio(t->debates_completed, t->debates_started);
    case STAGE_VOTING: return t->consensus_reached ? 1.0 : 0.0;
    default: return 0.0;
    }
}

static double overall_progress(const progress_tracker *t)
{
    double done = 0.0;
    for (int i = 0; i < t->stage_index; i++)
        done += STAGES[i].weight; /* earlier (or skipped) stages are behind us */
    return done + STAGES[t->stage_index].weight * stage_progress(t);
}

/* v rounded to 1/scale (scale = 1e3: milliseconds, 1e4: four decimals). */
static double rounded(double v, double scale)
{
    return round(v * scale) / scale;
}

static int add_number(cJSON *o, const char *key, double v)
{
    return cJSON_AddNumberToObject(o, key, v) != NULL;
}

static int add_string_or_null(cJSON *o, const char *key, const char *s)
{
    return (s && *s ? cJSON_AddStringToObject(o, key, s) : cJSON_AddNullToObject(o, key)) != NULL;
}

cJSON *progress_data(const progress_tracker *t, const char *analysis_id, int64_t now_ns)
{
    int complete = strcmp(t->stage, "complete") == 0;
    int failed = strcmp(t->stage, "error") == 0;
    double stage_done = complete ? 1.0 : stage_progress(t);
    double overall = complete ? 1.0 : overall_progress(t);
    double elapsed = t->started && now_ns > t->start_mono_ns ? (double)(now_ns - t->start_mono_ns) / 1e9 : 0.0;
    char start_time[32] = "";
    if (t->started)
        wire_timestamp(t->start_wall_ns, start_time, sizeof start_time);

    cJSON *o = cJSON_CreateObject();
    int ok = o && add_string_or_null(o, "analysis_id", analysis_id) &&
             add_string_or_null(o, "bill_id", t->bill_id) && add_string_or_null(o, "stage", t->stage) &&
             add_number(o, "stage_progress", rounded(stage_done, 1e4)) &&
             add_number(o, "overall_progress", rounded(overall, 1e4)) &&
             add_number(o, "agents_complete", (double)t->analysts_completed) &&
             add_number(o, "agents_total", (double)t->analyst_count) &&
             add_number(o, "debates_complete", (double)t->debates_completed) &&
             add_number(o, "debates_expected", (double)t->debates_started);
    if (ok && (failed || (!complete && overall <= 0.0)))
        ok = cJSON_AddNullToObject(o, "estimated_time_remaining_seconds") != NULL;
    else if (ok)
        ok = add_number(o, "estimated_time_remaining_seconds", rounded(elapsed / overall * (1.0 - overall), 1e3));
    ok = ok && add_number(o, "elapsed_seconds", rounded(elapsed, 1e3)) &&
         add_string_or_null(o, "start_time", start_time);
    if (!ok) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}
