/*
 * topics — finds the real disagreements among the analysts' findings and
 * ranks them.
 *
 * A group of findings (one key, see swarm_groups.h) becomes a topic when its
 * seats disagree. The seats are the holders, the analysts with a valued claim
 * on the key, then the flaggers: when the key is a total that leaves out
 * unsized effects (omissions.c), each author of such an effect that holds no
 * claim on the key sits at the holders' confidence-weighted mean (plain mean
 * when every holder's confidence is 0) with the confidence of its most
 * confident left-out effect. A flagger disputes that the total is complete,
 * not its printed figure. Every author (flagger, or holder whose own effects
 * the other holders leave out) gets its omission note as argument
 * (omissions.c).
 *
 * Measured over the holders:
 *   spread   = relative_difference(max value, min value), passes above value_tolerance
 *   gap      = max confidence - min confidence,           passes above confidence_gap
 * and over the left-out effects:
 *   omission = the largest confidence among them,          passes when there is one.
 * The key is a topic when it has at least 2 seats and a measure passes; its
 * size is the largest passing measure. Topics are ranked by size, largest
 * first, ties in view order.
 *
 * Topic text: "<key>: <what differs> -- <seat>, ...", values of metrics named
 * *_usd as money ("$417.0 million", "$1.62 billion", "$83,403"), others
 * with %.3g.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "debate_internal.h"

/* Whole dollars with thousands separators: "$83,403". */
static void format_dollars(double amount, const char *sign, char *buf, size_t size)
{
    char digits[32];
    snprintf(digits, sizeof digits, "%.0f", amount);
    size_t length = strlen(digits);
    snprintf(buf, size, "%s$", sign);
    for (size_t i = 0; i < length; i++) {
        swarm_appendf(buf, size, "%c", digits[i]);
        if ((length - 1 - i) % 3 == 0 && i + 1 < length)
            swarm_appendf(buf, size, ",");
    }
}

static void format_value(const char *metric, double value, char *buf, size_t size)
{
    size_t n = strlen(metric);
    if (n < 4 || strcmp(metric + n - 4, "_usd") != 0) {
        snprintf(buf, size, "%.3g", value);
        return;
    }
    double amount = fabs(value);
    const char *sign = value < 0 ? "-" : "";
    if (amount >= 1e12)
        snprintf(buf, size, "%s$%.2f trillion", sign, amount / 1e12);
    else if (amount >= 1e9)
        snprintf(buf, size, "%s$%.2f billion", sign, amount / 1e9);
    else if (amount >= 1e6)
        snprintf(buf, size, "%s$%.1f million", sign, amount / 1e6);
    else
        format_dollars(amount, sign, buf, size);
}

static debate_seat seat_of_claim(const swarm_claim *c)
{
    debate_seat seat = {.active = 1, .claim_confidence = c->confidence};
    seat.position = (ps_position){.struct_size = sizeof(ps_position), .agent_id = c->agent_id,
                                  .value = c->value, .confidence = c->confidence,
                                  .argument = c->record->finding->description};
    return seat;
}

/* The holders' confidence-weighted mean value (plain mean if all confidences are 0). */
static double holders_mean(const debate_topic *t)
{
    double weighted = 0, weights = 0, plain = 0;
    for (size_t i = 0; i < t->holder_count; i++) {
        weighted += t->seats[i].position.confidence * t->seats[i].position.value;
        weights += t->seats[i].position.confidence;
        plain += t->seats[i].position.value;
    }
    return weights > 0 ? weighted / weights : plain / (double)t->holder_count;
}

static debate_seat *seat_of(debate_topic *t, const char *agent_id)
{
    for (size_t i = 0; i < t->seat_count; i++)
        if (strcmp(t->seats[i].position.agent_id, agent_id) == 0)
            return &t->seats[i];
    return NULL;
}

/* Marks the author of each left-out effect with its most confident one's
 * confidence, seating those that hold no claim on the key (flaggers) at the
 * holders' mean with that confidence; then writes the authors' notes. */
static int seat_authors(debate_topic *t)
{
    if (t->holder_count == 0)
        return PS_OK;
    double mean = holders_mean(t);
    for (size_t i = 0; i < t->omissions.count; i++) {
        const ps_finding_record *effect = t->omissions.effects[i];
        double confidence = fmin(1, effect->finding->confidence);
        debate_seat *seat = seat_of(t, effect->agent_id);
        if (!seat) {
            seat = &t->seats[t->seat_count++];
            *seat = (debate_seat){.active = 1, .position = {.struct_size = sizeof(ps_position),
                                                            .agent_id = effect->agent_id, .value = mean}};
        }
        seat->author_confidence = fmax(seat->author_confidence, confidence);
        if (seat >= t->seats + t->holder_count)
            seat->position.confidence = seat->author_confidence;
    }
    return debate_write_notes(t);
}

