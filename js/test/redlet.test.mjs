// The JS API of `redlet`: argument and reply conversion in both protocols,
// errors, blocking with timeouts, pub/sub, MULTI/WATCH across clients, TTLs
// on an injected clock, eviction, timers that do not keep Node alive, and
// a trapped instance.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { Redlet, ReplyError, EngineDeadError, ClosedError, MemoryStorage } from '../dist/index.js';

/** A clock tests move by hand. */
function manualClock(start = 1_700_000_000_000) {
  let now = start;
  const clock = () => now;
  clock.advance = (ms) => (now += ms);
  return clock;
}

test('replies convert to JS values (RESP2)', async () => {
  const db = await Redlet.open({ seed: 1 });
  assert.equal(db.call('SET', 'k', 'v'), 'OK');
  assert.equal(db.call('GET', 'k'), 'v');
  assert.equal(db.call('GET', 'missing'), null);
  assert.equal(db.call('INCR', 'n'), 1);
  assert.equal(db.call('INCRBY', 'n', '9007199254740991'), 9007199254740992n, 'beyond 2^53 - 1 is a bigint');
  assert.equal(db.call('INCRBY', 'm', -5), -5);
  assert.deepEqual(db.call('RPUSH', 'l', 'a', 'b'), 2);
  assert.deepEqual(db.call('LRANGE', 'l', 0, -1), ['a', 'b']);
  assert.deepEqual(db.call('LRANGE', 'nope', 0, -1), []);
  db.call('HSET', 'h', 'f', '1', 'g', '2');
  assert.deepEqual(db.call('HGETALL', 'h'), ['f', '1', 'g', '2'], 'a map is a flat array in RESP2');
  db.call('ZADD', 'z', '1.5', 'a');
  assert.equal(db.call('ZSCORE', 'z', 'a'), '1.5', 'a double is a bulk string in RESP2');
  assert.equal(db.call('ZINCRBY', 'z', '0.1', 'a'), '1.6000000000000001');
  assert.deepEqual(db.call('MGET', 'k', 'missing'), ['v', null]);
  assert.deepEqual(db.callBuffer('GET', 'k'), new Uint8Array([118]));
  assert.deepEqual(db.callBuffer('SET', 'k', 'v'), new TextEncoder().encode('OK'));
  await db.close({ save: false });
});

test('replies convert to JS values (RESP3)', async () => {
  const db = await Redlet.open({ seed: 1 });
  const hello = db.call('HELLO', '3');
  assert.ok(hello instanceof Map);
  assert.equal(hello.get('proto'), 3);
  db.call('HSET', 'h', 'f', '1');
  assert.deepEqual(db.call('HGETALL', 'h'), new Map([['f', '1']]));
  db.call('ZADD', 'z', '1.5', 'a');
  assert.equal(db.call('ZSCORE', 'z', 'a'), 1.5, 'a double is a number in RESP3');
  db.call('SADD', 's', 'x');
  assert.deepEqual(db.call('SMEMBERS', 's'), ['x'], 'a set is an array');
  assert.equal(db.call('GET', 'missing'), null);
  assert.equal(db.call('SISMEMBER', 's', 'x'), 1);
  db.call('SET', 'k', 'v');
  assert.equal(db.call('OBJECT', 'ENCODING', 'k'), 'embstr');
  await db.close({ save: false });
});

test('binary arguments and values round-trip', async () => {
  const db = await Redlet.open();
  const bin = new Uint8Array([0, 255, 13, 10, 128, 1]);
  db.call('SET', bin, bin);
  assert.deepEqual(db.callBuffer('GET', bin), bin);
  assert.equal(db.call('STRLEN', bin), 6);
  // Non-ASCII strings are UTF-8 on the wire, as ioredis sends them.
  db.call('SET', 'ключ', 'värde ✓ 😀');
  assert.equal(db.call('GET', 'ключ'), 'värde ✓ 😀');
  assert.equal(db.call('STRLEN', 'ключ'), Buffer.byteLength('värde ✓ 😀'));
  // A long string goes through TextEncoder.encodeInto.
  const long = 'é'.repeat(100_000) + 'x';
  db.call('SET', 'long', long);
  assert.equal(db.call('GET', 'long'), long);
  // Buffers are Uint8Arrays.
  db.call('SET', Buffer.from('b'), Buffer.from([1, 2, 3]));
  assert.deepEqual(db.callBuffer('GET', 'b'), new Uint8Array([1, 2, 3]));
  // Numbers and bigints are sent in decimal.
  db.call('SET', 'num', 1.5);
  assert.equal(db.call('GET', 'num'), '1.5');
  db.call('SET', 'big', 123456789012345678901234567890n);
  assert.equal(db.call('GET', 'big'), '123456789012345678901234567890');
  await db.close({ save: false });
});

