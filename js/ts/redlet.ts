/**
 * The JS API: {@link Redlet} (one database: an engine in wasm, its storage
 * and timers) and {@link Client} (one connection to it). Commands run
 * synchronously in the engine; this layer converts arguments, dispatches
 * replies and pushes, settles blocking commands' Promises and drives the
 * engine's timers. Semantics are the core's.
 *
 * Timers: after each command the engine says when it next needs `tick`
 * (a blocked client's timeout, active expiry while keys have a TTL,
 * journal flushes and save points). One JS timer is kept for that instant;
 * with nothing pending there is none. It never keeps a Node process alive
 * (`unref`), except while a blocked command has a timeout, so that the
 * timeout settles its Promise.
 */
import { Emitter } from './emitter.js';
import { ClosedError, ReplyError, StorageError } from './errors.js';
import type { StorageAdapter } from './storage.js';
import { ArgBuffer, Generation, Push, RawEngine, Seq, WasmSource, generation, isTrap, nodeProcess, pack, poison } from './wasm.js';

/** A value for `config`: strings as in redis.conf; numbers, booleans (`yes`/`no`) and lists (joined by spaces) for convenience. */
export type ConfigValue = string | number | boolean | readonly (string | number)[];

/** Options of {@link Redlet.open}. */
export interface OpenOptions {
  /** Where the snapshot and journal live (`nodeFsStorage(dir)` from `redlet/node`, `MemoryStorage`, ...). Without it nothing is persisted. */
  storage?: StorageAdapter;
  /** redis.conf directives by name: `{ maxmemory: '64mb', 'maxmemory-policy': 'allkeys-lru', appendonly: 'yes' }`. Also reachable with CONFIG GET/SET. */
  config?: Record<string, ConfigValue>;
  /** The time in ms (default: the system clock). Tests pass a function they control to move time. */
  clock?: () => number;
  /** Seed of every random choice (SPOP, RANDOMKEY, eviction sampling). Default: random. */
  seed?: number;
  /** Where the wasm module comes from (Workers: the imported module). Default: next to this file. */
  wasm?: WasmSource;
  /**
   * ACL users created at open, before any client runs a command (what
   * redis.conf's `user` lines do; users are not persisted, so they are
   * given at every open). Each value is the rule list of `ACL SETUSER
   * <name> ...`: a string split on spaces (`'on >s3cret ~app:* +@all
   * -@admin'`) or an array of rules, for rules that contain spaces. A
   * refused rule rejects `open()` with a `TypeError` carrying Redis's text.
   */
  users?: Record<string, string | readonly string[]>;
  /** The ACL user the database's own client ({@link Redlet.call}) runs as; see {@link ClientOptions.user}. */
  user?: string;
  /** Authenticates the database's own client as `AUTH [user] password` does; a refusal rejects `open()` with the WRONGPASS {@link ReplyError} and leaves nothing open. */
  password?: string;
}

/**
 * Options of {@link Redlet.client}: what `CLIENT LIST` shows, and who the
 * client is. The engine checks every command a client runs against its
 * ACL user (NOPERM errors), inside MULTI/EXEC and inside scripts too.
 */
export interface ClientOptions {
  /** `ip:port` shown by CLIENT LIST (empty in process). */
  addr?: string;
  /** The local address shown by CLIENT LIST. */
  laddr?: string;
  /**
   * The ACL user to run as. With `password`, the client authenticates as
   * `AUTH user password` would. Without it, the host vouches for the
   * client (Redis modules' `RM_AuthenticateClientWithACLUser`): the user
   * must exist and be on, its password is not asked. That is the form for
   * a web app that gives each tab or tenant its own user, confined to its
   * keys (`~tenant1:*`) and channels (`&tenant1:*`).
   */
  user?: string;
  /** The password: `AUTH password` without `user` (the `default` user, `requirepass`), `AUTH user password` with it. A refusal throws the WRONGPASS {@link ReplyError} and the client is closed. */
  password?: string;
}

