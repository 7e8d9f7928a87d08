// The engine interface through the transpiled component: commands as
// frames, typed functions, RESP3, blocking, pub/sub, RESP bytes, timers.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { b, call, instantiate, s, tree } from './harness.mjs';

const opts = (o = {}) => ({ config: [], storage: undefined, seed: 1n, ...o });

test('SET, GET, INCR through call', async () => {
  const { engine } = await instantiate();
  const db = engine.Database.open(opts());
  const c = db.connect('127.0.0.1:5000');
  assert.equal(call(c, 'SET', 'k', 'v'), 'OK');
  assert.equal(call(c, 'GET', 'k'), 'v');
  assert.equal(call(c, 'GET', 'missing'), null);
  assert.equal(call(c, 'INCR', 'n'), 1n);
  assert.equal(call(c, 'INCRBY', 'n', '41'), 42n);
  assert.deepEqual(call(c, 'INCR', 'k'), { error: 'ERR value is not an integer or out of range' });
  assert.deepEqual(call(c, 'NOSUCH'), { error: "ERR unknown command 'NOSUCH', with args beginning with: " });
  // Frames of a RESP2 reply: only RESP2 kinds.
  const o = c.call([b('HSET'), b('h'), b('f'), b('1')]);
  assert.deepEqual(o, { tag: 'done', val: [{ tag: 'integer', val: 1n }] });
  assert.equal(typeof c.id(), 'bigint');
  assert.equal(call(c, 'CLIENT', 'ID'), c.id());
});

