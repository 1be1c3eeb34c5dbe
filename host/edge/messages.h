/*
 * messages — the small JSON texts of the edge that are not stream events:
 * parsing what a client sends ({"type":"ping"}, {"type":"progress_request"}),
 * the replies outside the stream (pong, error), close reasons and REST error
 * bodies. Pure functions; every returned string is malloc'd and owned by
 * the caller (NULL on out of memory).
 */
#ifndef PS_EDGE_MESSAGES_H
#define PS_EDGE_MESSAGES_H

#include <stddef.h>
#include <stdint.h>

typedef enum client_request {
    CLIENT_PING,
    CLIENT_PROGRESS_REQUEST,
    CLIENT_INVALID            /* error says why */
} client_request;

/* Classifies one text message from a client. */
client_request message_parse_client(const char *text, size_t length, char *error, size_t error_size);

/* {"type":"pong","timestamp":"...Z"} at wall-clock time now_ns. */
char *message_pong(int64_t now_ns);
/* {"type":"error","error":"..."} */
char *message_client_error(const char *error);
/* {"error":"..."} (REST error bodies and JSON close reasons). */
char *message_error_body(const char *error);
/* {"error":"...","limit":N} — the 1013 close reason. */
char *message_limit_reason(const char *error, long limit);

#endif
