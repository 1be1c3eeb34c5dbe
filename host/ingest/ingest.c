/*
 * ingest — the public entry points: builds the read-only ps_bill from bill
 * text (outline -> amendments -> money, tax provisions, programs), owns all
 * of its memory in one arena, and sums counted money over a budget window
 * (rule R9). Never fails on content: only out-of-memory returns NULL.
 */
#include <stdlib.h>
#include <string.h>
#include "ingest/ingest_internal.h"

#define DEFAULT_WINDOW_START 2026
#define DEFAULT_WINDOW_END 2035

struct ingest_result {
    arena a;
    ps_bill bill;
};

static char *copy_string(arena *a, const char *s)
{
    return s ? arena_strndup(a, s, strlen(s)) : NULL;
}

/* The text as plugins see it: NUL-terminated, so inner NUL bytes become spaces. */
static char *copy_text(arena *a, const char *text, size_t length)
{
    char *t = arena_strndup(a, text ? text : "", text ? length : 0);
    for (size_t i = 0; t && i < length; i++)
        if (t[i] == '\0')
            t[i] = ' ';
    return t;
}

static char *lowercase_copy(const char *text, size_t length)
{
    char *low = malloc(length + 1);
    if (!low)
        return NULL;
    for (size_t i = 0; i < length; i++)
        low[i] = (char)(text[i] >= 'A' && text[i] <= 'Z' ? text[i] - 'A' + 'a' : text[i]);
    low[length] = '\0';
    return low;
}

static int opens_quote(const doc *d, size_t at, size_t e)
{
    return doc_at(d, at, e, "`") || doc_at(d, at, e, "\"") || doc_at(d, at, e, "\xe2\x80\x9c");
}

static int closes_quote(const doc *d, size_t s, size_t e)
{
    char c = d->text[e - 1];
    return c == '.' || c == '"' || c == '\'' || (e - s >= 3 && memcmp(d->text + e - 3, "\xe2\x80\x9d", 3) == 0);
}

/* The text without surrounding quotes (``X'', “X”, "X") and final period. */
static char *trimmed_copy(const ingest_ctx *c, size_t s, size_t e)
{
    const doc *d = c->d;
    s = skip_blanks(d, s, e);
    while (s < e && opens_quote(d, s, e))
        s += d->text[s] == '`' || d->text[s] == '"' ? 1 : 3;
    e = trim_end(d, s, e);
    while (e > s && closes_quote(d, s, e)) {
        e -= (unsigned char)d->text[e - 1] < 0x80 ? 1 : 3;
        e = trim_end(d, s, e);
    }
    return e > s ? arena_strndup(c->a, d->text + s, e - s) : NULL;
}

/* "This Act may be cited as the X ." -> "X"; else the official title line. */
static char *bill_title(const ingest_ctx *c)
{
    const doc *d = c->d;
    size_t p = doc_find(d, c->o->body_start, d->len, "may be cited as ");
    size_t s = c->o->title_start, e = c->o->title_end;
    if (p != NOT_FOUND) {
        const line *l = &c->o->lines[outline_line_at(c->o, p)];
        s = skip_blanks(d, p + strlen("may be cited as "), l->end);
        if (doc_at(d, s, l->end, "the "))
            s += 4;
        e = doc_find(d, s, l->end, " .");
        if (e == NOT_FOUND)
            e = l->end;
    }
    return trimmed_copy(c, s, e);
}

static int unit_depth(const outline *o, int u)
{
    int depth = 0;
    for (int v = o->units[u].parent; v >= 0; v = o->units[v].parent)
        depth++;
    return depth;
}

static int build_sections(const ingest_ctx *c, ps_bill *b)
{
    const outline *o = c->o;
    size_t n = 0;
    for (size_t i = 0; i < o->unit_count; i++)
        n += !o->units[i].inserted;
    ps_section *items = n ? arena_alloc(c->a, n * sizeof(ps_section)) : NULL;
    const ps_section **list = n ? arena_alloc(c->a, n * sizeof(*list)) : NULL;
    if (n && (!items || !list))
        return 0;
    size_t k = 0;
    for (size_t i = 0; i < o->unit_count; i++) {
        const unit *u = &o->units[i];
        if (u->inserted)
            continue;
        char number[96];
        outline_bill_number(o, (int)i, number, sizeof(number));
        ps_section *s = &items[k];
        s->struct_size = sizeof(*s);
        s->number = arena_strndup(c->a, number, strlen(number));
        s->heading = arena_strndup(c->a, c->d->text + u->head_start, u->head_end - u->head_start);
        s->depth = unit_depth(o, (int)i);
        s->span = (ps_span){u->start, u->end - u->start};
        list[k++] = s;
    }
    b->sections = list;
    b->section_count = n;
    return !c->a->failed;
}

static int publish_money(const ingest_ctx *c, const money_list *m, ps_bill *b)
{
    ps_money *items = m->count ? arena_alloc(c->a, m->count * sizeof(ps_money)) : NULL;
    const ps_money **list = m->count ? arena_alloc(c->a, m->count * sizeof(*list)) : NULL;
    if (m->count && (!items || !list))
        return 0;
    for (size_t i = 0; i < m->count; i++) {
        items[i] = m->items[i];
        list[i] = &items[i];
    }
    b->money = list;
    b->money_count = m->count;
    return 1;
}

