// redlet/indexeddb in Chromium: every type with TTLs survives a reload (main
// thread and worker), a corrupt snapshot is refused and left untouched, a
// small quota fails the write clearly with nothing durable lost, snapshots
// move out and in (and load in Node's nodeFsStorage), and the engine
// behaviour suite passes in the page and in a worker.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { browser, inWorker } from './harness.mjs';
import { writeAll, readAll, checkAll } from './cases.mjs';
import { Redlet } from '../../dist/index.js';
import { nodeFsStorage } from '../../dist/node.js';

const idb = (name) => ({ name, mod: '/dist/indexeddb.js', fn: 'indexedDBStorage' });
let b;
before(async () => {
  b = await browser();
});
after(async () => {
  await b?.close();
});

test('every type with TTLs survives a reload (main thread)', async () => {
  const page = await b.page();
  const ttl = await page.evaluate(writeAll, idb('reload-main'));
  await page.reload();
  checkAll(await page.evaluate(readAll, idb('reload-main')), ttl);
  await page.close();
});

test('every type with TTLs survives a reload (dedicated worker)', async () => {
  const page = await b.page();
  const ttl = await inWorker(page, writeAll, idb('reload-worker'));
  await page.reload();
  checkAll(await inWorker(page, readAll, idb('reload-worker')), ttl);
  await page.close();
});

test('appendfsync always: db.send, blocked commands and the ioredis-shaped client resolve after the commit; db.flush reports db.call', async () => {
  const page = await b.page();
  const r = await page.evaluate(async () => {
    const { Redlet } = await import('/dist/index.js');
    const { default: Redis } = await import('/dist/ioredis.js');
    const { indexedDBStorage } = await import('/dist/indexeddb.js');
    const storage = indexedDBStorage('durable');
    const db = await Redlet.open({ storage, config: { appendonly: 'yes', appendfsync: 'always' } });
    // What another connection sees in IndexedDB: the journal's stored size.
    const idb = await new Promise((res) => {
      const q = indexedDB.open('redlet:durable');
      q.onsuccess = () => res(q.result);
    });
    const stored = () =>
      new Promise((res) => {
        const q = idb.transaction('meta').objectStore('meta').get('journal');
        q.onsuccess = () => res(q.result?.size ?? 0);
      });
    const inMemory = () => storage.size('journal');
    const out = {};
    await db.send('SET', 'a', '1');
    out.send = [await stored(), inMemory()];
    const blocked = db.client().call('BLPOP', 'q', 0);
    db.client().call('RPUSH', 'q', 'x'); // db.call: returns before the commit
    out.callBefore = (await stored()) < inMemory();
    await blocked;
    out.blocked = [await stored(), inMemory()];
    const redis = new Redis({ engine: db });
    await redis.set('b', '2');
    out.ioredis = [await stored(), inMemory()];
    db.call('SET', 'c', '3');
    await db.flush();
    out.flush = [await stored(), inMemory()];
    redis.disconnect();
    await db.close();
    idb.close();
    return out;
  });
  for (const k of ['send', 'blocked', 'ioredis', 'flush']) assert.equal(r[k][0], r[k][1], `${k}: stored ${r[k][0]} of ${r[k][1]} bytes`);
  assert.equal(r.callBefore, true);
  await page.close();
});

test('a journal appended in many transactions stays in few pieces and reloads whole', async () => {
  const page = await b.page();
  const r = await page.evaluate(async () => {
    const { Redlet } = await import('/dist/index.js');
    const { indexedDBStorage } = await import('/dist/indexeddb.js');
    const db = await Redlet.open({ storage: indexedDBStorage('pieces'), config: { appendonly: 'yes', appendfsync: 'always' } });
    for (let i = 0; i < 1100; i++) await db.send('RPUSH', 'l', i); // one transaction each
    await db.close({ save: false });
    const idb = await new Promise((res) => {
      const q = indexedDB.open('redlet:pieces');
      q.onsuccess = () => res(q.result);
    });
    const meta = await new Promise((res) => {
      const q = idb.transaction('meta').objectStore('meta').get('journal');
      q.onsuccess = () => res(q.result);
    });
    idb.close();
    const again = await Redlet.open({ storage: indexedDBStorage('pieces'), config: { appendonly: 'yes' } });
    const out = { pieces: meta.chunks, len: again.call('LLEN', 'l'), last: again.call('LINDEX', 'l', -1) };
    await again.close({ save: false });
    return out;
  });
  assert.ok(r.pieces <= 1024, `${r.pieces} pieces`);
  assert.deepEqual([r.len, r.last], [1100, '1099']);
  await page.close();
});

test('a second tab opening the same name gets a clear error until the first closes', async () => {
  const a = await b.page();
  const c = await b.page();
  const openIt = async () => {
    const { Redlet } = await import('/dist/index.js');
    const { indexedDBStorage } = await import('/dist/indexeddb.js');
    try {
      self.db = await Redlet.open({ storage: indexedDBStorage('exclusive') });
      return 'open';
    } catch (e) {
      return `${e.name}: ${e.message}`;
    }
  };
  assert.equal(await a.evaluate(openIt), 'open');
  assert.match(await c.evaluate(openIt), /^StorageError: redlet: IndexedDB 'redlet:exclusive' is open in another tab or worker .*openShared from redlet\/tabs/);
  await a.evaluate(() => db.close());
  assert.equal(await c.evaluate(openIt), 'open');
  await a.close();
  await c.close();
});