/** A pub/sub message as the async iterator yields it. */
export interface Message<T = string> {
  /** `message`, `pmessage` or `smessage`. */
  type: 'message' | 'pmessage' | 'smessage';
  /** The channel it was published to. */
  channel: T;
  /** The payload. */
  message: T;
  /** The pattern that matched (`pmessage` only). */
  pattern?: T;
}

const SUBSCRIBE_KINDS = new Set(['subscribe', 'unsubscribe', 'psubscribe', 'punsubscribe', 'ssubscribe', 'sunsubscribe']);
const decoder = new TextDecoder();
const text = (v: unknown): string => (v instanceof Uint8Array ? decoder.decode(v) : String(v));

/** INFO server facts of this process (Node), or the defaults elsewhere. */
function processFacts(): Record<string, string | number> {
  const p = nodeProcess();
  const facts: Record<string, string | number> = { archBits: 32, multiplexingApi: 'node' };
  if (!p) return facts;
  const os = p.getBuiltinModule?.('node:os') as { type(): string; release(): string; arch(): string; totalmem(): number } | undefined;
  facts.processId = p.pid;
  facts.executable = p.execPath;
  if (os) {
    facts.os = `${os.type()} ${os.release()} ${os.arch()}`;
    facts.totalSystemMemory = os.totalmem();
  }
  return facts;
}

/** State shared by a database and its clients: the engine, clients, timers. */
export class Core {
  readonly clients = new Map<number, Client>();
  /** RESP connections of `serve()`: called when their output is ready. */
  readonly conns = new Map<number, () => void>();
  closed = false;
  /** Address of the engine's scratch words (see `Generation.reply`). */
  private readonly scratch: number;
  /** The engine's argument buffer (see `pack`). */
  private readonly args: ArgBuffer = { ptr: 0, cap: 0 };
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** When the timer fires: real time (`Date.now()` ms) and engine time (the wakeup it serves). */
  private timerAt = Infinity;
  private timerWake = Infinity;
  private readonly tickMs: number;

  constructor(
    readonly gen: Generation,
    readonly raw: RawEngine,
    readonly storage: StorageAdapter | undefined,
  ) {
    this.tickMs = 1000 / Math.max(1, Number(raw.getConfig('hz') ?? 10));
    this.scratch = raw.scratch();
    this.setHost(processFacts());
    this.refreshUsage();
  }

  /** Tells INFO about the host (see `setHostInfo` in js/src/lib.rs); serve() adds `tcpPort`. */
  setHost(facts: Record<string, string | number>): void {
    this.raw.setHostInfo(facts);
  }

  /**
   * INFO's moving figures: `used_memory_rss` is the wasm memory's size (the
   * database's resident memory; a wasm memory never shrinks), CPU time is
   * the process's.
   */
  private refreshUsage(): void {
    const cpu = nodeProcess()?.cpuUsage?.();
    this.raw.setHostInfo({
      rssBytes: this.gen.bytes().length,
      ...(cpu ? { cpuSys: cpu.system / 1e6, cpuUser: cpu.user / 1e6 } : {}),
    });
  }

  /**
   * Runs a command as the engine's system client: the host itself, which
   * no ACL rule or `requirepass` restricts (journal replay uses it too).
   * For set-up the host does (`OpenOptions.users`), never for a client's
   * commands. Returns the raw reply (a {@link ReplyError} is returned, not thrown).
   */
  system(args: readonly unknown[]): unknown {
    return this.run((raw) => {
      const used = pack(this.gen, raw, this.args, args);
      const tag = raw.systemExec(args.length, used, false);
      this.gen.refresh();
      return this.gen.reply(raw, tag, this.scratch);
    });
  }

  /** Runs `f` on the engine; a trap marks the instance dead and throws {@link EngineDeadError}. */
  run<T>(f: (raw: RawEngine) => T): T {
    if (this.gen.dead !== undefined) throw poison(this.gen, this.gen.dead);
    if (this.closed) throw new ClosedError();
    let r: T;
    try {
      r = f(this.raw);
    } catch (e) {
      if (isTrap(e)) {
        this.stopTimer();
        throw poison(this.gen, e);
      }
      throw e;
    }
    this.gen.refresh();
    if (this.gen.flags(this.scratch) & 2) throw this.fail();
    return r;
  }

