/*
 * word_count — a complete minimal analyst plugin (the SDK guide's example).
 *
 * Reports how long the bill is and how many of its sections mention a
 * configurable keyword. Build out of tree with:
 *   cc $(pkg-config --cflags polisim-sdk) -shared -o word_count.so word_count.c
 */
#include <polisim/polisim.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const ps_host_api *api;
    char keyword[64];
} state_t;

static const ps_setting_def keyword_setting = {
    .struct_size = sizeof(ps_setting_def), .name = "keyword", .type = PS_SETTING_STRING,
    .default_value = "appropriated", .description = "word to look for in each section"};
static const ps_setting_def *const settings[] = {&keyword_setting, NULL};

static int create(const ps_host_api *api, ps_instance *inst, void **out)
{
    state_t *s = calloc(1, sizeof *s);
    if (!s)
        return PS_ENOMEM;
    s->api = api;
    snprintf(s->keyword, sizeof s->keyword, "%s", api->setting_string(inst, "keyword"));
    *out = s;
    return PS_OK;
}

static void destroy(void *state) { free(state); }

/* Does the section's text contain the keyword? */
static int mentions(const ps_bill *bill, const ps_section *sec, const char *word)
{
    size_t n = strlen(word);
    for (size_t i = 0; i + n <= sec->span.length; i++)
        if (memcmp(bill->text + sec->span.offset + i, word, n) == 0)
            return 1;
    return 0;
}

static int analyze(void *state, ps_run *run, const ps_bill *bill)
{
    state_t *s = state;
    size_t hits = 0;
    const ps_section *first = NULL;
    for (size_t i = 0; i < bill->section_count; i++) {
        if (s->api->cancelled(run))
            return PS_ECANCELED;
        if (mentions(bill, bill->sections[i], s->keyword)) {
            hits++;
            first = first ? first : bill->sections[i];
        }
    }
    char text[256];
    snprintf(text, sizeof text, "%zu of %zu sections mention \"%s\"", hits, bill->section_count, s->keyword);
    ps_thought thought = {.struct_size = sizeof thought, .thought_type = "observation",
                          .label = "Keyword scan", .content = text, .confidence = 1.0};
    s->api->emit_thought(run, &thought);
    ps_finding finding = {.struct_size = sizeof finding, .category = "text", .description = text,
                          .confidence = 1.0, .impact_magnitude = 0.1,
                          .related_section = first ? first->number : NULL,
                          .quote = first ? first->span : (ps_span){0, 0}};
    return s->api->emit_finding(run, &finding, NULL, 0);
}

static int debate_respond(void *state, ps_run *run, const ps_debate_prompt *prompt, ps_debate_reply *reply)
{
    (void)state, (void)run, (void)prompt;
    reply->turn_type = "question";   /* no estimate of any metric: it only listens */
    reply->argument = "I count words; I have no estimate of this quantity.";
    reply->confidence = 0.0;
    return PS_OK;
}

static const ps_agent_def definition = {
    PS_AGENT_DEF_HEADER,
    .name = "word_count", .label = "Word Counter", .icon = "#", .agent_type = "text",
    .version = "1.0.0", .description = "counts sections mentioning a keyword",
    .roles = PS_ROLE_ANALYST, .settings = settings,
    .create = create, .destroy = destroy, .analyze = analyze, .debate_respond = debate_respond};

PS_AGENT_QUERY_RETURNING(definition)
