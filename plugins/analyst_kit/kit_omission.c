/*
 * kit_omission — the analysts' turns in an omission debate: a window total
 * (expected_federal_cost_usd, federal_budget_authority_usd) that leaves out
 * effects an analyst found but the bill prints no amount for.
 *
 * The debate plugin marks such a debate in the positions it sends
 * (docs/debate-consensus.md, "Omission debates"): each author of a left-out
 * effect carries a note "Left out of the total (conf A): ID (sec. S), ..."
 * naming its left-out findings and A, the confidence of the most confident
 * of them; a holder that acknowledged carries "Acknowledged: the total is a
 * floor." The note names exactly the findings the moderator counts as left
 * out (its omission_min_impact, its "counted elsewhere" rule), so the
 * analysts cite those and need no threshold of their own. The rules
 * (docs/analysts.md):
 *
 *   - Author (no estimate of the metric, a note on its own position): it
 *     cannot size the effect, so its value is the others' mean, and its
 *     confidence is its cited findings' (the largest; the note's A when the
 *     host gives no own_findings). Round 1, "argument": the others' total
 *     leaves out each finding the note names, cited by the gist of its
 *     description, id, section and confidence; the text prints no amount,
 *     so the total is a floor. Later rounds: "rebuttal" while a holder
 *     without a note has not acknowledged, else "argument" (it holds its
 *     findings, the others agree the total is a floor).
 *   - Holder (estimates the metric), from round 2 until its own position is
 *     acknowledged, for each other position's note: the note is *rebutted*
 *     when every section it names holds an amount among the holder's own
 *     findings (no metric, non-zero fiscal_impact, same section up to the
 *     first "("): the total counts that money. Otherwise it is acknowledged:
 *     the total does not include those effects. Any acknowledged note:
 *     "concession", the value held, the confidence in the total as the
 *     complete estimate multiplied by (1 - A/2) per acknowledged note (an
 *     unsized effect is as likely small as large: the author's confidence
 *     that something is missing costs the total half of it). Only rebutted
 *     notes: "rebuttal", value and confidence held.
 *   - A holder that is an author too adds to its turns that its total is a
 *     floor, naming its own left-out findings, and from round 2 the holders
 *     without a note that have not acknowledged it.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kit_debate.h"

#define GIST_MAX 240 /* bytes of a description cited in a turn */

typedef struct kit_note {
    double confidence;        /* A, as printed */
    const char *items, *end;  /* "ID (sec. S), ID" without the final "." */
} kit_note;

typedef struct kit_item {
    const char *id, *section; /* section NULL when the note names none */
    int id_length, section_length;
} kit_item;

static int read_note(const ps_position *p, kit_note *note)
{
    const char *at = p && p->argument ? strstr(p->argument, KIT_NOTE_MARK) : NULL;
    if (!at)
        return 0;
    char *rest;
    at += strlen(KIT_NOTE_MARK);
    note->confidence = strtod(at, &rest);
    if (rest == at || !(note->confidence >= 0 && note->confidence <= 1) || strncmp(rest, "): ", 3) != 0)
        return 0;
    note->items = rest + 3;
    note->end = note->items + strlen(note->items);
    if (note->end > note->items && note->end[-1] == '.')
        note->end--;
    return 1;
}

int kit_has_note(const ps_position *p)
{
    kit_note note;
    return read_note(p, &note);
}

static int acknowledged(const ps_position *p)
{
    return p->argument && strncmp(p->argument, KIT_ACK_MARK, strlen(KIT_ACK_MARK)) == 0;
}

/* The next "ID (sec. S)" of a note; the section may hold parentheses ("2(a)"). */
static int next_item(const char **cursor, const char *end, kit_item *item)
{
    static const char section_mark[] = " (sec. ";
    const char *p = *cursor;
    *item = (kit_item){.id = p};
    while (p < end && *p != ' ' && *p != ',')
        p++;
    item->id_length = (int)(p - item->id);
    if ((size_t)(end - p) > strlen(section_mark) && strncmp(p, section_mark, strlen(section_mark)) == 0) {
        p += strlen(section_mark);
        item->section = p;
        for (int depth = 0; p < end && (*p != ')' || depth > 0); p++)
            depth += (*p == '(') - (*p == ')');
        item->section_length = (int)(p - item->section);
        p += p < end;
    }
    while (p < end && (*p == ',' || *p == ' '))
        p++;
    *cursor = p;
    return item->id_length > 0;
}

