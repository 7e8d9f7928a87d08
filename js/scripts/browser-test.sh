#!/usr/bin/env bash
# The browser and Workers suites of the npm package (issue 9):
#   test/browser/*.test.mjs  Chromium (Debian's `chromium`, driven by
#                            playwright-core; no browser download)
#   test/workers/*.test.mjs  workerd (the npm `miniflare` 4 ships it)
# Installs chromium with apt when /usr/bin/chromium is missing (as root on
# Debian; REDLET_CHROMIUM points elsewhere), the npm packages when missing,
# and builds the package when js/dist is missing (REDLET_JS_DEBUG=1 for a
# faster debug wasm).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${REDLET_CHROMIUM:-}" ] && [ ! -x /usr/bin/chromium ]; then
    echo "browser-test.sh: installing chromium (apt)" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
if [ ! -d node_modules/playwright-core ] || [ ! -d node_modules/miniflare ] || [ ! -d node_modules/idb-keyval ]; then
    npm ci --no-audit --no-fund
fi
[ -f dist/index.js ] || bash build.sh
# --test-force-exit: once every test has finished, a workerd child that
# miniflare left running (seen once, under load, after all 27 tests passed)
# must not keep the run waiting forever.
node --test --test-concurrency=1 --test-force-exit test/browser/*.test.mjs test/workers/*.test.mjs
