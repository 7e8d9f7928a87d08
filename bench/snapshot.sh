#!/usr/bin/env bash
# Benchmark 2 (issue 4): SAVE time, load-at-start time and file size of a
# ~1M-key dataset (1M strings, a 200k-member sorted set, 2,000 hashes of 20
# fields, a 100k-entry stream), release `redlet serve --dir` against
# redis-server's RDB. Median of 3 rounds; ratios are Redis time / redlet time
# (>= 1.0 means redlet is at least as fast) and redlet size / RDB size.
#
#   bash bench/snapshot.sh            # ports 7454 (redis) and 7455 (redlet)
#   KEYS=200000 ROUNDS=1 bash bench/snapshot.sh   # a quicker run
#
# Load time is measured two ways: wall time from exec to the first PING
# answer, and the server's own "DB loaded from disk: X seconds" log line.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -d "$HOME/.cargo/bin" ]; then export PATH="$HOME/.cargo/bin:$PATH"; fi

KEYS=${KEYS:-1000000}
ROUNDS=${ROUNDS:-3}
RPORT=${RPORT:-7454}
LPORT=${LPORT:-7455}
work=$(mktemp -d /tmp/redlet-bench-snapshot.XXXXXX)
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT

cargo build --release --bin redlet >/dev/null 2>&1 || cargo build --release --bin redlet
BIN=${CARGO_TARGET_DIR:-target}/release/redlet

echo "generating the dataset ($KEYS strings + zset + hashes + stream)..."
python3 - "$KEYS" > "$work/data.resp" <<'EOF'
import sys, random
n = int(sys.argv[1])
rnd = random.Random(42)
out = sys.stdout.buffer
def cmd(*a):
    parts = [b"*%d\r\n" % len(a)]
    for x in a:
        x = x if isinstance(x, bytes) else str(x).encode()
        parts.append(b"$%d\r\n%s\r\n" % (len(x), x))
    out.write(b"".join(parts))
for i in range(n):
    cmd("SET", "key:%08d" % i, "value-%d-%x" % (i, rnd.getrandbits(48)))
zn = max(n // 5, 10)
for j in range(0, zn, 100):
    args = ["ZADD", "bigzset"]
    for i in range(j, min(j + 100, zn)):
        args += [repr(rnd.random() * 1e6), "member:%d" % i]
    cmd(*args)
for h in range(max(n // 500, 2)):
    args = ["HSET", "hash:%d" % h]
    for f in range(20):
        args += ["field%d" % f, "v%d" % rnd.getrandbits(32)]
    cmd(*args)
for i in range(max(n // 10, 10)):
    cmd("XADD", "stream", "%d-0" % (i + 1), "sensor", str(i % 97), "reading", "%.3f" % (rnd.random() * 100))
EOF
ls -l "$work/data.resp" | awk '{printf "dataset: %.1f MB of RESP\n", $5/1e6}'

now_ns() { date +%s%N; }

# wait_ping PORT: blocks until PING answers; prints nothing.
wait_ping() {
    local port=$1
    for _ in $(seq 1 20000); do
        if [ "$(redis-cli -p "$port" ping 2>/dev/null)" = "PONG" ]; then return 0; fi
        sleep 0.005
    done
    echo "server on $port did not answer" >&2
    return 1
}

# start NAME: starts the server, records its pid in $pid, log in $work/NAME.log.
start() {
    case $1 in
        redis) redis-server --port "$RPORT" --bind 127.0.0.1 --save '' --appendonly no --dir "$work/redis" \
                   --dbfilename dump.rdb >"$work/redis.log" 2>&1 &
               pid=$! ;;
        redlet) "$BIN" serve --port "$LPORT" --bind 127.0.0.1 --save '' --appendonly no --dir "$work/redlet" \
                   >"$work/redlet.log" 2>&1 &
               pid=$! ;;
    esac
    pids+=("$pid")
}
stop() {
    kill -9 "$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true
}
port_of() { if [ "$1" = redis ]; then echo "$RPORT"; else echo "$LPORT"; fi; }
file_of() { if [ "$1" = redis ]; then echo "$work/redis/dump.rdb"; else echo "$work/redlet/redlet.snapshot"; fi; }

declare -A save_t load_t loadlog_t size
for name in redis redlet; do
    mkdir -p "$work/$name"
    port=$(port_of $name)
    start $name
    wait_ping "$port"
    redis-cli -p "$port" --pipe < "$work/data.resp" | tail -1
    echo "$name: dbsize $(redis-cli -p "$port" dbsize)"
    saves=()
    for _ in $(seq 1 "$ROUNDS"); do
        t0=$(now_ns); r=$(redis-cli -p "$port" save); t1=$(now_ns)
        [ "$r" = "OK" ] || { echo "$name SAVE failed: $r" >&2; exit 1; }
        saves+=($(( (t1 - t0) / 1000 )))
    done
    stop "$pid"
    size[$name]=$(stat -c %s "$(file_of $name)")
    loads=(); logs=()
    for _ in $(seq 1 "$ROUNDS"); do
        t0=$(now_ns); start $name; wait_ping "$port"; t1=$(now_ns)
        loads+=($(( (t1 - t0) / 1000 )))
        logs+=("$(grep -o 'DB loaded from disk: [0-9.]* seconds' "$work/$name.log" | grep -o '[0-9.]*' | tail -1)")
        n=$(redis-cli -p "$port" dbsize)
        [ "$n" -gt "$KEYS" ] || { echo "$name loaded only $n keys" >&2; exit 1; }
        stop "$pid"
    done
    save_t[$name]=$(printf '%s\n' "${saves[@]}" | sort -n | sed -n "$(( (ROUNDS + 1) / 2 ))p")
    load_t[$name]=$(printf '%s\n' "${loads[@]}" | sort -n | sed -n "$(( (ROUNDS + 1) / 2 ))p")
    loadlog_t[$name]=$(printf '%s\n' "${logs[@]}" | sort -n | sed -n "$(( (ROUNDS + 1) / 2 ))p")
done

echo
printf '%-8s %12s %14s %16s %14s\n' server "SAVE (ms)" "start (ms)" "load log (s)" "file (bytes)"
for name in redis redlet; do
    printf '%-8s %12.1f %14.1f %16s %14d\n' $name "$(awk "BEGIN{print ${save_t[$name]} / 1000}")" \
        "$(awk "BEGIN{print ${load_t[$name]} / 1000}")" "${loadlog_t[$name]:-?}" "${size[$name]}"
done
echo
ratio() { awk "BEGIN{printf \"%.2f\", $1 / $2}"; }
echo "save speed  redlet/redis: $(ratio "${save_t[redis]}" "${save_t[redlet]}")x  (target >= 1.0)"
echo "load speed  redlet/redis: $(ratio "${load_t[redis]}" "${load_t[redlet]}")x  (target >= 1.0, wall time to first PING)"
echo "file size   redlet/redis: $(ratio "${size[redlet]}" "${size[redis]}")x  (target <= 1.2)"
