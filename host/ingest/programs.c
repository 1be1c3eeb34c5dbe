/*
 * programs — which programs a bill touches and whether it has budget
 * effects it does not quantify (rule R13).
 *
 * Evidence, strongest first: the law it amends (Social Security Act title
 * II / XVIII / XIX, the Internal Revenue Code, the PHSA and ACA, education
 * Acts, titles 10/14/32/50 of the U.S. Code); the names of agencies and
 * programs in its enacted text (NIH institutes, CDC, local educational
 * agencies, TRICARE, ...); words in its official title and headings
 * ("Medicare", "schools"). References in findings and the preamble's
 * committee list do not count.
 */
#include <string.h>
#include "ingest/ingest_internal.h"

static size_t count_of(const doc *d, size_t s, size_t e, const char *needle)
{
    size_t n = 0;
    for (size_t p = doc_find(d, s, e, needle); p != NOT_FOUND; p = doc_find(d, p + 1, e, needle))
        n++;
    return n;
}

/* ---- the official title and the bill's headings ------------------------------- */

static uint32_t programs_in_heading(const doc *d, size_t s, size_t e)
{
    static const char *const ss_topics[] = {"benefit", "payment", "beneficiar", "trust fund", "retirement",
                                            "survivor", "disability insurance", "earnings", NULL};
    static const char *const defense[] = {"department of defense", "secretary of defense", "armed forces",
                                          "coast guard", "tricare", "intelligence community", "national guard",
                                          "servicemember", "national defense", "military construction",
                                          "military personnel", NULL};
    static const char *const education[] = {"school*", "student*", "educational agenc*", "higher education",
                                            "education act", "teacher*", "college*", "universit*", NULL};
    static const char *const health[] = {"health", "medical", "hospital*", "disease*", "cancer", "patient*",
                                         "physician*", "vaccin*", "clinic*", "maternal", NULL};
    uint32_t bits = 0;
    size_t cms = count_of(d, s, e, "centers for medicare");
    if (count_of(d, s, e, "medicare") > cms || doc_has(d, s, e, "title xviii of the social security act"))
        bits |= PS_PROGRAM_MEDICARE;
    if (count_of(d, s, e, "medicaid") > cms || doc_has(d, s, e, "title xix of the social security act"))
        bits |= PS_PROGRAM_MEDICAID;
    if ((doc_has(d, s, e, "social security") && doc_has_any(d, s, e, ss_topics)) ||
        doc_has(d, s, e, "title ii of the social security act"))
        bits |= PS_PROGRAM_SOCIAL_SECURITY;
    if (doc_has_any(d, s, e, defense))
        bits |= PS_PROGRAM_DEFENSE;
    if (doc_has_any_word(d, s, e, education))
        bits |= PS_PROGRAM_EDUCATION;
    if (doc_has_any_word(d, s, e, health))
        bits |= PS_PROGRAM_HEALTH_OTHER;
    return bits;
}

static uint32_t programs_in_headings(const ingest_ctx *c)
{
    uint32_t bits = programs_in_heading(c->d, c->o->title_start, c->o->title_end);
    for (size_t i = 0; i < c->o->unit_count; i++) {
        const unit *u = &c->o->units[i];
        if (!u->inserted && !u->excluded)
            bits |= programs_in_heading(c->d, u->head_start, u->head_end);
    }
    return bits;
}

/* ---- the laws the bill amends ----------------------------------------------------- */

static uint32_t programs_in_amendments(const ingest_ctx *c)
{
    uint32_t bits = 0;
    for (size_t i = 0; i < c->ai->count; i++) {
        const amendment *a = &c->ai->items[i];
        switch (a->law) {
        case LAW_IRC:
            bits |= PS_PROGRAM_TAX;
            break;
        case LAW_SSA:
            bits |= a->ssa_title == 2 ? PS_PROGRAM_SOCIAL_SECURITY
                    : a->ssa_title == 18 ? PS_PROGRAM_MEDICARE
                    : a->ssa_title == 19 ? PS_PROGRAM_MEDICAID
                                         : 0;
            break;
        case LAW_PHSA:
        case LAW_ACA:
            bits |= PS_PROGRAM_HEALTH_OTHER;
            break;
        case LAW_EDUCATION:
            bits |= PS_PROGRAM_EDUCATION;
            break;
        case LAW_USC:
            if (a->usc_title == 10 || a->usc_title == 14 || a->usc_title == 32 || a->usc_title == 50)
                bits |= PS_PROGRAM_DEFENSE;
            break;
        default:
            break;
        }
    }
    return bits;
}

/* ---- names in the enacted text ------------------------------------------------------ */

