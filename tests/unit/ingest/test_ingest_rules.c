/*
 * Unit tests: ingest (host/ingest/ingest.h) — the counting rules of
 * conf/bills/README.md (R1-R13, T1-T2), each on a small bill written for it,
 * and the outline (sections, title) a plugin reads.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest_fixture.h"
#include "../check_main.h"

static const ps_money *only_money(const ps_bill *b)
{
    ck_assert_uint_eq(b->money_count, 1);
    return b->money[0];
}

static void assert_years(const ps_money *m, int first, int last)
{
    ck_assert_uint_eq(m->year_count, (size_t)(last - first + 1));
    for (int y = first; y <= last; y++)
        ck_assert_uint_eq(m->years[y - first], (unsigned)y);
}

/* The one money entry a small bill gives, in full, and the bill's totals:
 * each row proves one counting rule. */
typedef struct money_rule {
    const char *rule;
    const char *body; /* the bill after BILL_HEAD */
    ps_money_kind kind;
    int64_t amount_usd;
    int amount_printed, indefinite, counted, open_ended, period_total;
    int first_year, last_year; /* the entry's consecutive fiscal years; 0: none */
    const char *section;
    int64_t window_total;       /* FY2026-2035 */
    int unquantified_effects;   /* the bill's R13 flag */
    struct {
        int start, end;         /* 0: no second window to check */
        int64_t total;
    } other_window;
} money_rule;

static const money_rule MONEY_RULES[] = {
    {"R4: open-ended years run to 2035",
     "#### 2. Funding\nThere is authorized to be appropriated $5,000,000 for fiscal year 2030 and each fiscal year "
     "thereafter.\n",
     PS_MONEY_AUTHORIZATION, 5000000, 1, 0, 1, 1, 0, 2030, 2035, "2", 30000000, 0, {0, 0, 0}},
    {"R5: an amount without a fiscal year counts once, in any window",
     "#### 2. Funding\nThere is authorized to be appropriated to carry out this section $700,000,000, to remain "
     "available until expended.\n",
     PS_MONEY_AUTHORIZATION, 700000000, 1, 0, 1, 0, 0, 0, 0, "2", 700000000, 0, {2040, 2049, 700000000}},
    {"R6: a period lump sum counts once",
     "#### 2. Fund\nThere is appropriated, out of any money in the Treasury not otherwise appropriated, "
     "$30,000,000,000 for the period of fiscal years 2026 to 2028 for the fund.\n",
     PS_MONEY_APPROPRIATION, 30000000000LL, 1, 0, 1, 0, 1, 2026, 2028, "2", 30000000000LL, 0, {0, 0, 0}},
    {"R9: years outside the window add nothing",
     "#### 2. Funding\nThere is authorized to be appropriated $10,000,000 for each of fiscal years 2024 through "
     "2027.\n",
     PS_MONEY_AUTHORIZATION, 10000000, 1, 0, 1, 0, 0, 2024, 2027, "2", 20000000, 0, {2024, 2024, 10000000}},
    {"R1: a struck amount is not money",
     "#### 2. Authorization of appropriations\nSection 5 of the Example Act is amended by striking $10,000,000 for "
     "fiscal year 2020 and inserting $12,000,000 for fiscal year 2026 .\n",
     PS_MONEY_AUTHORIZATION, 12000000, 1, 0, 1, 0, 0, 2026, 2026, "5", 12000000, 0, {0, 0, 0}},
    {"R1: amounts in findings are not money",
     "#### 2. Findings\nCongress finds the following:\n**(1)**\nThe program cost $5,000,000,000 in 2020.\n"
     "#### 3. Funding\nThere is authorized to be appropriated $1,000,000 for fiscal year 2026.\n",
     PS_MONEY_AUTHORIZATION, 1000000, 1, 0, 1, 0, 0, 2026, 2026, "3", 1000000, 0, {0, 0, 0}},
    {"R8: a rescission is other and never subtracted",
     "#### 2. Rescission\nOf the unobligated balances of amounts made available under the Example Act, "
     "$100,000,000 is hereby rescinded.\n",
     PS_MONEY_OTHER, 100000000, 1, 0, 0, 0, 0, 0, 0, "2", 0, 0, {0, 0, 0}},
    {"R3: a billion amount is exact",
     "#### 2. Funding\nThere is authorized to be appropriated $1.6 billion for fiscal year 2026.\n",
     PS_MONEY_AUTHORIZATION, 1600000000, 1, 0, 1, 0, 0, 2026, 2026, "2", 1600000000, 0, {0, 0, 0}},
    {"R10: such sums is indefinite, never a zero amount",
     "#### 2. Funding\nThere are authorized to be appropriated such sums as may be necessary for fiscal year "
     "2027.\n",
     PS_MONEY_AUTHORIZATION, 0, 0, 1, 0, 0, 0, 2027, 2027, "2", 0, 0, {0, 0, 0}},
    {"R2: Commodity Credit Corporation money is direct spending",
     "#### 2. Funding\nOf the funds of the Commodity Credit Corporation, the Secretary shall use $20,000,000 for "
     "fiscal year 2026 to carry out this section.\n",
     PS_MONEY_DIRECT_SPENDING, 20000000, 1, 0, 1, 0, 0, 2026, 2026, "2", 20000000, 0, {0, 0, 0}},
    {"R2/R13: an extension without an amount is other and unquantified",
     "#### 2. Extension of authorization\nSection 10 of the Example Act is amended by striking 2021 through 2025 "
     "and inserting 2026 through 2030 .\n",
     PS_MONEY_OTHER, 0, 0, 0, 0, 0, 0, 2026, 2030, "10", 0, 1, {0, 0, 0}},
};

