#!/usr/bin/env bash
# The streaming benchmark (issue 3, part 13). Builds the release tree, then
# for each scenario starts `polisim-host serve` on 127.0.0.1 (a free port)
# with a temporary config whose only agent is the loadgen plugin, runs
# tests/bench/bench_stream against it (its clients on loopback too)
# and prints the figures, each target with PASS or FAIL.
#
#   scripts/bench.sh [--build-dir DIR] [--no-build] [--processes N] [--perf] [SCENARIO...]
#
#   burst    1 analysis x 100 clients, 10,000 items emitted at once (pacing
#            raised to 1e6/s): delivered events/s >= 190,000
#   rate     the same at a steady 2,000 items/s (200,000 deliveries/s
#            offered): delivered events/s >= 190,000, latency p99 <= 5 ms
#   paced    10 analyses x 100 clients, 50 items/s each for 10 s (default
#            pacing, 50/s; the POSTs 2 ms apart so the analyses do not all
#            emit at the same instant): server CPU <= 25% of one core,
#            p99 <= 5 ms
#   idle     1,000 idle connections: server RSS <= 8 KiB per connection
#   replay   1,000 clients reconnect at once with last_sequence=0 to an
#            analysis with 1,000 buffered events: all done in < 2 s
# Default: all of them. Every scenario also checks every client's stream
# (each sequence exactly once, in order) and stops by itself (< 60 s).
# The clients run in one process (one lws context), except burst and
# replay: there one client process cannot read as fast as the server
# writes, so they use two; --processes N sets it for every scenario.
# --perf records the server with `perf record -g` during each scenario and
# prints its top functions (the data stays in the printed folder).
# Exit status: 0 if every scenario passed, 1 otherwise, 2 usage.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build="$root/build-release"
do_build=1
perf_record=0
processes=
scenarios=()
all_scenarios=(burst rate paced idle replay)

usage() {
  sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
}

while [ $# -gt 0 ]; do
  case $1 in
    --build-dir) build=$(realpath -m "$2"); shift 2 ;;
    --no-build) do_build=0; shift ;;
    --perf) perf_record=1; shift ;;
    --processes) processes=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    burst|rate|paced|idle|replay) scenarios+=("$1"); shift ;;
    *) echo "bench.sh: unknown argument: $1" >&2; usage >&2; exit 2 ;;
  esac