  /**
   * A write could not be made durable with `appendfsync always`: Redis
   * exits without replying, so the database closes here without
   * delivering the reply; reopening it loads every acknowledged write.
   */
  private fail(): StorageError {
    const why = this.raw.fatalError() ?? 'unknown error';
    const err = new StorageError(
      `redlet: can't write the journal with appendfsync always (${why}); the write was not acknowledged and the database was closed, as Redis exits. Open it again to load every acknowledged write.`,
    );
    this.closed = true;
    this.stopTimer();
    for (const c of [...this.clients.values()]) c.closeQuietly();
    for (const conn of [...this.conns.values()]) conn();
    this.conns.clear();
    const storage = this.storage;
    this.raw.free();
    void Promise.resolve(storage?.close?.()).catch(() => {});
    return err;
  }

  /** Runs one command for client `id`: the raw reply, or `undefined` when it blocked. */
  exec(id: number, args: readonly unknown[], buffers: boolean, first = 0): unknown {
    // `run`'s checks inlined: this is the path every command takes, and a
    // closure per command shows in the profile.
    const gen = this.gen;
    if (gen.dead !== undefined) throw poison(gen, gen.dead);
    if (this.closed) throw new ClosedError();
    const raw = this.raw;
    let r: unknown;
    try {
      const used = pack(gen, raw, this.args, args, first);
      const tag = raw.exec(id, args.length - first, used, buffers);
      gen.refresh();
      // Before anything is delivered (a BLPOP this write would serve).
      if (gen.flags(this.scratch) & 2) throw this.fail();
      r = gen.reply(raw, tag, this.scratch);
      this.after(r === undefined);
    } catch (e) {
      if (isTrap(e)) {
        this.stopTimer();
        throw poison(gen, e);
      }
      throw e;
    }
    return r;
  }

  /**
   * After a command: delivers what it woke (other clients' replies and
   * messages, RESP connections' output) and keeps the timer right.
   * `blocked`: the command blocked, so it may have added an early deadline.
   */
  after(blocked: boolean): void {
    const gen = this.gen;
    gen.refresh();
    if (gen.flags(this.scratch) & 1) {
      this.deliver();
      gen.refresh();
    }
    const w = gen.wakeup(this.scratch);
    // Nothing pending, or a timer at least as early: nothing to do (the
    // common case costs no call into the engine).
    if (!blocked && (w < 0 ? this.timer === undefined : this.timer !== undefined && this.timerWake <= w)) return;
    this.schedule();
  }

  /** Hands woken clients their outputs, until nothing is woken. */
  deliver(): void {
    const raw = this.raw;
    for (let guard = 0; guard < 1000; guard++) {
      const ids = raw.takeWoken();
      if (ids.length === 0) return;
      for (const id of ids) {
        const conn = this.conns.get(id);
        if (conn) {
          conn();
          continue;
        }
        const c = this.clients.get(id);
        if (c) c.drain();
        else while (raw.popOutput(id, false) !== undefined);
      }
    }
  }

  /** Sets the one timer to the engine's next wakeup, or clears it. */
  schedule(): void {
    if (this.closed) return;
    const w = this.raw.nextWakeup();
    if (w < 0) {
      this.stopTimer();
      return;
    }
    const delay = Math.max(0, Math.min(w - this.raw.now(), 2 ** 31 - 1));
    const at = Date.now() + delay;
    if (this.timer !== undefined && this.timerAt <= at) return this.setRef();
    this.stopTimer();
    this.timerAt = at;
    this.timerWake = w;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.timerAt = Infinity;
      this.timerWake = Infinity;
      if (this.closed || this.gen.dead !== undefined) return;
      try {
        this.tick();
      } catch {
        // Trap: already reported by `run` to the next caller.
      }
    }, delay);
    this.setRef();
  }

  /**
   * The timer never keeps a Node process alive, except while a blocked
   * command has a timeout: someone may await it, and the timeout must
   * settle it. (A BLPOP with timeout 0 that nobody can serve lets the
   * process exit, as an idle socket-less program would.)
   */
  private setRef(): void {
    const awaited = this.raw.nextDeadline() >= 0;
    const t = this.timer as { ref?: () => void; unref?: () => void } | undefined;
    if (awaited) t?.ref?.();
    else t?.unref?.();
  }

  /** Runs the engine's periodic work now, delivers what it woke and re-arms the timer. */
  tick(): void {
    this.run((raw) => {
      this.refreshUsage();
      raw.tick();
      this.deliver();
      this.schedule();
    });
  }

  stopTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Infinity;
    this.timerWake = Infinity;
  }
}

