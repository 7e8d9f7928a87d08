#!/usr/bin/env bash
# Benchmark 2 (issue 12): a 256 MB value (SETBIT s 2147483646 1), one
# `MGET s s s s` read to the end by a client, then DEL s: peak RSS during
# the reply, RSS one second after it, and RSS one second after the DEL,
# release `redlet serve` against redis-server. RSS is sampled every 5 ms
# from /proc. Ratios are redlet / redis (<= 1.0 is at most Redis's).
#
#   bash bench/bigvalue.sh
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -d "$HOME/.cargo/bin" ]; then export PATH="$HOME/.cargo/bin:$PATH"; fi
. bench/lib.sh
bench_setup

cat > "$WORK/probe.py" <<'EOF'
import socket, sys, threading, time
port, pid = int(sys.argv[1]), int(sys.argv[2])
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
def call(b):
    s.sendall(b)
    return s.recv(1 << 16)
call(b"SETBIT s 2147483646 1\r\n")
time.sleep(0.5)
base = rss()
t = threading.Thread(target=sample); t.start()
s.sendall(b"*5\r\n$4\r\nMGET\r\n$1\r\ns\r\n$1\r\ns\r\n$1\r\ns\r\n$1\r\ns\r\n")
n, want = 0, 4 * (268435456 + 16) + 4
while n < want - 64:
    d = s.recv(1 << 22)
    if not d: break
    n += len(d)
time.sleep(1)
stop[0] = True; t.join()
after = rss()
call(b"DEL s\r\n")
time.sleep(1.5)
settled = rss()
print("%d %d %d %d" % (base >> 20, peak[0] >> 20, after >> 20, settled >> 20))
EOF

run_one() { # name -> "base_mb peak_mb after_reply_mb after_del_mb"
    local name=$1 port dir pid
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
    python3 "$WORK/probe.py" "$port" "$pid"
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

r=$(run_one redis)
l=$(run_one redlet)
echo "RSS MB (with the 256 MB value, peak during MGET, 1 s after the reply, 1.5 s after DEL)"
echo "redis:  $r"
echo "redlet: $l"
read -r _ rp ra rd <<<"$r"
read -r _ lp la ld <<<"$l"
awk -v rp="$rp" -v lp="$lp" -v ra="$ra" -v la="$la" -v rd="$rd" -v ld="$ld" \
    'BEGIN { printf "ratios redlet/redis: peak %.2f, after the reply %.2f, after DEL %.2f\n", lp/rp, la/ra, ld/rd }'
