/*
 * test_swarm_omissions — omission debates: a window total that leaves out
 * effects an analyst found but the bill prints no amount for
 * (docs/debate-consensus.md, "Omission debates"; docs/analysts.md).
 *
 * The debate plugin, driven by the fake host (swarm_fake_host.h) with
 * scripted analysts: the notes it writes into the positions, the
 * acknowledgment mark, the completeness score and each stop rule. The
 * analysts' turns (analyst_kit, kit_omission.c), asked with hand-built
 * prompts: the author's argument and rebuttal, the holder's concession and
 * rebuttal. And both together: the real analyst plugins answering the
 * moderator on a bill like 119-hr-500.
 */
#include <check.h>
#include "swarm_fake_host.h"
#include "../check_main.h"

static void setup(void)
{
    fake_reset();
}

static void teardown(void)
{
    fake_unload();
}

/* ---- the moderator ------------------------------------------------------------------ */

START_TEST(debate_seats_a_flagger_at_the_holders_mean_with_its_note)
{
    ck_assert_int_eq(fake_load("debate"), PS_OK);
    view_reset(1, 0.8, 0.75);
    add_analyst("fiscal");
    add_analyst("healthcare");
    add_analyst("economic");
    add_finding("fiscal", "fiscal", "federal_cost_usd", 100, 0.75, NULL, 1e-7);
    add_finding("economic", "economic", "federal_cost_usd", 200, 0.25, NULL, 2e-7);
    add_effect("healthcare", "2", 0.6, 0.5);
    add_effect("healthcare", "3(b)", 0.8, 0.7);
    add_script("fiscal", 0, (double[]){100}, (double[]){0.75}, 1);
    add_script("economic", 0, (double[]){200}, (double[]){0.25}, 1);
    add_script("healthcare", 0, (double[]){125}, (double[]){0.8}, 1);
    ck_assert_int_eq(fake_moderate(), PS_OK);
    /* healthcare sits at the holders' mean (100 * .75 + 200 * .25) / 1 = 125 with the confidence of its
     * most confident left-out effect (0.8); the holders' values differ by 50% as well */
    ck_assert_str_eq(fake.opens[0].topic, "federal_cost_usd: estimates differ by 50.0%; leaves out 2 unsized effects "
                                          "flagged by healthcare -- fiscal $100 (conf 0.75), economic $200 (conf "
                                          "0.25), healthcare no amount (conf 0.80)");
    ck_assert_str_eq(fake.asks[0].arguments[0], "a scripted finding");
    ck_assert_str_eq(fake.asks[0].arguments[2],
                     "Left out of the total (conf 0.80): healthcare-3 (sec. 2), healthcare-4 (sec. 3(b)).");
    /* V over the holders, weights .75/.25: mean 125, spread 18.75 + 18.75, scale 75 + 50 -> 0.7;
     * K: the author believes the total complete at 1 - 0.8 = 0.2, the holders (not acknowledged) at 1 */
    assert_converge(0, 1, 0.7 * 0.2, 0.7 * 0.2, 0, "max_rounds");
    ck_assert_str_eq(fake.closes[0].agents[2], "healthcare");
    ck_assert_double_eq(fake.closes[0].values[2], 125);
    ck_assert_str_eq(fake.closes[0].arguments[2], fake.asks[0].arguments[2]); /* the reply's text is not kept */
}
END_TEST

/* Two holders of a 100 total (fiscal's amount cited; confidences 0.6 and 0.4) and healthcare's
 * unsized effect in sec. 4. */
static void total_with_one_omission(void)
{
    add_analyst("fiscal");
    add_analyst("economic");
    add_analyst("healthcare");
    add_finding("fiscal", "fiscal", "cost_usd", 100, 0.6, "3", 1e-7);
    add_finding("economic", "economic", "cost_usd", 100, 0.4, "3", 1e-7);
    add_effect("healthcare", "4", 0.6, 0.5);
}

START_TEST(debate_on_an_omission_ends_in_stalemate_when_nobody_acknowledges)
{
    ck_assert_int_eq(fake_load("debate"), PS_OK);
    view_reset(5, 0.8, 0.75);
    total_with_one_omission();
    add_script("fiscal", 0, (double[]){100, 100}, (double[]){0.6, 0.6}, 2);
    add_script("economic", 0, (double[]){100, 100}, (double[]){0.4, 0.4}, 2);
    add_script("healthcare", 0, (double[]){100, 100}, (double[]){0.6, 0.6}, 2);
    set_turns("fiscal", (const char *const[]){"argument", "rebuttal"}, 2);
    set_turns("economic", (const char *const[]){"argument", "rebuttal"}, 2);
    ck_assert_int_eq(fake_moderate(), PS_OK);
    /* equal values: V = 1; K = 1 - |1 - (1 - 0.6)| = 0.4 until a holder concedes */
    ck_assert_uint_eq(fake.converge_count, 2);
    assert_converge(0, 1, 0.4, 0.4, 0, "(none)");
    assert_converge(1, 2, 0.4, 0.4, 0, "stalemate");
    ck_assert_str_eq(fake.closes[0].arguments[0], "a scripted finding");
    ck_assert_str_eq(fake.closes[0].arguments[2], "Left out of the total (conf 0.60): healthcare-3 (sec. 4).");
}
END_TEST

