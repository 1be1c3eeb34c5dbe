/*
 * messages — client message parsing and the edge's own JSON texts (see
 * messages.h).
 */
#include "edge/messages.h"

#include <stdio.h>
#include <string.h>
#include <cjson/cJSON.h>

#include "bus/wire_json.h"

/* Longest message type echoed back in an error. */
#define MAX_ECHOED_TYPE 64

static int only_whitespace(const char *p, const char *end)
{
    for (; p < end; p++)
        if (*p != ' ' && *p != '\t' && *p != '\r' && *p != '\n')
            return 0;
    return 1;
}

client_request message_parse_client(const char *text, size_t length, char *error, size_t error_size)
{
    const char *end = NULL;
    cJSON *message = cJSON_ParseWithLengthOpts(text, length, &end, 0);
    client_request kind = CLIENT_INVALID;
    if (message && !only_whitespace(end, text + length)) {
        cJSON_Delete(message);
        message = NULL;
    }
    if (!message) {
        snprintf(error, error_size, "malformed JSON: a message must be a JSON object like {\"type\":\"ping\"}");
    } else if (!cJSON_IsObject(message)) {
        snprintf(error, error_size, "a message must be a JSON object, not %s",
                 cJSON_IsArray(message)    ? "an array"
                 : cJSON_IsString(message) ? "a string"
                 : cJSON_IsNumber(message) ? "a number"
                 : cJSON_IsBool(message)   ? "a boolean"
                                           : "null");
    } else {
        const cJSON *type = cJSON_GetObjectItemCaseSensitive(message, "type");
        if (!cJSON_IsString(type))
            snprintf(error, error_size, "a message needs a string \"type\" (\"ping\" or \"progress_request\")");
        else if (strcmp(type->valuestring, "ping") == 0)
            kind = CLIENT_PING;
        else if (strcmp(type->valuestring, "progress_request") == 0)
            kind = CLIENT_PROGRESS_REQUEST;
        else
            snprintf(error, error_size, "unknown message type \"%.*s\" (expected \"ping\" or \"progress_request\")",
                     MAX_ECHOED_TYPE, type->valuestring);
    }
    cJSON_Delete(message);
    return kind;
}

static char *print_and_free(cJSON *o, int ok)
{
    char *json = ok ? cJSON_PrintUnformatted(o) : NULL;
    cJSON_Delete(o);
    return json;
}

char *message_pong(int64_t now_ns)
{
    char timestamp[40];
    wire_timestamp(now_ns, timestamp, sizeof timestamp);
    cJSON *o = cJSON_CreateObject();
    return print_and_free(o, o && cJSON_AddStringToObject(o, "type", "pong") &&
                                 cJSON_AddStringToObject(o, "timestamp", timestamp));
}

char *message_client_error(const char *error)
{
    cJSON *o = cJSON_CreateObject();
    return print_and_free(o, o && cJSON_AddStringToObject(o, "type", "error") &&
                                 cJSON_AddStringToObject(o, "error", error));
}

char *message_error_body(const char *error)
{
    cJSON *o = cJSON_CreateObject();
    return print_and_free(o, o && cJSON_AddStringToObject(o, "error", error));
}

char *message_limit_reason(const char *error, long limit)
{
    cJSON *o = cJSON_CreateObject();
    return print_and_free(o, o && cJSON_AddStringToObject(o, "error", error) &&
                                 cJSON_AddNumberToObject(o, "limit", (double)limit));
}
