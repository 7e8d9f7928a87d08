/**
 * `redlet/indexeddb`: {@link indexedDBStorage}, a database's snapshot and
 * journal in IndexedDB (browsers: main thread and workers).
 *
 * Layout: the IndexedDB database `redlet:<name>` (version 1) holds two
 * object stores. `chunks` maps `[blob, n]` to the n-th piece of blob
 * `blob` (`snapshot`, `journal`) as bytes; `meta` maps `blob` to
 * `{ chunks, size }` (how many pieces, how many bytes) and `'#layout'` to
 * `{ version: 1 }`. The bytes of a blob, pieces in order, are exactly the
 * file `redlet serve --dir` writes (`redlet.snapshot`, `redlet.journal`).
 *
 * IndexedDB is asynchronous and the engine calls its storage
 * synchronously, so the adapter keeps an image of the blobs in memory:
 * {@link IndexedDBStorage.open} reads every blob before the engine loads,
 * the engine's calls update the image and queue operations, and the queue
 * is written by one IndexedDB transaction at a time, starting at the end of
 * the event-loop turn that queued it (everything queued meanwhile goes in
 * the next one). Invariants:
 * - A transaction writes a prefix of the queue, in order, all or nothing:
 *   a snapshot replace (delete the old pieces, put the new ones) is never
 *   seen half-done, and the old snapshot stays until the transaction
 *   commits. A replace and the journal reset queued after it commit
 *   together.
 * - Operations leave the queue only when their transaction completed.
 *   A failed transaction (quota exceeded, I/O error) leaves them queued and
 *   later ones behind them, so the stored journal never has a hole; the
 *   adapter then throws its error from every call (the engine reports it:
 *   MISCONF, a failed SAVE) and retries the queue every second until it
 *   commits.
 * - `sync` makes the next transaction `strict` (flushed to disk before it
 *   completes); appends alone use `relaxed`.
 * - Appends add one piece per transaction; a blob past 1024 pieces is
 *   written whole (from the image) by the next transaction instead.
 * - Once the engine has loaded, the snapshot's bytes are not kept (only
 *   its size): the engine reads it only while loading, and a second copy
 *   of a large database in memory would double its footprint.
 *   {@link IndexedDBStorage.readBlob} reads it back from IndexedDB.
 */
import { StorageError } from './errors.js';
import { concat, type StorageAdapter } from './storage.js';

/** The layout version this code writes and reads. A higher stored one is refused. */
export const LAYOUT_VERSION = 1;
/** Bytes per stored piece of a blob: big enough for fast loads, small enough for any IndexedDB. */
const CHUNK = 1 << 20;
/** Pieces a blob may have before it is rewritten whole (appends add one per transaction). */
const MAX_PIECES = 1024;
/** Delay before a failed transaction is tried again (ms). */
const RETRY_MS = 1000;

/** A queued write. `data` is never modified after it is queued. */
type Op = { kind: 'replace'; name: string; data: Uint8Array } | { kind: 'append'; name: string; data: Uint8Array };

/** Where a blob's pieces end and how many bytes it has, as stored. */
interface Meta {
  chunks: number;
  size: number;
}

/** A blob's bytes in memory, with room to append. */
class Image {
  constructor(
    public buf: Uint8Array,
    public len: number,
  ) {}
  /** The bytes (a view; the range never changes once written). */
  get bytes(): Uint8Array {
    return this.buf.subarray(0, this.len);
  }
  append(data: Uint8Array): Uint8Array {
    if (this.len + data.length > this.buf.length) {
      // A new buffer: queued views of the old one stay valid.
      const next = new Uint8Array(Math.max(this.len + data.length, this.buf.length * 2, 4096));
      next.set(this.buf.subarray(0, this.len));
      this.buf = next;
    }
    this.buf.set(data, this.len);
    this.len += data.length;
    return this.buf.subarray(this.len - data.length, this.len);
  }
}

/** Wraps an IndexedDB request in a Promise. */
function req<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

