// Persistence of the npm package through nodeFsStorage: round trips of
// every type, the journal surviving crashes (SIGKILL of a child process),
// corrupt files refused without touching them, folders moving between the
// package, the native server (`redlet serve --dir`) and `redlet export` ->
// redis-server, and storage failures reported as Redis reports them.
//
// Run: cd js && npx tsc -p tsconfig.json && node --test test/persistence.test.mjs
// The native binary is built (cargo build --release --bin redlet) when
// missing; redis-server and redis-cli must be on PATH.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import Redis from 'ioredis';
import { startServer, startRedisServer } from './servers.mjs';

// WORKAROUND (reported, not fixed here): Node 20's V8 segfaults in code
// TurboFan compiled with JS-to-wasm call inlining (wasm.ts `pack` inlining
// `raw.argBuffer`); without the inlining the same code runs fine. Set
// before the package is imported so no function is compiled with it.
if (process.env.REDLET_TEST_V8_INLINE !== '1') v8.setFlagsFromString('--no-turbo-inline-js-wasm-calls');
const { Redlet, ReplyError, StorageError } = await import('../dist/index.js');
const { nodeFsStorage } = await import('../dist/fs-storage.js');

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '../..');
const BIN = path.join(ROOT, 'target/release/redlet');
const WRITER = path.join(HERE, 'fixtures/persist-writer.mjs');

const dirs = [];
const procs = new Set();

function tmpdir(tag) {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), `redlet-persist-${tag}-`));
  dirs.push(d);
  return d;
}

before(() => {
  if (!fs.existsSync(BIN)) {
    const r = spawnSync('cargo', ['build', '--release', '--bin', 'redlet'], { cwd: ROOT, stdio: 'inherit' });
    assert.equal(r.status, 0, 'cargo build --release --bin redlet failed');
  }
});

