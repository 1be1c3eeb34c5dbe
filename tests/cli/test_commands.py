"""The other commands and every bad input: each gets a clear one-line reason
and the right exit status; nothing crashes."""
import os
import re
import subprocess
import unittest

from clirun import BUILD, CORPUS, DEV, HOST, SOURCE, TempFiles, events, run

COMMANDS = ["analyze", "serve", "survey", "plugins", "check-config"]


class BadBillInput(unittest.TestCase):
    def assert_refused(self, result, reason):
        self.assertEqual(result.returncode, 1, result.stderr)
        self.assertEqual(result.stdout, "")
        lines = result.stderr.strip().splitlines()
        self.assertEqual(len(lines), 1, result.stderr)
        self.assertRegex(lines[0], reason)

    def test_a_missing_file_is_refused(self):
        self.assert_refused(run("analyze", "/nonexistent/bill.txt"),
                            r"^polisim-host: cannot read '/nonexistent/bill.txt': No such file or directory$")

    def test_an_empty_file_is_refused(self):
        with TempFiles() as t:
            path = t.write("empty.txt", "")
            self.assert_refused(run("analyze", path), r"is empty$")

    def test_a_binary_file_is_refused(self):
        with TempFiles() as t:
            path = t.write("blob.txt", b"SEC. 1.\x00\x01\xff\xfe binary", "wb")
            self.assert_refused(run("analyze", path), r"is not a text file \(binary data at byte 7\)$")

    def test_a_bill_over_the_size_cap_is_refused(self):
        with TempFiles() as t:
            config = t.write("small.yaml", "pipeline:\n  max_bill_bytes: 100\nagents:\n  - {name: fiscal, plugin: fiscal}\n")
            bill = t.write("big.txt", "SEC. 1. Short title.\n" * 10)
            self.assert_refused(run("analyze", "-c", config, bill),
                                r"is 210 bytes, over the limit of 100 \(pipeline.max_bill_bytes\)$")

    def test_a_folder_is_refused(self):
        self.assert_refused(run("analyze", DEV), r"is not a regular file$")

    def test_usage_errors_exit_2(self):
        self.assertEqual(run("analyze").returncode, 2)
        self.assertEqual(run("analyze", "a", "b").returncode, 2)
        self.assertEqual(run("frobnicate").returncode, 2)
        self.assertEqual(run("serve", "--port", "99999").returncode, 2)
        self.assertEqual(run("serve", "--port", "").returncode, 2)
        self.assertEqual(run("survey", "--repeat", "0", DEV).returncode, 2)


class Help(unittest.TestCase):
    def test_top_level_help_lists_every_command(self):
        result = run("--help")
        self.assertEqual(result.returncode, 0)
        for command in COMMANDS:
            self.assertIn(command, result.stdout)

    def test_each_command_has_help(self):
        for command in COMMANDS:
            with self.subTest(command=command):
                result = run(command, "--help")
                self.assertEqual(result.returncode, 0)
                self.assertTrue(result.stdout.startswith(f"usage: polisim-host {command}"))


class CheckConfig(unittest.TestCase):
    def test_the_shipped_config_is_ok(self):
        result = run("check-config", os.path.join(SOURCE, "conf", "polisim.yaml"))
        self.assertEqual((result.returncode, result.stdout), (0, "ok\n"))

    def test_every_problem_is_listed_with_its_position(self):
        with TempFiles() as t:
            path = t.write("bad.yaml", "server:\n  prot: 80\n  port: high\nagents:\n"
                                       "  - name: fiscal\n    plugin: fiscal\n    settings:\n      colour: red\n")
            result = run("check-config", path)
        self.assertEqual(result.returncode, 1)
        lines = result.stdout.strip().splitlines()
        self.assertEqual(len(lines), 2, result.stdout)
        self.assertRegex(lines[0], r"bad.yaml:2:3: server.prot: unknown key \(expected one of: host, port, ")
        self.assertRegex(lines[1], r"bad.yaml:3:9: server.port: expected an integer, got 'high'$")

    def test_plugin_settings_are_checked_against_the_plugin(self):
        with TempFiles() as t:
            path = t.write("bad.yaml", "agents:\n  - name: fiscal\n    plugin: fiscal\n    settings:\n"
                                       "      colour: red\n")
            result = run("check-config", path)
        self.assertEqual(result.returncode, 1)
        self.assertRegex(result.stdout, r"bad.yaml:5:15: agents\[0\].settings.colour: unknown setting "
                                        r"for plugin 'fiscal' \(declared: ")

    def test_a_broken_yaml_file_is_reported_not_crashed_on(self):
        with TempFiles() as t:
            path = t.write("broken.yaml", "server: [1, 2\n")
            result = run("check-config", path)
        self.assertEqual(result.returncode, 1)
        self.assertRegex(result.stdout, r"^.*broken.yaml:\d+:\d+: syntax error: ")