/**
 * One connection to a database: its own selected db, MULTI/WATCH state,
 * subscriptions and blocked state, like a Redis connection.
 *
 * Events: `message (channel, message)`, `pmessage (pattern, channel,
 * message)`, `smessage (channel, message)`, `push (items)` for other
 * out-of-band data, `close`.
 */
export class Client extends Emitter {
  /** The engine's client id (CLIENT ID). */
  readonly id: number;
  /** Pushes (messages) are converted with bulk strings as `Uint8Array` instead of strings. */
  pushBuffers = false;
  private waiting: { resolve(v: unknown): void; reject(e: unknown): void; buffers: boolean }[] = [];
  private queue: Message<unknown>[] = [];
  private wake: (() => void) | undefined;
  private isClosed = false;

  /** Opens a client on `core` (use `db.client()`); authenticates it as `info` says (see {@link ClientOptions}), closing it when that is refused. */
  constructor(
    protected readonly core: Core,
    info: ClientOptions = {},
  ) {
    super();
    this.id = core.run((raw) => raw.openClient(info.addr ?? '', info.laddr ?? ''));
    core.clients.set(this.id, this);
    try {
      this.authenticate(info);
    } catch (e) {
      // Not `close()`: for the database's own client that is Redlet.close.
      this.release();
      throw e;
    }
  }

  /**
   * `AUTH [user] password` when there is a password (the engine's own
   * command: a refusal is logged in ACL LOG as Redis logs it); the
   * trusted-host form (`authenticateAs`) for a user alone. The error
   * names the command without the password.
   */
  private authenticate(info: ClientOptions): void {
    const { user, password } = info;
    if (password !== undefined) {
      const args = user === undefined ? ['AUTH', password] : ['AUTH', user, password];
      const r = this.core.exec(this.id, args, false);
      if (r instanceof ReplyError) {
        r.command = { name: 'AUTH', args: user === undefined ? [] : [user] };
        throw r;
      }
    } else if (user !== undefined) {
      try {
        this.core.run((raw) => raw.authenticateAs(this.id, new TextEncoder().encode(user)));
      } catch (e) {
        if (typeof e !== 'string') throw e;
        const err = new ReplyError(e);
        err.command = { name: 'AUTH', args: [user] };
        throw err;
      }
    }
  }

  /**
   * Runs a command and returns its reply: bulk strings as strings, integers
   * as numbers (bigint beyond 2^53), nil as null, arrays as arrays, RESP3
   * maps as `Map`. An error reply throws {@link ReplyError}. A blocking
   * command that has to wait (BLPOP on an empty list) returns a Promise
   * settled when another client serves it or its timeout passes.
   */
  call(...args: unknown[]): any {
    return this.result(this.core.exec(this.id, args, false), args, false);
  }

  /** {@link Client.call} with bulk and status replies as `Uint8Array`. */
  callBuffer(...args: unknown[]): any {
    return this.result(this.core.exec(this.id, args, true), args, true);
  }

  /**
   * {@link Client.call} as a Promise; with a storage adapter and
   * `appendfsync always` it resolves once the write is durable.
   */
  async send(...args: unknown[]): Promise<any> {
    const r = await this.call(...args);
    await this.core.storage?.flush?.();
    return r;
  }

  /** @internal With an asynchronous storage adapter: resolves once everything written so far is durable. `undefined` otherwise. */
  _durable(): Promise<void> | undefined {
    return this.core.storage?.flush?.();
  }

