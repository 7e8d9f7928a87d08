// Lua scripting through the JS faces, each compared with redis-server
// 7.0.15: `db.call('EVAL', …)` against the same command sent raw to the
// server (its RESP2/RESP3 reply parsed into the JS shapes `db.call` gives),
// and redlet/ioredis (eval, evalsha, defineCommand, pipelines, MULTI,
// keyPrefix, the NOSCRIPT fallback) against ioredis 6 on the server,
// including the two patterns users write: a lock release and a
// sliding-window rate limiter.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { connect } from 'node:net';
import IORedis from 'ioredis';
import { getKeyIndexes } from '@ioredis/commands';
import Redis, { sha1hex, keyIndexes } from '../dist/ioredis.js';
import { Redlet, ReplyError } from '../dist/index.js';
import { startRedisServer } from './servers.mjs';

let server;
let port;
let db;

before(async () => {
  ({ port, proc: server } = await startRedisServer());
  db = await Redlet.open({ seed: 1 });
});

after(async () => {
  server?.kill('SIGKILL');
  await db?.close({ save: false });
});

// ---------------------------------------------------------------------------
// A raw RESP connection to redis-server whose replies take the shapes
// `db.call` gives (see js/src/lib.rs `to_js`): maps as Map in RESP3 (flat
// arrays in RESP2), sets as arrays, doubles as numbers, big numbers as
// bigint, integers beyond 2^53 as bigint, booleans, null, errors as
// ReplyError values.

class Raw {
  constructor(sock) {
    this.sock = sock;
    this.buf = Buffer.alloc(0);
    this.waiting = [];
    sock.on('data', (d) => {
      this.buf = Buffer.concat([this.buf, d]);
      this.pump();
    });
  }

  static open() {
    return new Promise((resolve, reject) => {
      const s = connect(port, '127.0.0.1', () => resolve(new Raw(s)));
      s.once('error', reject);
    });
  }

  pump() {
    while (this.waiting.length) {
      const r = parse(this.buf, 0);
      if (!r) return;
      this.buf = this.buf.subarray(r[1]);
      this.waiting.shift()(r[0]);
    }
  }

  /** Sends a command; resolves with its reply (an error reply as a ReplyError value). */
  call(...args) {
    const parts = [`*${args.length}\r\n`];
    for (const a of args) {
      const b = Buffer.from(String(a));
      parts.push(`$${b.length}\r\n`, b, '\r\n');
    }
    this.sock.write(Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : p))));
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.pump();
    });
  }

  close() {
    this.sock.destroy();
  }
}

/** One RESP2/RESP3 reply at `at`: [value, next offset], or null when incomplete. */
function parse(buf, at) {
  const eol = buf.indexOf('\r\n', at);
  if (eol < 0) return null;
  const type = String.fromCharCode(buf[at]);
  const line = buf.toString('utf8', at + 1, eol);
  let next = eol + 2;
  const bulk = () => {
    const n = Number(line);
    if (n < 0) return [null, next];
    if (buf.length < next + n + 2) return null;
    return [buf.subarray(next, next + n).toString('utf8'), next + n + 2];
  };
  const items = (n) => {
    const out = [];
    for (let i = 0; i < n; i++) {
      const r = parse(buf, next);
      if (!r) return null;
      out.push(r[0]);
      next = r[1];
    }
    return [out, next];
  };
  switch (type) {
    case '+':
      return [line, next];
    case '-':
      return [new ReplyError(line), next];
    case ':': {
      const n = BigInt(line);
      return [n >= -9007199254740991n && n <= 9007199254740991n ? Number(n) : n, next];
    }
    case '$':
      return bulk();
    case '=': {
      const r = bulk();
      return r && [r[0].slice(4), r[1]];
    }
    case '!': {
      const r = bulk();
      return r && [new ReplyError(r[0]), r[1]];
    }
    case '_':
      return [null, next];
    case '#':
      return [line === 't', next];
    case ',':
      return [line === 'inf' ? Infinity : line === '-inf' ? -Infinity : Number(line), next];
    case '(':
      return [BigInt(line), next];
    case '*':
    case '~':
    case '>':
      if (Number(line) < 0) return [null, next];
      return items(Number(line));
    case '%': {
      const r = items(Number(line) * 2);
      if (!r) return null;
      const m = new Map();
      for (let i = 0; i < r[0].length; i += 2) m.set(r[0][i], r[0][i + 1]);
      return [m, r[1]];
    }
  }
  throw new Error(`unexpected RESP type ${type}`);
}

