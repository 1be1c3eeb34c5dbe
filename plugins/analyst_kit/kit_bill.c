/*
 * kit_bill — the checked view of the bill and reading its text (see kit.h).
 *
 * kit_begin() validates every structure the analyses read, so the rest of
 * the kit and the plugins index the text without further checks.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include "kit.h"

static int span_ok(const ps_bill *b, ps_span s)
{
    return s.offset <= b->text_length && s.length <= b->text_length - s.offset;
}

/* Minimum size of a struct whose last field (as of ABI 1.0) is `field`. */
#define V1_SIZE(type, field) (offsetof(type, field) + sizeof(((type *)0)->field))

static const char *check_sections(const ps_bill *b, char *why, size_t size)
{
    if (b->section_count && !b->sections)
        return "sections is NULL";
    for (size_t i = 0; i < b->section_count; i++) {
        const ps_section *s = b->sections[i];
        if (!s || s->struct_size < V1_SIZE(ps_section, span) || !s->number || !span_ok(b, s->span)) {
            snprintf(why, size, "section %zu is missing, too small, unnumbered or outside the text", i);
            return why;
        }
    }
    return NULL;
}

/* Amounts are per fiscal year; one this large is not a bill's money (the
 * host's ingest refuses larger figures too). With it, and the whole bill's
 * money bounded below, every sum the analysts form fits in int64_t. */
#define KIT_MAX_AMOUNT_USD 1000000000000000LL /* $1 quadrillion */
#define KIT_MAX_BILL_USD 4e18

static const char *check_money(const ps_bill *b, char *why, size_t size)
{
    if (b->money_count && !b->money)
        return "money is NULL";
    double all_years_usd = 0;
    for (size_t i = 0; i < b->money_count; i++) {
        const ps_money *m = b->money[i];
        if (!m || m->struct_size < V1_SIZE(ps_money, note) || (m->year_count && !m->years) ||
            !span_ok(b, m->quote) || m->amount_usd < 0 || m->kind < PS_MONEY_AUTHORIZATION ||
            m->kind > PS_MONEY_OTHER) {
            snprintf(why, size, "money entry %zu is missing, too small, has no years array, a negative "
                     "amount, an unknown kind or a quote outside the text", i);
            return why;
        }
        all_years_usd += (double)m->amount_usd * (double)(m->year_count ? m->year_count : 1);
        if (m->amount_usd > KIT_MAX_AMOUNT_USD || all_years_usd > KIT_MAX_BILL_USD) {
            snprintf(why, size, "money entry %zu makes the amounts too large to add up "
                     "(over $1 quadrillion a year, or $4 quintillion in all)", i);
            return why;
        }
    }
    return NULL;
}

static const char *check_taxes(const ps_bill *b, char *why, size_t size)
{
    if (b->tax_provision_count && !b->tax_provisions)
        return "tax_provisions is NULL";
    for (size_t i = 0; i < b->tax_provision_count; i++) {
        const ps_tax_provision *t = b->tax_provisions[i];
        if (!t || t->struct_size < V1_SIZE(ps_tax_provision, quote) || !span_ok(b, t->quote) ||
            t->kind < PS_TAX_CREDIT || t->kind > PS_TAX_OTHER) {
            snprintf(why, size, "tax provision %zu is missing, too small, of an unknown kind or quotes outside "
                     "the text", i);
            return why;
        }
    }
    return NULL;
}

static const char *check_bill(const ps_bill *b, char *why, size_t size)
{
    if (!b || b->struct_size < V1_SIZE(ps_bill, unquantified_effects))
        return "the bill is missing or its struct is too small";
    if (!b->text || b->text[b->text_length] != '\0')
        return "the bill text is missing or not NUL-terminated at text_length";
    const char *problem = check_sections(b, why, size);
    if (!problem)
        problem = check_money(b, why, size);
    if (!problem)
        problem = check_taxes(b, why, size);
    return problem;
}

/* The window from the bill, or the default when the host predates it. */
static const char *set_window(kit_run *k, const ps_bill *b)
{
    k->window_start = KIT_DEFAULT_WINDOW_START;
    k->window_end = KIT_DEFAULT_WINDOW_END;
    if (PS_HAS_FIELD(b, ps_bill, window_end)) {
        if (b->window_start < 1789 || b->window_end < b->window_start ||
            b->window_end - b->window_start >= KIT_MAX_WINDOW_YEARS)
            return "the budget window is not a range of at most 100 fiscal years after 1788";
        k->window_start = b->window_start;
        k->window_end = b->window_end;
    }
    snprintf(k->period, sizeof k->period, "FY%d-%d", k->window_start, k->window_end);
    return NULL;
}

