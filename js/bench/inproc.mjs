// Benchmarks 1, 3 and 4 of the npm package (issue 8), printed as ratios
// against baselines measured in the same run:
//   1. 1M SET then 1M GET (16-byte keys, 32-byte values): `db.call` and the
//      ioredis-shaped client vs ioredis-mock 8 and vs a plain JS Map.
//   3. size of the shipped wasm and JS (gzipped); `Redlet.open()` time in
//      fresh processes (median of 20).
//   4. used_memory and wasm memory after 1M SETs vs the native server's
//      used_memory for the same data (when target/release/redlet exists).
// Usage: node bench/inproc.mjs [--n 1000000] [--rounds 3]
import { spawnSync, spawn } from 'node:child_process';
import { readFileSync, readdirSync, statSync, mkdtempSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redlet } from '../dist/index.js';

const argv = process.argv.slice(2);
const opt = (name, d) => {
  const i = argv.indexOf(name);
  return i >= 0 ? Number(argv[i + 1]) : d;
};
const N = opt('--n', 1_000_000);
const ROUNDS = opt('--rounds', 3);
const MOCK_N = N; // the same number of keys for every contender

const keys = Array.from({ length: N }, (_, i) => `key:${String(i).padStart(12, '0')}`); // 16 bytes
const val = 'v'.repeat(32);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rate = (n, ms) => (n / ms) * 1000;

