/*
 * money — every dollar amount the bill enacts (rules R1-R12): finds the
 * printed amounts and "such sums as may be necessary", drops what the bill
 * does not enact (preamble, findings, sense of Congress, short title, struck
 * text, resolutions), asks money_kind what each one is, reads its fiscal
 * years and builds the ps_money entries. money_entries.c merges repeated
 * `other` figures and adds extensions whose amount is not printed.
 */
#include <stdlib.h>
#include <string.h>
#include "ingest/money.h"
#include "ingest/money_entries.h"

#define YEARS_FOLLOW_REACH 24 /* "$X, for fiscal year Y": the phrase starts this close */
#define INDEFINITE_REACH 40   /* "such sums as" ... "necessary" */

typedef struct site_list {
    money_site *items;
    size_t count, cap;
} site_list;

static int add_site(site_list *l, size_t at, size_t end, int64_t usd, int indefinite)
{
    if (!grow_array((void **)&l->items, &l->cap, l->count + 1, sizeof(money_site)))
        return 0;
    money_site *s = &l->items[l->count++];
    memset(s, 0, sizeof(*s));
    s->at = at;
    s->end = end;
    s->usd = usd;
    s->indefinite = indefinite;
    return 1;
}

static int by_start(const void *x, const void *y)
{
    const money_site *a = x, *b = y;
    return a->at < b->at ? -1 : a->at > b->at;
}

/* "such sums as may be necessary" / "as are necessary" / "as may be needed" */
static size_t indefinite_end(const doc *d, size_t p)
{
    static const char *const tails[] = {"necessary", "needed", NULL};
    size_t reach = p + INDEFINITE_REACH < d->len ? p + INDEFINITE_REACH : d->len;
    for (size_t i = 0; tails[i]; i++) {
        size_t n = doc_find(d, p, reach, tails[i]);
        if (n != NOT_FOUND)
            return n + strlen(tails[i]);
    }
    return NOT_FOUND;
}

static int collect_sites(const ingest_ctx *c, site_list *l)
{
    const doc *d = c->d;
    for (size_t p = c->o->body_start; p < d->len;) {
        const char *dollar = memchr(d->text + p, '$', d->len - p);
        if (!dollar)
            break;
        size_t at = (size_t)(dollar - d->text), end;
        int64_t usd;
        if (parse_dollars(d, at, d->len, &usd, &end) && usd > 0 && !add_site(l, at, end, usd, 0))
            return 0;
        p = at + 1;
    }
    for (size_t p = doc_find(d, c->o->body_start, d->len, "such sums as"); p != NOT_FOUND;
         p = doc_find(d, p + 1, d->len, "such sums as")) {
        size_t end = indefinite_end(d, p);
        if (end != NOT_FOUND && !add_site(l, p, end, 0, 1))
            return 0;
    }
    if (l->count > 1)
        qsort(l->items, l->count, sizeof(money_site), by_start);
    return 1;
}

/* Where the site sits: unit, clause, inserted or not. A site inside the
 * previous site's clause shares it (one scan per clause, not per amount). */
static void place_site(const ingest_ctx *c, money_site *s, const money_site *prev)
{
    const outline *o = c->o;
    int li = outline_line_at(o, s->at);
    const line *l = &o->lines[li];
    s->unit = outline_unit_at(o, s->at);
    size_t lo = l->start, hi = l->end;
    if (s->unit >= 0 && o->units[s->unit].start > lo)
        lo = o->units[s->unit].start;
    size_t next = outline_next_unit_start(o, s->unit, s->at);
    if (next < hi)
        hi = next;
    if (prev && prev->unit == s->unit && s->at >= prev->seg_s && s->end <= prev->seg_e && prev->seg_s >= lo &&
        prev->seg_e <= hi) {
        s->seg_s = prev->seg_s;
        s->seg_e = prev->seg_e;
    } else {
        sentence_bounds(c->d, lo, hi, s->at, &s->seg_s, &s->seg_e);
    }
    if (s->seg_e < s->end)
        s->seg_e = s->end;
    s->in_inserted = l->kind == LINE_INSERTED || in_spans(&c->ai->inserted, s->at);
    s->after_multiple_of = s->at >= 12 && doc_at(c->d, s->at - 12, s->at, "multiple of ");
}