after(() => {
  for (const p of procs) p.kill('SIGKILL');
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------- dataset

/** An absolute expiry an hour ahead, so PEXPIRETIME compares exactly. */
const T0 = Math.floor(Date.now() / 1000) * 1000 + 3_600_000;
const range = (n) => Array.from({ length: n }, (_, i) => i);

/** The dataset, as commands per db: every type, both encodings, TTLs, a stream with groups and pending entries. */
function dataset() {
  const db0 = [
    ['SET', 'str', 'hello'],
    ['SET', 'int', '12345'],
    ['SET', 'empty', ''],
    ['SET', 'big', 'x'.repeat(100_000)],
    ['SET', 'bin', Buffer.from([0, 1, 2, 255, 254, 0, 10, 13])],
    ['SET', 'ttl:str', 'v', 'PXAT', T0],
    ['SET', 'gone', 'soon', 'PX', 20],
    ['HSET', 'h:small', 'f1', 'v1', 'f2', 'v2', 'f3', 'v3'],
    ['HSET', 'h:big', ...range(600).flatMap((i) => [`f${i}`, `value-${i}`])],
    ['PEXPIREAT', 'h:small', T0 + 1],
    ['RPUSH', 'l:small', 'a', 'b', 'c'],
    ['LPUSH', 'l:small', 'z'],
    ['RPUSH', 'l:big', ...range(2000).map(String)],
    ['SADD', 's:int', '1', '2', '3', '100', '-7'],
    ['SADD', 's:str', 'a', 'b', 'c'],
    ['SADD', 's:big', ...range(600).map((i) => `m${i}`)],
    ['ZADD', 'z:small', '1', 'a', '2.5', 'b', '-3', 'c', '+inf', 'd', '-inf', 'e', '0.1', 'f'],
    ['ZADD', 'z:big', ...range(300).flatMap((i) => [String(i * 1.5), `m${i}`])],
    ['PEXPIREAT', 'z:big', T0 + 2],
    ...range(10).map((i) => ['XADD', 'st', `${1000 + i}-${i % 3}`, 'f', `v${i}`, ...(i % 2 ? ['g', `w${i}`] : [])]),
    ['XDEL', 'st', '1004-1'],
    ['XGROUP', 'CREATE', 'st', 'g1', '0'],
    ['XGROUP', 'CREATE', 'st', 'g2', '$'],
    ['XREADGROUP', 'GROUP', 'g1', 'alice', 'COUNT', '3', 'STREAMS', 'st', '>'],
    ['XREADGROUP', 'GROUP', 'g1', 'bob', 'COUNT', '2', 'STREAMS', 'st', '>'],
    ['XACK', 'st', 'g1', '1000-0'],
    ['XGROUP', 'CREATECONSUMER', 'st', 'g2', 'carol'],
    ['PFADD', 'hll:small', 'a', 'b', 'c'],
    ['PFADD', 'hll:big', ...range(5000).map((i) => `e${i}`)],
    ['SETBIT', 'bits', '7', '1'],
    ['SETBIT', 'bits', '100', '1'],
    ['SETBIT', 'bits', '10000', '1'],
    ['GEOADD', 'geo', '13.361389', '38.115556', 'Palermo', '15.087269', '37.502669', 'Catania'],
  ];
  const db1 = [
    ['SET', 'a', '1', 'PXAT', T0 + 3],
    ['HSET', 'h', 'x', 'y'],
    ['RPUSH', 'l', 'q'],
  ];
  const db5 = [
    ['ZADD', 'z', '1', 'one'],
    ['SADD', 's', 'x'],
    ['XADD', 'st2', '5-5', 'k', 'v'],
    ['PEXPIREAT', 's', T0 + 4],
  ];
  const db15 = [['SET', 'last', 'db']];
  return [
    [0, db0],
    [1, db1],
    [5, db5],
    [15, db15],
  ];
}

/** Writes the dataset through `call` (a function running one command, sync or async). */
async function populate(call) {
  for (const [db, cmds] of dataset()) {
    await call('SELECT', db);
    for (const c of cmds) await call(...c);
  }
  await call('SELECT', 0);
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
/** Replies made comparable across clients: bulk strings as text (hex when binary), integers as numbers. */
function norm(v) {
  if (v instanceof Uint8Array) {
    let s;
    try {
      s = utf8.decode(v);
    } catch {
      s = undefined;
    }
    // eslint-disable-next-line no-control-regex
    return s !== undefined && !/[\x00-\x08\x0e-\x1f]/.test(s) ? s : `hex:${Buffer.from(v).toString('hex')}`;
  }
  if (Array.isArray(v)) return v.map(norm);
  if (typeof v === 'bigint') return Number(v);
  return v;
}

/** Everything observable of the dataset through `call` (buffer replies): per db, per key its type, expiry, encoding and value. */
async function dumpAll(call, { times = true, encodings = true } = {}) {
  const c = async (...a) => norm(await call(...a));
  const out = {};
  for (let db = 0; db < 16; db++) {
    await c('SELECT', db);
    const keys = (await c('KEYS', '*')).sort();
    if (keys.length === 0) continue;
    const o = (out[db] = {});
    for (const k of keys) {
      const type = await c('TYPE', k);
      const e = { type, pexpiretime: await c('PEXPIRETIME', k), encoding: await c('OBJECT', 'ENCODING', k) };
      if (type === 'string') e.value = await c('GET', k);
      else if (type === 'hash') {
        // A listpack hash's order is observable (and kept); a hashtable's is not.
        const flat = await c('HGETALL', k);
        const pairs = [];
        for (let i = 0; i < flat.length; i += 2) pairs.push([flat[i], flat[i + 1]]);
        if (e.encoding !== 'listpack') pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
        e.value = pairs;
      }
      else if (type === 'list') e.value = await c('LRANGE', k, 0, -1);
      else if (type === 'set') e.value = (await c('SMEMBERS', k)).sort();
      else if (type === 'zset') e.value = await c('ZRANGE', k, 0, -1, 'WITHSCORES');
      else if (type === 'stream') {
        e.value = await c('XRANGE', k, '-', '+');
        e.groups = await c('XINFO', 'GROUPS', k);
        const info = await c('XINFO', 'STREAM', k);
        // radix-tree-keys/-nodes describe Redis's memory layout, not data.
        e.info = info.filter((_, i, a) => !/^radix-tree/.test(a[i - (i % 2)]));
        for (const g of e.groups) {
          const name = g[1];
          e[`pending:${name}`] = await c('XPENDING', k, name);
          const ext = await c('XPENDING', k, name, '-', '+', 100);
          e[`pendingx:${name}`] = ext.map(([id, consumer, , deliveries]) => [id, consumer, deliveries]);
          e[`consumers:${name}`] = (await c('XINFO', 'CONSUMERS', k, name)).map((x) => [x[1], x[3]]);
        }
        if (times) {
          const full = await c('XINFO', 'STREAM', k, 'FULL');
          e.full = full.filter((_, i, a) => !/^radix-tree/.test(a[i - (i % 2)]));
        }
      }
      // A reload turns a short raw string (PFADD, SETBIT, APPEND) into embstr, as Redis's RDB load does.
      if (e.encoding === 'raw' || e.encoding === 'embstr') e.encoding = 'raw|embstr';
      if (!encodings) delete e.encoding;
      o[k] = e;
    }
  }
  await c('SELECT', 0);
  return out;
}

/** deepEqual of two dumps, reporting only the keys that differ. */
function sameDump(actual, expected, what = '') {
  const diffs = [];
  for (const db of new Set([...Object.keys(actual), ...Object.keys(expected)])) {
    const a = actual[db] ?? {};
    const b = expected[db] ?? {};
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
      try {
        assert.deepStrictEqual(a[k], b[k]);
      } catch {
        diffs.push(`db ${db} key ${k}:\n  got  ${JSON.stringify(a[k])?.slice(0, 600)}\n  want ${JSON.stringify(b[k])?.slice(0, 600)}`);
      }
    }
  }
  assert.ok(diffs.length === 0, `${what} dumps differ:\n${diffs.join('\n')}`);
}

const onDb = (db) => (...a) => db.callBuffer(...a);
const onRedis = (r) => (...a) => r.callBuffer(String(a[0]), ...a.slice(1).map((x) => (typeof x === 'number' ? String(x) : x)));

/** CRC-64/XZ (docs/FORMAT.md), to forge files whose only fault is the one a test wants. */
const CRC_TABLE = (() => {
  const t = [];
  for (let i = 0n; i < 256n; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1n ? (c >> 1n) ^ 0xc96c5795d7870f42n : c >> 1n;
    t.push(c);
  }
  return t;
})();
function crc64(buf) {
  let c = 0xffffffffffffffffn;
  for (const b of buf) c = CRC_TABLE[Number((c ^ BigInt(b)) & 0xffn)] ^ (c >> 8n);
  return c ^ 0xffffffffffffffffn;
}

function files(dir) {
  return fs.readdirSync(dir).sort();
}

function snapshotFiles(dir) {
  const m = {};
  for (const f of files(dir)) m[f] = fs.readFileSync(path.join(dir, f));
  return m;
}

// ---------------------------------------------------------------- processes

function track(p) {
  procs.add(p);
  p.stderrText = '';
  p.stderr?.on('data', (d) => (p.stderrText += d));
  p.exited = new Promise((r) => p.on('exit', (code, sig) => (procs.delete(p), r({ code, sig }))));
  return p;
}

/** `redlet serve` on a free port with data in `dir`; its stderr is kept. */
async function startNative(dir, extra = []) {
  const { port, proc } = await startServer(BIN, (port) => ['serve', '--port', String(port), '--dir', dir, ...extra], { stdio: ['ignore', 'ignore', 'pipe'] });
  return { port, proc: track(proc) };
}

/** redis-server 7.0 on a free port, without persistence. */
async function startRedis() {
  const { port, proc } = await startRedisServer({ stdio: ['ignore', 'ignore', 'pipe'] });
  return { port, proc: track(proc) };
}

function client(port) {
  return new Redis({ port, host: '127.0.0.1', protocol: 2, lazyConnect: false, maxRetriesPerRequest: 0, enableOfflineQueue: true, retryStrategy: () => null });
}

// ---------------------------------------------------------------- round trips

for (const mode of [
  { name: 'snapshot (close saves)', config: {}, close: {} },
  { name: 'journal only (appendonly yes, close without save)', config: { appendonly: 'yes' }, close: { save: false } },
  { name: 'snapshot + journal (SAVE, then more writes)', config: { appendonly: 'yes' }, close: { save: false }, saveFirst: true },
]) {
  test(`round trip of every type in several dbs: ${mode.name}`, async () => {
    const dir = path.join(tmpdir('rt'), 'nested', 'data'); // created by open()
    let db = await Redlet.open({ storage: nodeFsStorage(dir), config: mode.config });
    if (mode.saveFirst) {
      db.call('SET', 'early', 'bird');
      db.call('SAVE');
    }
    await populate((...a) => db.call(...a));
    await sleep(40); // 'gone' expires
    const before = await dumpAll(onDb(db));
    assert.equal(before[0].gone, undefined);
    assert.equal(before[0].str.value, 'hello');
    assert.equal(before[0].bin.value, 'hex:000102fffe000a0d');
    assert.equal(before[0]['ttl:str'].pexpiretime, T0);
    assert.equal(before[0]['h:big'].encoding, 'hashtable');
    assert.equal(before[0]['s:int'].encoding, 'intset');
    assert.deepEqual(before[0].st[`pending:g1`].slice(0, 1), [4]);
    await db.close(mode.close);
    // Only the blobs, no temp file left; the journal exactly when appendonly.
    for (const f of files(dir)) assert.match(f, /^redlet\.(snapshot|journal)$/);
    assert.equal(files(dir).includes('redlet.journal'), !!mode.config.appendonly);
    if (!mode.config.appendonly || mode.saveFirst) assert.ok(files(dir).includes('redlet.snapshot'));
    db = await Redlet.open({ storage: nodeFsStorage(dir), config: mode.config });
    const back = await dumpAll(onDb(db));
    sameDump(back, before);
    // Reopened twice (the second load reads what the first one wrote, if anything).
    await db.close();
    db = await Redlet.open({ storage: nodeFsStorage(dir) });
    sameDump(await dumpAll(onDb(db)), before);
    await db.close({ save: false });
  });
}

// ---------------------------------------------------------------- crashes

/** Runs the writer fixture; resolves with the acknowledged indexes and how it ended. */
function runWriter(dir, round, start, { count, killAfterMs } = {}) {
  const args = [WRITER, dir, String(round), String(start)];
  if (count !== undefined) args.push(String(count));
  const p = track(spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] }));
  let out = '';
  let timer;
  p.stdout.on('data', (d) => {
    out += d;
    if (killAfterMs !== undefined && timer === undefined && out.includes('ready\n')) {
      timer = setTimeout(() => p.kill('SIGKILL'), killAfterMs);
    }
  });
  return p.exited.then(({ code, sig }) => {
    clearTimeout(timer);
    const lines = out.split('\n');
    // A line cut by the kill (no newline yet) was not printed whole: not acknowledged.
    lines.pop();
    const acked = lines.filter((l) => l !== 'ready').map(Number);
    return { acked, code, sig, stderr: p.stderrText };
  });
}