test('a corrupt snapshot is refused at open with a clear error and left untouched', async () => {
  const page = await b.page();
  const r = await page.evaluate(async () => {
    const { Redlet } = await import('/dist/index.js');
    const { indexedDBStorage } = await import('/dist/indexeddb.js');
    const db = await Redlet.open({ storage: indexedDBStorage('corrupt') });
    db.call('SET', 'k', 'v');
    await db.close({ save: true });
    const idb = await new Promise((res, rej) => {
      const q = indexedDB.open('redlet:corrupt');
      q.onsuccess = () => res(q.result);
      q.onerror = () => rej(q.error);
    });
    const get = () =>
      new Promise((res) => {
        const q = idb.transaction('chunks').objectStore('chunks').get(['snapshot', 0]);
        q.onsuccess = () => res(q.result);
      });
    const bytes = await get();
    bytes[bytes.length - 20] ^= 0xff;
    await new Promise((res) => {
      const tx = idb.transaction('chunks', 'readwrite');
      tx.objectStore('chunks').put(bytes, ['snapshot', 0]);
      tx.oncomplete = res;
    });
    let error;
    try {
      await Redlet.open({ storage: indexedDBStorage('corrupt') });
    } catch (e) {
      error = `${e.name}: ${e.message}`;
    }
    const after = await get();
    idb.close();
    return { error, untouched: after.length === bytes.length && after.every((x, i) => x === bytes[i]) };
  });
  assert.match(r.error, /^StorageError: redlet: cannot load IndexedDB 'redlet:corrupt' blob 'snapshot': .*left as it is/);
  assert.ok(r.untouched);
  await page.close();
});

test('a newer layout is refused and left untouched', async () => {
  const page = await b.page();
  const error = await page.evaluate(async () => {
    const { Redlet } = await import('/dist/index.js');
    const { indexedDBStorage } = await import('/dist/indexeddb.js');
    const db = await Redlet.open({ storage: indexedDBStorage('newer') });
    await db.close({ save: true });
    const idb = await new Promise((res) => {
      const q = indexedDB.open('redlet:newer');
      q.onsuccess = () => res(q.result);
    });
    await new Promise((res) => {
      const tx = idb.transaction('meta', 'readwrite');
      tx.objectStore('meta').put({ version: 2 }, '#layout');
      tx.oncomplete = res;
    });
    idb.close();
    try {
      await Redlet.open({ storage: indexedDBStorage('newer') });
    } catch (e) {
      return `${e.name}: ${e.message}`;
    }
  });
  assert.match(error, /StorageError: redlet: IndexedDB 'redlet:newer' has layout version 2, written by a newer version of redlet .* left untouched/);
  await page.close();
});