/** db.call's result, or the ReplyError it threw, as a value. */
function callValue(client, ...args) {
  try {
    return client.call(...args);
  } catch (e) {
    if (!(e instanceof ReplyError)) throw e;
    return e;
  }
}

/** A value with errors replaced by what is compared of them: class name and message (also inside Maps). */
function norm(v) {
  if (v instanceof Error) return { error: v.name, message: v.message };
  if (Array.isArray(v)) return v.map(norm);
  if (v instanceof Map) return new Map([...v].map(([k, x]) => [norm(k), norm(x)]));
  if (v && typeof v === 'object' && !Buffer.isBuffer(v)) {
    const o = {};
    for (const k of Object.keys(v)) o[k] = norm(v[k]);
    return o;
  }
  return v;
}

/** Scripts whose replies (and errors) cover the conversions from Lua to RESP2 and RESP3. */
const CONVERSIONS = [
  ['return 1', 0],
  ['return 3.99', 0],
  ['return -3.99', 0],
  ['return 2^53 + 2', 0],
  // C's (long long) cast on x86-64: INT64_MIN for anything out of range, infinities and NaN.
  ['return 1e300', 0],
  ['return -1e300', 0],
  ['return 2^63', 0],
  ['return 0/0', 0],
  ['return 1/0', 0],
  ['return {9.3e18, -1/0}', 0],
  ['return "text"', 0],
  ["return ''", 0],
  ['return true', 0],
  ['return false', 0],
  ['return nil', 0],
  ['return {}', 0],
  ['return {1, "two", {3, {4.5, "five"}}, false, 6}', 0],
  ['return {1, 2, nil, 4}', 0],
  ['return {1, true, false}', 0],
  ["return {ok = 'FINE'}", 0],
  ["return {err = 'MYERR custom failure'}", 0],
  ["return {err = 'no code here'}", 0],
  ["return redis.status_reply('PONG')", 0],
  ["return redis.error_reply('WRONG thing')", 0],
  ["return {redis.status_reply('A'), redis.error_reply('B inside'), 'c'}", 0],
  ["return {redis.pcall('INCR', KEYS[1])}", 1, 'str'],
  ["return redis.call('INCR', KEYS[1])", 1, 'str'],
  ["return redis.call('GET', KEYS[1])", 1, 'str'],
  ["return redis.call('GET', KEYS[1])", 1, 'missing'],
  ["return {redis.call('HGETALL', KEYS[1]), redis.call('SMEMBERS', KEYS[2])}", 2, 'h', 's'],
  ["return redis.call('ZRANGE', KEYS[1], 0, -1, 'WITHSCORES')", 1, 'z'],
  ["return redis.call('ZSCORE', KEYS[1], 'a')", 1, 'z'],
  ['return {KEYS[1], KEYS[2], ARGV[1], ARGV[2], #KEYS, #ARGV}', 2, 'k1', 'k2', 'a1', 'a2'],
  ["return redis.sha1hex('')", 0],
  ["return tostring(10/2) .. ' ' .. tostring(1/3)", 0],
  ['return cjson.encode({a = {1, 2, 3}})', 0],
  ["error('plain lua error')", 0],
  // Redis's error handler: 'ERR ' .. tostring(err). (error({}) crashes redis-server 7.0.15.)
  ['error()', 0],
  ['error(nil)', 0],
  ['error(5)', 0],
  ["error({err = 'TABLE error as table'})", 0],
  ['return x.y', 0],
  ['syntax error here', 0],
  ['undefined_global = 1', 0],
  ["return redis.call('NOSUCHCOMMAND')", 0],
  ["return redis.call('SET', KEYS[1])", 1, 'k'],
  ["return redis.call('LPUSH', KEYS[1], 'x')", 1, 'str'],
  ['return 1', 'x'],
  ['return 1', -1],
  ['return 1', 5, 'a'],
];