int kit_begin(kit_run *k, const ps_host_api *api, ps_instance *inst, ps_run *run, const ps_bill *bill,
              const char *category)
{
    char why[160];
    memset(k, 0, sizeof *k);
    k->api = api;
    k->inst = inst;
    k->run = run;
    k->bill = bill;
    k->category = category;
    const char *problem = check_bill(bill, why, sizeof why);
    if (!problem)
        problem = set_window(k, bill);
    if (problem) {
        k->rc = PS_EINVAL;
        k->error_set = 1;
        api->set_error(inst, run, "%s analyst: invalid bill: %s", category, problem);
        return k->rc;
    }
    return PS_OK;
}

ps_span kit_all(const ps_bill *b)
{
    return (ps_span){0, b->text_length};
}

/* ASCII case-insensitive comparison of n bytes (the bill is UTF-8; only
 * ASCII letters fold). */
static int same_ci(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (tolower((unsigned char)a[i]) != tolower((unsigned char)b[i]))
            return 0;
    return 1;
}

/* A needle that starts with a letter or digit matches only where a word
 * starts ("terminat" is not found inside "determination"). */
static int word_start_ok(const char *text, size_t at, const char *needle)
{
    return !isalnum((unsigned char)needle[0]) || at == 0 || !isalnum((unsigned char)text[at - 1]);
}

long kit_find(const ps_bill *b, ps_span span, const char *needle)
{
    size_t n = strlen(needle);
    if (n == 0 || n > span.length)
        return -1;
    for (size_t i = span.offset; i + n <= span.offset + span.length; i++)
        if (same_ci(b->text + i, needle, n) && word_start_ok(b->text, i, needle))
            return (long)i;
    return -1;
}

long kit_index_of(const char *haystack, const char *needle)
{
    size_t n = strlen(needle), h = haystack ? strlen(haystack) : 0;
    for (size_t i = 0; n && i + n <= h; i++)
        if (same_ci(haystack + i, needle, n) && word_start_ok(haystack, i, needle))
            return (long)i;
    return -1;
}

int kit_contains(const char *haystack, const char *needle)
{
    return kit_index_of(haystack, needle) >= 0;
}

const char *kit_find_any(const ps_bill *b, ps_span span, const char *const *needles, size_t *at)
{
    const char *best = NULL;
    long best_at = -1;
    for (size_t i = 0; needles[i]; i++) {
        long found = kit_find(b, span, needles[i]);
        if (found >= 0 && (best_at < 0 || found < best_at)) {
            best_at = found;
            best = needles[i];
        }
    }
    if (best && at)
        *at = (size_t)best_at;
    return best;
}

/* A sentence ends at a line break, or at ". " after a lower-case letter or
 * digit (so "U.S. Code" and "42 U.S.C. 1395" do not split). */
static int sentence_end_at(const char *t, size_t i, size_t end)
{
    if (t[i] == '\n')
        return 1;
    return t[i] == '.' && i + 1 < end && t[i + 1] == ' ' && i > 0 &&
           (islower((unsigned char)t[i - 1]) || isdigit((unsigned char)t[i - 1]));
}

ps_span kit_sentence(const ps_bill *b, ps_span within, size_t offset, size_t max_len)
{
    const char *t = b->text;
    size_t lo = within.offset, hi = within.offset + within.length;
    if (offset < lo || offset >= hi)
        return (ps_span){offset, 0};
    size_t start = offset, end = offset;
    while (start > lo && !sentence_end_at(t, start - 1, hi))
        start--;
    while (end < hi && !sentence_end_at(t, end, hi))
        end++;
    if (end < hi && t[end] == '.')
        end++;
    if (end - start > max_len) {
        size_t half = max_len / 2;
        size_t from = offset > start + half ? offset - half : start;
        size_t to = from + max_len < end ? from + max_len : end;
        while (from > start && from < offset && t[from - 1] != ' ')
            from++;
        while (to > offset && to < end && t[to] != ' ')
            to--;
        start = from;
        end = to;
    }
    while (start < end && isspace((unsigned char)t[start]))
        start++;
    while (end > start && isspace((unsigned char)t[end - 1]))
        end--;
    return (ps_span){start, end - start};
}

ps_span kit_lines(const ps_bill *b, ps_span span)
{
    size_t start = span.offset, end = span.offset + span.length;
    while (start > 0 && b->text[start - 1] != '\n')
        start--;
    while (end < b->text_length && b->text[end] != '\n')
        end++;
    return (ps_span){start, end - start};
}

const char *kit_label(const char *s)
{
    return s ? s : "?";
}

int kit_section_holds(const ps_section *s, size_t offset)
{
    return offset >= s->span.offset && offset - s->span.offset < s->span.length;
}

int kit_enacts_nothing(const ps_section *s)
{
    static const char *const headings[] = {"short title", "findings", "sense of congress", "purpose", NULL};
    for (size_t i = 0; headings[i]; i++)
        if (kit_contains(s->heading, headings[i]))
            return 1;
    return 0;
}

