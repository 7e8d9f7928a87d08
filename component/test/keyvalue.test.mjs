// wasi:keyvalue through the transpiled component: buckets are keyspaces
// of the `default` database.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { b, call, instantiate, s } from './harness.mjs';

const other = (text) => (e) => e.payload?.tag === 'other' && (text === undefined || e.payload.val.startsWith(text));

test('get, set, delete, exists', async () => {
  const { store } = await instantiate();
  const bucket = store.open('');
  assert.equal(bucket.get('k'), undefined);
  bucket.set('k', b('v'));
  assert.equal(s(bucket.get('k')), 'v');
  assert.equal(bucket.exists('k'), true);
  bucket.delete('k');
  bucket.delete('k');
  assert.equal(bucket.exists('k'), false);
  // Buckets are keyspaces.
  const b5 = store.open('5');
  b5.set('k', b('five'));
  assert.equal(bucket.get('k'), undefined);
  assert.equal(s(store.open('5').get('k')), 'five');
  for (const bad of ['16', '01', 'x', '-1', ' 1']) {
    assert.throws(() => store.open(bad), (e) => e.payload?.tag === 'no-such-store', bad);
  }
});

test('increment is INCRBY on decimal text', async () => {
  const { store, atomics } = await instantiate();
  const bucket = store.open('0');
  assert.equal(atomics.increment(bucket, 'n', 5n), 5n);
  assert.equal(atomics.increment(bucket, 'n', 10n), 15n);
  assert.equal(s(bucket.get('n')), '15');
  bucket.set('t', b('abc'));
  assert.throws(() => atomics.increment(bucket, 't', 1n), other('ERR value is not an integer or out of range'));
  assert.throws(() => atomics.increment(bucket, 'n', 2n ** 63n), other('ERR value is not an integer or out of range'));
  assert.throws(() => atomics.increment(bucket, 'n', 2n ** 63n - 1n), other('ERR increment or decrement would overflow'));
  assert.equal(s(bucket.get('n')), '15');
});

test('list-keys pages with the SCAN cursor; batch', async () => {
  const { store, batch } = await instantiate();
  const bucket = store.open('2');
  const pairs = Array.from({ length: 500 }, (_, i) => [`key:${i}`, b(`v${i}`)]);
  batch.setMany(bucket, pairs);
  const seen = new Set();
  let cursor;
  let pages = 0;
  do {
    const page = bucket.listKeys(cursor);
    page.keys.forEach((k) => seen.add(k));
    cursor = page.cursor;
    pages++;
  } while (cursor !== undefined);
  assert.equal(seen.size, 500);
  assert.ok(pages > 1);
  const got = batch.getMany(bucket, ['key:1', 'nope', 'key:2']);
  assert.deepEqual(got.map((x) => x && [x[0], s(x[1])]), [['key:1', 'v1'], undefined, ['key:2', 'v2']]);
  batch.deleteMany(bucket, ['key:1', 'nope']);
  assert.equal(bucket.exists('key:1'), false);
  assert.deepEqual(store.open('3').listKeys(undefined), { keys: [], cursor: undefined });
});

test('a key of another type is WRONGTYPE', async () => {
  const { engine, store, batch } = await instantiate();
  const bucket = store.open('');
  // The default database is the one a host opens with storage "default".
  const db = engine.Database.open({ config: [], storage: 'default', seed: undefined });
  const c = db.connect('');
  assert.equal(call(c, 'RPUSH', 'list', 'a'), 1n);
  assert.throws(() => bucket.get('list'), other('WRONGTYPE'));
  assert.throws(() => batch.getMany(bucket, ['list']), other('WRONGTYPE'));
  bucket.set('list', b('now a string'));
  assert.equal(call(c, 'TYPE', 'list'), 'string');
});

test('the engine and keyvalue share the default database', async () => {
  const { engine, store, storage } = await instantiate();
  const db = engine.Database.open({ config: [], storage: 'default', seed: undefined });
  const c = db.connect('');
  c.set(b('shared'), b('from engine'), { condition: 'always', expiry: { tag: 'none' } });
  assert.equal(s(store.open('').get('shared')), 'from engine');
  store.open('').set('kv', b('from kv'));
  assert.equal(call(c, 'GET', 'kv'), 'from kv');
  db.save();
  assert.ok(storage.blobs.has('default/snapshot') || [...storage.blobs.keys()].some((k) => k.startsWith('default/')));
});