/** The same scripts after redis.setresp(3), where doubles, maps, sets, booleans and big numbers exist. */
const RESP3_CONVERSIONS = [
  ["redis.setresp(3) return redis.call('HGETALL', KEYS[1])", 1, 'h'],
  ["redis.setresp(3) return redis.call('SMEMBERS', KEYS[1])", 1, 's'],
  ["redis.setresp(3) return redis.call('ZSCORE', KEYS[1], 'a')", 1, 'z'],
  ["redis.setresp(3) return redis.call('EXISTS', KEYS[1]) == 1", 1, 'h'],
  ["redis.setresp(3) local r = redis.call('ZSCORE', KEYS[1], 'a') return {type(r), r.double}", 1, 'z'],
  ["redis.setresp(3) local r = redis.call('HGETALL', KEYS[1]) return {type(r.map), r.map.f}", 1, 'h'],
  ['return {map = {a = 1}}', 0],
  ["return {set = {x = true}}", 0],
  ['return {double = 3.5}', 0],
  ["return {big_number = '123456789012345678901234567890'}", 0],
  ['return true', 0],
  ['return false', 0],
  ['return nil', 0],
];

async function seedData(call) {
  await call('FLUSHALL');
  await call('SET', 'str', 'hello');
  await call('HSET', 'h', 'f', 'v');
  await call('SADD', 's', 'm');
  await call('ZADD', 'z', '1.5', 'a', '2', 'b');
}

test('db.call EVAL: replies convert from Lua as on redis-server (RESP2)', async () => {
  const raw = await Raw.open();
  const c = db.client();
  try {
    await seedData((...a) => raw.call(...a));
    await seedData((...a) => c.call(...a));
    for (const [script, ...rest] of CONVERSIONS) {
      const want = norm(await raw.call('EVAL', script, ...rest));
      const got = norm(callValue(c, 'EVAL', script, ...rest));
      assert.deepStrictEqual(got, want, `EVAL ${JSON.stringify(script)} ${rest.join(' ')}`);
    }
  } finally {
    raw.close();
    c.close();
  }
});

test('db.call EVAL: replies convert from Lua as on redis-server (RESP3)', async () => {
  const raw = await Raw.open();
  const c = db.client();
  try {
    await raw.call('HELLO', '3');
    c.call('HELLO', '3');
    await seedData((...a) => raw.call(...a));
    await seedData((...a) => c.call(...a));
    for (const [script, ...rest] of [...CONVERSIONS, ...RESP3_CONVERSIONS]) {
      const want = norm(await raw.call('EVAL', script, ...rest));
      const got = norm(callValue(c, 'EVAL', script, ...rest));
      assert.deepStrictEqual(got, want, `EVAL ${JSON.stringify(script)} ${rest.join(' ')} (RESP3)`);
    }
  } finally {
    raw.close();
    c.close();
  }
});

test('db.call EVAL: the JS values, and errors thrown as ReplyError with Redis text', () => {
  assert.equal(db.call('EVAL', 'return 3.99', 0), 3);
  assert.deepEqual(db.call('EVAL', 'return {1, "two", {3, {4.5}}, false, 6}', 0), [1, 'two', [3, [4]], null, 6]);
  assert.equal(db.call('EVAL', 'return nil', 0), null);
  assert.equal(db.call('EVAL', "return {ok = 'FINE'}", 0), 'FINE');
  assert.equal(db.call('EVAL', 'return 2^53 + 2', 0), 9007199254740994n);
  assert.throws(
    () => db.call('EVAL', "return {err = 'MYERR custom failure'}", 0),
    (e) => e instanceof ReplyError && e.code === 'MYERR' && e.message === 'MYERR custom failure',
  );
  const sha = sha1hex("error('boom')");
  assert.throws(() => db.call('EVAL', "error('boom')", 0), {
    name: 'ReplyError',
    message: `ERR user_script:1: boom script: ${sha}, on @user_script:1.`,
  });
  assert.throws(() => db.call('EVALSHA', 'ffffffffffffffffffffffffffffffffffffffff', 0), {
    name: 'ReplyError',
    message: 'NOSCRIPT No matching script. Please use EVAL.',
  });
  const loaded = db.call('SCRIPT', 'LOAD', 'return ARGV[1]');
  assert.equal(loaded, sha1hex('return ARGV[1]'));
  assert.equal(db.call('EVALSHA', loaded, 0, 'x'), 'x');
  assert.deepEqual(db.callBuffer('EVALSHA', loaded, 0, new Uint8Array([0, 255])), new Uint8Array([0, 255]));
  assert.deepEqual(db.call('SCRIPT', 'EXISTS', loaded, 'ffffffffffffffffffffffffffffffffffffffff'), [1, 0]);
});