test('bad arguments are a TypeError before the engine sees them', async () => {
  const db = await Redlet.open();
  for (const bad of [{}, null, undefined, true, [1], () => 1, Symbol('s')]) {
    assert.throws(() => db.call('SET', 'k', bad), TypeError);
  }
  assert.equal(db.call('EXISTS', 'k'), 0, 'nothing was written');
  await db.close({ save: false });
});

test('error replies throw ReplyError with Redis text', async () => {
  const db = await Redlet.open();
  db.call('SET', 'k', 'v');
  assert.throws(() => db.call('LPUSH', 'k', 'x'), (e) => e instanceof ReplyError && e.message === 'WRONGTYPE Operation against a key holding the wrong kind of value' && e.code === 'WRONGTYPE');
  assert.throws(() => db.call('NOPE', 'a'), { message: "ERR unknown command 'NOPE', with args beginning with: 'a' " });
  assert.throws(() => db.call('GET'), { message: "ERR wrong number of arguments for 'get' command" });
  assert.throws(() => db.call('INCR', 'k'), { message: 'ERR value is not an integer or out of range' });
  assert.throws(() => db.call(), { name: 'ReplyError' });
  // Errors inside EXEC come back as values.
  db.call('MULTI');
  assert.equal(db.call('INCR', 'k'), 'QUEUED');
  assert.equal(db.call('SET', 'x', '1'), 'QUEUED');
  const r = db.call('EXEC');
  assert.ok(r[0] instanceof ReplyError);
  assert.equal(r[0].message, 'ERR value is not an integer or out of range');
  assert.equal(r[1], 'OK');
  await db.close({ save: false });
});

test('config directives at open and through CONFIG', async () => {
  const db = await Redlet.open({ config: { maxmemory: '64mb', 'maxmemory-policy': 'allkeys-lru', databases: 4, 'notify-keyspace-events': 'KEA', save: '' } });
  assert.deepEqual(db.call('CONFIG', 'GET', 'maxmemory'), ['maxmemory', String(64 * 1024 * 1024)]);
  assert.deepEqual(db.call('CONFIG', 'GET', 'maxmemory-policy'), ['maxmemory-policy', 'allkeys-lru']);
  assert.throws(() => db.call('SELECT', 4), { message: 'ERR DB index is out of range' });
  assert.equal(db.call('CONFIG', 'SET', 'maxmemory', '1gb'), 'OK');
  await db.close();
  await assert.rejects(Redlet.open({ config: { 'no-such-directive': 'x' } }), TypeError);
  await assert.rejects(Redlet.open({ config: { maxmemory: 'lots' } }), TypeError);
});

test('blocking commands settle when served, in blocking order, or on timeout', async () => {
  const db = await Redlet.open();
  const a = db.client();
  const b = db.client();
  const pa = a.call('BLPOP', 'q', 0);
  const pb = b.call('BLPOP', 'q', 0);
  assert.ok(pa instanceof Promise && pb instanceof Promise);
  assert.throws(() => a.call('PING'), { message: 'ERR client is blocked' });
  assert.equal(db.call('RPUSH', 'q', 'x', 'y'), 2);
  assert.deepEqual(await pa, ['q', 'x']);
  assert.deepEqual(await pb, ['q', 'y']);
  // Timeout (real time, 50 ms).
  const t0 = Date.now();
  assert.equal(await a.call('BLPOP', 'empty', 0.05), null);
  assert.ok(Date.now() - t0 >= 45, 'waited for the timeout');
  // BLMOVE chain, BZPOPMIN, XREAD BLOCK.
  const pm = a.call('BLMOVE', 'src', 'dst', 'LEFT', 'RIGHT', 0);
  const pz = b.call('BZPOPMIN', 'zq', 0);
  db.call('LPUSH', 'src', 'm');
  db.call('ZADD', 'zq', 3, 'three');
  assert.equal(await pm, 'm');
  assert.deepEqual(await pz, ['zq', 'three', '3']);
  const px = a.call('XREAD', 'BLOCK', 0, 'STREAMS', 'st', '$');
  const id = db.call('XADD', 'st', '*', 'f', 'v');
  assert.deepEqual(await px, [['st', [[id, ['f', 'v']]]]]);
  // CLIENT UNBLOCK ... ERROR rejects with Redis's error.
  const pu = a.call('BLPOP', 'q', 0);
  db.call('CLIENT', 'UNBLOCK', a.id, 'ERROR');
  await assert.rejects(pu, { message: 'UNBLOCKED client unblocked via CLIENT UNBLOCK' });
  // Closing a blocked client rejects its Promise.
  const pc = b.call('BLPOP', 'q', 0);
  b.close();
  await assert.rejects(pc, ClosedError);
  assert.equal(db.call('CLIENT', 'LIST').split('\n').filter(Boolean).length, 2);
  await db.close({ save: false });
});

