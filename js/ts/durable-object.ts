/**
 * `redlet/durable-object`: {@link durableObjectStorage}, a database's
 * snapshot and journal in a Cloudflare Durable Object's storage
 * (`ctx.storage`).
 *
 * SQLite-backed objects (`ctx.storage.sql`): blobs are rows of the table
 * `redlet_blobs(name, seq, data)`, pieces of at most 1 MiB (under the 2 MB
 * row limit), written synchronously; a replace is one `transactionSync`
 * (delete the old pieces, insert the new ones), an append one insert.
 * There is no await between a command and its durability: the runtime's
 * output gate holds the response until the writes are stored.
 *
 * Key-value objects (the older API): blob `name` is the keys
 * `redlet:<name>:meta` (`{ chunks, size }`) and `redlet:<name>:<n>`
 * (pieces of at most 128 KiB, the value limit). Writes are issued without
 * await: the runtime applies writes made in one turn atomically and in
 * order, and the output gate holds the response until they are stored.
 * A failed write breaks the object (the runtime resets it), so nothing
 * acknowledged is lost.
 *
 * Reads happen once, in {@link DurableObjectStorageAdapter.open}: the
 * blobs are kept in memory for the engine's load; then the snapshot's
 * bytes are released (an object has 128 MB of memory) and later snapshots
 * are written without keeping a copy.
 */
import { StorageError } from './errors.js';
import { concat, type StorageAdapter } from './storage.js';

/** The parts of `DurableObjectStorage` used here (typed locally so the package needs no Workers types). */
export interface DurableObjectStorageLike {
  sql?: { exec(query: string, ...bindings: unknown[]): { toArray(): Record<string, unknown>[] } };
  transactionSync?<T>(f: () => T): T;
  get(keys: string[]): Promise<Map<string, unknown>>;
  get(key: string): Promise<unknown>;
  put(entries: Record<string, unknown>): Promise<void>;
  delete(keys: string[]): Promise<number>;
}

const SQL_CHUNK = 1 << 20;
const KV_CHUNK = 128 * 1024 - 64;
const KV_BATCH = 128;

/** The storage adapter {@link durableObjectStorage} returns. */
export class DurableObjectStorageAdapter implements StorageAdapter {
  /** Each blob's bytes: `buf` up to `len`, with room to append. */
  private readonly images = new Map<string, { buf: Uint8Array; len: number }>();
  private readonly staged = new Map<string, Uint8Array[]>();
  /** KV: pieces per blob as stored. */
  private readonly meta = new Map<string, { chunks: number; size: number }>();
  private failure: StorageError | undefined;
  /** Sizes of blobs whose bytes are not kept (the snapshot after the load). */
  private readonly released = new Map<string, number>();
  private afterLoad = false;

  /** Blobs in `storage` (`ctx.storage`). */
  constructor(readonly storage: DurableObjectStorageLike) {}

  /** The SQL API when the object is SQLite-backed (decided in `open`). */
  private sql: DurableObjectStorageLike['sql'];

  /** Where blob `name` lives, for error messages. */
  pathOf(name: string): string {
    return `Durable Object storage blob '${name}'`;
  }

  /** Reads every blob into memory (creating the table on SQLite-backed objects). */
  async open(): Promise<void> {
    this.images.clear();
    this.released.clear();
    this.afterLoad = false;
    this.sql = undefined;
    try {
      // Key-value objects have `sql` too, throwing "SQL is not enabled".
      this.storage.sql?.exec('CREATE TABLE IF NOT EXISTS redlet_blobs (name TEXT NOT NULL, seq INTEGER NOT NULL, data BLOB NOT NULL, PRIMARY KEY (name, seq))');
      this.sql = this.storage.sql;
    } catch (e) {
      // Anything else is a real failure, not a reason to use other keys.
      if (!/SQL is not enabled/i.test(String((e as Error)?.message))) throw e;
    }
    if (this.sql) {
      const parts = new Map<string, Uint8Array[]>();
      for (const row of this.sql.exec('SELECT name, data FROM redlet_blobs ORDER BY name, seq').toArray()) {
        const name = String(row.name);
        if (!parts.has(name)) parts.set(name, []);
        parts.get(name)!.push(new Uint8Array(row.data as ArrayBuffer));
      }
      for (const [name, p] of parts) this.set(name, concat(p));
      return;
    }
    for (const name of ['snapshot', 'journal']) {
      const m = (await this.storage.get(`redlet:${name}:meta`)) as { chunks: number; size: number } | undefined;
      if (!m) continue;
      const keys = Array.from({ length: m.chunks }, (_, i) => `redlet:${name}:${i}`);
      const pieces: Uint8Array[] = [];
      for (let i = 0; i < keys.length; i += KV_BATCH) {
        const got = await this.storage.get(keys.slice(i, i + KV_BATCH));
        for (const k of keys.slice(i, i + KV_BATCH)) {
          const v = got.get(k);
          if (!(v instanceof Uint8Array || v instanceof ArrayBuffer)) throw new StorageError(`redlet: cannot load ${this.pathOf(name)}: piece ${k} is missing; it was left untouched.`);
          pieces.push(new Uint8Array(v));
        }
      }
      const bytes = concat(pieces);
      if (bytes.length !== m.size) throw new StorageError(`redlet: cannot load ${this.pathOf(name)}: ${bytes.length} bytes where its metadata says ${m.size}; it was left untouched.`);
      this.set(name, bytes);
      this.meta.set(name, m);
    }
  }

