/*
 * omissions — finds the effects one analyst flags that another analyst's
 * window total leaves out.
 *
 * A total is a group whose key is a metric and where some finding carries a
 * fiscal_impact: the analyst states an amount for a period (fiscal's
 * federal_budget_authority_usd, fiscal's and economic's
 * expected_federal_cost_usd). Its holders are the analysts with a claim on it.
 *
 * An unsized effect is a finding with no metric and no fiscal_impact, with a
 * confidence above 0 and an impact_magnitude of at least
 * omission_min_impact. On the analysts' impact scale 0.5 marks a change
 * whose size the text does not print (an indefinite "such sums", a benefit
 * rule, a tax provision with no revenue estimate, a heading saying spending
 * rises); studies, "no provisions" and "no direction" findings are 0.05.
 *
 * The effect is counted elsewhere when an analyst other than its author
 * reports an amount on the same section: a finding with no metric and a
 * non-zero fiscal_impact whose related_section matches up to the first "("
 * ("2(a)" is section 2). That money may be the effect, and the totals count
 * it. A total's own related_section only cites its largest item, so totals
 * cover nothing; nor do the author's own amounts: an analyst that reports an
 * amount and an unsized effect in one section tells them apart (fiscal:
 * "$2 billion" and "such sums" in sec. 2(a)).
 *
 * An unsized effect that is not counted elsewhere is left out of a total by
 * every holder other than its author: totals add printed amounts, and the
 * effect has none.
 *
 * Also owns the omission debate (a topic with left-out effects; the rules
 * are in docs/debate-consensus.md, "Omission debates"):
 *
 *   - Notes. The moderator writes the seats' arguments itself, so every
 *     analyst reads the debate's state in the prompt's positions: an author
 *     seat (its analyst authored left-out effects; a flagger, or a holder
 *     that flags what the other holders leave out) carries
 *       "Left out of the total (conf A): ID (sec. S), ID."
 *     with A its most confident left-out effect's confidence (%.2f) and its
 *     left-out effects in view order ("(sec. S)" when the finding names a
 *     section). A holder's first "concession" acknowledges that the total is
 *     a floor: its argument becomes "Acknowledged: the total is a floor."
 *     followed, for a holder that is an author too, by its note.
 *   - Completeness agreement of the active seats:
 *       authors:   belief that the total is complete b = 1 - A, weight A;
 *                  their mean  Ab = sum A (1 - A) / sum A
 *       holders that are not authors: b = 1 until acknowledged, then Ab;
 *                  weight = the confidence of its claim on the total, as
 *                  it opened (plain mean when all are 0); their mean Hb
 *       K = 1 - |Hb - Ab|, and K = 1 when no author or no such holder is
 *       active. K = 1 exactly when every challenged holder acknowledged.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "debate_internal.h"

#define NOTE_MAX 2048

static int has_metric(const ps_finding *f)
{
    return f->metric && f->metric[0];
}

static int is_total(const swarm_group *group)
{
    if (!has_metric(group->first))
        return 0;
    for (size_t i = 0; i < group->record_count; i++)
        if (group->records[i]->finding->fiscal_impact)
            return 1;
    return 0;
}

static int is_unsized_effect(const debate_settings *s, const ps_finding *f)
{
    return !has_metric(f) && !f->fiscal_impact && f->confidence > 0 && f->impact_magnitude >= s->omission_min_impact;
}

/* Same section: equal up to the first "(" of each; both must name one. */
static int same_section(const char *a, const char *b)
{
    if (!a || !b)
        return 0;
    size_t la = strcspn(a, "("), lb = strcspn(b, "(");
    return la > 0 && la == lb && strncmp(a, b, la) == 0;
}

static int counted_elsewhere(const ps_swarm_view *view, const ps_finding_record *effect)
{
    for (size_t i = 0; i < view->finding_count; i++) {
        const ps_finding_record *rec = view->findings[i];
        const ps_fiscal_impact *money = rec->finding->fiscal_impact;
        if (money && money->amount_billions != 0 && !has_metric(rec->finding) &&
            strcmp(rec->agent_id, effect->agent_id) != 0 &&
            same_section(rec->finding->related_section, effect->finding->related_section))
            return 1;
    }
    return 0;
}

