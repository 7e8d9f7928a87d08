#!/usr/bin/env bash
# Builds the npm package into js/dist (`npm run build`); the wasm-bindgen
# glue is generated into js/ts/wasm (ignored by git):
#   cargo (wasm32-unknown-unknown, profile `wasm`) -> wasm-bindgen --target web
#   -> wasm-opt -O3 (npm `binaryen`) -> tsc.
# REDLET_JS_DEBUG=1 builds the wasm without optimisation (faster, for tests
# of conversions only).
set -euo pipefail
cd "$(dirname "$0")"
root=$(cd .. && pwd)
target_dir=${CARGO_TARGET_DIR:-$root/target}
profile=wasm
[ "${REDLET_JS_DEBUG:-0}" = 1 ] && profile=dev

want=$(sed -n 's/^wasm-bindgen = "=\(.*\)"/\1/p' Cargo.toml)
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$want" ]; then
    echo "build.sh: installing wasm-bindgen-cli $want" >&2
    cargo install wasm-bindgen-cli --version "$want"
fi
[ -d node_modules ] || npm ci

# (LLVM inliner flags for every wasm32 build: ../.cargo/config.toml.)
cargo build -p redlet-js --target wasm32-unknown-unknown --profile "$profile"
dir=$profile; [ "$profile" = dev ] && dir=debug
mkdir -p dist/wasm
wasm-bindgen --target web --out-dir ts/wasm --out-name redlet_js "$target_dir/wasm32-unknown-unknown/$dir/redlet_js.wasm"
# The glue's types declare `[Symbol.dispose]`, which needs TypeScript's
# `esnext` lib: users on es2022 would fail to type-check our types. The
# method stays in the JS; only its declaration goes.
sed -i '/\[Symbol\.dispose\]/d' ts/wasm/redlet_js.d.ts
if [ "$profile" = wasm ]; then
    # -O3 keeps the speed the package is measured on; --strip-* drops names
    # and producers sections (bytes only, no behaviour).
    npx --no-install wasm-opt -O3 --converge --low-memory-unused --strip-debug --strip-producers --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue \
        ts/wasm/redlet_js_bg.wasm -o ts/wasm/redlet_js_bg.wasm
fi
# ts/wasm holds the generated glue: tsc reads its types, dist gets a copy.
npx --no-install tsc -p tsconfig.json
cp ts/wasm/redlet_js.js ts/wasm/redlet_js.d.ts ts/wasm/redlet_js_bg.wasm ts/wasm/redlet_js_bg.wasm.d.ts dist/wasm/
echo "build.sh: $(wc -c < dist/wasm/redlet_js_bg.wasm) bytes of wasm ($(gzip -9c dist/wasm/redlet_js_bg.wasm | wc -c) gzipped)"
