#!/usr/bin/env bash
# Builds the redlet WASI component into <repo>/target/component/redlet.wasm:
#   cargo (wasm32-unknown-unknown, profile `wasm`) -> wasm-opt (npm
#   `binaryen`) on the core module -> `jco new` (npm `@bytecodealliance/jco`).
# Building for wasm32-unknown-unknown and wrapping with `jco new` (not
# `--target wasm32-wasip2`) gives a component that imports only what the
# WIT names: wasi:clocks/wall-clock and redlet:engine/storage, no wasi:cli,
# no filesystem. The path is repo-relative whatever CARGO_TARGET_DIR says,
# so hosts and tests find it in one place.
# REDLET_COMPONENT_DEBUG=1: the dev profile and no wasm-opt (faster, for
# tests), written to the same path.
set -euo pipefail
cd "$(dirname "$0")"
root=$(cd .. && pwd)
profile=wasm
[ "${REDLET_COMPONENT_DEBUG:-0}" = 1 ] && profile=dev

[ -x node_modules/.bin/jco ] || npm ci --no-audit --no-fund

cargo build -p redlet-component --target wasm32-unknown-unknown --profile "$profile"
# The target dir cargo used (CARGO_TARGET_DIR, .cargo/config or the default).
target_dir=$(cargo metadata --format-version 1 --no-deps | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).target_directory))')
dir=$profile; [ "$profile" = dev ] && dir=debug
core="$target_dir/wasm32-unknown-unknown/$dir/redlet_component.wasm"
out="$root/target/component"
mkdir -p "$out"
tmp="$out/redlet.core.wasm"
if [ "$profile" = wasm ]; then
    # wasm-opt keeps custom sections it does not know, so the
    # `component-type` section wit-bindgen embedded survives for jco new;
    # --strip-debug/--strip-producers drop only names and producers.
    npx --no-install wasm-opt -O3 --converge --low-memory-unused --strip-debug --strip-producers \
        --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue \
        "$core" -o "$tmp"
else
    cp "$core" "$tmp"
fi
npx --no-install jco new "$tmp" -o "$out/redlet.wasm"
rm -f "$tmp"
echo "build.sh: $out/redlet.wasm: $(wc -c < "$out/redlet.wasm") bytes ($(gzip -9c "$out/redlet.wasm" | wc -c) gzipped)"
