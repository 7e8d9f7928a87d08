/**
 * Loading the wasm module and talking to one engine instance: argument
 * packing into wasm memory, the reply hooks, and trap detection. Nothing
 * here knows about clients or Promises (see `redlet.ts`).
 *
 * The module is instantiated once per "generation". A trap (a bug in
 * redlet: Rust panics abort) leaves that instance's memory in an unknown
 * state, so every engine living in it is marked dead and the next open
 * instantiates a fresh copy of the glue module.
 */
import { EngineDeadError, ReplyError } from './errors.js';

/** An out-of-band push: a pub/sub message, a (un)subscribe confirmation or a keyspace notification. */
export class Push {
  /** The push's elements, e.g. `['message', channel, payload]`. */
  constructor(readonly items: unknown[]) {}
}

/** Several replies to one command (SUBSCRIBE a b confirms each channel; pushes that arrived while a command ran come before its reply). */
export class Seq {
  /** The replies in order. */
  constructor(readonly items: unknown[]) {}
}

const hooks = {
  error: (text: string) => new ReplyError(text),
  push: (items: unknown[]) => new Push(items),
  seq: (items: unknown[]) => new Seq(items),
};

/** What `Redlet.open({ wasm })` accepts: the compiled module (Workers: `import wasm from 'redlet/redlet.wasm'`), its bytes, or a URL to fetch. */
export type WasmSource = WebAssembly.Module | BufferSource | URL | string;

/** The wasm-bindgen glue module's shape (generated into `wasm/redlet_js.js`). */
type Glue = typeof import('./wasm/redlet_js.js');
/** The engine class the glue exports. */
export type RawEngine = InstanceType<Glue['Engine']>;

/** One instantiation of the module. */
export class Generation {
  /** Set once anything in this instance trapped. */
  dead: unknown = undefined;
  private view = new Uint8Array(0);
  private u32 = new Uint32Array(0);
  private f64 = new Float64Array(0);
  /** Node: a Buffer over wasm memory, whose `utf8Slice` decodes short strings faster than TextDecoder. */
  private nodeView: { utf8Slice(start: number, end: number): string } | undefined;
  constructor(
    readonly glue: Glue,
    private readonly memory: WebAssembly.Memory,
  ) {}

  /** A byte view of wasm memory, renewed after the memory grew. */
  bytes(): Uint8Array {
    this.refresh();
    return this.view;
  }

  /**
   * Renews the views if a call grew the memory. The readers below
   * (`reply`, `flags`, `wakeup`, `text`) assume a refresh since the last
   * call into wasm: one check per command instead of one per read.
   */
  refresh(): void {
    if (this.view.buffer !== this.memory.buffer) this.renew();
  }

  private renew(): void {
    const b = this.memory.buffer;
    this.view = new Uint8Array(b);
    this.u32 = new Uint32Array(b);
    this.f64 = new Float64Array(b);
    this.nodeView = NodeBuffer?.from(b);
  }

  /**
   * UTF-8 bytes of wasm memory as a string; invalid UTF-8 becomes U+FFFD,
   * as `Buffer.toString()` does. Very short ASCII strings are built by
   * hand; otherwise Node's `utf8Slice` (about 60 ns) or TextDecoder (about
   * 100 ns).
   */
  text(ptr: number, len: number): string {
    const mem = this.view;
    if (len <= 8) {
      let s = '';
      let i = 0;
      for (; i < len; i++) {
        const c = mem[ptr + i]!;
        if (c >= 0x80) break;
        s += String.fromCharCode(c);
      }
      if (i === len) return s;
    }
    return this.nodeView ? this.nodeView.utf8Slice(ptr, ptr + len) : decoder.decode(mem.subarray(ptr, ptr + len));
  }

  /**
   * The reply of the last `raw.exec` whose scratch words are at `scratch`
   * (see `Scratch` in js/src/lib.rs): `undefined` when the client blocked.
   * Call {@link Generation.refresh} after `raw.exec` first.
   * `flags`/`wakeup` are read by {@link Generation.flags} and
   * {@link Generation.wakeup}.
   */
  reply(raw: RawEngine, tag: number, scratch: number): unknown {
    if (tag === TAG_INT) return this.f64[(scratch >>> 3) + 2];
    if (tag === TAG_NIL) return null;
    if (tag === TAG_BYTES || tag === TAG_ERROR) {
      const w = scratch >>> 2;
      const text = this.text(this.u32[w + 1]!, this.u32[w + 2]!);
      return tag === TAG_BYTES ? text : new ReplyError(text);
    }
    if (tag === TAG_BLOCKED) return undefined;
    return raw.takeReply();
  }