/** Checks every acknowledged write of a round is in the reopened database. */
async function checkAcked(dir, round, start, acked) {
  const db = await Redlet.open({ storage: nodeFsStorage(dir), config: { appendonly: 'yes' } });
  try {
    for (const i of acked) assert.equal(db.call('GET', `k${i}`), `v${i}`, `acknowledged write ${i} of round ${round} lost`);
    const list = db.call('LRANGE', `list:${round}`, 0, -1);
    assert.ok(list.length >= acked.length, `list:${round} has ${list.length} < ${acked.length} acknowledged pushes`);
    // At most the one write in flight at the kill may have landed unacknowledged.
    assert.ok(list.length <= acked.length + 1, `list:${round} has ${list.length} items for ${acked.length} acknowledged pushes`);
    list.forEach((v, j) => assert.equal(v, String(start + j)));
  } finally {
    await db.close({ save: false });
  }
}

test('appendonly journal: writes after the last snapshot survive an exit without close', async () => {
  const dir = tmpdir('exit');
  const r = await runWriter(dir, 0, 0, { count: 400 });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.acked.length, 400);
  assert.ok(files(dir).includes('redlet.journal'));
  await checkAcked(dir, 0, 0, r.acked);
});

test('kill -9 at random moments loses no acknowledged write (appendfsync always)', async (t) => {
  const dir = tmpdir('kill');
  let start = 0;
  const rounds = 8;
  for (let round = 1; round <= rounds; round++) {
    const killAfterMs = 30 + Math.floor(Math.random() * 400);
    const r = await runWriter(dir, round, start, { killAfterMs });
    assert.equal(r.sig, 'SIGKILL', `writer ended on its own: ${r.code} ${r.stderr}`);
    await checkAcked(dir, round, start, r.acked);
    t.diagnostic(`round ${round}: killed after ${killAfterMs} ms, ${r.acked.length} acknowledged writes, files ${files(dir).join(' ')}`);
    start += r.acked.length + 1;
  }
  // Temp files of snapshots cut by the kill may remain (as with the native server); nothing else.
  for (const f of files(dir)) assert.match(f, /^redlet\.(snapshot|journal)(\.tmp-\d+)?$/);
});