/* Seats the group's valued claims and the authors of what its total leaves out. */
static int seat_group(const debate_settings *s, const ps_swarm_view *view, const swarm_group *group,
                      debate_topic *t)
{
    t->seats = calloc(group->claim_count + view->analyst_count, sizeof *t->seats);
    if (!t->seats)
        return PS_ENOMEM;
    for (size_t i = 0; i < group->claim_count; i++)
        if (group->claims[i].has_value)
            t->seats[t->seat_count++] = seat_of_claim(&group->claims[i]);
    t->holder_count = t->seat_count;
    int rc = debate_find_omissions(s, view, group, &t->omissions);
    return rc == PS_OK ? seat_authors(t) : rc;
}

typedef struct measures {
    double spread, gap, omission;
} measures;

static measures measure(const debate_topic *t)
{
    measures m = {0, 0, 0};
    if (t->holder_count > 0) {
        double lo = t->seats[0].position.value, hi = lo;
        double clo = t->seats[0].position.confidence, chi = clo;
        for (size_t i = 1; i < t->holder_count; i++) {
            lo = fmin(lo, t->seats[i].position.value);
            hi = fmax(hi, t->seats[i].position.value);
            clo = fmin(clo, t->seats[i].position.confidence);
            chi = fmax(chi, t->seats[i].position.confidence);
        }
        m.spread = swarm_relative_difference(hi, lo);
        m.gap = chi - clo;
    }
    for (size_t i = 0; i < t->omissions.count; i++)
        m.omission = fmax(m.omission, fmin(1, t->omissions.effects[i]->finding->confidence));
    return m;
}

/* ", fiscal, healthcare": each author of a left-out effect once, in view order. */
static void append_flaggers(debate_topic *t)
{
    size_t size = sizeof t->text;
    for (size_t i = 0; i < t->omissions.count; i++) {
        const char *author = t->omissions.effects[i]->agent_id;
        size_t first = 0;
        while (strcmp(t->omissions.effects[first]->agent_id, author) != 0)
            first++;
        if (first == i)
            swarm_appendf(t->text, size, "%s %s", i ? "," : "", author);
    }
}

/* "key: <what differs> -- agent value (conf c), ..." */
static void describe(debate_topic *t, const measures *m, const debate_settings *s)
{
    size_t size = sizeof t->text;
    const char *separator = " ";
    snprintf(t->text, size, "%s:", t->metric);
    if (m->spread > s->value_tolerance) {
        swarm_appendf(t->text, size, "%sestimates differ by %.1f%%", separator, m->spread * 100);
        separator = "; ";
    } else if (m->gap > s->confidence_gap) {
        swarm_appendf(t->text, size, "%sconfidence differs by %.2f", separator, m->gap);
        separator = "; ";
    }
    if (t->omissions.count > 0) {
        swarm_appendf(t->text, size, "%sleaves out %zu unsized effect%s flagged by", separator, t->omissions.count,
                      t->omissions.count == 1 ? "" : "s");
        append_flaggers(t);
    }
    for (size_t i = 0; i < t->seat_count; i++) {
        char value[48] = "no amount";
        if (i < t->holder_count)
            format_value(t->metric, t->seats[i].position.value, value, sizeof value);
        swarm_appendf(t->text, size, "%s %s %s (conf %.2f)", i ? "," : " --", t->seats[i].position.agent_id, value,
                      t->seats[i].position.confidence);
    }
}

/* Measures the seats; 1 when they disagree (topic->size and text set). */
static int disagrees(const debate_settings *s, debate_topic *t)
{
    if (t->seat_count < 2)
        return 0;
    measures m = measure(t);
    t->size = fmax(m.spread > s->value_tolerance ? m.spread : 0, m.gap > s->confidence_gap ? m.gap : 0);
    t->size = fmax(t->size, m.omission);
    if (t->size <= 0)
        return 0;
    describe(t, &m, s);
    return 1;
}

static void topic_free(debate_topic *t)
{
    for (size_t i = 0; i < t->seat_count; i++)
        free(t->seats[i].owned_argument);
    free(t->seats);
    debate_omissions_free(&t->omissions);
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
        debate_topic *t = &out->items[out->count];
        *t = (debate_topic){.metric = groups->items[g].key, .order = g};
        int rc = seat_group(settings, view, &groups->items[g], t);
        if (rc == PS_OK && disagrees(settings, t)) {
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
