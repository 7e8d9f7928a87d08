// Browser benchmarks of issue 9 in Chromium (Debian's chromium through
// playwright-core, the test harness), printed as ratios against baselines
// measured in the same run:
//   1. 100k SET then 100k GET (16-byte keys, 32-byte values) through
//      `db.call`, against a plain JS Map (target >= 0.25x) and against
//      idb-keyval's `set`/`get` (redlet with indexedDBStorage and
//      `appendfsync everysec`, ending with `await db.flush()`: target >= 10x).
//      idb-keyval runs --idb-n operations (one transaction each, awaited in
//      turn, as an app does) and is compared per operation.
//   2. Reopen time of a 100k-key database from IndexedDB and from OPFS (in a
//      worker) against idb-keyval reading the same 100k entries with
//      `entries()` (target >= 1.0x).
//   3. Gzipped size of each adapter module (target <= 5 KB each), without
//      its doc comments (as a bundler ships it) and as built.
// Build the package first (release: `bash build.sh`).
// Usage: node bench/browser.mjs [--n 100000] [--idb-n 5000] [--rounds 5]
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import ts from 'typescript';
import { browser, inWorker, root } from '../test/browser/harness.mjs';

const argv = process.argv.slice(2);
const opt = (name, d) => {
  const i = argv.indexOf(name);
  return i >= 0 ? Number(argv[i + 1]) : d;
};
const N = opt('--n', 100_000);
const IDB_N = opt('--idb-n', 5_000);
const ROUNDS = opt('--rounds', 5);
const ratio = (x) => `${x.toFixed(2)}x`;

const b = await browser();
const page = await b.page();

// 1. SET + GET.
const ops = await page.evaluate(
  async ({ N, IDB_N, ROUNDS }) => {
    const { Redlet } = await import('/dist/index.js');
    const { indexedDBStorage } = await import('/dist/indexeddb.js');
    const idb = await import('/node_modules/idb-keyval/dist/index.js');
    const keys = Array.from({ length: N }, (_, i) => `key:${String(i).padStart(12, '0')}`);
    const val = 'v'.repeat(32);
    const time = async (f) => {
      const t0 = performance.now();
      await f();
      return performance.now() - t0;
    };
    const r = {};
    // Warm up the engine (JIT) on a throwaway database.
    {
      const w = await Redlet.open();
      for (let i = 0; i < 20000; i++) w.call('SET', keys[i], val), w.call('GET', keys[i]);
      await w.close();
    }
    // Map and db.call alternate over ROUNDS rounds; the medians are compared
    // (the machine is shared: one slow round must not decide).
    const maps = [];
    const calls = [];
    for (let round = 0; round < ROUNDS; round++) {
      maps.push(
        await time(() => {
          const m = new Map();
          for (let i = 0; i < N; i++) m.set(keys[i], val);
          let n = 0;
          for (let i = 0; i < N; i++) if (m.get(keys[i]) !== undefined) n++;
          if (n !== N) throw new Error('map');
        }),
      );
      const db = await Redlet.open();
      calls.push(
        await time(() => {
          for (let i = 0; i < N; i++) db.call('SET', keys[i], val);
          let n = 0;
          for (let i = 0; i < N; i++) if (db.call('GET', keys[i]) !== null) n++;
          if (n !== N) throw new Error('call');
        }),
      );
      await db.close();
    }
    const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    r.map = med(maps);
    r.call = med(calls);
    {
      const db = await Redlet.open({ storage: indexedDBStorage('bench-ops'), config: { appendonly: 'yes', appendfsync: 'everysec' } });
      r.idbCall = await time(async () => {
        for (let i = 0; i < N; i++) db.call('SET', keys[i], val);
        let n = 0;
        for (let i = 0; i < N; i++) if (db.call('GET', keys[i]) !== null) n++;
        if (n !== N) throw new Error('idb call');
        await db.flush();
      });
      await db.close({ save: false });
    }
    r.idbKeyval = await time(async () => {
      for (let i = 0; i < IDB_N; i++) await idb.set(keys[i], val);
      for (let i = 0; i < IDB_N; i++) if ((await idb.get(keys[i])) === undefined) throw new Error('idb-keyval');
    });
    return r;
  },
  { N, IDB_N, ROUNDS },
);
console.log(`1. ${N} SET + ${N} GET (median of ${ROUNDS}): Map ${ops.map.toFixed(1)} ms, db.call ${ops.call.toFixed(1)} ms -> db.call at ${ratio(ops.map / ops.call)} the Map (target >= 0.25x)`);
const perRedlet = ops.idbCall / (2 * N);
const perIdb = ops.idbKeyval / (2 * IDB_N);
console.log(
  `   with indexedDBStorage + everysec (flushed): ${ops.idbCall.toFixed(1)} ms (${(perRedlet * 1000).toFixed(2)} us/op); idb-keyval set/get, ${IDB_N} each: ${ops.idbKeyval.toFixed(1)} ms (${(perIdb * 1000).toFixed(2)} us/op) -> redlet ${ratio(perIdb / perRedlet)} idb-keyval (target >= 10x)`,
);

