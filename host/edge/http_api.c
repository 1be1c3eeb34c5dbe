/*
 * http_api — request routing, bodies and JSON responses (see http_api.h);
 * the resources themselves are in rest.c.
 *
 * An answer is only sent once the request has been read whole: for a
 * request with a body (any method), an answer decided early (404, 405, 413,
 * ...) waits until the body has been read and dropped, so the next request
 * on the connection starts where it should and the client, still sending,
 * gets to read it.
 */
#include "edge/edge.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "edge/messages.h"
#include "edge/rest.h"

void http_exchange_end(http_exchange *x)
{
    free(x->response);
    free(x->body);
    memset(x, 0, sizeof *x);
}

static int send_headers(http_exchange *x, struct lws *wsi)
{
    unsigned char headers[LWS_PRE + 512];
    unsigned char *start = headers + LWS_PRE, *p = start, *end = headers + sizeof headers - 1;
    const char *allow = route_method(x->match.route);
    if (lws_add_http_common_headers(wsi, x->status, "application/json", x->response->length, &p, end) ||
        (x->status == HTTP_STATUS_METHOD_NOT_ALLOWED &&
         lws_add_http_header_by_name(wsi, (const unsigned char *)"allow:", (const unsigned char *)allow,
                                     (int)strlen(allow), &p, end)) ||
        lws_add_http_header_by_name(wsi, (const unsigned char *)"cache-control:", (const unsigned char *)"no-store",
                                    8, &p, end) ||
        lws_finalize_write_http_header(wsi, start, &p, end))
        return -1;
    x->headers_sent = 1;
    lws_callback_on_writable(wsi);
    return 0;
}

int http_respond(http_exchange *x, struct lws *wsi, unsigned status, char *json)
{
    static const char fallback[] = "{\"error\":\"out of memory\"}";
    if (x->answered) {
        free(json);
        return 0;
    }
    frame *body = json ? frame_from_string(json) : NULL;
    if (!body) {
        body = frame_new(fallback, sizeof fallback - 1, 0);
        status = HTTP_STATUS_INTERNAL_SERVER_ERROR;
        if (!body)
            return -1;
    }
    x->answered = 1;
    x->response = body;
    x->status = status;
    return x->body_pending ? 0 : send_headers(x, wsi);
}

int http_respond_error(http_exchange *x, struct lws *wsi, unsigned status, const char *fmt, ...)
{
    char message[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    return http_respond(x, wsi, status, message_error_body(message));
}

/* The request's Content-Length: 0 if absent, -1 if malformed. */
static long long content_length(struct lws *wsi)
{
    char text[32];
    int length = lws_hdr_total_length(wsi, WSI_TOKEN_HTTP_CONTENT_LENGTH);
    if (length <= 0)
        return length == 0 ? 0 : -1;
    if (lws_hdr_copy(wsi, text, sizeof text, WSI_TOKEN_HTTP_CONTENT_LENGTH) < 0)
        return -1;
    char *end = NULL;
    long long value = strtoll(text, &end, 10);
    return end != text && *end == '\0' && value >= 0 ? value : -1;
}

/* POST /api/v1/analyses: the body comes in HTTP_BODY callbacks. */
static int expect_submission(http_exchange *x, server *s, struct lws *wsi)
{
    if (!lws_hdr_total_length(wsi, WSI_TOKEN_HTTP_CONTENT_LENGTH))
        return http_respond_error(x, wsi, HTTP_STATUS_LENGTH_REQUIRED,
                                  "a Content-Length header is required (chunked bodies are not accepted)");
    if (!x->body_pending)
        return http_respond_error(x, wsi, HTTP_STATUS_BAD_REQUEST, "request body required: {\"text\": \"...\"}");
    x->body_too_large = x->declared_length > (size_t)s->cfg->server.max_request_bytes;
    if (lws_hdr_copy(wsi, x->host, sizeof x->host, WSI_TOKEN_HOST) < 0)
        x->host[0] = '\0';
    return 0;
}

static int route_request(http_exchange *x, server *s, struct lws *wsi, const char *path)
{
    char *uri = NULL;
    int uri_length = 0;
    int method = lws_http_get_uri_and_method(wsi, &uri, &uri_length);
    const route_match *m = &x->match;
    if (m->route == ROUTE_NOT_FOUND)
        return http_respond_error(x, wsi, HTTP_STATUS_NOT_FOUND, "no such path: %.200s", path);
    int wanted = strcmp(route_method(m->route), "POST") == 0 ? LWSHUMETH_POST : LWSHUMETH_GET;
    if (method != wanted)
        return http_respond_error(x, wsi, HTTP_STATUS_METHOD_NOT_ALLOWED, "method not allowed: use %s",
                                  route_method(m->route));
    if (m->bad_id)
        return http_respond_error(x, wsi, HTTP_STATUS_BAD_REQUEST,
                                  "invalid analysis id: use 1 to 64 of A-Z a-z 0-9 _ -");
    switch (m->route) {
    case ROUTE_HEALTH:
        return rest_health(x, s, wsi);
    case ROUTE_STATS:
        return rest_stats(x, s, wsi);
    case ROUTE_STREAM:
        return http_respond_error(x, wsi, EDGE_HTTP_UPGRADE_REQUIRED,
                                  "this is a WebSocket endpoint: connect with an Upgrade request");
    case ROUTE_STREAM_STATUS:
        return rest_stream_status(x, s, wsi, m->id);
    case ROUTE_ANALYSES:
        return expect_submission(x, s, wsi);
    case ROUTE_ANALYSIS:
        return rest_analysis(x, s, wsi, m->id);
    case ROUTE_NOT_FOUND:
        break;
    }
    return -1;
}

int http_request(http_exchange *x, server *s, struct lws *wsi, const char *path)
{
    http_exchange_end(x);
    s->stats.http_requests++;
    x->match = route_find(path);
    long long declared = content_length(wsi);
    if (declared < 0)
        return http_respond_error(x, wsi, HTTP_STATUS_BAD_REQUEST, "malformed Content-Length");
    x->declared_length = (size_t)declared;
    x->body_pending = declared > 0;
    return route_request(x, s, wsi, path);
}

int http_body(http_exchange *x, server *s, const void *in, size_t length)
{
    (void)s;
    if (x->answered || x->body_too_large || !length)
        return 0; /* read and dropped */
    if (length > x->declared_length - x->body_length) {
        x->body_too_large = 1;
        return 0;
    }
    if (!x->body && !(x->body = malloc(x->declared_length + 1)))
        return -1;
    memcpy(x->body + x->body_length, in, length);
    x->body_length += length;
    return 0;
}

int http_body_complete(http_exchange *x, server *s, struct lws *wsi)
{
    x->body_pending = 0;
    if (x->answered)
        return x->headers_sent ? 0 : send_headers(x, wsi);
    if (x->body_too_large)
        return http_respond_error(x, wsi, HTTP_STATUS_REQ_ENTITY_TOO_LARGE,
                                  "request body over %d bytes (server.max_request_bytes)",
                                  s->cfg->server.max_request_bytes);
    return rest_submit(x, s, wsi, x->body ? x->body : "", x->body_length);
}

int http_writeable(http_exchange *x, struct lws *wsi)
{
    frame *body = x->response;
    if (!body || x->body_pending)
        return 0;
    x->response = NULL;
    int written = lws_write(wsi, frame_payload(body), body->length, LWS_WRITE_HTTP_FINAL);
    free(body);
    if (written < 0)
        return -1;
    http_exchange_end(x);
    return lws_http_transaction_completed(wsi) ? -1 : 0;
}