const char *kit_heading_cue(const ps_bill *b, const ps_section *s, const char *const *cues)
{
    for (size_t i = 0; i < b->section_count; i++) {
        const ps_section *sub = b->sections[i];
        if (sub != s && !kit_section_holds(s, sub->span.offset))
            continue;
        for (size_t j = 0; cues[j]; j++)
            if (kit_contains(sub->heading, cues[j]))
                return cues[j];
    }
    return NULL;
}

const ps_section *kit_section_at(const ps_bill *b, size_t offset)
{
    const ps_section *best = NULL;
    for (size_t i = 0; i < b->section_count; i++) {
        const ps_section *s = b->sections[i];
        if (kit_section_holds(s, offset) && (!best || s->depth > best->depth ||
                                 (s->depth == best->depth && s->span.length < best->span.length)))
            best = s;
    }
    return best;
}

const ps_section *kit_bill_section_at(const ps_bill *b, size_t offset)
{
    for (size_t i = 0; i < b->section_count; i++) {
        const ps_section *s = b->sections[i];
        if (s->depth == 0 && kit_section_holds(s, offset))
            return s;
    }
    return NULL;
}

const ps_section *kit_bill_section_named(const ps_bill *b, const char *label)
{
    if (!label)
        return NULL;
    size_t n = strcspn(label, "(");
    for (size_t i = 0; i < b->section_count; i++) {
        const ps_section *s = b->sections[i];
        if (s->depth == 0 && strlen(s->number) == n && strncmp(s->number, label, n) == 0)
            return s;
    }
    return NULL;
}

ps_span kit_effective_date(const ps_bill *b, const ps_section *bill_section)
{
    size_t start = bill_section->span.offset, end = start + bill_section->span.length;
    for (size_t i = 0; i < b->section_count; i++) {
        const ps_section *s = b->sections[i];
        if (s->depth > 0 && s->span.offset >= start && s->span.offset < end &&
            kit_contains(s->heading, "effective date")) {
            size_t body = s->span.offset + strcspn(b->text + s->span.offset, "\n") + 1;
            if (body < s->span.offset + s->span.length)
                return kit_sentence(b, s->span, body, 300);
        }
    }
    long at = kit_find(b, bill_section->span, "take effect");
    return at >= 0 ? kit_sentence(b, bill_section->span, (size_t)at, 300) : (ps_span){0, 0};
}

/* The lines that introduce a measure's long title or purpose. */
static const char *const DOCUMENT_TYPES[] = {"\nA BILL\n", "\nAN ACT\n", "\nJOINT RESOLUTION\n",
                                             "\nCONCURRENT RESOLUTION\n", "\nRESOLUTION\n", NULL};

ps_span kit_long_title(const ps_bill *b)
{
    size_t head_end = b->section_count ? b->sections[0]->span.offset : b->text_length;
    size_t at = 0;
    const char *type = NULL;
    for (size_t i = 0; DOCUMENT_TYPES[i]; i++) {
        const char *found = strstr(b->text, DOCUMENT_TYPES[i]);
        if (found && (size_t)(found - b->text) < head_end && (!type || (size_t)(found - b->text) < at)) {
            type = DOCUMENT_TYPES[i];
            at = (size_t)(found - b->text);
        }
    }
    if (!type)
        return (ps_span){0, 0};
    size_t start = at + strlen(type), end = start;
    while (end < b->text_length && b->text[end] != '\n')
        end++;
    return (ps_span){start, end - start};
}

void kit_cite_bill(const ps_bill *b, const char **section, ps_span *quote)
{
    *quote = kit_long_title(b);
    *section = "long title";
    if (quote->length == 0 && b->section_count) {
        const ps_section *first = b->sections[0];
        *section = first->number;
        *quote = kit_sentence(b, first->span, first->span.offset, 300);
    } else if (quote->length == 0) {
        *section = "text";
        *quote = kit_sentence(b, kit_all(b), 0, 300);
    }
}

char *kit_quote(const ps_bill *b, ps_span span, char *buf, size_t size)
{
    size_t out = 0;
    int space = 0;
    if (size == 0)
        return buf;
    for (size_t i = 0; i < span.length; i++) {
        unsigned char c = (unsigned char)b->text[span.offset + i];
        if (isspace(c)) {
            space = out > 0;
            continue;
        }
        if (out + (space ? 2 : 1) + 4 > size) {
            /* cut before a UTF-8 continuation byte never splits a character */
            while (out > 0 && ((unsigned char)buf[out - 1] & 0xC0) == 0x80)
                out--;
            if (out > 0 && ((unsigned char)buf[out - 1] & 0x80))
                out--;
            memcpy(buf + out, "...", 4);
            return buf;
        }
        if (space)
            buf[out++] = ' ';
        space = 0;
        buf[out++] = (char)c;
    }
    buf[out] = '\0';
    return buf;
}