/* Text the bill does not enact: findings, whereas clauses, short title, struck text. */
static int not_enacted(const ingest_ctx *c, const money_site *s)
{
    const outline *o = c->o;
    if (s->unit >= 0 && o->units[s->unit].excluded)
        return 1;
    if (s->unit < 0) {
        const line *l = &o->lines[outline_line_at(o, s->at)];
        if (doc_at(c->d, skip_blanks(c->d, l->start, l->end), l->end, "whereas"))
            return 1;
    }
    return in_spans(&c->ai->struck, s->at) || doc_has(c->d, s->seg_s, s->seg_e, "may be cited as");
}

/* Neighbours in the same clause bound each amount's own words. */
static void link_neighbours(const ingest_ctx *c, site_list *l)
{
    for (size_t i = 0; i < l->count; i++) {
        money_site *s = &l->items[i];
        s->before_s = s->seg_s;
        s->after_e = s->seg_e;
        if (i > 0 && l->items[i - 1].seg_s == s->seg_s && l->items[i - 1].end <= s->at)
            s->before_s = l->items[i - 1].end;
        if (i + 1 < l->count && l->items[i + 1].seg_s == s->seg_s && l->items[i + 1].at >= s->end)
            s->after_e = l->items[i + 1].at;
        year_set ys;
        s->years_follow = find_fiscal_years(c->d, s->end, s->after_e, 0, &ys) &&
                          ys.start - s->end <= YEARS_FOLLOW_REACH;
    }
}

/* Past any struck text between from and at (its years are current law). */
static size_t past_struck(const ingest_ctx *c, size_t from, size_t at)
{
    const span_list *l = &c->ai->struck;
    for (size_t i = spans_from(l, from); i < l->count && l->spans[i][0] < at; i++)
        if (l->spans[i][1] <= at)
            from = l->spans[i][1];
    return from;
}

/* "For each of fiscal years 2026 through 2030, there are authorized to be
 * appropriated— (1) $5,000,000 for ..." */
static int list_lead_in_years(const ingest_ctx *c, int holder, year_set *ys)
{
    for (int v = holder >= 0 ? c->o->units[holder].parent : -1; v >= 0; v = c->o->units[v].parent) {
        const unit *u = &c->o->units[v];
        size_t e = trim_end(c->d, u->start, u->first_child);
        size_t s = e - u->start > LEAD_IN_REACH ? e - LEAD_IN_REACH : u->start;
        if (!ends_list_intro(c->d, s, e) || memchr(c->d->text + s, '$', e - s) || doc_has(c->d, s, e, "such sums"))
            continue; /* only a list's lead-in dates the list; one with its own amount dates that */
        if (find_fiscal_years(c->d, s, e, 1, ys))
            return 1;
    }
    return 0;
}

static int site_years(const ingest_ctx *c, const money_site *s, year_set *ys)
{
    memset(ys, 0, sizeof(*ys));
    return find_fiscal_years(c->d, s->end, s->after_e, 0, ys) ||
           find_fiscal_years(c->d, past_struck(c, s->before_s, s->at), s->at, 1, ys) ||
           list_lead_in_years(c, s->unit, ys);
}

static void site_quote(const ingest_ctx *c, const site_list *l, size_t i, const money_verdict *v, ps_span *q)
{
    const doc *d = c->d;
    const money_site *s = &l->items[i];
    size_t qs = s->seg_s, qe = s->seg_e;
    size_t inserted = span_start_at(&c->ai->inserted, s->at);
    if (inserted != NOT_FOUND && inserted > qs)
        qs = inserted; /* "... and inserting $2,900 (or ..." quotes the inserted words */
    if (v->note == NOTE_OF_WHICH) {
        size_t w = doc_rfind(d, s->before_s, s->at, "of which");
        if (w != NOT_FOUND)
            qs = w;
    }
    if (i + 1 < l->count && l->items[i + 1].seg_s == s->seg_s &&
        money_is_of_which(d, s->end, l->items[i + 1].at))
        qe = doc_find(d, s->end, l->items[i + 1].at, "of which");
    while (qe > qs && strchr(" ,;.\t", d->text[qe - 1]))
        qe--;
    q->offset = qs;
    q->length = qe - qs;
}

