#!/usr/bin/env bash
# Eviction quality: a Zipf(0.99) GET-then-SET-on-miss trace of 1 KiB values
# over 100k keys against `redlet serve` and redis-server with the same
# maxmemory (16mb), for allkeys-lru and allkeys-lfu. Prints each server's hit
# ratio (after a warm-up) and the ratio redlet/redis. Target: >= 1.00.
#
#   bench/evict.sh
#   REQUESTS=1000000 WARMUP=200000 KEYS=100000 SIZE=1024 MAXMEMORY=16mb POLICIES="allkeys-lru allkeys-lfu" bench/evict.sh
#
# The load generator is host/examples/evict_load.rs (requests one at a time,
# the same seeded trace for both servers).
set -euo pipefail
cd "$(dirname "$0")/.."

REQUESTS=${REQUESTS:-1000000}
WARMUP=${WARMUP:-200000}
KEYS=${KEYS:-100000}
SIZE=${SIZE:-1024}
MAXMEMORY=${MAXMEMORY:-16mb}
POLICIES=${POLICIES:-"allkeys-lru allkeys-lfu"}
SEED=${SEED:-1}
# redlet's limit, when comparing at an equal number of keys held rather than
# an equal byte budget (the accounting differs: Redis counts allocator size
# classes and ~0.9 MB of startup memory).
REDLET_MAXMEMORY=${REDLET_MAXMEMORY:-$MAXMEMORY}

command -v redis-server >/dev/null || { echo "redis-server not installed" >&2; exit 1; }

. bench/lib.sh
bench_setup --bin redlet --example evict_load
LOAD=$TARGET/examples/evict_load

# run NAME POLICY: prints the hit ratio and the server's evicted_keys.
run() {
    local name=$1 policy=$2 port pid i out evicted
    port=$(free_port)
    if [ "$name" = redlet ]; then
        "$REDLET" serve --port "$port" --maxmemory "$REDLET_MAXMEMORY" --maxmemory-policy "$policy" >"$WORK/$name.log" 2>&1 &
    else
        redis-server --port "$port" --save '' --appendonly no --dir "$WORK" \
            --maxmemory "$MAXMEMORY" --maxmemory-policy "$policy" >"$WORK/$name.log" 2>&1 &
    fi
    pid=$!
    PIDS+=("$pid")
    for i in $(seq 1 100); do
        redis-cli -p "$port" ping 2>/dev/null | grep -q PONG && break
        sleep 0.05
    done
    out=$("$LOAD" --port "$port" --keys "$KEYS" --requests "$REQUESTS" --warmup "$WARMUP" --size "$SIZE" --seed "$SEED")
    evicted=$(redis-cli -p "$port" info stats | tr -d '\r' | awk -F: '/^evicted_keys:/ { print $2 }')
    keys=$(redis-cli -p "$port" dbsize | grep -Eo '^[0-9]+')
    kill "$pid"
    wait "$pid" 2>/dev/null || true
    echo "$(echo "$out" | awk '{ print $2 }') $evicted $keys"
}

echo "Zipf(0.99) GET, SET on miss: $KEYS keys, ${SIZE}-byte values, $REQUESTS requests ($WARMUP warm-up), maxmemory $MAXMEMORY (redlet: $REDLET_MAXMEMORY)"
printf '%-14s %-8s %10s %10s %8s\n' policy server 'hit ratio' evicted keys
for policy in $POLICIES; do
    read -r a ae ak < <(run redlet "$policy")
    read -r b be bk < <(run redis "$policy")
    printf '%-14s %-8s %10s %10s %8s\n' "$policy" redlet "$a" "$ae" "$ak"
    printf '%-14s %-8s %10s %10s %8s\n' "$policy" redis "$b" "$be" "$bk"
    awk -v a="$a" -v b="$b" -v p="$policy" 'BEGIN { printf "%-14s hit ratio redlet/redis: %.3f\n", p, (b > 0 ? a / b : 0) }'
done
