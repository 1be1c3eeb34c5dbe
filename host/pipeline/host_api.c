/*
 * host_api — the ps_host_api table plugins call, and the run-side emits.
 *
 * Owns the translation from SDK structs to bus envelopes: each emit checks
 * the run is still open (nothing may follow agent_completed), copies what it
 * keeps (findings, debate outcomes) into the analysis, and publishes.
 * Structs from plugins are read through struct_size (older and newer
 * plugins alike); plugin MessagePack is validated before it goes anywhere.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pipeline/internal.h"
#include "plugin/loader_api.h"
#include "bus/mp_check.h"
#include "bus/wire_json.h"

int read_struct(void *dst, size_t dst_size, const void *src, size_t minimum)
{
    memset(dst, 0, dst_size);
    if (!src)
        return PS_EINVAL;
    uint32_t size = *(const uint32_t *)src;
    if (size < minimum)
        return PS_EINVAL;
    memcpy(dst, src, size < dst_size ? size : dst_size);
    return PS_OK;
}

static const char *ps_strerror(int code)
{
    switch (code) {
    case PS_OK: return "ok";
    case PS_EINVAL: return "PS_EINVAL: invalid argument";
    case PS_ENOMEM: return "PS_ENOMEM: out of memory";
    case PS_ECANCELED: return "PS_ECANCELED: cancelled";
    case PS_EIO: return "PS_EIO: input/output error";
    case PS_ENOTSUP: return "PS_ENOTSUP: not supported";
    case PS_EFAILED: return "PS_EFAILED: analysis failed";
    case PS_ELIMIT: return "PS_ELIMIT: limit exceeded";
    default: return "unknown error code";
    }
}

static void api_set_error(ps_instance *inst, ps_run *run, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (run) {
        pthread_mutex_lock(&run->lock);
        if (!run->closed)
            vsnprintf(run->error, sizeof run->error, fmt, ap);
        pthread_mutex_unlock(&run->lock);
    } else if (inst) {
        vsnprintf(inst->error, sizeof inst->error, fmt, ap); /* create() runs on the main thread */
    }
    va_end(ap);
}

static int api_cancelled(ps_run *run)
{
    return run && (atomic_load(&run->cancelled) || atomic_load(&run->an->cancelled));
}

int run_accepting(ps_run *run)
{
    return !run->closed && !api_cancelled(run);
}

int emit_lock(ps_run *run)
{
    if (!run)
        return PS_EINVAL;
    pthread_mutex_lock(&run->lock);
    if (!run_accepting(run)) {
        pthread_mutex_unlock(&run->lock);
        return PS_ECANCELED;
    }
    return PS_OK;
}

int reject_emit(ps_run *run, int code, const char *what, const char *why)
{
    run->misbehaved = 1;
    publish_error(run->an, run->agent->id, NULL, "agent '%s' emitted an invalid %s: %s", run->agent->id,
                  what, why);
    pthread_mutex_unlock(&run->lock);
    return code;
}

static int api_emit_thought(ps_run *run, const ps_thought *in)
{
    ps_thought t;
    int rc = emit_lock(run);
    if (rc)
        return rc;
    if (READ_STRUCT(t, in, V1_SIZE(ps_thought, related_section)) || !t.content)
        return reject_emit(run, PS_EINVAL, "thought", "missing struct or content");
    char id[96], stamp[40];
    snprintf(id, sizeof id, "%s-t%u", run->agent->id, ++run->thought_count);
    wire_timestamp(envelope_now_ns(), stamp, sizeof stamp);
    envelope_writer w;
    publish_begin(&w, run->an, "agent_thought", run->agent->id, 8);
    pack_kv_str(&w.packer, "thought_id", id);
    pack_kv_str(&w.packer, "agent_id", run->agent->id);
    pack_kv_str(&w.packer, "thought_type", t.thought_type ? t.thought_type : "observation");
    pack_kv_str(&w.packer, "thought_label", t.label);
    pack_kv_str(&w.packer, "content", t.content);
    pack_kv_double(&w.packer, "confidence", t.confidence);
    pack_kv_str(&w.packer, "related_section", t.related_section);
    pack_kv_str(&w.packer, "timestamp", stamp);
    publish_end(&w, run->an);
    pthread_mutex_unlock(&run->lock);
    return PS_OK;
}

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

