/*
 * ingest_internal.h — private types shared by the ingest module's files.
 *
 * Owns nothing by itself; describes the working data of one ingest run:
 *   - doc: the bill text and an ASCII-lowercased copy (same offsets), so every
 *     phrase search is a plain memmem on lowercase needles;
 *   - arena: the allocator behind the returned ps_bill (freed in one go);
 *   - outline: lines and the tree of units (bill sections, subsections,
 *     paragraph markers, and the labelled parts of inserted law text);
 *   - amendments: "X of <law> is amended" statements, struck text and the
 *     citations they give to inserted text.
 */
#ifndef PS_INGEST_INTERNAL_H
#define PS_INGEST_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include "ingest/ingest.h"

#define NOT_FOUND ((size_t)-1)
#define INGEST_OPEN_END_YEAR 2035 /* "... and each fiscal year thereafter" ends here (R4) */
#define INGEST_MAX_DEPTH 12       /* unit nesting kept; deeper labels attach to the deepest */

/* ---- arena ----------------------------------------------------------------- */
typedef struct arena_block arena_block;
typedef struct arena {
    arena_block *head;
    int failed; /* an allocation failed: the result must be discarded */
} arena;

void *arena_alloc(arena *a, size_t size); /* zeroed; NULL (and failed=1) on OOM */
char *arena_strndup(arena *a, const char *s, size_t n);
void arena_release(arena *a);

/* Grows a malloc'd array to hold `need` elements; 0 on OOM (array untouched). */
int grow_array(void **items, size_t *cap, size_t need, size_t elem_size);

/* ---- text -------------------------------------------------------------------- */
typedef struct doc {
    const char *text;  /* NUL-terminated */
    const char *lower; /* ASCII-lowercased copy, same length */
    size_t len;
} doc;

int is_word_char(unsigned char c);
/* First/last occurrence of a lowercase needle wholly inside [from, to). */
size_t doc_find(const doc *d, size_t from, size_t to, const char *needle);
size_t doc_rfind(const doc *d, size_t from, size_t to, const char *needle);
int doc_has(const doc *d, size_t from, size_t to, const char *needle);
/* Needle found with a word boundary before it (and after it unless it ends in '*'). */
int doc_has_word(const doc *d, size_t from, size_t to, const char *word);
int doc_has_any(const doc *d, size_t from, size_t to, const char *const *needles);
int doc_has_any_word(const doc *d, size_t from, size_t to, const char *const *words);
int doc_at(const doc *d, size_t at, size_t to, const char *needle);
size_t skip_blanks(const doc *d, size_t at, size_t to);
size_t trim_end(const doc *d, size_t from, size_t to);
/* [s, e) ends with "—" or ":", introducing a list. */
int ends_list_intro(const doc *d, size_t s, size_t e);
/* Start of the word that ends just before `at` (skipping blanks), NOT_FOUND if none. */
size_t prev_word(const doc *d, size_t floor, size_t at, size_t *word_end);

/* "$83,403,000", "$1.6 billion" at d->text[at] == '$'. 0 if not an amount or too large. */
int parse_dollars(const doc *d, size_t at, size_t to, int64_t *usd, size_t *end);

/* Fiscal years named by a phrase (R4/R6). */
#define YEARS_MAX 64
typedef struct year_set {
    uint16_t years[YEARS_MAX];
    size_t count;
    int open_ended;
    int period_total;
    size_t start, end; /* the phrase */
} year_set;

/* First (want_last=0) or last fiscal-year phrase in [from, to). */
int find_fiscal_years(const doc *d, size_t from, size_t to, int want_last, year_set *out);
/* Bare years at `at` ("2025 through 2029", "fiscal year 2028"); end set past them. */
int parse_bare_years(const doc *d, size_t at, size_t to, year_set *out, size_t *end);

/* Sentence (or ';'-clause) around `at` inside [lo, hi). */
void sentence_bounds(const doc *d, size_t lo, size_t hi, size_t at, size_t *s, size_t *e);

/* ---- labels ------------------------------------------------------------------ */
enum unit_level {
    LEVEL_SECTION = 0,      /* bill section, or an inserted law section "644." */
    LEVEL_SUBSECTION = 1,   /* (a) */
    LEVEL_PARAGRAPH = 2,    /* (1) */
    LEVEL_SUBPARAGRAPH = 3, /* (A) */
    LEVEL_CLAUSE = 4,       /* (i) */
    LEVEL_SUBCLAUSE = 5,    /* (I) */
    LEVEL_ITEM = 6,         /* (aa) */
    LEVEL_SUBITEM = 7       /* (AA) */
};

#define LABEL_MAX 16
typedef struct open_label {
    int level;
    const char *label; /* without parentheses */
} open_label;

/* Value of a roman numeral (either case, up to 39), 0 if it is none. */
int roman_value(const char *s, size_t n);
/* Levels a label text could have (1 or 2 of them); 0 when it is no label. */
int label_candidates(const char *s, size_t n, int out[2]);
/* The level of a label given the labels currently open (outermost first). */
int label_choose_level(const char *s, size_t n, const open_label *open, size_t open_count,
                       int hint_level, int *fits);