START_TEST(debate_on_an_omission_runs_out_of_rounds_when_one_holder_acknowledges)
{
    ck_assert_int_eq(fake_load("debate"), PS_OK);
    view_reset(2, 0.8, 0.75);
    total_with_one_omission();
    add_script("fiscal", 0, (double[]){100, 100}, (double[]){0.6, 0.42}, 2);
    add_script("economic", 0, (double[]){100, 100}, (double[]){0.4, 0.4}, 2);
    add_script("healthcare", 0, (double[]){100, 100}, (double[]){0.6, 0.6}, 2);
    set_turns("fiscal", (const char *const[]){"argument", "concession"}, 2);
    set_turns("economic", (const char *const[]){"argument", "rebuttal"}, 2);
    ck_assert_int_eq(fake_moderate(), PS_OK);
    /* fiscal concedes in round 2: its belief becomes the author's 0.4, weighted by its claim's 0.6:
     * Hb = 0.6 * 0.4 + 0.4 * 1 = 0.64, K = 1 - (0.64 - 0.4) = 0.76 < 0.8 */
    assert_converge(0, 1, 0.4, 0.4, 0, "(none)");
    assert_converge(1, 2, 0.76, 0.4, 0, "max_rounds");
    ck_assert_str_eq(fake.asks[4].arguments[0], "Acknowledged: the total is a floor.");
    ck_assert_str_eq(fake.closes[0].arguments[0], "Acknowledged: the total is a floor.");
    ck_assert_str_eq(fake.closes[0].arguments[1], "a scripted finding");
    ck_assert_double_eq(fake.closes[0].confidences[0], 0.42);
}
END_TEST

/* 119-hr-500 as the analysts see it: two $0 totals that cannot count fiscal's R13 finding and healthcare's
 * Medicare change, both in sec. 2 and without an amount. */
static void hearing_aids_bill(double total_confidence)
{
    add_analyst("fiscal");
    add_analyst("economic");
    add_analyst("healthcare");
    add_finding("fiscal", "fiscal", "expected_federal_cost_usd", 0, total_confidence, "long title", 0);
    add_finding("economic", "economic", "expected_federal_cost_usd", 0, total_confidence, "long title", 0);
    add_effect("fiscal", "2", 0.95, 0.5);
    add_effect("healthcare", "2", 0.6, 0.5);
    vb.findings[3].description = "Sec. 2 (Removing Medicare exclusion of coverage of hearing aids) changes Medicare "
                                 "(\"Medicare\"): coverage. Federal health spending rises; the text prints no amount.";
}

