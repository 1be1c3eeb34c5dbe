/*
 * results — the result store (see results.h). One record per analysis,
 * built from the bus events: state and stage as they change, the findings,
 * debate rounds and consensus as they arrive, the summary at the end.
 */
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>
#include "pipeline/results.h"
#include "bus/envelope.h"
#include "bus/wire_json.h"

typedef struct result_record {
    char id[72];
    char *bill_id;
    char state[16];
    char stage[24];
    int64_t started_ns, finished_ns;
    cJSON *findings;   /* array of agent_finding data */
    cJSON *agents;     /* array of agent_completed data */
    cJSON *debates;    /* array of debate events (started, turn, convergence) */
    cJSON *errors;     /* array of error data */
    cJSON *consensus;  /* consensus_reached data or NULL */
    cJSON *summary;    /* analysis_complete data or NULL */
    struct result_record *next;
} result_record;

/* Records are chained in buckets by a hash of their id: every bus message
 * looks one up, so the cost must not grow with the server's history. */
#define RESULT_BUCKETS 1024

struct result_store {
    result_record *buckets[RESULT_BUCKETS];
    size_t count;
};

static result_record **bucket_of(const result_store *s, const char *id)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (const unsigned char *c = (const unsigned char *)id; *c; c++)
        h = (h ^ *c) * 16777619u;
    return (result_record **)&s->buckets[h % RESULT_BUCKETS];
}

result_store *results_new(void)
{
    return calloc(1, sizeof(result_store));
}

static void record_free(result_record *r)
{
    free(r->bill_id);
    cJSON_Delete(r->findings);
    cJSON_Delete(r->agents);
    cJSON_Delete(r->debates);
    cJSON_Delete(r->errors);
    cJSON_Delete(r->consensus);
    cJSON_Delete(r->summary);
    free(r);
}

void results_free(result_store *s)
{
    if (!s)
        return;
    for (size_t b = 0; b < RESULT_BUCKETS; b++)
        for (result_record *r = s->buckets[b], *next; r; r = next) {
            next = r->next;
            record_free(r);
        }
    free(s);
}

static result_record *find(const result_store *s, const char *id)
{
    for (result_record *r = *bucket_of(s, id); r; r = r->next)
        if (strcmp(r->id, id) == 0)
            return r;
    return NULL;
}

static result_record *find_or_add(result_store *s, const char *id)
{
    result_record *r = find(s, id);
    if (r)
        return r;
    r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    snprintf(r->id, sizeof r->id, "%s", id);
    snprintf(r->state, sizeof r->state, "queued");
    r->findings = cJSON_CreateArray();
    r->agents = cJSON_CreateArray();
    r->debates = cJSON_CreateArray();
    r->errors = cJSON_CreateArray();
    result_record **bucket = bucket_of(s, id);
    r->next = *bucket;
    *bucket = r;
    s->count++;
    return r;
}

void results_register(result_store *s, const char *analysis_id, const char *bill_id)
{
    result_record *r = find_or_add(s, analysis_id);
    if (r && bill_id && !r->bill_id)
        r->bill_id = strdup(bill_id);
}

static void take_string(const cJSON *data, const char *key, char *out, size_t size)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(data, key);
    if (cJSON_IsString(v))
        snprintf(out, size, "%s", v->valuestring);
}

/* Applies one event to its record; takes ownership of data. */
static void apply(result_record *r, const envelope *e, cJSON *data)
{
    const char *type = e->event_type;
    if (strcmp(type, "pipeline_started") == 0) {
        snprintf(r->state, sizeof r->state, "running");
        r->started_ns = e->timestamp_ns;
        const cJSON *bill = cJSON_GetObjectItemCaseSensitive(data, "bill_id");
        if (!r->bill_id && cJSON_IsString(bill))
            r->bill_id = strdup(bill->valuestring);
    } else if (strcmp(type, "stage_changed") == 0) {
        take_string(data, "stage", r->stage, sizeof r->stage);
    } else if (strcmp(type, "agent_finding") == 0) {
        cJSON_AddItemToArray(r->findings, data);
        return;
    } else if (strcmp(type, "agent_completed") == 0) {
        cJSON_AddItemToArray(r->agents, data);
        return;
    } else if (strncmp(type, "debate_", 7) == 0) {
        cJSON_AddStringToObject(data, "event_type", type);
        cJSON_AddItemToArray(r->debates, data);
        return;
    } else if (strcmp(type, "error") == 0) {
        cJSON_AddItemToArray(r->errors, data);
        return;
    } else if (strcmp(type, "consensus_reached") == 0) {
        cJSON_Delete(r->consensus);
        r->consensus = data;
        return;
    } else if (strcmp(type, "analysis_complete") == 0) {
        take_string(data, "status", r->state, sizeof r->state);
        r->finished_ns = e->timestamp_ns;
        cJSON_Delete(r->summary);
        r->summary = data;
        return;
    }
    cJSON_Delete(data);
}

void results_on_message(void *store, const uint8_t *message, size_t length)
{
    result_store *s = store;
    envelope e;
    char err[128];
    if (envelope_decode(message, length, &e, err, sizeof err) != 0)
        return;
    if (strcmp(e.event_type, "agent_thought") != 0 && strcmp(e.event_type, "agent_event") != 0) {
        result_record *r = find_or_add(s, e.analysis_id);
        cJSON *data = r ? wire_from_msgpack(&e.data) : NULL;
        if (data)
            apply(r, &e, data);
    }
    envelope_release(&e);
}

const char *results_state(const result_store *s, const char *analysis_id)
{
    const result_record *r = find(s, analysis_id);
    return r ? r->state : NULL;
}

size_t results_count(const result_store *s)
{
    return s->count;
}

static void add_time(cJSON *o, const char *key, int64_t ns)
{
    char stamp[40];
    if (!ns) {
        cJSON_AddNullToObject(o, key);
        return;
    }
    wire_timestamp(ns, stamp, sizeof stamp);
    cJSON_AddStringToObject(o, key, stamp);
}

char *results_json(const result_store *s, const char *analysis_id)
{
    const result_record *r = find(s, analysis_id);
    if (!r)
        return NULL;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "analysis_id", r->id);
    if (r->bill_id)
        cJSON_AddStringToObject(o, "bill_id", r->bill_id);
    else
        cJSON_AddNullToObject(o, "bill_id");
    cJSON_AddStringToObject(o, "state", r->state);
    if (r->stage[0])
        cJSON_AddStringToObject(o, "stage", r->stage);
    else
        cJSON_AddNullToObject(o, "stage");
    add_time(o, "started_at", r->started_ns);
    add_time(o, "finished_at", r->finished_ns);
    cJSON_AddItemToObject(o, "errors", cJSON_Duplicate(r->errors, 1));
    if (r->summary) {
        cJSON *result = cJSON_CreateObject();
        cJSON_AddItemToObject(result, "summary", cJSON_Duplicate(r->summary, 1));
        cJSON_AddItemToObject(result, "agents", cJSON_Duplicate(r->agents, 1));
        cJSON_AddItemToObject(result, "findings", cJSON_Duplicate(r->findings, 1));
        cJSON_AddItemToObject(result, "debate", cJSON_Duplicate(r->debates, 1));
        cJSON_AddItemToObject(result, "consensus",
                              r->consensus ? cJSON_Duplicate(r->consensus, 1) : cJSON_CreateNull());
        cJSON_AddItemToObject(o, "result", result);
    }
    char *text = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    return text;
}
