#!/usr/bin/env bash
# RDB files both ways (issue 13): the dataset of bench/snapshot.sh (1M
# strings, a 200k-member sorted set, 2,000 hashes of 20 fields, a 100k-entry
# stream) in redis-server 7.0, then
#   - redis-server SAVE (ms)            vs  `redlet export --format rdb` (its
#     own "N bytes of RDB in X ms" line: the writing alone)
#   - redis-server loading dump.rdb at start ("DB loaded from disk")
#                                       vs  `redlet import --rdb` (its own
#     "decoded in X ms" line: reading and building the dataset)
# and redis-server loading redlet's file (it must hold every key). Median of
# ROUNDS; ratios are Redis time / redlet time (>= 1.0: redlet as fast).
#
#   bash bench/rdb.sh                        # port 7456
#   KEYS=200000 ROUNDS=1 bash bench/rdb.sh   # a quicker run
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -d "$HOME/.cargo/bin" ]; then export PATH="$HOME/.cargo/bin:$PATH"; fi

KEYS=${KEYS:-1000000}
ROUNDS=${ROUNDS:-3}
RPORT=${RPORT:-7456}
work=$(mktemp -d /tmp/redlet-bench-rdb.XXXXXX)
pid=
cleanup() {
    [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

cargo build --release --bin redlet >/dev/null 2>&1 || cargo build --release --bin redlet
BIN=${CARGO_TARGET_DIR:-target}/release/redlet

# The dataset generator of bench/snapshot.sh.
sed -n "/^python3 - \"\$KEYS\" > \"\$work\/data.resp\" <<'EOF'$/,/^EOF$/p" bench/snapshot.sh | sed '1d;$d' > "$work/gen.py"
python3 "$work/gen.py" "$KEYS" > "$work/data.resp"

now_ns() { date +%s%N; }
wait_ping() {
    for _ in $(seq 1 20000); do
        if [ "$(redis-cli -p "$RPORT" ping 2>/dev/null)" = "PONG" ]; then return 0; fi
        sleep 0.005
    done
    echo "redis-server did not answer" >&2
    return 1
}
start_redis() { # DIR
    redis-server --port "$RPORT" --bind 127.0.0.1 --save '' --appendonly no --dir "$1" --dbfilename dump.rdb >"$1/redis.log" 2>&1 &
    pid=$!
}
stop_redis() { kill -9 "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; pid=; }
median() { sort -n | sed -n "$(( (ROUNDS + 1) / 2 ))p"; }

mkdir -p "$work/redis"
start_redis "$work/redis"; wait_ping
redis-cli -p "$RPORT" --pipe < "$work/data.resp" | tail -1
n=$(redis-cli -p "$RPORT" dbsize)
echo "redis-server: dbsize $n"
saves=()
for _ in $(seq 1 "$ROUNDS"); do
    t0=$(now_ns); redis-cli -p "$RPORT" save >/dev/null; t1=$(now_ns)
    saves+=($(( (t1 - t0) / 1000000 )))
done
stop_redis
loads=()
for _ in $(seq 1 "$ROUNDS"); do
    start_redis "$work/redis"; wait_ping; stop_redis
    loads+=("$(grep -o 'DB loaded from disk: [0-9.]* seconds' "$work/redis/redis.log" | grep -o '[0-9.]*' | tail -1 | awk '{printf "%d", $1 * 1000}')")
done
imports=(); exports=()
for r in $(seq 1 "$ROUNDS"); do
    rm -rf "$work/redlet"
    msg=$("$BIN" import --rdb "$work/redis/dump.rdb" --dir "$work/redlet" 2>&1)
    imports+=("$(echo "$msg" | grep -o 'decoded in [0-9]* ms' | grep -o '[0-9]*')")
    msg=$("$BIN" export --dir "$work/redlet" --format rdb 2>&1 >"$work/redlet.rdb")
    exports+=("$(echo "$msg" | grep -o 'RDB in [0-9]* ms' | grep -o '[0-9]*')")
done
echo "$msg"
mkdir -p "$work/check"; cp "$work/redlet.rdb" "$work/check/dump.rdb"
start_redis "$work/check"; wait_ping
m=$(redis-cli -p "$RPORT" dbsize)
stop_redis
[ "$m" = "$n" ] || { echo "redis-server loaded $m keys from redlet's file, expected $n" >&2; exit 1; }
s=$(printf '%s\n' "${saves[@]}" | median); e=$(printf '%s\n' "${exports[@]}" | median)
l=$(printf '%s\n' "${loads[@]}" | median); i=$(printf '%s\n' "${imports[@]}" | median)
printf 'write: redis SAVE %d ms, redlet export --format rdb %d ms: %.2fx\n' "$s" "$e" "$(echo "$s / $e" | bc -l)"
printf 'read:  redis load %d ms, redlet import --rdb %d ms: %.2fx\n' "$l" "$i" "$(echo "$l / $i" | bc -l)"
printf 'size:  redis %d B, redlet %d B (%s keys; redis-server loads redlet'"'"'s file: %s keys)\n' "$(stat -c %s "$work/redis/dump.rdb")" "$(stat -c %s "$work/redlet.rdb")" "$n" "$m"
