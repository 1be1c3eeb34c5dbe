/*
 * loadgen — an analyst plugin that generates stream load for the
 * integration tests and the benchmark.
 *
 * It emits `count` items, numbered 1..count, at `rate` items per second
 * (0 = as fast as it can), each carrying its number and a CLOCK_MONOTONIC
 * stamp taken just before the emit, so a client on the same machine can
 * measure end-to-end latency:
 *   kind=custom   agent_event "load" with data {seq, mono_ns, pad}
 *   kind=thought  a thought whose content is "seq=N mono_ns=T pad"
 *   kind=finding  a finding whose description is "seq=N mono_ns=T pad"
 *   kind=mixed    thoughts, with every `finding_every`-th item a finding
 * `payload_bytes` of padding make items bigger. It honours cancellation.
 * Uses only the SDK header (the MessagePack map is written by hand).
 */
#include <polisim/polisim.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef enum { KIND_CUSTOM, KIND_THOUGHT, KIND_FINDING, KIND_MIXED } load_kind;

typedef struct {
    const ps_host_api *api;
    int64_t count;
    double rate;
    load_kind kind;
    int64_t finding_every;
    size_t payload_bytes;
} loadgen;

#define SETTING(n, t, d, desc, lo, hi) \
    {.struct_size = sizeof(ps_setting_def), .name = n, .type = t, .default_value = d, \
     .description = desc, .has_range = 1, .min = lo, .max = hi}

static const ps_setting_def count_setting = SETTING("count", PS_SETTING_INT, "1000", "items to emit", 0, 10000000);
static const ps_setting_def rate_setting =
    SETTING("rate", PS_SETTING_DOUBLE, "0", "items per second (0 = as fast as possible)", 0, 1e9);
static const ps_setting_def every_setting =
    SETTING("finding_every", PS_SETTING_INT, "10", "kind=mixed: every Nth item is a finding", 1, 1000000);
static const ps_setting_def payload_setting =
    SETTING("payload_bytes", PS_SETTING_INT, "0", "padding added to each item", 0, 60000);
static const ps_setting_def kind_setting = {
    .struct_size = sizeof(ps_setting_def), .name = "kind", .type = PS_SETTING_STRING, .default_value = "custom",
    .description = "custom | thought | finding | mixed"};
static const ps_setting_def *const settings[] = {&count_setting, &rate_setting, &kind_setting, &every_setting,
                                                 &payload_setting, NULL};

static int64_t monotonic_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int parse_kind(const char *text, load_kind *out)
{
    static const char *const names[] = {"custom", "thought", "finding", "mixed"};
    for (int i = 0; i < 4; i++)
        if (text && strcmp(text, names[i]) == 0) {
            *out = (load_kind)i;
            return 0;
        }
    return -1;
}

static int create(const ps_host_api *api, ps_instance *inst, void **out)
{
    loadgen *g = calloc(1, sizeof *g);
    if (!g)
        return PS_ENOMEM;
    g->api = api;
    g->count = api->setting_int(inst, "count");
    g->rate = api->setting_double(inst, "rate");
    g->finding_every = api->setting_int(inst, "finding_every");
    g->payload_bytes = (size_t)api->setting_int(inst, "payload_bytes");
    if (parse_kind(api->setting_string(inst, "kind"), &g->kind) != 0) {
        api->set_error(inst, NULL, "kind must be custom, thought, finding or mixed");
        free(g);
        return PS_EINVAL;
    }
    *out = g;
    return PS_OK;
}

static void destroy(void *state)
{
    free(state);
}

/* ---- a hand-written MessagePack map {seq, mono_ns, pad} ------------------------------ */

static unsigned char *put_uint64(unsigned char *p, uint64_t v)
{
    *p++ = 0xcf;
    for (int shift = 56; shift >= 0; shift -= 8)
        *p++ = (unsigned char)(v >> shift);
    return p;
}

static unsigned char *put_str(unsigned char *p, const char *s, size_t n)
{
    if (n < 32) {
        *p++ = (unsigned char)(0xa0 | n);
    } else {
        *p++ = 0xda;
        *p++ = (unsigned char)(n >> 8);
        *p++ = (unsigned char)n;
    }
    memcpy(p, s, n);
    return p + n;
}

