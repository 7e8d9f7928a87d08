#!/usr/bin/env bash
# Benchmark 2 of issue 8: redis-benchmark -P 16 -c 50 against the npm
# package's server (`node js/bin/redlet.mjs serve`, the wasm engine) and
# against redis-server, alternating, fresh servers each round; prints the
# requests/s ratio wasm/redis per test (median of ROUNDS rounds).
# Usage: bash bench/js-resp.sh [ROUNDS]   (js/dist must be built: cd js && npm run build)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
n=${REDLET_BENCH_N:-200000}
tests=set,get,incr,lpush,lpop,sadd,hset,zadd
WORK=$(mktemp -d)
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$WORK"' EXIT
# free_port (the npm package's server needs no cargo build: bench_setup is not used)
source bench/lib.sh
wait_port() { for _ in $(seq 1 100); do redis-cli -p "$1" ping >/dev/null 2>&1 && return; sleep 0.1; done; echo "server on $1 did not start" >&2; exit 1; }
run() { # name port -> lines "test rps"
    redis-benchmark -q -p "$2" -n "$n" -P 16 -c 50 -r 100000 -t "$tests" --csv | tr -d '"' | awk -F, -v s="$1" 'NR > 1 { print s, tolower($1), $2 }'
}
for r in $(seq 1 "$rounds"); do
    p=$(free_port)
    node js/bin/redlet.mjs serve --port "$p" --save '' --appendonly no >/dev/null 2>&1 &
    pid=$!; PIDS+=("$pid"); wait_port "$p"
    run wasm "$p" >> "$WORK/results"
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
for line in open(sys.argv[1]):
    side, test, rps = line.split(None, 2)
    d[(side, test.split()[0])].append(float(rps))
tests = sorted({t for _, t in d}, key=lambda t: list(d).index(('wasm', t)) if ('wasm', t) in d else 0)
print(f"{'test':8} {'wasm req/s':>12} {'redis req/s':>12} {'wasm/redis':>10}  (medians; target >= 0.5)")
for t in tests:
    w, r = statistics.median(d[('wasm', t)]), statistics.median(d[('redis', t)])
    print(f"{t:8} {w:12.0f} {r:12.0f} {w / r:10.2f}")
PY
