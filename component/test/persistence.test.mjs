// Persistence through the imported storage: save and load in a new
// instance, the journal, refused corrupt blobs, failing storage.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { b, call, instantiate, MemStorage, s } from './harness.mjs';

const open = (engine, storage, config = []) => engine.Database.open({ config, storage, seed: undefined });

test('save, then a new instance over the same storage loads it', async () => {
  const storage = new MemStorage();
  {
    const { engine } = await instantiate(storage);
    const db = open(engine, 'main');
    const c = db.connect('');
    for (let i = 0; i < 100; i++) call(c, 'SET', `k${i}`, `v${i}`);
    call(c, 'HSET', 'h', 'f', 'x');
    call(c, 'ZADD', 'z', '1.5', 'm');
    call(c, 'SELECT', '2');
    call(c, 'SET', 'in2', 'yes');
    db.save();
    // Unsaved and dropped with the instance.
    call(c, 'SET', 'late', 'lost');
  }
  assert.ok(storage.blobs.has('main/snapshot'));
  const { engine } = await instantiate(storage);
  const db = open(engine, 'main');
  assert.deepEqual(db.loadReport(), { keysLoaded: 103n, expiredDropped: 0n, journalRecords: 0n });
  const c = db.connect('');
  assert.equal(call(c, 'GET', 'k42'), 'v42');
  assert.equal(call(c, 'HGET', 'h', 'f'), 'x');
  assert.equal(call(c, 'ZSCORE', 'z', 'm'), '1.5');
  assert.equal(call(c, 'GET', 'late'), null);
  call(c, 'SELECT', '2');
  assert.equal(call(c, 'GET', 'in2'), 'yes');
  // Other spaces are other databases.
  assert.equal(call(open(engine, 'other').connect(''), 'DBSIZE'), 0n);
});

test('appendonly: acknowledged writes come back from the journal', async () => {
  const storage = new MemStorage();
  {
    const { engine } = await instantiate(storage);
    const db = open(engine, 'aof', [['appendonly', 'yes']]);
    const c = db.connect('');
    call(c, 'SET', 'a', '1');
    call(c, 'INCR', 'a');
    db.flush();
  }
  {
    const { engine } = await instantiate(storage);
    const db = open(engine, 'aof', [['appendonly', 'yes']]);
    assert.deepEqual(db.loadReport(), { keysLoaded: 0n, expiredDropped: 0n, journalRecords: 2n });
    const c = db.connect('');
    assert.equal(call(c, 'GET', 'a'), '2');
    // Typed writes are durable too (journaled as their command
    // equivalents, see the next test).
    c.rpush(b('l'), [b('x'), b('y')]);
    db.flush();
  }
  const { engine } = await instantiate(storage);
  const c = open(engine, 'aof', [['appendonly', 'yes']]).connect('');
  assert.equal(call(c, 'GET', 'a'), '2');
  assert.deepEqual(call(c, 'LRANGE', 'l', '0', '-1'), ['x', 'y']);
});

test('typed and wasi:keyvalue writes are journaled as their commands, not as snapshots', async () => {
  const storage = new MemStorage();
  const dump = (c) => ['str', 'gone', 'n', 'h', 'l', 's', 'z', 'x', 'kv1', 'kv2', 'kv3', 'kvn'].map((k) => [k, call(c, 'TYPE', k)])
    .concat([[call(c, 'GET', 'str'), call(c, 'PTTL', 'str') > 0n, call(c, 'GET', 'n'), call(c, 'HGETALL', 'h'), call(c, 'LRANGE', 'l', '0', '-1'),
      call(c, 'SMEMBERS', 's'), call(c, 'ZRANGE', 'z', '0', '-1', 'WITHSCORES'), call(c, 'XRANGE', 'x', '-', '+'), call(c, 'XPENDING', 'x', 'g'),
      call(c, 'MGET', 'kv1', 'kv2', 'kv3', 'kvn')]]);
  let before;
  {
    const { engine, store, atomics, batch } = await instantiate(storage);
    const db = open(engine, 'default', [['appendonly', 'yes'], ['appendfsync', 'always']]);
    const c = db.connect('');
    const snapshots = storage.blobs.get('default/snapshot');
    c.set(b('str'), b('v'), { condition: 'always', expiry: { tag: 'after-ms', val: 60000n } });
    c.set(b('gone'), b('x'), { condition: 'if-absent', expiry: { tag: 'none' } });
    c.del([b('gone')]);
    c.expire(b('str'), 120000n);
    c.incrby(b('n'), 7n);
    c.hset(b('h'), [[b('f1'), b('a')], [b('f2'), b('b')]]);
    c.hdel(b('h'), [b('f2')]);
    c.rpush(b('l'), [b('1'), b('2'), b('3')]);
    c.lpush(b('l'), [b('0')]);
    c.lpop(b('l'));
    c.rpop(b('l'));
    c.sadd(b('s'), [b('a'), b('b')]);
    c.srem(b('s'), [b('a')]);
    c.zadd(b('z'), [{ member: b('m'), score: 0.1 }, { member: b('n'), score: -Infinity }]);
    c.zincrby(b('z'), 1 / 3, b('m'));
    const id1 = c.xadd(b('x'), undefined, [[b('f'), b('1')]], undefined, false);
    c.xadd(b('x'), undefined, [[b('f'), b('2')]], 10n, false);
    c.xgroupCreate(b('x'), b('g'), '0', false);
    c.xreadgroup(b('g'), b('alice'), [[b('x'), '>']], 1n, false);
    c.xack(b('x'), b('g'), [id1]);
    c.xreadgroup(b('g'), b('bob'), [[b('x'), '>']], undefined, false);
    const bucket = store.open('');
    bucket.set('kv1', b('one'));
    batch.setMany(bucket, [['kv2', b('two')], ['kv3', b('three')]]);
    batch.deleteMany(bucket, ['kv3']);
    bucket.delete('kv2');
    atomics.increment(bucket, 'kvn', 3n);
    // appendfsync always: on storage when the calls return, as journal
    // records; no snapshot was written for them.
    assert.deepEqual(storage.blobs.get('default/snapshot'), snapshots);
    before = dump(c);
  }
  const { engine } = await instantiate(storage);
  const db = open(engine, 'default', [['appendonly', 'yes']]);
  assert.ok(db.loadReport().journalRecords >= 26n, `journal records: ${db.loadReport().journalRecords}`);
  assert.deepEqual(dump(db.connect('')), before);
});