test('sha1hex equals node:crypto', () => {
  for (const s of ['', 'a', 'return 1', 'x'.repeat(55), 'x'.repeat(56), 'x'.repeat(64), 'y'.repeat(1000), 'héllo ☃ 𝄞']) {
    assert.equal(sha1hex(s), createHash('sha1').update(s).digest('hex'), JSON.stringify(s.slice(0, 10)));
  }
});

test('key positions of the scripting commands (for keyPrefix) equal ioredis\'s, FCALL included', () => {
  for (const name of ['eval', 'evalsha', 'eval_ro', 'evalsha_ro', 'fcall', 'fcall_ro', 'script', 'function']) {
    for (const args of [['x', 0], ['x', 0, 'a'], ['x', 1, 'k', 'a'], ['x', '2', 'k1', 'k2', 'a', 'b'], ['LOAD', 'return 1'], ['x', 3, 'k']]) {
      const theirs = getKeyIndexes(name, args).filter((i) => i < args.length);
      assert.deepStrictEqual(keyIndexes(name, args), theirs, `${name} ${args.join(' ')}`);
    }
  }
});

// ---------------------------------------------------------------------------
// redlet/ioredis against ioredis 6 on redis-server.

/** The result of `p`, or its rejection as a value. */
const settle = (p) => Promise.resolve(p).then((v) => v, (e) => e);

/**
 * Runs `body(mk)` against ioredis + redis-server and against redlet/ioredis
 * (after a FLUSHALL and SCRIPT FLUSH on each) and compares what it returns.
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
      await admin.script('FLUSH');
      try {
        out[side] = norm(await body(mk, side));
      } finally {
        for (const c of made) c.disconnect();
      }
    }
    assert.deepStrictEqual(out.redlet, out.ioredis);
  });
}

/** Calls, rejected and failed calls of EVAL, EVALSHA and SCRIPT while `run` runs (INFO commandstats after CONFIG RESETSTAT), sorted. */
async function scriptCommandStats(mk, run) {
  const admin = mk();
  await admin.config('RESETSTAT');
  await run();
  const info = await admin.info('commandstats');
  return info
    .split('\r\n')
    .filter((l) => /^cmdstat_(eval|script)/.test(l))
    .map((l) => l.replace(/usec=\d+,usec_per_call=[\d.]+,/, ''))
    .sort();
}