test('blocking timeouts follow an injected clock', async () => {
  const clock = manualClock();
  const db = await Redlet.open({ clock });
  const c = db.client();
  let settled = false;
  const p = c.call('BLPOP', 'q', 5).then((v) => ((settled = true), v));
  clock.advance(4000);
  db.tick();
  await new Promise((r) => setImmediate(r));
  assert.equal(settled, false);
  clock.advance(1001);
  db.tick();
  assert.equal(await p, null);
  await db.close({ save: false });
});

test('pub/sub: events, patterns, shard channels, async iterator, RESP3 pushes', async () => {
  const db = await Redlet.open();
  const sub = db.client();
  const got = [];
  sub.on('message', (ch, m) => got.push(['message', ch, m]));
  sub.on('pmessage', (p, ch, m) => got.push(['pmessage', p, ch, m]));
  sub.on('smessage', (ch, m) => got.push(['smessage', ch, m]));
  assert.deepEqual(sub.call('SUBSCRIBE', 'a', 'b'), [['subscribe', 'a', 1], ['subscribe', 'b', 2]]);
  assert.deepEqual(sub.call('PSUBSCRIBE', 'n*'), ['psubscribe', 'n*', 3]);
  assert.deepEqual(sub.call('SSUBSCRIBE', 's'), ['ssubscribe', 's', 1]);
  assert.throws(() => sub.call('GET', 'k'), { message: "ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context" });
  const it = sub.messages();
  assert.equal(db.call('PUBLISH', 'a', 'one'), 1);
  assert.equal(db.call('PUBLISH', 'news', 'two'), 1);
  assert.equal(db.call('SPUBLISH', 's', 'three'), 1);
  assert.deepEqual(got, [['message', 'a', 'one'], ['pmessage', 'n*', 'news', 'two'], ['smessage', 's', 'three']]);
  assert.deepEqual((await it.next()).value, { type: 'message', channel: 'a', message: 'one' });
  assert.deepEqual((await it.next()).value, { type: 'pmessage', pattern: 'n*', channel: 'news', message: 'two' });
  assert.deepEqual((await it.next()).value, { type: 'smessage', channel: 's', message: 'three' });
  // The iterator waits for the next message.
  const next = it.next();
  db.call('PUBLISH', 'b', 'later');
  assert.deepEqual((await next).value, { type: 'message', channel: 'b', message: 'later' });
  // A RESP3 client may run commands while subscribed; its own
  // notifications arrive as events, the command's reply as the value.
  const r3 = db.client();
  r3.call('HELLO', 3);
  const events = [];
  r3.on('message', (ch, m) => events.push([ch, m]));
  r3.call('CONFIG', 'SET', 'notify-keyspace-events', 'KEA');
  r3.call('SUBSCRIBE', '__keyspace@0__:mine');
  assert.equal(r3.call('SET', 'mine', '1'), 'OK');
  assert.deepEqual(events, [['__keyspace@0__:mine', 'set']]);
  // Buffers for messages.
  sub.pushBuffers = true;
  const raw = [];
  sub.on('message', (ch, m) => raw.push(m));
  db.call('PUBLISH', 'a', new Uint8Array([0, 1]));
  assert.deepEqual(raw.at(-1), new Uint8Array([0, 1]));
  sub.close();
  assert.deepEqual((await it.next()).value.message, new Uint8Array([0, 1]), 'queued messages are still read');
  assert.equal((await it.next()).done, true, 'then the iterator ends, as the client closed');
  await db.close({ save: false });
});

