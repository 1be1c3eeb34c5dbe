/*
 * analyst_kit — what the four analyst plugins (fiscal, economic, healthcare,
 * social_security) share, compiled into each of them and hidden there (the
 * plugins build with -fvisibility=hidden; nothing here is exported).
 *
 * Owns:
 *   - the checked view of one analysis (kit_run): the bill is validated once
 *     (every span inside the text, every array present) so the analyses never
 *     read out of bounds, and the budget window is taken from the bill;
 *   - reading the bill text: case-insensitive search, the section that holds
 *     an offset, the sentence around an offset, the long title;
 *   - money arithmetic under the counting rules of conf/bills/README.md (R9);
 *   - emitting thoughts and findings (first failure is kept and ends the run);
 *   - the documented scales for confidence and impact (below);
 *   - the debate rule every analyst follows (kit_debate_respond), including
 *     its turns in omission debates (kit_omission.c);
 *   - the plugin around an analysis (kit_agent.c): the ps_agent_def
 *     callbacks and the one exported symbol, ps_agent_query, made from the
 *     KIT_ANALYST each analyst plugin defines.
 *
 * Uses only polisim/polisim.h, libc and libm, so the plugins still build out
 * of tree with `pkg-config --cflags polisim-sdk`.
 *
 * Confidence scale (findings and thoughts). The analyses are automated
 * readings of the text, so no claim is certain; each finding takes the level
 * of its weakest evidence:
 *   KIT_CONF_PRINTED  0.95  a fact printed in the bill (amount, fiscal years,
 *                           kind under rules R1-R13, an IRC section amended);
 *                           the remainder stands for extraction error.
 *   KIT_CONF_DERIVED  0.80  a conclusion drawn from printed facts by a stated
 *                           rule (a credit amount raised from 6,330 to 13,629
 *                           makes the credit larger).
 *   KIT_CONF_ABSENCE  0.70  "the bill has no X": every section was searched
 *                           for the documented markers of X and none matched.
 *   KIT_CONF_LEXICAL  0.60  a classification from the wording alone (a heading
 *                           that says "Removing ... exclusion of coverage").
 * Estimates of a quantity (metric findings) take their confidence from their
 * band instead: kit_band_confidence().
 *
 * Impact scale (impact_magnitude, 0..1): dollar findings use
 * (log10(usd) - 6) / 6 clamped to [0.05, 1] ($1 million -> 0.05, $1 billion
 * -> 0.5, $1 trillion -> 1); changes whose size the text does not print use
 * KIT_IMPACT_UNSIZED (0.5, the middle of the scale: it could be large or
 * small); studies, reports and "no provisions" findings use KIT_IMPACT_MINOR.
 */
#ifndef PS_ANALYST_KIT_H
#define PS_ANALYST_KIT_H

#include <stddef.h>
#include <stdint.h>
#include <polisim/polisim.h>

#define KIT_CONF_PRINTED 0.95
#define KIT_CONF_DERIVED 0.80
#define KIT_CONF_ABSENCE 0.70
#define KIT_CONF_LEXICAL 0.60

#define KIT_IMPACT_UNSIZED 0.5
#define KIT_IMPACT_MINOR 0.05

/* The budget window used when the host's ps_bill predates window_start/_end
 * (FY2026-2035, the window of conf/bills/README.md rule R9). */
#define KIT_DEFAULT_WINDOW_START 2026
#define KIT_DEFAULT_WINDOW_END 2035
#define KIT_MAX_WINDOW_YEARS 100

/* One analyst's part in one analysis. Lives on the analyze() stack. */
typedef struct kit_run {
    const ps_host_api *api;
    ps_instance *inst;
    ps_run *run;
    const ps_bill *bill;
    const char *category;      /* finding category: "fiscal", ... */
    int window_start, window_end;
    char period[24];           /* "FY2026-2035" */
    int rc;                    /* first failure (PS_E*), sticky */
    int error_set;             /* the run's error message is already set */
} kit_run;

/* Checks the bill and fills k. On a bad bill sets the run's error and
 * returns PS_EINVAL. */
int kit_begin(kit_run *k, const ps_host_api *api, ps_instance *inst, ps_run *run, const ps_bill *bill,
              const char *category);
/* PS_ECANCELED (and records it in k->rc) once the host cancelled the run. */
int kit_check_cancel(kit_run *k);
/* Sets the run's error message for k->rc if it is a failure; returns k->rc. */
int kit_finish(kit_run *k);

