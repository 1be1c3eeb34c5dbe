/*
 * money_entries.h — private to the money files: turning a classified amount
 * into a ps_money entry, extensions whose amount is not printed, and the
 * merge of repeated `other` figures.
 */
#ifndef PS_INGEST_MONEY_ENTRIES_H
#define PS_INGEST_MONEY_ENTRIES_H

#include "ingest/ingest_internal.h"

typedef struct money_entry_spec {
    int kind;             /* ps_money_kind */
    int64_t usd;
    int indefinite;
    int printed;          /* 0: extension whose amount is not printed */
    const year_set *years;
    int unit;             /* innermost unit of the amount */
    size_t at;            /* where the amount is printed */
    const char *note;     /* static text or NULL */
    ps_span quote;
} money_entry_spec;

int money_add_entry(const ingest_ctx *c, const money_entry_spec *spec, money_list *out);
/* "by striking 2018 through 2021 and inserting 2025 through 2029" in an
 * authorization: an `other` entry without amount; sets *found. */
int money_add_extensions(const ingest_ctx *c, money_list *out, int *found);
/* One `other` entry per figure and bill section, years united ("of which
 * $30,000,000" under each of (K)-(O) -> one entry for 2026-2030). */
int money_merge_other(const ingest_ctx *c, money_list *out);

#endif
