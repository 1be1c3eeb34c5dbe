/*
 * topics — finds the real disagreements among the analysts' findings and
 * ranks them.
 *
 * A group of findings (one key, see swarm_groups.h) becomes a topic when its
 * seats disagree. The seats are the analysts with a valued claim on the key,
 * plus, when the group's category is an omission category ("an effect the
 * totals may leave out"), every other analyst that reports a total (a metric
 * starting with total_metric_prefix) but says nothing on this key: it sits at
 * 0, the amount its total counts for the effect. The seats disagree when
 *   spread = relative_difference(max value, min value) > value_tolerance, or
 *   gap    = max confidence - min confidence          > confidence_gap.
 * size = the largest of the measures that exceed their setting; topics are
 * ranked by size, largest first, ties in view order.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "debate_internal.h"

static int is_omission_category(const debate_settings *s, const char *category)
{
    for (size_t i = 0; category && i < s->omission_category_count; i++)
        if (strcmp(s->omission_categories[i], category) == 0)
            return 1;
    return 0;
}

/* The agent's most confident claim on a total, or NULL. */
static const swarm_claim *total_claim(const debate_settings *s, const swarm_groups *groups, const char *agent_id)
{
    const swarm_claim *best = NULL;
    size_t prefix = strlen(s->total_metric_prefix);
    for (size_t g = 0; g < groups->count; g++) {
        const char *metric = groups->items[g].first->metric;
        if (!metric || strncmp(metric, s->total_metric_prefix, prefix) != 0)
            continue;
        const swarm_claim *c = swarm_group_claim(&groups->items[g], agent_id);
        if (c && (!best || c->confidence > best->confidence))
            best = c;
    }
    return best;
}

static debate_seat seat_of_claim(const swarm_claim *c)
{
    debate_seat seat = {.active = 1};
    seat.position = (ps_position){.struct_size = sizeof(ps_position), .agent_id = c->agent_id,
                                  .value = c->value, .confidence = c->confidence,
                                  .argument = c->record->finding->description};
    return seat;
}

/* A seat at 0 for an analyst whose total leaves the group's effect out. */
static int seat_of_omitter(const swarm_claim *total, const char *key, debate_seat *seat)
{
    const char *metric = total->record->finding->metric;
    size_t size = strlen(metric) + strlen(key) + 64;
    *seat = seat_of_claim(total);
    seat->position.value = 0;
    seat->owned_argument = malloc(size);
    if (!seat->owned_argument)
        return PS_ENOMEM;
    snprintf(seat->owned_argument, size, "%s = %g does not count %s", metric, total->value, key);
    seat->position.argument = seat->owned_argument;
    return PS_OK;
}

/* Seats the group's valued claims and, for an omission group, the omitters.
 * Returns 0 or PS_ENOMEM; *omitters counts the seats at 0. */
static int seat_group(const debate_settings *s, const ps_swarm_view *view, const swarm_groups *groups,
                      const swarm_group *group, debate_topic *topic, size_t *omitters)
{
    topic->seats = calloc(group->claim_count + view->analyst_count, sizeof *topic->seats);
    if (!topic->seats)
        return PS_ENOMEM;
    for (size_t i = 0; i < group->claim_count; i++)
        if (group->claims[i].has_value)
            topic->seats[topic->seat_count++] = seat_of_claim(&group->claims[i]);
    *omitters = 0;
    if (!is_omission_category(s, group->first->category) || topic->seat_count == 0)
        return PS_OK;
    for (size_t a = 0; a < view->analyst_count; a++) {
        const swarm_claim *total = total_claim(s, groups, view->analysts[a]);
        if (!total || swarm_group_claim(group, view->analysts[a]))
            continue;
        int rc = seat_of_omitter(total, group->key, &topic->seats[topic->seat_count]);
        topic->seat_count++;
        if (rc != PS_OK)
            return rc;
        (*omitters)++;
    }
    return PS_OK;
}

/* "key: <what differs> -- agent value (conf c), ..." */
static void describe(debate_topic *t, double spread, double gap, size_t omitters, const debate_settings *s)
{
    size_t size = sizeof t->text;
    snprintf(t->text, size, "%s: ", t->metric);
    size_t first_omitter = t->seat_count - omitters;
    if (omitters > 0) {
        swarm_appendf(t->text, size, "left out of the total by");
        for (size_t i = first_omitter; i < t->seat_count; i++)
            swarm_appendf(t->text, size, "%s %s", i > first_omitter ? "," : "", t->seats[i].position.agent_id);
    } else if (spread > s->value_tolerance) {
        swarm_appendf(t->text, size, "estimates differ by %.1f%%", spread * 100);
    } else {
        swarm_appendf(t->text, size, "confidence differs by %.2f", gap);
    }
    for (size_t i = 0; i < t->seat_count; i++)
        swarm_appendf(t->text, size, "%s %s %g (conf %.2f)", i ? "," : " --", t->seats[i].position.agent_id,
                      t->seats[i].position.value, t->seats[i].position.confidence);
}

/* Measures the seats; 1 when they disagree (topic->size set). */
static int disagrees(const debate_settings *s, debate_topic *t, size_t omitters)
{
    if (t->seat_count < 2)
        return 0;
    double lo = t->seats[0].position.value, hi = lo;
    double clo = t->seats[0].position.confidence, chi = clo;
    for (size_t i = 1; i < t->seat_count; i++) {
        lo = fmin(lo, t->seats[i].position.value);
        hi = fmax(hi, t->seats[i].position.value);
        clo = fmin(clo, t->seats[i].position.confidence);
        chi = fmax(chi, t->seats[i].position.confidence);
    }
    double spread = swarm_relative_difference(hi, lo), gap = chi - clo;
    t->size = fmax(spread > s->value_tolerance ? spread : 0, gap > s->confidence_gap ? gap : 0);
    if (t->size <= 0)
        return 0;
    describe(t, spread, gap, omitters, s);
    return 1;
}

static void topic_free(debate_topic *t)
{
    for (size_t i = 0; i < t->seat_count; i++)
        free(t->seats[i].owned_argument);
    free(t->seats);
}

static int by_size(const void *a, const void *b)
{
    const debate_topic *x = a, *y = b;
    if (x->size != y->size)
        return x->size > y->size ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

int debate_find_topics(const debate_settings *settings, const ps_swarm_view *view, const swarm_groups *groups,
                       debate_topics *out)
{
    out->count = 0;
    out->items = calloc(groups->count ? groups->count : 1, sizeof *out->items);
    if (!out->items)
        return PS_ENOMEM;
    for (size_t g = 0; g < groups->count; g++) {
        const swarm_group *group = &groups->items[g];
        debate_topic *t = &out->items[out->count];
        size_t omitters;
        *t = (debate_topic){.metric = group->key, .order = g};
        int rc = seat_group(settings, view, groups, group, t, &omitters);
        if (rc == PS_OK && disagrees(settings, t, omitters)) {
            out->count++;
            continue;
        }
        topic_free(t);
        if (rc != PS_OK)
            return rc;
    }
    qsort(out->items, out->count, sizeof *out->items, by_size);
    return PS_OK;
}

void debate_topics_free(debate_topics *topics)
{
    for (size_t i = 0; i < topics->count; i++)
        topic_free(&topics->items[i]);
    free(topics->items);
    topics->items = NULL;
    topics->count = 0;
}