static int build_entry(const ingest_ctx *c, const site_list *l, size_t i, const money_verdict *v,
                       const year_set *ys, money_list *out)
{
    const money_site *s = &l->items[i];
    money_entry_spec spec = {
        .kind = v->kind,
        .usd = s->usd,
        .indefinite = s->indefinite,
        .printed = !s->indefinite,
        .years = ys,
        .unit = s->unit,
        .at = s->at,
        .note = v->note,
    };
    site_quote(c, l, i, v, &spec.quote);
    return money_add_entry(c, &spec, out);
}

/* A classified site: what it is and its years; keep=0 drops it. */
typedef struct draft {
    int keep;
    money_verdict verdict;
    year_set years;
} draft;

static void classify_sites(const ingest_ctx *c, const site_list *sites, draft *drafts)
{
    const year_set *host_years = NULL;
    size_t host_seg = NOT_FOUND;
    for (size_t i = 0; i < sites->count; i++) {
        const money_site *s = &sites->items[i];
        draft *d = &drafts[i];
        d->keep = !not_enacted(c, s) && money_classify(c, s, &d->verdict);
        if (!d->keep)
            continue;
        if (d->verdict.note == NOTE_OF_WHICH && host_seg == s->seg_s)
            d->years = *host_years; /* the earmark shares the years of its amount */
        else
            site_years(c, s, &d->years);
        if (d->verdict.note != NOTE_OF_WHICH) {
            host_years = &d->years;
            host_seg = s->seg_s;
        }
    }
}

static int is_budget_authority(const draft *d, const money_site *s)
{
    return d->keep && d->verdict.kind != PS_MONEY_OTHER && !s->indefinite;
}

/* R3: "$100,000,000 ...: Provided, That $60,000,000 shall be for fiscal year
 * 2026 and $40,000,000 for fiscal year 2027" is recorded per year, so a total
 * without years that its dated amounts in the same sentence add up to goes. */
static void split_totals_per_year(const site_list *sites, draft *drafts)
{
    for (size_t i = 0; i < sites->count; i++) {
        const money_site *total = &sites->items[i];
        if (!is_budget_authority(&drafts[i], total) || drafts[i].years.count)
            continue;
        int64_t sum = 0;
        size_t parts = 0;
        for (size_t j = i + 1; j < sites->count && sites->items[j].seg_s == total->seg_s; j++)
            if (is_budget_authority(&drafts[j], &sites->items[j]) && drafts[j].years.count &&
                drafts[j].verdict.kind == drafts[i].verdict.kind && sum <= total->usd) {
                sum += sites->items[j].usd;
                parts++;
            }
        if (parts && sum == total->usd)
            drafts[i].keep = 0;
    }
}

int money_extract(const ingest_ctx *c, money_list *out, int *extends_unprinted)
{
    site_list sites = {0};
    *extends_unprinted = 0;
    if (c->o->enacts_nothing)
        return 1;
    if (!collect_sites(c, &sites)) {
        free(sites.items);
        return 0;
    }
    draft *drafts = calloc(sites.count + 1, sizeof(draft));
    int ok = drafts != NULL;
    for (size_t i = 0; ok && i < sites.count; i++)
        place_site(c, &sites.items[i], i > 0 ? &sites.items[i - 1] : NULL);
    if (ok) {
        link_neighbours(c, &sites);
        classify_sites(c, &sites, drafts);
        split_totals_per_year(&sites, drafts);
    }
    for (size_t i = 0; ok && i < sites.count; i++)
        if (drafts[i].keep)
            ok = build_entry(c, &sites, i, &drafts[i].verdict, &drafts[i].years, out);
    free(drafts);
    free(sites.items);
    return ok && money_add_extensions(c, out, extends_unprinted) && money_merge_other(c, out);
}