test('typed functions share the command path and the selected keyspace', async () => {
  const { engine } = await instantiate();
  const db = engine.Database.open(opts());
  const c = db.connect('');
  const always = { condition: 'always', expiry: { tag: 'none' } };
  assert.equal(c.set(b('k'), b('v'), always), true);
  assert.equal(s(c.get(b('k'))), 'v');
  assert.equal(c.set(b('k'), b('w'), { condition: 'if-absent', expiry: { tag: 'none' } }), false);
  assert.equal(c.get(b('nope')), undefined);
  assert.equal(c.incrby(b('n'), 5n), 5n);
  assert.equal(call(c, 'GET', 'n'), '5');
  // SELECT moves the typed calls too.
  assert.equal(call(c, 'SELECT', '3'), 'OK');
  assert.equal(c.get(b('k')), undefined);
  c.set(b('k3'), b('x'), always);
  assert.equal(call(c, 'SELECT', '0'), 'OK');
  assert.equal(c.exists([b('k'), b('k3'), b('k')]), 2n);
  // Errors are error.reply with Redis's text.
  c.lpush(b('list'), [b('a'), b('b')]);
  assert.throws(() => c.get(b('list')), (e) => e.payload.tag === 'reply' && e.payload.val.startsWith('WRONGTYPE'));
  assert.throws(() => c.set(b('k'), b('v'), { condition: 'always', expiry: { tag: 'after-ms', val: 0n } }),
    (e) => e.payload.tag === 'reply' && e.payload.val === "ERR invalid expire time in 'set' command");
  assert.deepEqual(c.lrange(b('list'), 0n, -1n).map(s), ['b', 'a']);
  assert.equal(c.rpush(b('list'), [b('c')]), 3n);
  assert.equal(s(c.lpop(b('list'))), 'b');
  assert.equal(s(c.rpop(b('list'))), 'c');
  assert.equal(c.hset(b('h'), [[b('f1'), b('1')], [b('f2'), b('2')]]), 2n);
  assert.equal(s(c.hget(b('h'), b('f2'))), '2');
  assert.deepEqual(c.hgetall(b('h')).map(([f, v]) => [s(f), s(v)]), [['f1', '1'], ['f2', '2']]);
  assert.equal(c.hdel(b('h'), [b('f1'), b('zz')]), 1n);
  assert.equal(c.sadd(b('s'), [b('a'), b('b'), b('a')]), 2n);
  assert.equal(c.sismember(b('s'), b('a')), true);
  assert.equal(c.srem(b('s'), [b('a')]), 1n);
  assert.deepEqual(c.smembers(b('s')).map(s), ['b']);
  assert.equal(c.zadd(b('z'), [{ member: b('x'), score: 1 }, { member: b('y'), score: 2 }]), 2n);
  assert.equal(c.zincrby(b('z'), 2.5, b('x')), 3.5);
  assert.deepEqual(c.zrange(b('z'), 0n, -1n, false).map((m) => [s(m.member), m.score]), [['y', 2], ['x', 3.5]]);
  assert.deepEqual(c.zrange(b('z'), 0n, 0n, true).map((m) => s(m.member)), ['x']);
  assert.equal(c.zrank(b('z'), b('x'), false), 1n);
  assert.equal(c.zrank(b('z'), b('x'), true), 0n);
  assert.equal(c.zrank(b('z'), b('nope'), false), undefined);
  assert.equal(c.zscore(b('z'), b('y')), 2);
  assert.equal(c.expire(b('z'), 10_000n), true);
  const ttl = c.ttl(b('z'));
  assert.ok(ttl > 9_000n && ttl <= 10_000n);
  assert.equal(c.ttl(b('nope')), -2n);
  assert.equal(c.del([b('z'), b('nope')]), 1n);
  // Streams.
  const id = c.xadd(b('st'), '1-1', [[b('f'), b('v')]], undefined, false);
  assert.equal(id, '1-1');
  assert.equal(c.xadd(b('nost'), undefined, [[b('f'), b('v')]], undefined, true), undefined);
  assert.match(c.xadd(b('st'), undefined, [[b('g'), b('w')]], 10n, false), /^\d+-\d+$/);
  c.xgroupCreate(b('st'), b('grp'), '0', false);
  const read = c.xreadgroup(b('grp'), b('alice'), [[b('st'), '>']], 1n, false);
  assert.equal(read.length, 1);
  assert.equal(s(read[0].key), 'st');
  assert.deepEqual(read[0].entries.map((e) => [e.id, e.fields.map(([f, v]) => s(f) + '=' + s(v))]), [['1-1', ['f=v']]]);
  assert.equal(c.xack(b('st'), b('grp'), ['1-1', '9-9']), 1n);
  assert.throws(() => c.xreadgroup(b('nogrp'), b('a'), [[b('st'), '>']], undefined, false), (e) => e.payload.val.startsWith('NOGROUP'));
  assert.throws(() => c.xack(b('st'), b('grp'), ['bad']), (e) => e.payload.val === 'ERR Invalid stream ID specified as stream command argument');
  assert.equal(c.publish(b('ch'), b('m')), 0n);
});

