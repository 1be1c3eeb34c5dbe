/*
 * kit_debate — the one debate rule all four analysts follow.
 *
 * An analyst answers a ps_debate_prompt about a metric from the positions in
 * the prompt (its own position carries the value, confidence and evidence it
 * reported in its finding; debate_respond gets no bill):
 *
 *   - No estimate of the metric (the plugin does not estimate it, or its own
 *     position is not among the prompt's): turn "question", confidence 0, and
 *     the value of the others' confidence-weighted mean, so the reply neither
 *     pulls nor weighs on the debate.
 *   - Round 1: turn "argument": restate the own value and confidence, the
 *     method and the evidence (the sections cited in the finding).
 *   - Later rounds: let m be the confidence-weighted mean of the others'
 *     values (others with confidence > 0) and c_o the plain mean of their
 *     confidences. The analyst moves the fraction f = clamp(c_o - c, 0, 0.5)
 *     of the way from its value v toward m: v' = v + f (m - v). f > 0 (and
 *     m != v): turn "concession"; otherwise "rebuttal" (holds v). Since
 *     f <= 0.5 the analyst never passes m, and only the less confident side
 *     moves, so the debate converges toward the better supported estimate.
 *     The own confidence is reported unchanged: moving is not new evidence.
 *
 * The reply's argument points into a thread-local buffer: it stays valid
 * until debate_respond returns (the host copies it then) and is not shared
 * between analyses running on other threads.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "kit.h"

#define V1_SIZE(type, field) (offsetof(type, field) + sizeof(((type *)0)->field))
#define MAX_MOVE 0.5

static _Thread_local char reply_text[1024];

typedef struct others {
    double mean;        /* confidence-weighted mean value */
    double confidence;  /* plain mean confidence */
    size_t count;
} others;

static int position_ok(const ps_position *p)
{
    return p && p->struct_size >= V1_SIZE(ps_position, argument) && p->agent_id && isfinite(p->value) &&
           isfinite(p->confidence);
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
        if (position_ok(p) && strcmp(p->agent_id, me) == 0)
            return p;
    }
    return NULL;
}

static others weigh_others(const ps_debate_prompt *prompt, const char *me)
{
    others o = {0, 0, 0};
    double weight = 0;
    for (size_t i = 0; i < prompt->position_count; i++) {
        const ps_position *p = prompt->positions[i];
        if (!position_ok(p) || strcmp(p->agent_id, me) == 0 || p->confidence <= 0)
            continue;
        o.mean += p->confidence * p->value;
        weight += p->confidence;
        o.count++;
    }
    if (o.count) {
        o.mean /= weight;
        o.confidence = weight / (double)o.count;
    }
    return o;
}

static char *format_value(const char *metric, double value, char *buf, size_t size)
{
    size_t n = strlen(metric);
    if (n > 4 && strcmp(metric + n - 4, "_usd") == 0)
        return kit_usd_short(value, buf, size);
    snprintf(buf, size, "%.4g", value);
    return buf;
}

static void set_reply(ps_debate_reply *reply, double value, double confidence, const char *turn)
{
    reply->value = value;
    reply->confidence = confidence;
    reply->argument = reply_text;
    reply->turn_type = turn;
}

int kit_debate_respond(const char *self, const char *method, const ps_debate_prompt *prompt,
                       ps_debate_reply *reply)
{
    if (!prompt || prompt->struct_size < V1_SIZE(ps_debate_prompt, target_agent) || !prompt->metric ||
        (prompt->position_count && !prompt->positions) || !reply ||
        reply->struct_size < V1_SIZE(ps_debate_reply, turn_type))
        return PS_EINVAL;
    const char *me = responder_id(self, prompt);
    const ps_position *own = own_position(prompt, me);
    others o = weigh_others(prompt, me);
    char v_text[48], m_text[48], new_text[48];
    format_value(prompt->metric, o.mean, m_text, sizeof m_text);

    if (!method || !own) {
        snprintf(reply_text, sizeof reply_text,
                 "I have no estimate of %s%s, so I take no position (confidence 0). %s",
                 prompt->metric, method ? " on record for this analysis" : " (outside my analysis)",
                 o.count ? "Which sections of the bill support the others' figures?" : "");
        set_reply(reply, o.count ? o.mean : 0.0, 0.0, "question");
        return PS_OK;
    }
    double v = own->value, c = own->confidence;
    format_value(prompt->metric, v, v_text, sizeof v_text);
    if (prompt->round_number <= 1) {
        snprintf(reply_text, sizeof reply_text, "My estimate of %s is %s (confidence %.2f). Method: %s Evidence: %s",
                 prompt->metric, v_text, c, method, own->argument ? own->argument : "(none recorded)");
        set_reply(reply, v, c, "argument");
        return PS_OK;
    }
    double f = o.count ? o.confidence - c : 0.0;
    f = f < 0 ? 0 : f > MAX_MOVE ? MAX_MOVE : f;
    if (f == 0 || fabs(o.mean - v) <= 1e-9 * fmax(1.0, fabs(v))) {
        snprintf(reply_text, sizeof reply_text,
                 "I hold %s (confidence %.2f). %s Method: %s", v_text, c,
                 o.count ? "The others' mean confidence is not above mine, so by the debate rule I do not move."
                         : "No other analyst holds a position with confidence above 0.",
                 method);
        set_reply(reply, v, c, "rebuttal");
        return PS_OK;
    }
    double moved = v + f * (o.mean - v);
    format_value(prompt->metric, moved, new_text, sizeof new_text);
    snprintf(reply_text, sizeof reply_text,
             "I move from %s to %s: %.0f%% of the way toward the others' confidence-weighted mean %s, because "
             "their mean confidence %.2f exceeds mine (%.2f) by that much. My own evidence stands: %s",
             v_text, new_text, f * 100.0, m_text, o.confidence, c, method);
    set_reply(reply, moved, c, "concession");
    return PS_OK;
}
