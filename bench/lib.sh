# Shared by the bench/*.sh scripts (sourced, not run).
#
# bench_setup [cargo build args...]: builds the release `redlet` (plus what
# the arguments add) and sets WORK (a scratch directory), TARGET (the
# release directory), REDLET (the binary) and PIDS (processes the script
# started); at exit the processes are killed and WORK is removed.
bench_setup() {
    WORK=$(mktemp -d)
    if ! cargo build --release -q -p redlet-host "$@" 2>"$WORK/build.log"; then
        cat "$WORK/build.log" >&2
        rm -rf "$WORK"
        exit 1
    fi
    TARGET=${CARGO_TARGET_DIR:-$PWD/target}/release
    REDLET=$TARGET/redlet
    PIDS=()
    trap bench_cleanup EXIT
}

bench_cleanup() {
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
    rm -rf "$WORK"
}

# A port nothing listens on, below the kernel's ephemeral range (32768+)
# where client sockets live.
free_port() {
    local p
    while :; do
        p=$((20000 + RANDOM % 12000))
        if ! (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null; then echo "$p"; return; fi
    done
}

# A fresh, empty data directory for one `redlet serve --dir`: with a --dir
# redlet saves on SIGTERM, so a server started on a used directory would
# load the previous run's dataset.
redlet_dir() {
    mktemp -d "$WORK/redlet.XXXX"
}

# versus_redis NAME ROUNDS N TESTS CMD...: redis-benchmark -P 16 -c 50
# (N requests, the comma-separated TESTS) against `CMD serve --port P ...`
# (one of redlet's faces; CMD is the command up to `serve`) and against
# redis-server, alternating, fresh servers each round; prints the medians
# and the ratio NAME/redis per test. Needs WORK and PIDS (bench_setup).
versus_redis() {
    local name=$1 rounds=$2 n=$3 tests=$4 r p pid
    shift 4
    # Waits up to 60 s: the wasmtime server compiles the component first.
    _vr_wait() { for _ in $(seq 1 600); do redis-cli -p "$1" ping >/dev/null 2>&1 && return; sleep 0.1; done; echo "server on $1 did not start" >&2; exit 1; }
    _vr_run() { redis-benchmark -q -p "$2" -n "$n" -P 16 -c 50 -r 100000 -t "$tests" --csv | tr -d '"' | awk -F, -v s="$1" 'NR > 1 { print s, tolower($1), $2 }'; }
    : > "$WORK/results"
    for r in $(seq 1 "$rounds"); do
        p=$(free_port)
        "$@" serve --port "$p" --save '' --appendonly no >/dev/null 2>&1 &
        pid=$!; PIDS+=("$pid"); _vr_wait "$p"
        _vr_run "$name" "$p" >> "$WORK/results"
        kill "$pid"; wait "$pid" 2>/dev/null || true
        p=$(free_port)
        redis-server --port "$p" --save '' --appendonly no >/dev/null 2>&1 &
        pid=$!; PIDS+=("$pid"); _vr_wait "$p"
        _vr_run redis "$p" >> "$WORK/results"
        kill "$pid"; wait "$pid" 2>/dev/null || true
    done
    python3 - "$WORK/results" "$name" <<'PY'
import sys, statistics, collections
d = collections.defaultdict(list)
order = []
name = sys.argv[2]
for line in open(sys.argv[1]):
    side, test, rps = line.split(None, 2)
    t = test.split()[0]
    if t not in order:
        order.append(t)
    d[(side, t)].append(float(rps))
head = f"{name} req/s"
print(f"{'test':8} {head:>14} {'redis req/s':>12} {name + '/redis':>14}  (medians; target >= 0.5)")
for t in order:
    w, r = statistics.median(d[(name, t)]), statistics.median(d[('redis', t)])
    print(f"{t:8} {w:14.0f} {r:12.0f} {w / r:14.2f}")
PY
}
