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
