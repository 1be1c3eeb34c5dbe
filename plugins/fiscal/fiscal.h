/*
 * fiscal.h — the parts of the fiscal analyst that fiscal.c shares with
 * fiscal_tax.c (plugin-internal, hidden).
 */
#ifndef PS_FISCAL_FISCAL_H
#define PS_FISCAL_FISCAL_H

#include "kit.h"

/* One finding per IRC provision with the revenue direction the text shows,
 * and one for unquantified budget effects (R13) when the bill has them. */
void fiscal_report_taxes(kit_run *k);

#endif