static int emit_custom(loadgen *g, ps_run *run, int64_t seq, const char *pad, size_t pad_length)
{
    unsigned char buffer[64 + 65536];
    unsigned char *p = buffer;
    *p++ = 0x83; /* map of 3 */
    p = put_str(p, "seq", 3);
    p = put_uint64(p, (uint64_t)seq);
    p = put_str(p, "mono_ns", 7);
    p = put_uint64(p, (uint64_t)monotonic_ns());
    p = put_str(p, "pad", 3);
    p = put_str(p, pad, pad_length);
    return g->api->emit_custom(run, "load", buffer, (size_t)(p - buffer));
}

/* ---- emitting --------------------------------------------------------------------- */

static int emit_item(loadgen *g, ps_run *run, int64_t seq, const char *pad)
{
    load_kind kind = g->kind;
    if (kind == KIND_MIXED)
        kind = seq % g->finding_every == 0 ? KIND_FINDING : KIND_THOUGHT;
    if (kind == KIND_CUSTOM)
        return emit_custom(g, run, seq, pad, g->payload_bytes);
    char text[128 + 60001];
    snprintf(text, sizeof text, "seq=%lld mono_ns=%lld %s", (long long)seq, (long long)monotonic_ns(), pad);
    if (kind == KIND_THOUGHT) {
        ps_thought t = {.struct_size = sizeof t, .thought_type = "observation", .label = "load",
                        .content = text, .confidence = 0.5};
        return g->api->emit_thought(run, &t);
    }
    ps_finding f = {.struct_size = sizeof f, .category = "load", .description = text, .confidence = 0.5,
                    .impact_magnitude = 0.1};
    return g->api->emit_finding(run, &f, NULL, 0);
}

static void wait_until(int64_t deadline_ns)
{
    int64_t left = deadline_ns - monotonic_ns();
    if (left > 0) {
        struct timespec ts = {(time_t)(left / 1000000000LL), (long)(left % 1000000000LL)};
        nanosleep(&ts, NULL);
    }
}

static int analyze(void *state, ps_run *run, const ps_bill *bill)
{
    (void)bill;
    loadgen *g = state;
    char *pad = malloc(g->payload_bytes + 1);
    if (!pad)
        return PS_ENOMEM;
    memset(pad, 'x', g->payload_bytes);
    pad[g->payload_bytes] = '\0';
    int64_t start = monotonic_ns();
    int rc = PS_OK;
    for (int64_t seq = 1; seq <= g->count && rc == PS_OK; seq++) {
        if (g->api->cancelled(run)) {
            rc = PS_ECANCELED;
            break;
        }
        if (g->rate > 0)
            wait_until(start + (int64_t)((double)(seq - 1) * 1e9 / g->rate));
        rc = emit_item(g, run, seq, pad);
    }
    free(pad);
    return rc;
}

static int debate_respond(void *state, ps_run *run, const ps_debate_prompt *prompt, ps_debate_reply *reply)
{
    (void)state, (void)run, (void)prompt;
    reply->turn_type = "question";
    reply->argument = "load generator: no position";
    return PS_OK;
}

static const ps_agent_def definition = {
    .struct_size = sizeof(ps_agent_def), .magic = PS_AGENT_MAGIC, .abi_major = PS_ABI_MAJOR,
    .abi_minor = PS_ABI_MINOR, .name = "loadgen", .label = "Load Generator", .icon = "~", .agent_type = "load",
    .version = "1.0.0", .description = "emits numbered, time-stamped items for stream tests and benchmarks",
    .roles = PS_ROLE_ANALYST, .settings = settings, .create = create, .destroy = destroy, .analyze = analyze,
    .debate_respond = debate_respond};

PS_EXPORT const ps_agent_def *ps_agent_query(uint16_t host_abi_major, uint16_t host_abi_minor)
{
    (void)host_abi_minor;
    return host_abi_major == PS_ABI_MAJOR ? &definition : NULL;
}
