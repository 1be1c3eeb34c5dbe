/*
 * resume — a connecting client's start in the stream (see resume.h).
 */
#include "edge/resume.h"

#include <cjson/cJSON.h>

resume_plan resume_plan_for(uint64_t last_sequence, const stream_position *at)
{
    resume_plan plan = {.last_sequence = last_sequence, .at = *at};
    uint64_t first_available = at->buffered ? at->oldest : at->head + 1;
    uint64_t wanted = last_sequence + 1;
    if (last_sequence > at->head) {
        plan.start = first_available;
        plan.notify = 1;
        plan.reason = "unknown_position";
    } else if (wanted >= first_available) {
        plan.start = wanted;
        plan.recovered = 1;
        plan.notify = last_sequence > 0;
    } else {
        plan.start = first_available;
        plan.notify = 1;
        plan.reason = at->buffered >= at->capacity ? "too_old" : "expired";
        plan.missed = first_available - wanted;
    }
    return plan;
}

static int add_sequence(cJSON *o, const char *key, uint64_t sequence)
{
    return (sequence ? cJSON_AddNumberToObject(o, key, (double)sequence) : cJSON_AddNullToObject(o, key)) != NULL;
}

char *resume_notice_json(const resume_plan *plan)
{
    cJSON *o = cJSON_CreateObject();
    int ok = o && cJSON_AddStringToObject(o, "type", "resume") &&
             cJSON_AddBoolToObject(o, "recovered", plan->recovered) &&
             (plan->reason ? cJSON_AddStringToObject(o, "reason", plan->reason)
                           : cJSON_AddNullToObject(o, "reason")) &&
             cJSON_AddNumberToObject(o, "last_sequence", (double)plan->last_sequence) &&
             cJSON_AddNumberToObject(o, "resumed_from", (double)plan->start) &&
             cJSON_AddNumberToObject(o, "missed", (double)plan->missed) &&
             add_sequence(o, "oldest_sequence", plan->at.oldest) &&
             cJSON_AddNumberToObject(o, "head_sequence", (double)plan->at.head);
    char *json = ok ? cJSON_PrintUnformatted(o) : NULL;
    cJSON_Delete(o);
    return json;
}
