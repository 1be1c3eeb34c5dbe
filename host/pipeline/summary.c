/*
 * summary — the analysis_complete event: per-agent outcome, debate and
 * consensus totals, and the machine-readable fiscal_summary computed from
 * the ingested bill under the counting rules (conf/bills/README.md).
 */
#include <stdio.h>
#include <string.h>
#include "pipeline/internal.h"

static int64_t entry_window_amount(const ps_bill *b, const ps_money *m)
{
    return ingest_entry_window_amount(m, b->window_start, b->window_end);
}

static void pack_by_kind(msgpack_packer *pk, const ps_bill *b)
{
    static const ps_money_kind kinds[] = {PS_MONEY_AUTHORIZATION, PS_MONEY_APPROPRIATION,
                                          PS_MONEY_DIRECT_SPENDING};
    pack_key(pk, "by_kind");
    msgpack_pack_map(pk, 3);
    for (size_t k = 0; k < 3; k++) {
        int64_t sum = 0;
        for (size_t i = 0; i < b->money_count; i++)
            if (b->money[i]->kind == kinds[k])
                sum = ingest_add_usd(sum, entry_window_amount(b, b->money[i]));
        pack_kv_int(pk, ingest_money_kind_name(kinds[k]), sum);
    }
}

/* Per fiscal year in the window; lump sums and no-year amounts, which no
 * year can claim, are left to unallocated_usd. */
static void pack_by_year(msgpack_packer *pk, const ps_bill *b)
{
    int years = b->window_end - b->window_start + 1;
    pack_key(pk, "by_year");
    msgpack_pack_map(pk, (uint32_t)(years > 0 ? years : 0));
    for (int year = b->window_start; year <= b->window_end; year++) {
        int64_t sum = 0;
        for (size_t i = 0; i < b->money_count; i++) {
            const ps_money *m = b->money[i];
            if (!m->counted || m->indefinite || m->period_total)
                continue;
            for (size_t y = 0; y < m->year_count; y++)
                sum = ingest_add_usd(sum, m->years[y] == year ? m->amount_usd : 0);
        }
        char key[16];
        snprintf(key, sizeof key, "%d", year);
        pack_kv_int(pk, key, sum);
    }
}

static void pack_unallocated(msgpack_packer *pk, const ps_bill *b)
{
    int64_t unallocated = 0;
    for (size_t i = 0; i < b->money_count; i++) {
        const ps_money *m = b->money[i];
        if (m->year_count == 0 || m->period_total)
            unallocated = ingest_add_usd(unallocated, entry_window_amount(b, m));
    }
    pack_kv_int(pk, "unallocated_usd", unallocated);
}

static void pack_tax_provisions(msgpack_packer *pk, const ps_bill *b)
{
    pack_key(pk, "tax_provisions");
    msgpack_pack_array(pk, (uint32_t)b->tax_provision_count);
    for (size_t i = 0; i < b->tax_provision_count; i++) {
        msgpack_pack_map(pk, 3);
        pack_kv_str(pk, "section", b->tax_provisions[i]->section);
        pack_kv_str(pk, "bill_section", b->tax_provisions[i]->bill_section);
        pack_kv_str(pk, "kind", ingest_tax_kind_name(b->tax_provisions[i]->kind));
    }
}

static void pack_programs(msgpack_packer *pk, const ps_bill *b)
{
    uint32_t count = 0;
    for (uint32_t bit = 1; bit <= PS_PROGRAM_HEALTH_OTHER; bit <<= 1)
        count += (b->programs & bit) != 0;
    pack_key(pk, "programs_touched");
    msgpack_pack_array(pk, count ? count : 1);
    if (!count)
        envelope_pack_cstr(pk, "none");
    for (uint32_t bit = 1; bit <= PS_PROGRAM_HEALTH_OTHER; bit <<= 1)
        if (b->programs & bit)
            envelope_pack_cstr(pk, ingest_program_name(bit));
}

static void pack_fiscal_summary(msgpack_packer *pk, const ps_bill *b)
{
    int has_indefinite = 0;
    for (size_t i = 0; i < b->money_count; i++)
        has_indefinite |= b->money[i]->indefinite;
    pack_key(pk, "fiscal_summary");
    msgpack_pack_map(pk, 10);
    pack_kv_int(pk, "window_start", b->window_start);
    pack_kv_int(pk, "window_end", b->window_end);
    pack_kv_int(pk, "total_usd", ingest_window_total(b, b->window_start, b->window_end));
    pack_by_kind(pk, b);
    pack_by_year(pk, b);
    pack_unallocated(pk, b);
    pack_kv_bool(pk, "has_indefinite", has_indefinite);
    pack_kv_bool(pk, "unquantified_effects", b->unquantified_effects);
    pack_tax_provisions(pk, b);
    pack_programs(pk, b);
}

static void pack_agents(msgpack_packer *pk, const analysis *an)
{
    pack_key(pk, "agents");
    msgpack_pack_array(pk, (uint32_t)an->run_count);
    for (size_t i = 0; i < an->run_count; i++) {
        const ps_run *r = an->runs[i];
        msgpack_pack_map(pk, 3);
        pack_kv_str(pk, "agent_id", r->agent->id);
        pack_kv_str(pk, "status", run_status_name(r->status));
        pack_kv_int(pk, "findings_count", r->finding_count);
    }
}

void stage_synthesize(analysis *an, const char *status)
{
    envelope_writer w;
    msgpack_packer *pk = &w.packer;
    publish_begin(&w, an, "analysis_complete", NULL, 6);
    pack_kv_str(pk, "analysis_id", an->id);
    pack_kv_str(pk, "bill_id", an->bill_id);
    pack_kv_str(pk, "title", an->title);
    pack_kv_str(pk, "status", status);
    pack_kv_double(pk, "duration_seconds", (double)(monotonic_ns() - an->started_ns) / 1e9);
    pack_key(pk, "summary");
    pthread_mutex_lock(&an->lock);
    msgpack_pack_map(pk, an->ingest ? 5 : 4);
    pack_agents(pk, an);
    pack_kv_int(pk, "findings_count", (int64_t)an->finding_count);
    pack_kv_int(pk, "debates_count", (int64_t)an->debate_count);
    pack_key(pk, "consensus");
    if (an->consensus_data)
        msgpack_sbuffer_write(&w.buffer, an->consensus_data, an->consensus_size);
    else
        msgpack_pack_nil(pk);
    if (an->ingest)
        pack_fiscal_summary(pk, ingest_view(an->ingest));
    pthread_mutex_unlock(&an->lock);
    publish_end(&w, an);
}
