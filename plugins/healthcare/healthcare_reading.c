/*
 * healthcare_reading — the documented lexicon the healthcare analyst reads a
 * bill section with (see healthcare.h).
 *
 *   Program markers: the names and Social Security Act titles of each health
 *   program (PROGRAMS below); a marker followed by " Act" is part of a law's
 *   name ("Choose Medicare Act") and is not a reference to the program.
 *   Topics: what a section changes (TOPICS), found anywhere in its text.
 *   Direction of federal health spending, first rule that applies:
 *     1. the section provides counted or indefinite money -> it raises
 *        spending (confidence KIT_CONF_DERIVED);
 *     2. only when a spending topic is present (coverage, eligibility,
 *        cost-sharing, premiums, provider payment, research and grants): a cue
 *        in the section's heading or its subsection headings, RAISES_CUES or
 *        LOWERS_CUES (KIT_CONF_LEXICAL);
 *     3. otherwise the text shows no direction (market rules, studies).
 *   Medicare trust funds: part A is paid from the Federal Hospital Insurance
 *   (HI) trust fund, parts B and D from the Federal Supplementary Medical
 *   Insurance (SMI) trust fund (Social Security Act secs. 1817 and 1841); a
 *   section that names the fund or the part says which one pays ("part B of
 *   title VII" or "part B of the ... Act" is another law's part and does not
 *   count).
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include "healthcare.h"

typedef struct program_markers {
    uint32_t bit;
    const char *name;
    const char *const *cues;
} program_markers;

static const char *const MEDICARE_CUES[] = {"Medicare", "title XVIII", NULL};
static const char *const MEDICAID_CUES[] = {"Medicaid", "title XIX", "title XXI", NULL};
static const char *const OTHER_HEALTH_CUES[] = {
    "Public Health Service Act", "Patient Protection and Affordable Care Act", "qualified health plan",
    "premium assistance credit", "premium tax credit", "National Institutes of Health", "National Institute of",
    "Centers for Disease Control", "Indian Health Service", "Health Resources and Services Administration",
    "TRICARE", "Veterans Health Administration", "health insurance issuer", "group health plan", NULL};

static const program_markers PROGRAMS[] = {
    {PS_PROGRAM_MEDICARE, "Medicare", MEDICARE_CUES},
    {PS_PROGRAM_MEDICAID, "Medicaid/CHIP", MEDICAID_CUES},
    {PS_PROGRAM_HEALTH_OTHER, "other federal health programs", OTHER_HEALTH_CUES},
};
#define PROGRAM_COUNT (sizeof PROGRAMS / sizeof PROGRAMS[0])

typedef struct topic {
    const char *name;
    int spending;                 /* a topic that moves federal health spending */
    const char *const cues[7];
} topic;

static const topic TOPICS[] = {
    {"coverage", 1, {"coverage", "covered", "exclusion", NULL}},
    {"eligibility and enrollment", 1, {"eligib", "enroll", NULL}},
    {"beneficiary cost-sharing", 1, {"out-of-pocket", "cost-sharing", "cost sharing", "deductible", "copayment",
                                     "coinsurance", NULL}},
    {"premiums and premium credits", 1, {"premium", NULL}},
    {"provider payment", 1, {"payment rate", "reimbursement", "fee schedule", "payment amount", NULL}},
    {"prescription drugs", 0, {"drug", NULL}},
    {"insurance market rules", 0, {"rating", "rate review", "health insurance issuer", NULL}},
    {"research and grants", 1, {"research", "grant", NULL}},
    {"studies and reports", 0, {"study", "report to congress", "comptroller general", NULL}},
};
#define TOPIC_COUNT (sizeof TOPICS / sizeof TOPICS[0])

static const char *const RAISES_CUES[] = {"removing", "remove", "expand", "enhancement", "enhanced", "increas",
                                          "extension", "extend", "protecting against", "coverage of", NULL};
static const char *const LOWERS_CUES[] = {"repeal", "terminat", "reduction in payment", "reducing payment",
                                          "rescission", "work requirement", "limitation on payment", NULL};

/* The first marker of cues in span that names the program itself: an
 * occurrence followed by " Act" is part of a law's name ("the Choose Medicare
 * Act") and does not count. */
static const char *find_program(const ps_bill *b, ps_span span, const char *const *cues, size_t *at)
{
    const char *best = NULL;
    size_t best_at = 0;
    for (size_t i = 0; cues[i]; i++) {
        size_t n = strlen(cues[i]);
        ps_span rest = span;
        for (long found; (found = kit_find(b, rest, cues[i])) >= 0;) {
            size_t after = (size_t)found + n;
            if (strncmp(b->text + after, " Act", 4) != 0) {
                if (!best || (size_t)found < best_at) {
                    best = cues[i];
                    best_at = (size_t)found;
                }
                break;
            }
            rest = (ps_span){after, span.offset + span.length - after};
        }
    }
    if (best && at)
        *at = best_at;
    return best;
}