/* 1 when an analyst other than author holds the total. */
static int held_by_another(const swarm_group *total, const char *author)
{
    for (size_t i = 0; i < total->claim_count; i++)
        if (strcmp(total->claims[i].agent_id, author) != 0)
            return 1;
    return 0;
}

int debate_find_omissions(const debate_settings *settings, const ps_swarm_view *view, const swarm_group *group,
                          debate_omissions *out)
{
    *out = (debate_omissions){0};
    if (!is_total(group))
        return PS_OK;
    for (size_t i = 0; i < view->finding_count; i++) {
        const ps_finding_record *rec = view->findings[i];
        if (!is_unsized_effect(settings, rec->finding) || !held_by_another(group, rec->agent_id) ||
            counted_elsewhere(view, rec))
            continue;
        if (!out->effects && !(out->effects = calloc(view->finding_count, sizeof *out->effects)))
            return PS_ENOMEM;
        out->effects[out->count++] = rec;
    }
    return PS_OK;
}

void debate_omissions_free(debate_omissions *omissions)
{
    free(omissions->effects);
    *omissions = (debate_omissions){0};
}

/* ---- the omission debate ------------------------------------------------------ */

static void set_argument(debate_seat *seat, char *text)
{
    free(seat->owned_argument);
    seat->owned_argument = text;
    seat->position.argument = text;
}

/* The note of an author seat, malloc'd. */
static char *note_of(const debate_topic *t, const debate_seat *seat)
{
    char text[NOTE_MAX];
    size_t listed = 0;
    snprintf(text, sizeof text, SWARM_NOTE_MARK "%.2f):", seat->author_confidence);
    for (size_t i = 0; i < t->omissions.count; i++) {
        const ps_finding_record *effect = t->omissions.effects[i];
        const char *section = effect->finding->related_section;
        if (strcmp(effect->agent_id, seat->position.agent_id) != 0)
            continue;
        swarm_appendf(text, sizeof text, "%s %s", listed++ ? "," : "", effect->finding_id);
        if (section && section[0])
            swarm_appendf(text, sizeof text, " (sec. %s)", section);
    }
    swarm_appendf(text, sizeof text, ".");
    return strdup(text);
}

int debate_write_notes(debate_topic *t)
{
    for (size_t i = 0; i < t->seat_count; i++) {
        if (t->seats[i].author_confidence <= 0)
            continue;
        char *note = note_of(t, &t->seats[i]);
        if (!note)
            return PS_ENOMEM;
        set_argument(&t->seats[i], note);
    }
    return PS_OK;
}

int debate_take_omission_turn(debate_topic *t, debate_seat *seat, const char *turn_type)
{
    int holder = seat < t->seats + t->holder_count;
    if (!holder || seat->acknowledged || !turn_type || strcmp(turn_type, "concession") != 0)
        return PS_OK;
    const char *note = seat->author_confidence > 0 ? seat->position.argument : "";
    size_t size = strlen(SWARM_ACK_MARK) + 1 + strlen(note) + 1;
    char *text = malloc(size);
    if (!text)
        return PS_ENOMEM;
    snprintf(text, size, "%s%s%s", SWARM_ACK_MARK, note[0] ? " " : "", note);
    seat->acknowledged = 1;
    set_argument(seat, text);
    return PS_OK;
}

double debate_completeness(const debate_topic *t)
{
    double author_weight = 0, author_belief = 0;
    for (size_t i = 0; i < t->seat_count; i++) {
        double a = t->seats[i].author_confidence;
        if (t->seats[i].active && a > 0) {
            author_weight += a;
            author_belief += a * (1 - a);
        }
    }
    if (author_weight == 0)
        return 1;
    double authors = author_belief / author_weight;
    double weighted = 0, weights = 0, plain = 0;
    size_t holders = 0;
    for (size_t i = 0; i < t->holder_count; i++) {
        const debate_seat *seat = &t->seats[i];
        if (!seat->active || seat->author_confidence > 0)
            continue;
        double belief = seat->acknowledged ? authors : 1;
        weighted += seat->claim_confidence * belief;
        weights += seat->claim_confidence;
        plain += belief;
        holders++;
    }
    if (holders == 0)
        return 1;
    return 1 - fabs((weights > 0 ? weighted / weights : plain / (double)holders) - authors);
}
