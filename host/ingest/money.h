/*
 * money.h — private to the money files: one dollar amount (or "such sums
 * as may be necessary") found in the bill, with the clause around it, and
 * the classification money_kind gives it.
 */
#ifndef PS_INGEST_MONEY_H
#define PS_INGEST_MONEY_H

#include "ingest/ingest_internal.h"

#define LEAD_IN_REACH 1500 /* characters of a list's lead-in read, nearest the list */

typedef struct money_site {
    size_t at, end;        /* the printed amount */
    int64_t usd;           /* 0 when indefinite */
    int indefinite;        /* "such sums as may be necessary" */
    int unit;              /* innermost unit, -1 none */
    size_t seg_s, seg_e;   /* its sentence or ';' clause */
    size_t before_s;       /* its own words start here (previous amount's end or seg_s) */
    size_t after_e;        /* and end here (next amount or seg_e) */
    int years_follow;      /* "$X for fiscal year Y" */
    int in_inserted;       /* inside text the bill inserts into law */
    int after_multiple_of; /* "rounded to the nearest multiple of $10" */
} money_site;

typedef struct money_verdict {
    int kind;         /* ps_money_kind */
    const char *note; /* static text, NULL for budget authority */
} money_verdict;

extern const char *const NOTE_OF_WHICH;
extern const char *const NOTE_EXTENSION;

/* 1 and *out set when the site is a money entry of the bill, 0 to drop it. */
int money_classify(const ingest_ctx *c, const money_site *site, money_verdict *out);
/* ", of which $X": an earmark inside the amount before it. */
int money_is_of_which(const doc *d, size_t s, size_t e);

#endif
