/*
 * watch_format — readable lines for stream events (see watch_format.h).
 */
#include "watch_format.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Longest free text (descriptions, arguments) shown on a line. */
#define TEXT_WIDTH 100

typedef struct line {
    char *out;
    size_t size, used;
} line;

static void put(line *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(line *l, const char *fmt, ...)
{
    if (l->used + 1 >= l->size)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(l->out + l->used, l->size - l->used, fmt, ap);
    va_end(ap);
    if (n > 0)
        l->used = l->used + (size_t)n < l->size ? l->used + (size_t)n : l->size - 1;
}

static const char *text(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) ? v->valuestring : "-";
}

static double number(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsNumber(v) ? v->valuedouble : 0;
}

static int count(const cJSON *o, const char *key)
{
    return cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(o, key));
}

/* Free text, on one line and cut at TEXT_WIDTH characters. */
static void put_text(line *l, const char *s)
{
    size_t n = 0;
    for (; s[n] && n < TEXT_WIDTH; n++)
        put(l, "%c", s[n] == '\n' || s[n] == '\r' || s[n] == '\t' ? ' ' : s[n]);
    if (s[n])
        put(l, "...");
}

static void fmt_pipeline_started(line *l, const cJSON *d)
{
    put(l, "bill %s, %d agent(s): ", text(d, "bill_id"), count(d, "agents"));
    put_text(l, text(d, "title"));
}

static void fmt_stage_changed(line *l, const cJSON *d)
{
    put(l, "%s -> %s", text(d, "previous_stage"), text(d, "stage"));
}

static void fmt_agent_started(line *l, const cJSON *d)
{
    put(l, "%s (%s)", text(d, "agent_id"), text(d, "agent_label"));
}

static void fmt_agent_thinking(line *l, const cJSON *d)
{
    const cJSON *first = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(d, "thoughts"), 0);
    const cJSON *agent = cJSON_GetObjectItemCaseSensitive(d, "agent_id");
    put(l, "%s, %d thought(s)", cJSON_IsString(agent) ? agent->valuestring : "several agents",
        (int)number(d, "batch_size"));
    if (first) {
        put(l, ": [%s] ", text(first, "thought_label"));
        put_text(l, text(first, "content"));
    }
}

static void fmt_agent_finding(line *l, const cJSON *d)
{
    put(l, "%s [%s] conf %.2f: ", text(d, "agent_id"), text(d, "category"), number(d, "confidence"));
    put_text(l, text(d, "description"));
}

static void fmt_agent_completed(line *l, const cJSON *d)
{
    put(l, "%s %s, %d finding(s), conf %.2f, %.1f s", text(d, "agent_id"), text(d, "status"),
        (int)number(d, "findings_count"), number(d, "overall_confidence"), number(d, "execution_time_seconds"));
}

static void fmt_debate_started(line *l, const cJSON *d)
{
    put(l, "round %d, %d participant(s): ", (int)number(d, "round_number"), count(d, "participants"));
    put_text(l, text(d, "topic"));
}

static void fmt_debate_turn(line *l, const cJSON *d)
{
    put(l, "round %d %s %s, position %g: ", (int)number(d, "round_number"), text(d, "agent_id"),
        text(d, "turn_type"), number(d, "position"));
    put_text(l, text(d, "content"));
}

static void fmt_debate_convergence(line *l, const cJSON *d)
{
    const cJSON *stop = cJSON_GetObjectItemCaseSensitive(d, "stop_reason");
    put(l, "round %d, score %.2f%s%s: ", (int)number(d, "round_number"), number(d, "convergence_score"),
        cJSON_IsString(stop) ? ", stopped: " : "", cJSON_IsString(stop) ? stop->valuestring : "");
    put_text(l, text(d, "topic"));
}

