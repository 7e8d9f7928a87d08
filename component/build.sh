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
# REDLET_COMPONENT_OPT_LEVEL=s|z overrides the `wasm` profile's opt-level
# (2) for this build only. Measured 2026-12 (gzipped component): 2 ->
# ~453 KB, s -> ~401 KB, z -> ~356 KB; the npm package measured s 5% and
# z 37% slower per command than 2.
set -euo pipefail
cd "$(dirname "$0")"
root=$(cd .. && pwd)
profile=wasm
[ "${REDLET_COMPONENT_DEBUG:-0}" = 1 ] && profile=dev

[ -x node_modules/.bin/jco ] || npm ci --no-audit --no-fund

if [ -n "${REDLET_COMPONENT_OPT_LEVEL:-}" ]; then
    export CARGO_PROFILE_WASM_OPT_LEVEL=$REDLET_COMPONENT_OPT_LEVEL
fi
cargo build -p redlet-component --target wasm32-unknown-unknown --profile "$profile"
# The target dir cargo used (CARGO_TARGET_DIR, .cargo/config or the default).
target_dir=$(cargo metadata --format-version 1 --no-deps | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).target_directory))')
dir=$profile; [ "$profile" = dev ] && dir=debug
core="$target_dir/wasm32-unknown-unknown/$dir/redlet_component.wasm"
out="$root/target/component"
# Built in a scratch directory, then renamed into place: other processes
# (tests, hosts) may read redlet.wasm while this runs.
work="$out/.build.$$"
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT
if [ "$profile" = wasm ]; then
    # wasm-opt keeps custom sections it does not know, so the
    # `component-type` section wit-bindgen embedded survives for jco new;
    # --strip-debug/--strip-producers drop only names and producers.
    npx --no-install wasm-opt -O3 --converge --low-memory-unused --strip-debug --strip-producers \
        --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue \
        "$core" -o "$work/core.wasm"
else
    cp "$core" "$work/core.wasm"
fi
npx --no-install jco new "$work/core.wasm" -o "$work/component.wasm"
if [ "$profile" = wasm ]; then
    node strip-custom.mjs "$work/component.wasm" "$work/redlet.wasm"
else
    mv "$work/component.wasm" "$work/redlet.wasm"
fi
mv -f "$work/redlet.wasm" "$out/redlet.wasm"
echo "build.sh: $out/redlet.wasm: $(wc -c < "$out/redlet.wasm") bytes ($(gzip -9c "$out/redlet.wasm" | wc -c) gzipped)"
