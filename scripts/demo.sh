#!/usr/bin/env bash
# README command 1: installs what is missing, builds, and analyses a bundled
# real bill, printing the live event stream.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j "$(nproc 2>/dev/null || echo 2)" >/dev/null
bill=${1:-conf/bills/119-hr-3911.txt}
echo "== polisim-host analyze $bill" >&2
exec build/polisim-host analyze "$bill"
