/**
 * `redlet/ioredis`: a class shaped like ioredis 6's `Redis`, running on the
 * in-process engine instead of a socket, so code written for ioredis runs
 * unchanged:
 *
 * ```js
 * import Redis from 'redlet/ioredis';
 * const redis = new Redis();            // host/port options are accepted and ignored
 * await redis.set('k', 'v', 'EX', 60);
 * await redis.hset('h', { a: 1, b: 2 });
 * await redis.hgetall('h');             // { a: '1', b: '2' }
 * const [[, ok], [err]] = await redis.pipeline().set('a', 1).incr('h').exec();
 * redis.defineCommand('release', { numberOfKeys: 1, lua: "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0" });
 * await redis.release('lock', token);   // EVAL the first time, EVALSHA after
 * ```
 *
 * Shapes follow ioredis 6 with its defaults (`protocol: 3`,
 * `replyMapping: 'legacy'`): replies have RESP2 shapes (strings, numbers,
 * null, arrays; HGETALL as an object), `…Buffer` methods give Buffers,
 * pipelines and MULTI give `[[err, result], …]`, and a subscribed
 * connection still runs other commands (with `protocol: 2` it rejects them
 * as ioredis does).
 *
 * Each instance is its own engine client (its own SELECT, MULTI, WATCH,
 * subscriptions and blocked state), like one ioredis connection. By default
 * every instance of the process shares one engine, opened on first use;
 * `new Redis({ engine: db })` uses the given {@link Redlet}.
 */
import { Emitter } from './emitter.js';
import { ReplyError } from './errors.js';
import { Client, Redlet } from './redlet.js';
import { COMMAND_NAMES, KEY_SPECS } from './commands.js';

export { ReplyError } from './errors.js';

/** Node's Buffer when there is one (replies of `…Buffer` methods are Buffers there, `Uint8Array`s elsewhere). */
const NodeBuffer = (globalThis as { Buffer?: typeof Buffer }).Buffer;
const decoder = new TextDecoder();
const encoder = new TextEncoder();

/** The message ioredis rejects commands with once the connection ended. */
const CLOSED = 'Connection is closed.';

/** Options: ioredis's (connection options are accepted and ignored) plus `engine`. */
export interface RedisOptions {
  /** The database to use; default: one engine shared by every instance of the process, opened on first use. */
  engine?: Redlet;
  /** SELECTed on connect (ioredis's `db`). */
  db?: number;
  /** Prepended to every key of every command, as ioredis does it. */
  keyPrefix?: string;
  /** Don't connect until the first command or `connect()`. */
  lazyConnect?: boolean;
  /** 3 (default, as ioredis 6): a subscribed connection runs any command. 2: it runs only (un)subscribe, PING and QUIT. Replies have RESP2 shapes either way. */
  protocol?: 2 | 3;
  /** The ACL user: sent on connect as `AUTH username password`, as ioredis does (also from a URL's `redis://user:pass@host`). */
  username?: string;
  /**
   * Sent on connect as `AUTH password` (the `default` user, `requirepass`)
   * or `AUTH username password`. A refusal (WRONGPASS) rejects the queued
   * commands and `connect()` with the {@link ReplyError}, emits `error` and
   * ends the connection (ioredis would reconnect and fail again; in
   * process the answer cannot change). "No password is set" only warns,
   * as in ioredis.
   */
  password?: string;
  /** Anything else ioredis accepts (host, port, password, retryStrategy, ...): kept in `options`, otherwise ignored. */
  [option: string]: unknown;
}

/** ioredis's status names: `wait` (lazy, not connected), `connecting`, `connect`, `ready`, `end`. */
export type Status = 'wait' | 'connecting' | 'connect' | 'ready' | 'end';

/** A Node-style callback, accepted as the last argument of every command. */
export type Callback<T = any> = (err: Error | null, result?: T) => void;

let shared: Promise<Redlet> | undefined;

/** The process-wide engine of `new Redis()` without `engine`, opened once on first use. */
function sharedEngine(): Promise<Redlet> {
  if (!shared) {
    shared = Redlet.open();
    shared.catch(() => (shared = undefined));
  }
  return shared;
}

/** Attaches a Node-style callback to `p` (as ioredis's standard-as-callback) and returns `p`. */
function asCallback<T>(p: Promise<T>, cb?: Callback<T>): Promise<T> {
  if (typeof cb === 'function') {
    p.then(
      (v) => cb(null, v),
      (e) => cb(e),
    );
  }
  return p;
}

/** ioredis's argument conversion: null/undefined → '', unsafe integers exactly, Buffers kept, the rest `String()`. */
function toArg(a: unknown): string | Uint8Array {
  if (typeof a === 'string' || a instanceof Uint8Array) return a;
  if (a === null || a === undefined) return '';
  if (typeof a === 'number' && Number.isInteger(a) && !Number.isSafeInteger(a)) return BigInt(a).toString();
  return String(a);
}

/** `{ a: 1 }` or a Map as `['a', 1]`. */
function flatPairs(o: object): unknown[] {
  const out: unknown[] = [];
  if (o instanceof Map) o.forEach((v, k) => out.push(k, v));
  else for (const k of Object.keys(o)) out.push(k, (o as Record<string, unknown>)[k]);
  return out;
}

const isPairsArg = (a: unknown): a is object => typeof a === 'object' && a !== null && !(a instanceof Uint8Array) && !Array.isArray(a);