// 2. Reopen 100k keys.
const fill = async ({ N, mod, fn }) => {
  const { Redlet } = await import('/dist/index.js');
  const storage = (await import(mod))[fn]('bench-reopen');
  const db = await Redlet.open({ storage });
  for (let i = 0; i < N; i++) db.call('SET', `key:${String(i).padStart(12, '0')}`, 'v'.repeat(32));
  await db.close({ save: true });
};
const reopen = async ({ N, mod, fn }) => {
  const { Redlet } = await import('/dist/index.js');
  const storage = (await import(mod))[fn]('bench-reopen');
  const t0 = performance.now();
  const db = await Redlet.open({ storage });
  const ms = performance.now() - t0;
  const n = db.call('DBSIZE');
  await db.close({ save: false });
  if (n !== N) throw new Error(`reopen: ${n} keys`);
  return ms;
};
const idbArgs = { N, mod: '/dist/indexeddb.js', fn: 'indexedDBStorage' };
const opfsArgs = { N, mod: '/dist/opfs.js', fn: 'opfsStorage' };
await page.evaluate(fill, idbArgs);
await inWorker(page, fill, opfsArgs);
await page.evaluate(async (N) => {
  const idb = await import('/node_modules/idb-keyval/dist/index.js');
  await idb.clear();
  await idb.setMany(Array.from({ length: N }, (_, i) => [`key:${String(i).padStart(12, '0')}`, 'v'.repeat(32)]));
}, N);
// A fresh page for each measurement: nothing cached in JS.
const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const idbTimes = [];
const opfsTimes = [];
const kvTimes = [];
for (let round = 0; round < 3; round++) {
  await page.reload();
  idbTimes.push(await page.evaluate(reopen, idbArgs));
  opfsTimes.push(await inWorker(page, reopen, opfsArgs));
  kvTimes.push(
    await page.evaluate(async (N) => {
      const idb = await import('/node_modules/idb-keyval/dist/index.js');
      const t0 = performance.now();
      const all = await idb.entries();
      const ms = performance.now() - t0;
      if (all.length !== N) throw new Error('entries');
      return ms;
    }, N),
  );
}
const [ti, to, tk] = [med(idbTimes), med(opfsTimes), med(kvTimes)];
console.log(`2. reopen ${N} keys (median of 3): IndexedDB ${ti.toFixed(1)} ms, OPFS ${to.toFixed(1)} ms; idb-keyval entries() ${tk.toFixed(1)} ms -> IndexedDB ${ratio(tk / ti)}, OPFS ${ratio(tk / to)} (target >= 1.0x)`);

// 3. Sizes: dist as built (with its doc comments), and without comments
// (what a bundler ships; TypeScript strips them, no minifier).
const gz = (f) => gzipSync(readFileSync(join(root, 'dist', f)), { level: 9 }).length;
const bare = (f) => gzipSync(ts.transpileModule(readFileSync(join(root, 'dist', f), 'utf8'), { compilerOptions: { removeComments: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext } }).outputText, { level: 9 }).length;
const sizes = ['indexeddb.js', 'opfs.js', 'durable-object.js', 'tabs.js', 'snapshots.js'].map((f) => `${f} ${bare(f)} B (${gz(f)} B with comments)`);
console.log(`3. gzipped without comments: ${sizes.join(', ')} (target <= 5 KB each); wasm ${gz('wasm/redlet_js_bg.wasm')} B`);

await b.close();