test('a small quota fails the write with a clear error and loses nothing durable', async () => {
  // A fresh origin: Chromium applies a quota override to pages opened after it.
  const control = await b.page({ host: 'localhost' });
  await b.quota(control, 2 * 1024 * 1024, 'localhost');
  const page = await b.page({ host: 'localhost' });
  await page.evaluate(async () => {
    const { Redlet } = await import('/dist/index.js');
    const { indexedDBStorage } = await import('/dist/indexeddb.js');
    const db = await Redlet.open({ storage: indexedDBStorage('quota'), config: { appendonly: 'yes', appendfsync: 'always' } });
    for (let i = 0; i < 100; i++) await db.send('SET', `k${i}`, `v${i}`);
    await db.send('SAVE');
    await db.send('SET', 'after-save', '1');
    window.quotaDb = db;
  });
  const failed = await page.evaluate(async () => {
    const db = window.quotaDb;
    const errors = [];
    try {
      // Random bytes: Chromium compresses what IndexedDB stores.
      const huge = new Uint8Array(4 * 1024 * 1024);
      for (let i = 0; i < huge.length; i += 65536) crypto.getRandomValues(huge.subarray(i, i + 65536));
      await db.send('SET', 'huge', huge);
    } catch (e) {
      errors.push(`${e.name}: ${e.message}`);
    }
    // The adapter keeps refusing until the write goes through: the engine says MISCONF, or it closed (appendfsync always).
    try {
      await db.send('SET', 'next', '1');
    } catch (e) {
      errors.push(`${e.name}: ${e.message}`);
    }
    return errors;
  });
  assert.match(failed[0], /StorageError: redlet: IndexedDB 'redlet:quota' is over this origin's storage quota \(QuotaExceededError\): the last writes were not saved; everything saved before is intact/);
  assert.equal(failed.length, 2, 'the next write is refused too');
  await b.quota(control, undefined, 'localhost');
  await page.reload();
  const got = await page.evaluate(async () => {
    const { Redlet } = await import('/dist/index.js');
    const { indexedDBStorage } = await import('/dist/indexeddb.js');
    const db = await Redlet.open({ storage: indexedDBStorage('quota'), config: { appendonly: 'yes' } });
    const r = { dbsize: db.call('DBSIZE'), k99: db.call('GET', 'k99'), after: db.call('GET', 'after-save'), huge: db.call('EXISTS', 'huge') };
    await db.close();
    return r;
  });
  assert.deepEqual(got, { dbsize: 101, k99: 'v99', after: '1', huge: 0 });
  await page.close();
  await control.close();
});

test('exportSnapshot / importSnapshot move a database out and in; Node loads the bytes', async () => {
  const page = await b.page();
  const bytes = await page.evaluate(async () => {
    const { Redlet, exportSnapshot, importSnapshot } = await import('/dist/index.js');
    const { indexedDBStorage } = await import('/dist/indexeddb.js');
    const db = await Redlet.open({ storage: indexedDBStorage('export') });
    db.call('SET', 'a', '1');
    db.call('ZADD', 'lb', 10, 'ann', 20, 'bob');
    const snap = await exportSnapshot(db);
    // The snapshot's bytes are not kept in memory after the load, only its size.
    const storage = db._core.storage;
    let released = storage.size('snapshot') === snap.length;
    try {
      storage.readAt('snapshot', 0, new Uint8Array(1));
      released = false;
    } catch {}
    await db.close();
    await importSnapshot(indexedDBStorage('import'), snap);
    const db2 = await Redlet.open({ storage: indexedDBStorage('import') });
    const ok = db2.call('GET', 'a') === '1' && db2.call('ZSCORE', 'lb', 'bob') === '20';
    await db2.close();
    let refused;
    try {
      await importSnapshot(indexedDBStorage('import'), new Uint8Array([1, 2, 3]));
    } catch (e) {
      refused = e.name;
    }
    return { ok: ok && released, refused, snap: Array.from(snap) };
  });
  assert.ok(bytes.ok);
  assert.equal(bytes.refused, 'StorageError');
  const dir = mkdtempSync(join(tmpdir(), 'redlet-export-'));
  try {
    writeFileSync(join(dir, 'redlet.snapshot'), Uint8Array.from(bytes.snap));
    const db = await Redlet.open({ storage: nodeFsStorage(dir) });
    assert.equal(db.call('GET', 'a'), '1');
    assert.deepEqual(db.call('ZRANGE', 'lb', 0, -1), ['ann', 'bob']);
    await db.close({ save: false });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  await page.close();
});

test('the stored snapshot and journal are the files redlet serve --dir writes: Node loads them', async () => {
  const page = await b.page();
  const blobs = await page.evaluate(async () => {
    const { Redlet } = await import('/dist/index.js');
    const { indexedDBStorage } = await import('/dist/indexeddb.js');
    const db = await Redlet.open({ storage: indexedDBStorage('files'), config: { appendonly: 'yes', appendfsync: 'always' } });
    await db.send('HSET', 'h', 'in', 'snapshot');
    await db.send('SAVE');
    await db.send('HSET', 'h', 'after', 'journal');
    await db.send('XADD', 's', '5-1', 'f', 'v');
    await db.send('SET', 'ttl', 'x', 'EX', 1000);
    // The database stays open, as a tab that is still running.
    const idb = await new Promise((res) => {
      const q = indexedDB.open('redlet:files');
      q.onsuccess = () => res(q.result);
    });
    const read = (name) =>
      new Promise((res) => {
        const q = idb.transaction('chunks').objectStore('chunks').getAll(IDBKeyRange.bound([name, 0], [name, Infinity]));
        q.onsuccess = () => res(q.result.flatMap((c) => Array.from(c)));
      });
    const out = { snapshot: await read('snapshot'), journal: await read('journal') };
    idb.close();
    return out;
  });
  const dir = mkdtempSync(join(tmpdir(), 'redlet-files-'));
  try {
    writeFileSync(join(dir, 'redlet.snapshot'), Uint8Array.from(blobs.snapshot));
    writeFileSync(join(dir, 'redlet.journal'), Uint8Array.from(blobs.journal));
    const db = await Redlet.open({ storage: nodeFsStorage(dir), config: { appendonly: 'yes' } });
    assert.deepEqual(db.call('HGETALL', 'h'), ['in', 'snapshot', 'after', 'journal']);
    assert.deepEqual(db.call('XRANGE', 's', '-', '+'), [['5-1', ['f', 'v']]]);
    assert.ok(db.call('TTL', 'ttl') > 990);
    assert.ok(db.loadReport.journalRecords >= 3);
    await db.close({ save: false });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  await page.close();
});

test('the engine behaviour suite passes in the page and in a dedicated worker', async () => {
  const page = await b.page();
  const run = async () => (await import('/test/browser/suite.js')).engineSuite();
  assert.deepEqual(await page.evaluate(run), []);
  assert.deepEqual(await inWorker(page, run), []);
  await page.close();
});