/* ---- the responder's own findings ------------------------------------------------ */

static size_t own_count(const ps_debate_prompt *prompt)
{
    return PS_HAS_FIELD(prompt, ps_debate_prompt, own_finding_count) && prompt->own_findings
               ? prompt->own_finding_count
               : 0;
}

/* The i-th own finding if readable, with its id. */
static const ps_finding *own_finding(const ps_debate_prompt *prompt, size_t i, const char **id)
{
    const ps_finding_record *rec = prompt->own_findings[i];
    if (!PS_HAS_FIELD(rec, ps_finding_record, finding) || !rec->finding_id || !rec->finding ||
        rec->finding->struct_size < KIT_V1_SIZE(ps_finding, value))
        return NULL;
    *id = rec->finding_id;
    return rec->finding;
}

const char *kit_own_evidence(const kit_turn *t)
{
    const ps_finding *best = NULL;
    for (size_t i = 0; i < own_count(t->prompt); i++) {
        const char *id;
        const ps_finding *f = own_finding(t->prompt, i, &id);
        if (f && f->metric && strcmp(f->metric, t->prompt->metric) == 0 && (!best || f->confidence > best->confidence))
            best = f;
    }
    return best ? best->description : NULL;
}

static const ps_finding *own_finding_named(const kit_turn *t, const kit_item *item)
{
    for (size_t i = 0; i < own_count(t->prompt); i++) {
        const char *id;
        const ps_finding *f = own_finding(t->prompt, i, &id);
        if (f && strlen(id) == (size_t)item->id_length && strncmp(id, item->id, (size_t)item->id_length) == 0)
            return f;
    }
    return NULL;
}

/* Same bill section: equal up to the first "(" ("2(a)" is section 2). */
static int same_section(const char *a, const char *b, size_t b_length)
{
    size_t la = strcspn(a, "("), lb = 0;
    while (lb < b_length && b[lb] != '(')
        lb++;
    return la > 0 && la == lb && strncmp(a, b, la) == 0;
}

/* An own finding reports an amount (no metric, non-zero fiscal_impact) in the item's section. */
static int own_amount_in(const kit_turn *t, const kit_item *item)
{
    for (size_t i = 0; item->section && i < own_count(t->prompt); i++) {
        const char *id;
        const ps_finding *f = own_finding(t->prompt, i, &id);
        const ps_fiscal_impact *money = f ? f->fiscal_impact : NULL;
        if (PS_HAS_FIELD(money, ps_fiscal_impact, amount_billions) && (!f->metric || !f->metric[0]) &&
            money->amount_billions != 0 && f->related_section &&
            same_section(f->related_section, item->section, (size_t)item->section_length))
            return 1;
    }
    return 0;
}

/* ---- text ------------------------------------------------------------------------- */

/* The gist of a description: up to its first sentence end (". " before a
 * capital) or "; ", leaving out quotations (" (\"...\")"), at most
 * GIST_MAX bytes of it. */
static void add_gist(kit_buf *b, const char *d)
{
    size_t from = 0, n = 0, written = 0;
    while (d[n] && written + (n - from) < GIST_MAX &&
           !(d[n] == '.' && d[n + 1] == ' ' && isupper((unsigned char)d[n + 2])) && !(d[n] == ';' && d[n + 1] == ' ')) {
        const char *quote_end = strncmp(d + n, " (\"", 3) == 0 ? strstr(d + n, "\")") : NULL;
        if (quote_end) {
            kit_buf_add(b, "%.*s", (int)(n - from), d + from);
            written += n - from;
            n = from = (size_t)(quote_end + 2 - d);
        } else {
            n++;
        }
    }
    int cut = d[n] && written + (n - from) >= GIST_MAX;
    while (cut && n > from && ((unsigned char)d[n] & 0xC0) == 0x80)
        n--; /* never split a UTF-8 character */
    if (!d[n] && n > from && d[n - 1] == '.')
        n--;
    kit_buf_add(b, "%.*s%s", (int)(n - from), d + from, cut ? "..." : "");
}

static void add_item(kit_buf *b, const kit_item *item)
{
    kit_buf_add(b, "%.*s", item->id_length, item->id);
    if (item->section)
        kit_buf_add(b, " (sec. %.*s)", item->section_length, item->section);
}

