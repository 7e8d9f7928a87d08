#!/usr/bin/env bash
# Builds the plugin example guest and the wasi:keyvalue probe (the guest
# of wasmtime/tests/keyvalue_diff.rs) into components:
#   target/plugin/plugin.wasm    examples/plugin
#   target/plugin/kv-probe.wasm  examples/kv-probe
# It is compiled for wasm32-unknown-unknown (profile `wasm`) and wrapped
# with `jco new`, so the component imports only what its world names
# (redlet:engine, wasi:keyvalue store and atomics), nothing from wasi:cli.
# jco is component/'s (installed with `npm ci` there when missing); set
# JCO to use another.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"

jco="${JCO:-$root/component/node_modules/.bin/jco}"
if [ ! -x "$jco" ]; then
    if [ -f component/package-lock.json ]; then
        (cd component && npm ci --no-audit --no-fund >/dev/null)
    else
        echo "build.sh: no jco at $jco (run bash component/build.sh, or set JCO)" >&2
        exit 1
    fi
fi

cargo build -q -p redlet-plugin-example -p redlet-kv-probe --target wasm32-unknown-unknown --profile wasm
target_dir="${CARGO_TARGET_DIR:-$root/target}"
mkdir -p "$root/target/plugin"
for pair in redlet_plugin_example:plugin redlet_kv_probe:kv-probe; do
    out="$root/target/plugin/${pair#*:}.wasm"
    "$jco" new "$target_dir/wasm32-unknown-unknown/wasm/${pair%%:*}.wasm" -o "$out"
    echo "built target/plugin/${pair#*:}.wasm ($(wc -c <"$out") bytes)"
done
