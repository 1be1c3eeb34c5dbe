/*
 * Unit tests: ingest (host/ingest/ingest.h).
 *   - every hand-read dev bill (tests/data/dev, truth.json): the FY2026-2035
 *     total, indefinite and unquantified flags, programs, tax provisions and
 *     each money entry (kind, amount, years, section label, flags);
 *   - the 200 corpus bills and hostile input: no crash, consistent output.
 * The counting rules on small bills are in test_ingest_rules.c.
 */
#include <check.h>
#include <cjson/cJSON.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest_fixture.h"
#include "../check_main.h"

#define DEV_DIR PS_TEST_DATA_DIR "/dev"
#define CORPUS_DIR PS_TEST_DATA_DIR "/corpus"
#define KEY_SIZE 512

static cJSON *truth;
static int dev_count;

static const cJSON *dev_truth(int i)
{
    const cJSON *bill = cJSON_GetArrayItem(truth, i);
    ck_assert_ptr_nonnull(bill);
    return bill;
}

static ingest_result *ingest_dev(int i)
{
    return ingest_dev_bill(dev_truth(i)->string, "analysis-1");
}

/* ---- consistency every bill must have ---------------------------------------------- */

static void check_span(const ps_bill *b, ps_span s)
{
    ck_assert_uint_le(s.offset, b->text_length);
    ck_assert_uint_le(s.length, b->text_length - s.offset);
}

static void check_invariants(const ps_bill *b)
{
    ck_assert_ptr_nonnull(b->text);
    ck_assert_uint_eq(strlen(b->text), b->text_length);
    for (size_t i = 0; i < b->section_count; i++) {
        ck_assert_ptr_nonnull(b->sections[i]->number);
        ck_assert_ptr_nonnull(b->sections[i]->heading);
        check_span(b, b->sections[i]->span);
    }
    for (size_t i = 0; i < b->money_count; i++) {
        const ps_money *m = b->money[i];
        check_span(b, m->quote);
        ck_assert_ptr_nonnull(m->section);
        ck_assert_ptr_nonnull(m->bill_section);
        for (size_t y = 1; y < m->year_count; y++)
            ck_assert_uint_lt(m->years[y - 1], m->years[y]);
        if (m->counted)
            ck_assert(m->kind != PS_MONEY_OTHER && m->amount_usd > 0 && !m->indefinite);
        if (m->indefinite)
            ck_assert(m->amount_usd == 0 && !m->counted);
    }
    for (size_t i = 0; i < b->tax_provision_count; i++)
        check_span(b, b->tax_provisions[i]->quote);
    ck_assert_int_ge(ingest_window_total(b, 2026, 2035), 0);
}

/* ---- dev bills against truth.json ------------------------------------------------------- */

START_TEST(dev_total_matches_truth)
{
    ingest_result *r = ingest_dev(_i);
    const cJSON *t = dev_truth(_i);
    double expected = cJSON_GetObjectItem(t, "total_2026_2035_usd")->valuedouble;
    ck_assert_msg(ingest_window_total(ingest_view(r), 2026, 2035) == (int64_t)expected, "%s: total %lld, truth %.0f",
                  t->string, (long long)ingest_window_total(ingest_view(r), 2026, 2035), expected);
    ingest_free(r);
}
END_TEST

START_TEST(dev_indefinite_matches_truth)
{
    ingest_result *r = ingest_dev(_i);
    const ps_bill *b = ingest_view(r);
    int indefinite = 0;
    for (size_t i = 0; i < b->money_count; i++)
        indefinite |= b->money[i]->indefinite;
    ck_assert_msg(indefinite == cJSON_IsTrue(cJSON_GetObjectItem(dev_truth(_i), "has_indefinite")), "%s",
                  dev_truth(_i)->string);
    ingest_free(r);
}
END_TEST

