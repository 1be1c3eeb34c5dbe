"""harness — runs the real polisim-host for the integration tests.

Each test file calls harness.main(TESTS). The command line (set by
tests/integration/CMakeLists.txt) names the binaries:

    python3 test_x.py --host build/polisim-host --watch build/polisim-watch \
                      --loadgen build/tests/fixtures/loadgen.so [-k name]

A Server starts `polisim-host serve -c CONFIG --port 0` with a temporary
YAML config whose only agent is the load generator (its settings are the
test's), reads the port it listens on from stderr and keeps every stderr
line. Clients are python3-websockets (independent of our code) and
polisim-watch. Nothing sleeps blindly: waits are on conditions with a
deadline (wait_for / poll).
"""

import argparse
import asyncio
import inspect
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import urllib.error
import urllib.request

import websockets

ARGS = None
BILL_TEXT = ("SECTION 1. SHORT TITLE.\n\nThis Act may be cited as the \"Stream Test Act\".\n\n"
             "SEC. 2. AUTHORIZATION.\n\nThere is authorized to be appropriated $1,000,000 for fiscal year 2026.\n")


class TestFailure(AssertionError):
    pass


def check(condition, message):
    if not condition:
        raise TestFailure(message)


def wait_for(condition, timeout, what, interval=0.02):
    """Polls condition() until it returns a true value; fails after timeout."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TestFailure(f"timed out after {timeout} s waiting for {what}")
        time.sleep(interval)


def yaml_value(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value) if isinstance(value, str) else str(value)


class Server:
    """One polisim-host serve process with its own config."""

    def __init__(self, server=None, pipeline=None, loadgen=None, port=0, extra_agents=()):
        self.dir = tempfile.TemporaryDirectory(prefix="polisim-it-")
        settings = {"max_events_per_second": 100000, "thought_batch_window_ms": 20}
        settings.update(server or {})
        lines = ["server:", "  host: 127.0.0.1"]
        lines += [f"  {k}: {yaml_value(v)}" for k, v in settings.items()]
        if pipeline:
            lines += ["pipeline:"] + [f"  {k}: {yaml_value(v)}" for k, v in pipeline.items()]
        lines += ["agents:", "  - name: loadgen", f"    plugin: {ARGS.loadgen}", "    required: true"]
        load = {"count": 20, "kind": "custom"}
        load.update(loadgen or {})
        lines += ["    settings:"] + [f"      {k}: {yaml_value(v)}" for k, v in load.items()]
        lines += list(extra_agents)
        self.config_path = os.path.join(self.dir.name, "polisim.yaml")
        with open(self.config_path, "w") as f:
            f.write("\n".join(lines) + "\n")
        self.log = []
        self.log_lock = threading.Lock()
        self.proc = subprocess.Popen([ARGS.host, "serve", "-c", self.config_path, "--port", str(port)],
                                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                     text=True)
        self.reader = threading.Thread(target=self._read_stderr, daemon=True)
        self.reader.start()
        match = wait_for(lambda: self.find_log(r"listening on http://[^:]+:(\d+)") or self.proc.poll() is not None,
                         30, "the server to listen")
        if self.proc.poll() is not None:
            self.reader.join(5)
            raise TestFailure("polisim-host exited at start:\n" + "\n".join(self.log))
        self.port = int(match.group(1))
        self.http = f"http://127.0.0.1:{self.port}"
        self.ws = f"ws://127.0.0.1:{self.port}/api/v1/ws/analysis"

    def _read_stderr(self):
        for line in self.proc.stderr:
            with self.log_lock:
                self.log.append(line.rstrip("\n"))

    def find_log(self, pattern):
        with self.log_lock:
            for line in self.log:
                m = re.search(pattern, line)
                if m:
                    return m
        return None

    def count_log(self, pattern):
        with self.log_lock:
            return sum(1 for line in self.log if re.search(pattern, line))

    # ---- HTTP ----
    def request(self, method, path, body=None, headers=None):
        """(status, parsed JSON body, headers) of one HTTP request."""
        data = body if isinstance(body, (bytes, type(None))) else json.dumps(body).encode()
        req = urllib.request.Request(self.http + path, data=data, method=method, headers=headers or {})
        try:
            with urllib.request.urlopen(req, timeout=10) as resp:
                return resp.status, json.loads(resp.read()), resp.headers
        except urllib.error.HTTPError as e:
            raw = e.read()
            return e.code, json.loads(raw), e.headers

    def get(self, path):
        return self.request("GET", path)

    def submit(self, analysis_id, text=BILL_TEXT, bill_id="test-bill"):
        status, body, _ = self.request("POST", "/api/v1/analyses",
                                       {"text": text, "bill_id": bill_id, "analysis_id": analysis_id})
        check(status == 202, f"POST /api/v1/analyses: {status} {body}")
        return body

    def state(self, analysis_id):
        status, body, _ = self.get(f"/api/v1/analyses/{analysis_id}")
        return body.get("state") if status == 200 else None

    def wait_complete(self, analysis_id, timeout=60):
        """Waits until the analysis is done and its stream holds analysis_complete; returns the stream status."""
        wait_for(lambda: self.state(analysis_id) in ("complete", "error"), timeout, f"{analysis_id} to finish")
        wait_for(lambda: self.stream_status(analysis_id)["complete"], timeout,
                 f"{analysis_id}'s stream to store analysis_complete")
        return self.stream_status(analysis_id)

    def stream_status(self, analysis_id):
        status, body, _ = self.get(f"/api/v1/ws/analysis/{analysis_id}/status")
        check(status == 200, f"status of {analysis_id}: {status} {body}")
        return body

    def connections(self, analysis_id):
        """WebSocket clients of the analysis (0 while the server does not know it)."""
        status, body, _ = self.get(f"/api/v1/ws/analysis/{analysis_id}/status")
        return body["connections"] if status == 200 else 0

    def stats(self):
        return self.get("/api/v1/ws/stats")[1]

    # ---- lifecycle ----
    def stop(self, timeout=30):
        """SIGTERM; returns the exit status."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            rc = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            raise TestFailure("polisim-host did not exit after SIGTERM")
        self.reader.join(5)
        return rc

    def close(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.reader.join(5)
        self.dir.cleanup()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        """A test that passed also needs a clean exit: status 0 after SIGTERM
        and no sanitizer report (leaks included) in the log."""
        try:
            if exc[0] is None:
                rc = self.stop()
                check(rc == 0, f"polisim-host exit status {rc} after SIGTERM")
                check(not self.find_log(r"(Sanitizer|runtime error)"), "a sanitizer report in the server log")
        except TestFailure:
            exc = (TestFailure,)
            raise
        finally:
            if exc[0] is not None:
                with self.log_lock:
                    sys.stderr.write("---- server log ----\n" + "\n".join(self.log[-60:]) + "\n")
            self.close()


# ---- WebSocket helpers (python3-websockets) ----

def connect(url, **kw):
    kw.setdefault("max_size", None)
    kw.setdefault("ping_interval", None)
    kw.setdefault("close_timeout", 2)
    kw.setdefault("compression", None)
    return websockets.connect(url, **kw)


def sequence_of(message):
    """The sequence of a wire event (None outside the stream)."""
    return message.get("sequence") if "event_type" in message else None


async def receive(ws, timeout=10):
    return json.loads(await asyncio.wait_for(ws.recv(), timeout))


async def collect(url, until, timeout=30, **kw):
    """Messages received until until(messages) is true; returns (messages, ws close code or None)."""
    messages = []
    async with connect(url, **kw) as ws:
        deadline = time.monotonic() + timeout
        while not until(messages):
            left = deadline - time.monotonic()
            if left <= 0:
                raise TestFailure(f"timed out collecting from {url}: {len(messages)} message(s), "
                                  f"last {messages[-1:]}")
            try:
                messages.append(await receive(ws, left))
            except websockets.ConnectionClosed as e:
                return messages, e.code
    return messages, None


async def collect_until_closed(url, timeout=30, **kw):
    messages = []
    async with connect(url, **kw) as ws:
        try:
            while True:
                messages.append(await receive(ws, timeout))
        except websockets.ConnectionClosed:
            return messages, ws.close_code, ws.close_reason


def has_complete(messages):
    return any(m.get("event_type") == "analysis_complete" and m.get("sequence") for m in messages)


def stream_sequences(messages):
    return [m["sequence"] for m in messages if sequence_of(m) is not None]


def check_contiguous(sequences, first, last, what):
    expected = list(range(first, last + 1))
    if sequences != expected:
        missing = sorted(set(expected) - set(sequences))[:10]
        extra = [s for s in sequences if s not in set(expected)][:10]
        dup = len(sequences) - len(set(sequences))
        raise TestFailure(f"{what}: expected {first}..{last} in order; got {len(sequences)} event(s), "
                          f"missing {missing}, unexpected {extra}, {dup} duplicate(s)")


def run_watch(url, *args, timeout=60):
    """Runs polisim-watch to completion: (exit status, stdout lines, stderr)."""
    proc = subprocess.run([ARGS.watch, *args, url], capture_output=True, text=True, timeout=timeout)
    return proc.returncode, proc.stdout.splitlines(), proc.stderr


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---- running ----

def main(tests):
    global ARGS
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", required=True, help="polisim-host binary")
    parser.add_argument("--watch", required=True, help="polisim-watch binary")
    parser.add_argument("--loadgen", required=True, help="loadgen.so plugin")
    parser.add_argument("-k", dest="only", help="run only tests whose name contains this")
    ARGS = parser.parse_args()
    failed = 0
    for test in tests:
        if ARGS.only and ARGS.only not in test.__name__:
            continue
        started = time.monotonic()
        try:
            result = test()
            if inspect.iscoroutine(result):
                asyncio.run(result)
            print(f"ok    {test.__name__} ({time.monotonic() - started:.1f} s)", flush=True)
        except Exception:
            failed += 1
            print(f"FAIL  {test.__name__}", flush=True)
            traceback.print_exc()
    sys.exit(1 if failed else 0)