  /** {@inheritDoc StorageAdapter.size} */
  size(name: string): number | null {
    return this.images.get(name)?.len ?? this.released.get(name) ?? null;
  }

  /** Releases the snapshot's bytes once the engine loaded (an object has 128 MB): only its size is kept. */
  loaded(): void {
    this.afterLoad = true;
    const im = this.images.get('snapshot');
    if (im) this.released.set('snapshot', im.len);
    this.images.delete('snapshot');
  }

  /** The committed blob `name`, read from storage. */
  async readBlob(name: string): Promise<Uint8Array | null> {
    if (this.images.has(name)) return this.images.get(name)!.buf.slice(0, this.images.get(name)!.len);
    if (this.sql) {
      const rows = this.sql.exec('SELECT data FROM redlet_blobs WHERE name = ? ORDER BY seq', name).toArray();
      return rows.length === 0 ? null : concat(rows.map((r) => new Uint8Array(r.data as ArrayBuffer)));
    }
    const m = this.meta.get(name);
    if (!m) return null;
    const keys = Array.from({ length: m.chunks }, (_, i) => `redlet:${name}:${i}`);
    const pieces: Uint8Array[] = [];
    for (let i = 0; i < keys.length; i += KV_BATCH) {
      const got = await this.storage.get(keys.slice(i, i + KV_BATCH));
      for (const k of keys.slice(i, i + KV_BATCH)) pieces.push(new Uint8Array(got.get(k) as ArrayBuffer));
    }
    return concat(pieces);
  }

  /** {@inheritDoc StorageAdapter.readAt} */
  readAt(name: string, offset: number, buf: Uint8Array): number {
    if (this.released.has(name)) throw new Error(`${this.pathOf(name)} is not kept in memory after the load; read it with readBlob (exportSnapshot)`);
    const b = this.images.get(name);
    if (!b || offset >= b.len) return 0;
    const part = b.buf.subarray(offset, Math.min(b.len, offset + buf.length));
    buf.set(part);
    return part.length;
  }

  /** {@inheritDoc StorageAdapter.begin} */
  begin(name: string): void {
    this.staged.set(name, []);
  }

  /** {@inheritDoc StorageAdapter.write} */
  write(name: string, data: Uint8Array): void {
    const s = this.staged.get(name);
    if (!s) throw new Error(`${name}: write without begin`);
    s.push(data.slice());
  }

  /** Replaces the blob's pieces atomically (one SQL transaction, or one turn's KV writes). */
  commit(name: string): void {
    const s = this.staged.get(name);
    if (!s) throw new Error(`${name}: commit without begin`);
    this.staged.delete(name);
    this.check();
    const data = concat(s);
    if (this.sql) {
      const sql = this.sql;
      const run = () => {
        sql.exec('DELETE FROM redlet_blobs WHERE name = ?', name);
        let seq = 0;
        for (let off = 0; off < data.length || seq === 0; off += SQL_CHUNK) sql.exec('INSERT INTO redlet_blobs (name, seq, data) VALUES (?, ?, ?)', name, seq++, data.subarray(off, off + SQL_CHUNK));
      };
      try {
        if (this.storage.transactionSync) this.storage.transactionSync(run);
        else run();
      } catch (e) {
        throw this.fail(name, e);
      }
    } else {
      const old = this.meta.get(name);
      const entries: Record<string, unknown> = {};
      let n = 0;
      for (let off = 0; off < data.length; off += KV_CHUNK) entries[`redlet:${name}:${n++}`] = data.slice(off, off + KV_CHUNK);
      const m = { chunks: n, size: data.length };
      entries[`redlet:${name}:meta`] = m;
      const stale = [];
      for (let i = n; i < (old?.chunks ?? 0); i++) stale.push(`redlet:${name}:${i}`);
      this.kvPut(entries);
      for (let i = 0; i < stale.length; i += KV_BATCH) this.watch(name, this.storage.delete(stale.slice(i, i + KV_BATCH)));
      this.meta.set(name, m);
    }
    this.set(name, data);
  }