START_TEST(dev_unquantified_effects_match_truth)
{
    ingest_result *r = ingest_dev(_i);
    ck_assert_msg(ingest_view(r)->unquantified_effects ==
                      cJSON_IsTrue(cJSON_GetObjectItem(dev_truth(_i), "unquantified_budget_effects")),
                  "%s", dev_truth(_i)->string);
    ingest_free(r);
}
END_TEST

static uint32_t program_bit_named(const char *name)
{
    for (unsigned bit = 0; bit < 32; bit++) {
        const char *known = ingest_program_name(1u << bit);
        if (known && strcmp(known, name) == 0)
            return 1u << bit;
    }
    ck_assert_msg(strcmp(name, "none") == 0, "unknown program %s", name);
    return 0;
}

START_TEST(dev_programs_match_truth)
{
    ingest_result *r = ingest_dev(_i);
    uint32_t expected = 0;
    const cJSON *name;
    cJSON_ArrayForEach(name, cJSON_GetObjectItem(dev_truth(_i), "programs_touched"))
        expected |= program_bit_named(name->valuestring);
    ck_assert_msg(ingest_view(r)->programs == expected, "%s: programs 0x%x, truth 0x%x", dev_truth(_i)->string,
                  ingest_view(r)->programs, expected);
    ingest_free(r);
}
END_TEST