test('client-side caching: CLIENT TRACKING invalidations as events', async () => {
  const db = await Redlet.open({ seed: 1 });
  const cache = db.client();
  cache.call('HELLO', 3);
  const dropped = [];
  cache.on('invalidate', (keys) => dropped.push(keys));
  assert.equal(cache.call('CLIENT', 'TRACKING', 'ON'), 'OK');
  assert.equal(cache.call('GET', 'user:1'), null);
  db.call('SET', 'user:1', 'ann');
  assert.deepEqual(dropped, [['user:1']]);
  // Once per read: a second write says nothing until the key is read again.
  db.call('SET', 'user:1', 'bob');
  assert.equal(dropped.length, 1);
  assert.equal(cache.call('GET', 'user:1'), 'bob');
  db.call('FLUSHALL');
  assert.deepEqual(dropped, [['user:1'], null], 'a flush invalidates everything');
  // BCAST: every change under a prefix.
  const tab = db.client();
  tab.call('HELLO', 3);
  const seen = [];
  tab.on('invalidate', (keys) => seen.push(keys));
  tab.call('CLIENT', 'TRACKING', 'ON', 'BCAST', 'PREFIX', 'cart:');
  db.call('MSET', 'cart:1', 'x', 'cart:2', 'y', 'other', 'z');
  assert.deepEqual(seen, [['cart:1', 'cart:2']]);
  await db.close({ save: false });
});

test('MULTI/EXEC and WATCH across clients', async () => {
  const db = await Redlet.open();
  const a = db.client();
  const b = db.client();
  a.call('SET', 'counter', 1);
  a.call('WATCH', 'counter');
  b.call('INCR', 'counter');
  a.call('MULTI');
  a.call('SET', 'counter', 100);
  assert.equal(a.call('EXEC'), null, 'the watched key changed');
  assert.equal(a.call('GET', 'counter'), '2');
  a.call('MULTI');
  a.call('INCR', 'counter');
  a.call('INCR', 'counter');
  assert.deepEqual(a.call('EXEC'), [3, 4]);
  // A fixed-window rate limiter.
  const hit = (c, who) => {
    c.call('MULTI');
    c.call('INCR', `rl:${who}`);
    c.call('EXPIRE', `rl:${who}`, 60, 'NX');
    return c.call('EXEC')[0] <= 3;
  };
  assert.deepEqual([1, 2, 3, 4].map(() => hit(b, 'ip1')), [true, true, true, false]);
  // SELECT is per client.
  a.call('SELECT', 1);
  a.call('SET', 'k', 'db1');
  assert.equal(b.call('GET', 'k'), null);
  assert.equal(a.call('GET', 'k'), 'db1');
  await db.close({ save: false });
});

test('TTLs and active expiry on an injected clock', async () => {
  const clock = manualClock();
  const db = await Redlet.open({ clock });
  db.call('SET', 'keep', 'forever');
  db.call('SET', 'session', 'data', 'EX', 10);
  db.call('SET', 'lock', 'token', 'NX', 'PX', 500);
  assert.equal(db.call('TTL', 'session'), 10);
  assert.equal(db.call('SET', 'lock', 'other', 'NX', 'PX', 500), null, 'the lock is held');
  clock.advance(501);
  assert.equal(db.call('SET', 'lock', 'other', 'NX', 'PX', 500), 'OK', 'the lock expired');
  clock.advance(9000);
  assert.equal(db.call('PTTL', 'session'), 499);
  assert.equal(db.call('TTL', 'session'), 0, 'Redis rounds to the nearest second');
  clock.advance(1000);
  // Active expiry removes the session and the lock without anyone
  // reading them (DBSIZE counts keys not yet removed).
  db.tick();
  assert.equal(db.call('DBSIZE'), 1);
  assert.equal(db.call('GET', 'session'), null);
  await db.close({ save: false });
});

test('without maxmemory the limit is 3 GB noeviction, as a 32-bit redis-server sets it', async () => {
  const db = await Redlet.open();
  assert.deepEqual(db.call('CONFIG', 'GET', 'maxmemory'), ['maxmemory', String(3 * 1024 ** 3)]);
  assert.deepEqual(db.call('CONFIG', 'GET', 'maxmemory-policy'), ['maxmemory-policy', 'noeviction']);
  const own = await Redlet.open({ config: { maxmemory: '1gb', 'maxmemory-policy': 'allkeys-lfu' } });
  assert.deepEqual(own.call('CONFIG', 'GET', 'maxmemory-policy'), ['maxmemory-policy', 'allkeys-lfu']);
  await db.close({ save: false });
  await own.close({ save: false });
});

