/*
 * kit_debate — the one debate rule all four analysts follow.
 *
 * An analyst answers a ps_debate_prompt about a metric from the positions in
 * the prompt (its own position carries the value and confidence it reported)
 * and, when the host provides them, its own findings (own_findings). It
 * takes the first of these turns that applies:
 *
 *   - No estimate of the metric (the plugin does not estimate it, or its own
 *     position is not among the prompt's):
 *       its position carries an omission note (it flagged effects the total
 *       leaves out): the author's turn of kit_omission.c;
 *       otherwise turn "question", confidence 0, and the value of the
 *       others' confidence-weighted mean, so the reply neither pulls nor
 *       weighs on the debate.
 *   - Round 1: turn "argument": restate the own value and confidence, the
 *     method and the evidence (the description of its own finding on the
 *     metric, else its position's argument).
 *   - Later rounds, while other positions carry notes that its own position
 *     has not acknowledged: the holder's omission turn of kit_omission.c.
 *   - Later rounds otherwise: let m be the confidence-weighted mean of the
 *     others' values (others with confidence > 0) and c_o the plain mean of
 *     their confidences. The analyst moves the fraction f = clamp(c_o - c, 0,
 *     0.5) of the way from its value v toward m: v' = v + f (m - v). f > 0
 *     (and m != v): turn "concession"; otherwise "rebuttal" (holds v). Since
 *     f <= 0.5 the analyst never passes m, and only the less confident side
 *     moves, so the debate converges toward the better supported estimate.
 *     The own confidence is reported unchanged: moving is not new evidence.
 *   A holder whose own position carries a note (it flagged what the other
 *   holders leave out) adds to its turns that its total is a floor.
 *
 * The reply's argument points into a thread-local buffer: it stays valid
 * until debate_respond returns (the host copies it then) and is not shared
 * between analyses running on other threads.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "kit_debate.h"

#define MAX_MOVE 0.5

static _Thread_local char reply_storage[2048];
static _Thread_local kit_buf reply_buf;

kit_buf *kit_reply_text(void)
{
    kit_buf_init(&reply_buf, reply_storage, sizeof reply_storage);
    return &reply_buf;
}

void kit_reply(ps_debate_reply *reply, double value, double confidence, const char *turn_type)
{
    reply->value = value;
    reply->confidence = confidence;
    reply->argument = reply_storage;
    reply->turn_type = turn_type;
}

int kit_position_ok(const ps_position *p)
{
    return p && p->struct_size >= KIT_V1_SIZE(ps_position, argument) && p->agent_id && isfinite(p->value) &&
           isfinite(p->confidence);
}

char *kit_format_value(const char *metric, double value, char *buf, size_t size)
{
    size_t n = strlen(metric);
    if (n > 4 && strcmp(metric + n - 4, "_usd") == 0)
        return kit_usd_short(value, buf, size);
    snprintf(buf, size, "%.4g", value);
    return buf;
}

static const char *responder_id(const char *self, const ps_debate_prompt *prompt)
{
    if (PS_HAS_FIELD(prompt, ps_debate_prompt, responder) && prompt->responder)
        return prompt->responder;
    return self;
}

static const ps_position *own_position(const ps_debate_prompt *prompt, const char *me)
{
    for (size_t i = 0; i < prompt->position_count; i++) {
        const ps_position *p = prompt->positions[i];
        if (kit_position_ok(p) && strcmp(p->agent_id, me) == 0)
            return p;
    }
    return NULL;
}

/* The others' means: weighted by confidence over those with confidence > 0;
 * the plain mean of all others when none has any. */
static void weigh_others(kit_turn *t)
{
    const ps_debate_prompt *prompt = t->prompt;
    double weighted = 0, weight = 0, plain = 0;
    for (size_t i = 0; i < prompt->position_count; i++) {
        const ps_position *p = prompt->positions[i];
        if (!kit_position_ok(p) || strcmp(p->agent_id, t->me) == 0)
            continue;
        t->others_count++;
        plain += p->value;
        if (p->confidence > 0) {
            weighted += p->confidence * p->value;
            weight += p->confidence;
            t->others_confident++;
        }
    }
    if (t->others_confident) {
        t->others_mean = weighted / weight;
        t->others_confidence = weight / (double)t->others_confident;
    } else if (t->others_count) {
        t->others_mean = plain / (double)t->others_count;
    }
    kit_format_value(prompt->metric, t->others_mean, t->mean_text, sizeof t->mean_text);
}