static void fmt_consensus_reached(line *l, const cJSON *d)
{
    put(l, "%s, agreement %.2f, %d agreed finding(s): ", text(d, "consensus_level"), number(d, "agreement"),
        (int)number(d, "agreed_findings_count"));
    put_text(l, text(d, "summary"));
}

static void fmt_analysis_complete(line *l, const cJSON *d)
{
    put(l, "%s in %.1f s", text(d, "status"), number(d, "duration_seconds"));
}

static void fmt_progress_update(line *l, const cJSON *d)
{
    put(l, "%s %.0f%%, agents %d/%d, debates %d/%d, eta %.0f s", text(d, "stage"), 100 * number(d, "overall_progress"),
        (int)number(d, "agents_complete"), (int)number(d, "agents_total"), (int)number(d, "debates_complete"),
        (int)number(d, "debates_expected"), number(d, "estimated_time_remaining_seconds"));
}

static void fmt_error(line *l, const cJSON *d)
{
    put_text(l, text(d, "error"));
    put(l, " (agent %s, stage %s)", text(d, "agent_id"), text(d, "stage"));
}

static void fmt_data(line *l, const cJSON *d)
{
    char *json = cJSON_PrintUnformatted(d);
    if (json)
        put_text(l, json);
    free(json);
}

static void fmt_agent_event(line *l, const cJSON *d)
{
    put(l, "%s %s ", text(d, "agent_id"), text(d, "name"));
    fmt_data(l, cJSON_GetObjectItemCaseSensitive(d, "data"));
}

static const struct {
    const char *type;
    void (*format)(line *l, const cJSON *data);
} FORMATS[] = {
    {"pipeline_started", fmt_pipeline_started},     {"stage_changed", fmt_stage_changed},
    {"agent_started", fmt_agent_started},           {"agent_thinking", fmt_agent_thinking},
    {"agent_finding", fmt_agent_finding},           {"agent_completed", fmt_agent_completed},
    {"debate_started", fmt_debate_started},         {"debate_turn", fmt_debate_turn},
    {"debate_convergence", fmt_debate_convergence}, {"consensus_reached", fmt_consensus_reached},
    {"analysis_complete", fmt_analysis_complete},   {"progress_update", fmt_progress_update},
    {"error", fmt_error},                           {"agent_event", fmt_agent_event},
};

void watch_format_event(const cJSON *event, char *out, size_t size)
{
    line l = {out, size, 0};
    out[0] = '\0';
    const cJSON *sequence = cJSON_GetObjectItemCaseSensitive(event, "sequence");
    const char *type = text(event, "event_type");
    const cJSON *data = cJSON_GetObjectItemCaseSensitive(event, "data");
    if (cJSON_IsNumber(sequence))
        put(&l, "#%-5.0f %-18s ", sequence->valuedouble, type);
    else
        put(&l, "  -    %-18s ", type);
    for (size_t i = 0; i < sizeof FORMATS / sizeof FORMATS[0]; i++)
        if (strcmp(type, FORMATS[i].type) == 0) {
            FORMATS[i].format(&l, data);
            return;
        }
    fmt_data(&l, data);
}

void watch_format_resume(const cJSON *notice, char *out, size_t size)
{
    line l = {out, size, 0};
    out[0] = '\0';
    if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(notice, "recovered"))) {
        put(&l, "resume: recovered, from sequence %.0f", number(notice, "resumed_from"));
        return;
    }
    put(&l, "resume: NOT recovered (%s): ", text(notice, "reason"));
    if (number(notice, "missed") > 0)
        put(&l, "%.0f event(s) missed, ", number(notice, "missed"));
    put(&l, "resuming at %.0f (last_sequence was %.0f; buffer ", number(notice, "resumed_from"),
        number(notice, "last_sequence"));
    if (cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(notice, "oldest_sequence")))
        put(&l, "%.0f..%.0f)", number(notice, "oldest_sequence"), number(notice, "head_sequence"));
    else
        put(&l, "empty, head %.0f)", number(notice, "head_sequence"));
}