int health_find_marker(const ps_bill *b, const ps_section *s, uint32_t tagged, health_marker *out)
{
    int found = 0;
    for (size_t i = 0; i < PROGRAM_COUNT; i++) {
        size_t at;
        const char *cue;
        if (!(tagged & PROGRAMS[i].bit) || !(cue = find_program(b, s->span, PROGRAMS[i].cues, &at)))
            continue;
        if (!found || at < out->at)
            *out = (health_marker){PROGRAMS[i].name, cue, at};
        found = 1;
    }
    return found;
}

char *health_program_list(const ps_bill *b, const ps_section *s, uint32_t tagged, char *buf, size_t size)
{
    kit_buf out;
    kit_buf_init(&out, buf, size);
    for (size_t i = 0; i < PROGRAM_COUNT; i++) {
        const char *cue = (tagged & PROGRAMS[i].bit) ? find_program(b, s->span, PROGRAMS[i].cues, NULL) : NULL;
        if (cue)
            kit_buf_add(&out, "%s%s (\"%s\")", out.length ? "; " : "", PROGRAMS[i].name, cue);
    }
    return buf;
}

/* 1 when "part X" at `after` is a part of another law: followed by " of the"
 * (an Act) or " of title" other than title XVIII. */
static int part_of_other_law(const ps_bill *b, size_t after)
{
    const char *t = b->text + after;
    if (strncmp(t, " of the ", 8) == 0)
        return 1;
    return strncmp(t, " of title ", 10) == 0 && strncmp(t + 10, "XVIII", 5) != 0;
}

/* Offset of Medicare's "part X" as a word in s, or -1. */
static long find_part(const ps_bill *b, const ps_section *s, char letter)
{
    char needle[8] = "part  ";
    needle[5] = letter;
    ps_span rest = s->span;
    for (long at; (at = kit_find(b, rest, needle)) >= 0;) {
        size_t after = (size_t)at + 6;
        int word_end = after >= b->text_length || !isalpha((unsigned char)b->text[after]);
        if (word_end && !part_of_other_law(b, after))
            return at;
        rest = (ps_span){after, s->span.offset + s->span.length - after};
    }
    return -1;
}

static void read_trust_funds(const ps_bill *b, const ps_section *s, int raises, health_reading *r)
{
    if (!find_program(b, s->span, MEDICARE_CUES, NULL))
        return;
    int hi = kit_find(b, s->span, "Federal Hospital Insurance Trust Fund") >= 0 || find_part(b, s, 'A') >= 0;
    int smi = kit_find(b, s->span, "Federal Supplementary Medical Insurance Trust Fund") >= 0 ||
              find_part(b, s, 'B') >= 0 || find_part(b, s, 'D') >= 0;
    kit_buf out;
    kit_buf_init(&out, r->trust_fund_text, sizeof r->trust_fund_text);
    if (!hi && !smi) {
        kit_buf_add(&out, "Medicare trust funds: the section names no part of Medicare, so the text does not say "
                    "whether the HI trust fund (part A) or the SMI trust fund (parts B and D) pays.");
        return;
    }
    kit_buf_add(&out, "Medicare trust funds named by the text: %s%s%s%s.", hi ? "HI (part A)" : "",
                hi && smi ? " and " : "", smi ? "SMI (parts B/D)" : "",
                raises ? "; their outlays rise with this change" : "");
}

static void read_topics(const ps_bill *b, const ps_section *s, health_reading *r, int *spending)
{
    kit_buf out;
    kit_buf_init(&out, r->topics, sizeof r->topics);
    *spending = 0;
    for (size_t i = 0; i < TOPIC_COUNT; i++) {
        if (!kit_find_any(b, s->span, TOPICS[i].cues, NULL))
            continue;
        kit_buf_add(&out, "%s%s", out.length ? ", " : "", TOPICS[i].name);
        *spending |= TOPICS[i].spending;
    }
}

health_reading health_read_section(const ps_bill *b, const ps_section *s, int has_money)
{
    health_reading r;
    int spending;
    memset(&r, 0, sizeof r);
    read_topics(b, s, &r, &spending);
    const char *up = spending ? kit_heading_cue(b, s, RAISES_CUES) : NULL;
    const char *down = spending ? kit_heading_cue(b, s, LOWERS_CUES) : NULL;
    int raises = 0;
    r.confidence = KIT_CONF_LEXICAL;
    r.impact = KIT_IMPACT_UNSIZED;
    if (has_money) {
        raises = 1;
        r.confidence = KIT_CONF_DERIVED;
        snprintf(r.direction_text, sizeof r.direction_text,
                 "Federal health spending rises: the section provides or authorizes money.");
    } else if (up && !down) {
        raises = 1;
        snprintf(r.direction_text, sizeof r.direction_text,
                 "Federal health spending rises (a heading says \"%s\"); the text prints no amount.", up);
    } else if (down && !up) {
        snprintf(r.direction_text, sizeof r.direction_text,
                 "Federal health spending falls (a heading says \"%s\"); the text prints no amount.", down);
    } else {
        r.impact = KIT_IMPACT_MINOR;
        snprintf(r.direction_text, sizeof r.direction_text, "%s",
                 up ? "Its headings point both ways, so the direction of federal health spending is not clear."
                    : "The text shows no direction for federal health spending (a rule, a study or a change "
                      "without a spending cue).");
    }
    read_trust_funds(b, s, raises, &r);
    return r;
}