async function timeIt(fn) {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

async function round() {
  const r = {};
  // Plain Map.
  {
    const m = new Map();
    r.mapSet = rate(N, await timeIt(() => { for (let i = 0; i < N; i++) m.set(keys[i], val); }));
    let s = 0;
    r.mapGet = rate(N, await timeIt(() => { for (let i = 0; i < N; i++) s += m.get(keys[i]).length; }));
  }
  // db.call
  {
    const db = await Redlet.open({ config: { save: '' } });
    r.callSet = rate(N, await timeIt(() => { for (let i = 0; i < N; i++) db.call('SET', keys[i], val); }));
    r.callGet = rate(N, await timeIt(() => { for (let i = 0; i < N; i++) db.call('GET', keys[i]); }));
    await db.close({ save: false });
  }
  // ioredis-shaped client (awaited one by one, as application code does).
  try {
    const { default: Redis } = await import('../dist/ioredis.js');
    const db = await Redlet.open({ config: { save: '' } });
    const r2 = new Redis({ engine: db });
    r.iorSet = rate(N, await timeIt(async () => { for (let i = 0; i < N; i++) await r2.set(keys[i], val); }));
    r.iorGet = rate(N, await timeIt(async () => { for (let i = 0; i < N; i++) await r2.get(keys[i]); }));
    r2.disconnect?.();
    await db.close({ save: false });
  } catch (e) {
    r.iorError = String(e.message ?? e);
  }
  // ioredis-mock 8.
  {
    const { default: RedisMock } = await import('ioredis-mock');
    const m = new RedisMock();
    r.mockSet = rate(MOCK_N, await timeIt(async () => { for (let i = 0; i < MOCK_N; i++) await m.set(keys[i], val); }));
    r.mockGet = rate(MOCK_N, await timeIt(async () => { for (let i = 0; i < MOCK_N; i++) await m.get(keys[i]); }));
    m.disconnect();
  }
  return r;
}

function sizes() {
  const dist = new URL('../dist/', import.meta.url);
  const wasm = readFileSync(new URL('wasm/redlet_js_bg.wasm', dist));
  let js = 0, jsRaw = 0;
  const walk = (dir) => {
    for (const f of readdirSync(dir)) {
      const p = join(dir, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (f.endsWith('.js') && !f.includes('ioredis') && !f.endsWith('serve.js') && !f.endsWith('node.js') && !f.endsWith('fs-storage.js')) {
        const b = readFileSync(p);
        jsRaw += b.length;
        js += gzipSync(b, { level: 9 }).length;
      }
    }
  };
  walk(dist.pathname);
  return { wasm: wasm.length, wasmGz: gzipSync(wasm, { level: 9 }).length, jsRaw, jsGz: js };
}

function openTimes(n = 20) {
  const url = new URL('../dist/index.js', import.meta.url).href;
  const script = `const t0 = performance.now(); const { Redlet } = await import(${JSON.stringify(url)}); const t1 = performance.now(); const db = await Redlet.open(); const t2 = performance.now(); db.call('PING'); console.log(JSON.stringify({ importMs: t1 - t0, openMs: t2 - t1 }));`;
  const out = [];
  for (let i = 0; i < n; i++) {
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    out.push(JSON.parse(r.stdout));
  }
  return { openMs: median(out.map((o) => o.openMs)), importMs: median(out.map((o) => o.importMs)) };
}

async function memory() {
  const db = await Redlet.open({ config: { save: '' } });
  for (let i = 0; i < N; i++) db.call('SET', keys[i], val);
  const used = Number(/used_memory:(\d+)/.exec(db.call('INFO', 'memory'))[1]);
  const wasmBytes = db._core.gen.bytes().length;
  await db.close({ save: false });
  let native;
  const bin = new URL('../../target/release/redlet', import.meta.url).pathname;
  try {
    statSync(bin);
    const { default: Redis } = await import('ioredis');
    const dir = mkdtempSync(join(tmpdir(), 'redlet-bench-'));
    const port = 20000 + Math.floor(Math.random() * 20000);
    const srv = spawn(bin, ['serve', '--port', String(port), '--dir', dir, '--save', ''], { stdio: 'ignore' });
    await new Promise((r) => setTimeout(r, 300));
    const c = new Redis({ port, lazyConnect: true });
    await c.connect();
    for (let i = 0; i < N; i += 1000) {
      const p = c.pipeline();
      for (let j = i; j < Math.min(N, i + 1000); j++) p.set(keys[j], val);
      await p.exec();
    }
    native = Number(/used_memory:(\d+)/.exec(await c.info('memory'))[1]);
    c.disconnect();
    srv.kill('SIGKILL');
  } catch {
    native = undefined;
  }
  return { used, wasmBytes, native };
}

const rounds = [];
for (let i = 0; i < ROUNDS; i++) rounds.push(await round());
const med = (k) => median(rounds.map((r) => r[k]));
const f = (x) => x.toFixed(2);
console.log(`1. ${N} SET then GET, ops/s medians of ${ROUNDS} rounds (ioredis-mock timed on ${MOCK_N} ops)`);
console.log(`   Map          SET ${med('mapSet').toFixed(0)}  GET ${med('mapGet').toFixed(0)}`);
console.log(`   db.call      SET ${med('callSet').toFixed(0)}  GET ${med('callGet').toFixed(0)}`);
if (rounds[0].iorError) console.log(`   ioredis-shaped: ${rounds[0].iorError}`);
else console.log(`   redlet/ioredis SET ${med('iorSet').toFixed(0)}  GET ${med('iorGet').toFixed(0)}`);
console.log(`   ioredis-mock SET ${med('mockSet').toFixed(0)}  GET ${med('mockGet').toFixed(0)}`);
console.log(`   db.call / Map:            SET ${f(med('callSet') / med('mapSet'))}x  GET ${f(med('callGet') / med('mapGet'))}x  (target >= 0.25x)`);
console.log(`   db.call / ioredis-mock:   SET ${f(med('callSet') / med('mockSet'))}x  GET ${f(med('callGet') / med('mockGet'))}x  (target >= 10x)`);
if (!rounds[0].iorError) console.log(`   ioredis-shaped / mock:    SET ${f(med('iorSet') / med('mockSet'))}x  GET ${f(med('iorGet') / med('mockGet'))}x  (target >= 10x)`);
const s = sizes();
console.log(`3. wasm ${s.wasm} B, ${(s.wasmGz / 1024).toFixed(1)} KiB gzipped (target <= 300 KB); core JS ${s.jsRaw} B, ${(s.jsGz / 1024).toFixed(1)} KiB gzipped (target <= 30 KB)`);
const o = openTimes();
console.log(`   Redlet.open() in a fresh process, median of 20: ${o.openMs.toFixed(2)} ms (import ${o.importMs.toFixed(2)} ms) (target <= 10 ms)`);
const m = await memory();
console.log(`4. after ${N} SETs: used_memory ${m.used}, wasm memory ${m.wasmBytes}` + (m.native ? `; native used_memory ${m.native}: used_memory ${f(m.used / m.native)}x, wasm memory ${f(m.wasmBytes / m.native)}x (target <= 1.1x)` : ' (no target/release/redlet: native figure skipped)'));
