/*
 * social_security_reading — the documented lexicon the Social Security
 * analyst reads the bill with (see social_security.h).
 *
 *   Title II markers: "title II of the Social Security Act", a "section NNN
 *   of the Social Security Act" with 201 <= NNN <= 234 (title II's sections),
 *   and the names of the OASDI trust funds and benefits (TITLE_II_NAMES).
 *   Payroll taxes and benefit taxation: amended IRC sections 3101, 3102,
 *   3111, 3121 (FICA), 1401, 1402 (SECA) and 86 (income tax on benefits,
 *   which is credited to the trust funds).
 *   Direction of OASDI outlays in a title II section, first rule that applies:
 *     1. a dollar parameter swap ("striking N and inserting M") -> higher or
 *        lower benefit amounts (KIT_CONF_DERIVED);
 *     2. indexation: "increased by the percentage increase" -> the amount
 *        rises with the index every year (KIT_CONF_DERIVED);
 *     3. a heading cue of RAISES_CUES / LOWERS_CUES (KIT_CONF_LEXICAL);
 *     4. otherwise the text shows no direction.
 *   Trust fund: OASI cues (old-age, survivors, death payment, retirement) or
 *   DI cues (disability); benefits are paid from those funds (SSA sec. 201).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "social_security.h"

#define TITLE_II_FIRST 201
#define TITLE_II_LAST 234
/* What may follow a section number as its subdivision label: "202(i)(1)". */
#define LABEL_CHARS "()abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

static const char *const TITLE_II_NAMES[] = {"title II of the Social Security Act",
                                             "Federal Old-Age and Survivors Insurance Trust Fund",
                                             "Federal Disability Insurance Trust Fund", "lump sum death payment",
                                             "primary insurance amount", "old-age, survivors, and disability insurance",
                                             NULL};

typedef struct topic {
    const char *name;
    const char *const cues[6];
} topic;

static const topic TOPICS[] = {
    {"benefit amounts", {"benefit", "lump sum", "primary insurance amount", "payment", NULL}},
    {"credited earnings", {"wages", "self-employment income", "quarters of coverage", "earnings", NULL}},
    {"eligibility", {"eligib", "entitled", NULL}},
    {"indexation", {"Consumer Price Index", "cost-of-living", NULL}},
    {"retirement age", {"retirement age", NULL}},
    {"administration", {"Commissioner of Social Security", "Social Security Administration", NULL}},
};
#define TOPIC_COUNT (sizeof TOPICS / sizeof TOPICS[0])

static const char *const OASI_CUES[] = {"old-age", "survivor", "death payment", "widow", "retirement", NULL};
static const char *const DI_CUES[] = {"disability", NULL};
static const char *const RAISES_CUES[] = {"increas", "expand", "enhanc", "restor", NULL};
static const char *const LOWERS_CUES[] = {"reduc", "repeal", "terminat", "eliminat", NULL};
static const char *const HARMLESS_CUES[] = {"held harmless", "hold harmless",
                                            "to each fund under the Social Security Act", NULL};

static const struct {
    const char *section;
    const char *role;
} PAYROLL[] = {
    {"86", "income tax on Social Security benefits, credited to the OASDI and HI trust funds"},
    {"1401", "self-employment (SECA) tax rates, OASDI trust fund income"},
    {"1402", "self-employment income, the SECA tax base"},
    {"3101", "employee FICA tax rates, OASDI and HI trust fund income"},
    {"3102", "FICA withholding"},
    {"3111", "employer FICA tax rates, OASDI and HI trust fund income"},
    {"3121", "wages subject to FICA (definitions and contribution base)"},
};

const char *ss_payroll_role(const char *irc_section)
{
    if (!irc_section)
        return NULL;
    size_t digits = strspn(irc_section, "0123456789");
    if (digits == 0 || isalpha((unsigned char)irc_section[digits]))
        return NULL;
    for (size_t i = 0; i < sizeof PAYROLL / sizeof PAYROLL[0]; i++)
        if (strlen(PAYROLL[i].section) == digits && strncmp(PAYROLL[i].section, irc_section, digits) == 0)
            return PAYROLL[i].role;
    return NULL;
}

int ss_held_harmless(const ps_bill *b, size_t *at)
{
    return kit_find_any(b, kit_all(b), HARMLESS_CUES, at) != NULL;
}