test('RESP3: HELLO 3 frames', async () => {
  const { engine } = await instantiate();
  const db = engine.Database.open(opts());
  const c = db.connect('');
  const o = c.call([b('HELLO'), b('3')]);
  assert.equal(o.tag, 'done');
  assert.deepEqual(o.val[0], { tag: 'map', val: 7 });
  const [hello] = tree(o.val);
  assert.equal(hello.get('server'), 'redis');
  assert.equal(hello.get('proto'), 3n);
  assert.deepEqual(hello.get('modules'), []);
  // RESP3 kinds after HELLO 3.
  c.call([b('ZADD'), b('z'), b('1.5'), b('m')]);
  assert.deepEqual(c.call([b('ZSCORE'), b('z'), b('m')]), { tag: 'done', val: [{ tag: 'double', val: 1.5 }] });
  assert.deepEqual(c.call([b('GET'), b('nope')]), { tag: 'done', val: [{ tag: 'null' }] });
  c.call([b('SADD'), b('s'), b('x')]);
  assert.deepEqual(c.call([b('SMEMBERS'), b('s')]).val, [{ tag: 'set', val: 1 }, { tag: 'bulk', val: b('x') }]);
  assert.deepEqual(c.call([b('SISMEMBER'), b('s'), b('x')]).val, [{ tag: 'integer', val: 1n }]);
  const info = c.call([b('INFO'), b('server')]).val;
  assert.equal(info.length, 1);
  assert.equal(info[0].tag, 'verbatim');
  assert.equal(info[0].val[0], 'txt');
  assert.match(new TextDecoder().decode(info[0].val[1]), /^# Server\r\nredis_version:7\.0\.15/);
  // A RESP2 client of the same database reads the RESP2 rendering.
  const c2 = db.connect('');
  assert.deepEqual(c2.call([b('ZSCORE'), b('z'), b('m')]).val, [{ tag: 'bulk', val: b('1.5') }]);
  assert.equal(tree(c2.call([b('HELLO')]).val)[0].length, 14);
});

test('BLPOP served by another connection: woken, then take', async () => {
  const { engine } = await instantiate();
  const db = engine.Database.open(opts());
  const waiter = db.connect('');
  const pusher = db.connect('');
  assert.deepEqual(waiter.call([b('BLPOP'), b('q'), b('0')]), { tag: 'blocked' });
  assert.equal(waiter.isBlocked(), true);
  assert.deepEqual(call(waiter, 'GET', 'x'), { error: 'ERR client is blocked' });
  assert.deepEqual([...db.woken()], []);
  assert.deepEqual(waiter.take(), []);
  assert.equal(call(pusher, 'RPUSH', 'q', 'job'), 1n);
  assert.deepEqual([...db.woken()], [waiter.id()]);
  assert.deepEqual(tree(waiter.take()), [['q', 'job']]);
  assert.equal(waiter.isBlocked(), false);
  assert.equal(call(pusher, 'LLEN', 'q'), 0n);
});

test('blocked command timeout through tick', async () => {
  const inst = await instantiate();
  const db = inst.engine.Database.open(opts());
  const c = db.connect('');
  assert.deepEqual(c.call([b('BLPOP'), b('q'), b('1')]), { tag: 'blocked' });
  const at = db.nextWakeup();
  // Redis times out once the deadline has passed.
  assert.equal(at, BigInt(inst.clock.ms + 1001));
  inst.clock.ms += 1001;
  db.tick();
  assert.deepEqual([...db.woken()], [c.id()]);
  assert.deepEqual(tree(c.take()), [null]);
});

test('expiry follows the imported clock', async () => {
  const inst = await instantiate();
  const db = inst.engine.Database.open(opts());
  const c = db.connect('');
  assert.equal(c.set(b('k'), b('v'), { condition: 'always', expiry: { tag: 'after-ms', val: 100n } }), true);
  assert.equal(call(c, 'PTTL', 'k'), 100n);
  // Expired once the time is past the expiry, as in Redis.
  inst.clock.ms += 100;
  assert.equal(s(c.get(b('k'))), 'v');
  inst.clock.ms += 1;
  assert.equal(c.get(b('k')), undefined);
  c.set(b('k2'), b('v'), { condition: 'always', expiry: { tag: 'at-ms', val: BigInt(inst.clock.ms + 5) } });
  assert.equal(call(c, 'PTTL', 'k2'), 5n);
  assert.ok(db.nextWakeup() !== undefined);
  inst.clock.ms += 10;
  db.tick();
  assert.equal(call(c, 'DBSIZE'), 0n);
});

test('pub/sub messages arrive through woken and take', async () => {
  const { engine } = await instantiate();
  const db = engine.Database.open(opts());
  const sub = db.connect('');
  const pub = db.connect('');
  const o = sub.call([b('SUBSCRIBE'), b('a'), b('b')]);
  assert.deepEqual(tree(o.val), [['subscribe', 'a', 1n], ['subscribe', 'b', 2n]]);
  assert.equal(pub.publish(b('a'), b('hello')), 1n);
  assert.equal(call(pub, 'PUBLISH', 'b', 'world'), 1n);
  assert.deepEqual([...db.woken()], [sub.id()]);
  assert.deepEqual(tree(sub.take()), [['message', 'a', 'hello'], ['message', 'b', 'world']]);
  assert.deepEqual(sub.take(), []);
  // RESP3 subscribers get push frames.
  const sub3 = db.connect('');
  sub3.call([b('HELLO'), b('3')]);
  assert.deepEqual(sub3.call([b('SUBSCRIBE'), b('c')]).val[0], { tag: 'push', val: 3 });
  pub.publish(b('c'), b('x'));
  assert.deepEqual([...db.woken()], [sub3.id()]);
  assert.deepEqual(tree(sub3.take()), [{ push: ['message', 'c', 'x'] }]);
});

test('resp and resume speak RESP bytes', async () => {
  const { engine } = await instantiate();
  const db = engine.Database.open(opts());
  const c = db.connect('10.0.0.1:1234');
  const enc = (...a) => b(`*${a.length}\r\n` + a.map((x) => `$${x.length}\r\n${x}\r\n`).join(''));
  let r = c.resp(b('*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n*2\r\n$3\r\nGET\r\n$1\r\nk\r\n*2\r\n$3\r\nGET'), 1 << 20);
  assert.equal(s(r.output), '+OK\r\n$1\r\nv\r\n');
  assert.equal(r.consumed, 47);
  assert.equal(r.blocked, false);
  assert.equal(r.closing, false);
  // The unconsumed rest comes again with more bytes.
  r = c.resp(b('*2\r\n$3\r\nGET\r\n$1\r\nk\r\n'), 1 << 20);
  assert.equal(s(r.output), '$1\r\nv\r\n');
  // Blocking over RESP, served by a call on another connection.
  r = c.resp(enc('BLPOP', 'q', '0'), 0);
  assert.equal(r.blocked, true);
  assert.equal(s(r.output), '');
  const other = db.connect('');
  call(other, 'LPUSH', 'q', 'x');
  assert.deepEqual([...db.woken()], [c.id()]);
  r = c.resume();
  assert.equal(s(r.output), '*2\r\n$1\r\nq\r\n$1\r\nx\r\n');
  assert.equal(r.blocked, false);
  // Output limit: stops after the first reply once past the limit.
  const two = new Uint8Array([...enc('PING'), ...enc('PING')]);
  r = c.resp(two, 1);
  assert.equal(s(r.output), '+PONG\r\n');
  assert.equal(r.consumed, enc('PING').length);
  r = c.resp(b('*1\r\n$4\r\nQUIT\r\n'), 0);
  assert.equal(s(r.output), '+OK\r\n');
  assert.equal(r.closing, true);
  // A protocol error closes the connection.
  const bad = db.connect('');
  r = bad.resp(b('*1\r\n$x\r\n'), 0);
  assert.match(s(r.output), /^-ERR Protocol error/);
  assert.equal(r.closing, true);
});

test('config directives and their errors', async () => {
  const { engine } = await instantiate();
  const db = engine.Database.open(opts({ config: [['maxmemory', '1mb'], ['maxmemory-policy', 'allkeys-lru'], ['databases', '4']] }));
  const c = db.connect('');
  assert.deepEqual(call(c, 'CONFIG', 'GET', 'maxmemory-policy'), ['maxmemory-policy', 'allkeys-lru']);
  assert.deepEqual(call(c, 'SELECT', '4'), { error: 'ERR DB index is out of range' });
  assert.throws(() => engine.Database.open(opts({ config: [['maxmemory', 'lots']] })), (e) => e.payload.tag === 'config' && e.payload.val.includes('maxmemory'));
  assert.throws(() => engine.Database.open(opts({ config: [['no-such', '1']] })), (e) => e.payload.tag === 'config');
});

test('shutdown refuses further calls', async () => {
  const { engine } = await instantiate();
  const db = engine.Database.open(opts());
  const c = db.connect('');
  db.shutdown(false);
  assert.deepEqual(call(c, 'PING'), { error: 'ERR the database was shut down' });
  assert.throws(() => c.get(b('k')), (e) => e.payload.tag === 'reply');
  assert.throws(() => db.save(), (e) => e.payload.tag === 'reply');
  assert.equal(c.resp(b('*1\r\n$4\r\nPING\r\n'), 0).closing, true);
  db.tick();
});