class Plugins(unittest.TestCase):
    def test_lists_every_shipped_agent_with_roles_version_abi_and_settings(self):
        result = run("plugins")
        self.assertEqual(result.returncode, 0, result.stderr)
        for agent in ["fiscal", "economic", "healthcare", "social_security", "debate", "consensus"]:
            self.assertRegex(result.stdout, rf"(?m)^{agent}$")
        self.assertEqual(result.stdout.count("built for ABI 1.0"), 6)
        self.assertIn("roles:    analyst", result.stdout)
        self.assertIn("roles:    debate", result.stdout)
        self.assertIn("authorization_funding_rate", result.stdout)


class Survey(unittest.TestCase):
    def test_every_dev_bill_matches_its_truth(self):
        result = run("survey", "--repeat", "3", "--truth", os.path.join(DEV, "truth.json"), DEV)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn("16 bills analysed, 0 failed", result.stdout)
        self.assertIn("16 of 16 match the truth", result.stdout)

    def test_the_whole_corpus_runs_without_a_crash(self):
        result = run("survey", CORPUS, timeout=900)
        self.assertEqual(result.returncode, 0, result.stderr[-2000:])
        self.assertIn("200 bills analysed, 0 failed", result.stdout)
        self.assertEqual(result.stderr, "")


class SdkTemplate(unittest.TestCase):
    """The SDK guide's minimal analyst, built in tree and out of tree."""

    def analyze_with(self, plugin):
        with TempFiles() as t:
            config = t.write("wc.yaml", f"agents:\n  - name: word_count\n    plugin: {plugin}\n"
                                        "    settings:\n      keyword: Secretary\n")
            result = run("analyze", "-c", config, os.path.join(DEV, "119-hr-3168.txt"))
        self.assertEqual(result.returncode, 0, result.stderr)
        findings = [e["data"] for e in events(result.stdout) if e["event_type"] == "agent_finding"]
        self.assertEqual(len(findings), 1)
        self.assertRegex(findings[0]["description"], r"^\d+ of \d+ sections mention \"Secretary\"$")

    def test_the_in_tree_build_runs_in_an_analysis(self):
        self.analyze_with(os.environ["POLISIM_WORD_COUNT"])

    def test_it_builds_out_of_tree_with_only_pkg_config(self):
        env = dict(os.environ, PKG_CONFIG_PATH=os.path.join(BUILD, "sdk"))
        flags = subprocess.run(["pkg-config", "--cflags", "polisim-sdk"], env=env, capture_output=True,
                               text=True, check=True).stdout.split()
        with TempFiles() as t:
            plugin = os.path.join(t.dir.name, "word_count.so")
            source = os.path.join(SOURCE, "sdk", "template", "word_count.c")
            subprocess.run([os.environ.get("CC", "cc"), *flags, "-shared", "-o", plugin, source], check=True)
            self.analyze_with(plugin)

    def test_the_guide_shows_the_template_verbatim(self):
        with open(os.path.join(SOURCE, "sdk", "README.md"), encoding="utf-8") as f:
            guide = f.read()
        with open(os.path.join(SOURCE, "sdk", "template", "word_count.c"), encoding="utf-8") as f:
            self.assertIn(f.read(), guide)
        with open(os.path.join(SOURCE, "sdk", "template", "word_count.c"), encoding="utf-8") as f:
            self.assertLess(len(f.read().splitlines()), 100)


if __name__ == "__main__":
    unittest.main()