  private set(name: string, data: Uint8Array): void {
    this.released.delete(name);
    // After the load the snapshot is written, not kept (see `loaded`).
    if (this.afterLoad && name === 'snapshot') this.released.set(name, data.length);
    else this.images.set(name, { buf: data, len: data.length });
  }

  /** {@inheritDoc StorageAdapter.abort} */
  abort(name: string): void {
    this.staged.delete(name);
  }

  /** Appends one piece (several when `data` is larger than a piece). */
  append(name: string, data: Uint8Array): void {
    this.check();
    if (this.sql) {
      try {
        const row = this.sql.exec('SELECT COALESCE(MAX(seq) + 1, 0) AS next FROM redlet_blobs WHERE name = ?', name).toArray()[0];
        let seq = Number(row?.next ?? 0);
        for (let off = 0; off < data.length; off += SQL_CHUNK) this.sql.exec('INSERT INTO redlet_blobs (name, seq, data) VALUES (?, ?, ?)', name, seq++, data.subarray(off, off + SQL_CHUNK));
      } catch (e) {
        throw this.fail(name, e);
      }
    } else {
      const m = this.meta.get(name) ?? { chunks: 0, size: 0 };
      const entries: Record<string, unknown> = {};
      let n = m.chunks;
      for (let off = 0; off < data.length; off += KV_CHUNK) entries[`redlet:${name}:${n++}`] = data.slice(off, off + KV_CHUNK);
      const next = { chunks: n, size: m.size + data.length };
      entries[`redlet:${name}:meta`] = next;
      this.kvPut(entries);
      this.meta.set(name, next);
    }
    const im = this.images.get(name) ?? { buf: new Uint8Array(0), len: 0 };
    if (im.len + data.length > im.buf.length) {
      const next = new Uint8Array(Math.max(im.len + data.length, im.buf.length * 2, 4096));
      next.set(im.buf.subarray(0, im.len));
      im.buf = next;
    }
    im.buf.set(data, im.len);
    im.len += data.length;
    this.images.set(name, im);
  }

  /** Nothing to do: the runtime stores the writes before the response leaves (output gate). */
  sync(_name: string): void {
    this.check();
  }

  private kvPut(entries: Record<string, unknown>): void {
    const keys = Object.keys(entries);
    for (let i = 0; i < keys.length; i += KV_BATCH) {
      const batch: Record<string, unknown> = {};
      for (const k of keys.slice(i, i + KV_BATCH)) batch[k] = entries[k];
      this.watch(keys[0]!, this.storage.put(batch));
    }
  }

  /** A write issued without await: its failure is thrown by the next call. */
  private watch(name: string, p: Promise<unknown>): void {
    p.catch((e) => (this.failure ??= this.fail(name, e)));
  }

  private check(): void {
    if (this.failure) throw this.failure;
  }

  private fail(name: string, e: unknown): StorageError {
    return new StorageError(`redlet: writing ${this.pathOf(name)} failed: ${(e as Error)?.message ?? e}; the write was not saved, everything saved before is intact.`, e);
  }
}

/**
 * A storage adapter keeping the snapshot and journal in a Durable
 * Object's storage: pass `ctx.storage` (`this.ctx.storage` in the class).
 * SQLite-backed objects are written synchronously; key-value ones with
 * writes the output gate holds the response for.
 *
 * ```js
 * import { Redlet } from 'redlet';
 * import { durableObjectStorage } from 'redlet/durable-object';
 * import wasm from 'redlet/redlet.wasm';
 * export class Limiter {
 *   constructor(ctx) {
 *     this.ready = Redlet.open({ wasm, storage: durableObjectStorage(ctx.storage), config: { appendonly: 'yes', appendfsync: 'always' } });
 *   }
 * }
 * ```
 */
export function durableObjectStorage(storage: DurableObjectStorageLike): DurableObjectStorageAdapter {
  return new DurableObjectStorageAdapter(storage);
}