same('eval, evalsha, eval_ro, evalsha_ro, script: replies, errors, Buffers, callbacks', async (mk) => {
  const r = mk();
  const sha = await r.script('LOAD', 'return {KEYS[1], ARGV[1], 3.7, false}');
  const cb = (f) => new Promise((resolve) => f((err, v) => resolve([err, v])));
  return [
    sha,
    await r.eval('return 1', 0),
    await r.eval('return {KEYS[1], KEYS[2], ARGV[1]}', 2, 'a', 'b', 'c'),
    await r.eval('return {KEYS[1], ARGV[1]}', 1, ['k', 'v']),
    await r.eval("return redis.call('SET', KEYS[1], ARGV[1])", 1, 'k', 'v'),
    await r.eval("return redis.call('GET', KEYS[1])", 1, 'k'),
    await r.evalBuffer("return redis.call('GET', KEYS[1])", 1, 'k'),
    await r.evalsha(sha, 1, 'key', 'arg'),
    await r.evalshaBuffer(sha, 1, 'key', 'arg'),
    await r.eval_ro("return redis.call('GET', KEYS[1])", 1, 'k'),
    await settle(r.eval_ro("return redis.call('SET', KEYS[1], 'x')", 1, 'k')),
    await r.evalsha_ro(sha, 1, 'key', 'arg'),
    await r.script('EXISTS', sha, 'ffffffffffffffffffffffffffffffffffffffff'),
    await settle(r.evalsha('ffffffffffffffffffffffffffffffffffffffff', 0)),
    await settle(r.eval("return redis.call('INCR', KEYS[1])", 1, 'k')),
    await settle(r.eval("error('boom')", 0)),
    await settle(r.eval("return {err = 'MYERR mine'}", 0)),
    await settle(r.eval('return 1')),
    await r.eval("return redis.status_reply('FINE')", 0),
    await cb((c) => r.eval('return ARGV[1]', 0, 'via callback', c)),
    await cb((c) => r.evalsha('ffffffffffffffffffffffffffffffffffffffff', 0, c)),
    await r.script('FLUSH'),
    await r.script('EXISTS', sha),
  ].map((v) => (v instanceof Error ? { message: v.message, command: v.command } : v));
});

same('keyPrefix applies to the keys of eval/evalsha/eval_ro and of defined commands', async (mk) => {
  const p = mk({ keyPrefix: 'pre:' });
  const plain = mk();
  const sha = await p.script('LOAD', "redis.call('SET', KEYS[1], ARGV[1]) return KEYS")
  p.defineCommand('setAll', { numberOfKeys: 2, lua: "for i, k in ipairs(KEYS) do redis.call('SET', k, ARGV[i]) end return KEYS" });
  p.defineCommand('setSome', { lua: "for i, k in ipairs(KEYS) do redis.call('SET', k, ARGV[1]) end return {KEYS, ARGV}" });
  const out = [
    await p.eval("redis.call('SET', KEYS[1], ARGV[1]) return KEYS", 1, 'a', 'x'),
    await p.evalsha(sha, 1, 'b', 'y'),
    await p.eval_ro("return {KEYS[1], redis.call('GET', KEYS[1])}", 1, 'a'),
    await p.setAll('c', 'd', 1, 2),
    await p.setSome(3, 'e', 'f', 'g', 'v'),
    await p.pipeline().setAll('h', 'i', 1, 2).setSome(1, 'j', 'w').exec(),
    await p.multi().setAll('k', 'l', 1, 2).get('k').exec(),
  ];
  out.push((await plain.keys('*')).sort());
  return out;
});

same('defineCommand: numberOfKeys, without it, Buffer variant, callbacks, arrays, errors', async (mk) => {
  const r = mk();
  r.defineCommand('echoAll', { numberOfKeys: 2, lua: 'return {KEYS[1], KEYS[2], ARGV[1], ARGV[2]}' });
  r.defineCommand('dynamic', { lua: 'return {#KEYS, KEYS[1], ARGV[1]}' });
  r.defineCommand('getIt', { numberOfKeys: 1, lua: "return redis.call('GET', KEYS[1])" });
  r.defineCommand('fails', { numberOfKeys: 0, lua: "return redis.call('INCR', 'str')" });
  r.defineCommand('readOnly', { numberOfKeys: 1, readOnly: true, lua: "return redis.call('EXISTS', KEYS[1])" });
  await r.set('str', 'text');
  await r.set('bin', Buffer.from([0, 255, 10]));
  const cb = (f) => new Promise((resolve) => f((err, v) => resolve([err, v])));
  return [
    await r.echoAll('k1', 'k2', 'a1', 'a2'),
    await r.echoAll(['k1', 'k2'], 'a1'),
    await r.echoAllBuffer('k1', 'k2', 'a1', 'a2'),
    await r.dynamic(1, 'k', 'a'),
    await r.dynamic(0, 'a'),
    await settle(r.dynamic()),
    await r.getIt('str'),
    await r.getItBuffer('bin'),
    await r.getIt('missing'),
    await settle(r.fails()),
    await r.readOnly('str'),
    await cb((c) => r.getIt('str', c)),
    await cb((c) => r.fails(c)),
    typeof r.getItBuffer,
  ];
});