  /** Converts a raw reply: throws errors, dispatches pushes, wraps a block in a Promise. */
  private result(r: unknown, args: readonly unknown[], buffers: boolean): any {
    if (r === undefined) {
      const p = new Promise((resolve, reject) => this.waiting.push({ resolve, reject, buffers }));
      this.core.schedule();
      return p;
    }
    if (r instanceof ReplyError) {
      r.command = { name: text(args[0]), args: args.slice(1) };
      throw r;
    }
    if (r instanceof Push) return this.direct([r]);
    if (r instanceof Seq) return this.direct(r.items);
    if (this.core.closed) this.closeQuietly();
    return r;
  }

  /**
   * The reply of a command that answered with pushes (SUBSCRIBE's
   * confirmations) or whose reply came after pushes meant for this client
   * (a RESP3 client notified of its own write): the confirmations and
   * the reply are returned, messages are dispatched.
   */
  private direct(items: unknown[]): any {
    const reply: unknown[] = [];
    for (const it of items) {
      if (it instanceof Push && !SUBSCRIBE_KINDS.has(text(it.items[0]))) this.dispatch(it.items);
      else if (it instanceof Push) reply.push(it.items);
      else if (it instanceof ReplyError) throw it;
      else reply.push(it);
    }
    return reply.length === 1 ? reply[0] : reply;
  }

  /** Takes this client's outputs from the engine (called when it was woken). */
  drain(): void {
    const raw = this.core.raw;
    for (;;) {
      const buffers = this.waiting.length > 0 ? this.waiting[0]!.buffers : this.pushBuffers;
      const v = raw.popOutput(this.id, buffers);
      if (v === undefined) break;
      if (v instanceof Push) this.dispatch(v.items);
      else if (v instanceof Seq) v.items.forEach((x) => this.settle(x));
      else this.settle(v);
    }
    if (raw.shouldClose(this.id)) this.closeQuietly();
  }

  private settle(v: unknown): void {
    if (v instanceof Push) return this.dispatch(v.items);
    const w = this.waiting.shift();
    if (!w) return;
    if (v instanceof ReplyError) w.reject(v);
    // An asynchronous adapter: the command (a BLPOP's pop) is acknowledged
    // once what it wrote is durable.
    else if (this.core.storage?.flush) w.resolve(this.core.storage.flush().then(() => v));
    else w.resolve(v);
  }

  /**
   * Emits a push as the event its kind names, and queues messages for
   * {@link Client.messages}. Client-side caching (CLIENT TRACKING, RESP3)
   * gives `invalidate` events with the keys to drop, or `null` for all
   * (FLUSHALL/FLUSHDB).
   */
  private dispatch(items: unknown[]): void {
    const kind = text(items[0]);
    let m: Message<unknown> | undefined;
    if (kind === 'message' || kind === 'smessage') {
      m = { type: kind, channel: items[1], message: items[2] };
      this.emit(kind, items[1], items[2]);
    } else if (kind === 'pmessage') {
      m = { type: kind, pattern: items[1], channel: items[2], message: items[3] };
      this.emit(kind, items[1], items[2], items[3]);
    } else if (kind === 'invalidate') {
      this.emit('invalidate', items[1]);
    } else {
      this.emit('push', items);
    }
    if (m && this.iterating) {
      this.queue.push(m);
      this.wake?.();
    }
  }

  private iterating = 0;

  /**
   * Pub/sub messages as an async iterator: `for await (const m of
   * sub.messages())`. Messages are queued from the moment the iterator is
   * created; it ends when the client closes.
   */
  messages(): AsyncIterableIterator<Message<any>> {
    this.iterating++;
    const self = this;
    let done = false;
    const finish = () => {
      if (!done) {
        done = true;
        self.iterating--;
      }
    };
    return {
      [Symbol.asyncIterator]() {
        return this;
      },
      async next(): Promise<IteratorResult<Message<any>>> {
        for (;;) {
          if (done) return { value: undefined, done: true };
          const m = self.queue.shift();
          if (m) return { value: m as Message<any>, done: false };
          if (self.isClosed) {
            finish();
            return { value: undefined, done: true };
          }
          await new Promise<void>((r) => (self.wake = r));
          self.wake = undefined;
        }
      },
      async return(): Promise<IteratorResult<Message<any>>> {
        finish();
        return { value: undefined, done: true };
      },
    };
  }