static stored_finding *store_finding(ps_run *run, const ps_finding *f, const ps_fiscal_impact *impact)
{
    stored_finding *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->finding = *f;
    const char *src[6] = {f->category, f->description, f->related_section, f->metric,
                          impact ? impact->time_period : NULL, run->agent->id};
    for (int i = 0; i < 6; i++)
        s->strings[i] = dup_or_null(src[i]);
    s->finding.category = s->strings[0];
    s->finding.description = s->strings[1];
    s->finding.related_section = s->strings[2];
    s->finding.metric = s->strings[3];
    s->finding.fiscal_impact = NULL;
    if (impact) {
        s->impact = *impact;
        s->impact.struct_size = sizeof s->impact;
        s->impact.time_period = s->strings[4];
        s->finding.fiscal_impact = &s->impact;
    }
    s->finding.struct_size = sizeof s->finding;
    snprintf(s->id, sizeof s->id, "%s-%u", run->agent->id, run->finding_count + 1);
    s->record = (ps_finding_record){sizeof s->record, s->id, s->strings[5], &s->finding};
    return s;
}

static int append_finding(analysis *an, stored_finding *s)
{
    pthread_mutex_lock(&an->lock);
    if (an->finding_count == an->finding_capacity) {
        size_t cap = an->finding_capacity ? an->finding_capacity * 2 : 32;
        stored_finding **grown = realloc(an->findings, cap * sizeof *grown);
        if (!grown) {
            pthread_mutex_unlock(&an->lock);
            return PS_ENOMEM;
        }
        an->findings = grown;
        an->finding_capacity = cap;
    }
    an->findings[an->finding_count++] = s;
    pthread_mutex_unlock(&an->lock);
    return PS_OK;
}

static void stored_finding_free(stored_finding *s)
{
    for (int i = 0; i < 6; i++)
        free(s->strings[i]);
    free(s);
}

void findings_free(analysis *an)
{
    for (size_t i = 0; i < an->finding_count; i++)
        stored_finding_free(an->findings[i]);
    free(an->findings);
    an->findings = NULL;
    an->finding_count = an->finding_capacity = 0;
}

static void pack_fiscal_impact(msgpack_packer *pk, const ps_fiscal_impact *fi)
{
    pack_key(pk, "fiscal_impact");
    if (!fi) {
        msgpack_pack_nil(pk);
        return;
    }
    msgpack_pack_map(pk, 6);
    pack_kv_double(pk, "amount_billions", fi->amount_billions);
    pack_kv_str(pk, "time_period", fi->time_period);
    pack_kv_double(pk, "confidence_low", fi->confidence_low);
    pack_kv_double(pk, "confidence_mid", fi->confidence_mid);
    pack_kv_double(pk, "confidence_high", fi->confidence_high);
    pack_kv_bool(pk, "is_revenue", fi->is_revenue);
}

static void pack_quote(msgpack_packer *pk, const ps_bill *bill, ps_span quote)
{
    pack_key(pk, "quote");
    if (quote.length == 0 || quote.offset > bill->text_length || quote.length > bill->text_length - quote.offset) {
        msgpack_pack_nil(pk);
        return;
    }
    msgpack_pack_map(pk, 3);
    pack_kv_int(pk, "offset", (int64_t)quote.offset);
    pack_kv_int(pk, "length", (int64_t)quote.length);
    pack_key(pk, "text");
    msgpack_pack_str(pk, quote.length);
    msgpack_pack_str_body(pk, bill->text + quote.offset, quote.length);
}

