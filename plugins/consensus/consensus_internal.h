/*
 * consensus internals — shared by the consensus plugin's files only.
 *
 * consensus.c owns the agent definition, settings and build_consensus();
 * judge.c turns the swarm view into a verdict (groups, levels, minority
 * views); report.c writes the verdict's summary and MessagePack report.
 */
#ifndef PS_CONSENSUS_INTERNAL_H
#define PS_CONSENSUS_INTERNAL_H

#include <stddef.h>
#include <polisim/polisim.h>
#include "swarm_groups.h"
#include "mp_writer.h"

/* The plugin state: read-only after create, shared by concurrent analyses. */
typedef struct consensus_plugin {
    const ps_host_api *api;
    ps_instance *inst;
    double strong_threshold;  /* agreement for "strong_consensus" */
    double value_tolerance;   /* relative difference within which two values agree */
} consensus_plugin;

#define CONSENSUS_MAJORITY 0.5 /* "majority" needs agreement above this */

/* One analyst's stance in a group: its claim, or its final debate position. */
typedef struct consensus_voter {
    const char *agent_id;
    int has_value;
    double value;
    double confidence;
    const char *argument;     /* its finding's description or its last argument; may be NULL */
    int supports;             /* 1: holds the best-backed view of the group */
    int in_debate;            /* 1: a final position of the group's debate */
} consensus_voter;

typedef struct group_verdict {
    const swarm_group *group;
    const ps_debate_outcome *debate; /* the debate on this key, or NULL */
    consensus_voter *voters;  /* the analysts that took a position on the key */
    size_t voter_count;       /* 1: the group is uncontested */
    size_t holder_count;      /* voters that hold the best-backed view */
    double agreement;
    double impact;            /* largest impact_magnitude among the group's findings */
    const char *level;
} group_verdict;

typedef struct minority_view {
    const char *finding_id;   /* NULL: a debate position with no finding on this key */
    const char *agent_id;
    const char *description;  /* may be NULL */
    int has_value;
    double value;
} minority_view;

typedef struct consensus_verdict {
    group_verdict *groups;
    size_t group_count;
    double agreement;         /* impact-weighted mean of the groups' agreement */
    const char *level;
    const char **agreed_ids;  /* supporters' findings in groups at consensus or better */
    size_t agreed_count;
    const char **strong_ids;  /* ... in strong_consensus groups */
    size_t strong_count;
    minority_view *minority;
    size_t minority_count;
} consensus_verdict;

/* Checks view->debates. Returns 0, or PS_EINVAL with the reason in why. */
int consensus_check_debates(const ps_swarm_view *view, char *why, size_t why_size);

/* "strong_consensus" | "consensus" | "majority" | "divided" for an agreement. */
const char *consensus_level(double agreement, double strong_threshold, double consensus_threshold);

/* Judges every group. Returns 0 or PS_ENOMEM; free with consensus_verdict_free either way. */
int consensus_judge(const consensus_plugin *plugin, const ps_swarm_view *view, const swarm_groups *groups,
                    consensus_verdict *out);
void consensus_verdict_free(consensus_verdict *verdict);

/* One-paragraph summary built from the verdict, into buf. */
void consensus_summary(const consensus_verdict *verdict, const ps_swarm_view *view, char *buf, size_t size);

/* The report map (see report.c). Returns 0 or PS_ENOMEM; *out is the caller's to mpw_free. */
int consensus_report(const consensus_plugin *plugin, const consensus_verdict *verdict, const ps_swarm_view *view,
                     mp_writer *out);

#endif