// ---------------------------------------------------------------- corrupt files

test('corrupt files: open rejects with a StorageError naming the file and the reason, files untouched', async () => {
  const dir = tmpdir('corrupt');
  let db = await Redlet.open({ storage: nodeFsStorage(dir), config: { appendonly: 'yes' } });
  await populate((...a) => db.call(...a));
  db.call('SAVE');
  db.call('SET', 'after', 'save'); // a journal record after the snapshot
  await db.close({ save: false });
  const good = snapshotFiles(dir);
  const snap = good['redlet.snapshot'];
  const jour = good['redlet.journal'];
  assert.ok(snap && jour);
  assert.equal(crc64(Buffer.from('123456789')), 0x995dc9bbdf1939fan);
  assert.equal(crc64(snap.subarray(0, snap.length - 8)), snap.readBigUInt64LE(snap.length - 8));

  const cases = [
    {
      name: 'a flipped byte in the snapshot',
      file: 'redlet.snapshot',
      bytes: (() => {
        const b = Buffer.from(snap);
        b[Math.floor(b.length / 2)] ^= 0x5a;
        return b;
      })(),
      reason: /snapshot.*(checksum|crc|invalid|corrupt)/i,
    },
    { name: 'a truncated snapshot header', file: 'redlet.snapshot', bytes: snap.subarray(0, 10), reason: /snapshot.*(truncated|short|end|header)/i },
    { name: 'a snapshot cut before its checksum', file: 'redlet.snapshot', bytes: snap.subarray(0, snap.length - 3), reason: /snapshot/i },
    {
      name: 'a newer snapshot version (valid checksum)',
      file: 'redlet.snapshot',
      bytes: (() => {
        const b = Buffer.from(snap);
        b.writeUInt32LE(5, 8);
        b.writeBigUInt64LE(crc64(b.subarray(0, b.length - 8)), b.length - 8);
        return b;
      })(),
      reason: /snapshot format version 5 is newer than this build supports \(4\)/,
    },
    { name: 'a bad snapshot magic', file: 'redlet.snapshot', bytes: Buffer.concat([Buffer.from('NOTREDLT'), snap.subarray(8)]), reason: /snapshot.*magic/i },
    {
      name: 'a newer journal version (valid header checksum)',
      file: 'redlet.journal',
      bytes: (() => {
        const b = Buffer.from(jour);
        b.writeUInt32LE(2, 8);
        b.writeBigUInt64LE(crc64(b.subarray(0, 20)), 20);
        return b;
      })(),
      reason: /journal.*version 2/i,
    },
    {
      name: 'a flipped byte in the journal header',
      file: 'redlet.journal',
      bytes: (() => {
        const b = Buffer.from(jour);
        b[13] ^= 1;
        return b;
      })(),
      reason: /journal: journal header checksum mismatch/,
    },
    { name: 'garbage instead of a snapshot', file: 'redlet.snapshot', bytes: Buffer.from('garbage'), reason: /snapshot: too short to be a snapshot/ },
  ];
  for (const c of cases) {
    for (const [f, b] of Object.entries(good)) fs.writeFileSync(path.join(dir, f), b);
    fs.writeFileSync(path.join(dir, c.file), c.bytes);
    const before = snapshotFiles(dir);
    await assert.rejects(
      Redlet.open({ storage: nodeFsStorage(dir), config: { appendonly: 'yes' } }),
      (e) => {
        assert.ok(e instanceof StorageError, `${c.name}: ${e}`);
        assert.match(e.message, c.reason, c.name);
        assert.ok(e.message.includes(c.file) || e.message.includes(c.file.replace('redlet.', '')), `${c.name}: ${e.message}`);
        return true;
      },
      c.name,
    );
    assert.deepEqual(snapshotFiles(dir), before, `${c.name}: files changed`);
  }
  // Restored, it loads again.
  for (const [f, b] of Object.entries(good)) fs.writeFileSync(path.join(dir, f), b);
  db = await Redlet.open({ storage: nodeFsStorage(dir), config: { appendonly: 'yes' } });
  assert.equal(db.call('GET', 'after'), 'save');
  assert.equal(db.call('GET', 'str'), 'hello');
  await db.close({ save: false });
});

