#!/usr/bin/env bash
# Builds the plugin example guest into a component:
#   target/plugin/plugin.wasm
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

cargo build -q -p redlet-plugin-example --target wasm32-unknown-unknown --profile wasm
target_dir="${CARGO_TARGET_DIR:-$root/target}"
mkdir -p "$root/target/plugin"
"$jco" new "$target_dir/wasm32-unknown-unknown/wasm/redlet_plugin_example.wasm" \
    -o "$root/target/plugin/plugin.wasm"
echo "built target/plugin/plugin.wasm ($(wc -c <"$root/target/plugin/plugin.wasm") bytes)"
