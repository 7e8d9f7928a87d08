// The engine behaviours the Node suite checks, run inside the browser (the
// page and its worker) so a browser-only regression cannot hide: reply
// conversion in both protocols, errors, argument conversion, blocking with
// timeouts, pub/sub, MULTI/WATCH across clients. Resolves to the list of
// failures (empty when all pass).
import { Redlet, ReplyError } from '/dist/index.js';

export async function engineSuite() {
  const failures = [];
  const eq = (name, got, want) => {
    const g = JSON.stringify(got, (k, v) => (typeof v === 'bigint' ? `${v}n` : v instanceof Map ? ['Map', [...v]] : v instanceof Uint8Array ? ['u8', [...v]] : v));
    const w = JSON.stringify(want, (k, v) => (typeof v === 'bigint' ? `${v}n` : v instanceof Map ? ['Map', [...v]] : v instanceof Uint8Array ? ['u8', [...v]] : v));
    if (g !== w) failures.push(`${name}: got ${g}, want ${w}`);
  };
  const throws = (name, f, re) => {
    try {
      f();
      failures.push(`${name}: did not throw`);
    } catch (e) {
      if (!re.test(`${e.name} ${e.message}`)) failures.push(`${name}: threw ${e.name} ${e.message}`);
    }
  };
  const db = await Redlet.open({ seed: 1 });
  // Reply conversion, RESP2.
  eq('set', db.call('SET', 'k', 'v'), 'OK');
  eq('get', db.call('GET', 'k'), 'v');
  eq('nil', db.call('GET', 'none'), null);
  eq('int', db.call('INCRBY', 'n', 41), 41);
  eq('bigint', db.call('INCRBY', 'big', 2n ** 60n), 2n ** 60n);
  eq('array', (db.call('RPUSH', 'l', 'a', 'b', 'c'), db.call('LRANGE', 'l', 0, -1)), ['a', 'b', 'c']);
  eq('buffer', db.callBuffer('GET', 'k'), new Uint8Array([118]));
  eq('binary arg', (db.call('SET', 'bin', new Uint8Array([0, 255])), db.callBuffer('GET', 'bin')), new Uint8Array([0, 255]));
  eq('utf8', (db.call('SET', 'u', 'héllo ✓'), db.call('GET', 'u')), 'héllo ✓');
  eq('hgetall resp2', (db.call('HSET', 'h', 'f', 'v'), db.call('HGETALL', 'h')), ['f', 'v']);
  // RESP3 on another client.
  const c3 = db.client();
  c3.call('HELLO', '3');
  eq('hgetall resp3', c3.call('HGETALL', 'h'), new Map([['f', 'v']]));
  eq('double resp3', (c3.call('ZADD', 'z', '1.5', 'm'), c3.call('ZSCORE', 'z', 'm')), 1.5);
  // Errors.
  throws('wrongtype', () => db.call('LPUSH', 'k', 'x'), /ReplyError WRONGTYPE Operation against a key holding the wrong kind of value/);
  throws('unknown', () => db.call('NOPE'), /ReplyError ERR unknown command 'NOPE'/);
  throws('bad arg', () => db.call('SET', 'k', {}), /TypeError/);
  try {
    db.call('INCR', 'k');
  } catch (e) {
    eq('ReplyError class', e instanceof ReplyError && e.code, 'ERR');
  }
  // Blocking: served by another client, and a timeout.
  const b = db.client();
  const p = b.call('BLPOP', 'q', 0);
  eq('blocked', b.pending, 1);
  db.call('RPUSH', 'q', 'job');
  eq('blpop served', await p, ['q', 'job']);
  const t0 = Date.now();
  eq('blpop timeout', await b.call('BLPOP', 'q2', 0.1), null);
  if (Date.now() - t0 < 90) failures.push(`blpop timeout came after ${Date.now() - t0} ms`);
  // Pub/sub: events and the async iterator.
  const sub = db.client();
  eq('subscribe', sub.call('SUBSCRIBE', 'ch'), ['subscribe', 'ch', 1]);
  const seen = [];
  sub.on('message', (ch, m) => seen.push([ch, m]));
  const it = sub.messages();
  eq('publish', db.call('PUBLISH', 'ch', 'hi'), 1);
  eq('message event', seen, [['ch', 'hi']]);
  eq('iterator', (await it.next()).value, { type: 'message', channel: 'ch', message: 'hi' });
  await it.return();
  // MULTI/WATCH across clients.
  const a = db.client();
  a.call('WATCH', 'w');
  db.call('SET', 'w', '1');
  a.call('MULTI');
  eq('queued', a.call('SET', 'w', '2'), 'QUEUED');
  eq('exec aborted', a.call('EXEC'), null);
  a.call('MULTI');
  a.call('INCR', 'w');
  a.call('INCR', 'w');
  eq('exec', a.call('EXEC'), [2, 3]);
  // TTLs with an injected clock.
  let now = 1_000_000;
  const tdb = await Redlet.open({ clock: () => now });
  tdb.call('SET', 'e', 'v', 'PX', 100);
  now += 150;
  eq('expired', tdb.call('GET', 'e'), null);
  await tdb.close();
  await db.close();
  return failures;
}
