/*
 * routes — request paths to resources (see routes.h).
 */
#include "edge/routes.h"

#include <stdio.h>
#include <string.h>

#include "pipeline/pipeline.h"

typedef struct route_pattern {
    route route;
    const char *prefix;   /* the path up to the id (or all of it) */
    int has_id;
    const char *suffix;   /* after the id */
} route_pattern;

static const route_pattern PATTERNS[] = {
    {ROUTE_HEALTH, "/healthz", 0, ""},
    {ROUTE_STATS, "/api/v1/ws/stats", 0, ""},
    {ROUTE_STREAM_STATUS, "/api/v1/ws/analysis/", 1, "/status"},
    {ROUTE_STREAM, "/api/v1/ws/analysis/", 1, ""},
    {ROUTE_ANALYSES, "/api/v1/analyses", 0, ""},
    {ROUTE_ANALYSIS, "/api/v1/analyses/", 1, ""},
};

/* Matches "prefix{segment}suffix" where segment has no '/'. */
static int match_with_id(const route_pattern *p, const char *path, route_match *out)
{
    size_t prefix_length = strlen(p->prefix);
    if (strncmp(path, p->prefix, prefix_length) != 0)
        return 0;
    const char *segment = path + prefix_length;
    size_t segment_length = strcspn(segment, "/");
    if (strcmp(segment + segment_length, p->suffix) != 0)
        return 0;
    out->route = p->route;
    char id[ROUTE_ID_SIZE];
    if (segment_length == 0 || segment_length >= sizeof id) {
        out->bad_id = 1;
        return 1;
    }
    memcpy(id, segment, segment_length);
    id[segment_length] = '\0';
    if (pipeline_valid_id(id))
        memcpy(out->id, id, segment_length + 1);
    else
        out->bad_id = 1;
    return 1;
}

route_match route_find(const char *path)
{
    route_match m = {ROUTE_NOT_FOUND, 0, ""};
    for (size_t i = 0; i < sizeof PATTERNS / sizeof PATTERNS[0]; i++) {
        const route_pattern *p = &PATTERNS[i];
        if (p->has_id ? match_with_id(p, path, &m) : strcmp(path, p->prefix) == 0) {
            m.route = p->route;
            return m;
        }
    }
    return m;
}

const char *route_method(route r)
{
    return r == ROUTE_ANALYSES ? "POST" : "GET";
}

int route_parse_sequence(const char *text, uint64_t *out)
{
    *out = 0;
    if (!text)
        return 0;
    if (!*text)
        return -1;
    uint64_t value = 0;
    for (const char *c = text; *c; c++) {
        if (*c < '0' || *c > '9')
            return -1;
        unsigned digit = (unsigned)(*c - '0');
        if (value > (UINT64_MAX - digit) / 10)
            return -1;
        value = value * 10 + digit;
    }
    *out = value;
    return 0;
}
