// redlet as a page's cache (cache-aside with SET EX) and leaderboard
// (ZINCRBY, ZREVRANGE WITHSCORES), persisted in IndexedDB: reload the page
// and both are still there, the cached entry with its TTL still counting.
import { Redlet } from 'redlet';
import { indexedDBStorage } from 'redlet/indexeddb';

const db = await Redlet.open({
  storage: indexedDBStorage('example-page'),
  // Every write is in IndexedDB before db.send resolves.
  config: { appendonly: 'yes', appendfsync: 'always' },
});
window.db = db; // for the console (and the example's test)

/** A slow source of truth: what the cache spares. */
async function fetchProfile() {
  await new Promise((r) => setTimeout(r, 300));
  return { name: 'Ada', fetchedAt: new Date().toISOString() };
}

/** Cache-aside: the cached copy if any, else fetch and keep it for 30 s. */
async function profile() {
  const hit = db.call('GET', 'cache:profile');
  if (hit !== null) return { ...JSON.parse(hit), from: `cache, ${db.call('TTL', 'cache:profile')} s left` };
  const fresh = await fetchProfile();
  await db.send('SET', 'cache:profile', JSON.stringify(fresh), 'EX', 30);
  return { ...fresh, from: 'source' };
}

function renderBoard() {
  const flat = db.call('ZREVRANGE', 'leaderboard', 0, 9, 'WITHSCORES');
  const board = document.querySelector('#board');
  board.replaceChildren();
  for (let i = 0; i < flat.length; i += 2) {
    const li = document.createElement('li');
    li.textContent = `${flat[i]}: ${flat[i + 1]}`;
    board.append(li);
  }
}

document.querySelector('#load').onclick = async () => {
  const p = await profile();
  document.querySelector('#profile').textContent = `${p.name} (fetched ${p.fetchedAt}, from ${p.from})`;
};
document.querySelector('#score').onsubmit = async (e) => {
  e.preventDefault();
  const player = new FormData(e.target).get('player');
  await db.send('ZINCRBY', 'leaderboard', 10, player);
  renderBoard();
};
renderBoard();
document.body.dataset.ready = '1';