  /** Number of blocking commands of this client waiting for their reply. */
  get pending(): number {
    return this.waiting.length;
  }

  /** True once the client is closed (by `close()`, QUIT, CLIENT KILL or the database closing). */
  get closed(): boolean {
    return this.isClosed;
  }

  /** Closes the client: subscriptions end, a pending blocking command is rejected. */
  close(): void {
    this.release();
  }

  /** {@link Client.close}'s work, which the database's `close` (an override) does not replace. */
  private release(): void {
    if (this.isClosed) return;
    if (!this.core.closed && this.core.gen.dead === undefined) {
      try {
        this.core.run((raw) => raw.closeClient(this.id));
      } catch {
        // The engine is gone: nothing to release.
      }
    }
    this.closeQuietly();
  }

  /** Forgets the client locally (the engine already dropped it). */
  closeQuietly(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.core.clients.delete(this.id);
    for (const w of this.waiting.splice(0)) w.reject(new ClosedError('client'));
    this.wake?.();
    this.emit('close');
  }
}

/** What {@link Redlet.open} loaded from storage. */
export interface LoadReport {
  /** Keys in the snapshot and journal that were loaded. */
  keys: number;
  /** Keys dropped because they had expired while stored. */
  expired: number;
  /** Journal records replayed on top of the snapshot. */
  journalRecords: number;
}

/** Options of {@link Redlet.close}. */
export interface CloseOptions {
  /** Save a snapshot (`true`), don't (`false`), or do what SHUTDOWN does: save when `save` points are configured (default). */
  save?: boolean;
}

/**
 * One database: an engine, its storage and its timers, and a default
 * client that {@link Redlet.call} uses.
 *
 * ```js
 * import { Redlet } from 'redlet';
 * const db = await Redlet.open();
 * db.call('SET', 'greeting', 'hello', 'EX', 60);
 * db.call('GET', 'greeting'); // 'hello'
 * ```
 */
export class Redlet extends Client {
  /** Opens a database: instantiates the engine, applies `config`, loads `storage`. */
  static async open(opts: OpenOptions = {}): Promise<Redlet> {
    const gen = await generation(opts.wasm);
    const config: [string, string][] = [];
    for (const [k, v] of Object.entries(opts.config ?? {})) {
      config.push([k, typeof v === 'boolean' ? (v ? 'yes' : 'no') : Array.isArray(v) ? v.join(' ') : String(v)]);
    }
    const seed = opts.seed ?? Math.floor(Math.random() * 2 ** 52);
    let raw: RawEngine;
    try {
      raw = gen.engine(config, seed, opts.clock);
    } catch (e) {
      throw new TypeError(`redlet: ${text(e)}`);
    }
    const storage = opts.storage;
    let report: LoadReport | undefined;
    if (storage) {
      try {
        await storage.open?.();
        raw.setStorage(storage);
        const [keys, expired, journalRecords] = raw.load() as number[];
        report = { keys: keys!, expired: expired!, journalRecords: journalRecords! };
        storage.loaded?.();
      } catch (e) {
        raw.free();
        await storage.close?.();
        if (Array.isArray(e)) {
          // The core's [blob, reason]: named as the adapter stores it.
          const [blob, reason] = e as [string, string];
          throw new StorageError(`redlet: cannot load ${storage.pathOf?.(blob) ?? blob}: ${reason}. It was left as it is; move it away (or fix it) to open the database.`);
        }
        throw e instanceof StorageError ? e : new StorageError(`redlet: cannot open the storage: ${text(e instanceof Error ? e.message : e)}`, e);
      }
    }
    const core = new Core(gen, raw, storage);
    let db: Redlet;
    try {
      for (const [name, rules] of Object.entries(opts.users ?? {})) {
        const list = typeof rules === 'string' ? rules.split(' ').filter((r) => r !== '') : [...rules];
        const r = core.system(['ACL', 'SETUSER', name, ...list]);
        if (r instanceof ReplyError) throw new TypeError(`redlet: users.${name}: ${r.message}`);
      }
      db = new Redlet(core, { user: opts.user, password: opts.password });
    } catch (e) {
      await Redlet.abandon(core);
      throw e;
    }
    db.loadReport = report;
    core.schedule();
    return db;
  }

