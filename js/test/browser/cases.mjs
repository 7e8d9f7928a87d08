// Cases shared by the adapters' browser tests: one key of every type (some
// with TTLs) written in a page or worker, read back after a reload. The
// functions run in the browser (their source is sent); `mod`/`fn` name the
// adapter's module and factory.
import assert from 'node:assert/strict';

/** Writes one key of every type (some with TTLs) through db.send under appendfsync always; returns their PTTLs. */
export async function writeAll({ name, mod, fn }) {
  const { Redlet } = await import('/dist/index.js');
  const storage = (await import(mod))[fn](name);
  const db = await Redlet.open({ storage, config: { appendonly: 'yes', appendfsync: 'always' } });
  await db.send('SET', 'str', 'hello', 'EX', 1000);
  await db.send('SET', 'bin', new Uint8Array([0, 1, 255]));
  await db.send('RPUSH', 'list', 'a', 'b', 'c');
  await db.send('HSET', 'hash', 'f1', 'v1', 'f2', 'v2');
  await db.send('PEXPIRE', 'hash', 500000);
  await db.send('SADD', 'set', 'x', 'y');
  await db.send('ZADD', 'zset', 1, 'one', 2.5, 'two');
  await db.send('XADD', 'stream', '1-1', 'f', 'v');
  await db.send('XGROUP', 'CREATE', 'stream', 'g', '0');
  await db.send('PFADD', 'hll', 'a', 'b', 'c');
  await db.send('SET', 'gone', 'x', 'PX', 50);
  // Half in the snapshot, half in the journal after it.
  await db.send('SAVE');
  await db.send('INCRBY', 'counter', 7);
  await db.send('LPUSH', 'list', 'z');
  const ttl = { str: db.call('PTTL', 'str'), hash: db.call('PTTL', 'hash') };
  // No close: the page goes away as a reload would take it.
  return ttl;
}

/** Reads back what writeAll wrote. */
export async function readAll({ name, mod, fn }) {
  const { Redlet } = await import('/dist/index.js');
  const storage = (await import(mod))[fn](name);
  await new Promise((r) => setTimeout(r, 100)); // 'gone' (PX 50) must be gone
  const db = await Redlet.open({ storage, config: { appendonly: 'yes' } });
  const out = {
    str: db.call('GET', 'str'),
    bin: Array.from(db.callBuffer('GET', 'bin')),
    list: db.call('LRANGE', 'list', 0, -1),
    hash: db.call('HGETALL', 'hash'),
    set: db.call('SMEMBERS', 'set').sort(),
    zset: db.call('ZRANGE', 'zset', 0, -1, 'WITHSCORES'),
    stream: db.call('XRANGE', 'stream', '-', '+'),
    groups: db.call('XINFO', 'GROUPS', 'stream').length,
    hll: db.call('PFCOUNT', 'hll'),
    counter: db.call('GET', 'counter'),
    gone: db.call('EXISTS', 'gone'),
    ttl: { str: db.call('PTTL', 'str'), hash: db.call('PTTL', 'hash') },
    types: ['str', 'list', 'hash', 'set', 'zset', 'stream', 'hll'].map((k) => db.call('TYPE', k)),
  };
  await db.close();
  return out;
}

export function checkAll(got, ttlBefore) {
  assert.equal(got.str, 'hello');
  assert.deepEqual(got.bin, [0, 1, 255]);
  assert.deepEqual(got.list, ['z', 'a', 'b', 'c']);
  assert.deepEqual(got.hash, ['f1', 'v1', 'f2', 'v2']);
  assert.deepEqual(got.set, ['x', 'y']);
  assert.deepEqual(got.zset, ['one', '1', 'two', '2.5']);
  assert.deepEqual(got.stream, [['1-1', ['f', 'v']]]);
  assert.equal(got.groups, 1);
  assert.equal(got.hll, 3);
  assert.equal(got.counter, '7');
  assert.equal(got.gone, 0);
  assert.deepEqual(got.types, ['string', 'list', 'hash', 'set', 'zset', 'stream', 'string']);
  // TTLs kept counting across the reload.
  assert.ok(got.ttl.str > 0 && got.ttl.str < ttlBefore.str, `str ttl ${got.ttl.str} after ${ttlBefore.str}`);
  assert.ok(got.ttl.hash > 0 && got.ttl.hash < ttlBefore.hash, `hash ttl ${got.ttl.hash} after ${ttlBefore.hash}`);
}

