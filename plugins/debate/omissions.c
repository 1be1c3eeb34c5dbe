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
 */
#include <stdlib.h>
#include <string.h>
#include "debate_internal.h"

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