same('defined commands send EVAL first on a connection, then EVALSHA; NOSCRIPT after SCRIPT FLUSH falls back to EVAL', async (mk) => {
  const r = mk();
  const other = mk();
  const lua = "return redis.call('INCR', KEYS[1])";
  const sha = createHash('sha1').update(lua).digest('hex');
  r.defineCommand('bump', { numberOfKeys: 1, lua });
  other.defineCommand('bump', { numberOfKeys: 1, lua });
  const out = [];
  // One command at a time: which went as EVAL and which as EVALSHA is
  // deterministic (INFO commandstats counts them).
  out.push(
    await scriptCommandStats(mk, async () => {
      out.push(await r.bump('n'), await r.bump('n'), await r.script('EXISTS', sha));
      out.push(await other.bump('n'));
      out.push(await r.script('FLUSH'), await r.script('EXISTS', sha));
      out.push(await r.bump('n'), await r.bump('n'));
    }),
  );
  // Several at once after a flush: the replies are compared, not the
  // counts (ioredis sends one EVAL or several depending on how the server's
  // NOSCRIPT replies are split across socket reads).
  await other.script('FLUSH');
  out.push(await Promise.all([r.bump('n'), r.bump('n'), r.bump('n')]));
  await other.script('FLUSH');
  out.push(await r.pipeline().bump('n').get('n').bump('n').exec());
  await other.script('FLUSH');
  out.push(await r.multi().bump('n').get('n').exec());
  out.push(await r.multi().bump('n').exec());
  out.push(await r.bump('n'));
  return out;
});

same('pipelines and MULTI with defined commands and eval', async (mk) => {
  const r = mk();
  r.defineCommand('add', { numberOfKeys: 1, lua: "return redis.call('INCRBY', KEYS[1], ARGV[1])" });
  r.defineCommand('boom', { numberOfKeys: 0, lua: "return redis.error_reply('BOOM here')" });
  const cbs = [];
  const piped = await r
    .pipeline()
    .add('n', 2)
    .addBuffer('n', 3)
    .boom()
    .eval('return ARGV[1]', 0, 'x')
    .add('n', 1, (err, v) => cbs.push([err, v]))
    .get('n')
    .exec();
  const multi = await r.multi().add('m', 5).boom().addBuffer('m', 1).eval('return {1, 2}', 0).get('m').exec();
  const batch = await r.pipeline([['add', 'b', 7], ['get', 'b']]).exec();
  const aborted = await settle(r.multi().add('m', 1).eval().exec());
  const watched = [await r.watch('m'), await mk().set('m', 0), await r.multi().add('m', 1).exec(), await r.get('m')];
  return [piped, cbs, multi, batch, aborted, aborted.previousErrors?.map((e) => e.message), watched];
});

// The two patterns from the issue, as users write them.

const RELEASE_LOCK = `
if redis.call("GET", KEYS[1]) == ARGV[1] then
  return redis.call("DEL", KEYS[1])
else
  return 0
end`;

const SLIDING_WINDOW = `
local key = KEYS[1]
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local limit = tonumber(ARGV[3])
local member = ARGV[4]
redis.call("ZREMRANGEBYSCORE", key, "-inf", now - window)
local count = redis.call("ZCARD", key)
if count < limit then
  redis.call("ZADD", key, now, member)
  redis.call("PEXPIRE", key, window)
  return 1
end
return 0`;

same('pattern: a lock released by a GET-compare-DEL script', async (mk) => {
  const a = mk();
  const b = mk({ keyPrefix: 'app:' });
  for (const c of [a, b]) c.defineCommand('releaseLock', { numberOfKeys: 1, lua: RELEASE_LOCK });
  return [
    await a.set('lock', 'token-a', 'PX', 10000, 'NX'),
    await a.set('lock', 'token-b', 'PX', 10000, 'NX'),
    await a.releaseLock('lock', 'token-b'),
    await a.get('lock'),
    await a.releaseLock('lock', 'token-a'),
    await a.get('lock'),
    await a.releaseLock('lock', 'token-a'),
    await b.set('lock', 't', 'NX'),
    await b.releaseLock('lock', 'other'),
    await b.releaseLock('lock', 't'),
    await a.exists('app:lock'),
  ];
});

