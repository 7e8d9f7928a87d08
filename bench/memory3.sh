#!/usr/bin/env bash
# Issue 3's memory figures: RSS growth (VmRSS from /proc/PID/status) of
# `redlet serve` and of redis-server after the same load, each load on a
# fresh server, and the ratio redlet/redis; with each server's
# `used_memory` (INFO memory) after the load next to it.
#
#   bench/memory3.sh                (N=1000000)
#   N=1000000 LOADS=strings,zset,stream bench/memory3.sh
#
# Loads (sent with `redis-cli --pipe`, the same bytes to both servers):
#   strings: N `SET key:<i> <32-byte value>` (N distinct keys)
#   zset:    N `ZADD myzset <score> m:<i>` (N distinct members, scores pseudo-random integers)
#   stream:  N `XADD mystream * f <i>` (N entries, auto ids)
set -euo pipefail
cd "$(dirname "$0")/.."

N=${N:-1000000}
LOADS=${LOADS:-strings,zset,stream}

command -v redis-server >/dev/null || { echo "redis-server not installed" >&2; exit 1; }
command -v redis-cli >/dev/null || { echo "redis-cli not installed" >&2; exit 1; }
command -v python3 >/dev/null || { echo "python3 not installed" >&2; exit 1; }

. bench/lib.sh
bench_setup

rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }

# gen LOAD FILE: writes the load's commands as RESP.
gen() {
    python3 - "$1" "$N" >"$2" <<'PY'
import sys
load, n = sys.argv[1], int(sys.argv[2])
out = sys.stdout.buffer
def cmd(*a):
    b = [b"*%d\r\n" % len(a)]
    for x in a:
        b.append(b"$%d\r\n%s\r\n" % (len(x), x))
    return b"".join(b)
val = b"v" * 32
chunk = []
for i in range(n):
    if load == "strings":
        chunk.append(cmd(b"SET", b"key:%d" % i, val))
    elif load == "zset":
        chunk.append(cmd(b"ZADD", b"myzset", b"%d" % ((i * 2654435761) % 1000000007), b"m:%d" % i))
    else:
        chunk.append(cmd(b"XADD", b"mystream", b"*", b"f", b"%d" % i))
    if len(chunk) == 10000:
        out.write(b"".join(chunk))
        chunk = []
out.write(b"".join(chunk))
PY
}

# measure NAME LOAD: prints "rss_before rss_after used_memory".
measure() {
    local name=$1 load=$2 port pid before after used i
    port=$(free_port)
    if [ "$name" = redlet ]; then
        "$REDLET" serve --port "$port" --dir "$(redlet_dir)" --save "" >"$WORK/$name.log" 2>&1 &
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
    redis-cli -p "$port" --pipe <"$WORK/$load.resp" >"$WORK/$name.$load.pipe" 2>&1 || true
    sleep 0.5
    after=$(rss_kb "$pid")
    used=$(redis-cli -p "$port" info memory | tr -d '\r' | awk -F: '$1 == "used_memory" { print $2 }')
    kill "$pid"
    wait "$pid" 2>/dev/null || true
    echo "$before $after ${used:-?}"
}

printf '%-8s %-7s %12s %12s %12s %14s %8s\n' load server 'RSS before' 'RSS after' 'growth' 'used_memory' ratio
for load in ${LOADS//,/ }; do
    gen "$load" "$WORK/$load.resp"
    read -r a0 a1 au < <(measure redlet "$load")
    read -r b0 b1 bu < <(measure redis "$load")
    rm -f "$WORK/$load.resp"
    ratio=$(awk -v a=$((a1 - a0)) -v b=$((b1 - b0)) 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
    printf '%-8s %-7s %9s kB %9s kB %9s kB %14s %8s\n' "$load" redlet "$a0" "$a1" "$((a1 - a0))" "$au" "$ratio"
    printf '%-8s %-7s %9s kB %9s kB %9s kB %14s\n' "$load" redis "$b0" "$b1" "$((b1 - b0))" "$bu"
done
echo "(N=$N; ratio = RSS growth redlet/redis; used_memory in bytes from INFO memory)"
