// redlet/ioredis against ioredis 6 talking to redis-server 7.0.15: every
// case runs on both, and their results (values, value types, Buffers, and
// errors' class names and messages) must be deepStrictEqual.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startRedisServer } from './servers.mjs';
import IORedis from 'ioredis';
import Redis, { Redis as NamedRedis } from '../dist/ioredis.js';
import { KEY_SPECS } from '../dist/commands.js';
import { Redlet } from '../dist/index.js';

let server;
let port;
let db;

before(async () => {
  ({ port, proc: server } = await startRedisServer());
  db = await Redlet.open();
});

after(async () => {
  server?.kill('SIGKILL');
  await db?.close();
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A value with errors replaced by what is compared of them: class name and message. */
function norm(v) {
  if (v instanceof Error) return { error: v.name, message: v.message };
  if (Array.isArray(v)) return v.map(norm);
  if (v && typeof v === 'object' && !Buffer.isBuffer(v) && !(v instanceof Map)) {
    const o = {};
    for (const k of Object.keys(v)) o[k] = norm(v[k]);
    return o;
  }
  return v;
}

/** The result of `p`, or its rejection as a value. */
const settle = (p) => Promise.resolve(p).then((v) => v, (e) => e);

/** Resolves once `f()` is true (or after 2 s, so a mismatch shows in the comparison). */
async function until(f) {
  for (let i = 0; i < 200 && !f(); i++) await sleep(10);
}

/**
 * Runs `body(mk)` against ioredis + redis-server and against redlet/ioredis,
 * after a FLUSHALL on each, and compares what it returns. `mk(opts)` makes
 * a client of the side being tested; every client is disconnected after.
 */
function same(name, body) {
  test(name, { timeout: 30000 }, async () => {
    const sides = {
      ioredis: (opts = {}) => new IORedis({ port, host: '127.0.0.1', ...opts }),
      redlet: (opts = {}) => new Redis({ engine: db, ...opts }),
    };
    const out = {};
    for (const [side, make] of Object.entries(sides)) {
      const made = [];
      const mk = (opts) => {
        const c = make(opts);
        c.on('error', () => {});
        made.push(c);
        return c;
      };
      const admin = mk();
      await admin.flushall();
      try {
        out[side] = norm(await body(mk, side));
      } finally {
        for (const c of made) c.disconnect();
      }
    }
    assert.deepStrictEqual(out.redlet, out.ioredis);
  });
}

same('strings: SET options, GET, INCR*, MSET/MGET with objects and Maps, getBuffer, errors', async (mk) => {
  const r = mk();
  return [
    await r.set('s', 'v'),
    await r.set('s', 'w', 'EX', 100),
    await r.ttl('s'),
    await r.set('s', 'x', 'NX'),
    await r.set('n', 'x', 'NX'),
    await r.set('s', 'y', 'GET'),
    await r.get('s'),
    await r.get('missing'),
    await r.set('i', 10),
    await r.incr('i'),
    await r.incrby('i', -20),
    await r.decr('i'),
    await r.incrbyfloat('i', '1.5'),
    await r.incrbyfloat('f', 0.1),
    await r.mset({ a: 1, b: 'two', c: '' }),
    await r.mget('a', 'b', 'c', 'nope'),
    await r.mget(['a', 'b']),
    await r.mset(new Map([['m1', 'x'], ['m2', 'y']])),
    await r.msetnx({ m1: 'z', m3: 'w' }),
    await r.mget('m1', 'm2', 'm3'),
    await r.getBuffer('a'),
    await r.getBuffer('missing'),
    await r.set('bin', Buffer.from([0, 255, 1])),
    await r.getBuffer('bin'),
    await r.append('a', 'more'),
    await r.strlen('a'),
    await r.getrange('a', 1, 3),
    await r.setrange('a', 1, 'Z'),
    await r.get('a'),
    await r.set('big', '1000000000000000'),
    await r.incrby('big', 1),
    await r.set('n', null),
    await r.get('n'),
    await settle(r.incr('b')),
    await settle(r.set('s', 'v', 'EX', 0)),
    await r.hset('h', 'f', 'v'),
    await settle(r.get('h')),
    await settle(r.call('nosuchcommand', 'x')),
    await settle(r.set('onlykey')),
    await r.call('SET', 'viacall', 'v'),
    await r.call('get', ['viacall']),
    await r.callBuffer('get', 'viacall'),
  ];
});

same('hashes: HSET with an object or Map, HGETALL (object, {} when missing), hgetallBuffer, HMGET', async (mk) => {
  const r = mk();
  return [
    await r.hset('h', { a: 1, b: 'x', c: '' }),
    await r.hset('h', 'd', 4, 'e', 5),
    await r.hset('h', new Map([['f', 'six']])),
    await r.hmset('h', { g: 7 }),
    await r.hgetall('h'),
    await r.hgetall('missing'),
    await r.hgetallBuffer('h'),
    await r.hmget('h', 'a', 'nope', 'c'),
    await r.hmget('h', ['d', 'e']),
    await r.hget('h', 'b'),
    await r.hgetBuffer('h', 'b'),
    await r.hincrby('h', 'a', 5),
    await r.hincrbyfloat('h', 'a', '0.25'),
    await r.hlen('h'),
    await r.hexists('h', 'zz'),
    await r.hdel('h', 'a', 'zz'),
    (await r.hkeys('h')).sort(),
    await r.hsetnx('h', 'b', 'no'),
    await r.hstrlen('h', 'f'),
    await r.hset('p', '__proto__', 'x', 'constructor', 'y'),
    Object.entries(await r.hgetall('p')).sort(),
    await r.call('HGETALL', 'p'),
    await settle(r.hset('h')),
    await r.set('s', 1),
    await settle(r.hgetall('s')),
  ];
});

same('lists', async (mk) => {
  const r = mk();
  return [
    await r.rpush('l', 'a', ['b', 'c'], 4),
    await r.lpush('l', 'z'),
    await r.lrange('l', 0, -1),
    await r.lrangeBuffer('l', 0, 1),
    await r.lindex('l', 2),
    await r.linsert('l', 'BEFORE', 'c', 'bc'),
    await r.lpos('l', 'c'),
    await r.lpop('l'),
    await r.rpop('l', 2),
    await r.llen('l'),
    await r.lmove('l', 'l2', 'LEFT', 'RIGHT'),
    await r.lset('l', 0, 'first'),
    await r.ltrim('l', 0, 0),
    await r.lrange('l', 0, -1),
    await r.lpop('nolist'),
    await r.lpop('nolist', 2),
    await settle(r.lset('nolist', 0, 'x')),
  ];
});

same('sets', async (mk) => {
  const r = mk();
  return [
    await r.sadd('s', 'a', 'b', 'c', 'a'),
    await r.sadd('t', ['b', 'c', 'd']),
    (await r.smembers('s')).sort(),
    await r.sismember('s', 'a'),
    await r.smismember('s', 'a', 'x'),
    await r.scard('s'),
    (await r.sinter('s', 't')).sort(),
    await r.sunionstore('u', 's', 't'),
    (await r.sdiff('u', 's')).sort(),
    await r.srem('s', 'a', 'x'),
    await r.sintercard(2, 's', 't'),
    await r.sadd('ints', 3, 1, 2),
    await r.smembers('ints'),
  ];
});

same('sorted sets with WITHSCORES', async (mk) => {
  const r = mk();
  return [
    await r.zadd('z', 1, 'a', 2.5, 'b', '1.1', 'c', -3, 'd'),
    await r.zrange('z', 0, -1),
    await r.zrange('z', 0, -1, 'WITHSCORES'),
    await r.zrangeBuffer('z', 0, 0, 'WITHSCORES'),
    await r.zrevrange('z', 0, 1, 'WITHSCORES'),
    await r.zrangebyscore('z', '-inf', '+inf', 'WITHSCORES', 'LIMIT', 1, 2),
    await r.zrange('z', '(1', 3, 'BYSCORE'),
    await r.zscore('z', 'c'),
    await r.zscore('z', 'nope'),
    await r.zmscore('z', 'a', 'nope'),
    await r.zincrby('z', 0.1, 'a'),
    await r.zadd('z', 'INCR', 1, 'a'),
    await r.zadd('z', 'NX', 5, 'a'),
    await r.zrank('z', 'b'),
    await r.zcount('z', 0, 10),
    await r.zpopmin('z'),
    await r.zpopmax('z', 2),
    await r.zadd('y', 1, 'x', 2, 'a'),
    await r.zunion(2, 'z', 'y', 'WITHSCORES'),
    await r.zinterstore('out', 2, 'z', 'y', 'WEIGHTS', 2, 3),
    await r.zrange('out', 0, -1, 'WITHSCORES'),
    await r.zadd('inf', '+inf', 'x'),
    await r.zscore('inf', 'x'),
    await r.zrandmember('out', 1, 'WITHSCORES'),
    await settle(r.zadd('z', 'x', 'a')),
  ];
});

same('streams: XADD, XRANGE, XREAD, XREADGROUP, XACK, XPENDING', async (mk) => {
  const r = mk();
  return [
    await r.xadd('st', '1-1', 'f', 'v', 'g', 'w'),
    await r.xadd('st', '2-0', 'f', 'v2'),
    await r.xadd('st', 'MAXLEN', '~', 100, '3-0', 'x', 1),
    await r.xlen('st'),
    await r.xrange('st', '-', '+'),
    await r.xrevrange('st', '+', '-', 'COUNT', 1),
    await r.xread('COUNT', 2, 'STREAMS', 'st', '0'),
    await r.xread('STREAMS', 'st', '$'),
    await r.xgroup('CREATE', 'st', 'g', '0'),
    await r.xreadgroup('GROUP', 'g', 'c1', 'COUNT', 2, 'STREAMS', 'st', '>'),
    await r.xreadgroupBuffer('GROUP', 'g', 'c1', 'COUNT', 1, 'STREAMS', 'st', '>'),
    await r.xack('st', 'g', '1-1'),
    await r.xpending('st', 'g'),
    await r.xpending('st', 'g', '-', '+', 10).then((rows) => rows.map((row) => [row[0], row[1], row[3]])),
    await r.xdel('st', '2-0'),
    await r.xtrim('st', 'MAXLEN', 1),
    await r.xrange('st', '-', '+'),
    await settle(r.xadd('st', '1-0', 'f', 'v')),
    await settle(r.xgroup('CREATE', 'st', 'g', '0')),
  ];
});

same('keys: EXISTS, TYPE, EXPIRE/TTL, RENAME, KEYS, SCAN, DBSIZE', async (mk) => {
  const r = mk();
  await r.mset({ k1: 1, k2: 2, k3: 3, other: 4 });
  const seen = [];
  let cursor = '0';
  do {
    const [next, keys] = await r.scan(cursor, 'MATCH', 'k*', 'COUNT', 2);
    cursor = next;
    seen.push(...keys);
  } while (cursor !== '0');
  return [
    seen.sort(),
    await r.exists('k1', 'k2', 'nope'),
    await r.type('k1'),
    await r.type('nope'),
    await r.expire('k1', 100),
    await r.ttl('k1'),
    await r.ttl('k2'),
    await r.ttl('nope'),
    await r.persist('k1'),
    await r.pexpire('k2', 100000),
    (await r.pttl('k2')) > 99000,
    await r.rename('k3', 'k4'),
    await settle(r.rename('nope', 'x')),
    (await r.keys('k*')).sort(),
    await r.dbsize(),
    await r.del('k1', 'k2', 'nope'),
    await r.unlink('k4'),
    await r.copy('other', 'copy'),
    await r.get('copy'),
    await r.object('ENCODING', 'other'),
    await r.randomkey().then((k) => typeof k),
  ];
});

same('pipeline: [[err, result], …] with an error inside, callbacks, batches', async (mk) => {
  const r = mk();
  const cbs = [];
  const res = await r
    .pipeline()
    .set('a', 1)
    .incr('a')
    .hset('h', { f: 'v' })
    .hgetall('h')
    .incr('h', (err, v) => cbs.push(['incr', err, v]))
    .get('a', (err, v) => cbs.push(['get', err, v]))
    .getBuffer('a')
    .lpush('a', 'x')
    .exec();
  const batch = await r.pipeline([['set', 'b', 2], ['get', 'b'], ['hgetall', 'h']]).exec();
  const empty = await r.pipeline().exec();
  const viaCb = await new Promise((resolve) => r.pipeline().get('a').exec((err, v) => resolve([err, v])));
  const p = r.pipeline().get('a').get('b');
  return [res, cbs, batch, empty, viaCb, p.length];
});

same('multi: exec results, runtime errors, EXECABORT, pipeline: false, WATCH conflicts', async (mk) => {
  const r = mk();
  const other = mk();
  const out = [];
  out.push(await r.multi().set('a', 1).incr('a').hset('h', 'f', 'v').hgetall('h').incr('h').getBuffer('a').exec());
  const abort = await settle(r.multi().set('a', 5).incr().get('a').exec());
  out.push(abort, (abort.previousErrors ?? []).map((e) => e.message), await r.get('a'));
  out.push(await r.multi([['set', 'c', 3], ['get', 'c']]).exec());
  out.push(await r.multi({ pipeline: false }), await r.set('d', 4), await r.get('d'), await r.exec());
  out.push(await new Promise((resolve) => r.multi().get('d').exec((err, v) => resolve([err, v]))));
  out.push(await r.watch('w'), await other.set('w', 'changed'), await r.multi().set('w', 'mine').exec(), await r.get('w'));
  out.push(await r.watch('w'), await r.multi().set('w', 'mine').exec(), await r.get('w'));
  out.push(await settle(r.exec()));
  out.push(await r.multi().exec());
  return out;
});

same('pub/sub: counts, message/messageBuffer, pmessage, smessage, subscribed mode', async (mk) => {
  const sub = mk();
  const pub = mk();
  const got = [];
  for (const ev of ['message', 'messageBuffer', 'pmessage', 'pmessageBuffer', 'smessage', 'smessageBuffer']) {
    sub.on(ev, (...args) => got.push([ev, ...args]));
  }
  const out = [];
  out.push(await sub.subscribe('c1', 'c2'));
  out.push(await sub.subscribe('c3'));
  out.push(await sub.psubscribe('p*'));
  out.push(await sub.ssubscribe('s1'));
  out.push(await pub.publish('c1', 'hello'));
  out.push(await pub.publish('p1', Buffer.from([1, 2])));
  out.push(await pub.spublish('s1', 'shard'));
  out.push(await pub.publish('nobody', 'x'));
  await until(() => got.length >= 8);
  out.push(got);
  // ioredis 6 speaks RESP3 by default: a subscribed connection runs any command.
  out.push(await sub.set('k', 'v'), await sub.get('k'), await sub.hgetall('nohash'), await sub.zscore('nope', 'x'));
  out.push(await sub.unsubscribe('c1'));
  // (ioredis 6 never settles PUNSUBSCRIBE without arguments while channels remain: name the pattern.)
  out.push(await sub.punsubscribe('p*'));
  out.push(await sub.sunsubscribe());
  out.push(await sub.unsubscribe());
  out.push(await sub.unsubscribe());
  out.push(await sub.get('k'));
  // protocol 2: ioredis rejects other commands while subscribed.
  const old = mk({ protocol: 2 });
  const got2 = [];
  old.on('message', (...a) => got2.push(a));
  out.push(await old.subscribe('c1'), await settle(old.get('k')), await pub.publish('c1', 'two'));
  await until(() => got2.length >= 1);
  out.push(got2, await old.unsubscribe(), await old.get('k'));
  return out;
});

same('blocking: BLPOP served by another client and timing out, BRPOPLPUSH, BZPOPMIN, XREAD BLOCK', async (mk) => {
  const a = mk();
  const b = mk();
  const p1 = a.blpop('q', 'q2', 0);
  await sleep(20);
  const pushed = await b.rpush('q2', 'x', 'y');
  const served = await p1;
  const timedOut = await a.blpop('empty', 0.1);
  const p2 = a.brpoplpush('src', 'dst', 1);
  await sleep(20);
  await b.rpush('src', 'v');
  const moved = [await p2, await b.lrange('dst', 0, -1)];
  const p3 = a.bzpopmin('zq', 1);
  await sleep(20);
  await b.zadd('zq', 2, 'm');
  const zpopped = await p3;
  const p4 = a.xread('BLOCK', 1000, 'STREAMS', 'xs', '$');
  await sleep(20);
  await b.xadd('xs', '5-1', 'f', 'v');
  const xr = await p4;
  // Commands sent while blocked wait for it, as on a connection.
  const p5 = a.blpop('later', 1);
  const after = a.get('k');
  await sleep(20);
  await b.rpush('later', 'L');
  return [pushed, served, timedOut, moved, zpopped, xr, await p5, await after, await a.blpop('q2', 0.05)];
});

same('select and the db option', async (mk) => {
  const one = mk({ db: 1 });
  const zero = mk();
  const out = [await one.set('k', 'in1'), await zero.get('k'), await one.get('k')];
  const selected = [];
  zero.on('select', (n) => selected.push(n));
  out.push(await zero.select(1), await zero.get('k'), await zero.select(2), await zero.get('k'));
  await sleep(5);
  out.push(selected, await settle(zero.select(99)));
  const viaUrl = mk({ db: '1' });
  out.push(await viaUrl.get('k'));
  return out;
});

same('keyPrefix', async (mk) => {
  const p = mk({ keyPrefix: 'pre:' });
  const plain = mk();
  const out = [
    await p.set('a', 1),
    await p.mset({ b: 2, c: 3 }),
    await p.mget('a', 'b', 'nope'),
    await p.hset('h', { f: 'v' }),
    await p.hgetall('h'),
    await p.rpush('l', 'x'),
    await p.blpop('l', 'other', 1),
    await p.zadd('z1', 1, 'a'),
    await p.zadd('z2', 2, 'a'),
    await p.zunionstore('zu', 2, 'z1', 'z2'),
    await p.xadd('s', '1-0', 'f', 'v'),
    await p.xread('STREAMS', 's', '0'),
    await p.object('ENCODING', 'a'),
    await p.set(Buffer.from('buf'), 'b'),
    await p.rename('a', 'a2'),
  ];
  out.push((await plain.keys('*')).sort());
  const dup = p.duplicate();
  dup.on('error', () => {});
  out.push(await dup.get('a2'));
  dup.disconnect();
  return out;
});

same('callbacks', async (mk) => {
  const r = mk();
  const cb = (f) => new Promise((resolve) => f((err, v) => resolve([err, v])));
  return [
    await cb((c) => r.set('k', 'v', c)),
    await cb((c) => r.get('k', c)),
    await cb((c) => r.hgetall('k', c)),
    await cb((c) => r.getBuffer('k', c)),
    await cb((c) => r.call('get', 'k', c)),
  ];
});

same('status, events, duplicate, quit, disconnect, lazyConnect', async (mk) => {
  const r = mk();
  const events = [];
  for (const ev of ['connecting', 'connect', 'ready', 'close', 'end']) r.on(ev, () => events.push(ev));
  const initial = r.status;
  await new Promise((resolve) => r.once('ready', resolve));
  const ready = r.status;
  const dup = r.duplicate();
  dup.on('error', () => {});
  const dupRes = [await dup.set('d', 1), await r.get('d')];
  const ended = new Promise((resolve) => r.once('end', resolve));
  const quit = await r.quit();
  await ended;
  const afterQuit = [r.status, await settle(r.get('d')), events];
  const lazy = mk({ lazyConnect: true });
  const lazyStatus = lazy.status;
  const lazyGet = await lazy.get('d');
  dup.disconnect();
  const dupEnded = await new Promise((resolve) => (dup.status === 'end' ? resolve('end') : dup.once('end', () => resolve(dup.status))));
  const again = mk({ lazyConnect: true });
  await again.connect();
  const twice = await settle(again.connect());
  const blocked = mk();
  const pending = settle(blocked.blpop('never', 0));
  await sleep(20);
  blocked.disconnect();
  return [initial, ready, dupRes, quit, afterQuit, lazyStatus, lazyGet, dupEnded, await settle(dup.get('d')), twice, await pending];
});

test('new Redis() without engine uses one shared engine', async () => {
  const a = new Redis({ host: 'example.invalid', port: 1 });
  const b = new NamedRedis();
  assert.equal(a.status, 'connecting');
  // Commands issued before the engine is ready are queued.
  const set = a.set('shared', 'yes');
  assert.equal(await set, 'OK');
  assert.equal(await b.get('shared'), 'yes');
  assert.equal(await b.client('ID').then((id) => typeof id), 'number');
  assert.notEqual(await a.client('ID'), await b.client('ID'));
  await a.quit();
  await b.quit();
});

test('defineCommand adds a method and its Buffer variant (the cases against ioredis are in scripting.test.mjs)', async () => {
  const r = new Redis({ engine: db, lazyConnect: true });
  r.defineCommand('x', { lua: 'return ARGV[1]', numberOfKeys: 0 });
  assert.equal(await r.x('one'), 'one');
  assert.deepEqual(await r.xBuffer('two'), Buffer.from('two'));
  r.disconnect();
});

test('ts/commands.ts matches the engine COMMAND table (regenerate it if this fails)', async () => {
  const table = {};
  for (const r of db.call('COMMAND')) {
    const e = [r[3], r[4], r[5]];
    const subs = {};
    for (const s of r[9] ?? []) if (s[3] || s[4] || s[5]) subs[String(s[0]).split('|')[1]] = [s[3], s[4], s[5]];
    if (Object.keys(subs).length) e.push(subs);
    table[r[0]] = e;
  }
  assert.deepStrictEqual(JSON.parse(JSON.stringify(KEY_SPECS)), table);
});

test('integers beyond 2^53 are numbers, as ioredis gives them; the package exports the class as redlet/ioredis', async () => {
  const viaExports = await import('redlet/ioredis');
  assert.equal(viaExports.default, Redis);
  assert.equal(viaExports.Redis, Redis);
  const r = new Redis({ engine: db });
  await r.set('huge', '1152921504606846976');
  assert.equal(await r.incr('huge'), 1152921504606846977);
  assert.equal(typeof (await r.incr('huge')), 'number');
  await r.quit();
});