static void publish_finding(ps_run *run, const stored_finding *s, ps_span quote)
{
    const ps_finding *f = &s->finding;
    envelope_writer w;
    publish_begin(&w, run->an, "agent_finding", run->agent->id, 11);
    pack_kv_str(&w.packer, "agent_id", run->agent->id);
    pack_kv_str(&w.packer, "finding_id", s->id);
    pack_kv_str(&w.packer, "category", f->category);
    pack_kv_str(&w.packer, "description", f->description);
    pack_kv_double(&w.packer, "confidence", f->confidence);
    pack_kv_double(&w.packer, "impact_magnitude", f->impact_magnitude);
    pack_fiscal_impact(&w.packer, f->fiscal_impact);
    pack_kv_str(&w.packer, "related_section", f->related_section);
    pack_kv_str(&w.packer, "metric", f->metric);
    pack_key(&w.packer, "value");
    if (f->metric)
        msgpack_pack_double(&w.packer, f->value);
    else
        msgpack_pack_nil(&w.packer);
    pack_quote(&w.packer, ingest_view(run->an->ingest), quote);
    publish_end(&w, run->an);
}

static int api_emit_finding(ps_run *run, const ps_finding *in, char *id_out, size_t id_size)
{
    ps_finding f;
    ps_fiscal_impact impact;
    int rc = emit_lock(run);
    if (rc)
        return rc;
    if (READ_STRUCT(f, in, V1_SIZE(ps_finding, quote)) || !f.description)
        return reject_emit(run, PS_EINVAL, "finding", "missing struct or description");
    int has_impact = f.fiscal_impact != NULL;
    if (has_impact && READ_STRUCT(impact, f.fiscal_impact, V1_SIZE(ps_fiscal_impact, is_revenue)))
        return reject_emit(run, PS_EINVAL, "finding", "fiscal_impact struct too small");
    stored_finding *s = store_finding(run, &f, has_impact ? &impact : NULL);
    if (!s || append_finding(run->an, s) != PS_OK) {
        if (s)
            stored_finding_free(s);
        pthread_mutex_unlock(&run->lock);
        return PS_ENOMEM;
    }
    run->finding_count++;
    run->confidence_sum += f.confidence;
    publish_finding(run, s, f.quote);
    if (id_out && id_size)
        snprintf(id_out, id_size, "%s", s->id);
    pthread_mutex_unlock(&run->lock);
    return PS_OK;
}

static int api_emit_custom(ps_run *run, const char *name, const void *bytes, size_t size)
{
    char why[160];
    int rc = emit_lock(run);
    if (rc)
        return rc;
    if (!name || !*name)
        return reject_emit(run, PS_EINVAL, "custom event", "no name");
    if (mp_check_map(bytes, size, &MP_DEFAULT_LIMITS, why, sizeof why) != 0)
        return reject_emit(run, PS_EINVAL, "MessagePack payload", why);
    envelope_writer w;
    publish_begin(&w, run->an, "agent_event", run->agent->id, 3);
    pack_kv_str(&w.packer, "agent_id", run->agent->id);
    pack_kv_str(&w.packer, "name", name);
    pack_key(&w.packer, "data");
    msgpack_sbuffer_write(&w.buffer, bytes, size);
    publish_end(&w, run->an);
    pthread_mutex_unlock(&run->lock);
    return PS_OK;
}

static const ps_host_api HOST_API = {
    .struct_size = sizeof(ps_host_api),
    .abi_major = PS_ABI_MAJOR,
    .abi_minor = PS_ABI_MINOR,
    .log = instance_log,
    .set_error = api_set_error,
    .strerror = ps_strerror,
    .setting_string = instance_setting_string,
    .setting_int = instance_setting_int,
    .setting_double = instance_setting_double,
    .setting_bool = instance_setting_bool,
    .resolve_path = instance_resolve_path,
    .cancelled = api_cancelled,
    .emit_thought = api_emit_thought,
    .emit_finding = api_emit_finding,
    .emit_custom = api_emit_custom,
    .debate_open = api_debate_open,
    .debate_ask = api_debate_ask,
    .debate_converge = api_debate_converge,
    .debate_close = api_debate_close,
    .emit_consensus = api_emit_consensus,
};

const ps_host_api *pipeline_host_api(void)
{
    return &HOST_API;
}
