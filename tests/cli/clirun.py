"""clirun — helpers for the CLI tests: run polisim-host, parse its stream.

The environment (set by tests/cli/CMakeLists.txt) names the binary and the
folders: POLISIM_HOST, POLISIM_SOURCE_DIR, POLISIM_BUILD_DIR,
POLISIM_WORD_COUNT, POLISIM_FIXTURE_DIR.
"""
import json
import os
import subprocess
import tempfile

HOST = os.environ["POLISIM_HOST"]
SOURCE = os.environ["POLISIM_SOURCE_DIR"]
BUILD = os.environ["POLISIM_BUILD_DIR"]
DEV = os.path.join(SOURCE, "tests", "data", "dev")
CORPUS = os.path.join(SOURCE, "tests", "data", "corpus")


def run(*args, timeout=300):
    """Runs polisim-host ARGS; returns the CompletedProcess (text mode)."""
    return subprocess.run([HOST, *args], capture_output=True, text=True, timeout=timeout)


def events(stdout):
    """The JSON events printed by `analyze`, one per line."""
    return [json.loads(line) for line in stdout.splitlines() if line.strip()]


def truth():
    with open(os.path.join(DEV, "truth.json"), encoding="utf-8") as f:
        return json.load(f)


def dev_bills():
    return sorted(name[:-4] for name in os.listdir(DEV) if name.endswith(".txt"))


class TempFiles:
    """A temporary folder for configs and bills, removed on exit."""

    def __enter__(self):
        self.dir = tempfile.TemporaryDirectory()
        return self

    def __exit__(self, *exc):
        self.dir.cleanup()

    def write(self, name, content, mode="w"):
        path = os.path.join(self.dir.name, name)
        with open(path, mode) as f:
            f.write(content)
        return path