done
[ ${#scenarios[@]} -gt 0 ] || scenarios=("${all_scenarios[@]}")

if [ $do_build = 1 ]; then
  echo "== build ($build, RelWithDebInfo, no sanitizers)"
  cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPS_SANITIZE=OFF >/dev/null
  cmake --build "$build" --target polisim-host loadgen bench_stream -j2 >/dev/null
fi
host="$build/polisim-host"
loadgen="$build/tests/fixtures/loadgen.so"
bench="$build/tests/bench/bench_stream"
for f in "$host" "$loadgen" "$bench"; do
  [ -e "$f" ] || { echo "bench.sh: $f is missing (build first, or drop --no-build)" >&2; exit 2; }
done

# 1,000 clients are 1,000 sockets in the server and in bench_stream.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt 2200 ]; then
  echo "bench.sh: need at least 2200 open files (ulimit -n is $(ulimit -n))" >&2
  exit 2
fi

work=$(mktemp -d /tmp/polisim-bench.XXXXXX)
server_pid=
perf_pid=
cleanup() {
  [ -z "$perf_pid" ] || kill -INT "$perf_pid" 2>/dev/null || true
  [ -z "$server_pid" ] || kill -KILL "$server_pid" 2>/dev/null || true
  if [ $perf_record = 1 ]; then echo "perf data kept in $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

# write_config NAME "server lines" "loadgen settings lines" [max_parallel_agents]
write_config() {
  local file="$work/$1.yaml"
  {
    echo "server:"
    echo "  host: 127.0.0.1"
    printf '%s\n' "$2" | sed 's/^/  /'
    echo "pipeline:"
    echo "  max_parallel_agents: ${4:-1}"
    echo "agents:"
    echo "  - name: loadgen"
    echo "    plugin: $loadgen"
    echo "    required: true"
    echo "    settings:"
    printf '%s\n' "$3" | sed 's/^/      /'
  } >"$file"
  echo "$file"
}

start_server() {
  local config=$1 log=$2
  "$host" serve -c "$config" --port 0 2>"$log" &
  server_pid=$!
  local tries=0
  while ! grep -q 'listening on http://' "$log"; do
    if ! kill -0 "$server_pid" 2>/dev/null || [ $tries -ge 100 ]; then
      echo "bench.sh: the server did not start:" >&2
      cat "$log" >&2
      return 1
    fi
    sleep 0.1
    tries=$((tries + 1))
  done
  server_port=$(grep -o 'listening on http://[^ ]*' "$log" | head -1 | sed 's/.*://')
}

# SIGTERM, then up to 20 s for the graceful shutdown; prints its exit status.
stop_server() {
  local status=0 tries=0
  kill -TERM "$server_pid" 2>/dev/null || true
  while kill -0 "$server_pid" 2>/dev/null && [ $tries -lt 200 ]; do
    sleep 0.1
    tries=$((tries + 1))
  done
  if kill -0 "$server_pid" 2>/dev/null; then
    kill -KILL "$server_pid"
    echo "  FAIL: the server did not exit within 20 s of SIGTERM"
    status=1
  fi
  wait "$server_pid" 2>/dev/null || status=$?
  server_pid=
  return $status
}

start_perf() {
  [ $perf_record = 1 ] || return 0
  perf record -q -F 499 -g -p "$server_pid" -o "$work/$1.perf.data" >/dev/null 2>&1 &
  perf_pid=$!
}

stop_perf() {
  [ -n "$perf_pid" ] || return 0
  kill -INT "$perf_pid" 2>/dev/null || true
  wait "$perf_pid" 2>/dev/null || true
  perf_pid=
  echo "  -- server profile ($work/$1.perf.data), top functions by own time:"
  perf report -i "$work/$1.perf.data" --no-children --stdio --percent-limit 1.5 2>/dev/null |
    grep -E '^ +[0-9.]+%' | head -25 | sed 's/^/  /'
}

# run_scenario NAME DESCRIPTION CONFIG BENCH-ARGS...
run_scenario() {
  local name=$1 description=$2 config=$3
  shift 3
  local log="$work/$name.server.log" status=0
  echo
  echo "== $name: $description"
  echo "   server config: $(grep -E '^  [a-z_]+:' "$config" | sed 's/^ *//' | tr '\n' ' ')"
  echo "   loadgen: $(sed -n '/settings:/,$p' "$config" | tail -n +2 | sed 's/^ *//' | tr '\n' ' ')"
  start_server "$config" "$log" || return 1
  local args=("$@" --port "$server_port" --pid "$server_pid")
  [ -z "$processes" ] || args+=(--processes "$processes")
  echo "   bench_stream ${args[*]}"
  start_perf "$name"
  timeout 60 "$bench" "${args[@]}" || status=$?
  stop_perf "$name"
  stop_server || { echo "  FAIL: the server exited with status $?"; status=1; }
  if [ $status != 0 ]; then
    echo "  -- last lines of the server log:"
    tail -n 15 "$log" | sed 's/^/  /'
  fi
  return $status
}

scenario_burst() {
  run_scenario burst "1 analysis x 100 clients, 10,000 items as fast as pacing allows" \
    "$(write_config burst $'max_events_per_second: 1000000\nmessage_buffer_size: 20000' \
       $'count: 10000\nrate: 0')" \
    stream --analyses 1 --clients 100 --items 10000 --processes 2 --min-events-per-second 190000
}

scenario_rate() {
  run_scenario rate "1 analysis x 100 clients, 10,000 items at 2,000/s (200,000 deliveries/s offered)" \
    "$(write_config rate $'max_events_per_second: 1000000\nmessage_buffer_size: 20000' \
       $'count: 10000\nrate: 2000')" \
    stream --analyses 1 --clients 100 --items 10000 --min-events-per-second 190000 --max-p99-ms 5
}

scenario_paced() {
  run_scenario paced "10 analyses x 100 clients, 50 items/s each for 10 s" \
    "$(write_config paced $'max_events_per_second: 50\nmax_total_connections: 1000' \
       $'count: 500\nrate: 50' 10)" \
    stream --analyses 10 --clients 100 --items 500 --stagger-ms 2 --max-cpu-percent 25 --max-p99-ms 5
}

scenario_idle() {
  run_scenario idle "1,000 idle connections on one analysis" \
    "$(write_config idle $'max_connections_per_analysis: 1000\nmax_total_connections: 1000' $'count: 1')" \
    idle --analyses 1 --clients 1000 --hold 2 --max-kib-per-connection 8
}

scenario_replay() {
  run_scenario replay "1,000 clients reconnect at once, each replaying 1,000 buffered events" \
    "$(write_config replay \
       $'max_events_per_second: 1000000\nmessage_buffer_size: 1000\nmax_connections_per_analysis: 1000\nmax_total_connections: 1000' \
       $'count: 1000\nrate: 0')" \
    replay --analyses 1 --clients 1000 --items 1000 --processes 2 --timeout 30 --max-seconds 2
}

results=()
failed=0
for s in "${scenarios[@]}"; do
  if "scenario_$s"; then
    results+=("$s PASS")
  else
    results+=("$s FAIL")
    failed=1
  fi
done
echo
echo "== summary"
printf '   %s\n' "${results[@]}"
exit $failed