same('pattern: a sliding-window rate limiter (defineCommand, EVALSHA after the first call, NOSCRIPT fallback)', async (mk) => {
  const r = mk();
  r.defineCommand('rateLimit', { numberOfKeys: 1, lua: SLIDING_WINDOW });
  const t0 = 1_700_000_000_000;
  const out = [];
  for (let i = 0; i < 7; i++) out.push(await r.rateLimit('rl:user1', t0 + i * 100, 1000, 5, `${t0 + i * 100}-${i}`));
  out.push(await r.zcard('rl:user1'), (await r.pttl('rl:user1')) > 900);
  // A second later the window slid past the first ones.
  out.push(await r.rateLimit('rl:user1', t0 + 1150, 1000, 5, 'late-1'), await r.rateLimit('rl:user1', t0 + 1151, 1000, 5, 'late-2'));
  out.push(await r.zrange('rl:user1', 0, -1));
  await r.script('FLUSH');
  out.push(await r.rateLimit('rl:user2', t0, 1000, 1, 'a'), await r.rateLimit('rl:user2', t0 + 1, 1000, 1, 'b'));
  // Through SCRIPT LOAD and EVALSHA with the fallback clients write by hand.
  const sha = await r.script('LOAD', SLIDING_WINDOW);
  await r.script('FLUSH');
  const run = async (...args) => {
    try {
      return await r.evalsha(sha, 1, ...args);
    } catch (e) {
      if (!String(e.message).startsWith('NOSCRIPT')) throw e;
      return r.eval(SLIDING_WINDOW, 1, ...args);
    }
  };
  out.push(await run('rl:user3', t0, 1000, 1, 'a'), await run('rl:user3', t0 + 5, 1000, 1, 'b'), await r.script('EXISTS', sha));
  return out;
});

const LIBRARY = `#!lua name=jslib
redis.register_function('getset_prefixed', function(keys, args)
  local old = redis.call('GET', keys[1])
  redis.call('SET', keys[1], args[1])
  return {keys[1], old}
end)
redis.register_function{function_name = 'peek', callback = function(keys) return redis.call('GET', keys[1]) end, flags = {'no-writes'}}`;

same('fcall, fcall_ro, function: keyPrefix on FCALL keys, replies and errors', async (mk) => {
  const r = mk({ keyPrefix: 'fn:' });
  const plain = mk();
  await plain.function('FLUSH');
  return [
    await r.function('LOAD', LIBRARY),
    await settle(r.function('LOAD', LIBRARY)),
    await r.fcall('getset_prefixed', 1, 'a', 'one'),
    await r.fcall('getset_prefixed', 1, 'a', 'two'),
    await r.fcallBuffer('peek', 1, 'a'),
    await r.fcall_ro('peek', 1, 'a'),
    await settle(r.fcall_ro('getset_prefixed', 1, 'a', 'x')),
    await settle(r.fcall('nope', 0)),
    await r.pipeline().fcall('getset_prefixed', 1, 'b', 'p').fcall_ro('peek', 1, 'b').exec(),
    await r.multi().fcall('getset_prefixed', 1, 'c', 'm').get('c').exec(),
    await plain.keys('*').then((k) => k.sort()),
    await r.function('DELETE', 'jslib'),
    await settle(r.fcall('peek', 1, 'a')),
  ];
});

test('defined commands exist on pipelines made after defineCommand, and not on other instances', async () => {
  const r = new Redis({ engine: db });
  const before = r.pipeline();
  r.defineCommand('one', { numberOfKeys: 0, lua: 'return 1' });
  assert.equal(typeof before.one, 'undefined');
  assert.equal(typeof r.pipeline().one, 'function');
  assert.equal(typeof r.multi().oneBuffer, 'function');
  assert.equal(typeof new Redis({ engine: db, lazyConnect: true }).one, 'undefined');
  assert.equal(typeof r.duplicate({ lazyConnect: true }).one, 'undefined');
  assert.equal(await r.one(), 1);
  assert.deepEqual(await r.oneBuffer(), 1);
  r.disconnect();
});