/* Cites each finding the note names: with gist, id, section and confidence
 * ("; "-joined) when it is among the own findings and gists is set, else as
 * the note names it (", "-joined). Returns the largest confidence of the
 * own findings cited, or -1 when none was. */
static double add_items(const kit_turn *t, const kit_note *note, int gists, kit_buf *b)
{
    double confidence = -1;
    const char *cursor = note->items;
    kit_item item;
    for (int n = 0; cursor < note->end && next_item(&cursor, note->end, &item); n++) {
        const ps_finding *f = own_finding_named(t, &item);
        kit_buf_add(b, "%s", n ? (gists ? "; " : ", ") : "");
        if (f && gists && f->description) {
            add_gist(b, f->description);
            kit_buf_add(b, " [");
            add_item(b, &item);
            kit_buf_add(b, ", confidence %.2f]", f->confidence);
        } else {
            add_item(b, &item);
        }
        if (f)
            confidence = fmax(confidence, f->confidence);
    }
    return confidence;
}

/* Lists the other positions without a note (the holders the authors
 * challenge) that have (acknowledged = 1) or have not acknowledged.
 * Returns how many. */
static size_t add_holders(const kit_turn *t, int want_acknowledged, kit_buf *b)
{
    size_t n = 0;
    for (size_t i = 0; i < t->prompt->position_count; i++) {
        const ps_position *p = t->prompt->positions[i];
        if (!kit_position_ok(p) || p == t->own || kit_has_note(p) || acknowledged(p) != want_acknowledged)
            continue;
        if (b)
            kit_buf_add(b, "%s%s", n ? ", " : "", p->agent_id);
        n++;
    }
    return n;
}

/* ---- the author's turn ------------------------------------------------------------ */

void kit_author_turn(const kit_turn *t, ps_debate_reply *reply)
{
    kit_note note;
    read_note(t->own, &note);
    kit_buf *b = kit_reply_text();
    const char *metric = t->prompt->metric, *total = t->mean_text;
    const char *turn = "argument";
    size_t pending = add_holders(t, 0, NULL), done = add_holders(t, 1, NULL);
    double confidence;
    if (t->prompt->round_number <= 1) {
        kit_buf_add(b, "The others' %s total (%s) leaves out what I found: ", metric, total);
        confidence = add_items(t, &note, 1, b);
        kit_buf_add(b, ". The text prints no amount for any of it, so %s is a floor, not the whole effect. I cannot size "
                       "it: I take the others' mean (%s) as my position",
                    total, total);
    } else if (pending > 0) {
        add_holders(t, 0, b);
        kit_buf_add(b, " %s not acknowledged that the %s total is a floor", pending > 1 ? "have" : "has", total);
        if (done > 0) {
            kit_buf_add(b, " (");
            add_holders(t, 1, b);
            kit_buf_add(b, " did)");
        }
        kit_buf_add(b, ". The text prints no amount for what I found, ");
        confidence = add_items(t, &note, 0, b);
        kit_buf_add(b, ", and a total that adds printed amounts cannot include it. I hold my position");
        turn = "rebuttal";
    } else {
        if (done > 0) {
            add_holders(t, 1, b);
            kit_buf_add(b, " %s that the %s total is a floor.", done > 1 ? "acknowledge" : "acknowledges", total);
        } else {
            kit_buf_add(b, "No holder disputes that the %s total is a floor.", total);
        }
        kit_buf_add(b, " I hold my findings, ");
        confidence = add_items(t, &note, 0, b);
        kit_buf_add(b, ": the text prints no amount for them, so the effect stays unsized. I hold my position");
    }
    confidence = confidence < 0 ? note.confidence : fmin(1, confidence);
    kit_buf_add(b, " (confidence %.2f).", confidence);
    kit_reply(reply, t->others_mean, confidence, turn);
}

void kit_add_own_floor(const kit_turn *t, kit_buf *b)
{
    kit_note note;
    if (!read_note(t->own, &note))
        return;
    if (t->prompt->round_number <= 1) {
        kit_buf_add(b, " It is a floor: my own findings flag what it leaves out, for which the text prints no amount: ");
        add_items(t, &note, 0, b);
        kit_buf_add(b, ".");
        return;
    }
    kit_buf_add(b, " My total stays a floor: my own findings flag what it leaves out, ");
    add_items(t, &note, 0, b);
    size_t pending = add_holders(t, 0, NULL);
    if (pending > 0) {
        kit_buf_add(b, "; ");
        add_holders(t, 0, b);
        kit_buf_add(b, " %s not acknowledged that", pending > 1 ? "have" : "has");
    }
    kit_buf_add(b, ".");
}