static void question_turn(const kit_turn *t, ps_debate_reply *reply)
{
    kit_buf *b = kit_reply_text();
    kit_buf_add(b, "I have no estimate of %s%s, so I take no position (confidence 0).", t->prompt->metric,
                t->method ? " on record for this analysis" : " (outside my analysis)");
    if (t->others_count)
        kit_buf_add(b, " Which sections of the bill support the others' figures?");
    kit_reply(reply, t->others_mean, 0.0, "question");
}

static void opening_turn(const kit_turn *t, ps_debate_reply *reply)
{
    char value[48];
    const char *evidence = kit_own_evidence(t);
    if (!evidence)
        evidence = t->own->argument ? t->own->argument : "(none recorded)";
    kit_buf *b = kit_reply_text();
    kit_buf_add(b, "My estimate of %s is %s (confidence %.2f). Method: %s Evidence: %s", t->prompt->metric,
                kit_format_value(t->prompt->metric, t->own->value, value, sizeof value), t->own->confidence,
                t->method, evidence);
    kit_add_own_floor(t, b);
    kit_reply(reply, t->own->value, t->own->confidence, "argument");
}

static void value_turn(const kit_turn *t, ps_debate_reply *reply)
{
    double v = t->own->value, c = t->own->confidence;
    char v_text[48], moved_text[48];
    kit_format_value(t->prompt->metric, v, v_text, sizeof v_text);
    double f = t->others_confident ? t->others_confidence - c : 0.0;
    f = f < 0 ? 0 : f > MAX_MOVE ? MAX_MOVE : f;
    kit_buf *b = kit_reply_text();
    if (f == 0 || fabs(t->others_mean - v) <= 1e-9 * fmax(1.0, fabs(v))) {
        kit_buf_add(b, "I hold %s (confidence %.2f). %s Method: %s", v_text, c,
                    t->others_confident
                        ? "The others' mean confidence is not above mine, so by the debate rule I do not move."
                        : "No other analyst holds a position with confidence above 0.",
                    t->method);
        kit_add_own_floor(t, b);
        kit_reply(reply, v, c, "rebuttal");
        return;
    }
    double moved = v + f * (t->others_mean - v);
    kit_buf_add(b,
                "I move from %s to %s: %.0f%% of the way toward the others' confidence-weighted mean %s, because "
                "their mean confidence %.2f exceeds mine (%.2f) by that much. My own evidence stands: %s",
                v_text, kit_format_value(t->prompt->metric, moved, moved_text, sizeof moved_text), f * 100.0,
                t->mean_text, t->others_confidence, c, t->method);
    kit_add_own_floor(t, b);
    kit_reply(reply, moved, c, "concession");
}

int kit_debate_respond(const char *self, const char *method, const ps_debate_prompt *prompt,
                       ps_debate_reply *reply)
{
    if (!prompt || prompt->struct_size < KIT_V1_SIZE(ps_debate_prompt, target_agent) || !prompt->metric ||
        (prompt->position_count && !prompt->positions) || !reply ||
        reply->struct_size < KIT_V1_SIZE(ps_debate_reply, turn_type))
        return PS_EINVAL;
    kit_turn t = {.prompt = prompt, .me = responder_id(self, prompt), .method = method};
    t.own = own_position(prompt, t.me);
    weigh_others(&t);
    if (!method || !t.own) {
        if (kit_has_note(t.own))
            kit_author_turn(&t, reply);
        else
            question_turn(&t, reply);
    } else if (prompt->round_number <= 1) {
        opening_turn(&t, reply);
    } else if (kit_omission_pending(&t)) {
        kit_holder_omission_turn(&t, reply);
    } else {
        value_turn(&t, reply);
    }
    return PS_OK;
}
