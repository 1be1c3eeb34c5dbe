/*
 * ingest — turns bill text into the read-only ps_bill every plugin sees.
 *
 * Splits the text into sections, finds every dollar amount with its fiscal
 * years, kind and counting flags under the rules in conf/bills/README.md
 * (R1-R13), the Internal Revenue Code amendments (T1-T2) and the programs
 * touched. Owns all memory behind the returned ps_bill. Never crashes or
 * hangs on any input (fuzzed).
 */
#ifndef PS_INGEST_INGEST_H
#define PS_INGEST_INGEST_H

#include <stddef.h>
#include <stdint.h>
#include "polisim/polisim.h"

typedef struct ingest_result ingest_result;

/* text need not be NUL-terminated; it is copied (NUL bytes inside become
 * spaces, so ps_bill.text is a C string of text_length bytes). ids/title may
 * be NULL (the title is then the bill's short title, else its official
 * title line). NULL only when out of memory or text is NULL with length > 0. */
ingest_result *ingest_bill(const char *text, size_t length, const char *analysis_id,
                           const char *bill_id, const char *title);
const ps_bill *ingest_view(const ingest_result *r);
void ingest_free(ingest_result *r);
/* Sets ps_bill.window_start/window_end (default 2026..2035). */
void ingest_set_window(ingest_result *r, int first_year, int last_year);

/* Sum of counted money over fiscal years [first, last] per rule R9: amount x
 * listed years inside the window; an entry without years once (R5); a period
 * lump sum once if any of its years is inside (R6). Saturates at INT64_MAX. */
int64_t ingest_window_total(const ps_bill *bill, int first_year, int last_year);
/* a + b for non-negative dollar sums, capped at INT64_MAX. */
int64_t ingest_add_usd(int64_t a, int64_t b);
/* One entry's share of that total. */
int64_t ingest_entry_window_amount(const ps_money *money, int first_year, int last_year);

/* Names used on the wire and in truth.json. */
const char *ingest_money_kind_name(ps_money_kind kind);   /* "authorization", ... */
const char *ingest_tax_kind_name(ps_tax_kind kind);       /* "credit", ... */
const char *ingest_program_name(uint32_t program_bit);    /* "medicare", ...; 0 -> "none" */

#endif
