/*
 * analysts_recorder — the fake host of test_analysts.c (included by it
 * only): a ps_host_api whose emits copy every finding and count every
 * thought into a recorder, whose settings are the plugin's declared
 * defaults, and whose cancelled() answers the recorder's flag.
 *
 * The opaque SDK handles are defined here as views of one recorder, so a
 * plugin's ps_run and ps_instance lead back to where its output goes.
 */
#ifndef TEST_ANALYSTS_RECORDER_H
#define TEST_ANALYSTS_RECORDER_H

#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ingest/ingest.h"
#include "polisim/polisim.h"

typedef struct recorded_finding {
    char *description;
    char *related_section;       /* NULL when the plugin gave none */
    char *metric;                /* NULL when none */
    char *quote_text;            /* the cited bill text ("" for none) */
    double value, confidence, impact;
    int has_impact, impact_is_revenue;
    double amount_billions, band[3];
    char time_period[32];
} recorded_finding;

typedef struct recorder recorder;
struct ps_run { recorder *owner; };
struct ps_instance { recorder *owner; };

struct recorder {
    const ps_agent_def *def;
    const ps_bill *bill;
    recorded_finding *findings;
    size_t finding_count, finding_capacity;
    size_t thought_count;
    char error[512];
    int cancelled;
    ingest_result *owned_ingest; /* freed with the recorder */
    struct ps_run run;
    struct ps_instance instance;
};

static char *recorder_dup(const char *s)
{
    return s ? strdup(s) : NULL;
}

static const ps_setting_def *recorder_setting(ps_instance *inst, const char *name)
{
    const ps_agent_def *def = inst->owner->def;
    for (size_t i = 0; def->settings && def->settings[i]; i++)
        if (strcmp(def->settings[i]->name, name) == 0)
            return def->settings[i];
    ck_abort_msg("%s asked for undeclared setting %s", def->name, name);
    return NULL;
}

static void fake_log(ps_instance *inst, int level, const char *fmt, ...)
{
    (void)inst;
    (void)level;
    (void)fmt;
}

static void fake_set_error(ps_instance *inst, ps_run *run, const char *fmt, ...)
{
    recorder *rec = run ? run->owner : inst->owner;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(rec->error, sizeof rec->error, fmt, ap);
    va_end(ap);
}

static const char *fake_strerror(int code)
{
    return code == PS_ECANCELED ? "cancelled" : "error";
}

static const char *fake_setting_string(ps_instance *inst, const char *name)
{
    return recorder_setting(inst, name)->default_value;
}

static int64_t fake_setting_int(ps_instance *inst, const char *name)
{
    return strtoll(recorder_setting(inst, name)->default_value, NULL, 10);
}

static double fake_setting_double(ps_instance *inst, const char *name)
{
    return strtod(recorder_setting(inst, name)->default_value, NULL);
}

static int fake_setting_bool(ps_instance *inst, const char *name)
{
    return strcmp(recorder_setting(inst, name)->default_value, "true") == 0;
}

static int fake_cancelled(ps_run *run)
{
    return run->owner->cancelled;
}

static int fake_emit_thought(ps_run *run, const ps_thought *t)
{
    ck_assert_msg(t->content && t->content[0] && t->thought_type, "empty thought");
    run->owner->thought_count++;
    return PS_OK;
}

static int fake_emit_finding(ps_run *run, const ps_finding *f, char *id_out, size_t id_size)
{
    recorder *rec = run->owner;
    const ps_bill *b = rec->bill;
    if (rec->finding_count == rec->finding_capacity) {
        rec->finding_capacity = rec->finding_capacity ? 2 * rec->finding_capacity : 16;
        rec->findings = realloc(rec->findings, rec->finding_capacity * sizeof *rec->findings);
        ck_assert_ptr_nonnull(rec->findings);
    }
    ck_assert_msg(f->quote.offset <= b->text_length && f->quote.length <= b->text_length - f->quote.offset,
                  "quote outside the text");
    recorded_finding *x = &rec->findings[rec->finding_count++];
    memset(x, 0, sizeof *x);
    x->description = recorder_dup(f->description);
    x->related_section = recorder_dup(f->related_section);
    x->metric = recorder_dup(f->metric);
    x->quote_text = strndup(b->text + f->quote.offset, f->quote.length);
    x->value = f->value;
    x->confidence = f->confidence;
    x->impact = f->impact_magnitude;
    if (f->fiscal_impact) {
        x->has_impact = 1;
        x->impact_is_revenue = f->fiscal_impact->is_revenue;
        x->amount_billions = f->fiscal_impact->amount_billions;
        x->band[0] = f->fiscal_impact->confidence_low;
        x->band[1] = f->fiscal_impact->confidence_mid;
        x->band[2] = f->fiscal_impact->confidence_high;
        snprintf(x->time_period, sizeof x->time_period, "%s", f->fiscal_impact->time_period);
    }
    if (id_out && id_size)
        snprintf(id_out, id_size, "%s-%zu", rec->def->name, rec->finding_count);
    return PS_OK;
}

static const ps_host_api FAKE_API = {
    .struct_size = sizeof(ps_host_api),
    .abi_major = PS_ABI_MAJOR,
    .abi_minor = PS_ABI_MINOR,
    .log = fake_log,
    .set_error = fake_set_error,
    .strerror = fake_strerror,
    .setting_string = fake_setting_string,
    .setting_int = fake_setting_int,
    .setting_double = fake_setting_double,
    .setting_bool = fake_setting_bool,
    .cancelled = fake_cancelled,
    .emit_thought = fake_emit_thought,
    .emit_finding = fake_emit_finding,
};

static const ps_host_api *recorder_api(void)
{
    return &FAKE_API;
}

static void recorder_init(recorder *rec, const ps_agent_def *def, const ps_bill *bill)
{
    memset(rec, 0, sizeof *rec);
    rec->def = def;
    rec->bill = bill;
    rec->run.owner = rec;
    rec->instance.owner = rec;
}

static ps_run *recorder_run(recorder *rec)
{
    return &rec->run;
}

static ps_instance *recorder_instance(recorder *rec)
{
    return &rec->instance;
}

/* Runs rec's plugin on rec's bill as the host does (create, analyze,
 * destroy); returns analyze()'s code. */
static int recorder_analyze(recorder *rec)
{
    void *state = NULL;
    ck_assert_int_eq(rec->def->create(recorder_api(), recorder_instance(rec), &state), PS_OK);
    int rc = rec->def->analyze(state, recorder_run(rec), rec->bill);
    rec->def->destroy(state);
    return rc;
}

/* The first finding estimating metric, or NULL. */
static const recorded_finding *recorder_metric(const recorder *rec, const char *metric)
{
    for (size_t i = 0; i < rec->finding_count; i++)
        if (rec->findings[i].metric && strcmp(rec->findings[i].metric, metric) == 0)
            return &rec->findings[i];
    return NULL;
}

/* The first finding whose description holds needle, or NULL. */
static const recorded_finding *recorder_find(const recorder *rec, const char *needle)
{
    for (size_t i = 0; i < rec->finding_count; i++)
        if (strstr(rec->findings[i].description, needle))
            return &rec->findings[i];
    return NULL;
}

static void recorder_free(recorder *rec)
{
    for (size_t i = 0; i < rec->finding_count; i++) {
        free(rec->findings[i].description);
        free(rec->findings[i].related_section);
        free(rec->findings[i].metric);
        free(rec->findings[i].quote_text);
    }
    free(rec->findings);
    if (rec->owned_ingest)
        ingest_free(rec->owned_ingest);
    memset(rec, 0, sizeof *rec);
}

#endif
