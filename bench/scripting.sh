#!/usr/bin/env bash
# Lua scripting, redlet vs redis-server 7.0, in one run (issue 11's
# benchmarks). Usage: bash bench/scripting.sh [ROUNDS] [N]
#
# 1. Throughput: redis-benchmark -P 16 -c 50 -n N of
#    - EVAL "return redis.call('SET',KEYS[1],ARGV[1])" 1 key val,
#    - EVALSHA of a sliding-window rate limiter (SCRIPT LOAD first),
#    - FCALL of a small function (FUNCTION LOAD first),
#    against `redlet serve` and redis-server, alternating, fresh servers
#    each round; medians and the ratio redlet/redis (target >= 1.0).
# 2. CPU-bound scripts, one EVAL at a time over one connection (1M
#    additions, string building, string.format, cjson encode/decode of a
#    1,000-element table, recursive fib(25)): median wall time of ROUNDS
#    runs on each server and the speed ratio redis-time/redlet-time
#    (target >= 0.5).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
ROUNDS=${1:-3}
N=${2:-200000}
bench_setup

LIMITER='local now = tonumber(ARGV[1]) local window = tonumber(ARGV[2]) local limit = tonumber(ARGV[3])
redis.call("ZREMRANGEBYSCORE", KEYS[1], 0, now - window)
if redis.call("ZCARD", KEYS[1]) < limit then
  redis.call("ZADD", KEYS[1], now, ARGV[4]) redis.call("PEXPIRE", KEYS[1], window) return 1
end
return 0'
LIBRARY='#!lua name=bench
redis.register_function("hit", function(keys, args) return redis.call("INCR", keys[1]) end)'

start() { # start NAME PORT -> pid
    if [ "$1" = redlet ]; then
        "$REDLET" serve --port "$2" --save '' --appendonly no >/dev/null 2>&1 &
    else
        redis-server --port "$2" --save '' --appendonly no >/dev/null 2>&1 &
    fi
    local pid=$!
    PIDS+=("$pid")
    for _ in $(seq 1 100); do redis-cli -p "$2" ping >/dev/null 2>&1 && break; sleep 0.05; done
    echo "$pid"
}

: > "$WORK/tput"
: > "$WORK/cpu"
for r in $(seq 1 "$ROUNDS"); do
    for side in redlet redis; do
        p=$(free_port)
        pid=$(start "$side" "$p")
        sha=$(redis-cli -p "$p" script load "$LIMITER")
        redis-cli -p "$p" function load "$LIBRARY" >/dev/null
        # bench TEST ARGS...: one redis-benchmark run, one result line. The
        # CSV's test column holds the command line (commas included): the
        # rate is the seventh field from the end.
        bench() {
            local t=$1
            shift
            redis-benchmark -q -p "$p" -n "$N" -P 16 -c 50 -r 100000 --csv "$@" | tr -d '"' | awk -F, -v s="$side" -v t="$t" 'NR > 1 { print s, t, $(NF - 6) }' >> "$WORK/tput"
        }
        bench eval EVAL "return redis.call('SET',KEYS[1],ARGV[1])" 1 key:__rand_int__ val
        bench evalsha_limiter EVALSHA "$sha" 1 rl:__rand_int__ 1000000 1000 10 m:__rand_int__
        bench fcall FCALL hit 1 c:__rand_int__
        python3 bench/scripting_cpu.py "$side" "$p" 1 >> "$WORK/cpu"
        kill "$pid"
        wait "$pid" 2>/dev/null || true
    done
done

python3 - "$WORK/tput" "$WORK/cpu" <<'PY'
import sys, statistics, collections
def load(path):
    d = collections.defaultdict(list)
    order = []
    for line in open(path):
        side, test, v = line.split()
        if test not in order:
            order.append(test)
        d[(side, test)].append(float(v))
    return d, order
d, order = load(sys.argv[1])
print(f"{'test':18} {'redlet req/s':>13} {'redis req/s':>12} {'redlet/redis':>13}  (medians; target >= 1.0)")
for t in order:
    w, r = statistics.median(d[('redlet', t)]), statistics.median(d[('redis', t)])
    print(f"{t:18} {w:13.0f} {r:12.0f} {w / r:13.2f}")
d, order = load(sys.argv[2])
print()
print(f"{'script':18} {'redlet ms':>10} {'redis ms':>10} {'speed ratio':>12}  (medians; redis ms / redlet ms, target >= 0.5)")
for t in order:
    w, r = statistics.median(d[('redlet', t)]), statistics.median(d[('redis', t)])
    print(f"{t:18} {w:10.1f} {r:10.1f} {r / w:12.2f}")
PY
