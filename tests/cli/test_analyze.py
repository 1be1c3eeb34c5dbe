"""`polisim-host analyze` end to end on the real dev bills: the stream is
complete, numbered, in order, cites the bill, and the fiscal results equal
the hand-made truth."""
import os
import re
import unittest

from clirun import DEV, events, run, truth, dev_bills

STAGES = ["ingesting", "analyzing", "debating", "voting", "synthesizing", "complete"]
AGENTS = ["fiscal", "economic", "healthcare", "social_security", "debate", "consensus"]
ENVELOPE_KEYS = {"event_id", "event_type", "analysis_id", "data", "timestamp", "sequence"}
TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


class AnalyzeDevBills(unittest.TestCase):
    """One analysis per dev bill, shared by the tests below."""

    @classmethod
    def setUpClass(cls):
        cls.truth = truth()
        cls.streams = {}
        cls.texts = {}
        for bill in dev_bills():
            path = os.path.join(DEV, bill + ".txt")
            result = run("analyze", path)
            assert result.returncode == 0, f"{bill}: exit {result.returncode}: {result.stderr}"
            assert result.stderr == "", f"{bill}: unexpected stderr: {result.stderr}"
            cls.streams[bill] = events(result.stdout)
            with open(path, "rb") as f:
                cls.texts[bill] = f.read()

    def test_every_event_has_the_wire_envelope_and_contiguous_sequence(self):
        for bill, stream in self.streams.items():
            with self.subTest(bill=bill):
                analysis = stream[0]["analysis_id"]
                for number, event in enumerate(stream, start=1):
                    self.assertEqual(set(event), ENVELOPE_KEYS)
                    self.assertEqual(event["sequence"], number)
                    self.assertEqual(event["analysis_id"], analysis)
                    self.assertEqual(event["event_id"], f"{analysis}-{number}")
                    self.assertRegex(event["timestamp"], TIMESTAMP)

    def test_stages_run_in_order_from_pipeline_started_to_analysis_complete(self):
        for bill, stream in self.streams.items():
            with self.subTest(bill=bill):
                self.assertEqual(stream[0]["event_type"], "pipeline_started")
                self.assertEqual(stream[-1]["event_type"], "analysis_complete")
                self.assertEqual(stream[-1]["data"]["status"], "complete")
                stages = [e["data"]["stage"] for e in stream if e["event_type"] == "stage_changed"]
                self.assertEqual(stages, STAGES)

    def test_each_agent_starts_works_and_completes_in_its_own_window(self):
        for bill, stream in self.streams.items():
            with self.subTest(bill=bill):
                for agent in AGENTS:
                    own = [i for i, e in enumerate(stream) if e["data"].get("agent_id") == agent
                           and e["event_type"] not in ("agent_thinking", "debate_turn")]
                    types = [stream[i]["event_type"] for i in own]
                    self.assertEqual(types[0], "agent_started", agent)
                    self.assertEqual(types.count("agent_completed"), 1, agent)
                    self.assertEqual(types[-1], "agent_completed", agent)
                    self.assertEqual(stream[own[-1]]["data"]["status"], "completed", agent)

    def test_thoughts_arrive_batched_with_a_true_batch_size(self):
        for bill, stream in self.streams.items():
            with self.subTest(bill=bill):
                batches = [e["data"] for e in stream if e["event_type"] == "agent_thinking"]
                self.assertTrue(batches)
                for batch in batches:
                    self.assertEqual(batch["batch_size"], len(batch["thoughts"]))
                    for thought in batch["thoughts"]:
                        self.assertTrue(thought["content"])

    def test_every_finding_cites_its_section_and_the_exact_text(self):
        for bill, stream in self.streams.items():
            with self.subTest(bill=bill):
                text = self.texts[bill]
                for e in stream:
                    if e["event_type"] != "agent_finding":
                        continue
                    quote = e["data"]["quote"]
                    self.assertIsNotNone(quote, e["data"]["description"])
                    self.assertTrue(e["data"]["related_section"], e["data"]["description"])
                    cited = text[quote["offset"]:quote["offset"] + quote["length"]].decode("utf-8")
                    self.assertEqual(cited, quote["text"])

    def test_fiscal_summary_matches_the_truth(self):
        for bill, stream in self.streams.items():
            with self.subTest(bill=bill):
                expected = self.truth[bill]
                summary = stream[-1]["data"]["summary"]["fiscal_summary"]
                self.assertEqual(summary["total_usd"], expected["total_2026_2035_usd"])
                self.assertEqual(summary["has_indefinite"], expected["has_indefinite"])
                self.assertEqual(summary["unquantified_effects"], expected["unquantified_budget_effects"])
                self.assertEqual(len(summary["tax_provisions"]), len(expected["tax_provisions"]))
                self.assertEqual(sorted(summary["programs_touched"]), sorted(expected["programs_touched"]))

    def test_the_fiscal_analyst_reports_the_true_window_total(self):
        for bill, stream in self.streams.items():
            with self.subTest(bill=bill):
                totals = [e["data"]["value"] for e in stream if e["event_type"] == "agent_finding"
                          and e["data"]["agent_id"] == "fiscal"
                          and e["data"]["metric"] == "federal_budget_authority_usd"]
                self.assertEqual(totals, [self.truth[bill]["total_2026_2035_usd"]])

    def test_debate_turns_come_from_the_debate_participants_each_round(self):
        for bill, stream in self.streams.items():
            with self.subTest(bill=bill):
                participants = None
                for e in stream:
                    kind, data = e["event_type"], e["data"]
                    if kind == "debate_started":
                        participants = set(data["participants"])
                        self.assertGreaterEqual(len(participants), 2)
                    elif kind == "debate_turn":
                        self.assertIn(data["agent_id"], participants)
                    elif kind == "debate_convergence":
                        self.assertGreaterEqual(data["convergence_score"], 0)
                        self.assertLessEqual(data["convergence_score"], 1)

    def test_consensus_agrees_only_on_findings_that_were_made(self):
        for bill, stream in self.streams.items():
            with self.subTest(bill=bill):
                made = {e["data"]["finding_id"] for e in stream if e["event_type"] == "agent_finding"}
                verdicts = [e["data"] for e in stream if e["event_type"] == "consensus_reached"]
                self.assertEqual(len(verdicts), 1)
                self.assertIn(verdicts[0]["consensus_level"], ["strong_consensus", "consensus", "majority", "divided"])
                self.assertLessEqual(set(verdicts[0]["agreed_findings"]), made)
                self.assertEqual(stream[-1]["data"]["summary"]["consensus"], verdicts[0])