START_TEST(debate_with_the_real_analysts_ends_when_the_holders_acknowledge)
{
    ck_assert_int_eq(fake_load("debate"), PS_OK);
    fake_live_analyst("fiscal");
    fake_live_analyst("economic");
    fake_live_analyst("healthcare");
    view_reset(3, 0.8, 0.75);
    hearing_aids_bill(0.8);
    ck_assert_int_eq(fake_moderate(), PS_OK);
    /* authors fiscal (A 0.95) and healthcare (A 0.6): Ab = (0.95 * 0.05 + 0.6 * 0.4) / 1.55; economic, the
     * one holder that is no author, concedes in round 2: Hb = Ab, K = 1 */
    double authors = (0.95 * 0.05 + 0.6 * 0.4) / 1.55;
    ck_assert_uint_eq(fake.converge_count, 2);
    assert_converge(0, 1, authors, authors, 0, "(none)");
    assert_converge(1, 2, 1, authors, 1, "threshold");
    ck_assert_uint_eq(fake.ask_count, 6);
    ck_assert_str_eq(fake.asks[2].turn, "argument");
    ck_assert_str_eq(fake.asks[2].reply,
                     "The others' expected_federal_cost_usd total ($0) leaves out what I found: Sec. 2 (Removing "
                     "Medicare exclusion of coverage of hearing aids) changes Medicare: coverage [healthcare-4 (sec. "
                     "2), confidence 0.60]. The text prints no amount for any of it, so $0 is a floor, not the whole "
                     "effect. I cannot size it: I take the others' mean ($0) as my position (confidence 0.60).");
    ck_assert_str_eq(fake.asks[3].turn, "concession");
    ck_assert_double_eq_tol(fake.asks[3].confidence, 0.8 * (1 - 0.6 / 2), 1e-12);
    ck_assert_str_eq(fake.asks[4].turn, "concession");
    ck_assert_str_eq(fake.asks[4].reply,
                     "My $0 total is a floor: it does not include what fiscal flags, fiscal-3 (sec. 2); nor what "
                     "healthcare flags, healthcare-4 (sec. 2). The text prints no amount for any of it and my total "
                     "adds printed amounts only, so I lower my confidence in $0 as the complete "
                     "expected_federal_cost_usd from 0.80 to 0.29 = 0.80 x (1 - 0.95/2) x (1 - 0.60/2); I hold the "
                     "figure.");
    ck_assert_double_eq_tol(fake.asks[4].confidence, 0.8 * (1 - 0.95 / 2) * (1 - 0.6 / 2), 1e-12);
    ck_assert_str_eq(fake.asks[5].turn, "argument");
    ck_assert_str_eq(fake.asks[5].reply, "economic acknowledges that the $0 total is a floor. I hold my findings, "
                                         "healthcare-4 (sec. 2): the text prints no amount for them, so the effect "
                                         "stays unsized. I hold my position (confidence 0.60).");
    const close_call *c = &fake.closes[0];
    ck_assert_str_eq(c->stop_reason, "threshold");
    ck_assert_str_eq(c->arguments[0], "Acknowledged: the total is a floor. Left out of the total (conf 0.95): "
                                      "fiscal-3 (sec. 2).");
    ck_assert_str_eq(c->arguments[1], "Acknowledged: the total is a floor.");
    ck_assert_str_eq(c->arguments[2], "Left out of the total (conf 0.60): healthcare-4 (sec. 2).");
}
END_TEST

/* ---- the analysts' turns ---------------------------------------------------------- */

static struct prompt_builder {
    ps_position positions[MAX_SEATS];
    const ps_position *position_ptrs[MAX_SEATS];
    size_t position_count;
    ps_finding own[8];
    ps_fiscal_impact money[8];
    ps_finding_record records[8];
    const ps_finding_record *record_ptrs[8];
    size_t own_count;
    char text[TEXT_MAX];
} pb;

#define NOTE_OF_HEALTHCARE "Left out of the total (conf 0.80): healthcare-2 (sec. 3)."

static void position(const char *agent, double value, double confidence, const char *argument)
{
    size_t i = pb.position_count++;
    pb.positions[i] = (ps_position){sizeof(ps_position), agent, value, confidence, argument};
    pb.position_ptrs[i] = &pb.positions[i];
}

/* One of the responder's own findings; amount NAN for no fiscal_impact. */
static void own(const char *id, const char *description, double confidence, const char *section, double amount)
{
    size_t i = pb.own_count++;
    pb.own[i] = (ps_finding){.struct_size = sizeof(ps_finding), .description = description,
                             .confidence = confidence, .impact_magnitude = 0.5, .related_section = section};
    if (!isnan(amount)) {
        pb.money[i] = (ps_fiscal_impact){.struct_size = sizeof(ps_fiscal_impact), .amount_billions = amount};
        pb.own[i].fiscal_impact = &pb.money[i];
    }
    pb.records[i] = (ps_finding_record){sizeof(ps_finding_record), id, "analyst", &pb.own[i]};
    pb.record_ptrs[i] = &pb.records[i];
}

/* Asks the shipped analyst `plugin`, as `responder`, about expected_federal_cost_usd in `round`
 * (prompt_size: the struct size the host would send); its argument is copied to pb.text. */
static ps_debate_reply ask(const char *plugin, const char *responder, int round, uint32_t prompt_size)
{
    size_t i = 0;
    while (fake.live[i].agent_id && strcmp(fake.live[i].agent_id, plugin) != 0)
        i++;
    if (!fake.live[i].agent_id)
        fake_live_analyst(plugin);
    ck_assert_ptr_nonnull(fake.live[i].def);
    ps_debate_prompt prompt = {.struct_size = prompt_size, .round_number = round, .topic = "a topic",
                               .metric = "expected_federal_cost_usd", .positions = pb.position_ptrs,
                               .position_count = pb.position_count, .responder = responder,
                               .own_findings = pb.record_ptrs, .own_finding_count = pb.own_count};
    ps_debate_reply reply = {.struct_size = sizeof reply};
    ck_assert_int_eq(fake.live[i].def->debate_respond(NULL, NULL, &prompt, &reply), PS_OK);
    snprintf(pb.text, sizeof pb.text, "%s", reply.argument);
    return reply;
}

