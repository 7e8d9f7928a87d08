/**
 * `redlet/tabs`: {@link openShared}, one database shared by every tab and
 * worker of an origin that opens the same name.
 *
 * One context, the holder, runs the engine over the storage; it is elected
 * with the Web Locks API (the lock `redlet:<name>`, held until the holder
 * closes or its tab/worker goes away, which the browser releases). The
 * others send commands over the BroadcastChannel `redlet:<name>` and get
 * replies, pub/sub messages and blocking results back on it. The holder
 * runs each remote client's commands in order on an engine client of its
 * own (its SELECT, MULTI, subscriptions, blocked state), so a remote client
 * behaves as a local one.
 *
 * Messages (structured clones): `who` (a context asks for the holder),
 * `hello {holder}` (the holder announces itself, after loading), `cmd
 * {holder, from, cid, seq, args, buffers}`, `reply {to, seq, value |
 * error}`, `push {to, cid, kind, args}`, `bye {from}` (a context closes:
 * its engine clients go). Each context also holds the lock
 * `redlet:<name>:ctx:<id>` for its lifetime; the holder queues for it and
 * closes that context's engine clients when it is granted (the context
 * closed or died: its blocked commands and subscriptions end).
 *
 * Consistency: the holder answers a command once `send` resolved, i.e.
 * with `appendfsync always` once the write is in storage. When the holder
 * goes away, the next context in the lock's queue takes it, loads from
 * storage and says hello; every acknowledged write is there. Commands in
 * flight to the old holder are rejected with {@link HolderGoneError} (they
 * may or may not have been applied; none is ever sent twice), and
 * subscriptions are made again on the new holder.
 */
import { Emitter } from './emitter.js';
import { ClosedError, ReplyError } from './errors.js';
import { indexedDBStorage } from './indexeddb.js';
import { Client, Redlet, type ConfigValue, type Message } from './redlet.js';
import type { StorageAdapter } from './storage.js';
import type { WasmSource } from './wasm.js';

/** Options of {@link openShared}. */
export interface SharedOptions {
  /** The storage the holder opens (default: `indexedDBStorage(name)`). Called in whichever context becomes the holder. */
  storage?: (name: string) => StorageAdapter;
  /** redis.conf directives for the holder's engine (default: `appendonly yes`, `appendfsync always`). */
  config?: Record<string, ConfigValue>;
  /** Where the wasm module comes from (see `Redlet.open`). */
  wasm?: WasmSource;
}

/** A command was in flight to a holder that went away: it may or may not have been applied, and was not retried. */
export class HolderGoneError extends Error {
  /** Builds the error. */
  constructor() {
    super('redlet: the tab or worker holding the shared database went away while this command was in flight; it may or may not have been applied (it was not retried). Another context has taken over.');
    this.name = 'HolderGoneError';
  }
}

type Wire =
  | { t: 'who' }
  | { t: 'hello'; holder: string }
  | { t: 'cmd'; holder: string; from: string; cid: number; seq: number; args: unknown[]; buffers: boolean }
  | { t: 'reply'; to: string; seq: number; value?: unknown; error?: { name: string; message: string } }
  | { t: 'push'; to: string; cid: number; kind: string; args: unknown[] }
  | { t: 'bye'; from: string };

const SUBSCRIBE = new Set(['subscribe', 'psubscribe', 'ssubscribe']);
const UNSUBSCRIBE: Record<string, string> = { unsubscribe: 'subscribe', punsubscribe: 'psubscribe', sunsubscribe: 'ssubscribe' };

/** A client of a shared database: commands return Promises; pub/sub as events and an async iterator, as `Client`. */
export class SharedClient extends Emitter {
  /** Channels/patterns this client subscribed to, by command: made again on a new holder. */
  private readonly subs = new Map<string, Set<unknown>>();
  private queue: Message<unknown>[] = [];
  private wake: (() => void) | undefined;
  private iterating = 0;

  /** Opened by {@link SharedDb.client}. */
  constructor(
    private readonly db: SharedDb,
    /** This client's number in its context. */
    readonly cid: number,
  ) {
    super();
  }

  /** Runs a command on the shared database; resolves with its reply (converted as `Client.call` does). */
  send(...args: unknown[]): Promise<any> {
    this.track(args);
    return this.db._run(this.cid, args, false);
  }