test('an unreadable folder: open rejects naming the path and the OS reason', async () => {
  const parent = tmpdir('perm');
  const file = path.join(parent, 'not-a-dir');
  fs.writeFileSync(file, 'x');
  await assert.rejects(Redlet.open({ storage: nodeFsStorage(path.join(file, 'data')) }), (e) => {
    assert.ok(e instanceof StorageError, String(e));
    assert.match(e.message, /not-a-dir/);
    assert.match(e.message, /ENOTDIR|not a directory/);
    return true;
  });
});

// ---------------------------------------------------------------- native server and redis

test('cross-compat: a folder written by the package is served by redlet serve', async () => {
  const dir = tmpdir('js2native');
  const db = await Redlet.open({ storage: nodeFsStorage(dir), config: { appendonly: 'yes' } });
  await populate((...a) => db.call(...a));
  db.call('SAVE');
  db.call('SET', 'journaled', 'after-save'); // only in the journal
  db.call('SELECT', 1);
  db.call('HSET', 'h', 'x', 'z');
  db.call('SELECT', 0);
  await sleep(40);
  const want = await dumpAll(onDb(db));
  await db.close({ save: false });
  const { port, proc } = await startNative(dir, ['--appendonly', 'yes']);
  const r = client(port);
  try {
    sameDump(await dumpAll(onRedis(r)), want);
  } finally {
    r.disconnect();
    proc.kill('SIGTERM');
    await proc.exited;
  }
  // And back: the native server's SIGTERM save loads in the package.
  const again = await Redlet.open({ storage: nodeFsStorage(dir), config: { appendonly: 'yes' } });
  sameDump(await dumpAll(onDb(again)), want);
  await again.close({ save: false });
});

