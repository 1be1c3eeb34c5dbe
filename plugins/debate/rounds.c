/*
 * rounds — one topic's debate: open it, ask every participant each round,
 * measure convergence, stop, close it.
 *
 * Turn order: the seats in order; each answer updates that seat's position
 * before the next participant is asked. The prompt's target_agent is the
 * active participant with the largest sum of distances to the others (NULL
 * when all positions are equal).
 *
 * Convergence of the active positions (value v_i, confidence c_i):
 *   w_i    = c_i (every w_i = 1 when all c_i are 0)
 *   m      = sum w_i v_i / sum w_i
 *   spread = sum w_i |v_i - m| / sum w_i
 *   scale  = sum w_i |v_i| / sum w_i
 *   score  = 1 when spread = 0, else clamp(1 - spread / scale, 0, 1);
 *            0 with fewer than two positions (nobody left to agree with).
 * An omission topic (its total leaves effects out) is scored on both
 * questions, the figure and whether it is complete: with fewer than two
 * active seats 0, else
 *   score  = V x K, V = the score above over the active holders only (1 with
 *            fewer than two: flaggers hold no estimate of their own), K =
 *            debate_completeness (omissions.c).
 * Its seats' arguments are the moderator's omission notes (omissions.c); a
 * reply's argument is not carried into the positions, and a holder's first
 * "concession" acknowledges that the total is a floor.
 *
 * Stop rules, checked after each round r in this order ("previous" is the
 * score after round r - 1; for round 1, the score of the opening positions,
 * i.e. the findings):
 *   score >= convergence_threshold                      -> "threshold"
 *   fewer than 2 participants left,
 *   or r >= 2 and |score - previous| < stalemate_epsilon -> "stalemate"
 *   r == max_debate_rounds                              -> "max_rounds"
 * Round 1 is never a stalemate: its answers are opening statements (the
 * analysts restate their findings), so it does not move by design.
 *
 * An analyst whose debate_ask fails (other than by cancellation) or whose
 * answer is unusable (value not finite, confidence outside [0, 1]) leaves the
 * topic; the moderator says so in a thought and goes on without it.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "debate_internal.h"

static double weight(const debate_seat *seat, int unweighted)
{
    return unweighted ? 1.0 : seat->position.confidence;
}

double debate_convergence(const debate_seat *seats, size_t seat_count)
{
    size_t active = 0;
    double total_confidence = 0;
    for (size_t i = 0; i < seat_count; i++) {
        if (seats[i].active) {
            active++;
            total_confidence += seats[i].position.confidence;
        }
    }
    if (active < 2)
        return 0;
    int unweighted = total_confidence == 0;
    double wsum = 0, wvalue = 0, spread = 0, scale = 0;
    for (size_t i = 0; i < seat_count; i++) {
        if (seats[i].active) {
            wsum += weight(&seats[i], unweighted);
            wvalue += weight(&seats[i], unweighted) * seats[i].position.value;
        }
    }
    double mean = wvalue / wsum;
    for (size_t i = 0; i < seat_count; i++) {
        if (seats[i].active) {
            spread += weight(&seats[i], unweighted) * fabs(seats[i].position.value - mean);
            scale += weight(&seats[i], unweighted) * fabs(seats[i].position.value);
        }
    }
    if (spread == 0)
        return 1;
    return fmin(1, fmax(0, 1 - spread / scale)); /* the 1 / sum w_i of both cancel */
}

static size_t active_count(const debate_seat *seats, size_t seat_count)
{
    size_t n = 0;
    for (size_t i = 0; i < seat_count; i++)
        n += seats[i].active != 0;
    return n;
}

double debate_topic_convergence(const debate_topic *t)
{
    if (t->omissions.count == 0)
        return debate_convergence(t->seats, t->seat_count);
    if (active_count(t->seats, t->seat_count) < 2)
        return 0;
    double values = active_count(t->seats, t->holder_count) >= 2 ? debate_convergence(t->seats, t->holder_count) : 1;
    return values * debate_completeness(t);
}

static const char *target_agent(const debate_seat *seats, size_t seat_count)
{
    const char *target = NULL;
    double farthest = 0;
    for (size_t i = 0; i < seat_count; i++) {
        double distance = 0;
        for (size_t j = 0; j < seat_count && seats[i].active; j++)
            if (seats[j].active)
                distance += fabs(seats[i].position.value - seats[j].position.value);
        if (distance > farthest) {
            farthest = distance;
            target = seats[i].position.agent_id;
        }
    }
    return target;
}

static const char *error_text(const ps_host_api *api, int rc)
{
    return api->strerror ? api->strerror(rc) : "error";
}

static int host_failed(const debate_plugin *p, ps_run *run, const char *call, const debate_topic *t, int rc)
{
    p->api->set_error(p->inst, run, "%s failed in the debate on %s: %s", call, t->metric, error_text(p->api, rc));
    return rc;
}

static int reply_usable(const ps_debate_reply *reply)
{
    return isfinite(reply->value) && reply->confidence >= 0 && reply->confidence <= 1;
}

static int take_reply(debate_topic *t, debate_seat *seat, const ps_debate_reply *reply)
{
    seat->position.value = reply->value;
    seat->position.confidence = reply->confidence;
    if (t->omissions.count > 0)
        return debate_take_omission_turn(t, seat, reply->turn_type);
    if (!reply->argument)
        return PS_OK;
    char *copy = strdup(reply->argument);
    if (!copy)
        return PS_ENOMEM;
    free(seat->owned_argument);
    seat->owned_argument = copy;
    seat->position.argument = copy;
    return PS_OK;
}