test('eviction with maxmemory', async () => {
  const db = await Redlet.open({ config: { maxmemory: '2mb', 'maxmemory-policy': 'allkeys-lru' }, seed: 7 });
  const v = 'x'.repeat(1000);
  for (let i = 0; i < 5000; i++) db.call('SET', `k${i}`, v);
  const info = db.call('INFO', 'stats');
  const evicted = Number(/evicted_keys:(\d+)/.exec(info)[1]);
  assert.ok(evicted > 2000, `evicted ${evicted}`);
  assert.ok(db.call('DBSIZE') < 3000);
  const noev = await Redlet.open({ config: { maxmemory: '1mb', 'maxmemory-policy': 'noeviction' } });
  assert.throws(() => {
    for (let i = 0; i < 5000; i++) noev.call('SET', `k${i}`, v);
  }, { message: "OOM command not allowed when used memory > 'maxmemory'." });
  await db.close({ save: false });
  await noev.close({ save: false });
});

test('persistence through a storage adapter: close saves, open loads', async () => {
  const storage = new MemoryStorage();
  const db = await Redlet.open({ storage, config: { appendonly: 'yes' } });
  db.call('SET', 'a', '1');
  db.call('HSET', 'h', 'f', 'v');
  db.call('SET', 'ttl', 'x', 'EX', 1000);
  await db.flush();
  assert.ok(storage.blobs.get('journal').length > 0, 'the journal holds the writes');
  await db.close();
  assert.throws(() => db.call('GET', 'a'), ClosedError);
  const db2 = await Redlet.open({ storage });
  assert.equal(db2.call('GET', 'a'), '1');
  assert.deepEqual(db2.call('HGETALL', 'h'), ['f', 'v']);
  assert.ok(db2.call('TTL', 'ttl') > 990);
  await db2.close();
  // A corrupt snapshot is refused and left as it was.
  const snap = storage.blobs.get('snapshot');
  snap[snap.length - 3] ^= 0xff;
  const copy = snap.slice();
  await assert.rejects(Redlet.open({ storage }), { name: 'StorageError' });
  assert.deepEqual(storage.blobs.get('snapshot'), copy);
});

test('a trap kills the instance; storage loads again in a new one', async () => {
  const storage = new MemoryStorage();
  const db = await Redlet.open({ storage, config: { appendonly: 'yes', appendfsync: 'always' } });
  const other = await Redlet.open();
  db.call('SET', 'durable', 'yes');
  assert.throws(() => db._core.run((raw) => raw.debugTrap()), EngineDeadError);
  assert.throws(() => db.call('GET', 'durable'), EngineDeadError);
  assert.throws(() => other.call('PING'), EngineDeadError, 'every engine of the instance is dead');
  const again = await Redlet.open({ storage });
  assert.equal(again.call('GET', 'durable'), 'yes');
  await again.close();
});

test('an idle database does not keep Node alive', () => {
  const script = `
    import { Redlet } from ${JSON.stringify(new URL('../dist/index.js', import.meta.url).href)};
    const db = await Redlet.open();
    db.call('SET', 'k', 'v', 'EX', 100);   // active expiry timer pending
    db.client().call('BLPOP', 'q', 0);      // a blocked client nobody awaits
    console.log('done');
  `;
  const t0 = Date.now();
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 10_000 });
  assert.equal(r.stdout.trim(), 'done');
  assert.equal(r.status, 0, r.stderr);
  assert.ok(Date.now() - t0 < 5000);
});

test('the typed reply for big integers and negative zero edge cases', async () => {
  const db = await Redlet.open();
  assert.equal(db.call('INCRBY', 'x', '-9223372036854775808'), -9223372036854775808n);
  assert.throws(() => db.call('DECR', 'x'), { message: 'ERR increment or decrement would overflow' });
  assert.equal(db.call('INCRBYFLOAT', 'f', '0.1'), '0.1');
  // redis-server 7.0.15 prints the x87 long double sum this way.
  assert.equal(db.call('INCRBYFLOAT', 'f', '1e300'), '1000000000000000000008997324079559193870523944273290747938260082321265646596180935755849152083750497190350372508614274835903592556184672983913096260520748646287327135641843653294084255107606016789726652932370030551382947620994540294772781889620606179267611627097410650567187386105690089424915104006144');
  await db.close({ save: false });
});