  /** Closes what a failed `open()` had opened, saving nothing (the storage keeps what it held). */
  private static async abandon(core: Core): Promise<void> {
    core.closed = true;
    core.stopTimer();
    for (const c of [...core.clients.values()]) c.closeQuietly();
    if (core.gen.dead === undefined) core.raw.free();
    await core.storage?.close?.();
  }

  /** What opening loaded from storage (`undefined` without storage). */
  loadReport: LoadReport | undefined;

  private constructor(core: Core, info: ClientOptions) {
    super(core, info);
  }

  /**
   * Opens another client of this database (its own db, MULTI,
   * subscriptions, blocked state), optionally as an ACL user:
   *
   * ```js
   * db.call('ACL', 'SETUSER', 'tenant1', 'on', '~t1:*', '&t1:*', '+@all', '-@admin', '-@dangerous');
   * const t1 = db.client({ user: 'tenant1' });   // trusted host: no password asked
   * t1.call('GET', 't2:secret');                 // throws ReplyError NOPERM
   * ```
   *
   * A refused `password` throws the WRONGPASS {@link ReplyError}, as does
   * a `user` alone that does not exist or is off.
   */
  client(info: ClientOptions = {}): Client {
    return new Client(this.core, info);
  }

  /** Runs due timers now (timeouts, active expiry, journal flushes): useful after moving an injected clock. */
  tick(): void {
    this.core.tick();
  }

  /**
   * Replaces the whole dataset (every database) and the function libraries
   * with those of a Redis RDB file, e.g. a `dump.rdb` from redis-server or
   * Valkey: all or nothing, a bad file throws a `ReplyError` naming the
   * reason and byte offset and changes nothing. With storage the result is
   * saved (SAVE) before the promise resolves.
   *
   * ```ts
   * const report = await db.importRdb(await fs.readFile('dump.rdb'));
   * // { keys: 1002002, expired: 0, empty: 0, functions: 0, version: 10 }
   * ```
   */
  async importRdb(bytes: Uint8Array): Promise<{ keys: number; expired: number; empty: number; functions: number; version: number }> {
    if (!(bytes instanceof Uint8Array)) throw new TypeError('redlet: importRdb takes a Uint8Array');
    const r = this.core.run((raw) => {
      try {
        return raw.importRdb(bytes);
      } catch (e) {
        throw new ReplyError(String(e));
      }
    });
    if (this.core.storage) {
      await this.send('SAVE');
      await this.flush();
    }
    return { keys: r[0], expired: r[1], empty: r[2], functions: r[3], version: r[4] };
  }

  /** The whole dataset as a Redis RDB file (version 10) that redis-server 7.0 loads. */
  exportRdb(): Uint8Array {
    return this.core.run((raw) => raw.exportRdb());
  }

  /** Resolves once everything written so far is durable in storage (journal synced, the adapter's queue flushed). */
  async flush(): Promise<void> {
    if (!this.core.storage) return;
    this.core.run((raw) => raw.syncJournal());
    await this.core.storage.flush?.();
  }

  /**
   * Closes the database as SHUTDOWN does: syncs the journal, saves a
   * snapshot (see {@link CloseOptions}), closes every client and the
   * storage. A failed save throws and leaves the database open.
   */
  override async close(opts: CloseOptions = {}): Promise<void> {
    const core = this.core;
    if (core.closed) return;
    if (core.gen.dead === undefined) {
      core.run((raw) => raw.shutdown(opts.save === undefined ? -1 : opts.save ? 1 : 0));
    }
    core.closed = true;
    core.stopTimer();
    for (const c of [...core.clients.values()]) c.closeQuietly();
    for (const conn of [...core.conns.values()]) conn();
    core.conns.clear();
    if (core.storage) {
      try {
        await core.storage.flush?.();
      } finally {
        await core.storage.close?.();
      }
    }
    if (core.gen.dead === undefined) core.raw.free();
  }

  /** @internal The shared state, for `serve()` and the ioredis-shaped client. */
  get _core(): Core {
    return this.core;
  }
}
