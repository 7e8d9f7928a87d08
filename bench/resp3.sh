#!/usr/bin/env bash
# Issue 3's RESP throughput: `redlet serve` (release build) against
# redis-server, alternating, N rounds, for zadd, zpopmin (on a pre-filled
# sorted set, so pops hit), xadd, publish (one subscriber attached) and
# MULTI/SET/EXEC transactions. redis-benchmark drives the first four with
# the same flags on both servers; bench/multi_exec.py (the same client for
# both) drives the transactions, as redis-benchmark cannot pair MULTI with
# EXEC. Prints per-test median requests/second (transactions/second for
# multi_exec) and the ratio redlet/redis.
#
#   bench/resp3.sh [ROUNDS]          (default 3)
#   REQUESTS=200000 CLIENTS=50 PIPELINE=16 TESTS=zadd,zpopmin,xadd,publish,multi_exec bench/resp3.sh
#   PIN=0 bench/resp3.sh             (default PIN=1 with 2+ CPUs: servers on CPU 0,
#                                     clients on CPU 1)
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${1:-${ROUNDS:-3}}
REQUESTS=${REQUESTS:-200000}
CLIENTS=${CLIENTS:-50}
PIPELINE=${PIPELINE:-16}
TESTS=${TESTS:-zadd,zpopmin,xadd,publish,multi_exec}

PIN=${PIN:-1}
SRV_PIN=() CLI_PIN=()
if [ "$PIN" = 1 ] && command -v taskset >/dev/null && [ "$(nproc)" -ge 2 ]; then
    SRV_PIN=(taskset -c 0) CLI_PIN=(taskset -c 1)
fi

command -v redis-server >/dev/null || { echo "redis-server not installed" >&2; exit 1; }
command -v redis-benchmark >/dev/null || { echo "redis-benchmark not installed" >&2; exit 1; }
command -v python3 >/dev/null || { echo "python3 not installed" >&2; exit 1; }

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

rb() { "${CLI_PIN[@]}" redis-benchmark -p "$1" --csv -n "$REQUESTS" -c "$CLIENTS" -P "$PIPELINE" "${@:2}" 2>/dev/null; }

# rps PORT TEST: runs one test, prints its requests (transactions) per second.
rps() {
    local port=$1 t=$2 sub
    case $t in
    zadd)
        # Random scores and members (element:0..999999), as Redis's own test with -r.
        rb "$port" -r 1000000 -t zadd | tail -n +2 | cut -d, -f2 | tr -d '"'
        ;;
    zpopmin)
        # Twice as many distinct-ish members as pops, so every pop hits.
        redis-cli -p "$port" del myzset >/dev/null
        rb "$port" -r 1000000000 -n $((REQUESTS * 2)) ZADD myzset __rand_int__ m:__rand_int__ >/dev/null
        rb "$port" -t zpopmin | tail -n +2 | cut -d, -f2 | tr -d '"'
        ;;
    xadd)
        redis-cli -p "$port" del mystream >/dev/null
        rb "$port" XADD mystream '*' myfield myvalue | tail -n +2 | cut -d, -f2 | tr -d '"'
        ;;
    publish)
        "${CLI_PIN[@]}" redis-cli -p "$port" subscribe mychannel >/dev/null 2>&1 &
        sub=$!
        sleep 0.3
        [ "$(redis-cli -p "$port" pubsub numsub mychannel | tail -1)" = 1 ] || echo "subscriber not attached" >&2
        rb "$port" PUBLISH mychannel hello | tail -n +2 | cut -d, -f2 | tr -d '"'
        kill "$sub" 2>/dev/null || true
        wait "$sub" 2>/dev/null || true
        ;;
    multi_exec)
        "${CLI_PIN[@]}" python3 bench/multi_exec.py "$port" "$REQUESTS" "$CLIENTS" "$PIPELINE"
        ;;
    *)
        echo "unknown test $t" >&2
        echo 0
        ;;
    esac
}

bench() {
    local name=$1 port=$2 round=$3 t=$4 v
    v=$(rps "$port" "$t")
    printf '%s\t%s\n' "$t" "${v:-0}" >>"$WORK/$name.$round.tsv"
}

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
            bench redlet "$P1" "$r" "$t"
            bench redis "$P2" "$r" "$t"
        else
            bench redis "$P2" "$r" "$t"
            bench redlet "$P1" "$r" "$t"
        fi
    done
    kill "$Q1" "$Q2"
    wait "$Q1" "$Q2" 2>/dev/null || true
done

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo
echo "-n $REQUESTS -c $CLIENTS -P $PIPELINE, median of $ROUNDS rounds (requests/s; multi_exec: MULTI+SET+EXEC transactions/s)"
printf '%-12s %14s %14s %8s\n' test redlet redis ratio
for t in ${TESTS//,/ }; do
    a=$(cat "$WORK"/redlet.*.tsv | awk -F'\t' -v t="$t" '$1 == t { print $2 }' | median)
    b=$(cat "$WORK"/redis.*.tsv | awk -F'\t' -v t="$t" '$1 == t { print $2 }' | median)
    awk -v t="$t" -v a="${a:-0}" -v b="${b:-0}" 'BEGIN { printf "%-12s %14.0f %14.0f %8.2f\n", t, a, b, (b > 0 ? a / b : 0) }'
done
