/*
 * routes — the edge's URL paths: which resource a request path names, the
 * analysis id in it, and the method each resource accepts. Pure; owns
 * nothing.
 *
 *   /healthz                              GET
 *   /api/v1/ws/stats                      GET
 *   /api/v1/ws/analysis/{id}              WebSocket upgrade (GET)
 *   /api/v1/ws/analysis/{id}/status       GET
 *   /api/v1/analyses                      POST
 *   /api/v1/analyses/{id}                 GET
 */
#ifndef PS_EDGE_ROUTES_H
#define PS_EDGE_ROUTES_H

#include <stdint.h>

#define ROUTE_ID_SIZE 65 /* [A-Za-z0-9_-]{1,64} + NUL */

typedef enum route {
    ROUTE_NOT_FOUND = 0,
    ROUTE_HEALTH,
    ROUTE_STATS,
    ROUTE_STREAM,
    ROUTE_STREAM_STATUS,
    ROUTE_ANALYSES,
    ROUTE_ANALYSIS
} route;

typedef struct route_match {
    route route;
    int bad_id;                  /* the path has an analysis id, and it is invalid */
    char id[ROUTE_ID_SIZE];      /* "" when the route has no id or it is bad */
} route_match;

route_match route_find(const char *path);
/* "GET" or "POST": the one method the route accepts. */
const char *route_method(route r);

/* Parses a last_sequence query value: decimal digits only, fits in 64 bits.
 * NULL (absent) is 0. Returns 0, or -1 if malformed. */
int route_parse_sequence(const char *text, uint64_t *out);

#endif