test('cross-compat: a folder written by redlet serve opens in the package', async () => {
  for (const how of ['SHUTDOWN SAVE', 'SIGTERM', 'journal only (kill -9)']) {
    const dir = tmpdir('native2js');
    const extra = how.startsWith('journal') ? ['--appendonly', 'yes', '--appendfsync', 'always'] : [];
    const { port, proc } = await startNative(dir, extra);
    const r = client(port);
    let want;
    try {
      await populate(onRedis(r));
      await sleep(40);
      want = await dumpAll(onRedis(r));
      if (how === 'SHUTDOWN SAVE') await r.call('SHUTDOWN', 'SAVE').catch(() => {});
      else proc.kill(how === 'SIGTERM' ? 'SIGTERM' : 'SIGKILL');
      await proc.exited;
    } finally {
      r.disconnect();
    }
    const db = await Redlet.open({ storage: nodeFsStorage(dir), config: { appendonly: extra.length ? 'yes' : 'no' } });
    sameDump(await dumpAll(onDb(db)), want, how);
    await db.close({ save: false });
  }
});

test('cross-compat: redlet export of a package folder, piped into redis-server, gives the same keyspace', async () => {
  const dir = tmpdir('export');
  const db = await Redlet.open({ storage: nodeFsStorage(dir), config: { appendonly: 'yes' } });
  await populate((...a) => db.call(...a));
  db.call('SAVE');
  db.call('SET', 'journaled', 'after-save');
  await sleep(40);
  const want = await dumpAll(onDb(db), { times: false });
  await db.close({ save: false });
  const exp = spawnSync(BIN, ['export', '--dir', dir, '--format', 'resp'], { maxBuffer: 1 << 28 });
  assert.equal(exp.status, 0, String(exp.stderr));
  const { port } = await startRedis();
  const pipe = spawnSync('redis-cli', ['-p', String(port), '--pipe'], { input: exp.stdout });
  assert.equal(pipe.status, 0, String(pipe.stdout) + String(pipe.stderr));
  assert.match(String(pipe.stdout), /errors: 0,/);
  const r = client(port);
  try {
    sameDump(await dumpAll(onRedis(r), { times: false }), want);
  } finally {
    r.disconnect();
  }
});