  /** Bit 0: some client was woken by the last `exec`. */
  flags(scratch: number): number {
    return this.u32[(scratch >>> 2) + 3]!;
  }

  /** When the engine next needs a tick after the last `exec` (ms), -1 for never. */
  wakeup(scratch: number): number {
    return this.f64[(scratch >>> 3) + 3]!;
  }

  /** A new engine in this instance. */
  engine(config: [string, string][], seed: number, clock: (() => number) | undefined): RawEngine {
    return new this.glue.Engine(config, seed, clock, hooks);
  }
}

/** The parts of Node's `process` this package uses. */
export interface NodeProcess {
  pid: number;
  execPath: string;
  versions: { node: string };
  cpuUsage?: () => { user: number; system: number };
  /** Node >= 20.16: a built-in module without an `import` a bundler would trip on. */
  getBuiltinModule?: (m: string) => unknown;
}

/** Node's `process` when running in Node, `undefined` in browsers and Workers. */
export function nodeProcess(): NodeProcess | undefined {
  const p = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return p?.versions?.node ? (p as NodeProcess) : undefined;
}

/**
 * Node 20's V8 (11.3) crashes (SIGSEGV) once TurboFan inlines the calls
 * from `pack` into wasm and a call grows wasm memory: it keeps using the old
 * backing store. Turning that one inlining off costs nothing measurable
 * here and must happen before any of our code is optimised, so it is done
 * when this module loads. Browsers and Workers run newer V8s.
 */
function avoidNode20WasmInliningCrash(): void {
  const p = nodeProcess();
  if (!p || !(Number(p.versions.node.split('.')[0]) <= 20)) return;
  const v8 = p.getBuiltinModule?.('node:v8') as { setFlagsFromString?: (f: string) => void } | undefined;
  v8?.setFlagsFromString?.('--no-turbo-inline-js-wasm-calls');
}
avoidNode20WasmInliningCrash();

let current: Promise<Generation> | undefined;
/** The generation `current` resolved to, so a trap can retire it at once. */
let currentGen: Generation | undefined;
let generations = 0;

/** True in Node (where the wasm file is read from disk). */
function nodeFs(): { readFileSync(u: URL): Uint8Array } | undefined {
  return nodeProcess()?.getBuiltinModule?.('node:fs') as { readFileSync(u: URL): Uint8Array } | undefined;
}

/**
 * The live instance, instantiating the module on first use (or after a
 * trap). `source` overrides where the wasm comes from; without it Node
 * reads the file next to this module and browsers fetch it.
 */
export function generation(source?: WasmSource): Promise<Generation> {
  if (!current) {
    const p = instantiate(source);
    current = p;
    p.then(
      (g) => {
        if (current === p) currentGen = g;
      },
      () => {
        if (current === p) current = undefined;
      },
    );
  }
  return current;
}

async function instantiate(source?: WasmSource): Promise<Generation> {
  // A fresh module URL per generation gives a fresh glue module (its
  // instance is module state) after a trap.
  const n = generations++;
  const glue: Glue = await import(n === 0 ? './wasm/redlet_js.js' : `./wasm/redlet_js.js?generation=${n}`);
  let exports;
  if (source instanceof WebAssembly.Module || ArrayBuffer.isView(source) || source instanceof ArrayBuffer) {
    exports = glue.initSync({ module: source });
  } else if (source !== undefined) {
    exports = await glue.default({ module_or_path: source });
  } else {
    // Only here: Workers give modules no `import.meta.url`, and pass `source`.
    const wasmUrl = new URL('./wasm/redlet_js_bg.wasm', import.meta.url);
    const fs = wasmUrl.protocol === 'file:' ? nodeFs() : undefined;
    exports = fs ? glue.initSync({ module: fs.readFileSync(wasmUrl) }) : await glue.default({ module_or_path: wasmUrl });
  }
  return new Generation(glue, exports.memory);
}

