// Shared by the component's Node tests: finds the built component,
// transpiles it with jco (into test/gen, ignored by git), and instantiates
// it with a JS storage and a clock the tests move by hand.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const componentDir = resolve(here, '..');
export const repo = resolve(componentDir, '..');
export const jco = join(componentDir, 'node_modules', '.bin', 'jco');

/** The component under test: $REDLET_COMPONENT or <repo>/target/component/redlet.wasm. */
export function componentPath() {
  const p = process.env.REDLET_COMPONENT || join(repo, 'target', 'component', 'redlet.wasm');
  if (!existsSync(p)) {
    throw new Error(`no component at ${p}: run \`bash component/build.sh\` first (REDLET_COMPONENT_DEBUG=1 for a faster debug build)`);
  }
  return p;
}

const genDir = join(here, 'gen');

/** Transpiles the component (again when it is newer than the last output). */
export function transpile() {
  const src = componentPath();
  const stamp = join(genDir, 'redlet.js');
  if (!existsSync(stamp) || statSync(stamp).mtimeMs < statSync(src).mtimeMs) {
    mkdirSync(genDir, { recursive: true });
    execFileSync(jco, ['transpile', src, '-o', genDir, '--name', 'redlet', '--instantiation', 'async', '--no-wasi-shim', '-q'], { stdio: 'inherit' });
  }
  return genDir;
}

/**
 * Storage spaces in memory, with the import's contract: a staged copy
 * replaces a blob whole on commit; `failing` makes every call throw (an
 * injected failure); `calls` counts operations.
 */
export class MemStorage {
  constructor() {
    this.blobs = new Map(); // `${space}/${name}` -> Uint8Array
    this.staged = new Map();
    this.failing = false;
    this.calls = 0;
  }
  #check(op) {
    this.calls++;
    // A thrown string is the import's `err(string)`.
    if (this.failing) throw `injected failure in ${op}`;
  }
  imports() {
    const k = (space, name) => `${space}/${name}`;
    const concat = (a, b) => { const r = new Uint8Array(a.length + b.length); r.set(a); r.set(b, a.length); return r; };
    return {
      size: (space, name) => { this.#check('size'); const b = this.blobs.get(k(space, name)); return b === undefined ? undefined : BigInt(b.length); },
      readAt: (space, name, offset, len) => {
        this.#check('read-at');
        const b = this.blobs.get(k(space, name));
        if (b === undefined) throw `no blob ${name}`;
        return b.slice(Number(offset), Number(offset) + len);
      },
      begin: (space, name) => { this.#check('begin'); this.staged.set(k(space, name), new Uint8Array()); },
      write: (space, name, data) => {
        this.#check('write');
        const s = this.staged.get(k(space, name));
        if (s === undefined) throw `write without begin: ${name}`;
        this.staged.set(k(space, name), concat(s, data));
      },
      commit: (space, name) => {
        this.#check('commit');
        const s = this.staged.get(k(space, name));
        if (s === undefined) throw `commit without begin: ${name}`;
        this.blobs.set(k(space, name), s);
        this.staged.delete(k(space, name));
      },
      abort: (space, name) => { this.staged.delete(k(space, name)); },
      append: (space, name, data) => { this.#check('append'); this.blobs.set(k(space, name), concat(this.blobs.get(k(space, name)) ?? new Uint8Array(), data)); },
      sync: () => { this.#check('sync'); },
    };
  }
}

/** A wall clock the test sets: `clock.ms`. */
export class TestClock {
  constructor(ms = 1_700_000_000_000) { this.ms = ms; }
  imports() {
    return {
      now: () => ({ seconds: BigInt(Math.floor(this.ms / 1000)), nanoseconds: (this.ms % 1000) * 1_000_000 }),
      resolution: () => ({ seconds: 0n, nanoseconds: 1000 }),
    };
  }
}

const modules = new Map();

/** A fresh instance of the component over `storage` and `clock`. */
export async function instantiate(storage = new MemStorage(), clock = new TestClock()) {
  const dir = transpile();
  const { instantiate } = await import(join(dir, 'redlet.js'));
  const getCoreModule = (path) => {
    if (!modules.has(path)) modules.set(path, WebAssembly.compile(readFileSync(join(dir, path))));
    return modules.get(path);
  };
  const root = await instantiate(getCoreModule, {
    'redlet:engine/storage': storage.imports(),
    'wasi:clocks/wall-clock': clock.imports(),
  });
  return { root, storage, clock, engine: root.engine, store: root.store, atomics: root.atomics, batch: root.batch };
}

const enc = new TextEncoder();
const dec = new TextDecoder();
/** Bytes of a string (arguments, keys, values). */
export const b = (s) => (typeof s === 'string' ? enc.encode(s) : s);
/** A string of bytes. */
export const s = (u) => dec.decode(u);

/**
 * Rebuilds reply trees from frames, as a host binding does: bulk strings
 * become JS strings, maps `Map`s, pushes `{push: [...]}`, errors
 * `{error: text}`. Returns the list of top-level values.
 */
export function tree(frames) {
  let i = 0;
  const one = () => {
    const f = frames[i++];
    const items = (n) => Array.from({ length: n }, one);
    switch (f.tag) {
      case 'simple': return f.val;
      case 'error': return { error: f.val };
      case 'integer': return f.val;
      case 'bulk': return s(f.val);
      case 'null': case 'null-array': return null;
      case 'double': case 'boolean': case 'big-number': return f.val;
      case 'verbatim': return s(f.val[1]);
      case 'array': return items(f.val);
      case 'set': return { set: items(f.val) };
      case 'push': return { push: items(f.val) };
      case 'map': return new Map(Array.from({ length: f.val }, () => [one(), one()]));
      default: throw new Error(`unknown frame ${f.tag}`);
    }
  };
  const out = [];
  while (i < frames.length) out.push(one());
  return out;
}

/** Runs a command on a connection; its single top-level reply value. */
export function call(conn, ...args) {
  const o = conn.call(args.map(b));
  if (o.tag === 'blocked') return 'BLOCKED';
  const t = tree(o.val);
  return t.length === 1 ? t[0] : t;
}
