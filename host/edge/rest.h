/*
 * rest — the JSON resources of the REST API (health, stats, stream status,
 * analysis submission and results); see http_api.h for the routes and
 * status codes. Each handler answers through http_respond. Owns nothing.
 */
#ifndef PS_EDGE_REST_H
#define PS_EDGE_REST_H

#include <stddef.h>
#include <libwebsockets.h>

#include "edge/http_api.h"

struct server;

int rest_health(http_exchange *x, struct server *s, struct lws *wsi);
int rest_stats(http_exchange *x, struct server *s, struct lws *wsi);
int rest_stream_status(http_exchange *x, struct server *s, struct lws *wsi, const char *id);
int rest_analysis(http_exchange *x, struct server *s, struct lws *wsi, const char *id);
/* POST /api/v1/analyses with the request body. */
int rest_submit(http_exchange *x, struct server *s, struct lws *wsi, const char *body, size_t length);

#endif