/**
 * Splits a config-file line with Redis's `sdssplitargs` rules (the core's
 * `resp::split_args`): the words as latin1 strings, `null` on unbalanced
 * quotes. Instantiates the module if needed.
 */
export async function splitArgs(line: string): Promise<string[] | null> {
  const gen = await generation();
  const bytes = Uint8Array.from(line, (c) => c.charCodeAt(0) & 0xff);
  const words = gen.glue.splitArgs(bytes) as Uint8Array[] | undefined;
  return words ? words.map((w) => String.fromCharCode(...w)) : null;
}

/** Marks `gen` dead after a trap so the next open starts a new instance; returns the error to throw. */
export function poison(gen: Generation, cause: unknown): EngineDeadError {
  if (gen.dead === undefined) {
    gen.dead = cause;
    if (currentGen === gen) {
      current = undefined;
      currentGen = undefined;
    }
  }
  return new EngineDeadError(gen.dead);
}

/** True for the error a trap raises in JS. */
export function isTrap(e: unknown): boolean {
  return e instanceof WebAssembly.RuntimeError;
}

/** A command argument: what `call` accepts. */
export type Arg = string | number | bigint | Uint8Array;

/** An engine's argument buffer as JS last saw it: grown (one call into wasm) only when a command needs more. */
export interface ArgBuffer {
  /** Its address in wasm memory. */
  ptr: number;
  /** Its size in bytes. */
  cap: number;
}

/**
 * Packs `args` (from index `first`) into the engine's argument buffer (u32
 * LE length + bytes each) and returns the bytes used. Throws a TypeError
 * for anything but strings, numbers, bigints and byte arrays, before the
 * engine sees it.
 */
export function pack(gen: Generation, raw: RawEngine, buf: ArgBuffer, args: readonly unknown[], first = 0): number {
  let need = 0;
  const n = args.length;
  for (let i = first; i < n; i++) {
    const a = args[i];
    if (typeof a === 'string') need += 4 + a.length * 3;
    else if (a instanceof Uint8Array) need += 4 + a.length;
    else if (typeof a === 'number') need += 4 + 24; // String(number) is at most 24 characters
    else if (typeof a === 'bigint') need += 4 + String(a).length;
    else throw new TypeError(`redlet: argument ${i - first + 1} is ${a === null ? 'null' : typeof a}; commands take strings, numbers, bigints and Uint8Array/Buffer`);
  }
  if (need > buf.cap) {
    buf.cap = Math.max(need, 2 * buf.cap, 4096);
    buf.ptr = raw.argBuffer(buf.cap);
  }
  const ptr = buf.ptr;
  const mem = gen.bytes();
  let pos = ptr;
  for (let i = first; i < n; i++) {
    let a = args[i] as Arg;
    if (typeof a === 'number' || typeof a === 'bigint') a = String(a);
    let len: number;
    if (typeof a === 'string') {
      const s = a;
      const sl = s.length;
      let j = 0;
      // Short ASCII strings are copied by hand: faster than encodeInto's
      // call overhead for the keys and values commands usually carry.
      if (sl <= 64) {
        const base = pos + 4;
        for (; j < sl; j++) {
          const c = s.charCodeAt(j);
          if (c >= 0x80) break;
          mem[base + j] = c;
        }
      }
      if (j === sl) len = sl;
      else len = j + encoder.encodeInto(j === 0 ? s : s.slice(j), mem.subarray(pos + 4 + j, pos + 4 + sl * 3)).written;
    } else {
      mem.set(a, pos + 4);
      len = a.length;
    }
    mem[pos] = len & 0xff;
    mem[pos + 1] = (len >>> 8) & 0xff;
    mem[pos + 2] = (len >>> 16) & 0xff;
    mem[pos + 3] = (len >>> 24) & 0xff;
    pos += 4 + len;
  }
  return pos - ptr;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
/** Node's Buffer, where there is one. */
const NodeBuffer = (globalThis as unknown as { Buffer?: { from(b: ArrayBuffer): { utf8Slice(start: number, end: number): string } } }).Buffer;

// Reply tags of `raw.exec` (js/src/lib.rs).
const TAG_BLOCKED = 0;
const TAG_BYTES = 1;
const TAG_INT = 2;
const TAG_NIL = 3;
const TAG_ERROR = 4;