/** ioredis's argument transformers, by the command name as written (ioredis looks them up that way). */
const ARGUMENT_TRANSFORMERS: Record<string, (args: unknown[]) => unknown[]> = {
  mset: (a) => (a.length === 1 && isPairsArg(a[0]) ? flatPairs(a[0]) : a),
  msetnx: (a) => (a.length === 1 && isPairsArg(a[0]) ? flatPairs(a[0]) : a),
  hset: (a) => (a.length === 2 && isPairsArg(a[1]) ? [a[0], ...flatPairs(a[1])] : a),
  hmset: (a) => (a.length === 2 && isPairsArg(a[1]) ? [a[0], ...flatPairs(a[1])] : a),
};

/** HGETALL's array as an object; `__proto__`/`constructor` fields become own properties (ioredis issue 1267). */
function pairsToObject(r: unknown): unknown {
  if (!Array.isArray(r)) return r;
  const o: Record<string, unknown> = {};
  for (let i = 0; i < r.length; i += 2) {
    const k = String(r[i]);
    if (k in o) Object.defineProperty(o, k, { value: r[i + 1], configurable: true, enumerable: true, writable: true });
    else o[k] = r[i + 1];
  }
  return o;
}

/**
 * ioredis's reply transformers for its default protocol and `legacy`
 * mapping: only HGETALL changes shape (the others it registers are the
 * identity there). Looked up by the name as written, like ioredis.
 */
const REPLY_TRANSFORMERS: Record<string, (r: unknown) => unknown> = { hgetall: pairsToObject };

/** Indexes of the keys in `args` (after the command name), as ioredis's @ioredis/commands computes them. */
export function keyIndexes(name: string, args: readonly unknown[]): number[] {
  const n = name.toLowerCase();
  const spec = KEY_SPECS[n];
  const keys: number[] = [];
  const dynamic = (start: number) => {
    // Bounded by the arguments there are: a wrong numkeys is the server's error to give.
    const count = Math.min(Number(args[start]), args.length - start - 1);
    for (let i = 0; i < count; i++) keys.push(start + 1 + i);
  };
  const afterToken = (from: number, token: string) => {
    for (let i = from; i < args.length - 1; i++) if (String(args[i]).toUpperCase() === token) return i + 1;
    return null;
  };
  switch (n) {
    case 'zunionstore':
    case 'zinterstore':
    case 'zdiffstore':
      keys.push(0);
      dynamic(1);
      return keys;
    case 'eval':
    case 'evalsha':
    case 'eval_ro':
    case 'evalsha_ro':
    case 'fcall':
    case 'fcall_ro':
    case 'blmpop':
    case 'bzmpop':
      dynamic(1);
      return keys;
    case 'sintercard':
    case 'lmpop':
    case 'zunion':
    case 'zinter':
    case 'zmpop':
    case 'zintercard':
    case 'zdiff':
      dynamic(0);
      return keys;
    case 'georadius':
    case 'georadiusbymember': {
      keys.push(0);
      const from = n === 'georadius' ? 5 : 4;
      for (const t of ['STORE', 'STOREDIST']) {
        const k = afterToken(from, t);
        if (k !== null) keys.push(k);
      }
      return keys;
    }
    case 'sort':
    case 'sort_ro':
      keys.push(0);
      for (let i = 1; i < args.length - 1; i++) {
        const a = args[i];
        if (typeof a !== 'string') continue;
        const d = a.toUpperCase();
        if (d === 'GET') {
          i++;
          if (args[i] !== '#') keys.push(i);
        } else if (d === 'BY' || d === 'STORE') {
          keys.push(++i);
        }
      }
      return keys;
    case 'xread':
    case 'xreadgroup':
      for (let i = n === 'xread' ? 0 : 3; i < args.length - 1; i++) {
        if (String(args[i]).toUpperCase() === 'STREAMS') {
          for (let j = i + 1; j <= i + (args.length - 1 - i) / 2; j++) keys.push(j);
          break;
        }
      }
      return keys;
  }
  if (!spec) return keys;
  let [first, last, step] = spec;
  const subs = spec[3];
  if (subs && args.length > 0) {
    const sub = subs[String(args[0]).toLowerCase()];
    if (sub) [first, last, step] = sub;
    else if (!(first || last || step)) return keys;
  }
  if (step > 0) {
    const stop = last > 0 ? last : args.length + last + 1;
    for (let i = first - 1; i < stop; i += step) keys.push(i);
  }
  return keys;
}

/**
 * A reply in ioredis's types, in place: Uint8Arrays as Node Buffers (same
 * memory), and integers beyond 2^53 (bigint from the engine) as numbers,
 * since ioredis gives numbers (rounded) and code doing arithmetic on them
 * would throw on a bigint.
 */
function toBuffers(v: unknown): unknown {
  if (v instanceof Uint8Array) return NodeBuffer && !NodeBuffer.isBuffer(v) ? NodeBuffer.from(v.buffer, v.byteOffset, v.byteLength) : v;
  if (typeof v === 'bigint') return Number(v);
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) v[i] = toBuffers(v[i]);
  }
  return v;
}

/** Buffers in a reply as (UTF-8 decoded) strings, recursively. */
function toStrings(v: unknown): unknown {
  if (v instanceof Uint8Array) return decoder.decode(v);
  if (typeof v === 'bigint') return Number(v);
  if (Array.isArray(v)) return v.map(toStrings);
  return v;
}