static int nih_institute(const doc *d, size_t s, size_t e)
{
    static const char *const topics[] = {"health", "disorder", "disease", "aging", "abuse", "cancer", "medic",
                                         "nursing", "allergy", "arthritis", "dental", "diabetes", "deafness",
                                         "neurolog", "mental", "biomedical", "alcohol", NULL};
    for (size_t p = doc_find(d, s, e, "national institute o"); p != NOT_FOUND;
         p = doc_find(d, p + 1, e, "national institute o")) {
        size_t reach = p + 70 < e ? p + 70 : e;
        if (doc_has_any(d, p, reach, topics))
            return 1;
    }
    return 0;
}

static uint32_t programs_in_text(const ingest_ctx *c)
{
    static const char *const health[] = {"public health service act", "patient protection and affordable care act",
                                         "national institutes of health", "centers for disease control",
                                         "health resources and services administration",
                                         "substance abuse and mental health services", "indian health service",
                                         "veterans health administration", "tricare", NULL};
    static const char *const education[] = {"local educational agenc", "elementary school", "secondary school",
                                            "individuals with disabilities education act",
                                            "elementary and secondary education act", "higher education act",
                                            NULL};
    /* the Department acting, not a passing reference to it */
    static const char *const defense[] = {"secretary of defense shall", "department of defense shall",
                                          "tricare", NULL};
    uint32_t bits = 0;
    for (size_t i = 0; i < c->o->line_count; i++) {
        const line *l = &c->o->lines[i];
        if (l->start < c->o->body_start || (l->unit >= 0 && c->o->units[l->unit].excluded))
            continue;
        if (doc_has_any(c->d, l->start, l->end, health) || nih_institute(c->d, l->start, l->end))
            bits |= PS_PROGRAM_HEALTH_OTHER;
        if (doc_has_any(c->d, l->start, l->end, education))
            bits |= PS_PROGRAM_EDUCATION;
        if (doc_has_any(c->d, l->start, l->end, defense))
            bits |= PS_PROGRAM_DEFENSE;
    }
    return bits;
}

uint32_t programs_detect(const ingest_ctx *c)
{
    if (c->o->enacts_nothing)
        return 0; /* a simple or concurrent resolution changes no program */
    uint32_t amended = programs_in_amendments(c), text = programs_in_text(c);
    uint32_t headings = programs_in_headings(c);
    /* a Medicare or Medicaid bill's "health" headings are about that program */
    if ((amended | headings) & (PS_PROGRAM_MEDICARE | PS_PROGRAM_MEDICAID))
        headings &= ~(uint32_t)PS_PROGRAM_HEALTH_OTHER;
    return amended | text | headings;
}

/* ---- R13 ------------------------------------------------------------------------------ */

static int refundable_credit(const ingest_ctx *c, const amendment *a)
{
    int li = outline_line_at(c->o, a->verb);
    if (doc_has(c->d, c->o->lines[li].start, c->o->lines[li].end, "refundable"))
        return 1;
    if ((size_t)li + 1 < c->o->line_count && c->o->lines[li + 1].kind == LINE_INSERTED &&
        doc_has(c->d, c->o->lines[li + 1].start, c->o->lines[li + 1].end, "refundable"))
        return 1;
    for (int v = a->unit; v >= 0; v = c->o->units[v].parent)
        if (doc_has(c->d, c->o->units[v].head_start, c->o->units[v].head_end, "refundable"))
            return 1;
    return 0;
}

/* Title II sections that set who gets OASDI benefits and how much (or the
 * whole title when no section is cited); 205 (procedure) and the like do not. */
static int is_benefit_section(long n)
{
    static const long sections[] = {202, 203, 209, 211, 213, 214, 215, 216, 223, 224, 227, 228, 230};
    if (n == 0)
        return 1;
    for (size_t i = 0; i < sizeof(sections) / sizeof(sections[0]); i++)
        if (sections[i] == n)
            return 1;
    return 0;
}

int unquantified_detect(const ingest_ctx *c, int extends_unprinted)
{
    if (extends_unprinted)
        return 1;
    for (size_t i = 0; i < c->ai->count; i++) {
        const amendment *a = &c->ai->items[i];
        if (a->unit >= 0 && c->o->units[a->unit].excluded)
            continue;
        if (a->law == LAW_SSA && (a->ssa_title == 16 || a->ssa_title == 18 || a->ssa_title == 19 ||
                                  (a->ssa_title == 2 && is_benefit_section(citation_number(&a->cite)))))
            return 1; /* SSI, Medicare, Medicaid, OASDI benefits */
        if (a->law == LAW_IRC && refundable_credit(c, a))
            return 1;
    }
    for (size_t i = 0; i < c->o->line_count; i++) {
        const line *l = &c->o->lines[i];
        if (l->start >= c->o->body_start && doc_has(c->d, l->start, l->end, "federal medical assistance percentage") &&
            (l->unit < 0 || !c->o->units[l->unit].excluded))
            return 1;
    }
    return 0;
}
