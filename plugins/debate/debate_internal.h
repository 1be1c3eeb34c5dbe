/*
 * debate internals — shared by the debate plugin's files only.
 *
 * debate.c owns the agent definition, settings and moderate(); topics.c finds
 * and ranks the disagreements; omissions.c finds the effects a total leaves
 * out; rounds.c runs one topic's rounds and owns the convergence formula and
 * the stop rules.
 */
#ifndef PS_DEBATE_INTERNAL_H
#define PS_DEBATE_INTERNAL_H

#include <stddef.h>
#include <polisim/polisim.h>
#include "swarm_groups.h"

typedef struct debate_settings {
    double value_tolerance;      /* relative difference above which values disagree */
    double confidence_gap;       /* confidence spread above which analysts disagree */
    int max_topics;              /* largest disagreements debated per analysis */
    double stalemate_epsilon;    /* a round that moves convergence less ends the debate */
    double omission_min_impact;  /* unsized findings at least this important can be left out of a total */
} debate_settings;

/* The plugin state: read-only after create, shared by concurrent analyses. */
typedef struct debate_plugin {
    const ps_host_api *api;
    ps_instance *inst;
    debate_settings settings;
} debate_plugin;

/* One participant of a topic and its current position. */
typedef struct debate_seat {
    ps_position position;
    char *owned_argument;        /* behind position.argument when the plugin wrote it */
    int active;                  /* 0 once the analyst failed to answer */
    double claim_confidence;     /* a holder's confidence in its claim on the key, as it opened */
    double author_confidence;    /* > 0: it authored effects the total leaves out (its most confident one's) */
    int acknowledged;            /* a holder that conceded the total is a floor */
} debate_seat;

#define DEBATE_TOPIC_TEXT 240    /* the host keeps topics of up to 255 bytes */

/* The unsized effects that some holder of a total leaves out (omissions.c). */
typedef struct debate_omissions {
    const ps_finding_record **effects; /* in view order */
    size_t count;
} debate_omissions;

typedef struct debate_topic {
    char text[DEBATE_TOPIC_TEXT];
    const char *metric;          /* the group key (owned by the swarm groups) */
    double size;                 /* how large the disagreement is, for ranking */
    size_t order;                /* position of the group in the view, breaks ties */
    debate_seat *seats;          /* the holders' claims first, then the flaggers */
    size_t seat_count;
    size_t holder_count;         /* seats with a claim on the key */
    debate_omissions omissions;  /* what the key's total leaves out; count 0 if nothing */
} debate_topic;

typedef struct debate_topics {
    debate_topic *items;         /* largest disagreement first */
    size_t count;
} debate_topics;

/* Every real disagreement among the groups, ranked. Returns 0 or PS_ENOMEM;
 * free with debate_topics_free either way. */
int debate_find_topics(const debate_settings *settings, const ps_swarm_view *view,
                       const swarm_groups *groups, debate_topics *out);
void debate_topics_free(debate_topics *topics);

/* The effects the total `group` leaves out (the rule is in omissions.c).
 * Returns 0 or PS_ENOMEM; free with debate_omissions_free either way. */
int debate_find_omissions(const debate_settings *settings, const ps_swarm_view *view, const swarm_group *group,
                          debate_omissions *out);
void debate_omissions_free(debate_omissions *omissions);

/* Writes the omission notes into the author seats' arguments (format in
 * omissions.c). Returns 0 or PS_ENOMEM. */
int debate_write_notes(debate_topic *topic);

/* Takes an omission topic's reply into seat: a holder's first "concession"
 * acknowledges the total is a floor (its argument becomes the mark); the
 * arguments stay the moderator's. Returns 0 or PS_ENOMEM. */
int debate_take_omission_turn(debate_topic *topic, debate_seat *seat, const char *turn_type);

/* Agreement on whether the total is complete, in [0, 1] (formula in omissions.c). */
double debate_completeness(const debate_topic *topic);

/* The convergence of the active seats' values (formula in rounds.c). */
double debate_convergence(const debate_seat *seats, size_t seat_count);

/* A topic's convergence: debate_convergence, or for an omission topic the
 * holders' value convergence times debate_completeness (rounds.c). */
double debate_topic_convergence(const debate_topic *topic);

/* Runs the rounds of one topic, from debate_open to debate_close. Returns 0,
 * PS_ECANCELED, or the failing host call's code (with set_error done). */
int debate_run_topic(const debate_plugin *plugin, ps_run *run, const ps_swarm_view *view,
                     debate_topic *topic);

/* Emits a thought of the moderator; returns the host's code. */
int debate_think(const debate_plugin *plugin, ps_run *run, const char *type, const char *label,
                 const char *content);

#endif