static int compare_keys(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Both lists of keys sorted and equal, else the first difference. */
static void assert_same_multiset(const char *bill, char **got, size_t got_n, char **want, size_t want_n)
{
    qsort(got, got_n, sizeof(char *), compare_keys);
    qsort(want, want_n, sizeof(char *), compare_keys);
    for (size_t i = 0; i < got_n || i < want_n; i++)
        ck_assert_msg(i < got_n && i < want_n && strcmp(got[i], want[i]) == 0, "%s: entry %zu found '%s', truth '%s'",
                      bill, i, i < got_n ? got[i] : "(none)", i < want_n ? want[i] : "(none)");
}

static size_t section_number_length(const char *s)
{
    return strcspn(s, "(");
}

static char *money_key(const ps_bill *b, size_t i)
{
    const ps_money *m = b->money[i];
    char *key = malloc(KEY_SIZE);
    int n = snprintf(key, KEY_SIZE, "%s|", ingest_money_kind_name(m->kind));
    if (m->amount_printed && !m->indefinite)
        n += snprintf(key + n, KEY_SIZE - n, "%lld|", (long long)m->amount_usd);
    else
        n += snprintf(key + n, KEY_SIZE - n, "null|");
    for (size_t y = 0; y < m->year_count; y++)
        n += snprintf(key + n, KEY_SIZE - n, "%u,", m->years[y]);
    snprintf(key + n, KEY_SIZE - n, "|%s|%.*s|counted=%d|open=%d|period=%d|indefinite=%d", m->section,
             (int)section_number_length(m->bill_section), m->bill_section, m->counted, m->open_ended,
             m->period_total, m->indefinite);
    return key;
}

static int truth_flag(const cJSON *e, const char *name)
{
    return cJSON_IsTrue(cJSON_GetObjectItem(e, name));
}

static char *truth_money_key(const cJSON *e)
{
    char *key = malloc(KEY_SIZE);
    const cJSON *amount = cJSON_GetObjectItem(e, "amount_usd");
    const char *bill_section = cJSON_GetObjectItem(e, "bill_section")->valuestring;
    int n = snprintf(key, KEY_SIZE, "%s|", cJSON_GetObjectItem(e, "kind")->valuestring);
    if (cJSON_IsNumber(amount))
        n += snprintf(key + n, KEY_SIZE - n, "%.0f|", amount->valuedouble);
    else
        n += snprintf(key + n, KEY_SIZE - n, "null|");
    const cJSON *year;
    cJSON_ArrayForEach(year, cJSON_GetObjectItem(e, "years"))
        n += snprintf(key + n, KEY_SIZE - n, "%d,", year->valueint);
    snprintf(key + n, KEY_SIZE - n, "|%s|%.*s|counted=%d|open=%d|period=%d|indefinite=%d",
             cJSON_GetObjectItem(e, "section")->valuestring, (int)section_number_length(bill_section), bill_section,
             truth_flag(e, "counted_in_total"), truth_flag(e, "open_ended"), truth_flag(e, "period_total"),
             truth_flag(e, "indefinite"));
    return key;
}

static void free_keys(char **keys, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(keys[i]);
    free(keys);
}

static char *tax_key(const ps_bill *b, size_t i)
{
    char *key = malloc(KEY_SIZE);
    snprintf(key, KEY_SIZE, "%s|%s", ingest_tax_kind_name(b->tax_provisions[i]->kind),
             b->tax_provisions[i]->bill_section);
    return key;
}

static char *truth_tax_key(const cJSON *e)
{
    char *key = malloc(KEY_SIZE);
    snprintf(key, KEY_SIZE, "%s|%s", cJSON_GetObjectItem(e, "kind")->valuestring,
             cJSON_GetObjectItem(e, "bill_section")->valuestring);
    return key;
}

static size_t money_count(const ps_bill *b)
{
    return b->money_count;
}

static size_t tax_provision_count(const ps_bill *b)
{
    return b->tax_provision_count;
}

/* Dev bill i's entries (count of them, keyed by bill_key) and the entries
 * of its truth.json list list_name (keyed by truth_key) are the same
 * multiset. */
static void assert_entries_match_truth(int i, size_t (*count)(const ps_bill *),
                                       char *(*bill_key)(const ps_bill *, size_t), const char *list_name,
                                       char *(*truth_key)(const cJSON *))
{
    ingest_result *r = ingest_dev(i);
    const ps_bill *b = ingest_view(r);
    size_t got_n = count(b);
    const cJSON *list = cJSON_GetObjectItem(dev_truth(i), list_name);
    size_t want_n = (size_t)cJSON_GetArraySize(list);
    char **got = calloc(got_n + 1, sizeof(char *)), **want = calloc(want_n + 1, sizeof(char *));
    for (size_t k = 0; k < got_n; k++)
        got[k] = bill_key(b, k);
    for (size_t k = 0; k < want_n; k++)
        want[k] = truth_key(cJSON_GetArrayItem(list, (int)k));
    assert_same_multiset(dev_truth(i)->string, got, got_n, want, want_n);
    free_keys(got, got_n);
    free_keys(want, want_n);
    ingest_free(r);
}

START_TEST(dev_money_entries_match_truth)
{
    assert_entries_match_truth(_i, money_count, money_key, "authorizations", truth_money_key);
}
END_TEST

START_TEST(dev_tax_provisions_match_truth)
{
    assert_entries_match_truth(_i, tax_provision_count, tax_key, "tax_provisions", truth_tax_key);
}
END_TEST

START_TEST(dev_bill_is_consistent)
{
    ingest_result *r = ingest_dev(_i);
    check_invariants(ingest_view(r));
    ingest_free(r);
}
END_TEST

/* ---- robustness ------------------------------------------------------------------------------ */

START_TEST(empty_and_null_input)
{
    ingest_result *r = ingest_bill("", 0, NULL, NULL, NULL);
    ck_assert_ptr_nonnull(r);
    ck_assert_str_eq(ingest_view(r)->text, "");
    ck_assert_uint_eq(ingest_view(r)->money_count + ingest_view(r)->section_count, 0);
    ck_assert_ptr_null(ingest_view(r)->title);
    ingest_free(r);
    r = ingest_bill(NULL, 0, NULL, NULL, NULL);
    ck_assert_ptr_nonnull(r);
    ingest_free(r);
    ck_assert_ptr_null(ingest_bill(NULL, 5, NULL, NULL, NULL));
    ingest_free(NULL);
    ck_assert_int_eq(ingest_window_total(NULL, 2026, 2035), 0);
}
END_TEST

static const char *const EDGE_INPUTS[] = {
    "$", "$$$$", "$,", "$.", "$ ", "$1", "$0", "$.05", "$1.", "$1,", "$1,00", "$999,999,999,999,999,999,999",
    "$999,999,999,999,999,999,999 for fiscal year 2026", "$1 trillion trillion", "####", "#####", "##### (",
    "#### (a", "**(", "**(1)", "**(1)**", "**()**", "(", ")", "()", "(a)", "such sums as", "such sums as may be",
    "fiscal year", "fiscal years 2026 through", "fiscal year 9999", "fiscal years 2026 through 1900",
    "A BILL", "A BILL\n", "RESOLUTION\n", "#### 1.", "SEC. ", "SEC. 1.", "SECTION", "\n\n\n", "\r\n\r\n",
    "#### 1. X\nSection 1 of the Y Act is amended by adding at the end the following:",
    "#### 1. X\nSection 1 of the Y Act is amended by adding at the end the following:\n",
    "#### 1. X\nSection 1 of the Y Act is amended by adding at the end the following:\n(",
    "#### 1. X\nSection 1 of such Code is amended by striking",
    "#### 1. X\nby striking 2020 through and inserting 2021 through",
    "#### 1. X\nThere is authorized to be appropriated $5 for fiscal year 2026 and each fiscal year thereafter",
    "#### 1. X\n(i) (ii) (iii) (iv) (v) (I) (II) (aa) (AA) (zz) (ZZ) (xxxix) (XXXIX) (1000)",
    "II\nII\n#### II\n##### (ii)\n**(ii)**\n(ii)\n",
};

START_TEST(edge_inputs_never_crash)
{
    const char *text = EDGE_INPUTS[_i];
    ingest_result *r = ingest_text(text);
    const ps_bill *b = ingest_view(r);
    check_invariants(b);
    for (size_t i = 0; i < b->money_count; i++)
        ck_assert_int_le(b->money[i]->amount_usd, 1000000000000000LL);
    ingest_free(r);
}
END_TEST

/* Text built from one repeated piece: deep nesting, long inserted lines. */
static char *repeated(const char *head, const char *piece, size_t times)
{
    size_t h = strlen(head), p = strlen(piece);
    char *text = malloc(h + p * times + 1);
    ck_assert_ptr_nonnull(text);
    memcpy(text, head, h);
    for (size_t i = 0; i < times; i++)
        memcpy(text + h + i * p, piece, p);
    text[h + p * times] = '\0';
    return text;
}

START_TEST(large_structures_stay_consistent)
{
    static const struct { const char *head, *piece; size_t times; } cases[] = {
        {BILL_HEAD "#### 2. X\n", "**(1)**\n**(A)**\n**(i)**\n**(I)**\n**(aa)**\n**(AA)**\n", 300},
        {BILL_HEAD "#### 2. X\nSection 1 of the Y Act is amended by adding at the end the following:\n",
         "(1) There are authorized to be appropriated— (A) $1,000 for fiscal year 2026; ", 3000},
        {BILL_HEAD "#### 2. X\n", "There is authorized to be appropriated $7 for fiscal year 2026, of which $1 ", 3000},
        {"", "$$$$((((####**(1)**\n", 3000},
    };
    for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
        char *text = repeated(cases[c].head, cases[c].piece, cases[c].times);
        ingest_result *r = ingest_text(text);
        check_invariants(ingest_view(r));
        ingest_free(r);
        free(text);
    }
}
END_TEST