/**
 * A RESP3 reply (the engine client speaks RESP3 only while subscribed, see
 * {@link Redis}) in ioredis's `legacy` shapes: maps as flat arrays,
 * booleans as 1/0.
 */
function legacy(v: unknown): unknown {
  if (v instanceof Map) {
    const a: unknown[] = [];
    v.forEach((val, k) => a.push(legacy(k), legacy(val)));
    return a;
  }
  if (Array.isArray(v)) return v.map(legacy);
  if (typeof v === 'boolean') return v ? 1 : 0;
  return v;
}

const SUBSCRIBE = new Set(['subscribe', 'psubscribe', 'ssubscribe']);
const UNSUBSCRIBE = new Set(['unsubscribe', 'punsubscribe', 'sunsubscribe']);
const VALID_IN_SUBSCRIBER_MODE = new Set([...SUBSCRIBE, ...UNSUBSCRIBE, 'ping', 'quit']);

/** One command on its way: name, converted arguments, how to decode the reply, and its Promise. */
class Command {
  readonly args: (string | Uint8Array)[];
  /** Settled with the reply; a script's command replaces it by one that retries on NOSCRIPT (see {@link Script.execute}). */
  promise: Promise<any>;
  resolve!: (v: unknown) => void;
  reject!: (e: unknown) => void;
  /** Queued inside MULTI by a pipeline: its QUEUED reply is not transformed, its EXEC element is. */
  inTransaction = false;
  /** The defined command this EVALSHA runs: it may become an EVAL when sent (see {@link Script.prepare}). */
  script?: Script;

