// Runs the composed plugin (the plugin example plugged into the redlet
// component, `target/plugin/composed.wasm`) in Node, through the ES module
// `jco transpile --instantiation async` made of it (`run.sh` makes both),
// and prints the demo transcript, one line per entry.
//
// The composed component imports only `redlet:engine/storage` and
// `wasi:clocks/wall-clock`; both are given here: storage as named blobs in
// a Map (a JS storage with the storage interface's contract: staged
// replaces, appends), the clock fixed at the instant the wasmtime runner
// uses, so the transcript is the same byte for byte.
//
// Usage: node examples/plugin/run-node.mjs [<transpiled dir>]
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const dir = resolve(process.argv[2] ?? join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '../../target/plugin/node'));

/** The fixed clock: 2026-01-01T00:00:12.345Z, as `plugin_host` sets it. */
export const FIXED_MICROS = 1_767_225_612_345_000n;

/**
 * Named blobs in memory, per storage space. Replaces are staged and
 * swapped in on commit, so readers see the old or the new blob whole.
 */
class MapStorage {
  constructor() {
    this.blobs = new Map();
    this.staged = new Map();
  }
  key(space, name) {
    return `${space}\u0000${name}`;
  }
  size(space, name) {
    const b = this.blobs.get(this.key(space, name));
    return b === undefined ? undefined : BigInt(b.length);
  }
  readAt(space, name, offset, len) {
    const b = this.blobs.get(this.key(space, name)) ?? new Uint8Array(0);
    const start = Number(offset > BigInt(b.length) ? BigInt(b.length) : offset);
    return b.slice(start, Math.min(b.length, start + len));
  }
  begin(space, name) {
    this.staged.set(this.key(space, name), []);
  }
  write(space, name, data) {
    const parts = this.staged.get(this.key(space, name));
    // jco turns a thrown value into the import's `err` (the contract says
    // `begin` comes first).
    if (parts === undefined) throw `write without begin: ${name}`;
    parts.push(Uint8Array.from(data));
  }
  commit(space, name) {
    const k = this.key(space, name);
    const parts = this.staged.get(k);
    if (parts === undefined) throw `commit without begin: ${name}`;
    this.staged.delete(k);
    this.blobs.set(k, concat(parts));
  }
  abort(space, name) {
    this.staged.delete(this.key(space, name));
  }
  append(space, name, data) {
    const k = this.key(space, name);
    this.blobs.set(k, concat([this.blobs.get(k) ?? new Uint8Array(0), Uint8Array.from(data)]));
  }
  sync(_space, _name) {}
}

function concat(parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** The storage interface as jco expects an import: plain functions. */
function storageImport(st) {
  return {
    size: (s, n) => st.size(s, n),
    readAt: (s, n, o, l) => st.readAt(s, n, o, l),
    begin: (s, n) => st.begin(s, n),
    write: (s, n, d) => st.write(s, n, d),
    commit: (s, n) => st.commit(s, n),
    abort: (s, n) => st.abort(s, n),
    append: (s, n, d) => st.append(s, n, d),
    sync: (s, n) => st.sync(s, n),
  };
}

const wallClock = {
  now: () => ({ seconds: FIXED_MICROS / 1_000_000n, nanoseconds: Number(FIXED_MICROS % 1_000_000n) * 1000 }),
  resolution: () => ({ seconds: 0n, nanoseconds: 1000 }),
};

const { instantiate } = await import(pathToFileURL(join(dir, 'composed.js')).href);
const getCoreModule = async (path) => WebAssembly.compile(await readFile(join(dir, path)));
const imports = {
  'redlet:engine/storage': storageImport(new MapStorage()),
  'wasi:clocks/wall-clock': wallClock,
};
// jco names imports with or without their version depending on the
// options; give both spellings.
imports['redlet:engine/storage@0.1.0'] = imports['redlet:engine/storage'];
imports['wasi:clocks/wall-clock@0.2.0'] = imports['wasi:clocks/wall-clock'];
const instance = await instantiate(getCoreModule, imports);
const plugin = instance.plugin ?? instance['redlet:plugin-example/plugin@0.1.0'];
for (const line of plugin.demo()) {
  process.stdout.write(line + '\n');
}
