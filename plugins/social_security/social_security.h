/*
 * social_security.h — reading the bill for the Social Security analyst
 * (social_security_reading.c; plugin-internal, hidden).
 */
#ifndef PS_SOCIAL_SECURITY_H
#define PS_SOCIAL_SECURITY_H

#include "kit.h"

/* Where a bill section touches title II of the Social Security Act. */
typedef struct ss_marker {
    char what[96]; /* "section 202 of the Social Security Act", "title II ..." */
    size_t at;     /* offset in the bill text */
} ss_marker;

/* What a title II section changes and which way OASDI outlays go. */
typedef struct ss_reading {
    char topics[200];       /* "benefit amounts, indexation" or "" */
    char direction[400];    /* outlays: one or two sentences */
    const char *fund;       /* "OASI", "DI", "OASI or DI" */
    double confidence;
    double impact;
} ss_reading;

/* 1 and *out when section s amends or names title II (OASDI). */
int ss_find_marker(const ps_bill *b, const ps_section *s, ss_marker *out);
ss_reading ss_read_section(const ps_bill *b, const ps_section *s);

/* The OASDI role of an amended IRC section ("86", "3101(a)"), or NULL. */
const char *ss_payroll_role(const char *irc_section);
/* 1 when the text holds the trust funds harmless (a general fund transfer
 * that replaces lost trust fund income); *at gets where. */
int ss_held_harmless(const ps_bill *b, size_t *at);

#endif
