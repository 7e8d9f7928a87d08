// The artefact's world: exactly the imports and exports the WIT names (no
// wasi:cli, no filesystem), and every function of wit/redlet.wit present.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { componentPath, instantiate, jco, repo } from './harness.mjs';

test('jco wit: the imports and exports of the world', () => {
  const wit = execFileSync(jco, ['wit', componentPath()], { encoding: 'utf8' });
  const items = (kind) => [...wit.matchAll(new RegExp(`^\\s*${kind} ([^;]+);`, 'gm'))].map((m) => m[1]).sort();
  // `types` holds only types (no functions): hosts provide nothing for it.
  assert.deepEqual(items('import'), ['redlet:engine/storage@0.1.0', 'redlet:engine/types@0.1.0', 'wasi:clocks/wall-clock@0.2.0']);
  assert.deepEqual(items('export'), [
    'redlet:engine/engine@0.1.0',
    'wasi:keyvalue/atomics@0.2.0-draft',
    'wasi:keyvalue/batch@0.2.0-draft',
    'wasi:keyvalue/store@0.2.0-draft',
  ]);
  assert.doesNotMatch(wit, /wasi:(cli|filesystem|io|random|sockets|http)/);
});

/** The function names of `block` (`resource x { ... }` or `interface x { ... }`) in WIT text. */
function funcs(text, header) {
  const start = text.indexOf(header);
  assert.ok(start >= 0, header);
  let depth = 0;
  let end = start;
  for (let i = text.indexOf('{', start); i < text.length; i++) {
    if (text[i] === '{') depth++;
    if (text[i] === '}' && --depth === 0) { end = i; break; }
  }
  const body = text.slice(start, end).replace(/\/\/.*$/gm, '');
  const inner = header.startsWith('interface') ? body.replace(/resource [\w-]+ \{[^}]*\}/g, '') : body;
  return [...inner.matchAll(/^\s*%?([\w-]+): (?:static )?func/gm)].map((m) => m[1].replace(/-(\w)/g, (_, c) => c.toUpperCase()));
}

test('every WIT function is exported', async () => {
  const wit = readFileSync(join(repo, 'wit', 'redlet.wit'), 'utf8');
  const kv = (f) => readFileSync(join(repo, 'wit', 'deps', 'keyvalue', f), 'utf8');
  const { engine, store, atomics, batch } = await instantiate();
  const db = funcs(wit, 'resource database');
  const conn = funcs(wit, 'resource connection');
  assert.ok(db.length >= 10 && conn.length >= 30, `${db.length} ${conn.length}`);
  assert.equal(typeof engine.Database.open, 'function');
  for (const f of db.filter((f) => f !== 'open')) assert.equal(typeof engine.Database.prototype[f], 'function', `database.${f}`);
  for (const f of conn) assert.equal(typeof engine.Connection.prototype[f], 'function', `connection.${f}`);
  assert.equal(typeof store.open, 'function');
  for (const f of funcs(kv('store.wit'), 'resource bucket')) assert.equal(typeof store.Bucket.prototype[f], 'function', `bucket.${f}`);
  for (const f of funcs(kv('atomic.wit'), 'interface atomics')) assert.equal(typeof atomics[f], 'function', `atomics.${f}`);
  for (const f of funcs(kv('batch.wit'), 'interface batch')) assert.equal(typeof batch[f], 'function', `batch.${f}`);
});