test('opening a space twice shares one database', async () => {
  const { engine } = await instantiate();
  const one = open(engine, 'shared');
  const two = open(engine, 'shared');
  call(one.connect(''), 'SET', 'k', 'v');
  assert.equal(call(two.connect(''), 'GET', 'k'), 'v');
  // In-memory databases are never shared.
  const mem = engine.Database.open({ config: [], storage: undefined, seed: 1n });
  assert.equal(call(mem.connect(''), 'GET', 'k'), null);
});

test('a corrupt snapshot is refused with error.storage and left untouched', async () => {
  const storage = new MemStorage();
  {
    const { engine } = await instantiate(storage);
    const db = open(engine, 'c');
    call(db.connect(''), 'SET', 'k', 'v'.repeat(100));
    db.save();
  }
  const blob = storage.blobs.get('c/snapshot');
  const bad = blob.slice();
  bad[Math.floor(bad.length / 2)] ^= 0xff;
  storage.blobs.set('c/snapshot', bad);
  const { engine } = await instantiate(storage);
  assert.throws(() => open(engine, 'c'), (e) => e.payload?.tag === 'storage' && e.payload.val.startsWith('snapshot: '));
  assert.deepEqual(storage.blobs.get('c/snapshot'), bad);
  // Fixed, it loads.
  storage.blobs.set('c/snapshot', blob);
  assert.equal(call(open(engine, 'c').connect(''), 'GET', 'k'), 'v'.repeat(100));
});

test('a failing storage gives error.storage and keeps the last good snapshot', async () => {
  const storage = new MemStorage();
  const { engine } = await instantiate(storage);
  const db = open(engine, 'f');
  const c = db.connect('');
  call(c, 'SET', 'k', 'old');
  db.save();
  const good = storage.blobs.get('f/snapshot');
  call(c, 'SET', 'k', 'new');
  storage.failing = true;
  assert.throws(() => db.save(), (e) => e.payload?.tag === 'storage' && e.payload.val.includes('injected failure'));
  assert.match(call(c, 'SAVE').error, /^ERR/);
  storage.failing = false;
  assert.deepEqual(storage.blobs.get('f/snapshot'), good);
  // Opening while storage fails is an error too.
  storage.failing = true;
  const fresh = await instantiate(storage);
  assert.throws(() => open(fresh.engine, 'f'), (e) => e.payload?.tag === 'storage');
  storage.failing = false;
  const again = await instantiate(storage);
  assert.equal(call(open(again.engine, 'f').connect(''), 'GET', 'k'), 'old');
});

test('shutdown saves when asked, and a later open loads it again', async () => {
  const storage = new MemStorage();
  const { engine } = await instantiate(storage);
  const db = open(engine, 's');
  call(db.connect(''), 'SET', 'k', 'v');
  db.shutdown(true);
  assert.throws(() => db.save(), (e) => e.payload?.tag === 'reply');
  const reopened = open(engine, 's');
  assert.equal(call(reopened.connect(''), 'GET', 'k'), 'v');
});

test('appendfsync always: a write that cannot be made durable sets fatal', async () => {
  const storage = new MemStorage();
  const { engine } = await instantiate(storage);
  const db = open(engine, 'always', [['appendonly', 'yes'], ['appendfsync', 'always']]);
  const c = db.connect('');
  call(c, 'SET', 'k', '1');
  assert.equal(db.fatal(), undefined);
  storage.failing = true;
  call(c, 'SET', 'k', '2');
  assert.match(db.fatal(), /injected failure/);
  storage.failing = false;
  // Reopened from storage: every acknowledged write, not the failed one.
  const again = await instantiate(storage);
  assert.equal(call(open(again.engine, 'always', [['appendonly', 'yes']]).connect(''), 'GET', 'k'), '1');
});
