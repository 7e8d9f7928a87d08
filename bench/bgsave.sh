#!/usr/bin/env bash
# Benchmark 1 (issue 12): the worst PING latency a client sees while a
# BGSAVE runs, and the PING throughput meanwhile, release `redlet serve`
# against redis-server (which forks). The dataset: KEYS strings of 32 bytes
# plus a 300k-member sorted set, 100k small hashes and a 200k-entry stream
# (scaled with KEYS), loaded with redis-cli --pipe. Each round starts both
# servers fresh, alternating which goes first; the probe sends one PING at a
# time on one connection from before BGSAVE until the save is over.
#
#   bash bench/bgsave.sh              # KEYS=1000000, ROUNDS=3
#   KEYS=200000 ROUNDS=1 bash bench/bgsave.sh
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -d "$HOME/.cargo/bin" ]; then export PATH="$HOME/.cargo/bin:$PATH"; fi
. bench/lib.sh
bench_setup

KEYS=${KEYS:-1000000}
ROUNDS=${ROUNDS:-3}

python3 - "$KEYS" > "$WORK/data.resp" <<'EOF'
import sys, random
n = int(sys.argv[1])
rnd = random.Random(7)
out = sys.stdout.buffer
def cmd(*a):
    parts = [b"*%d\r\n" % len(a)]
    for x in a:
        x = x if isinstance(x, bytes) else str(x).encode()
        parts.append(b"$%d\r\n%s\r\n" % (len(x), x))
    out.write(b"".join(parts))
for i in range(n):
    cmd("SET", "key:%08d" % i, "%032x" % rnd.getrandbits(128))
z = max(n * 3 // 10, 10)
for j in range(0, z, 100):
    args = ["ZADD", "zset"]
    for i in range(j, min(j + 100, z)):
        args += ["%.6f" % (rnd.random() * 1e6), "m:%d" % i]
    cmd(*args)
for h in range(max(n // 10, 2)):
    cmd("HSET", "hash:%d" % h, "a", str(h), "b", "x" * 10)
for i in range(max(n // 5, 10)):
    cmd("XADD", "stream", "%d-0" % (i + 1), "f", str(i))
EOF

cat > "$WORK/probe.py" <<'EOF'
import socket, sys, time
port = int(sys.argv[1])
def conn():
    s = socket.create_connection(("127.0.0.1", port)); s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1); return s
def call(s, line):
    s.sendall(line)
    buf = b""
    while not buf.endswith(b"\r\n") or (buf.startswith(b"$") and buf.count(b"\r\n") < 2):
        buf += s.recv(1 << 20)
    return buf
p, ctl = conn(), conn()
for _ in range(2000):
    call(p, b"PING\r\n")
t0 = time.perf_counter()
assert b"Background saving started" in call(ctl, b"BGSAVE\r\n")
worst, n, start = 0.0, 0, time.perf_counter()
check = start
while True:
    a = time.perf_counter()
    call(p, b"PING\r\n")
    b = time.perf_counter()
    worst = max(worst, b - a); n += 1
    if b - check > 0.01:
        check = b
        info = call(ctl, b"INFO persistence\r\n")
        while b"rdb_bgsave_in_progress" not in info:
            info += ctl.recv(1 << 16)
        if b"rdb_bgsave_in_progress:0" in info:
            break
dur = time.perf_counter() - start
print("%.3f %.0f %.2f" % (worst * 1000, n / dur, dur))
EOF

run_one() { # name port -> "worst_ms pings_per_s save_s"
    local name=$1 port=$2 dir
    dir=$(mktemp -d "$WORK/$name.XXXX")
    if [ "$name" = redis ]; then
        redis-server --port "$port" --save '' --appendonly no --dir "$dir" --daemonize no >/dev/null 2>&1 &
    else
        "$REDLET" serve --port "$port" --save '' --appendonly no --dir "$dir" >/dev/null 2>&1 &
    fi
    local pid=$!
    PIDS+=("$pid")
    for _ in $(seq 100); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.05; done
    redis-cli -p "$port" --pipe < "$WORK/data.resp" >/dev/null
    python3 "$WORK/probe.py" "$port"
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

echo "dataset: $KEYS strings + zset + hashes + stream; $(redis-cli --version)"
echo "round  redis: worst_ms pings/s save_s   redlet: worst_ms pings/s save_s"
rw=(); lw=(); rt=(); lt=()
for r in $(seq "$ROUNDS"); do
    if [ $((r % 2)) -eq 1 ]; then
        a=$(run_one redis "$(free_port)"); b=$(run_one redlet "$(free_port)")
    else
        b=$(run_one redlet "$(free_port)"); a=$(run_one redis "$(free_port)")
    fi
    echo "$r      $a      $b"
    rw+=("$(echo "$a" | cut -d' ' -f1)"); lw+=("$(echo "$b" | cut -d' ' -f1)")
    rt+=("$(echo "$a" | cut -d' ' -f2)"); lt+=("$(echo "$b" | cut -d' ' -f2)")
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "median worst PING latency during BGSAVE: redis $(median "${rw[@]}") ms, redlet $(median "${lw[@]}") ms"
echo "median PINGs/s during BGSAVE: redis $(median "${rt[@]}"), redlet $(median "${lt[@]}")"
