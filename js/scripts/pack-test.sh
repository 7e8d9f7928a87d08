#!/usr/bin/env bash
# `npm pack` the built package, install the tarball in a fresh directory and
# use it as a user would: from plain Node (ESM, no bundler) and from a
# TypeScript project type-checked against the shipped types. Prints
# "pack-test: N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
js=$(pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
check() { if "$@"; then pass=$((pass + 1)); else echo "pack-test: FAILED: $*" >&2; fail=$((fail + 1)); fi; }

tgz=$(npm pack --silent --pack-destination "$tmp" | tail -1)
mkdir -p "$tmp/app" && cd "$tmp/app"
echo '{ "name": "app", "version": "1.0.0", "type": "module", "private": true }' > package.json
check npm install --silent --no-audit --no-fund "$tmp/$tgz"

cat > plain.mjs <<'JS'
import { Redlet } from 'redlet';
import Redis from 'redlet/ioredis';
import { serve, nodeFsStorage } from 'redlet/node';
const db = await Redlet.open();
db.call('SET', 'k', 'v');
if (db.call('GET', 'k') !== 'v') throw new Error('GET');
const r = new Redis({ engine: db });
if ((await r.get('k')) !== 'v') throw new Error('ioredis-shaped GET');
if (typeof serve !== 'function' || typeof nodeFsStorage !== 'function') throw new Error('redlet/node');
// The browser and Workers entry points load in Node too (they touch no browser API until used).
const { indexedDBStorage } = await import('redlet/indexeddb');
const { opfsStorage } = await import('redlet/opfs');
const { openShared } = await import('redlet/tabs');
const { durableObjectStorage } = await import('redlet/durable-object');
for (const f of [indexedDBStorage, opfsStorage, openShared, durableObjectStorage]) if (typeof f !== 'function') throw new Error('browser entry points');
r.disconnect();
await db.close({ save: false });
console.log('plain ok');
JS
check node plain.mjs

cat > tsconfig.json <<'JSON'
{ "compilerOptions": { "target": "es2022", "module": "nodenext", "moduleResolution": "nodenext", "strict": true, "noEmit": true, "types": [], "lib": ["es2022", "dom"] }, "include": ["app.ts"] }
JSON
cat > app.ts <<'TS'
import { Redlet, ReplyError, type StorageAdapter, type Message } from 'redlet';
import Redis from 'redlet/ioredis';
import { indexedDBStorage, exportSnapshot, type IndexedDBStorage } from 'redlet/indexeddb';
import { opfsStorage } from 'redlet/opfs';
import { openShared, type SharedDb } from 'redlet/tabs';
import { durableObjectStorage } from 'redlet/durable-object';
const idb: IndexedDBStorage = indexedDBStorage('app');
const shared: Promise<SharedDb> = openShared('app', { storage: (n) => opfsStorage(n) });
const snap: Promise<Uint8Array> = exportSnapshot(await Redlet.open({ storage: idb }));
void shared, snap, durableObjectStorage;
const db: Redlet = await Redlet.open({ config: { maxmemory: '64mb' }, clock: () => Date.now(), seed: 1 });
const v: unknown = db.call('GET', 'k');
const sub = db.client();
async function consume(): Promise<void> {
  for await (const m of sub.messages()) {
    const msg: Message = m;
    console.log(msg.channel, msg.message);
  }
}
void consume;
const e: ReplyError | undefined = undefined;
const s: StorageAdapter | undefined = undefined;
const r = new Redis({ engine: db });
const got: string | null = await r.get('k');
void v, e, s, got;
TS
check "$js/node_modules/.bin/tsc" -p tsconfig.json
echo "pack-test: $pass passed, $fail failed"
[ "$fail" = 0 ]