  constructor(
    public name: string,
    args: unknown[],
    readonly buffers: boolean,
    keyPrefix?: string,
  ) {
    let a = args.flat();
    const t = ARGUMENT_TRANSFORMERS[name];
    if (t) a = t(a);
    this.args = a.map(toArg);
    if (keyPrefix) {
      for (const i of keyIndexes(name, this.args)) {
        const k = this.args[i];
        if (k === undefined) continue;
        this.args[i] = typeof k === 'string' ? keyPrefix + k : concat(encoder.encode(keyPrefix), k);
      }
    }
    this.promise = new Promise((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
  }

  /** The reply as ioredis gives it (after its transformer). */
  transform(r: unknown): unknown {
    const t = REPLY_TRANSFORMERS[this.name];
    return t ? t(r) : r;
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out: Uint8Array = NodeBuffer ? (NodeBuffer.allocUnsafe(a.length + b.length) as Uint8Array) : new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** SHA-1 of `data` (a string as UTF-8) in hex: the name Redis gives a script, computed here so that no round trip is needed. */
export function sha1hex(data: string | Uint8Array): string {
  const bytes = typeof data === 'string' ? encoder.encode(data) : data;
  const n = bytes.length;
  const padded = new Uint8Array((((n + 8) >>> 6) + 1) * 64);
  padded.set(bytes);
  padded[n] = 0x80;
  const view = new DataView(padded.buffer);
  view.setUint32(padded.length - 8, Math.floor(n / 0x20000000));
  view.setUint32(padded.length - 4, (n * 8) >>> 0);
  const h = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0];
  const w = new Int32Array(80);
  for (let off = 0; off < padded.length; off += 64) {
    for (let i = 0; i < 16; i++) w[i] = view.getInt32(off + i * 4);
    for (let i = 16; i < 80; i++) {
      const x = w[i - 3]! ^ w[i - 8]! ^ w[i - 14]! ^ w[i - 16]!;
      w[i] = (x << 1) | (x >>> 31);
    }
    let [a, b, c, d, e] = h as [number, number, number, number, number];
    for (let i = 0; i < 80; i++) {
      const f = i < 20 ? ((b & c) | (~b & d)) + 0x5a827999 : i < 40 ? (b ^ c ^ d) + 0x6ed9eba1 : i < 60 ? ((b & c) | (b & d) | (c & d)) + 0x8f1bbcdc : (b ^ c ^ d) + 0xca62c1d6;
      const t = (((a << 5) | (a >>> 27)) + f + e + w[i]!) | 0;
      e = d;
      d = c;
      c = (b << 30) | (b >>> 2);
      b = a;
      a = t;
    }
    h[0] = (h[0]! + a) | 0;
    h[1] = (h[1]! + b) | 0;
    h[2] = (h[2]! + c) | 0;
    h[3] = (h[3]! + d) | 0;
    h[4] = (h[4]! + e) | 0;
  }
  return h.map((x) => (x >>> 0).toString(16).padStart(8, '0')).join('');
}

/** What {@link Redis.defineCommand} takes, as ioredis. */
export interface CommandDefinition {
  /** The script's text. */
  lua: string;
  /** How many of the method's arguments are keys; without it, the method's first argument is that number. */
  numberOfKeys?: number;
  /** Marks the command read-only: ioredis uses this to send it to a replica in a cluster; here it changes nothing. */
  readOnly?: boolean;
}

/**
 * A command defined with {@link Redis.defineCommand}, run as ioredis 6's
 * `Script` runs it: the first time on a connection it goes as EVAL (which
 * also loads it there), afterwards as EVALSHA; a NOSCRIPT reply (after
 * SCRIPT FLUSH) forgets that the connection has it and sends the command
 * again, which then goes as EVAL. Pipelines and MULTI send it the same way
 * (ioredis 6 no longer checks SCRIPT EXISTS before a pipeline).
 */
class Script {
  readonly sha: string;
  /** The connections that were sent this script with EVAL (ioredis keeps this per socket). */
  private readonly loaded = new WeakSet<Client>();
  /** Connections that replied NOSCRIPT in this turn: forgotten from {@link Script.loaded} in one microtask after it (see {@link Script.prepare}). */
  private forget: Client[] = [];

  constructor(
    readonly lua: string,
    readonly numberOfKeys: number | null,
    readonly keyPrefix: string | undefined,
  ) {
    this.sha = sha1hex(lua);
  }

  /** Called as `cmd` goes out on `conn`: EVAL with the text where the script was not sent yet (or NOSCRIPT said it is gone), EVALSHA afterwards. */
  prepare(cmd: Command, conn: Client): void {
    const reject = cmd.reject;
    cmd.reject = (e) => {
      // ioredis forgets the script when it reads the NOSCRIPT reply, which
      // comes after every command written in the same turn went out (as
      // EVALSHA, all of them). Commands run here at once, so the connection
      // is forgotten after the turn, before the first re-send runs (its
      // handler is queued after this microtask): one EVAL, then EVALSHAs.
      if (isNoScript(e)) {
        if (this.forget.length === 0) {
          queueMicrotask(() => {
            for (const c of this.forget) this.loaded.delete(c);
            this.forget = [];
          });
        }
        this.forget.push(conn);
      }
      reject(e);
    };
    if (!this.loaded.has(conn)) {
      this.loaded.add(conn);
      cmd.name = 'eval';
      cmd.args[0] = this.lua;
    } else if (cmd.name === 'eval') {
      cmd.name = 'evalsha';
      cmd.args[0] = this.sha;
    }
  }

  /** Runs the script with `args` (keys then arguments) on `container`: a Promise of the reply from a connection, the pipeline itself from a pipeline. */
  execute(container: Redis | Pipeline, args: unknown[], buffers: boolean, cb?: Callback): Promise<any> | Pipeline {
    if (typeof this.numberOfKeys === 'number') args.unshift(this.numberOfKeys);
    const make = () => {
      const c = new Command('evalsha', [this.sha, ...args], buffers, this.keyPrefix);
      c.script = this;
      return c;
    };
    let cmd: Command;
    try {
      cmd = make();
    } catch (e) {
      if (container instanceof Pipeline) throw e;
      return asCallback(Promise.reject(e), cb);
    }
    cmd.promise = cmd.promise.catch((e) => {
      if (!isNoScript(e)) throw e;
      // Sent again on the connection (outside a pipeline): it goes as EVAL.
      const redis = container instanceof Pipeline ? container.redis : container;
      return redis.sendCommand(make());
    });
    asCallback(cmd.promise, cb);
    return container instanceof Pipeline ? container.push(cmd) : container.sendCommand(cmd);
  }
}

const isNoScript = (e: unknown): boolean => e instanceof Error && e.message.includes('NOSCRIPT');

/** The methods generated for every command name, returning `R`. */
type CommandName = Exclude<(typeof COMMAND_NAMES)[number], 'multi' | 'exec' | 'quit'>;
/** A method per command (and its `…Buffer` variant): arguments flattened as ioredis does, an optional trailing callback. */
export type CommandMethods<R> = { [K in CommandName]: (...args: any[]) => R } & { [K in `${CommandName}Buffer`]: (...args: any[]) => R };

/**
 * A connection-shaped client of a redlet database with ioredis 6's API.
 *
 * Events (as ioredis): `connecting`, `connect`, `ready`, `close`, `end`,
 * `select (db)`, `message (channel, message)`, `messageBuffer`,
 * `pmessage (pattern, channel, message)`, `pmessageBuffer`, `smessage`,
 * `smessageBuffer`. Status events are emitted asynchronously.
 */
export class Redis extends Emitter {
  /** ioredis's default options (for code that reads them). */
  static defaultOptions: RedisOptions = { port: 6379, host: 'localhost', db: 0, keyPrefix: '', lazyConnect: false, protocol: 3 };
  /** `new Redis(...args)`, for code written for node-redis's style. */
  static createClient(...args: unknown[]): Redis {
    return new Redis(...args);
  }

  /** The options as given (merged with {@link Redis.defaultOptions}). */
  readonly options: RedisOptions;
  /** ioredis's connection status. */
  status: Status = 'wait';
  /** True: this is not a cluster client. */
  readonly isCluster = false;

  private conn: Client | undefined;
  /** Commands waiting for the connection or for a blocked command to finish: a connection runs them in order. */
  private queue: Command[] = [];
  /** A blocking command of this connection is waiting. */
  private blocked = false;
  /** Channels + patterns subscribed, after the last (un)subscribe confirmation. */
  private subscriptions = 0;
  /** Shard channels subscribed. */
  private shardSubscriptions = 0;
  /** ioredis's subscriber flag: set by a subscribe, cleared by an unsubscribe confirming a count of 0. */
  private subscriber = false;
  /** The engine client speaks RESP3 (only while subscribed with protocol 3, see {@link Redis.run}). */
  private resp3 = false;
  private selected: number;

  /** As ioredis: `new Redis()`, `new Redis(port, host, options)`, `new Redis(url, options)`, `new Redis(options)`. */
  constructor(...args: unknown[]) {
    super();
    const opts: RedisOptions = {};
    for (const a of args) {
      if (a === null || a === undefined) continue;
      if (typeof a === 'object') defaults(opts, a as RedisOptions);
      else if (typeof a === 'string') defaults(opts, parseUrl(a));
      else if (typeof a === 'number') defaults(opts, { port: a });
      else throw new Error('Invalid argument ' + String(a));
    }
    defaults(opts, Redis.defaultOptions);
    if (typeof opts.db === 'string') opts.db = parseInt(opts.db, 10);
    this.options = opts;
    this.selected = Number(opts.db ?? 0);
    if (!opts.lazyConnect) this.connect().catch(() => {});
  }

  /** `normal`, or `subscriber` when a protocol-2 connection is subscribed (other commands are rejected then). */
  get mode(): 'normal' | 'subscriber' {
    return this.subscriber && this.options.protocol === 2 ? 'subscriber' : 'normal';
  }

  private setStatus(s: Status, arg?: unknown): void {
    this.status = s;
    queueMicrotask(() => this.emit(s, arg));
  }

  /** Connects (done by the constructor unless `lazyConnect`); resolves when ready. Rejects when already connecting or connected. */
  connect(callback?: Callback<void>): Promise<void> {
    const p = (async () => {
      if (this.status === 'connecting' || this.status === 'connect' || this.status === 'ready') {
        throw new Error('Redis is already connecting/connected');
      }
      this.setStatus('connecting');
      let db: Redlet;
      try {
        // Asynchronous even with a given engine, as a socket connects: the
        // status is 'connecting' after the constructor, commands are queued.
        db = this.options.engine ?? (await sharedEngine());
        await null;
      } catch (e) {
        this.fail(e);
        throw e;
      }
      if ((this.status as Status) === 'end') throw new Error(CLOSED);
      const client = db.client();
      this.conn = client;
      client.pushBuffers = true;
      client.on('message', (ch: unknown, msg: unknown) => this.message('message', undefined, ch, msg));
      client.on('smessage', (ch: unknown, msg: unknown) => this.message('smessage', undefined, ch, msg));
      client.on('pmessage', (pat: unknown, ch: unknown, msg: unknown) => this.message('pmessage', pat, ch, msg));
      client.on('close', () => this.ended());
      this.setStatus('connect');
      this.handshake(client);
      if (this.selected) {
        try {
          client.call('SELECT', String(this.selected));
        } catch (e) {
          queueMicrotask(() => this.emit('error', e));
        }
      }
      this.setStatus('ready');
      this.drain();
    })();
    return asCallback(p, callback);
  }

  /**
   * ioredis's connect handshake: `AUTH [username] password` when a
   * password or username is set (`condition.auth` in ioredis). Server
   * answers that only mean "no password needed" warn; any other refusal is
   * fatal (see {@link RedisOptions.password}) and is thrown.
   */
  private handshake(client: Client): void {
    const { username, password } = this.options;
    if (!username && !password) return;
    try {
      client.call('AUTH', ...(username ? [username, toArg(password)] : [toArg(password)]));
    } catch (e) {
      const msg = (e as Error)?.message ?? '';
      if (msg.includes('no password is set')) {
        console.warn('[WARN] Redis server does not require a password, but a password was supplied.');
        return;
      }
      if (msg.includes('without any password configured for the default user')) {
        console.warn("[WARN] This Redis server's `default` user does not require a password, but a password was supplied");
        return;
      }
      if (e instanceof ReplyError) e.command = { name: 'auth', args: username ? [username] : [] };
      // The queue is rejected with the refusal before the client closes
      // (closing would reject it with "Connection is closed.").
      this.fail(e);
      this.conn = undefined;
      client.close();
      queueMicrotask(() => this.emit('error', e));
      throw e;
    }
  }

  private fail(e: unknown): void {
    for (const c of this.queue.splice(0)) c.reject(e);
    this.setStatus('end');
  }

  /** Emits a pub/sub message as ioredis does: strings on `message`, Buffers on `messageBuffer` (patterns stay strings). */
  private message(kind: 'message' | 'smessage' | 'pmessage', pattern: unknown, channel: unknown, msg: unknown): void {
    const str = (v: unknown) => (v instanceof Uint8Array ? decoder.decode(v) : v == null ? '' : String(v));
    const buf = (v: unknown) => toBuffers(typeof v === 'string' ? encoder.encode(v) : v);
    // Emitted after the command that caused it returns, as from a socket:
    // a listener's exception does not unwind the publisher's call.
    queueMicrotask(() => {
      if (kind === 'pmessage') {
        const p = str(pattern);
        this.emit('pmessage', p, str(channel), str(msg));
        this.emit('pmessageBuffer', p, buf(channel), buf(msg));
      } else {
        this.emit(kind, str(channel), str(msg));
        this.emit(kind + 'Buffer', buf(channel), buf(msg));
      }
    });
  }

  /** @internal Sends a command: rejects at once when closed or in protocol-2 subscriber mode, else runs it in order. */
  sendCommand(cmd: Command): Promise<any> {
    const lname = cmd.name.toLowerCase();
    if (this.status === 'wait') this.connect().catch(() => {});
    if (this.status === 'end') {
      cmd.reject(new Error(CLOSED));
      return cmd.promise;
    }
    if (this.mode === 'subscriber' && !VALID_IN_SUBSCRIBER_MODE.has(lname)) {
      cmd.reject(new Error('Connection in subscriber mode, only subscriber commands may be used'));
      return cmd.promise;
    }
    if (lname === 'select' && /^-?\d+$/.test(String(cmd.args[0]))) {
      const db = parseInt(String(cmd.args[0]), 10);
      if (db !== this.selected) {
        this.selected = db;
        queueMicrotask(() => this.emit('select', db));
      }
    }
    if (this.status !== 'ready' || this.blocked || this.queue.length > 0) this.queue.push(cmd);
    else this.run(cmd);
    return cmd.promise;
  }

  /** Runs queued commands until one blocks. */
  private drain(): void {
    while (this.status === 'ready' && !this.blocked && this.queue.length > 0) this.run(this.queue.shift()!);
  }

  /** Runs one command on the engine client and settles its Promise. */
  private run(cmd: Command): void {
    const client = this.conn!;
    const lname = cmd.name.toLowerCase();
    let r: unknown;
    try {
      // A subscribed ioredis 6 connection speaks RESP3, where other commands
      // are allowed: the engine client switches to RESP3 for the time it is
      // subscribed (RESP2 otherwise, whose shapes are ioredis's `legacy`).
      if (SUBSCRIBE.has(lname) && !this.resp3 && this.options.protocol !== 2) {
        client.call('HELLO', '3');
        this.resp3 = true;
      }
      cmd.script?.prepare(cmd, client);
      r = cmd.buffers ? client.callBuffer(cmd.name, ...cmd.args) : client.call(cmd.name, ...cmd.args);
    } catch (e) {
      return this.settleError(cmd, e);
    }
    if (r instanceof Promise) {
      this.blocked = true;
      r.then(
        (v) => {
          this.blocked = false;
          this.settle(cmd, v);
          this.drain();
        },
        (e) => {
          this.blocked = false;
          // Closed while blocked (disconnect): ioredis's message for it.
          this.settleError(cmd, this.status === 'end' ? new Error(CLOSED) : e);
          this.drain();
        },
      );
      return;
    }
    this.settle(cmd, r);
    if (lname === 'quit') this.quitted();
  }

  private settleError(cmd: Command, e: unknown): void {
    if (e instanceof ReplyError) e.command = { name: cmd.name, args: cmd.args };
    cmd.reject(e);
  }

  private settle(cmd: Command, r: unknown): void {
    // An asynchronous adapter (IndexedDB): a reply is delivered once what
    // came before it is durable. Its flushes resolve in order, so replies
    // keep their order.
    const durable = this.conn?._durable();
    if (durable) {
      durable.then(
        () => this.settleNow(cmd, r),
        (e) => this.settleError(cmd, e),
      );
      return;
    }
    this.settleNow(cmd, r);
  }

  private settleNow(cmd: Command, r: unknown): void {
    const lname = cmd.name.toLowerCase();
    if (this.resp3) r = legacy(r);
    r = toBuffers(r);
    if ((SUBSCRIBE.has(lname) || UNSUBSCRIBE.has(lname)) && Array.isArray(r)) {
      // One confirmation per channel: the command resolves with the count of the last.
      const confs = (Array.isArray(r[0]) ? r : [r]) as unknown[][];
      const count = Number(confs[confs.length - 1]![2]);
      // Redis counts shard channels apart from channels and patterns.
      if (lname[0] === 's') this.shardSubscriptions = count;
      else this.subscriptions = count;
      // ioredis leaves subscriber mode on any count of 0 (even with other kinds left).
      this.subscriber = SUBSCRIBE.has(lname) || (this.subscriber && count !== 0);
      if (this.subscriptions === 0 && this.shardSubscriptions === 0 && this.resp3) {
        try {
          this.conn!.call('HELLO', '2');
        } catch {
          // The client is closing: nothing to switch back.
        }
        this.resp3 = false;
      }
      return cmd.resolve(count);
    }
    try {
      cmd.resolve(cmd.inTransaction ? r : cmd.transform(r));
    } catch (e) {
      cmd.reject(e);
    }
  }

  /** The engine client closed (QUIT, CLIENT KILL, the database closed). */
  private ended(): void {
    if (this.status === 'end') return;
    this.quitted();
  }

  private quitted(): void {
    if (this.status === 'end') return;
    this.status = 'end';
    this.conn?.close();
    for (const c of this.queue.splice(0)) c.reject(new Error(CLOSED));
    // After the reply, as a socket's close event comes after its data.
    setTimeout(() => {
      this.emit('close');
      this.emit('end');
    }, 0);
  }

  /** Closes the connection at once (pending blocking commands are rejected). */
  disconnect(_reconnect = false): void {
    if (this.status === 'end') return;
    this.quitted();
  }

  /** Same as {@link Redis.disconnect} (deprecated in ioredis). */
  end(): void {
    this.disconnect();
  }

  /** QUIT: resolves 'OK', then the connection ends (`close`, `end`). */
  quit(callback?: Callback<'OK'>): Promise<'OK'> {
    const cmd = new Command('quit', [], false);
    return asCallback(this.sendCommand(cmd), callback);
  }

  /** A new instance with the same options (and so the same engine), overridden by `override`. */
  duplicate(override?: RedisOptions): Redis {
    return new Redis({ ...this.options, ...(override ?? {}) });
  }

  /** A command by name: `call('SET', 'k', 'v')` or `call('set', ['k', 'v'])`. Replies as the named method's would be, without transformer unless the name is lower case. */
  call(name: string, ...args: unknown[]): Promise<any> {
    return this.command(name, args, false);
  }

  /** {@link Redis.call} with Buffer replies. */
  callBuffer(name: string, ...args: unknown[]): Promise<any> {
    return this.command(name, args, true);
  }

  /** @internal What every command method does: a trailing function is the callback. */
  command(name: string, args: unknown[], buffers: boolean): Promise<any> {
    let cb: Callback | undefined;
    if (typeof args[args.length - 1] === 'function') cb = args.pop() as Callback;
    let cmd: Command;
    try {
      cmd = new Command(name, args, buffers, this.options.keyPrefix);
    } catch (e) {
      return asCallback(Promise.reject(e), cb);
    }
    return asCallback(this.sendCommand(cmd), cb);
  }

  /** A pipeline: chained commands sent together by `exec()`, which gives `[[err, result], …]`. `commands`: `[['set', 'k', 'v'], …]`. */
  pipeline(commands?: unknown[][]): Pipeline {
    const p = new Pipeline(this, false);
    if (Array.isArray(commands)) p.addBatch(commands);
    return p;
  }

  /**
   * A MULTI transaction as a pipeline: `exec()` gives `[[err, result], …]`
   * or null when a WATCHed key changed, and rejects with EXECABORT when a
   * command was rejected while queueing. With `{ pipeline: false }` it
   * sends MULTI now (resolving 'OK'); later commands resolve 'QUEUED' and
   * `redis.exec()` runs them.
   */
  multi(commands?: unknown[][] | { pipeline?: boolean }, options?: { pipeline?: boolean }): any {
    if (options === undefined && !Array.isArray(commands)) {
      options = commands as { pipeline?: boolean } | undefined;
      commands = undefined;
    }
    if (options && options.pipeline === false) return this.command('multi', [], false);
    const p = new Pipeline(this, true);
    if (Array.isArray(commands)) p.addBatch(commands);
    return p;
  }

  /** EXEC after `multi({ pipeline: false })`: `[[err, result], …]`, or null when a WATCHed key changed. */
  exec(callback?: Callback<[Error | null, unknown][] | null>): Promise<[Error | null, unknown][] | null> {
    return asCallback(
      this.command('exec', [], false).then((r) => (Array.isArray(r) ? wrapMultiResult(r) : r)),
      callback,
    );
  }

  /**
   * Adds the methods `name` and `nameBuffer` running the Lua script
   * `definition.lua` (as ioredis): `redis.name(key1, …, arg1, …, callback?)`
   * with `numberOfKeys`, else `redis.name(numkeys, key1, …, arg1, …)`.
   * Keys get the `keyPrefix`. Pipelines and MULTI of this instance made
   * afterwards have the methods too. See {@link Script} for EVAL/EVALSHA.
   *
   * ```js
   * redis.defineCommand('release', { numberOfKeys: 1, lua: "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0" });
   * await redis.release('lock', token); // 1 or 0
   * ```
   */
  defineCommand(name: string, definition: CommandDefinition): void {
    const script = new Script(definition.lua, definition.numberOfKeys ?? null, this.options.keyPrefix);
    scriptsOf(this).set(name, script);
    const self = this as unknown as Record<string, unknown>;
    self[name] = scriptMethod(script, false);
    self[name + 'Buffer'] = scriptMethod(script, true);
  }
}

/** The commands defined on each instance (ioredis's `scriptsSet`), which its pipelines get too. */
const definedScripts = new WeakMap<Redis, Map<string, Script>>();

function scriptsOf(redis: Redis): Map<string, Script> {
  let m = definedScripts.get(redis);
  if (!m) definedScripts.set(redis, (m = new Map()));
  return m;
}

/** The method a defined command adds (to the instance and its pipelines): a trailing function is the callback. */
function scriptMethod(script: Script, buffers: boolean) {
  return function (this: Redis | Pipeline, ...args: unknown[]) {
    const cb = typeof args[args.length - 1] === 'function' ? (args.pop() as Callback) : undefined;
    return script.execute(this, args, buffers, cb);
  };
}

/** ioredis's `[[null, value], [err], …]` from a result array (errors as one-element entries). */
function wrapMultiResult(arr: unknown[]): [Error | null, unknown][] {
  return arr.map((v) => (v instanceof Error ? ([v] as unknown as [Error, unknown]) : [null, v]));
}

/**
 * Commands chained and run together (see {@link Redis.pipeline} and
 * {@link Redis.multi}). Each method queues its command and returns the
 * pipeline; `exec()` runs them in order on the connection.
 */
export class Pipeline {
  private readonly cmds: Command[] = [];
  private executed: Promise<any> | undefined;
  /** ioredis's marker. */
  readonly isPipeline = true;

  /** Made by {@link Redis.pipeline} / {@link Redis.multi}. */
  constructor(
    readonly redis: Redis,
    private readonly transaction: boolean,
  ) {
    // The commands defined on the instance, as ioredis copies them.
    const defined = definedScripts.get(redis);
    if (defined) {
      const self = this as unknown as Record<string, unknown>;
      const from = redis as unknown as Record<string, unknown>;
      for (const name of defined.keys()) {
        self[name] = from[name];
        self[name + 'Buffer'] = from[name + 'Buffer'];
      }
    }
  }

  /** Number of queued commands (MULTI and EXEC included for a transaction, as ioredis counts). */
  get length(): number {
    return this.cmds.length + (this.transaction ? 2 : 0);
  }

  /** @internal Queues a command; its own callback, if any, gets its reply. */
  command(name: string, args: unknown[], buffers: boolean): this {
    let cb: Callback | undefined;
    if (typeof args[args.length - 1] === 'function') cb = args.pop() as Callback;
    const cmd = new Command(name, args, buffers, this.redis.options.keyPrefix);
    asCallback(cmd.promise, cb);
    return this.push(cmd);
  }

  /** @internal Queues a made command (its callback, if any, is attached already). */
  push(cmd: Command): this {
    cmd.inTransaction = this.transaction;
    cmd.promise.catch(() => {});
    this.cmds.push(cmd);
    return this;
  }

  /** A command by name. */
  call(name: string, ...args: unknown[]): this {
    return this.command(name, args, false);
  }

  /** A command by name, Buffer replies. */
  callBuffer(name: string, ...args: unknown[]): this {
    return this.command(name, args, true);
  }

  /** Queues `[['set', 'k', 'v'], …]`. */
  addBatch(commands: unknown[][]): this {
    for (const [name, ...args] of commands) (this as any)[String(name)](...args);
    return this;
  }

  /** Runs the queued commands: `[[err, result], …]` (a transaction: see {@link Redis.multi}). */
  exec(callback?: Callback<any>): Promise<any> {
    if (!this.executed) this.executed = this.transaction ? this.runTransaction() : this.runPipeline();
    return asCallback(this.executed, callback);
  }

  private send(cmd: Command): Promise<[unknown, unknown?]> {
    return this.redis.sendCommand(cmd).then(
      (v) => [null, v],
      (e) => [e],
    );
  }

  private async runPipeline(): Promise<[unknown, unknown?][]> {
    return Promise.all(this.cmds.map((c) => this.send(c)));
  }

  private async runTransaction(): Promise<[Error | null, unknown][] | null> {
    const multi = new Command('multi', [], false);
    // EXEC's reply comes as Buffers and each element is decoded as its own
    // command's (a getBuffer inside gives a Buffer), as in ioredis.
    const exec = new Command('exec', [], true);
    const all = [multi, ...this.cmds, exec].map((c) => this.send(c));
    const results = await Promise.all(all);
    const [execErr, execResult] = results[results.length - 1]!;
    if (execErr) {
      (execErr as { previousErrors?: unknown[] }).previousErrors = results
        .slice(0, -1)
        .filter((r) => r[0])
        .map((r) => r[0]);
      throw execErr;
    }
    if (!Array.isArray(execResult)) return execResult as null;
    const out = execResult.map((v, i) => {
      const c = this.cmds[i];
      if (v instanceof Error || !c) return v;
      try {
        return c.transform(c.buffers ? v : toStrings(v));
      } catch (e) {
        return e;
      }
    });
    return wrapMultiResult(out);
  }
}

/** Every command as a method (`redis.get(key)`, `redis.getBuffer(key)`), returning a Promise of its reply. */
export interface Redis extends CommandMethods<Promise<any>> {}
/** Every command as a method that queues it and returns the pipeline, for chaining. */
export interface Pipeline extends CommandMethods<Pipeline> {}

for (const name of COMMAND_NAMES) {
  for (const [method, buffers] of [
    [name, false],
    [name + 'Buffer', true],
  ] as const) {
    if (!Object.prototype.hasOwnProperty.call(Redis.prototype, method)) {
      Object.defineProperty(Redis.prototype, method, {
        value: function (this: Redis, ...args: unknown[]) {
          return this.command(name, args, buffers);
        },
        writable: true,
        configurable: true,
      });
    }
    if (!Object.prototype.hasOwnProperty.call(Pipeline.prototype, method)) {
      Object.defineProperty(Pipeline.prototype, method, {
        value: function (this: Pipeline, ...args: unknown[]) {
          return this.command(name, args, buffers);
        },
        writable: true,
        configurable: true,
      });
    }
  }
}

/** Assigns `src`'s properties that `dst` lacks (lodash's `defaults`). */
function defaults(dst: RedisOptions, src: RedisOptions): void {
  for (const k of Object.keys(src)) if (dst[k] === undefined) dst[k] = src[k];
}

/** The options of a `redis://user:pass@host:port/db?opt=v` URL (only `db` matters here). */
function parseUrl(url: string): RedisOptions {
  if (/^\d+$/.test(url)) return { port: Number(url) };
  const out: RedisOptions = {};
  try {
    const u = new URL(/^rediss?:\/\//i.test(url) ? url : 'redis://' + url);
    if (u.hostname) out.host = u.hostname;
    if (u.port) out.port = Number(u.port);
    // As ioredis: `redis://:pass@host` has an empty user and a password.
    if (u.username || u.password) {
      out.username = decodeURIComponent(u.username);
      out.password = decodeURIComponent(u.password);
    }
    if (u.pathname.length > 1) out.db = parseInt(u.pathname.slice(1), 10);
    u.searchParams.forEach((v, k) => (out[k] = v));
  } catch {
    // Not a URL: nothing to take from it.
  }
  return out;
}

export default Redis;
