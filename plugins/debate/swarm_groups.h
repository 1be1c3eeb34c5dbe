/*
 * swarm_groups — how the debate and consensus plugins read the swarm view
 * (compiled into both plugins; hidden in each).
 *
 * Owns three shared rules, so both plugins judge the same claims:
 *   - the view check: every field the plugins read is present and sane;
 *   - the key of a finding: its `metric`, or "category@related_section" when
 *     it names no metric ("category" alone when it has no section either);
 *   - the claim of an analyst on a key: its most confident finding with that
 *     key (the first one on a tie), valued by `value` when the finding names
 *     a metric, else by fiscal_impact->amount_billions, else unvalued.
 * Also the one text helper both plugins use to build their messages, and
 * the marks of the omission notes the debate writes and the consensus reads.
 */
#ifndef PS_SWARM_GROUPS_H
#define PS_SWARM_GROUPS_H

#include <stddef.h>
#include <polisim/polisim.h>

/* The omission notes the debate plugin writes into the positions of an
 * omission debate and the consensus plugin reads from its outcome
 * (docs/debate-consensus.md, "Omission debates"; the analysts read them
 * too): an author's note, then a holder's acknowledgment mark. */
#define SWARM_NOTE_MARK "Left out of the total (conf "
#define SWARM_ACK_MARK "Acknowledged: the total is a floor."

typedef struct swarm_claim {
    const char *agent_id;
    const ps_finding_record *record; /* the finding the claim stands on */
    int has_value;
    double value;
    double confidence;               /* clamped to [0, 1] */
} swarm_claim;

/* Every finding that shares one key, in view order. */
typedef struct swarm_group {
    char *key;
    const ps_finding *first;          /* category, section, metric of the group */
    const ps_finding_record **records;
    size_t record_count;
    swarm_claim *claims;              /* one per analyst, in order of first finding */
    size_t claim_count;
} swarm_group;

typedef struct swarm_groups {
    swarm_group *items;               /* in order of each key's first finding */
    size_t count;
} swarm_groups;

/* Checks the findings and analysts of a view. Returns 0, or PS_EINVAL with
 * the reason in why ("finding 3 (fiscal-3) has no agent_id"). */
int swarm_view_check(const ps_swarm_view *view, char *why, size_t why_size);

/* Groups the findings of a checked view by key. Returns 0 or PS_ENOMEM;
 * free with swarm_groups_free either way. */
int swarm_groups_build(const ps_swarm_view *view, swarm_groups *out);
void swarm_groups_free(swarm_groups *groups);

/* The claim of agent_id in the group, or NULL. */
const swarm_claim *swarm_group_claim(const swarm_group *group, const char *agent_id);

/* |a - b| / max(|a|, |b|); 0 when both are 0. In [0, 2]. */
double swarm_relative_difference(double a, double b);

/* Appends printf-style text to the NUL-terminated buf; stops at its end. */
void swarm_appendf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
