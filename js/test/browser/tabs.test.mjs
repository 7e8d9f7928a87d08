// redlet/tabs in Chromium: two pages (and a worker) of one origin share one
// database; pub/sub and BLPOP work across pages; closing the holder lets the
// other page take over from storage with every acknowledged write present,
// and a command in flight fails clearly instead of running twice.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { browser, inWorker } from './harness.mjs';

let b;
before(async () => {
  b = await browser();
});
after(async () => {
  await b?.close();
});

/** Polls `fn` (run in `page`, may be async) until it returns true; waitForFunction would take its Promise for true. */
async function until(page, fn, ms = 5000) {
  const end = Date.now() + ms;
  while (!(await page.evaluate(fn))) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${fn}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Opens the shared database `name` in the page (kept as window.shared); resolves to whether this page holds it. */
async function open(name) {
  const { openShared } = await import('/dist/tabs.js');
  self.shared = await openShared(name);
  return self.shared.holder;
}

test('two pages share one database; pub/sub and BLPOP across pages', async () => {
  const a = await b.page();
  const c = await b.page();
  assert.equal(await a.evaluate(open, 'share'), true);
  assert.equal(await c.evaluate(open, 'share'), false);
  // Writes from both land in one database.
  await a.evaluate(() => shared.send('SET', 'from-a', '1'));
  await c.evaluate(() => shared.send('SET', 'from-c', '2'));
  assert.deepEqual(await c.evaluate(() => shared.send('MGET', 'from-a', 'from-c')), ['1', '2']);
  assert.deepEqual(await a.evaluate(() => shared.send('MGET', 'from-a', 'from-c')), ['1', '2']);
  // Replies convert as local ones: errors, buffers, integers.
  assert.equal(await c.evaluate(() => shared.send('LPUSH', 'from-a', 'x').catch((e) => `${e.name} ${e.message}`)), 'ReplyError WRONGTYPE Operation against a key holding the wrong kind of value');
  assert.deepEqual(await c.evaluate(async () => Array.from(await shared.sendBuffer('GET', 'from-c'))), [50]);
  // MULTI on a remote client.
  assert.deepEqual(
    await c.evaluate(async () => {
      const t = shared.client();
      await t.send('MULTI');
      await t.send('INCR', 'n');
      await t.send('INCR', 'n');
      return t.send('EXEC');
    }),
    [1, 2],
  );
  // Pub/sub: the non-holder subscribes, the holder publishes.
  await c.evaluate(async () => {
    self.sub = shared.client();
    self.got = [];
    sub.on('message', (ch, m) => got.push([ch, m]));
    await sub.send('SUBSCRIBE', 'news');
  });
  assert.equal(await a.evaluate(() => shared.send('PUBLISH', 'news', 'hello')), 1);
  await c.waitForFunction(() => got.length === 1);
  assert.deepEqual(await c.evaluate(() => got), [['news', 'hello']]);
  // BLPOP on the non-holder, served by a push on the holder.
  await c.evaluate(() => {
    self.popped = shared.client().send('BLPOP', 'jobs', 0);
  });
  await a.evaluate(() => shared.send('RPUSH', 'jobs', 'j1'));
  assert.deepEqual(await c.evaluate(() => popped), ['jobs', 'j1']);
  // Closing a remote client ends its subscriptions.
  await c.evaluate(() => sub.close());
  assert.equal(await a.evaluate(() => shared.send('PUBLISH', 'news', 'again')), 0);
  // A dedicated worker joins too.
  assert.equal(await inWorker(c, open, 'share'), false);
  assert.equal(await inWorker(c, () => shared.send('GET', 'from-a')), '1');
  await a.close();
  await c.close();
});

test('closing the holder: the other page takes over with every acknowledged write', async () => {
  const a = await b.page();
  const c = await b.page();
  assert.equal(await a.evaluate(open, 'failover'), true);
  assert.equal(await c.evaluate(open, 'failover'), false);
  // Acknowledged writes from both pages (appendfsync always: in IndexedDB before the reply).
  await a.evaluate(async () => {
    for (let i = 0; i < 50; i++) await shared.send('RPUSH', 'log', `a${i}`);
  });
  const acked = await c.evaluate(async () => {
    let n = 0;
    for (let i = 0; i < 50; i++) {
      await shared.send('RPUSH', 'log', `c${i}`);
      n++;
    }
    self.sub = shared.client();
    self.got = [];
    sub.on('message', (ch, m) => got.push(m));
    await sub.send('SUBSCRIBE', 'after');
    // One in flight when the holder goes: a blocked BLPOP.
    self.inflight = shared.client().send('BLPOP', 'never', 0).then(
      () => 'resolved',
      (e) => e.name,
    );
    self.events = [];
    shared.on('holder', () => events.push('holder'));
    return n;
  });
  assert.equal(acked, 50);
  const t0 = Date.now();
  await a.close(); // the tab goes away without closing the database
  await c.waitForFunction(() => shared.holder, undefined, { timeout: 10000 });
  const failoverMs = Date.now() - t0;
  const r = await c.evaluate(async () => ({
    log: await shared.send('LRANGE', 'log', 0, -1),
    inflight: await inflight,
    events,
  }));
  assert.equal(r.log.length, 100);
  assert.deepEqual(r.log.slice(0, 2), ['a0', 'a1']);
  assert.deepEqual(r.log.slice(-2), ['c48', 'c49']);
  assert.equal(r.inflight, 'HolderGoneError');
  assert.deepEqual(r.events, ['holder']);
  // The subscription was made again on the new holder.
  await c.evaluate(() => shared.send('PUBLISH', 'after', 'still here'));
  await c.waitForFunction(() => got.length === 1);
  console.log(`# failover: holder page closed -> other page serving in ${failoverMs} ms`);
  await c.close();
});

test("a closed tab's blocked BLPOP and subscriptions end with it", async () => {
  const a = await b.page();
  const c = await b.page();
  assert.equal(await a.evaluate(open, 'orphans'), true);
  assert.equal(await c.evaluate(open, 'orphans'), false);
  await c.evaluate(async () => {
    await shared.client().send('SUBSCRIBE', 'ch');
    void shared.client().send('BLPOP', 'jobs', 0).catch(() => {});
  });
  // The holder's engine has the other page's two clients, besides its default client and the one of its own send().
  await until(a, async () => (await shared.send('CLIENT', 'LIST')).trim().split('\n').length === 4);
  await c.close();
  await until(a, async () => (await shared.send('CLIENT', 'LIST')).trim().split('\n').length === 2);
  const r = await a.evaluate(async () => ({ subscribers: await shared.send('PUBLISH', 'ch', 'x'), pushed: await shared.send('RPUSH', 'jobs', 'j'), left: await shared.send('LRANGE', 'jobs', 0, -1) }));
  assert.deepEqual(r, { subscribers: 0, pushed: 1, left: ['j'] });
  await a.close();
});

test('a terminated holder worker: the page takes over with every acknowledged write', async () => {
  const page = await b.page();
  assert.equal(await inWorker(page, open, 'worker-holder'), true);
  assert.equal(await page.evaluate(open, 'worker-holder'), false);
  await page.evaluate(async () => {
    for (let i = 0; i < 20; i++) await shared.send('INCR', 'n');
  });
  await page.evaluate(() => stopWorker());
  await page.waitForFunction(() => shared.holder, undefined, { timeout: 10000 });
  assert.equal(await page.evaluate(() => shared.send('GET', 'n')), '20');
  await page.close();
});

test('storage that cannot be loaded rejects openShared with the clear error', async () => {
  const page = await b.page();
  const error = await page.evaluate(async () => {
    const { Redlet } = await import('/dist/index.js');
    const { indexedDBStorage } = await import('/dist/indexeddb.js');
    const { openShared } = await import('/dist/tabs.js');
    await (await Redlet.open({ storage: indexedDBStorage('bad') })).close({ save: true });
    const idb = await new Promise((res) => {
      const q = indexedDB.open('redlet:bad');
      q.onsuccess = () => res(q.result);
    });
    await new Promise((res) => {
      const tx = idb.transaction('meta', 'readwrite');
      tx.objectStore('meta').put({ version: 9 }, '#layout');
      tx.oncomplete = res;
    });
    idb.close();
    try {
      await openShared('bad');
    } catch (e) {
      return `${e.name}: ${e.message}`;
    }
  });
  assert.match(error, /^StorageError: redlet: IndexedDB 'redlet:bad' has layout version 9/);
  await page.close();
});
