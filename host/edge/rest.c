/*
 * rest — the REST resources (see rest.h).
 */
#include "edge/edge.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>

#include "edge/rest.h"

static char *print_and_free(cJSON *o, int ok)
{
    char *json = ok ? cJSON_PrintUnformatted(o) : NULL;
    cJSON_Delete(o);
    return json;
}

static double uptime_seconds(const server *s)
{
    return (double)(edge_now_ns() - s->started_ns) / NS_PER_SECOND;
}

int rest_health(http_exchange *x, server *s, struct lws *wsi)
{
    cJSON *o = cJSON_CreateObject();
    int ok = o && cJSON_AddStringToObject(o, "status", s->shutting_down ? "shutting_down" : "ok") &&
             cJSON_AddNumberToObject(o, "uptime_seconds", uptime_seconds(s)) &&
             cJSON_AddNumberToObject(o, "connections", (double)s->client_count) &&
             cJSON_AddNumberToObject(o, "running_analyses", (double)edge_running_analyses(s));
    return http_respond(x, wsi, s->shutting_down ? HTTP_STATUS_SERVICE_UNAVAILABLE : HTTP_STATUS_OK,
                        print_and_free(o, ok));
}

int rest_stats(http_exchange *x, server *s, struct lws *wsi)
{
    const edge_stats *st = &s->stats;
    const struct {
        const char *key;
        uint64_t value;
    } counters[] = {
        {"total_connections", st->total_connections},
        {"total_events_sent", st->total_events_sent},
        {"total_reconnections", st->total_reconnections},
        {"rejected_connections", st->rejected_connections},
        {"invalid_connections", st->invalid_connections},
        {"slow_client_disconnects", st->slow_client_disconnects},
        {"timed_out_connections", st->timed_out_connections},
        {"total_control_messages_sent", st->total_control_sent},
        {"total_messages_received", st->total_messages_received},
        {"events_stored", st->events_stored},
        {"bus_messages", st->bus_messages},
        {"bus_rejected", st->bus_rejected},
        {"http_requests", st->http_requests},
    };
    cJSON *o = cJSON_CreateObject();
    cJSON *inner = NULL;
    int ok = o && cJSON_AddNumberToObject(o, "total_connections", (double)s->client_count) &&
             cJSON_AddNumberToObject(o, "active_analyses", (double)s->channels.rooms) &&
             cJSON_AddNumberToObject(o, "running_analyses", (double)edge_running_analyses(s)) &&
             (inner = cJSON_AddObjectToObject(o, "stats"));
    for (size_t i = 0; ok && i < sizeof counters / sizeof counters[0]; i++)
        ok = cJSON_AddNumberToObject(inner, counters[i].key, (double)counters[i].value) != NULL;
    ok = ok && cJSON_AddNumberToObject(inner, "uptime_seconds", uptime_seconds(s));
    return http_respond(x, wsi, HTTP_STATUS_OK, print_and_free(o, ok));
}

/* The data map of the room's progress_update, or JSON null. */
static cJSON *progress_of(channel *ch)
{
    char *json = channel_progress_json(ch);
    cJSON *event = json ? cJSON_Parse(json) : NULL;
    free(json);
    cJSON *data = event ? cJSON_DetachItemFromObjectCaseSensitive(event, "data") : NULL;
    cJSON_Delete(event);
    return data ? data : cJSON_CreateNull();
}

int rest_stream_status(http_exchange *x, server *s, struct lws *wsi, const char *id)
{
    channel *ch = channel_find(&s->channels, id);
    if (!ch)
        return http_respond_error(x, wsi, HTTP_STATUS_NOT_FOUND, "unknown analysis: %s", id);
    stream_position at = channel_position(ch);
    cJSON *o = cJSON_CreateObject();
    cJSON *progress = progress_of(ch);
    int ok = o && progress && cJSON_AddStringToObject(o, "analysis_id", id) &&
             cJSON_AddNumberToObject(o, "connections", (double)ch->client_count) &&
             cJSON_AddItemToObject(o, "progress", progress);
    if (!ok)
        cJSON_Delete(progress);
    ok = ok && cJSON_AddNumberToObject(o, "buffer_size", (double)at.buffered) &&
         cJSON_AddNumberToObject(o, "head_sequence", (double)at.head) &&
         (at.oldest ? cJSON_AddNumberToObject(o, "oldest_sequence", (double)at.oldest)
                    : cJSON_AddNullToObject(o, "oldest_sequence")) &&
         cJSON_AddBoolToObject(o, "complete", ch->room ? room_complete(ch->room) : at.head > 0);
    return http_respond(x, wsi, HTTP_STATUS_OK, print_and_free(o, ok));
}