/* "section NNN[(x)...] of the Social Security Act" with NNN in title II. */
static int find_title_ii_section(const ps_bill *b, const ps_section *s, ss_marker *out)
{
    ps_span rest = s->span;
    size_t end = s->span.offset + s->span.length;
    for (long at; (at = kit_find(b, rest, "section ")) >= 0;) {
        const char *p = b->text + at + 8;
        int number = atoi(p);
        size_t digits = strspn(p, "0123456789");
        const char *tail = p + digits + strspn(p + digits, LABEL_CHARS);
        if (digits >= 3 && number >= TITLE_II_FIRST && number <= TITLE_II_LAST && (size_t)(tail - b->text) < end &&
            strncmp(tail, " of the Social Security Act", 27) == 0) {
            snprintf(out->what, sizeof out->what, "section %d of the Social Security Act", number);
            out->at = (size_t)at;
            return 1;
        }
        rest = (ps_span){(size_t)at + 8, end - ((size_t)at + 8)};
    }
    return 0;
}

int ss_find_marker(const ps_bill *b, const ps_section *s, ss_marker *out)
{
    size_t at;
    if (find_title_ii_section(b, s, out))
        return 1; /* the amending reference is the better citation */
    const char *name = kit_find_any(b, s->span, TITLE_II_NAMES, &at);
    if (!name)
        return 0;
    snprintf(out->what, sizeof out->what, "%s", name);
    out->at = at;
    return 1;
}

static void read_direction(const ps_bill *b, const ps_section *s, ss_reading *r)
{
    const char *up, *down;
    kit_swaps swaps = kit_read_swaps(b, s->span);
    r->confidence = KIT_CONF_DERIVED;
    r->impact = KIT_IMPACT_UNSIZED;
    if (swaps.count && !swaps.percent && !(swaps.up && swaps.down)) {
        snprintf(r->direction, sizeof r->direction,
                 "%s outlays %s: the text replaces %g with %g in the benefit rules%s.",
                 r->fund, swaps.up ? "rise" : "fall", swaps.first_from, swaps.first_to,
                 swaps.count > 1 ? " (every swap goes the same way)" : "");
    } else if (kit_find(b, s->span, "increased by the percentage increase") >= 0) {
        snprintf(r->direction, sizeof r->direction,
                 "%s outlays rise over time: the amount is \"increased by the percentage increase\" of a price index "
                 "each year. The current-law amount it replaces is not printed, so the first-year change is not in "
                 "the text.", r->fund);
    } else if ((up = kit_heading_cue(b, s, RAISES_CUES)) && !kit_heading_cue(b, s, LOWERS_CUES)) {
        r->confidence = KIT_CONF_LEXICAL;
        snprintf(r->direction, sizeof r->direction, "%s outlays rise (a heading says \"%s\"); no amount is printed.",
                 r->fund, up);
    } else if ((down = kit_heading_cue(b, s, LOWERS_CUES)) && !kit_heading_cue(b, s, RAISES_CUES)) {
        r->confidence = KIT_CONF_LEXICAL;
        snprintf(r->direction, sizeof r->direction, "%s outlays fall (a heading says \"%s\"); no amount is printed.",
                 r->fund, down);
    } else {
        r->confidence = KIT_CONF_LEXICAL;
        r->impact = KIT_IMPACT_MINOR;
        snprintf(r->direction, sizeof r->direction,
                 "The text shows no direction for %s outlays (an administrative or definitional change).", r->fund);
    }
}

ss_reading ss_read_section(const ps_bill *b, const ps_section *s)
{
    ss_reading r;
    kit_buf topics;
    memset(&r, 0, sizeof r);
    kit_buf_init(&topics, r.topics, sizeof r.topics);
    for (size_t i = 0; i < TOPIC_COUNT; i++)
        if (kit_find_any(b, s->span, TOPICS[i].cues, NULL))
            kit_buf_add(&topics, "%s%s", topics.length ? ", " : "", TOPICS[i].name);
    int oasi = kit_find_any(b, s->span, OASI_CUES, NULL) != NULL;
    int di = kit_find_any(b, s->span, DI_CUES, NULL) != NULL;
    r.fund = oasi && !di ? "OASI" : di && !oasi ? "DI" : "OASI or DI";
    read_direction(b, s, &r);
    return r;
}
