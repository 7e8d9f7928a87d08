// redlet/durable-object in workerd (miniflare 4): the example Worker
// (examples/worker/worker.mjs, a rate limiter per client IP and a stream of
// events in a Durable Object) answers through the limiter; then the object
// is torn down (the runtime disposed) and recreated over its persisted
// storage: the counts and the stream are back. Both storage back-ends: the
// SQLite-backed object (synchronous SQL) and the key-value one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Miniflare } from 'miniflare';

const js = fileURLToPath(new URL('../../', import.meta.url));
const dist = join(js, 'dist');
// Node-only modules (node:net, node:fs) stay out of the Worker.
const NODE_ONLY = new Set(['node.js', 'serve.js', 'fs-storage.js']);

/** The example's modules as a bundler would resolve them: `redlet`, `redlet/durable-object`, `redlet/redlet.wasm` and the package's files. */
function modules(worker = readFileSync(join(js, 'examples/worker/worker.mjs'), 'utf8')) {
  const pkg = join(js, 'node_modules-virtual/redlet/dist');
  const m = [
    { type: 'ESModule', path: join(js, 'worker.mjs'), contents: worker },
    { type: 'ESModule', path: join(js, 'redlet'), contents: "export * from './node_modules-virtual/redlet/dist/index.js';" },
    { type: 'ESModule', path: join(js, 'redlet/durable-object'), contents: "export * from '../node_modules-virtual/redlet/dist/durable-object.js';" },
    { type: 'ESModule', path: join(js, 'redlet/redlet.wasm'), contents: "import w from '../node_modules-virtual/redlet/dist/wasm/redlet_js_bg.wasm'; export default w;" },
    { type: 'ESModule', path: join(pkg, 'wasm/redlet_js.js'), contents: readFileSync(join(dist, 'wasm/redlet_js.js'), 'utf8') },
    { type: 'CompiledWasm', path: join(pkg, 'wasm/redlet_js_bg.wasm'), contents: readFileSync(join(dist, 'wasm/redlet_js_bg.wasm')) },
  ];
  for (const f of readdirSync(dist)) {
    if (f.endsWith('.js') && !NODE_ONLY.has(f)) m.push({ type: 'ESModule', path: join(pkg, f), contents: readFileSync(join(dist, f), 'utf8') });
  }
  return m;
}

function runtime(persist, useSQLite, worker, className = 'Limiter') {
  return new Miniflare({
    modules: modules(worker),
    modulesRoot: js,
    compatibilityDate: '2025-06-01',
    durableObjects: { LIMITER: { className, useSQLite } },
    durableObjectsPersist: persist,
  });
}

for (const useSQLite of [true, false]) {
  test(`the rate limiter and event stream survive the object's teardown (${useSQLite ? 'SQLite' : 'key-value'} storage)`, async () => {
    const persist = mkdtempSync(join(tmpdir(), 'redlet-do-'));
    // The example counts per 60 s window (the key names the minute): start
    // well inside one, so the restart below still counts in the same window.
    const intoWindow = Date.now() % 60_000;
    if (intoWindow > 45_000) await new Promise((r) => setTimeout(r, 60_500 - intoWindow));
    try {
      let mf = runtime(persist, useSQLite);
      const get = (path, ip) => mf.dispatchFetch(`http://limiter${path}`, { headers: { 'cf-connecting-ip': ip } });
      const statuses = [];
      for (let i = 0; i < 7; i++) {
        const r = await get('/', '10.0.0.1');
        statuses.push(r.status);
        const body = await r.text();
        assert.ok(r.status < 500, body);
      }
      assert.deepEqual(statuses, [200, 200, 200, 200, 200, 429, 429]);
      const other = await get('/', '10.0.0.2');
      assert.deepEqual(await other.json(), { allowed: true, count: 1 });
      await mf.dispose();

      // A new runtime over the persisted storage: a new instance of the object.
      mf = runtime(persist, useSQLite);
      const again = await get('/', '10.0.0.1');
      assert.equal(again.status, 429);
      assert.deepEqual(await again.json(), { allowed: false, count: 8 });
      const events = await (await get('/events', '10.0.0.3')).json();
      assert.equal(events.length, 9);
      assert.deepEqual(
        events.map((e) => `${e.ip} ${e.allowed}`),
        ['10.0.0.1 0', '10.0.0.2 1', '10.0.0.1 0', '10.0.0.1 0', '10.0.0.1 1', '10.0.0.1 1', '10.0.0.1 1', '10.0.0.1 1', '10.0.0.1 1'],
      );
      await mf.dispose();
    } finally {
      rmSync(persist, { recursive: true, force: true });
    }
  });
}

// Blobs larger than a piece (1 MiB rows, 128 KiB values): a 3 MB snapshot
// and a 300 KB journal record, written, torn down, read back.
const BIG = `
import { Redlet, exportSnapshot } from 'redlet';
import { durableObjectStorage } from 'redlet/durable-object';
import wasm from 'redlet/redlet.wasm';
export class Big {
  constructor(ctx) {
    ctx.blockConcurrencyWhile(async () => {
      this.db = await Redlet.open({ wasm, storage: durableObjectStorage(ctx.storage), config: { appendonly: 'yes', appendfsync: 'always' } });
    });
  }
  async fetch(request) {
    const db = this.db;
    if (new URL(request.url).pathname === '/write') {
      for (let i = 0; i < 30; i++) db.call('SET', 'snap' + i, String(i).repeat(100000));
      db.call('SAVE');
      db.call('SET', 'journal', 'j'.repeat(300000));
      return new Response('ok');
    }
    if (new URL(request.url).pathname === '/export') {
      const snap = await exportSnapshot(db);
      return new Response(String(snap.length) + ' ' + String.fromCharCode(...snap.subarray(0, 5)));
    }
    const sizes = [0, 29].map((i) => db.call('STRLEN', 'snap' + i));
    return Response.json({ keys: db.call('DBSIZE'), sizes, journal: db.call('STRLEN', 'journal') });
  }
}
export default { fetch: (request, env) => env.LIMITER.get(env.LIMITER.idFromName('big')).fetch(request) };
`;

for (const useSQLite of [true, false]) {
  test(`blobs larger than a piece survive the teardown (${useSQLite ? 'SQLite' : 'key-value'} storage)`, async () => {
    const persist = mkdtempSync(join(tmpdir(), 'redlet-do-'));
    try {
      let mf = runtime(persist, useSQLite, BIG, 'Big');
      assert.equal(await (await mf.dispatchFetch('http://big/write')).text(), 'ok');
      await mf.dispose();
      mf = runtime(persist, useSQLite, BIG, 'Big');
      assert.deepEqual(await (await mf.dispatchFetch('http://big/read')).json(), { keys: 31, sizes: [100000, 200000], journal: 300000 });
      const [len] = (await (await mf.dispatchFetch('http://big/export')).text()).split(' ');
      assert.ok(Number(len) > 4_000_000, `exported ${len} bytes`);
      await mf.dispose();
    } finally {
      rmSync(persist, { recursive: true, force: true });
    }
  });
}