  /** {@link SharedClient.send} with bulk strings as `Uint8Array`. */
  sendBuffer(...args: unknown[]): Promise<any> {
    this.track(args);
    return this.db._run(this.cid, args, true);
  }

  /** Closes this client on the holder (its subscriptions and blocked command end). */
  async close(): Promise<void> {
    this.subs.clear();
    await this.db._run(this.cid, ['QUIT'], false).catch(() => {});
  }

  private track(args: unknown[]): void {
    const name = String(args[0]).toLowerCase();
    if (SUBSCRIBE.has(name)) {
      let s = this.subs.get(name);
      if (!s) this.subs.set(name, (s = new Set()));
      for (const a of args.slice(1)) s.add(a);
    } else if (name in UNSUBSCRIBE) {
      const s = this.subs.get(UNSUBSCRIBE[name]!);
      if (args.length === 1) s?.clear();
      else for (const a of args.slice(1)) s?.delete(a);
    }
  }

  /** @internal Subscribes again on a new holder. */
  _resubscribe(): void {
    for (const [cmd, s] of this.subs) if (s.size > 0) void this.db._run(this.cid, [cmd, ...s], false).catch(() => {});
  }

  /** @internal A push from the holder's engine client. */
  _push(kind: string, args: unknown[]): void {
    this.emit(kind, ...args);
    if (!this.iterating) return;
    if (kind === 'message' || kind === 'smessage') this.queue.push({ type: kind, channel: args[0], message: args[1] });
    else if (kind === 'pmessage') this.queue.push({ type: kind, pattern: args[0], channel: args[1], message: args[2] });
    else return;
    this.wake?.();
  }

  /** Pub/sub messages as an async iterator (queued from its creation). */
  messages(): AsyncIterableIterator<Message<any>> {
    this.iterating++;
    let done = false;
    const self = this;
    return {
      [Symbol.asyncIterator]() {
        return this;
      },
      async next(): Promise<IteratorResult<Message<any>>> {
        for (;;) {
          if (done) return { value: undefined, done: true };
          const m = self.queue.shift();
          if (m) return { value: m as Message<any>, done: false };
          await new Promise<void>((r) => (self.wake = r));
        }
      },
      async return(): Promise<IteratorResult<Message<any>>> {
        if (!done) self.iterating--;
        done = true;
        self.wake?.();
        return { value: undefined, done: true };
      },
    };
  }
}

/** The holder's side of a remote client: its engine client and the chain that keeps its commands in order. */
interface Remote {
  client: Client;
  chain: Promise<unknown>;
}

/**
 * One database shared by the contexts of an origin (see the module docs).
 * `send`/`sendBuffer`, `client()`, pub/sub events on the clients; `holder`
 * says whether this context runs the engine.
 *
 * Events: `holder` (this context became the holder), `takeover` (another
 * context became the holder).
 */
export class SharedDb extends SharedClient {
  /** This context's id on the channel. */
  readonly id = Math.random().toString(36).slice(2) + Date.now().toString(36);
  /** The engine, while this context is the holder. */
  engine: Redlet | undefined;
  private holderId: string | undefined;
  private readonly chan: BroadcastChannel;
  private readonly clients = new Map<number, SharedClient>();
  private nextCid = 1;
  private seq = 0;
  private readonly pending = new Map<number, { holder: string | undefined; msg: Wire & { t: 'cmd' }; resolve(v: unknown): void; reject(e: unknown): void }>();
  private readonly remotes = new Map<string, Remote>();
  private release: (() => void) | undefined;
  private releaseCtx: (() => void) | undefined;
  private locks: LockManager | undefined;
  /** Contexts whose end the holder watches; aborted when the holder closes. */
  private readonly watching = new Set<string>();
  private readonly stopWatching = new AbortController();
  private isClosed = false;
  private ready: Promise<void>;
  private readyResolve!: () => void;
  private readyReject!: (e: unknown) => void;

  /** Use {@link openShared}. */
  constructor(
    readonly name: string,
    private readonly opts: SharedOptions = {},
  ) {
    super(undefined as unknown as SharedDb, 0);
    (this as unknown as { db: SharedDb }).db = this;
    this.clients.set(0, this);
    this.ready = new Promise((resolve, reject) => {
      this.readyResolve = resolve;
      this.readyReject = reject;
    });
    this.chan = new BroadcastChannel(`redlet:${name}`);
    this.chan.onmessage = (e) => this.onWire(e.data as Wire);
  }