START_TEST(binary_garbage_never_crashes)
{
    static const char alphabet[] = "$(),.;:#*\n \t0123456789aAiIvVxX\xe2\x80\x94\x00\xff";
    for (unsigned round = 0; round < 300; round++) {
        unsigned state = 12345u + round;
        size_t length = 1 + (size_t)(round * 37u % 4096u);
        char *text = malloc(length);
        ck_assert_ptr_nonnull(text);
        for (size_t i = 0; i < length; i++) {
            state = state * 1103515245u + 12345u;
            text[i] = (state >> 16) % 3 ? alphabet[(state >> 8) % (sizeof(alphabet) - 1)] : (char)(state >> 8);
        }
        ingest_result *r = ingest_bill(text, length, NULL, NULL, NULL);
        ck_assert_msg(r != NULL, "round %u", round);
        ck_assert_uint_eq(ingest_view(r)->text_length, length);
        check_invariants(ingest_view(r));
        ingest_free(r);
        free(text);
    }
}
END_TEST

START_TEST(every_corpus_bill_ingests_consistently)
{
    DIR *dir = opendir(CORPUS_DIR);
    ck_assert_ptr_nonnull(dir);
    size_t bills = 0;
    for (struct dirent *e; (e = readdir(dir)) != NULL;) {
        size_t n = strlen(e->d_name), length;
        if (n < 5 || strcmp(e->d_name + n - 4, ".txt") != 0)
            continue;
        char path[1024];
        snprintf(path, sizeof(path), "%s/%s", CORPUS_DIR, e->d_name);
        char *text = test_read_file(path, &length);
        ingest_result *r = ingest_bill(text, length, "a", e->d_name, NULL);
        ck_assert_msg(r != NULL, "%s", e->d_name);
        check_invariants(ingest_view(r));
        if (strstr(text, "\n#### "))
            ck_assert_msg(ingest_view(r)->section_count > 0, "%s: its headings gave no sections", e->d_name);
        ingest_free(r);
        free(text);
        bills++;
    }
    closedir(dir);
    ck_assert_uint_ge(bills, 200);
}
END_TEST

