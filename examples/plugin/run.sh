#!/usr/bin/env bash
# Runs the plugin example three ways and fails unless the three transcripts
# are byte-identical (and equal to examples/plugin/transcript.txt):
#   (a) native:   wasmtime, imports from redlet_wasmtime::plugin::add_to_linker
#                 (the native engine);
#   (b) composed: the plugin plugged into the redlet component (`wac plug`,
#                 done by the plugin_compose example through the wac-graph
#                 library), run by wasmtime with storage in memory;
#   (c) node:     that composition through `jco transpile`, run by Node with
#                 a JS storage (run-node.mjs).
# Every run reads a clock fixed at 2026-01-01T00:00:12.345Z.
# Builds what is missing: the component (component/build.sh) when
# target/component/redlet.wasm is absent, the plugin always (incremental).
# When a `wac` 0.12.0 binary is on PATH, its `wac plug` output is checked
# to be byte-identical to the library's.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
out="$root/target/plugin"

component="${REDLET_COMPONENT:-$root/target/component/redlet.wasm}"
[ -f "$component" ] || bash component/build.sh
bash examples/plugin/build.sh
# --workspace --examples: the features `cargo test --workspace` resolves, so
# scripts/test.sh's earlier build is reused instead of compiling wasmtime again.
cargo build -q --workspace --examples
target_dir="${CARGO_TARGET_DIR:-$root/target}"
bin="$target_dir/debug/examples"

"$bin/plugin_compose" "$out/plugin.wasm" "$component" "$out/composed.wasm"
if command -v wac >/dev/null && [ "$(wac --version 2>/dev/null)" = "wac-cli 0.12.0" ]; then
    wac plug "$out/plugin.wasm" --plug "$component" -o "$out/composed-wac.wasm"
    cmp "$out/composed-wac.wasm" "$out/composed.wasm"
    echo "run.sh: wac plug (wac-cli 0.12.0) writes the same composition"
fi

"$bin/plugin_host" native "$out/plugin.wasm" >"$out/transcript-native.txt"
"$bin/plugin_host" composed "$out/composed.wasm" >"$out/transcript-composed.txt"

jco="${JCO:-$root/component/node_modules/.bin/jco}"
rm -rf "$out/node"
"$jco" transpile "$out/composed.wasm" -o "$out/node" --name composed --instantiation async -q
node examples/plugin/run-node.mjs "$out/node" >"$out/transcript-node.txt"

status=0
for run in native composed node; do
    if ! cmp -s "$out/transcript-$run.txt" examples/plugin/transcript.txt; then
        echo "run.sh: the $run run differs from examples/plugin/transcript.txt:" >&2
        diff examples/plugin/transcript.txt "$out/transcript-$run.txt" >&2 || true
        status=1
    fi
done
[ "$status" = 0 ] && echo "run.sh: native, composed and node transcripts are identical ($(wc -l <examples/plugin/transcript.txt) lines)"
exit "$status"