/* Level named by a designation word ("subsection" -> 1), -1 if none. */
int designation_level(const char *word, size_t n);

/* ---- outline ------------------------------------------------------------------ */
enum line_kind { LINE_TEXT, LINE_HEADING, LINE_MARKER, LINE_DIVIDER, LINE_INSERTED };

typedef struct line {
    size_t start, end; /* without the newline */
    int kind;
    int unit; /* innermost bill unit open on this line (-1 none) */
} line;

typedef struct unit {
    int parent;             /* -1: top level */
    int level;              /* enum unit_level */
    int inserted;           /* labelled part of inserted law text */
    int excluded;           /* findings / sense of Congress (inherited) */
    char label[LABEL_MAX];  /* "3", "a", "K" (no parentheses) */
    size_t start, end;      /* whole unit */
    size_t head_start, head_end; /* heading text; empty when none */
    size_t first_child;     /* start of the first child, or end */
} unit;

typedef struct outline {
    line *lines;
    size_t line_count, line_cap;
    unit *units;
    size_t unit_count, unit_cap;
    size_t body_start;          /* end of the preamble (doc type, official title) */
    size_t title_start, title_end; /* official title line ("To amend ...") */
    int enacts_nothing;         /* simple or concurrent resolution */
    int appropriations_act;     /* "Making appropriations for ..." */
} outline;

int outline_build(outline *o, const doc *d); /* 0 on out-of-memory; free it either way */
void outline_free(outline *o);
int outline_unit_at(const outline *o, size_t off); /* innermost unit, -1 none */
int outline_line_at(const outline *o, size_t off);
/* Start of the first unit inside u that begins after `off`, or u's end. */
size_t outline_next_unit_start(const outline *o, int u, size_t off);
/* Nearest enclosing bill unit at level <= max_level (-1 none). */
int outline_bill_ancestor(const outline *o, int u, int max_level);
/* "3(a)(1)" for a bill unit; written into buf. */
void outline_bill_number(const outline *o, int u, char *buf, size_t size);
/* Labels of inserted law text, for the inserted lines of the outline. */
int inserted_parse(outline *o, const doc *d, size_t line_index, int parent, int hint_level);

/* ---- amendments --------------------------------------------------------------- */
enum law_id { LAW_NONE, LAW_IRC, LAW_SSA, LAW_PHSA, LAW_ACA, LAW_EDUCATION, LAW_USC, LAW_OTHER };

#define CITE_PARTS 10
typedef struct citation {
    char parts[CITE_PARTS][LABEL_MAX]; /* "12", "b", "2" */
    size_t count;
} citation;

typedef struct amendment {
    size_t at;          /* start of the sentence */
    size_t verb;        /* " is amended" */
    int unit;           /* bill unit holding the statement */
    int law;            /* enum law_id */
    int usc_title;      /* LAW_USC: the title number */
    int ssa_title;      /* LAW_SSA: title number when known (2, 18, 19, ...), else 0 */
    citation cite;      /* section amended, as printed; may be empty */
} amendment;

typedef struct span_list {
    size_t (*spans)[2];
    size_t count, cap;
} span_list;

typedef struct amend_index {
    amendment *items;
    size_t count, cap;
    span_list struck;   /* text being struck (not enacted) */
    span_list inserted; /* inline inserted text ("and inserting X") */
} amend_index;

int amend_index_build(amend_index *ai, const outline *o, const doc *d);
void amend_index_free(amend_index *ai);
int in_spans(const span_list *l, size_t off);
/* Index of the first span starting at or after off. */
size_t spans_from(const span_list *l, size_t off);
/* Start of the span holding off, NOT_FOUND if none. */
size_t span_start_at(const span_list *l, size_t off);
/* The statement governing text at `off` inside unit u (-1 none). */
int amend_governing(const amend_index *ai, const outline *o, int u, size_t off);
/* Law citation of text at `off` ("12(b)(2)(K)"), "" when not inside amended law. */
void amend_law_label(const amend_index *ai, const outline *o, const doc *d, int u, size_t off,
                     char *buf, size_t size);
void citation_format(const citation *c, char *buf, size_t size);
/* Citation printed in a statement's subject ("Clause (i) of section 36B(b)(2)(B)"). */
int citation_from_subject(const doc *d, size_t s, size_t e, const citation *previous, citation *out);
/* The number part of an IRC/SSA section ("36B" -> 36), 0 if none. */
long citation_number(const citation *c);

/* ---- analysis stages ------------------------------------------------------------ */
typedef struct ingest_ctx {
    const doc *d;
    const outline *o;
    const amend_index *ai;
    arena *a;
} ingest_ctx;

typedef struct money_list {
    ps_money *items;
    size_t count, cap;
} money_list;

int money_extract(const ingest_ctx *c, money_list *out, int *extends_unprinted);
int tax_extract(const ingest_ctx *c, ps_tax_provision **out, size_t *count);
uint32_t programs_detect(const ingest_ctx *c);
int unquantified_detect(const ingest_ctx *c, int extends_unprinted);

#endif