START_TEST(one_money_entry_follows_its_counting_rule)
{
    const money_rule *rule = &MONEY_RULES[_i];
    char text[1024];
    snprintf(text, sizeof text, "%s%s", BILL_HEAD, rule->body);
    ingest_result *r = ingest_text(text);
    const ps_bill *b = ingest_view(r);
    ck_assert_msg(b->money_count == 1, "%s: %zu entries", rule->rule, b->money_count);
    const ps_money *m = b->money[0];
    ck_assert_msg(m->kind == rule->kind, "%s: kind %d", rule->rule, m->kind);
    ck_assert_msg(m->amount_usd == rule->amount_usd, "%s: amount %lld", rule->rule, (long long)m->amount_usd);
    ck_assert_msg(m->amount_printed == rule->amount_printed && m->indefinite == rule->indefinite &&
                      m->counted == rule->counted && m->open_ended == rule->open_ended &&
                      m->period_total == rule->period_total,
                  "%s: printed %d, indefinite %d, counted %d, open-ended %d, period %d", rule->rule,
                  m->amount_printed, m->indefinite, m->counted, m->open_ended, m->period_total);
    if (rule->first_year)
        assert_years(m, rule->first_year, rule->last_year);
    else
        ck_assert_msg(m->year_count == 0, "%s: %zu years", rule->rule, m->year_count);
    ck_assert_str_eq(m->section, rule->section);
    ck_assert_msg(ingest_window_total(b, 2026, 2035) == rule->window_total, "%s: total %lld", rule->rule,
                  (long long)ingest_window_total(b, 2026, 2035));
    ck_assert_int_eq(b->unquantified_effects, rule->unquantified_effects);
    if (rule->other_window.start)
        ck_assert_int_eq(ingest_window_total(b, rule->other_window.start, rule->other_window.end),
                         rule->other_window.total);
    ingest_free(r);
}
END_TEST

START_TEST(year_list_gives_each_listed_year)
{
    ingest_result *r = ingest_text(BILL_HEAD "#### 2. Funding\nThere is authorized to be appropriated $3,000,000 for "
                                             "each of fiscal years 2026, 2028, and 2030.\n");
    const ps_money *m = only_money(ingest_view(r));
    ck_assert_uint_eq(m->year_count, 3);
    ck_assert_uint_eq(m->years[0], 2026);
    ck_assert_uint_eq(m->years[1], 2028);
    ck_assert_uint_eq(m->years[2], 2030);
    ingest_free(r);
}
END_TEST

START_TEST(of_which_earmark_is_other_with_the_host_years)
{
    ingest_result *r = ingest_text(BILL_HEAD "#### 2. Funding\nThere is authorized to be appropriated $50,000,000 for "
                                             "each of fiscal years 2026 and 2027, of which $5,000,000 shall be for "
                                             "evaluation.\n");
    const ps_bill *b = ingest_view(r);
    ck_assert_uint_eq(b->money_count, 2);
    const ps_money *earmark = b->money[1];
    ck_assert_int_eq(earmark->kind, PS_MONEY_OTHER);
    ck_assert_int_eq(earmark->amount_usd, 5000000);
    ck_assert_int_eq(earmark->counted, 0);
    ck_assert_ptr_nonnull(earmark->note);
    assert_years(earmark, 2026, 2027);
    ck_assert_int_eq(ingest_window_total(b, 2026, 2035), 100000000);
    ingest_free(r);
}
END_TEST

