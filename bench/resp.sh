#!/usr/bin/env bash
# Throughput of `redlet serve` (release build) against redis-server, both
# driven by redis-benchmark with the same flags, alternating, N rounds.
# Prints per-test median requests/second and the ratio redlet/redis.
#
#   bench/resp.sh [ROUNDS]          (default 3)
#   REQUESTS=200000 CLIENTS=50 PIPELINE=16 TESTS=set,get,... bench/resp.sh
#   PIN=0 bench/resp.sh             (default PIN=1 with 2+ CPUs: servers on CPU 0,
#                                    redis-benchmark on CPU 1, for steadier numbers)
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${1:-${ROUNDS:-3}}
REQUESTS=${REQUESTS:-200000}
CLIENTS=${CLIENTS:-50}
PIPELINE=${PIPELINE:-16}
TESTS=${TESTS:-set,get,incr,lpush,rpush,lpop,rpop,sadd,hset,spop,lrange_100}

PIN=${PIN:-1}
SRV_PIN=() CLI_PIN=()
if [ "$PIN" = 1 ] && command -v taskset >/dev/null && [ "$(nproc)" -ge 2 ]; then
    SRV_PIN=(taskset -c 0) CLI_PIN=(taskset -c 1)
fi

command -v redis-server >/dev/null || { echo "redis-server not installed" >&2; exit 1; }
command -v redis-benchmark >/dev/null || { echo "redis-benchmark not installed" >&2; exit 1; }

. bench/lib.sh
bench_setup

# wait_ready PORT PID LOG
wait_ready() {
    local port=$1 pid=$2 log=$3 i
    for i in $(seq 1 400); do
        if redis-cli -p "$port" ping 2>/dev/null | grep -q PONG; then return 0; fi
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.05
    done
    echo "server on port $port did not start:" >&2
    cat "$log" >&2
    exit 1
}

# start NAME: starts a fresh server; sets PORT and PID.
start() {
    local name=$1
    PORT=$(free_port)
    if [ "$name" = redlet ]; then
        "${SRV_PIN[@]}" "$REDLET" serve --port "$PORT" --dir "$(redlet_dir)" >"$WORK/$name.log" 2>&1 &
    else
        "${SRV_PIN[@]}" redis-server --port "$PORT" --save '' --appendonly no --dir "$WORK" >"$WORK/$name.log" 2>&1 &
    fi
    PID=$!
    PIDS+=("$PID")
    wait_ready "$PORT" "$PID" "$WORK/$name.log"
}

# bench NAME PORT ROUND TEST: one test (a failing test, e.g. an unknown
# command, makes redis-benchmark stop, so each runs on its own).
# Also records the server's CPU time (utime+stime ticks) for the test: on a
# shared machine CPU per request is steadier than requests per second.
bench() {
    local name=$1 port=$2 round=$3 t=$4 pid=$5 c0 c1
    c0=$(cpu_ticks "$pid")
    "${CLI_PIN[@]}" redis-benchmark -p "$port" --csv -n "$REQUESTS" -c "$CLIENTS" -P "$PIPELINE" -t "$t" 2>/dev/null |
        tail -n +2 | awk -F'","' '{ gsub(/"/, "", $1); gsub(/"/, "", $2); print $1 "\t" $2 }' \
        >>"$WORK/$name.$round.tsv" || true
    c1=$(cpu_ticks "$pid")
    printf '%s\t%s\n' "$t" "$((c1 - c0))" >>"$WORK/$name.$round.cpu"
}

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

# Each round starts both servers afresh and runs every test on both back to
# back (order alternating by round), so load changes hit both alike.
for r in $(seq 1 "$ROUNDS"); do
    echo "round $r/$ROUNDS ..." >&2
    start redlet
    P1=$PORT Q1=$PID
    start redis
    P2=$PORT Q2=$PID
    : >"$WORK/redlet.$r.tsv"
    : >"$WORK/redis.$r.tsv"
    for t in ${TESTS//,/ }; do
        if [ $((r % 2)) = 1 ]; then
            bench redlet "$P1" "$r" "$t" "$Q1"
            bench redis "$P2" "$r" "$t" "$Q2"
        else
            bench redis "$P2" "$r" "$t" "$Q2"
            bench redlet "$P1" "$r" "$t" "$Q1"
        fi
    done
    kill "$Q1" "$Q2"
    wait "$Q1" "$Q2" 2>/dev/null || true
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

TICK_US=$((1000000 / $(getconf CLK_TCK)))
echo
echo "server CPU per request, median of $ROUNDS rounds (us; lower is better; a test's LPUSH prefill included)"
printf '%-38s %14s %14s %8s\n' test redlet redis 'redis/redlet'
for t in ${TESTS//,/ }; do
    a=$(cat "$WORK"/redlet.*.cpu | awk -F'\t' -v t="$t" '$1 == t { print $2 }' | median)
    b=$(cat "$WORK"/redis.*.cpu | awk -F'\t' -v t="$t" '$1 == t { print $2 }' | median)
    awk -v t="$t" -v a="${a:-0}" -v b="${b:-0}" -v n="$REQUESTS" -v us="$TICK_US" \
        'BEGIN { printf "%-38s %14.3f %14.3f %8.2f\n", t, a * us / n, b * us / n, (a > 0 ? b / a : 0) }'
done
