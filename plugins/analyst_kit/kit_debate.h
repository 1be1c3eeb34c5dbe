/*
 * kit_debate internals — shared by kit_debate.c (the turn every analyst
 * takes) and kit_omission.c (the turns of an omission debate) only.
 *
 * The omission notes are the debate plugin's (docs/debate-consensus.md,
 * "Omission debates"); the analysts read them from the prompt's positions:
 *   an author's position:  "Left out of the total (conf 0.60): healthcare-1 (sec. 2), healthcare-2."
 *   a holder that conceded: "Acknowledged: the total is a floor." (then the note if it is an author too)
 */
#ifndef PS_ANALYST_KIT_DEBATE_H
#define PS_ANALYST_KIT_DEBATE_H

#include <stddef.h>
#include "kit.h"

#define KIT_V1_SIZE(type, field) (offsetof(type, field) + sizeof(((type *)0)->field))

#define KIT_NOTE_MARK "Left out of the total (conf "
#define KIT_ACK_MARK "Acknowledged: the total is a floor."

/* One prompt, read once. */
typedef struct kit_turn {
    const ps_debate_prompt *prompt;
    const char *me;                /* the responder's agent id */
    const ps_position *own;        /* its position, or NULL */
    const char *method;            /* how it estimates the metric, or NULL: no estimate */
    double others_mean;            /* confidence-weighted (plain when every confidence is 0) */
    double others_confidence;      /* plain mean confidence of the others with confidence > 0 */
    size_t others_confident;       /* how many others have confidence > 0 */
    size_t others_count;           /* how many others hold a readable position */
    char mean_text[48];            /* others_mean, formatted for the metric */
} kit_turn;

/* The reply's text: the thread-local buffer, emptied. */
kit_buf *kit_reply_text(void);
/* Fills the reply; its argument is the reply text. */
void kit_reply(ps_debate_reply *reply, double value, double confidence, const char *turn_type);
/* Money for *_usd metrics ("$417.0 million"), else %.4g. */
char *kit_format_value(const char *metric, double value, char *buf, size_t size);
/* The position is valid to read (size, id, finite numbers). */
int kit_position_ok(const ps_position *p);

/* ---- omission debates (kit_omission.c) ---------------------------------------- */
/* 1 when the position carries an omission note. */
int kit_has_note(const ps_position *p);
/* 1 when a holder must still answer what other positions' notes say the
 * total leaves out (round >= 2, own position not yet acknowledged). */
int kit_omission_pending(const kit_turn *t);
/* The turn of an analyst with no estimate whose position carries a note. */
void kit_author_turn(const kit_turn *t, ps_debate_reply *reply);
/* A holder's answer to the other positions' notes: concession or rebuttal. */
void kit_holder_omission_turn(const kit_turn *t, ps_debate_reply *reply);
/* For a holder that is an author too: "It is a floor: ..." (and from round
 * 2 who has not acknowledged it); nothing for other holders. */
void kit_add_own_floor(const kit_turn *t, kit_buf *b);
/* The description of the responder's most confident own finding on the
 * prompt's metric (own_findings), or NULL. */
const char *kit_own_evidence(const kit_turn *t);

#endif