START_TEST(total_with_per_year_provisos_is_recorded_per_year)
{
    ingest_result *r = ingest_text(BILL_HEAD "#### 2. Appropriations\nFor an additional amount for Salaries and "
                                             "Expenses, $100,000,000, to remain available until expended: Provided, "
                                             "That $60,000,000 shall be for fiscal year 2026 and $40,000,000 shall be "
                                             "for fiscal year 2027.\n");
    const ps_bill *b = ingest_view(r);
    ck_assert_uint_eq(b->money_count, 2);
    ck_assert_int_eq(b->money[0]->kind, PS_MONEY_APPROPRIATION);
    ck_assert_int_eq(b->money[0]->amount_usd, 60000000);
    assert_years(b->money[0], 2026, 2026);
    ck_assert_int_eq(b->money[1]->amount_usd, 40000000);
    ck_assert_int_eq(ingest_window_total(b, 2026, 2035), 100000000);
    ingest_free(r);
}
END_TEST

START_TEST(appropriations_act_paragraphs_are_appropriations)
{
    ingest_result *r = ingest_text("A BILL\nMaking supplemental appropriations for the fiscal year ending September 30, "
                                   "2026.\nThat the following sums are appropriated, namely:\nFor necessary expenses of "
                                   "the Example Service, $20,000,000, to remain available until expended: Provided, That "
                                   "not to exceed $1,000,000 shall be for administrative expenses.\n");
    const ps_bill *b = ingest_view(r);
    ck_assert_uint_eq(b->money_count, 2);
    ck_assert_int_eq(b->money[0]->kind, PS_MONEY_APPROPRIATION);
    ck_assert_int_eq(b->money[0]->amount_usd, 20000000);
    ck_assert_int_eq(b->money[1]->kind, PS_MONEY_OTHER);
    ck_assert_int_eq(ingest_window_total(b, 2026, 2035), 20000000);
    ingest_free(r);
}
END_TEST

START_TEST(simple_resolution_enacts_no_money)
{
    ingest_result *r = ingest_text("RESOLUTION\nExpressing support.\nThat the House of Representatives supports "
                                   "appropriating $1,000,000 for fiscal year 2026 for Medicare.\n");
    ck_assert_uint_eq(ingest_view(r)->money_count, 0);
    ck_assert_uint_eq(ingest_view(r)->programs, 0);
    ingest_free(r);
}
END_TEST

START_TEST(irc_amendment_is_a_tax_provision_not_money)
{
    ingest_result *r = ingest_text(BILL_HEAD "#### 2. Increase in standard deduction\nSection 63(c) of the Internal "
                                             "Revenue Code of 1986 is amended by striking $1,000 and inserting $2,000 .\n"
                                             "#### 3. Conforming amendment\nSection 1 of such Code is amended by "
                                             "striking 5 and inserting 6 .\n");
    const ps_bill *b = ingest_view(r);
    ck_assert_uint_eq(b->money_count, 0);
    ck_assert_uint_eq(b->tax_provision_count, 1);
    ck_assert_int_eq(b->tax_provisions[0]->kind, PS_TAX_DEDUCTION);
    ck_assert_str_eq(b->tax_provisions[0]->section, "63(c)");
    ck_assert_str_eq(b->tax_provisions[0]->bill_section, "2");
    ck_assert_uint_eq(b->programs, PS_PROGRAM_TAX);
    ingest_free(r);
}
END_TEST

START_TEST(plain_sec_headings_are_sections)
{
    ingest_result *r = ingest_text("A BILL\nTo test plain text.\nSEC. 1. SHORT TITLE.\nThis Act may be cited as the "
                                   "Plain Act.\nSEC. 2. AUTHORIZATION OF APPROPRIATIONS.\n(a) In General.\xe2\x80\x94"
                                   "There is authorized to be appropriated $4,000,000 for fiscal year 2026.\n");
    const ps_bill *b = ingest_view(r);
    ck_assert_str_eq(b->title, "Plain Act");
    ck_assert_uint_eq(b->section_count, 3);
    ck_assert_str_eq(b->sections[1]->number, "2");
    ck_assert_str_eq(b->sections[1]->heading, "AUTHORIZATION OF APPROPRIATIONS");
    ck_assert_str_eq(b->sections[2]->number, "2(a)");
    ck_assert_str_eq(b->sections[2]->heading, "In General");
    ck_assert_int_eq(b->sections[2]->depth, 1);
    ck_assert_str_eq(only_money(b)->section, "2(a)");
    ingest_free(r);
}
END_TEST

START_TEST(plain_text_quoted_insertion_is_law_text)
{
    ingest_result *r = ingest_text("A BILL\nTo test plain text.\n\nSECTION 1. SHORT TITLE.\n\n    This Act may be "
                                   "cited as the ``Quoted Act''.\n\nSEC. 2. FUNDING.\n\n    (a) In General.--Section 5 "
                                   "of the Example Act is amended by adding at the end the following:\n\n    ``(c) "
                                   "Funding.--There is authorized to be appropriated $7,000,000 for each of fiscal years "
                                   "2026 through 2028.''.\n");
    const ps_bill *b = ingest_view(r);
    ck_assert_str_eq(b->title, "Quoted Act");
    const ps_money *m = only_money(b);
    ck_assert_str_eq(m->section, "5(c)");
    ck_assert_str_eq(m->bill_section, "2(a)");
    ck_assert_int_eq(ingest_window_total(b, 2026, 2035), 21000000);
    ingest_free(r);
}
END_TEST