/* Two holders of a window total: fiscal $2 billion at 0.6, economic $1 billion at 0.2 (mean $1.75 billion). */
static void two_holders(const char *economic_argument)
{
    memset(&pb, 0, sizeof pb);
    position("fiscal", 2e9, 0.6, "a scripted finding");
    position("economic", 1e9, 0.2, economic_argument);
}

START_TEST(author_argues_from_its_own_findings_at_the_others_mean)
{
    char long_text[400] = "Sec. 6 changes ", expected[TEXT_MAX];
    for (int i = 0; i < 20; i++)
        strcat(long_text, "cost sharing and ");
    two_holders("b");
    position("healthcare", 0, 0.8,
             "Left out of the total (conf 0.80): healthcare-2 (sec. 3), healthcare-5 (sec. 4(b)), healthcare-7 (sec. 6).");
    own("healthcare-2", "Sec. 3 (Navigators) changes the ACA (\"Patient Protection and Affordable Care Act\"): "
                        "coverage. Federal health spending rises.", 0.8, "3", NAN);
    own("healthcare-5", "Sec. 4 raises the out-of-pocket cap; the text prints no amount.", 0.6, "4(b)", NAN);
    own("healthcare-7", long_text, 0.6, "6", NAN);
    own("healthcare-9", "Not named by the note.", 0.95, "9", NAN);
    ps_debate_reply r = ask("healthcare", "healthcare", 1, sizeof(ps_debate_prompt));
    ck_assert_str_eq(r.turn_type, "argument");
    ck_assert_double_eq_tol(r.value, (2e9 * 0.6 + 1e9 * 0.2) / 0.8, 1e-3);
    ck_assert_double_eq(r.confidence, 0.8);
    /* gists: the quotation left out, cut at ". F"; at "; "; at 240 bytes */
    snprintf(expected, sizeof expected,
             "The others' expected_federal_cost_usd total ($1.75 billion) leaves out what I found: Sec. 3 "
             "(Navigators) changes the ACA: coverage [healthcare-2 (sec. 3), confidence 0.80]; Sec. 4 raises the "
             "out-of-pocket cap [healthcare-5 (sec. 4(b)), confidence 0.60]; %.240s... [healthcare-7 (sec. 6), "
             "confidence 0.60]. The text prints no amount for any of it, so $1.75 billion is a floor, not the whole "
             "effect. I cannot size it: I take the others' mean ($1.75 billion) as my position (confidence 0.80).",
             long_text);
    ck_assert_str_eq(pb.text, expected);
}
END_TEST

START_TEST(author_rebuts_until_every_holder_acknowledges)
{
    two_holders("Acknowledged: the total is a floor.");
    position("healthcare", 1.75e9, 0.8, NOTE_OF_HEALTHCARE);
    own("healthcare-2", "Sec. 3 changes the ACA.", 0.8, "3", NAN);
    ps_debate_reply r = ask("healthcare", "healthcare", 2, sizeof(ps_debate_prompt));
    ck_assert_str_eq(r.turn_type, "rebuttal");
    ck_assert_str_eq(pb.text, "fiscal has not acknowledged that the $1.75 billion total is a floor (economic did). "
                              "The text prints no amount for what I found, healthcare-2 (sec. 3), and a total that "
                              "adds printed amounts cannot include it. I hold my position (confidence 0.80).");
    pb.positions[0].argument = "Acknowledged: the total is a floor.";
    r = ask("healthcare", "healthcare", 3, sizeof(ps_debate_prompt));
    ck_assert_str_eq(r.turn_type, "argument");
    ck_assert_double_eq(r.confidence, 0.8);
    ck_assert_str_eq(pb.text, "fiscal, economic acknowledge that the $1.75 billion total is a floor. I hold my "
                              "findings, healthcare-2 (sec. 3): the text prints no amount for them, so the effect "
                              "stays unsized. I hold my position (confidence 0.80).");
}
END_TEST

