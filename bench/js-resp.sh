#!/usr/bin/env bash
# Benchmark 2 of issue 8: redis-benchmark -P 16 -c 50 against the npm
# package's server (`node js/bin/redlet.mjs serve`, the wasm engine) and
# against redis-server, alternating, fresh servers each round; prints the
# requests/s ratio wasm/redis per test (median of ROUNDS rounds).
# Usage: bash bench/js-resp.sh [ROUNDS]   (js/dist must be built: cd js && npm run build)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
n=${REDLET_BENCH_N:-200000}
tests=set,get,incr,lpush,lpop,sadd,hset,zadd
source bench/lib.sh
# The npm package's server needs no cargo build: no bench_setup.
WORK=$(mktemp -d); PIDS=(); trap bench_cleanup EXIT
versus_redis wasm "$rounds" "$n" "$tests" node js/bin/redlet.mjs