START_TEST(sections_have_numbers_headings_depths_and_spans)
{
    ingest_result *r = ingest_dev_bill("119-hr-3168", "a");
    const ps_bill *b = ingest_view(r);
    const ps_section *last_section = NULL, *subsection = NULL;
    for (size_t i = 0; i < b->section_count; i++) {
        if (strcmp(b->sections[i]->number, "3") == 0)
            last_section = b->sections[i];
        if (strcmp(b->sections[i]->number, "2(a)") == 0)
            subsection = b->sections[i];
    }
    ck_assert_ptr_nonnull(last_section);
    ck_assert_ptr_nonnull(subsection);
    ck_assert_str_eq(last_section->heading, "Authorization of appropriations");
    ck_assert_int_eq(last_section->depth, 0);
    ck_assert_int_eq(strncmp(b->text + last_section->span.offset, "#### 3.", 7), 0);
    ck_assert_uint_eq(last_section->span.offset + last_section->span.length, b->text_length);
    ck_assert_str_eq(subsection->heading, "Program activities");
    ck_assert_int_eq(subsection->depth, 1);
    ingest_free(r);
}
END_TEST

START_TEST(title_comes_from_the_short_title_unless_given)
{
    ingest_result *r = ingest_text(BILL_HEAD);
    ck_assert_str_eq(ingest_view(r)->title, "Test Act");
    ingest_free(r);
    r = ingest_bill(BILL_HEAD, strlen(BILL_HEAD), "a", "b", "Given Title");
    ck_assert_str_eq(ingest_view(r)->title, "Given Title");
    ck_assert_str_eq(ingest_view(r)->bill_id, "b");
    ingest_free(r);
}
END_TEST

START_TEST(set_window_is_visible_on_the_bill)
{
    ingest_result *r = ingest_text(BILL_HEAD);
    ck_assert_int_eq(ingest_view(r)->window_start, 2026);
    ck_assert_int_eq(ingest_view(r)->window_end, 2035);
    ingest_set_window(r, 2027, 2030);
    ck_assert_int_eq(ingest_view(r)->window_start, 2027);
    ck_assert_int_eq(ingest_view(r)->window_end, 2030);
    ingest_free(r);
}
END_TEST

START_TEST(names_use_the_truth_vocabulary)
{
    ck_assert_str_eq(ingest_money_kind_name(PS_MONEY_DIRECT_SPENDING), "direct_spending");
    ck_assert_str_eq(ingest_money_kind_name(PS_MONEY_OTHER), "other");
    ck_assert_str_eq(ingest_tax_kind_name(PS_TAX_RATE_CHANGE), "rate_change");
    ck_assert_str_eq(ingest_tax_kind_name(PS_TAX_EXCLUSION), "exclusion");
    ck_assert_str_eq(ingest_program_name(PS_PROGRAM_SOCIAL_SECURITY), "social_security");
    ck_assert_str_eq(ingest_program_name(PS_PROGRAM_HEALTH_OTHER), "health_other");
    ck_assert_str_eq(ingest_program_name(0), "none");
    ck_assert_ptr_null(ingest_program_name(PS_PROGRAM_TAX | PS_PROGRAM_DEFENSE));
    ck_assert_ptr_null(ingest_money_kind_name((ps_money_kind)99));
}
END_TEST

static Suite *ingest_rules_suite(void)
{
    Suite *s = suite_create("ingest rules");
    TCase *rules = CHECK_TCASE(s, "counting rules", sections_have_numbers_headings_depths_and_spans,
                               year_list_gives_each_listed_year, of_which_earmark_is_other_with_the_host_years,
                               total_with_per_year_provisos_is_recorded_per_year,
                               appropriations_act_paragraphs_are_appropriations, simple_resolution_enacts_no_money,
                               irc_amendment_is_a_tax_provision_not_money, plain_sec_headings_are_sections,
                               plain_text_quoted_insertion_is_law_text, title_comes_from_the_short_title_unless_given,
                               set_window_is_visible_on_the_bill, names_use_the_truth_vocabulary);
    tcase_add_loop_test(rules, one_money_entry_follows_its_counting_rule, 0,
                        (int)(sizeof MONEY_RULES / sizeof MONEY_RULES[0]));
    return s;
}

CHECK_MAIN(ingest_rules_suite)
