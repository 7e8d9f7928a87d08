// Bad input gets error replies, never a trap (a trap kills the instance).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { b, call, instantiate, tree } from './harness.mjs';

/** xorshift32: the same inputs on every run. */
function rng(seed) {
  let x = seed;
  return (n) => {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    return x % n;
  };
}

const words = ['SET', 'GET', 'DEL', 'LPUSH', 'BLPOP', 'ZADD', 'ZRANGE', 'HSET', 'XADD', 'XREADGROUP', 'SUBSCRIBE', 'PUBLISH',
  'MULTI', 'EXEC', 'WATCH', 'EXPIRE', 'HELLO', 'CLIENT', 'CONFIG', 'SELECT', 'SCAN', 'SORT', 'EVAL', 'DEBUG', 'OBJECT',
  'k', 'k2', '0', '-1', '3', 'inf', 'nan', '*', '$', '>', 'GROUP', 'COUNT', 'LIMIT', 'WITHSCORES', '\u0000', '99999999999999999999'];

test('random commands and RESP bytes never trap', async () => {
  const { engine } = await instantiate();
  const db = engine.Database.open({ config: [], storage: undefined, seed: 7n });
  const r = rng(12345);
  const conns = [db.connect(''), db.connect(''), db.connect('')];
  for (let i = 0; i < 3000; i++) {
    const c = conns[r(conns.length)];
    const argv = Array.from({ length: 1 + r(6) }, () => b(words[r(words.length)]));
    const o = c.call(argv);
    assert.ok(o.tag === 'done' || o.tag === 'blocked');
    if (o.tag === 'done') tree(o.val);
    if (r(10) === 0) { db.tick(); [...db.woken()]; conns.forEach((x) => x.take()); }
    if (c.isBlocked() && r(3) === 0) call(conns[(conns.indexOf(c) + 1) % 3], 'CLIENT', 'UNBLOCK', String(c.id()));
  }
  for (let i = 0; i < 500; i++) {
    const c = db.connect('');
    const bytes = new Uint8Array(1 + r(64)).map(() => ('*$\r\n0123456789-+:GETSET'.charCodeAt(r(22))));
    const res = c.resp(bytes, r(2) ? 0 : 1 + r(100));
    assert.ok(res.consumed <= bytes.length);
  }
  // Still alive and consistent.
  const c = db.connect('');
  assert.equal(call(c, 'SET', 'alive', 'yes'), 'OK');
  assert.equal(call(c, 'GET', 'alive'), 'yes');
});

test('typed functions refuse bad arguments with error.reply', async () => {
  const { engine } = await instantiate();
  const db = engine.Database.open({ config: [], storage: undefined, seed: 7n });
  const c = db.connect('');
  const reply = (f) => assert.throws(f, (e) => e.payload?.tag === 'reply');
  reply(() => c.zadd(b('z'), [{ member: b('m'), score: NaN }]));
  reply(() => c.zincrby(b('z'), NaN, b('m')));
  reply(() => c.xadd(b('s'), 'not-an-id', [[b('f'), b('v')]], undefined, false));
  reply(() => c.xadd(b('s'), undefined, [], undefined, false));
  reply(() => c.xadd(b('s'), undefined, [[b('f'), b('v')]], 2n ** 64n - 1n, false));
  reply(() => c.xgroupCreate(b('nostream'), b('g'), '$', false));
  reply(() => c.xreadgroup(b('g'), b('c'), [[b('s'), '$']], undefined, false));
  reply(() => c.set(b('k'), b('v'), { condition: 'always', expiry: { tag: 'after-ms', val: 2n ** 64n - 1n } }));
  c.xadd(b('s'), '5-1', [[b('f'), b('v')]], undefined, false);
  reply(() => c.xadd(b('s'), '5-1', [[b('f'), b('v')]], undefined, false));
  assert.equal(c.xadd(b('s'), '5-*', [[b('f'), b('v')]], undefined, false), '5-2');
  assert.equal(c.incrby(b('n'), -5n), -5n);
  reply(() => c.incrby(b('n'), -(2n ** 63n)));
});