static int publish_tax(const ingest_ctx *c, ps_tax_provision *items, size_t count, ps_bill *b)
{
    const ps_tax_provision **list = count ? arena_alloc(c->a, count * sizeof(*list)) : NULL;
    if (count && !list)
        return 0;
    for (size_t i = 0; i < count; i++)
        list[i] = &items[i];
    b->tax_provisions = list;
    b->tax_provision_count = count;
    return 1;
}

/* Everything derived from the text; 0 on out-of-memory. */
static int analyse(ingest_result *r, const doc *d, const char *title)
{
    outline o;
    amend_index ai = {0};
    money_list money = {0};
    ps_tax_provision *tax = NULL;
    size_t tax_count = 0;
    int extends = 0;
    ingest_ctx c = {.d = d, .o = &o, .ai = &ai, .a = &r->a};
    ps_bill *b = &r->bill;
    int ok = outline_build(&o, d) && amend_index_build(&ai, &o, d) && build_sections(&c, b) &&
             money_extract(&c, &money, &extends) && publish_money(&c, &money, b) &&
             tax_extract(&c, &tax, &tax_count) && publish_tax(&c, tax, tax_count, b);
    if (ok) {
        b->programs = programs_detect(&c);
        b->unquantified_effects = unquantified_detect(&c, extends);
        b->title = title && *title ? copy_string(&r->a, title) : bill_title(&c);
    }
    free(money.items);
    amend_index_free(&ai);
    outline_free(&o);
    return ok && !r->a.failed;
}

ingest_result *ingest_bill(const char *text, size_t length, const char *analysis_id, const char *bill_id,
                           const char *title)
{
    if (!text && length)
        return NULL;
    ingest_result *r = calloc(1, sizeof(*r));
    if (!r)
        return NULL;
    ps_bill *b = &r->bill;
    b->struct_size = sizeof(*b);
    b->window_start = DEFAULT_WINDOW_START;
    b->window_end = DEFAULT_WINDOW_END;
    char *copy = copy_text(&r->a, text, length);
    char *lower = copy ? lowercase_copy(copy, length) : NULL;
    b->text = copy;
    b->text_length = length;
    b->analysis_id = copy_string(&r->a, analysis_id);
    b->bill_id = copy_string(&r->a, bill_id);
    doc d = {.text = copy, .lower = lower, .len = length};
    int ok = lower && !r->a.failed && analyse(r, &d, title);
    free(lower);
    if (!ok) {
        ingest_free(r);
        return NULL;
    }
    return r;
}

const ps_bill *ingest_view(const ingest_result *r)
{
    return r ? &r->bill : NULL;
}

void ingest_set_window(ingest_result *r, int first_year, int last_year)
{
    if (!r)
        return;
    r->bill.window_start = first_year;
    r->bill.window_end = last_year;
}

void ingest_free(ingest_result *r)
{
    if (!r)
        return;
    arena_release(&r->a);
    free(r);
}

int64_t ingest_add_usd(int64_t a, int64_t b)
{
    return a > INT64_MAX - b ? INT64_MAX : a + b;
}

int64_t ingest_entry_window_amount(const ps_money *m, int first_year, int last_year)
{
    if (!m->counted || m->indefinite || m->amount_usd <= 0)
        return 0;
    size_t in_window = 0;
    for (size_t y = 0; y < m->year_count; y++)
        in_window += m->years[y] >= first_year && m->years[y] <= last_year;
    if (m->year_count == 0 || (m->period_total && in_window > 0))
        in_window = 1; /* R5: counted once; R6: one lump sum for the period */
    int64_t amount = 0;
    for (size_t k = 0; k < in_window; k++)
        amount = ingest_add_usd(amount, m->amount_usd);
    return amount;
}

int64_t ingest_window_total(const ps_bill *bill, int first_year, int last_year)
{
    int64_t total = 0;
    for (size_t i = 0; bill && i < bill->money_count; i++)
        total = ingest_add_usd(total, ingest_entry_window_amount(bill->money[i], first_year, last_year));
    return total;
}

const char *ingest_money_kind_name(ps_money_kind kind)
{
    switch (kind) {
    case PS_MONEY_AUTHORIZATION: return "authorization";
    case PS_MONEY_APPROPRIATION: return "appropriation";
    case PS_MONEY_DIRECT_SPENDING: return "direct_spending";
    case PS_MONEY_OTHER: return "other";
    }
    return NULL;
}

const char *ingest_tax_kind_name(ps_tax_kind kind)
{
    switch (kind) {
    case PS_TAX_CREDIT: return "credit";
    case PS_TAX_DEDUCTION: return "deduction";
    case PS_TAX_RATE_CHANGE: return "rate_change";
    case PS_TAX_EXCLUSION: return "exclusion";
    case PS_TAX_OTHER: return "other";
    }
    return NULL;
}

const char *ingest_program_name(uint32_t program_bit)
{
    switch (program_bit) {
    case 0: return "none";
    case PS_PROGRAM_MEDICARE: return "medicare";
    case PS_PROGRAM_MEDICAID: return "medicaid";
    case PS_PROGRAM_SOCIAL_SECURITY: return "social_security";
    case PS_PROGRAM_TAX: return "tax";
    case PS_PROGRAM_DEFENSE: return "defense";
    case PS_PROGRAM_EDUCATION: return "education";
    case PS_PROGRAM_HEALTH_OTHER: return "health_other";
    }
    return NULL;
}
