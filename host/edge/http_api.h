/*
 * http_api — the REST side of the edge (schemas/protocol.md, "REST"):
 *   GET  /healthz
 *   GET  /api/v1/ws/stats
 *   GET  /api/v1/ws/analysis/{id}/status
 *   POST /api/v1/analyses            {bill_id?, title?, text, analysis_id?} -> 202
 *   GET  /api/v1/analyses/{id}
 * Every answer, errors included, is a JSON body; errors are {"error": "..."}:
 * 400 bad JSON / missing text / bad id, 404 unknown path or analysis, 405
 * wrong method (with Allow), 409 id already used, 411 no Content-Length,
 * 413 body over server.max_request_bytes or bill over
 * pipeline.max_bill_bytes, 426 a stream path without the WebSocket upgrade,
 * 503 not accepting analyses. The headers are written once the request is
 * read whole (request or body-completion callback), the body from the one
 * HTTP_WRITEABLE after it.
 * One exchange lives in the lws per-session memory; owns its buffers.
 */
#ifndef PS_EDGE_HTTP_API_H
#define PS_EDGE_HTTP_API_H

#include <stddef.h>
#include <libwebsockets.h>

#include "edge/frame.h"
#include "edge/routes.h"

struct server;

/* Status codes lws 4.1 has no names for. */
#define EDGE_HTTP_ACCEPTED 202
#define EDGE_HTTP_UPGRADE_REQUIRED 426

typedef struct http_exchange {
    route_match match;
    int answered;             /* the answer is decided (response + status) */
    unsigned status;
    int headers_sent;
    frame *response;          /* answer body, written at HTTP_WRITEABLE */
    int body_pending;         /* a request body is still to be read */
    char *body;               /* POST body received so far */
    size_t body_length;
    size_t declared_length;   /* Content-Length */
    int body_too_large;       /* over the cap: the rest is read and dropped, then 413 */
    char host[128];           /* Host header, for stream_url */
} http_exchange;

/* LWS_CALLBACK_HTTP (path = the urldecoded path). Returns 0, or -1 to close. */
int http_request(http_exchange *x, struct server *s, struct lws *wsi, const char *path);
/* LWS_CALLBACK_HTTP_BODY */
int http_body(http_exchange *x, struct server *s, const void *in, size_t length);
/* LWS_CALLBACK_HTTP_BODY_COMPLETION */
int http_body_complete(http_exchange *x, struct server *s, struct lws *wsi);
/* LWS_CALLBACK_HTTP_WRITEABLE */
int http_writeable(http_exchange *x, struct lws *wsi);
/* Frees what the exchange holds (transaction end, connection close). */
void http_exchange_end(http_exchange *x);

/* Answers with status and a JSON body (takes json; NULL = out of memory,
 * answered 500). Returns 0, or -1 to close the connection. */
int http_respond(http_exchange *x, struct lws *wsi, unsigned status, char *json);
/* Answers {"error": printf(fmt, ...)}. */
int http_respond_error(http_exchange *x, struct lws *wsi, unsigned status, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#endif