/* Read outside any test, so it reports with stdio rather than ck_assert. */
static int load_truth(void)
{
    FILE *f = fopen(DEV_DIR "/truth.json", "rb");
    if (!f) {
        fprintf(stderr, "cannot open %s\n", DEV_DIR "/truth.json");
        return 0;
    }
    static char text[1 << 20];
    size_t length = fread(text, 1, sizeof(text) - 1, f);
    fclose(f);
    text[length] = '\0';
    truth = cJSON_Parse(text);
    if (!truth) {
        fprintf(stderr, "%s is not valid JSON\n", DEV_DIR "/truth.json");
        return 0;
    }
    dev_count = cJSON_GetArraySize(truth);
    return 1;
}

static Suite *ingest_suite(void)
{
    Suite *s = suite_create("ingest");
    TCase *dev = tcase_create("dev bills");
    tcase_add_loop_test(dev, dev_total_matches_truth, 0, dev_count);
    tcase_add_loop_test(dev, dev_indefinite_matches_truth, 0, dev_count);
    tcase_add_loop_test(dev, dev_unquantified_effects_match_truth, 0, dev_count);
    tcase_add_loop_test(dev, dev_programs_match_truth, 0, dev_count);
    tcase_add_loop_test(dev, dev_money_entries_match_truth, 0, dev_count);
    tcase_add_loop_test(dev, dev_tax_provisions_match_truth, 0, dev_count);
    tcase_add_loop_test(dev, dev_bill_is_consistent, 0, dev_count);
    suite_add_tcase(s, dev);
    TCase *robust = CHECK_TCASE(s, "robustness", empty_and_null_input, large_structures_stay_consistent,
                                binary_garbage_never_crashes, every_corpus_bill_ingests_consistently);
    tcase_set_timeout(robust, 60);
    tcase_add_loop_test(robust, edge_inputs_never_crash, 0, (int)(sizeof(EDGE_INPUTS) / sizeof(EDGE_INPUTS[0])));
    return s;
}

int main(void)
{
    if (!load_truth())
        return EXIT_FAILURE;
    int status = check_run_suite(ingest_suite());
    cJSON_Delete(truth);
    return status;
}
