// The example page (examples/page): the cache with a TTL and the
// leaderboard work, and survive a reload (IndexedDB).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { browser } from './harness.mjs';

let b;
before(async () => {
  b = await browser();
});
after(async () => {
  await b?.close();
});

test('the example page: cache-aside with a TTL and a leaderboard, kept across a reload', async () => {
  const page = await b.context.newPage();
  page.on('pageerror', (e) => console.error('page error:', e));
  await page.goto(`${b.url}/examples/page/index.html`);
  await page.waitForSelector('body[data-ready="1"]');
  await page.click('#load');
  await page.waitForFunction(() => document.querySelector('#profile').textContent.includes('from source'));
  await page.click('#load');
  await page.waitForFunction(() => /from cache, \d+ s left/.test(document.querySelector('#profile').textContent));
  for (const [player, times] of [['ann', 2], ['bob', 3]]) {
    for (let i = 0; i < times; i++) {
      await page.fill('input[name=player]', player);
      await page.click('#score button');
      await page.waitForFunction((n) => document.querySelectorAll('#board li').length >= n, player === 'ann' ? 1 : 2);
    }
  }
  await page.waitForFunction(() => document.querySelector('#board li')?.textContent === 'bob: 30');
  await page.reload();
  await page.waitForSelector('body[data-ready="1"]');
  assert.deepEqual(await page.$$eval('#board li', (ls) => ls.map((l) => l.textContent)), ['bob: 30', 'ann: 20']);
  await page.click('#load');
  await page.waitForFunction(() => /from cache/.test(document.querySelector('#profile').textContent));
  await page.close();
});