  /** True while this context holds the database (runs the engine). */
  get holder(): boolean {
    return this.engine !== undefined;
  }

  /** @internal Starts the election; resolves once a holder (this context or another) is known. */
  async _start(): Promise<void> {
    const locks = (globalThis as { navigator?: { locks?: LockManager } }).navigator?.locks;
    if (!locks) throw new Error('redlet: openShared needs the Web Locks API (navigator.locks, secure contexts)');
    this.locks = locks;
    // A lock of this context's own for its lifetime: the holder waits on it
    // to learn when this context is gone (its engine clients then go, so a
    // blocked BLPOP of a closed tab does not take an element).
    await new Promise<void>((granted) => {
      void locks.request(`redlet:${this.name}:ctx:${this.id}`, () => {
        granted();
        return new Promise<void>((r) => (this.releaseCtx = r));
      });
    });
    void locks
      .request(`redlet:${this.name}`, async () => {
        if (this.isClosed) return;
        try {
          await this.becomeHolder();
        } catch (e) {
          this.readyReject(e);
          return;
        }
        await new Promise<void>((r) => (this.release = r));
      })
      .catch((e) => this.readyReject(e));
    this.post({ t: 'who' });
    await this.ready;
  }

  private async becomeHolder(): Promise<void> {
    const storage = (this.opts.storage ?? indexedDBStorage)(this.name);
    const engine = await Redlet.open({ storage, config: this.opts.config ?? { appendonly: 'yes', appendfsync: 'always' }, wasm: this.opts.wasm });
    if (this.isClosed) {
      await engine.close();
      return;
    }
    this.engine = engine;
    this.setHolder(this.id);
    this.post({ t: 'hello', holder: this.id });
    this.emit('holder');
  }

  /** A (new) holder is known: commands sent elsewhere fail, queued ones go, subscriptions are made again. */
  private setHolder(holder: string): void {
    const changed = this.holderId !== undefined && this.holderId !== holder;
    this.holderId = holder;
    for (const [seq, p] of [...this.pending]) {
      if (p.holder === undefined) {
        p.holder = holder;
        this.dispatch(p.msg, holder);
      } else if (p.holder !== holder) {
        this.pending.delete(seq);
        p.reject(new HolderGoneError());
      }
    }
    if (changed) {
      for (const c of this.clients.values()) c._resubscribe();
      if (holder !== this.id) this.emit('takeover');
    }
    this.readyResolve();
  }

  private post(m: Wire): void {
    if (!this.isClosed) this.chan.postMessage(m);
  }

  /** Opens another client (its own SELECT, MULTI, subscriptions, blocked state). */
  client(): SharedClient {
    const c = new SharedClient(this, this.nextCid++);
    this.clients.set(c.cid, c);
    return c;
  }

  /** @internal Runs a command of client `cid` (of this context). */
  _run(cid: number, args: unknown[], buffers: boolean): Promise<unknown> {
    if (this.isClosed) return Promise.reject(new ClosedError());
    const seq = ++this.seq;
    const msg = { t: 'cmd' as const, holder: '', from: this.id, cid, seq, args, buffers };
    return new Promise((resolve, reject) => {
      this.pending.set(seq, { holder: this.holderId, msg, resolve, reject });
      if (this.holderId !== undefined) this.dispatch(msg, this.holderId);
    });
  }

  private dispatch(msg: Wire & { t: 'cmd' }, holder: string): void {
    msg.holder = holder;
    if (holder === this.id) this.serve(msg);
    else this.post(msg);
  }

  private onWire(m: Wire): void {
    if (this.isClosed) return;
    switch (m.t) {
      case 'who':
        if (this.engine) this.post({ t: 'hello', holder: this.id });
        break;
      case 'hello':
        if (!this.engine) this.setHolder(m.holder);
        break;
      case 'cmd':
        if (this.engine && m.holder === this.id) this.serve(m);
        break;
      case 'reply':
        if (m.to === this.id) this.settle(m);
        break;
      case 'push':
        if (m.to === this.id) this.clients.get(m.cid)?._push(m.kind, m.args);
        break;
      case 'bye':
        this.forget(m.from);
        break;
    }
  }