// ---------------------------------------------------------------- failing storage

/** nodeFsStorage with switches that make chosen methods throw. */
function faulty(dir) {
  const inner = nodeFsStorage(dir);
  const fail = { write: false, commit: false, append: false, sync: false };
  const guard = (op, name) => {
    if (fail[op]) throw new Error(`${op} ${inner.pathOf(name)}: injected failure`);
  };
  const s = {
    fail,
    open: () => inner.open(),
    close: () => inner.close(),
    size: (n) => inner.size(n),
    readAt: (n, o, b) => inner.readAt(n, o, b),
    begin: (n) => inner.begin(n),
    write: (n, d) => (guard('write', n), inner.write(n, d)),
    // A failing commit cleans its staged copy up, as nodeFsStorage's does.
    commit: (n) => {
      if (fail.commit) inner.abort(n);
      guard('commit', n);
      inner.commit(n);
    },
    abort: (n) => inner.abort(n),
    append: (n, d) => (guard('append', n), inner.append(n, d)),
    sync: (n) => (guard('sync', n), inner.sync(n)),
  };
  return s;
}

test('a storage that fails on write: SAVE answers the error, the previous snapshot still loads', async () => {
  const dir = tmpdir('failsave');
  const st = faulty(dir);
  const db = await Redlet.open({ storage: st });
  db.call('SET', 'a', '1');
  assert.equal(db.call('SAVE'), 'OK');
  const good = fs.readFileSync(path.join(dir, 'redlet.snapshot'));
  db.call('SET', 'b', '2');
  for (const op of ['write', 'commit']) {
    st.fail[op] = true;
    assert.throws(() => db.call('SAVE'), (e) => e instanceof ReplyError && /^ERR/.test(e.message), op);
    st.fail[op] = false;
    assert.deepEqual(fs.readFileSync(path.join(dir, 'redlet.snapshot')), good, op);
    assert.deepEqual(files(dir), ['redlet.snapshot'], `${op}: the temp file is removed`);
  }
  // A failed BGSAVE shows in INFO and, with save points, refuses writes (MISCONF) until a save succeeds.
  db.call('CONFIG', 'SET', 'save', '3600 1');
  st.fail.write = true;
  assert.equal(db.call('BGSAVE'), 'Background saving started');
  assert.match(db.call('INFO', 'persistence'), /rdb_last_bgsave_status:err/);
  assert.throws(() => db.call('SET', 'c', '3'), (e) => e instanceof ReplyError && e.message.startsWith('MISCONF'));
  assert.equal(db.call('GET', 'a'), '1'); // reads still work
  // close() saves (save points set) and fails: the database stays open.
  await assert.rejects(db.close());
  assert.equal(db.call('GET', 'b'), '2');
  st.fail.write = false;
  assert.equal(db.call('SAVE'), 'OK');
  assert.equal(db.call('SET', 'c', '3'), 'OK');
  await db.close();
  const again = await Redlet.open({ storage: nodeFsStorage(dir) });
  assert.deepEqual(again.call('MGET', 'a', 'b', 'c'), ['1', '2', '3']);
  await again.close({ save: false });
});

test('a storage that fails on journal appends (appendfsync everysec): MISCONF until it works again, nothing acknowledged is lost', async () => {
  const dir = tmpdir('failjournal');
  const st = faulty(dir);
  const db = await Redlet.open({ storage: st, config: { appendonly: 'yes', appendfsync: 'everysec' } });
  const acked = new Map();
  const set = (k, v) => {
    try {
      const r = db.call('SET', k, v);
      acked.set(k, v);
      return r;
    } catch (e) {
      return e;
    }
  };
  assert.equal(set('a', '1'), 'OK');
  await db.flush();
  st.fail.append = true;
  assert.equal(set('append1', 'x'), 'OK', 'everysec: acknowledged before the journal write, as in Redis');
  acked.delete('append1'); // at risk: up to a second of writes may be lost with everysec
  db.tick(); // the group commit fails
  const r2 = set('append2', 'y');
  assert.ok(r2 instanceof ReplyError && r2.message.startsWith('MISCONF Errors writing to the AOF file: '), String(r2));
  assert.match(r2.message, /injected failure/);
  assert.equal(db.call('GET', 'a'), '1', 'reads still work');
  st.fail.append = false;
  db.tick(); // the engine retries the journal
  assert.equal(set('append3', 'z'), 'OK', 'writes resume once the journal works');
  await db.flush();
  await db.close({ save: false });
  const again = await Redlet.open({ storage: nodeFsStorage(dir), config: { appendonly: 'yes' } });
  for (const [k, v] of acked) assert.equal(again.call('GET', k), v, `acknowledged ${k} lost`);
  assert.equal(again.call('GET', 'append2'), null);
  await again.close({ save: false });
});

