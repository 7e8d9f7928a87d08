// redlet/opfs in Chromium: every type with TTLs survives a reload (in a
// dedicated worker, where sync access handles exist), the main thread gets a
// clear error, a second context gets a clear "open elsewhere" error, a
// damaged manifest or snapshot is refused and left untouched, a small quota
// fails the write clearly with nothing durable lost.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { browser, inWorker } from './harness.mjs';
import { Redlet } from '../../dist/index.js';
import { nodeFsStorage } from '../../dist/node.js';
import { writeAll, readAll, checkAll } from './cases.mjs';

const opfs = (name) => ({ name, mod: '/dist/opfs.js', fn: 'opfsStorage' });
let b;
before(async () => {
  b = await browser();
});
after(async () => {
  await b?.close();
});

test('every type with TTLs survives a reload (dedicated worker)', async () => {
  const page = await b.page();
  const ttl = await inWorker(page, writeAll, opfs('reload'));
  await page.reload();
  checkAll(await inWorker(page, readAll, opfs('reload')), ttl);
  await page.close();
});

test('the current files are the files redlet serve --dir writes: Node loads them', async () => {
  const page = await b.page();
  const blobs = await inWorker(page, async () => {
    const { Redlet } = await import('/dist/index.js');
    const { opfsStorage } = await import('/dist/opfs.js');
    const storage = opfsStorage('files');
    const db = await Redlet.open({ storage, config: { appendonly: 'yes', appendfsync: 'always' } });
    db.call('HSET', 'h', 'in', 'snapshot');
    db.call('SAVE');
    db.call('HSET', 'h', 'after', 'journal');
    db.call('SET', 'ttl', 'x', 'EX', 1000);
    const read = (name) => {
      const out = new Uint8Array(storage.size(name));
      storage.readAt(name, 0, out);
      return Array.from(out);
    };
    const out = { snapshot: read('snapshot'), journal: read('journal') };
    await db.close({ save: false });
    return out;
  });
  const dir = mkdtempSync(join(tmpdir(), 'redlet-opfs-files-'));
  try {
    writeFileSync(join(dir, 'redlet.snapshot'), Uint8Array.from(blobs.snapshot));
    writeFileSync(join(dir, 'redlet.journal'), Uint8Array.from(blobs.journal));
    const db = await Redlet.open({ storage: nodeFsStorage(dir), config: { appendonly: 'yes' } });
    assert.deepEqual(db.call('HGETALL', 'h'), ['in', 'snapshot', 'after', 'journal']);
    assert.ok(db.call('TTL', 'ttl') > 990);
    await db.close({ save: false });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  await page.close();
});

test('the main thread gets a clear error telling to use a worker', async () => {
  const page = await b.page();
  const error = await page.evaluate(async () => {
    const { Redlet } = await import('/dist/index.js');
    const { opfsStorage } = await import('/dist/opfs.js');
    try {
      await Redlet.open({ storage: opfsStorage('main') });
    } catch (e) {
      return `${e.name}: ${e.message}`;
    }
  });
  assert.match(error, /^StorageError: redlet: opfsStorage needs a dedicated worker.*Open the database in a Worker, or use indexedDBStorage/);
  await page.close();
});

test('a second context opening the same database gets a clear error', async () => {
  const page = await b.page();
  const other = await b.page();
  await inWorker(page, async () => {
    const { Redlet } = await import('/dist/index.js');
    const { opfsStorage } = await import('/dist/opfs.js');
    self.db = await Redlet.open({ storage: opfsStorage('shared') });
  });
  const error = await inWorker(other, async () => {
    const { Redlet } = await import('/dist/index.js');
    const { opfsStorage } = await import('/dist/opfs.js');
    try {
      await Redlet.open({ storage: opfsStorage('shared') });
    } catch (e) {
      return `${e.name}: ${e.message}`;
    }
  });
  assert.match(error, /StorageError: redlet: OPFS 'redlet-shared' is open in another tab or worker/);
  await page.close();
  await other.close();
});

test('a damaged snapshot or manifest is refused at open and left untouched', async () => {
  const page = await b.page();
  const r = await inWorker(page, async () => {
    const { Redlet } = await import('/dist/index.js');
    const { opfsStorage } = await import('/dist/opfs.js');
    const db = await Redlet.open({ storage: opfsStorage('corrupt') });
    db.call('SET', 'k', 'v');
    await db.close({ save: true });
    const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle('redlet-corrupt');
    const snapFile = (await dir.getFileHandle('redlet.snapshot.0')).getFile ? 'redlet.snapshot.0' : '';
    // Flip a byte of the current snapshot (file .0: the first replace).
    const h = await (await dir.getFileHandle(snapFile)).createSyncAccessHandle();
    const bytes = new Uint8Array(h.getSize());
    h.read(bytes, { at: 0 });
    bytes[bytes.length - 20] ^= 0xff;
    h.write(bytes, { at: 0 });
    h.flush();
    h.close();
    const errors = [];
    try {
      await Redlet.open({ storage: opfsStorage('corrupt') });
    } catch (e) {
      errors.push(`${e.name}: ${e.message}`);
    }
    const h2 = await (await dir.getFileHandle(snapFile)).createSyncAccessHandle();
    const after = new Uint8Array(h2.getSize());
    h2.read(after, { at: 0 });
    h2.close();
    // Now the manifest: both slots damaged.
    const m = await (await dir.getFileHandle('redlet.manifest')).createSyncAccessHandle();
    m.write(new Uint8Array(64).fill(7), { at: 0 });
    m.flush();
    m.close();
    try {
      await Redlet.open({ storage: opfsStorage('corrupt') });
    } catch (e) {
      errors.push(`${e.name}: ${e.message}`);
    }
    const m2 = await (await dir.getFileHandle('redlet.manifest')).createSyncAccessHandle();
    const mb = new Uint8Array(64);
    m2.read(mb, { at: 0 });
    m2.close();
    return { errors, untouched: after.every((x, i) => x === bytes[i]) && mb.every((x) => x === 7) };
  });
  assert.match(r.errors[0], /^StorageError: redlet: cannot load OPFS 'redlet-corrupt\/redlet.snapshot.0': .*left as it is/);
  assert.match(r.errors[1], /^StorageError: redlet: cannot load OPFS 'redlet-corrupt\/redlet.manifest': no valid slot \(damaged\); it was left untouched/);
  assert.ok(r.untouched);
  await page.close();
});

test('a small quota fails the write with a clear error and loses nothing durable', async () => {
  const control = await b.page({ host: 'localhost' });
  // Sync access handles reserve capacity in steps: leave room for them.
  await b.quota(control, 16 * 1024 * 1024, 'localhost');
  const page = await b.page({ host: 'localhost' });
  const r = await inWorker(page, async () => {
    const { Redlet } = await import('/dist/index.js');
    const { opfsStorage } = await import('/dist/opfs.js');
    const db = await Redlet.open({ storage: opfsStorage('quota'), config: { appendonly: 'yes', appendfsync: 'always' } });
    for (let i = 0; i < 100; i++) db.call('SET', `k${i}`, `v${i}`);
    db.call('SAVE');
    db.call('SET', 'after-save', '1');
    const huge = new Uint8Array(24 * 1024 * 1024);
    for (let i = 0; i < huge.length; i += 65536) crypto.getRandomValues(huge.subarray(i, i + 65536));
    try {
      db.call('SET', 'huge', huge);
    } catch (e) {
      return `${e.name}: ${e.message}`;
    }
  });
  assert.match(r, /StorageError: redlet: can't write the journal with appendfsync always \(.*QuotaExceededError.*\); the write was not acknowledged/);
  await b.quota(control, undefined, 'localhost');
  await page.reload();
  const got = await inWorker(page, async () => {
    const { Redlet } = await import('/dist/index.js');
    const { opfsStorage } = await import('/dist/opfs.js');
    const db = await Redlet.open({ storage: opfsStorage('quota'), config: { appendonly: 'yes' } });
    const r = { dbsize: db.call('DBSIZE'), k99: db.call('GET', 'k99'), after: db.call('GET', 'after-save'), huge: db.call('EXISTS', 'huge') };
    await db.close();
    return r;
  });
  assert.deepEqual(got, { dbsize: 101, k99: 'v99', after: '1', huge: 0 });
  await page.close();
  await control.close();
});