/** The error text of an IndexedDB failure: `QuotaExceededError: ...`. */
function why(e: unknown): string {
  if (e && typeof e === 'object' && 'name' in e) return `${(e as DOMException).name}: ${(e as DOMException).message}`;
  return String(e);
}

/** The storage adapter {@link indexedDBStorage} returns. */
export class IndexedDBStorage implements StorageAdapter {
  /** The IndexedDB database's name (`redlet:<name>`). */
  readonly dbName: string;
  private db: IDBDatabase | undefined;
  private readonly images = new Map<string, Image>();
  private readonly staged = new Map<string, Uint8Array[]>();
  /** What is stored (committed), per blob. */
  private stored = new Map<string, Meta>();
  private queue: Op[] = [];
  /** Ops ever queued / ever committed: `flush()` waits for its count. */
  private queued = 0;
  private committed = 0;
  private strictNext = false;
  private scheduled = false;
  private inflight = false;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  /** Set when a transaction failed; cleared when the queue commits. */
  private failure: StorageError | undefined;
  private waiters: { upto: number; resolve(): void; reject(e: unknown): void }[] = [];
  private closed = false;
  private unlock: (() => void) | undefined;
  /** Sizes of blobs whose bytes are not kept in memory (the snapshot after the load). */
  private readonly released = new Map<string, number>();
  private afterLoad = false;

  /** Blobs in the IndexedDB database `redlet:<name>`. */
  constructor(readonly name: string) {
    this.dbName = `redlet:${name}`;
  }

  /** Where blob `name` lives, for error messages. */
  pathOf(name: string): string {
    return `IndexedDB '${this.dbName}' blob '${name}'`;
  }

  /**
   * Opens the IndexedDB database and reads every blob into memory. Refuses
   * (with a {@link StorageError}, touching nothing) a newer layout, a newer
   * IndexedDB version, pieces that do not add up to what `meta` says, or a
   * name another tab or worker has open (Web Locks).
   */
  async open(): Promise<void> {
    if (typeof indexedDB === 'undefined') throw new StorageError('redlet: indexedDBStorage needs IndexedDB (a browser page or worker)');
    this.closed = false;
    this.images.clear();
    this.stored.clear();
    this.released.clear();
    this.afterLoad = false;
    await this.lock();
    try {
      await this.load();
    } catch (e) {
      this.unlock?.();
      throw e;
    }
  }

  /**
   * One database per name at a time in this origin: two engines over one
   * IndexedDB would overwrite each other's snapshots. Held until `close`
   * (or until the tab or worker goes away).
   */
  private async lock(): Promise<void> {
    const locks = (globalThis as { navigator?: { locks?: LockManager } }).navigator?.locks;
    if (!locks) return;
    const got = await new Promise<boolean>((resolve, reject) => {
      locks
        .request(`redlet-indexeddb:${this.name}`, { ifAvailable: true }, (lock) => {
          resolve(lock !== null);
          return lock ? new Promise<void>((r) => (this.unlock = r)) : undefined;
        })
        .catch(reject);
    });
    if (!got) {
      throw new StorageError(`redlet: IndexedDB '${this.dbName}' is open in another tab or worker (one database per name at a time); to share it between tabs, open it with openShared from redlet/tabs.`);
    }
  }

