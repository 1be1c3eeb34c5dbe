/*
 * healthcare.h — reading one bill section for the healthcare analyst
 * (healthcare_reading.c; plugin-internal, hidden).
 */
#ifndef PS_HEALTHCARE_HEALTHCARE_H
#define PS_HEALTHCARE_HEALTHCARE_H

#include "kit.h"

/* The first place a section names a tagged health program. */
typedef struct health_marker {
    const char *program; /* "Medicare", ... */
    const char *cue;     /* the marker found: "title XVIII" */
    size_t at;           /* its offset in the bill text */
} health_marker;

/* What a section changes and which way federal health spending goes. */
typedef struct health_reading {
    char topics[256];          /* "coverage, beneficiary cost-sharing" or "" */
    char direction_text[320];  /* one or two sentences */
    char trust_fund_text[320]; /* Medicare trust funds, or "" */
    double confidence;
    double impact;
} health_reading;

/* 1 and *out when section s names a program of `tagged` (ps_program bits). */
int health_find_marker(const ps_bill *b, const ps_section *s, uint32_t tagged, health_marker *out);
/* "Medicare ("title XVIII"); other federal health programs (...)". */
char *health_program_list(const ps_bill *b, const ps_section *s, uint32_t tagged, char *buf, size_t size);
/* has_money: the section provides counted or indefinite money. */
health_reading health_read_section(const ps_bill *b, const ps_section *s, int has_money);

#endif