int rest_analysis(http_exchange *x, server *s, struct lws *wsi, const char *id)
{
    char *json = s->results ? results_json(s->results, id) : NULL;
    if (!json)
        return http_respond_error(x, wsi, HTTP_STATUS_NOT_FOUND, "unknown analysis: %s", id);
    return http_respond(x, wsi, HTTP_STATUS_OK, json);
}

/* ---- POST /api/v1/analyses ---------------------------------------------------------- */

/* An optional string member: 0 with *out set (NULL if absent or null), or
 * -1 if it has another type. */
static int optional_string(const cJSON *request, const char *key, const char **out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(request, key);
    *out = cJSON_IsString(v) ? v->valuestring : NULL;
    return !v || cJSON_IsNull(v) || cJSON_IsString(v) ? 0 : -1;
}

static int accepted(http_exchange *x, server *s, struct lws *wsi, const char *id)
{
    char stream_url[300];
    if (x->host[0])
        snprintf(stream_url, sizeof stream_url, "ws://%s/api/v1/ws/analysis/%s", x->host, id);
    else
        snprintf(stream_url, sizeof stream_url, "ws://%s:%d/api/v1/ws/analysis/%s", s->cfg->server.host, s->port,
                 id);
    char status_url[128];
    snprintf(status_url, sizeof status_url, "/api/v1/analyses/%s", id);
    cJSON *o = cJSON_CreateObject();
    int ok = o && cJSON_AddStringToObject(o, "analysis_id", id) &&
             cJSON_AddStringToObject(o, "stream_url", stream_url) &&
             cJSON_AddStringToObject(o, "status_url", status_url);
    return http_respond(x, wsi, EDGE_HTTP_ACCEPTED, print_and_free(o, ok));
}

static int submit(http_exchange *x, server *s, struct lws *wsi, const cJSON *request)
{
    const cJSON *text = cJSON_GetObjectItemCaseSensitive(request, "text");
    const char *bill_id, *title, *analysis_id;
    if (!cJSON_IsString(text) || !text->valuestring[0])
        return http_respond_error(x, wsi, HTTP_STATUS_BAD_REQUEST, "\"text\" (the bill text, a non-empty string) is required");
    if (optional_string(request, "bill_id", &bill_id) || optional_string(request, "title", &title) ||
        optional_string(request, "analysis_id", &analysis_id))
        return http_respond_error(x, wsi, HTTP_STATUS_BAD_REQUEST, "\"bill_id\", \"title\" and \"analysis_id\" must be strings");
    if (analysis_id && !pipeline_valid_id(analysis_id))
        return http_respond_error(x, wsi, HTTP_STATUS_BAD_REQUEST,
                                  "invalid analysis_id: use 1 to 64 of A-Z a-z 0-9 _ -");
    if (analysis_id && s->results && results_state(s->results, analysis_id))
        return http_respond_error(x, wsi, HTTP_STATUS_CONFLICT, "analysis id %s is already in use", analysis_id);
    size_t length = strlen(text->valuestring);
    if (length > (size_t)s->cfg->pipeline.max_bill_bytes)
        return http_respond_error(x, wsi, HTTP_STATUS_REQ_ENTITY_TOO_LARGE,
                                  "bill text is %zu bytes, over pipeline.max_bill_bytes (%d)", length,
                                  s->cfg->pipeline.max_bill_bytes);
    if (!s->pipeline || s->shutting_down)
        return http_respond_error(x, wsi, HTTP_STATUS_SERVICE_UNAVAILABLE, "not accepting analyses: %s",
                                  s->pipeline ? "the server is shutting down" : "no pipeline");
    analysis_request req = {analysis_id, bill_id, title, text->valuestring, length};
    char id[PS_ANALYSIS_ID_SIZE], err[256] = "";
    if (pipeline_submit(s->pipeline, &req, id, err, sizeof err) != 0)
        return http_respond_error(x, wsi, HTTP_STATUS_SERVICE_UNAVAILABLE, "could not start the analysis: %s", err);
    /* The bus is drained on this thread only, so no event of the analysis
     * can reach the result store before it is registered here. */
    if (s->results)
        results_register(s->results, id, bill_id);
    channel_open(s, id); /* numbered from its first event on, whoever is watching */
    edge_log("analysis %s submitted: bill %s, %zu bytes", id, bill_id ? bill_id : "(none)", length);
    return accepted(x, s, wsi, id);
}

int rest_submit(http_exchange *x, server *s, struct lws *wsi, const char *body, size_t length)
{
    cJSON *request = cJSON_ParseWithLength(body, length);
    if (!cJSON_IsObject(request)) {
        cJSON_Delete(request);
        return http_respond_error(x, wsi, HTTP_STATUS_BAD_REQUEST,
                                  "the body must be a JSON object: {\"text\": \"...\", \"bill_id\"?, \"title\"?, "
                                  "\"analysis_id\"?}");
    }
    int rc = submit(x, s, wsi, request);
    cJSON_Delete(request);
    return rc;
}