START_TEST(author_without_own_findings_cites_the_note)
{
    two_holders("b");
    position("healthcare", 0, 0.8, NOTE_OF_HEALTHCARE);
    own("healthcare-2", "Never read: the prompt predates own_findings.", 0.6, "3", NAN);
    ps_debate_reply r = ask("healthcare", "healthcare", 1, offsetof(ps_debate_prompt, own_findings));
    ck_assert_double_eq(r.confidence, 0.8);
    ck_assert_str_eq(pb.text, "The others' expected_federal_cost_usd total ($1.75 billion) leaves out what I found: "
                              "healthcare-2 (sec. 3). The text prints no amount for any of it, so $1.75 billion is a "
                              "floor, not the whole effect. I cannot size it: I take the others' mean ($1.75 "
                              "billion) as my position (confidence 0.80).");
}
END_TEST

START_TEST(holder_concedes_what_it_does_not_count_and_rebuts_what_it_does)
{
    memset(&pb, 0, sizeof pb);
    position("economic", 1e9, 0.4, "b");
    position("fiscal", 1e9, 0.4, "Left out of the total (conf 0.95): fiscal-1 (sec. 2(a)).");
    position("healthcare", 1e9, 0.6, "Left out of the total (conf 0.60): healthcare-2 (sec. 3), healthcare-5 (sec. 4(b)).");
    own("economic-3", "money in sec. 3", 0.95, "3(a)", 0.5);
    own("economic-4", "money in sec. 4", 0.95, "4", 0.5);
    ps_debate_reply r = ask("economic", "economic", 2, sizeof(ps_debate_prompt));
    ck_assert_str_eq(r.turn_type, "concession");
    ck_assert_double_eq(r.value, 1e9);
    ck_assert_double_eq_tol(r.confidence, 0.4 * (1 - 0.95 / 2), 1e-12);
    ck_assert_str_eq(pb.text, "My $1.00 billion total is a floor: it does not include what fiscal flags, fiscal-1 "
                              "(sec. 2(a)). The text prints no amount for any of it and my total adds printed amounts "
                              "only, so I lower my confidence in $1.00 billion as the complete expected_federal_cost_usd "
                              "from 0.40 to 0.21 = 0.40 x (1 - 0.95/2); I hold the figure. By my own findings, what "
                              "healthcare flags, healthcare-2 (sec. 3), healthcare-5 (sec. 4(b)) is in my $1.00 "
                              "billion total: they carry an amount in each section it names.");
    pb.positions[1].argument = "a scripted finding"; /* only healthcare's note is left: every section counted */
    r = ask("economic", "economic", 2, sizeof(ps_debate_prompt));
    ck_assert_str_eq(r.turn_type, "rebuttal");
    ck_assert_double_eq(r.confidence, 0.4);
}
END_TEST

START_TEST(acknowledged_holder_follows_the_value_rule)
{
    memset(&pb, 0, sizeof pb);
    position("economic", 100, 0.2, "Acknowledged: the total is a floor.");
    position("fiscal", 200, 0.6, "a scripted finding");
    position("healthcare", 150, 0.6, NOTE_OF_HEALTHCARE);
    ps_debate_reply r = ask("economic", "economic", 3, sizeof(ps_debate_prompt));
    /* the others: mean (200 * .6 + 150 * .6) / 1.2 = 175, confidence 0.6; f = 0.4 */
    ck_assert_str_eq(r.turn_type, "concession");
    ck_assert_double_eq_tol(r.value, 100 + 0.4 * 75, 1e-9);
    ck_assert_double_eq(r.confidence, 0.2);
}
END_TEST

static Suite *swarm_omissions_suite(void)
{
    Suite *suite = suite_create("swarm_omissions");
    TCase *moderator = tcase_create("moderator");
    tcase_add_checked_fixture(moderator, setup, teardown);
    tcase_add_test(moderator, debate_seats_a_flagger_at_the_holders_mean_with_its_note);
    tcase_add_test(moderator, debate_on_an_omission_ends_in_stalemate_when_nobody_acknowledges);
    tcase_add_test(moderator, debate_on_an_omission_runs_out_of_rounds_when_one_holder_acknowledges);
    tcase_add_test(moderator, debate_with_the_real_analysts_ends_when_the_holders_acknowledge);
    suite_add_tcase(suite, moderator);
    TCase *analysts = tcase_create("analysts");
    tcase_add_checked_fixture(analysts, setup, teardown);
    tcase_add_test(analysts, author_argues_from_its_own_findings_at_the_others_mean);
    tcase_add_test(analysts, author_rebuts_until_every_holder_acknowledges);
    tcase_add_test(analysts, author_without_own_findings_cites_the_note);
    tcase_add_test(analysts, holder_concedes_what_it_does_not_count_and_rebuts_what_it_does);
    tcase_add_test(analysts, acknowledged_holder_follows_the_value_rule);
    suite_add_tcase(suite, analysts);
    return suite;
}

CHECK_MAIN(swarm_omissions_suite)
