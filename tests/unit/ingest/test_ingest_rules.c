/*
 * Unit tests: ingest (host/ingest/ingest.h) — the counting rules of
 * conf/bills/README.md (R1-R13, T1-T2), each on a small bill written for it,
 * and the outline (sections, title) a plugin reads.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/ingest.h"

#define BILL_HEAD                                                                             \
    "I\n119th CONGRESS\n1st Session\nH. R. 1\nIN THE HOUSE OF REPRESENTATIVES\n"             \
    "January 3, 2025 Mr. Example introduced the following bill\nA BILL\nTo test ingest.\n" \
    "#### 1. Short title\nThis Act may be cited as the Test Act .\n"

static char *read_file(const char *path, size_t *length)
{
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    ck_assert_int_eq(fseek(f, 0, SEEK_END), 0);
    long size = ftell(f);
    ck_assert_int_ge(size, 0);
    rewind(f);
    char *text = malloc((size_t)size + 1);
    ck_assert_ptr_nonnull(text);
    *length = fread(text, 1, (size_t)size, f);
    text[*length] = '\0';
    fclose(f);
    return text;
}

static ingest_result *ingest_text(const char *text)
{
    ingest_result *r = ingest_bill(text, strlen(text), "analysis-1", "bill-1", NULL);
    ck_assert_ptr_nonnull(r);
    return r;
}

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

START_TEST(open_ended_years_run_to_2035)
{
    ingest_result *r = ingest_text(BILL_HEAD "#### 2. Funding\nThere is authorized to be appropriated $5,000,000 for "
                                             "fiscal year 2030 and each fiscal year thereafter.\n");
    const ps_money *m = only_money(ingest_view(r));
    ck_assert_int_eq(m->kind, PS_MONEY_AUTHORIZATION);
    ck_assert_int_eq(m->open_ended, 1);
    assert_years(m, 2030, 2035);
    ck_assert_int_eq(ingest_window_total(ingest_view(r), 2026, 2035), 30000000);
    ingest_free(r);
}
END_TEST

START_TEST(amount_without_fiscal_year_counts_once)
{
    ingest_result *r = ingest_text(BILL_HEAD "#### 2. Funding\nThere is authorized to be appropriated to carry out this "
                                             "section $700,000,000, to remain available until expended.\n");
    const ps_money *m = only_money(ingest_view(r));
    ck_assert_uint_eq(m->year_count, 0);
    ck_assert_int_eq(m->counted, 1);
    ck_assert_int_eq(ingest_window_total(ingest_view(r), 2026, 2035), 700000000);
    ck_assert_int_eq(ingest_window_total(ingest_view(r), 2040, 2049), 700000000);
    ingest_free(r);
}
END_TEST

START_TEST(period_lump_sum_counts_once)
{
    ingest_result *r = ingest_text(BILL_HEAD "#### 2. Fund\nThere is appropriated, out of any money in the Treasury not "
                                             "otherwise appropriated, $30,000,000,000 for the period of fiscal years "
                                             "2026 to 2028 for the fund.\n");
    const ps_money *m = only_money(ingest_view(r));
    ck_assert_int_eq(m->kind, PS_MONEY_APPROPRIATION);
    ck_assert_int_eq(m->period_total, 1);
    assert_years(m, 2026, 2028);
    ck_assert_int_eq(ingest_window_total(ingest_view(r), 2026, 2035), 30000000000LL);
    ingest_free(r);
}
END_TEST

START_TEST(years_outside_the_window_add_nothing)
{
    ingest_result *r = ingest_text(BILL_HEAD "#### 2. Funding\nThere is authorized to be appropriated $10,000,000 for "
                                             "each of fiscal years 2024 through 2027.\n");
    assert_years(only_money(ingest_view(r)), 2024, 2027);
    ck_assert_int_eq(ingest_window_total(ingest_view(r), 2026, 2035), 20000000);
    ck_assert_int_eq(ingest_window_total(ingest_view(r), 2024, 2024), 10000000);
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

START_TEST(struck_amount_is_not_money)
{
    ingest_result *r = ingest_text(BILL_HEAD "#### 2. Authorization of appropriations\nSection 5 of the Example Act is "
                                             "amended by striking $10,000,000 for fiscal year 2020 and inserting "
                                             "$12,000,000 for fiscal year 2026 .\n");
    const ps_money *m = only_money(ingest_view(r));
    ck_assert_int_eq(m->amount_usd, 12000000);
    ck_assert_int_eq(m->kind, PS_MONEY_AUTHORIZATION);
    ck_assert_str_eq(m->section, "5");
    ingest_free(r);
}
END_TEST

START_TEST(findings_amounts_are_not_money)
{
    ingest_result *r = ingest_text(BILL_HEAD "#### 2. Findings\nCongress finds the following:\n**(1)**\nThe program "
                                             "cost $5,000,000,000 in 2020.\n#### 3. Funding\nThere is authorized to be "
                                             "appropriated $1,000,000 for fiscal year 2026.\n");
    ck_assert_int_eq(only_money(ingest_view(r))->amount_usd, 1000000);
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

START_TEST(rescission_is_other_and_never_subtracted)
{
    ingest_result *r = ingest_text(BILL_HEAD "#### 2. Rescission\nOf the unobligated balances of amounts made available "
                                             "under the Example Act, $100,000,000 is hereby rescinded.\n");
    const ps_money *m = only_money(ingest_view(r));
    ck_assert_int_eq(m->kind, PS_MONEY_OTHER);
    ck_assert_int_eq(m->counted, 0);
    ck_assert_int_eq(ingest_window_total(ingest_view(r), 2026, 2035), 0);
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

START_TEST(billion_amount_is_exact)
{
    ingest_result *r = ingest_text(BILL_HEAD "#### 2. Funding\nThere is authorized to be appropriated $1.6 billion for "
                                             "fiscal year 2026.\n");
    ck_assert_int_eq(only_money(ingest_view(r))->amount_usd, 1600000000);
    ingest_free(r);
}
END_TEST

START_TEST(such_sums_is_indefinite_never_a_zero_amount)
{
    ingest_result *r = ingest_text(BILL_HEAD "#### 2. Funding\nThere are authorized to be appropriated such sums as may "
                                             "be necessary for fiscal year 2027.\n");
    const ps_money *m = only_money(ingest_view(r));
    ck_assert_int_eq(m->indefinite, 1);
    ck_assert_int_eq(m->amount_printed, 0);
    ck_assert_int_eq(m->counted, 0);
    assert_years(m, 2027, 2027);
    ingest_free(r);
}
END_TEST

START_TEST(commodity_credit_corporation_money_is_direct_spending)
{
    ingest_result *r = ingest_text(BILL_HEAD "#### 2. Funding\nOf the funds of the Commodity Credit Corporation, the "
                                             "Secretary shall use $20,000,000 for fiscal year 2026 to carry out this "
                                             "section.\n");
    const ps_money *m = only_money(ingest_view(r));
    ck_assert_int_eq(m->kind, PS_MONEY_DIRECT_SPENDING);
    ck_assert_int_eq(m->counted, 1);
    ingest_free(r);
}
END_TEST

START_TEST(extension_without_amount_is_other_and_unquantified)
{
    ingest_result *r = ingest_text(BILL_HEAD "#### 2. Extension of authorization\nSection 10 of the Example Act is "
                                             "amended by striking 2021 through 2025 and inserting 2026 through 2030 .\n");
    const ps_money *m = only_money(ingest_view(r));
    ck_assert_int_eq(m->kind, PS_MONEY_OTHER);
    ck_assert_int_eq(m->amount_printed, 0);
    assert_years(m, 2026, 2030);
    ck_assert_int_eq(ingest_view(r)->unquantified_effects, 1);
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
    size_t length;
    char *text = read_file(PS_TEST_DATA_DIR "/dev/119-hr-3168.txt", &length);
    ingest_result *r = ingest_bill(text, length, "a", "119-hr-3168", NULL);
    free(text);
    ck_assert_ptr_nonnull(r);
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

int main(void)
{
    Suite *s = suite_create("ingest rules");
    TCase *rules = tcase_create("counting rules");
    tcase_add_test(rules, sections_have_numbers_headings_depths_and_spans);
    tcase_add_test(rules, open_ended_years_run_to_2035);
    tcase_add_test(rules, amount_without_fiscal_year_counts_once);
    tcase_add_test(rules, period_lump_sum_counts_once);
    tcase_add_test(rules, years_outside_the_window_add_nothing);
    tcase_add_test(rules, year_list_gives_each_listed_year);
    tcase_add_test(rules, struck_amount_is_not_money);
    tcase_add_test(rules, findings_amounts_are_not_money);
    tcase_add_test(rules, of_which_earmark_is_other_with_the_host_years);
    tcase_add_test(rules, rescission_is_other_and_never_subtracted);
    tcase_add_test(rules, total_with_per_year_provisos_is_recorded_per_year);
    tcase_add_test(rules, appropriations_act_paragraphs_are_appropriations);
    tcase_add_test(rules, billion_amount_is_exact);
    tcase_add_test(rules, such_sums_is_indefinite_never_a_zero_amount);
    tcase_add_test(rules, commodity_credit_corporation_money_is_direct_spending);
    tcase_add_test(rules, extension_without_amount_is_other_and_unquantified);
    tcase_add_test(rules, simple_resolution_enacts_no_money);
    tcase_add_test(rules, irc_amendment_is_a_tax_provision_not_money);
    tcase_add_test(rules, plain_sec_headings_are_sections);
    tcase_add_test(rules, plain_text_quoted_insertion_is_law_text);
    tcase_add_test(rules, title_comes_from_the_short_title_unless_given);
    tcase_add_test(rules, set_window_is_visible_on_the_bill);
    tcase_add_test(rules, names_use_the_truth_vocabulary);
    suite_add_tcase(s, rules);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