  private async load(): Promise<void> {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      let r: IDBOpenDBRequest;
      try {
        r = indexedDB.open(this.dbName, 1);
      } catch (e) {
        return reject(e);
      }
      r.onupgradeneeded = () => {
        const d = r.result;
        d.createObjectStore('chunks');
        d.createObjectStore('meta').put({ version: LAYOUT_VERSION }, '#layout');
      };
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => {
        const e = r.error;
        reject(
          e?.name === 'VersionError'
            ? new StorageError(`redlet: IndexedDB '${this.dbName}' was written by a newer version of redlet (IndexedDB version above 1); it was left untouched. Open it with that version.`, e)
            : new StorageError(`redlet: cannot open IndexedDB '${this.dbName}': ${why(e)}`, e),
        );
      };
      r.onblocked = () => reject(new StorageError(`redlet: IndexedDB '${this.dbName}' is blocked by another connection`));
    });
    // Another context upgrading or deleting the database: let it.
    db.onversionchange = () => db.close();
    try {
      const tx = db.transaction(['chunks', 'meta'], 'readonly');
      const meta = tx.objectStore('meta');
      const layout = (await req(meta.get('#layout'))) as { version?: unknown } | undefined;
      const version = layout?.version;
      if (typeof version !== 'number') throw new StorageError(`redlet: ${this.pathOf('#layout')} is missing or damaged; the database was left untouched.`);
      if (version > LAYOUT_VERSION) {
        throw new StorageError(`redlet: IndexedDB '${this.dbName}' has layout version ${version}, written by a newer version of redlet (this one reads ${LAYOUT_VERSION}); it was left untouched.`);
      }
      const keys = (await req(meta.getAllKeys())) as IDBValidKey[];
      const stored = new Map<string, Meta>();
      for (const k of keys) {
        if (k === '#layout') continue;
        const name = String(k);
        const m = (await req(meta.get(k))) as Meta | undefined;
        if (!m || !Number.isSafeInteger(m.chunks) || !Number.isSafeInteger(m.size) || m.chunks < 0 || m.size < 0) {
          throw new StorageError(`redlet: cannot load ${this.pathOf(name)}: its metadata is damaged; it was left untouched.`);
        }
        const pieces = (await req(tx.objectStore('chunks').getAll(IDBKeyRange.bound([name, 0], [name, Infinity])))) as unknown[];
        let n = 0;
        for (const p of pieces) {
          if (!(p instanceof Uint8Array)) throw new StorageError(`redlet: cannot load ${this.pathOf(name)}: a piece is not bytes; it was left untouched.`);
          n += p.length;
        }
        if (pieces.length !== m.chunks || n !== m.size) {
          throw new StorageError(`redlet: cannot load ${this.pathOf(name)}: ${pieces.length} pieces of ${n} bytes where its metadata says ${m.chunks} of ${m.size}; it was left untouched.`);
        }
        const bytes = concat(pieces as Uint8Array[]);
        this.images.set(name, new Image(bytes, bytes.length));
        stored.set(name, m);
      }
      this.stored = stored;
    } catch (e) {
      db.close();
      this.images.clear();
      throw e instanceof StorageError ? e : new StorageError(`redlet: cannot read IndexedDB '${this.dbName}': ${why(e)}`, e);
    }
    this.db = db;
  }

  /** {@inheritDoc StorageAdapter.size} */
  size(name: string): number | null {
    const im = this.images.get(name);
    return im ? im.len : (this.released.get(name) ?? null);
  }

  /** Releases the snapshot's bytes: the engine has read it (see {@link StorageAdapter.loaded}). */
  loaded(): void {
    this.afterLoad = true;
    this.release('snapshot');
  }

  private release(name: string): void {
    const im = this.images.get(name);
    if (!im) return;
    this.released.set(name, im.len);
    this.images.delete(name);
  }

  /** The committed blob `name` read from IndexedDB (after the queue is written). */
  async readBlob(name: string): Promise<Uint8Array | null> {
    await this.flush();
    const db = this.db;
    if (!db) throw new StorageError(`redlet: IndexedDB '${this.dbName}' is not open`);
    const tx = db.transaction('chunks', 'readonly');
    const pieces = (await req(tx.objectStore('chunks').getAll(IDBKeyRange.bound([name, 0], [name, Infinity])))) as Uint8Array[];
    return pieces.length === 0 && this.size(name) === null ? null : concat(pieces);
  }

  /** {@inheritDoc StorageAdapter.readAt} */
  readAt(name: string, offset: number, buf: Uint8Array): number {
    if (this.released.has(name)) throw new Error(`${this.pathOf(name)} is not kept in memory after the load; read it with readBlob (exportSnapshot)`);
    const im = this.images.get(name);
    if (!im || offset >= im.len) return 0;
    const part = im.buf.subarray(offset, Math.min(im.len, offset + buf.length));
    buf.set(part);
    return part.length;
  }

  /** {@inheritDoc StorageAdapter.begin} */
  begin(name: string): void {
    this.check();
    this.staged.set(name, []);
  }

  /** {@inheritDoc StorageAdapter.write} */
  write(name: string, data: Uint8Array): void {
    const s = this.staged.get(name);
    if (!s) throw new Error(`${name}: write without begin`);
    s.push(data.slice());
  }

  /** Puts the staged copy in place in memory and queues its replace (durable once {@link IndexedDBStorage.flush} resolves). */
  commit(name: string): void {
    const s = this.staged.get(name);
    if (!s) throw new Error(`${name}: commit without begin`);
    this.staged.delete(name);
    this.check();
    const data = concat(s);
    this.released.delete(name);
    // After the load a snapshot's bytes live only until their transaction
    // took them (the queued op holds them): no second copy in memory.
    if (this.afterLoad && name === 'snapshot') this.released.set(name, data.length);
    else this.images.set(name, new Image(data, data.length));
    this.push({ kind: 'replace', name, data });
  }

  /** {@inheritDoc StorageAdapter.abort} */
  abort(name: string): void {
    this.staged.delete(name);
  }

  /** Appends in memory and queues the append. */
  append(name: string, data: Uint8Array): void {
    this.check();
    let im = this.images.get(name);
    if (!im) this.images.set(name, (im = new Image(new Uint8Array(Math.max(4096, data.length)), 0)));
    this.push({ kind: 'append', name, data: im.append(data) });
  }

  /** Asks for the next transaction to be `strict`; durability is reported by {@link IndexedDBStorage.flush}. */
  sync(_name: string): void {
    this.check();
    if (this.queue.length > 0) this.strictNext = true;
  }

  /** Resolves once everything queued so far is committed; rejects with the error of a failed transaction. */
  flush(): Promise<void> {
    if (this.committed >= this.queued) return Promise.resolve();
    if (this.failure) return Promise.reject(this.failure);
    const upto = this.queued;
    return new Promise((resolve, reject) => this.waiters.push({ upto, resolve, reject }));
  }

  /** Waits for the queue (or its failure), then closes the IndexedDB connection. */
  async close(): Promise<void> {
    try {
      await this.flush();
    } finally {
      this.closed = true;
      if (this.retryTimer !== undefined) clearTimeout(this.retryTimer);
      this.retryTimer = undefined;
      this.db?.close();
      this.db = undefined;
      this.unlock?.();
      this.unlock = undefined;
    }
  }

  /** Throws the failure of the last transaction until a retry commits (the engine reports it as a failed write). */
  private check(): void {
    if (this.failure) {
      this.retry();
      throw this.failure;
    }
  }

  private push(op: Op): void {
    this.queue.push(op);
    this.queued++;
    if (!this.scheduled && !this.inflight && !this.failure) {
      this.scheduled = true;
      queueMicrotask(() => {
        this.scheduled = false;
        this.pump();
      });
    }
  }

  /** Writes the whole queue in one transaction. */
  private pump(): void {
    if (this.inflight || this.queue.length === 0 || !this.db) return;
    const ops = this.queue.slice();
    const strict = this.strictNext;
    this.strictNext = false;
    let tx: IDBTransaction;
    const next = new Map(this.stored);
    try {
      tx = this.db.transaction(['chunks', 'meta'], 'readwrite', { durability: strict ? 'strict' : 'relaxed' });
      const chunks = tx.objectStore('chunks');
      const meta = tx.objectStore('meta');
      const touched = new Set<string>();
      const replace = (name: string, data: Uint8Array) => {
        chunks.delete(IDBKeyRange.bound([name, 0], [name, Infinity]));
        let n = 0;
        for (let off = 0; off < data.length; off += CHUNK) chunks.put(data.slice(off, off + CHUNK), [name, n++]);
        next.set(name, { chunks: n, size: data.length });
      };
      // A blob this batch would leave in too many pieces (one per turn that
      // appended) is written whole from the image instead, which holds it
      // with every queued operation applied: reopening stays a few reads.
      const pieces = new Map<string, number>();
      ops.forEach((op, i) => {
        // Consecutive appends to one blob become one piece (below).
        if (op.kind === 'append' && ops[i - 1]?.kind === 'append' && ops[i - 1]!.name === op.name) return;
        pieces.set(op.name, op.kind === 'replace' ? 1 : (pieces.get(op.name) ?? this.stored.get(op.name)?.chunks ?? 0) + 1);
      });
      const whole = new Set([...pieces].filter(([name, n]) => n > MAX_PIECES && this.images.has(name)).map(([name]) => name));
      for (const name of whole) {
        touched.add(name);
        replace(name, this.images.get(name)?.bytes ?? new Uint8Array(0));
      }
      for (let i = 0; i < ops.length; i++) {
        const op = ops[i]!;
        if (whole.has(op.name)) continue;
        touched.add(op.name);
        if (op.kind === 'replace') {
          replace(op.name, op.data);
        } else {
          // Consecutive appends to one blob become one piece.
          const parts = [op.data];
          while (i + 1 < ops.length && ops[i + 1]!.kind === 'append' && ops[i + 1]!.name === op.name) parts.push(ops[++i]!.data);
          const m = next.get(op.name) ?? { chunks: 0, size: 0 };
          const data = concat(parts);
          chunks.put(data, [op.name, m.chunks]);
          next.set(op.name, { chunks: m.chunks + 1, size: m.size + data.length });
        }
      }
      for (const name of touched) meta.put(next.get(name), name);
    } catch (e) {
      this.strictNext ||= strict;
      this.failed(e);
      return;
    }
    this.inflight = true;
    tx.oncomplete = () => {
      this.inflight = false;
      this.stored = next;
      this.queue.splice(0, ops.length);
      this.committed += ops.length;
      this.failure = undefined;
      const ready = this.waiters.filter((w) => w.upto <= this.committed);
      this.waiters = this.waiters.filter((w) => w.upto > this.committed);
      for (const w of ready) w.resolve();
      if (this.queue.length > 0) this.pump();
    };
    tx.onabort = () => {
      this.inflight = false;
      // The retry must be as durable as what it replaces.
      this.strictNext ||= strict;
      this.failed(tx.error);
    };
  }

  /** A transaction failed: remember why, reject the waiters, retry later. */
  private failed(e: unknown): void {
    const quota = (e as DOMException | null)?.name === 'QuotaExceededError';
    this.failure = new StorageError(
      quota
        ? `redlet: IndexedDB '${this.dbName}' is over this origin's storage quota (QuotaExceededError): the last writes were not saved; everything saved before is intact. Free some space; writing is retried every second.`
        : `redlet: writing IndexedDB '${this.dbName}' failed (${why(e)}): the last writes were not saved; everything saved before is intact. Writing is retried every second.`,
      e,
    );
    for (const w of this.waiters.splice(0)) w.reject(this.failure);
    this.retry();
  }

  private retry(): void {
    if (this.retryTimer !== undefined || this.closed || this.inflight) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (!this.closed) this.pump();
    }, RETRY_MS);
  }
}

/**
 * A storage adapter keeping the snapshot and journal in the IndexedDB
 * database `redlet:<name>` of this origin: the same bytes as the files of
 * `redlet serve --dir`.
 *
 * ```js
 * import { Redlet } from 'redlet';
 * import { indexedDBStorage } from 'redlet/indexeddb';
 * const db = await Redlet.open({ storage: indexedDBStorage('app'), config: { appendonly: 'yes' } });
 * ```
 *
 * Durability: with `appendfsync always`, `db.send(...)` and the Promises
 * of the ioredis-shaped client resolve once the write's transaction
 * committed; `db.call` returns at once and `await db.flush()` reports when
 * what it wrote is durable. With `everysec` at most about a second of
 * writes is at risk, as with Redis.
 */
export function indexedDBStorage(name: string): IndexedDBStorage {
  return new IndexedDBStorage(name);
}

export { exportSnapshot, importSnapshot } from './snapshots.js';
