/*
 * fuzz_ingest — libFuzzer target for ingest_bill(): any bytes must give a
 * bill whose spans stay inside the text and whose money entries keep the
 * counting invariants, without a crash, a leak or a sanitizer report.
 * Build with clang (tests/fuzz/CMakeLists.txt); replay.c runs the same
 * target over files in any build.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/ingest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void require(int condition)
{
    if (!condition)
        abort();
}

static void require_span(const ps_bill *b, ps_span s)
{
    require(s.offset <= b->text_length && s.length <= b->text_length - s.offset);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ingest_result *r = ingest_bill((const char *)data, size, "fuzz", "fuzz", NULL);
    require(r != NULL);
    const ps_bill *b = ingest_view(r);
    require(b->text_length == size && strlen(b->text) == size);
    for (size_t i = 0; i < b->section_count; i++)
        require_span(b, b->sections[i]->span);
    for (size_t i = 0; i < b->money_count; i++) {
        const ps_money *m = b->money[i];
        require_span(b, m->quote);
        require(!m->counted || (m->kind != PS_MONEY_OTHER && m->amount_usd > 0 && !m->indefinite));
        for (size_t y = 1; y < m->year_count; y++)
            require(m->years[y - 1] < m->years[y]);
    }
    for (size_t i = 0; i < b->tax_provision_count; i++)
        require_span(b, b->tax_provisions[i]->quote);
    require(ingest_window_total(b, 2026, 2035) >= 0);
    ingest_free(r);
    return 0;
}
