#!/usr/bin/env bash
# Benchmark 2 (issue 12): big replies. A 256 MB value (SETBIT s 2147483646 1)
# read by one `MGET s s s s`; a 1M-element list read by `LRANGE l 0 -1`; a
# 1M-field hash read by HGETALL. Each reply is read to the end by a client,
# then the key is deleted: peak RSS during the reply, RSS one second after
# it, and RSS 1.5 s after the DEL, release `redlet serve` against
# redis-server. RSS is sampled every 5 ms from /proc. Ratios are redlet /
# redis (<= 1.0 is at most Redis's).
#
#   bash bench/bigvalue.sh            # all three
#   CASES=mget bash bench/bigvalue.sh
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -d "$HOME/.cargo/bin" ]; then export PATH="$HOME/.cargo/bin:$PATH"; fi
. bench/lib.sh
bench_setup

cat > "$WORK/probe.py" <<'PROBE'
import socket, sys, threading, time
port, pid, case = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
def rss():
    for l in open("/proc/%d/status" % pid):
        if l.startswith("VmRSS:"):
            return int(l.split()[1]) * 1024
    return 0
peak = [0]
stop = [False]
def sample():
    while not stop[0]:
        peak[0] = max(peak[0], rss()); time.sleep(0.005)
s = socket.create_connection(("127.0.0.1", port))
def cmd(*a):
    out = b"*%d\r\n" % len(a)
    for x in a:
        x = x if isinstance(x, bytes) else str(x).encode()
        out += b"$%d\r\n%s\r\n" % (len(x), x)
    return out
def call(b):
    s.sendall(b)
    buf = b""
    while not buf.endswith(b"\r\n"):
        buf += s.recv(1 << 16)
    return buf
if case == "mget":
    call(cmd("SETBIT", "s", 2147483646, 1)); key = "s"
    req = cmd("MGET", "s", "s", "s", "s")
elif case == "lrange":
    call(cmd("EVAL", "for i=1,1000000 do redis.call('RPUSH', KEYS[1], 'element:' .. i) end", 1, "l")); key = "l"
    req = cmd("LRANGE", "l", 0, -1)
else:
    call(cmd("EVAL", "for i=1,1000000 do redis.call('HSET', KEYS[1], 'field:' .. i, 'value:' .. i) end", 1, "h")); key = "h"
    req = cmd("HGETALL", "h")
time.sleep(0.5)
base = rss()
t = threading.Thread(target=sample); t.start()
# The reply, then PONG: read until the PONG ends the stream.
s.sendall(req + b"PING\r\n")
tail = b""
while True:
    d = s.recv(1 << 22)
    if not d: break
    tail = (tail + d)[-16:]
    if tail.endswith(b"+PONG\r\n"): break
time.sleep(1)
stop[0] = True; t.join()
after = rss()
call(cmd("DEL", key))
time.sleep(1.5)
settled = rss()
print("%d %d %d %d" % (base >> 20, peak[0] >> 20, after >> 20, settled >> 20))
PROBE

run_one() { # name case -> "base_mb peak_mb after_reply_mb after_del_mb"
    local name=$1 case=$2 port dir pid
    port=$(free_port)
    dir=$(mktemp -d "$WORK/$name.XXXX")
    if [ "$name" = redis ]; then
        redis-server --port "$port" --save '' --appendonly no --dir "$dir" --daemonize no >/dev/null 2>&1 &
    else
        "$REDLET" serve --port "$port" --save '' --appendonly no --dir "$dir" >/dev/null 2>&1 &
    fi
    pid=$!
    PIDS+=("$pid")
    for _ in $(seq 100); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.05; done
    python3 "$WORK/probe.py" "$port" "$pid" "$case"
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

for case in ${CASES:-mget lrange hgetall}; do
    r=$(run_one redis "$case")
    l=$(run_one redlet "$case")
    echo "$case: RSS MB (with the data, peak during the reply, 1 s after it, 1.5 s after DEL)"
    echo "  redis:  $r"
    echo "  redlet: $l"
    read -r rb rp ra rd <<<"$r"
    read -r lb lp la ld <<<"$l"
    awk -v rb="$rb" -v rp="$rp" -v ra="$ra" -v rd="$rd" -v lb="$lb" -v lp="$lp" -v la="$la" -v ld="$ld" 'BEGIN {
        rg = rp - rb; if (rg < 1) rg = 1
        printf "  ratios redlet/redis: peak %.2f (growth during the reply %d vs %d MB), after the reply %.2f, after DEL %.2f\n", lp / rp, lp - lb, rp - rb, la / ra, ld / rd
    }'
done