class Determinism(unittest.TestCase):
    TIMING_KEYS = {"timestamp", "execution_time_seconds", "duration_seconds", "elapsed_seconds",
                   "estimated_time_remaining_seconds", "start_time", "analysis_id", "thought_id"}

    def strip(self, value):
        if isinstance(value, dict):
            return {k: self.strip(v) for k, v in value.items() if k not in self.TIMING_KEYS}
        if isinstance(value, list):
            return [self.strip(v) for v in value]
        return value

    def shape(self, stream):
        """The lifecycle order, and each agent's own thoughts and findings in order."""
        lifecycle = [(e["event_type"], self.strip(e["data"])) for e in stream
                     if e["event_type"] not in ("agent_thinking", "agent_finding")]
        per_agent = {}
        for e in stream:
            items = e["data"]["thoughts"] if e["event_type"] == "agent_thinking" else [e["data"]]
            if e["event_type"] in ("agent_thinking", "agent_finding"):
                for item in items:
                    per_agent.setdefault(item["agent_id"], []).append(self.strip(item))
        return lifecycle, per_agent

    def test_the_same_bill_gives_the_same_findings_and_order(self):
        bill = os.path.join(DEV, "119-hr-3911.txt")
        first, second = (events(run("analyze", bill).stdout) for _ in range(2))
        self.assertEqual(self.shape(first), self.shape(second))


if __name__ == "__main__":
    unittest.main()