/* ---- the holder's answer ------------------------------------------------------------ */

int kit_omission_pending(const kit_turn *t)
{
    if (t->prompt->round_number < 2 || !t->own || acknowledged(t->own))
        return 0;
    for (size_t i = 0; i < t->prompt->position_count; i++) {
        const ps_position *p = t->prompt->positions[i];
        if (kit_position_ok(p) && p != t->own && kit_has_note(p))
            return 1;
    }
    return 0;
}

/* Every section the note names holds an amount among the own findings. */
static int note_counted(const kit_turn *t, const kit_note *note)
{
    const char *cursor = note->items;
    kit_item item;
    int items = 0;
    while (cursor < note->end && next_item(&cursor, note->end, &item)) {
        if (!own_amount_in(t, &item))
            return 0;
        items++;
    }
    return items > 0;
}

/* The next other position (from *i on) whose note the own findings count
 * (counted = 1) or do not count (counted = 0), or NULL. */
static const ps_position *next_note(const kit_turn *t, int counted, size_t *i, kit_note *note)
{
    while (*i < t->prompt->position_count) {
        const ps_position *p = t->prompt->positions[(*i)++];
        if (kit_position_ok(p) && p != t->own && read_note(p, note) && note_counted(t, note) == counted)
            return p;
    }
    return NULL;
}

/* "what A flags, items<join>what B flags, items" for the notes next_note
 * finds; returns how many. */
static size_t add_notes(const kit_turn *t, int counted, const char *join, kit_buf *b)
{
    size_t i = 0, n = 0;
    kit_note note;
    for (const ps_position *p; (p = next_note(t, counted, &i, &note)) != NULL; n++) {
        kit_buf_add(b, "%swhat %s flags, ", n ? join : "", p->agent_id);
        add_items(t, &note, 0, b);
    }
    return n;
}

/* The product of (1 - A/2) over the notes the own findings do not count,
 * written as " x (1 - A/2) x ..." into factors. */
static double conceded_factor(const kit_turn *t, kit_buf *factors)
{
    size_t i = 0;
    double factor = 1;
    kit_note note;
    while (next_note(t, 0, &i, &note)) {
        factor *= 1 - note.confidence / 2;
        kit_buf_add(factors, " x (1 - %.2f/2)", note.confidence);
    }
    return factor;
}

void kit_holder_omission_turn(const kit_turn *t, ps_debate_reply *reply)
{
    const char *metric = t->prompt->metric;
    double v = t->own->value, c = t->own->confidence;
    char v_text[48], factor_text[256];
    kit_buf factors;
    kit_buf_init(&factors, factor_text, sizeof factor_text);
    double factor = conceded_factor(t, &factors);
    kit_format_value(metric, v, v_text, sizeof v_text);
    kit_buf *b = kit_reply_text();
    if (factors.length > 0) { /* some note is not counted: concede it */
        kit_buf_add(b, "My %s total is a floor: it does not include ", v_text);
        add_notes(t, 0, "; nor ", b);
        kit_buf_add(b, ". The text prints no amount for any of it and my total adds printed amounts only, so ");
        if (c > 0)
            kit_buf_add(b, "I lower my confidence in %s as the complete %s from %.2f to %.2f = %.2f%s", v_text, metric,
                        c, c * factor, c, factors.text);
        else
            kit_buf_add(b, "my confidence in %s as the complete %s stays 0.00", v_text, metric);
        kit_buf_add(b, "; I hold the figure.");
    }
    size_t i = 0;
    kit_note note;
    if (next_note(t, 1, &i, &note)) {
        kit_buf_add(b, "%sBy my own findings, ", factors.length > 0 ? " " : "");
        size_t rebutted = add_notes(t, 1, "; ", b);
        kit_buf_add(b, " %s in my %s total: they carry an amount in each section %s.", rebutted > 1 ? "are" : "is",
                    v_text, rebutted > 1 ? "those notes name" : "it names");
    }
    int conceded = factors.length > 0;
    if (!conceded)
        kit_buf_add(b, " I hold %s (confidence %.2f).", v_text, c);
    kit_add_own_floor(t, b);
    kit_reply(reply, v, conceded ? c * factor : c, conceded ? "concession" : "rebuttal");
}
