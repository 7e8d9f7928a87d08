#!/usr/bin/env bash
# Throughput of `redlet serve` (release build) against redis-server, both
# driven by redis-benchmark with the same flags, alternating, N rounds.
# Prints per-test median requests/second and the ratio redlet/redis.
#
#   bench/resp.sh [ROUNDS]          (default 3)
#   REQUESTS=200000 CLIENTS=50 PIPELINE=16 TESTS=set,get,... bench/resp.sh
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${1:-${ROUNDS:-3}}
REQUESTS=${REQUESTS:-200000}
CLIENTS=${CLIENTS:-50}
PIPELINE=${PIPELINE:-16}
TESTS=${TESTS:-set,get,incr,lpush,rpush,lpop,rpop,sadd,hset,spop,lrange_100}

command -v redis-server >/dev/null || { echo "redis-server not installed" >&2; exit 1; }
command -v redis-benchmark >/dev/null || { echo "redis-benchmark not installed" >&2; exit 1; }

WORK=$(mktemp -d)
if ! cargo build --release -q -p redlet-host 2>"$WORK/build.log"; then
    cat "$WORK/build.log" >&2
    rm -rf "$WORK"
    exit 1
fi
REDLET=$PWD/target/release/redlet
PIDS=()
cleanup() {
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
    rm -rf "$WORK"
}
trap cleanup EXIT

# A port nothing listens on.
free_port() {
    local p
    while :; do
        p=$((20000 + RANDOM % 40000))
        if ! (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null; then echo "$p"; return; fi
    done
}

wait_ready() {
    local port=$1 i
    for i in $(seq 1 100); do
        if redis-cli -p "$port" ping 2>/dev/null | grep -q PONG; then return 0; fi
        sleep 0.05
    done
    echo "server on port $port did not start" >&2
    exit 1
}

# run_one NAME ROUND: starts a fresh server, benchmarks it, stops it.
run_one() {
    local name=$1 round=$2 port pid
    port=$(free_port)
    if [ "$name" = redlet ]; then
        "$REDLET" serve --port "$port" --dir "$WORK/redlet" >"$WORK/$name.log" 2>&1 &
    else
        redis-server --port "$port" --save '' --appendonly no --dir "$WORK" >"$WORK/$name.log" 2>&1 &
    fi
    pid=$!
    PIDS+=("$pid")
    wait_ready "$port"
    redis-benchmark -p "$port" --csv -n "$REQUESTS" -c "$CLIENTS" -P "$PIPELINE" -t "$TESTS" 2>/dev/null |
        tail -n +2 | awk -F'","' -v r="$round" '{ gsub(/"/, "", $1); gsub(/"/, "", $2); print $1 "\t" $2 }' \
        >"$WORK/$name.$round.tsv" || true  # a failing test (unknown command) must not stop the run
    kill "$pid"
    wait "$pid" 2>/dev/null || true
}

for r in $(seq 1 "$ROUNDS"); do
    echo "round $r/$ROUNDS ..." >&2
    run_one redlet "$r"
    run_one redis "$r"
done

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo
echo "redis-benchmark -n $REQUESTS -c $CLIENTS -P $PIPELINE, median of $ROUNDS rounds (requests/s)"
printf '%-38s %14s %14s %8s\n' test redlet redis ratio
cut -f1 "$WORK/redis.1.tsv" | while IFS= read -r t; do
    a=$(cat "$WORK"/redlet.*.tsv | awk -F'\t' -v t="$t" '$1 == t { print $2 }' | median)
    b=$(cat "$WORK"/redis.*.tsv | awk -F'\t' -v t="$t" '$1 == t { print $2 }' | median)
    awk -v t="$t" -v a="${a:-0}" -v b="${b:-0}" 'BEGIN { printf "%-38s %14.0f %14.0f %8.2f\n", t, a, b, (b > 0 ? a / b : 0) }'
done
