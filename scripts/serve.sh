#!/usr/bin/env bash
# THE main-job command (README "Quick start"): builds the release binary and
# runs the RESP server on 127.0.0.1:6379 with its data in ./data.
# Extra arguments are passed through and, coming last, override the defaults
# (e.g. `scripts/serve.sh --port 7000 --maxmemory 100mb`); a config file path,
# if given, must be the first argument.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -d "$HOME/.cargo/bin" ]; then export PATH="$HOME/.cargo/bin:$PATH"; fi

cargo build --release --bin redlet
mkdir -p data

conf=()
if [ $# -gt 0 ] && [ "${1#--}" = "$1" ]; then
    conf=("$1")
    shift
fi
exec "${CARGO_TARGET_DIR:-target}/release/redlet" serve "${conf[@]}" --bind 127.0.0.1 --port 6379 --dir ./data "$@"