static int drop_seat(const debate_plugin *p, ps_run *run, const debate_topic *t, int round, debate_seat *seat,
                     int rc, const ps_debate_reply *reply)
{
    char reason[128], content[512];
    seat->active = 0;
    if (rc != PS_OK)
        snprintf(reason, sizeof reason, "%s", error_text(p->api, rc));
    else
        snprintf(reason, sizeof reason, "unusable answer (value %g, confidence %g)", reply->value,
                 reply->confidence);
    snprintf(content, sizeof content, "%s left the debate on %s in round %d (%s); the others go on.",
             seat->position.agent_id, t->metric, round, reason);
    return debate_think(p, run, "observation", "Participant dropped", content);
}

/* Asks one participant; positions is scratch space for seat_count pointers. */
static int ask_seat(const debate_plugin *p, ps_run *run, debate_topic *t, int round, debate_seat *seat,
                    const ps_position **positions)
{
    const ps_host_api *api = p->api;
    if (api->cancelled(run)) {
        api->set_error(p->inst, run, "cancelled in round %d of the debate on %s", round, t->metric);
        return PS_ECANCELED;
    }
    size_t count = 0;
    for (size_t i = 0; i < t->seat_count; i++)
        if (t->seats[i].active)
            positions[count++] = &t->seats[i].position;
    ps_debate_prompt prompt = {.struct_size = sizeof prompt, .round_number = round, .topic = t->text,
                               .metric = t->metric, .positions = positions, .position_count = count,
                               .target_agent = target_agent(t->seats, t->seat_count),
                               .responder = seat->position.agent_id};
    ps_debate_reply reply = {.struct_size = sizeof reply};
    int rc = api->debate_ask(run, seat->position.agent_id, &prompt, &reply);
    if (rc == PS_ECANCELED)
        return host_failed(p, run, "debate_ask", t, rc);
    if (rc != PS_OK || !reply_usable(&reply))
        return drop_seat(p, run, t, round, seat, rc, &reply);
    if (take_reply(t, seat, &reply) != PS_OK)
        return host_failed(p, run, "copying an argument", t, PS_ENOMEM);
    return PS_OK;
}

static const char *stop_reason(const debate_plugin *p, const ps_swarm_view *view, const debate_topic *t,
                               int round, int threshold_met, double change)
{
    if (threshold_met)
        return "threshold";
    if (active_count(t->seats, t->seat_count) < 2 || (round >= 2 && fabs(change) < p->settings.stalemate_epsilon))
        return "stalemate";
    if (round >= view->max_debate_rounds)
        return "max_rounds";
    return NULL;
}

static int close_topic(const debate_plugin *p, ps_run *run, const debate_topic *t, const ps_convergence *last,
                       const ps_position **positions)
{
    size_t count = 0;
    for (size_t i = 0; i < t->seat_count; i++)
        if (t->seats[i].active)
            positions[count++] = &t->seats[i].position;
    ps_debate_outcome outcome = {.struct_size = sizeof outcome, .topic = t->text, .metric = t->metric,
                                 .rounds = last->round_number, .convergence_score = last->convergence_score,
                                 .converged = last->threshold_met, .stop_reason = last->stop_reason,
                                 .positions = positions, .position_count = count};
    int rc = p->api->debate_close(run, &outcome);
    return rc == PS_OK ? PS_OK : host_failed(p, run, "debate_close", t, rc);
}

static int run_rounds(const debate_plugin *p, ps_run *run, const ps_swarm_view *view, debate_topic *t,
                      const ps_position **positions)
{
    ps_convergence c = {.struct_size = sizeof c, .convergence_score = debate_topic_convergence(t)};
    while (!c.stop_reason) {
        c.round_number++;
        for (size_t i = 0; i < t->seat_count; i++) {
            int rc = t->seats[i].active ? ask_seat(p, run, t, c.round_number, &t->seats[i], positions) : PS_OK;
            if (rc != PS_OK)
                return rc;
        }
        c.previous_score = c.convergence_score;
        c.convergence_score = debate_topic_convergence(t);
        c.threshold_met = c.convergence_score >= view->convergence_threshold;
        c.stop_reason = stop_reason(p, view, t, c.round_number, c.threshold_met,
                                    c.convergence_score - c.previous_score);
        int rc = p->api->debate_converge(run, &c);
        if (rc != PS_OK)
            return host_failed(p, run, "debate_converge", t, rc);
    }
    return close_topic(p, run, t, &c, positions);
}

int debate_run_topic(const debate_plugin *plugin, ps_run *run, const ps_swarm_view *view, debate_topic *topic)
{
    const char **participants = calloc(topic->seat_count, sizeof *participants);
    const ps_position **positions = calloc(topic->seat_count, sizeof *positions);
    int rc;
    if (!participants || !positions) {
        rc = host_failed(plugin, run, "allocating a topic", topic, PS_ENOMEM);
    } else {
        for (size_t i = 0; i < topic->seat_count; i++)
            participants[i] = topic->seats[i].position.agent_id;
        rc = plugin->api->debate_open(run, topic->text, topic->metric, participants, topic->seat_count);
        rc = rc == PS_OK ? run_rounds(plugin, run, view, topic, positions)
                         : host_failed(plugin, run, "debate_open", topic, rc);
    }
    free(participants);
    free(positions);
    return rc;
}
