#!/usr/bin/env bash
# Issue 10: redis-benchmark -P 16 -c 50 against `redlet-wasmtime serve`
# (every command run by the redlet component in wasmtime) and against
# redis-server, alternating, fresh servers each round; prints the
# requests/s ratio wasmtime/redis per test (median of ROUNDS rounds).
# Usage: bash bench/wasmtime-resp.sh [ROUNDS]
#   (REDLET_WASMTIME_BIN=path: use that binary instead of building one)
# The component must be built (bash component/build.sh) or named by
# REDLET_COMPONENT.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
n=${REDLET_BENCH_N:-200000}
tests=set,get,incr,lpush,lpop,sadd,hset,zadd
source bench/lib.sh
if [ -n "${REDLET_WASMTIME_BIN:-}" ]; then
    # A binary built already (skips the release build).
    BIN=$REDLET_WASMTIME_BIN
    WORK=$(mktemp -d); PIDS=(); trap bench_cleanup EXIT
else
    bench_setup -p redlet-wasmtime --bin redlet-wasmtime
    BIN=$TARGET/redlet-wasmtime
fi
versus_redis wasmtime "$rounds" "$n" "$tests" "$BIN"