  private settle(m: Wire & { t: 'reply' }): void {
    const p = this.pending.get(m.seq);
    if (!p) return;
    this.pending.delete(m.seq);
    if (!m.error) return p.resolve(m.value);
    if (m.error.name === 'ReplyError') return p.reject(new ReplyError(m.error.message));
    const e = new Error(m.error.message);
    e.name = m.error.name;
    p.reject(e);
  }

  /** The holder runs a command on the engine client of (context, client), after that client's previous ones. */
  private serve(m: Wire & { t: 'cmd' }): void {
    const engine = this.engine!;
    const key = `${m.from}:${m.cid}`;
    let r = this.remotes.get(key);
    // QUIT or CLIENT KILL closed it: a new command gets a new one, as a reconnect would.
    if (r?.client.closed) r = undefined;
    if (!r) {
      if (m.from !== this.id && !this.watching.has(m.from)) this.watch(m.from);
      const client = engine.client();
      r = { client, chain: Promise.resolve() };
      this.remotes.set(key, r);
      for (const kind of ['message', 'pmessage', 'smessage']) {
        client.on(kind, (...args: unknown[]) => this.deliver({ t: 'push', to: m.from, cid: m.cid, kind, args }));
      }
    }
    const client = r.client;
    r.chain = r.chain.then(async () => {
      let reply: Wire & { t: 'reply' };
      try {
        const v = await (m.buffers ? Promise.resolve(client.callBuffer(...m.args)).then(async (x) => (await client._durable(), x)) : client.send(...m.args));
        reply = { t: 'reply', to: m.from, seq: m.seq, value: v };
        // An engine client only marks itself closing on QUIT: close it.
        if (String(m.args[0]).toLowerCase() === 'quit') client.close();
      } catch (e) {
        reply = { t: 'reply', to: m.from, seq: m.seq, error: { name: (e as Error)?.name ?? 'Error', message: (e as Error)?.message ?? String(e) } };
      }
      this.deliver(reply);
    });
  }

  /** Closes the engine clients of context `ctx` once its lifetime lock is free (it closed or died). */
  private watch(ctx: string): void {
    this.watching.add(ctx);
    void this.locks
      ?.request(`redlet:${this.name}:ctx:${ctx}`, { signal: this.stopWatching.signal }, () => this.forget(ctx))
      .catch(() => {});
  }

  private forget(ctx: string): void {
    this.watching.delete(ctx);
    for (const [key, r] of this.remotes) {
      if (key.startsWith(`${ctx}:`)) {
        r.client.close();
        this.remotes.delete(key);
      }
    }
  }

  /** Sends a reply or push to its context (this one directly). */
  private deliver(m: Wire & ({ t: 'reply' } | { t: 'push' })): void {
    if (m.to !== this.id) return this.post(m);
    if (m.t === 'reply') this.settle(m);
    else this.clients.get(m.cid)?._push(m.kind, m.args);
  }

  /** Leaves: a holder closes the engine (saving as SHUTDOWN does) and lets the next context take over. */
  override async close(): Promise<void> {
    if (this.isClosed) return;
    this.post({ t: 'bye', from: this.id });
    this.isClosed = true;
    for (const p of this.pending.values()) p.reject(new ClosedError());
    this.pending.clear();
    try {
      await this.engine?.close();
    } finally {
      this.engine = undefined;
      this.chan.close();
      this.stopWatching.abort();
      this.release?.();
      this.releaseCtx?.();
    }
  }
}

/**
 * Opens the database `name` shared by every tab and worker of this origin:
 * resolves once this context holds it or knows who does.
 *
 * ```js
 * import { openShared } from 'redlet/tabs';
 * const db = await openShared('app');
 * await db.send('INCR', 'visits');
 * const sub = db.client();
 * sub.on('message', (ch, msg) => console.log(ch, msg));
 * await sub.send('SUBSCRIBE', 'news');
 * ```
 */
export async function openShared(name: string, opts: SharedOptions = {}): Promise<SharedDb> {
  const db = new SharedDb(name, opts);
  try {
    await db._start();
  } catch (e) {
    // Leave the channel and the locks, as a closed context would.
    await db.close().catch(() => {});
    throw e;
  }
  return db;
}
