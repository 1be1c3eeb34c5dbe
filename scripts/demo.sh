#!/usr/bin/env bash
# README command 1: installs what is missing, builds, starts `polisim-host
# serve` on the embedded default config, submits a bundled real bill, shows
# the stream live with polisim-watch until analysis_complete, then keeps
# serving until Ctrl-C.
#   scripts/demo.sh [BILL.txt]        (POLISIM_PORT=8000 by default)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j "$(nproc 2>/dev/null || echo 2)" --target polisim-host polisim-watch >/dev/null

bill=${1:-conf/bills/119-hr-3911.txt}
port=${POLISIM_PORT:-8000}
base="http://127.0.0.1:$port"
id="demo-$(date +%s)"

build/polisim-host serve --port "$port" &
server=$!
trap 'kill -INT $server 2>/dev/null; wait $server' EXIT

# Wait until the server answers (or has died).
python3 - "$base" "$server" <<'PY'
import os, sys, time, urllib.request
base, pid = sys.argv[1], int(sys.argv[2])
deadline = time.monotonic() + 10
while True:
    try:
        urllib.request.urlopen(base + "/healthz", timeout=1).read()
        break
    except OSError:
        os.kill(pid, 0)  # raises if the server exited
        if time.monotonic() > deadline:
            sys.exit("demo: the server did not answer on " + base)
        time.sleep(0.05)
PY

echo "== watching ws://127.0.0.1:$port/api/v1/ws/analysis/$id" >&2
build/polisim-watch --until-complete "ws://127.0.0.1:$port/api/v1/ws/analysis/$id" &
watcher=$!

# Submit the bill (the watcher is already connected: it sees every event).
python3 - "$base" "$bill" "$id" <<'PY'
import json, os, sys, urllib.request
base, path, analysis_id = sys.argv[1:]
with open(path, encoding="utf-8") as f:
    body = {"analysis_id": analysis_id, "bill_id": os.path.basename(path)[:-4], "text": f.read()}
request = urllib.request.Request(base + "/api/v1/analyses", data=json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json"}, method="POST")
print("== POST /api/v1/analyses ->", urllib.request.urlopen(request).read().decode(), file=sys.stderr)
PY

wait $watcher
echo "== analysis complete: $base/api/v1/analyses/$id" >&2
echo "== still serving on $base (Ctrl-C to stop)" >&2
wait $server