test('appendfsync always: a write whose journal append or fsync fails is not acknowledged; the database closes as Redis exits', async () => {
  for (const op of ['append', 'sync']) {
    const dir = tmpdir('failack');
    const st = faulty(dir);
    const db = await Redlet.open({ storage: st, config: { appendonly: 'yes', appendfsync: 'always' } });
    const sub = db.client();
    const waiting = sub.call('BLPOP', 'q', 0);
    assert.equal(db.call('SET', 'before', '1'), 'OK');
    st.fail[op] = true;
    assert.throws(() => db.call('LPUSH', 'q', 'v'), (e) => e.name === 'StorageError' && /appendfsync always/.test(e.message) && /injected failure/.test(e.message), op);
    await assert.rejects(waiting, { name: 'ClosedError' }, 'the blocked client is not served by the unacknowledged write');
    assert.throws(() => db.call('GET', 'before'), { name: 'ClosedError' });
    st.fail[op] = false;
    const again = await Redlet.open({ storage: nodeFsStorage(dir), config: { appendonly: 'yes' } });
    assert.equal(again.call('GET', 'before'), '1', `${op}: the acknowledged write is there`);
    await again.close({ save: false });
  }
});

test('importRdb loads a dump.rdb from redis-server 7.0 (every type, TTLs, dbs); exportRdb writes one redis-server loads', async () => {
  const rdir = tmpdir('rdb-redis');
  const { port, proc } = await startServer('redis-server', (p) => ['--port', String(p), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', rdir, '--daemonize', 'no'], { stdio: 'ignore' });
  const r = client(port);
  try {
    await populate((...a) => r.call(String(a[0]), ...a.slice(1).map((x) => (typeof x === 'number' ? String(x) : x))));
    await sleep(40); // 'gone' expires
    const theirs = await dumpAll(onRedis(r), { encodings: false });
    await r.call('SAVE');
    const dump = fs.readFileSync(path.join(rdir, 'dump.rdb'));
    const dir = tmpdir('rdb-import');
    const db = await Redlet.open({ storage: nodeFsStorage(dir) });
    const report = await db.importRdb(new Uint8Array(dump));
    assert.equal(report.version, 10);
    assert.ok(report.keys > 0);
    sameDump(await dumpAll(onDb(db), { encodings: false }), theirs, 'imported');
    await assert.rejects(db.importRdb(new Uint8Array(dump.subarray(0, dump.length - 3))), (e) => e instanceof ReplyError);
    sameDump(await dumpAll(onDb(db), { encodings: false }), theirs, 'a bad file changes nothing');
    await db.close({ save: false });
    // The import was saved: it is there after a restart.
    const again = await Redlet.open({ storage: nodeFsStorage(dir) });
    sameDump(await dumpAll(onDb(again), { encodings: false }), theirs, 'after restart');
    // And back: redis-server loads what exportRdb writes.
    const out = tmpdir('rdb-export');
    fs.writeFileSync(path.join(out, 'dump.rdb'), again.exportRdb());
    await again.close({ save: false });
    const back = await startServer('redis-server', (p) => ['--port', String(p), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', out, '--daemonize', 'no'], { stdio: 'ignore' });
    const r2 = client(back.port);
    try {
      sameDump(await dumpAll(onRedis(r2), { encodings: false }), theirs, 'exported, loaded by redis-server');
    } finally {
      r2.disconnect();
      back.stop();
    }
  } finally {
    r.disconnect();
    proc.kill('SIGKILL');
  }
});
