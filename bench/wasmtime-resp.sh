#!/usr/bin/env bash
# Issue 10: redis-benchmark -P 16 -c 50 against `redlet-wasmtime serve`
# (every command run by the redlet component in wasmtime) and against
# redis-server, alternating, fresh servers each round; prints the
# requests/s ratio wasmtime/redis per test (median of ROUNDS rounds).
# Usage: bash bench/wasmtime-resp.sh [ROUNDS]
#   (REDLET_WASMTIME_BIN=path: use that binary instead of building one)
# The component must be built (bash component/build.sh) or named by
# REDLET_COMPONENT.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
n=${REDLET_BENCH_N:-200000}
tests=set,get,incr,lpush,lpop,sadd,hset,zadd
source bench/lib.sh
if [ -n "${REDLET_WASMTIME_BIN:-}" ]; then
    # A binary built already (skips the release build).
    BIN=$REDLET_WASMTIME_BIN
    WORK=$(mktemp -d); PIDS=(); trap bench_cleanup EXIT
else
    bench_setup -p redlet-wasmtime --bin redlet-wasmtime
    BIN=$TARGET/redlet-wasmtime
fi
# Startup compiles the component (a few seconds): wait up to 60 s.
wait_port() { for _ in $(seq 1 600); do redis-cli -p "$1" ping >/dev/null 2>&1 && return; sleep 0.1; done; echo "server on $1 did not start" >&2; exit 1; }
run() { # name port -> lines "test rps"
    redis-benchmark -q -p "$2" -n "$n" -P 16 -c 50 -r 100000 -t "$tests" --csv | tr -d '"' | awk -F, -v s="$1" 'NR > 1 { print s, tolower($1), $2 }'
}
for r in $(seq 1 "$rounds"); do
    p=$(free_port)
    "$BIN" serve --port "$p" --save '' --appendonly no >/dev/null 2>&1 &
    pid=$!; PIDS+=("$pid"); wait_port "$p"
    run wasmtime "$p" >> "$WORK/results"
    kill "$pid"; wait "$pid" 2>/dev/null || true
    p=$(free_port)
    redis-server --port "$p" --save '' --appendonly no >/dev/null 2>&1 &
    pid=$!; PIDS+=("$pid"); wait_port "$p"
    run redis "$p" >> "$WORK/results"
    kill "$pid"; wait "$pid" 2>/dev/null || true
done
python3 - "$WORK/results" <<'PY'
import sys, statistics, collections
d = collections.defaultdict(list)
order = []
for line in open(sys.argv[1]):
    side, test, rps = line.split(None, 2)
    t = test.split()[0]
    if t not in order:
        order.append(t)
    d[(side, t)].append(float(rps))
print(f"{'test':8} {'wasmtime req/s':>14} {'redis req/s':>12} {'ratio':>6}  (medians; target >= 0.5)")
for t in order:
    w, r = statistics.median(d[('wasmtime', t)]), statistics.median(d[('redis', t)])
    print(f"{t:8} {w:14.0f} {r:12.0f} {w / r:6.2f}")
PY