/* Emits a thought whose content is formatted like printf. Returns k->rc. */
int kit_thought(kit_run *k, const char *type, const char *label, double confidence, const char *section,
                const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* Emits a finding (category filled from k). Returns k->rc. */
int kit_finding(kit_run *k, ps_finding *f);
/* Reports that the bill has nothing the analyst reads: the formatted text as
 * a "conclusion" thought named label and as one finding (KIT_CONF_ABSENCE,
 * KIT_IMPACT_MINOR) citing the bill as a whole (kit_cite_bill). Returns k->rc. */
int kit_report_absence(kit_run *k, const char *label, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* A text being built in caller storage; appends past the end are dropped
 * and the text then ends with "...". */
typedef struct kit_buf {
    char *text;
    size_t size, length;
} kit_buf;
void kit_buf_init(kit_buf *b, char *storage, size_t size);
void kit_buf_add(kit_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- reading the text ---------------------------------------------------- */
/* Offset of the first case-insensitive match of needle in span, or -1. A
 * needle that starts with a letter or digit matches only at the start of a
 * word, so cues may be word stems ("terminat" finds "termination" but not
 * "determination"). */
long kit_find(const ps_bill *b, ps_span span, const char *needle);
/* Where a C string holds needle (as kit_find matches), or -1; NULL holds
 * nothing. kit_contains: whether it does. */
long kit_index_of(const char *haystack, const char *needle);
int kit_contains(const char *haystack, const char *needle);
/* First needle of the NULL-terminated list found in span; *at gets its offset. */
const char *kit_find_any(const ps_bill *b, ps_span span, const char *const *needles, size_t *at);
/* The sentence (or line, whichever is shorter) around offset, within span,
 * trimmed to at most max_len bytes around the offset. */
ps_span kit_sentence(const ps_bill *b, ps_span within, size_t offset, size_t max_len);
/* s itself, or "?" for a missing label. */
const char *kit_label(const char *s);
/* 1 when offset lies inside the section's span. */
int kit_section_holds(const ps_section *s, size_t offset);
/* 1 for sections that enact nothing: headed "Short title", "Findings",
 * "Sense of Congress" or "Purpose". */
int kit_enacts_nothing(const ps_section *s);
/* The first cue of the list found in the heading of s or of a section
 * inside s, or NULL. */
const char *kit_heading_cue(const ps_bill *b, const ps_section *s, const char *const *cues);
/* The span widened to the whole lines it touches. */
ps_span kit_lines(const ps_bill *b, ps_span span);
/* Innermost section whose span holds offset, or NULL. */
const ps_section *kit_section_at(const ps_bill *b, size_t offset);
/* The bill's own section (depth 0) holding offset, or NULL. */
const ps_section *kit_bill_section_at(const ps_bill *b, size_t offset);
/* The bill section numbered like label's leading part ("5(a)" -> "5"). */
const ps_section *kit_bill_section_named(const ps_bill *b, const char *label);
/* The effective-date sentence of a bill section: the first sentence of its
 * "Effective date" subsection, else the sentence with "take effect"; a zero
 * span when it has neither. */
ps_span kit_effective_date(const ps_bill *b, const ps_section *bill_section);
/* The long title ("To amend ...") or a resolution's purpose line: the line
 * after "A BILL", "AN ACT", "JOINT RESOLUTION", ... before the first section;
 * a zero span when there is none. */
ps_span kit_long_title(const ps_bill *b);
/* What a finding about the bill as a whole cites: the long title (section
 * "long title"), else the first sentence of the first section, else the
 * first sentence of the text (section "text"). */
void kit_cite_bill(const ps_bill *b, const char **section, ps_span *quote);
/* Copies a span with runs of white space folded, cut at size with "...". */
char *kit_quote(const ps_bill *b, ps_span span, char *buf, size_t size);
/* The whole text as a span. */
ps_span kit_all(const ps_bill *b);

/* The parameter swaps "striking N [percent] and inserting M [percent]" in a
 * span, with N != M read as numbers ("6,330" -> 6330). */
typedef struct kit_swaps {
    int count, up, down;  /* swaps; of them M > N; M < N */
    int percent;          /* a percentage among them */
    double first_from, first_to;
} kit_swaps;
kit_swaps kit_read_swaps(const ps_bill *b, ps_span span);
/* The first year 1900-2099 written in span (as four digits), or 0. */
int kit_first_year(const ps_bill *b, ps_span span);

/* ---- money (conf/bills/README.md) ------------------------------------------ */
/* Fiscal years of m inside [ws, we]. */
int kit_years_in_window(const ps_money *m, int ws, int we);
/* What m adds to the window total under R9: 0 unless counted and definite;
 * amount x years in window; no-year (R5) and period (R6) sums once (a period
 * sum only when one of its years is in the window). */
int64_t kit_money_in_window(const ps_money *m, int ws, int we);
const char *kit_kind_name(ps_money_kind kind);
const char *kit_tax_kind_name(ps_tax_kind kind);
/* "medicare, tax" (the names of conf/bills/README.md), or "none". */
char *kit_program_names(uint32_t programs, char *buf, size_t size);
/* "$83,403,000" */
char *kit_usd(double usd, char *buf, size_t size);
/* "$417.0 million", "$32.00 billion", "$950,000" */
char *kit_usd_short(double usd, char *buf, size_t size);
double kit_impact_from_usd(double usd);

/* How well an estimate e of a quantity known only to lie in [low, high]
 * (uniformly) is placed: 1 - E|X - e| / high, with
 * E|X - e| = ((e - low)^2 + (high - e)^2) / (2 (high - low)); 1 when the band
 * is a point. The midpoint scores 1 - (high - low) / (4 high), an end point
 * 1 - (high - low) / (2 high). */
double kit_band_factor(double low, double estimate, double high);
/* Confidence of an estimate from printed amounts: KIT_CONF_PRINTED x
 * kit_band_factor x known_share (kit_known_share). */
double kit_band_confidence(double low, double estimate, double high, double known_share);
/* Share of the bill's money items whose amount is printed: counted definite
 * entries / (those + indefinite entries + 1 if the bill has unquantified
 * effects). Indefinite amounts and unprinted entitlement changes widen any
 * band by an amount nobody can read from the text. 1 when there are none. */
double kit_known_share(const ps_bill *b);
/* A counted entry with a printed amount (what R9 adds up). */
int kit_countable(const ps_money *m);

/* The counted money (R9 window sum) of the sections an analyst reads, and
 * the first entry that adds to it, which a finding about the sum cites. */
typedef struct kit_money_sum {
    int64_t usd;
    const char *section; /* NULL until an entry adds to the sum */
    ps_span quote;
} kit_money_sum;

/* Describes the money printed in section s into desc: indefinite amounts,
 * benefit or program parameters (kind "other") and the counted window sum,
 * which it adds to *sum and returns. */
int64_t kit_section_money(const kit_run *k, const ps_section *s, kit_buf *desc, kit_money_sum *sum);
/* Emits the finding of metric for sum: value sum->usd, confidence
 * KIT_CONF_PRINTED x kit_known_share, impact from the amount, citing the
 * sum's first entry. Returns k->rc. */
int kit_money_finding(kit_run *k, const kit_money_sum *sum, const char *metric, const char *text);

/* ---- debate (the rule: kit_debate.c, omission debates: kit_omission.c) ------ */
/* method: one sentence on how this analyst estimates prompt->metric, or NULL
 * if it has no estimate of that metric (the reply is then a "question").
 * self: the agent id to look for in the positions when the host does not
 * name the responder (the plugin's default name). */
int kit_debate_respond(const char *self, const char *method, const ps_debate_prompt *prompt,
                       ps_debate_reply *reply);

/* ---- the plugin (kit_agent.c) ---------------------------------------------- */
/* What makes an analyst plugin. Each plugin defines exactly one, named
 * KIT_ANALYST; the kit's ps_agent_query returns &KIT_ANALYST.agent. */
typedef struct kit_analyst {
    /* Built with KIT_ANALYST_AGENT: name (also the agent id the debate rule
     * looks for), agent_type (also the finding category), label, icon,
     * version, description and settings. */
    ps_agent_def agent;
    /* Bytes of the plugin's settings struct (0: none). create() allocates
     * it zeroed, read_settings fills it and analyze gets it. */
    size_t settings_size;
    /* Reads the host-validated settings at create(); on a bad combination it
     * sets the error and returns a PS_E* code. NULL: nothing to read. */
    int (*read_settings)(const ps_host_api *api, ps_instance *inst, void *settings);
    /* The analysis, between kit_begin and kit_finish (which decides the
     * result from k->rc): returns early after a failed kit_check_cancel. */
    void (*analyze)(kit_run *k, const void *settings);
    /* One sentence on how the analyst estimates metric (never NULL here), or
     * NULL when it has no estimate of it: the method of kit_debate_respond. */
    const char *(*method_for)(const char *metric);
} kit_analyst;

extern const kit_analyst KIT_ANALYST;

/* The ps_agent_def callbacks of every analyst (kit_agent.c). */
int kit_agent_create(const ps_host_api *api, ps_instance *inst, void **state);
void kit_agent_destroy(void *state);
int kit_agent_analyze(void *state, ps_run *run, const ps_bill *bill);
int kit_agent_respond(void *state, ps_run *run, const ps_debate_prompt *prompt, ps_debate_reply *reply);

/* An analyst's ps_agent_def: the fields every analyst shares (struct size,
 * magic, ABI, the analyst role and the kit's callbacks), then the plugin's
 * own given as designated initializers (.name = ..., .label = ...). */
#define KIT_ANALYST_AGENT(...)                                                                                     \
    {                                                                                                              \
        PS_AGENT_DEF_HEADER, .roles = PS_ROLE_ANALYST, .create = kit_agent_create,                                 \
        .destroy = kit_agent_destroy, .analyze = kit_agent_analyze, .debate_respond = kit_agent_respond,           \
        __VA_ARGS__                                                                                                \
    }

#endif
