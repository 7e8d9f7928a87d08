#!/usr/bin/env bash
# Memory: RSS growth (VmRSS from /proc/PID/status) of `redlet serve` and of
# redis-server after the same write load, and the ratio redlet/redis.
#
#   bench/memory.sh                 (1,000,000 SETs of 32-byte values on up to 1,000,000 keys)
#   REQUESTS=1000000 KEYSPACE=1000000 SIZE=32 bench/memory.sh
set -euo pipefail
cd "$(dirname "$0")/.."

REQUESTS=${REQUESTS:-1000000}
KEYSPACE=${KEYSPACE:-1000000}
SIZE=${SIZE:-32}

command -v redis-server >/dev/null || { echo "redis-server not installed" >&2; exit 1; }
command -v redis-benchmark >/dev/null || { echo "redis-benchmark not installed" >&2; exit 1; }

. bench/lib.sh
bench_setup

rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }

# measure NAME: prints "rss_before rss_after keys" in kB.
measure() {
    local name=$1 port pid before after keys i
    port=$(free_port)
    if [ "$name" = redlet ]; then
        "$REDLET" serve --port "$port" --dir "$(redlet_dir)" >"$WORK/$name.log" 2>&1 &
    else
        redis-server --port "$port" --save '' --appendonly no --dir "$WORK" >"$WORK/$name.log" 2>&1 &
    fi
    pid=$!
    PIDS+=("$pid")
    for i in $(seq 1 100); do
        redis-cli -p "$port" ping 2>/dev/null | grep -q PONG && break
        sleep 0.05
    done
    before=$(rss_kb "$pid")
    redis-benchmark -p "$port" -t set -r "$KEYSPACE" -n "$REQUESTS" -d "$SIZE" -P 16 -q >/dev/null 2>&1 || true
    sleep 0.5
    after=$(rss_kb "$pid")
    keys=$(redis-cli -p "$port" dbsize 2>/dev/null | grep -Eo '^[0-9]+' || echo "?")
    kill "$pid"
    wait "$pid" 2>/dev/null || true
    echo "$before $after $keys"
}

read -r a0 a1 ak < <(measure redlet)
read -r b0 b1 bk < <(measure redis)

echo "redis-benchmark -t set -r $KEYSPACE -n $REQUESTS -d $SIZE -P 16"
printf '%-8s %12s %12s %12s %10s\n' server 'RSS before' 'RSS after' 'growth' keys
printf '%-8s %10s kB %10s kB %10s kB %10s\n' redlet "$a0" "$a1" "$((a1 - a0))" "$ak"
printf '%-8s %10s kB %10s kB %10s kB %10s\n' redis "$b0" "$b1" "$((b1 - b0))" "$bk"
awk -v a=$((a1 - a0)) -v b=$((b1 - b0)) 'BEGIN { printf "growth ratio redlet/redis: %.2f\n", (b > 0 ? a / b : 0) }'
