/**
 * The storage adapter interface: how a database persists its snapshot and
 * journal. It mirrors the core's `Storage` trait (src/storage.rs): a few
 * named blobs (`snapshot`, `journal`) with reads, staged atomic replaces and
 * appends.
 *
 * The engine calls these methods synchronously, between commands. An
 * adapter over a synchronous store (files through `node:fs`, OPFS sync
 * access handles, Durable Object SQLite storage) does the work in place. An
 * adapter over an asynchronous store (IndexedDB) keeps an image of its blobs
 * in memory: `open()` loads it before the engine reads anything, the
 * methods update the image and queue the writes, and `flush()` resolves once
 * everything queued is durable. The database awaits `flush()` where a
 * Promise must not resolve before a write is durable (`appendfsync always`)
 * and in `db.flush()`/`db.close()`.
 *
 * Contract (the same as the core's):
 * - A blob replaced with `begin`/`write`/`commit` is seen whole-old or
 *   whole-new, never torn; after `commit` returns the new contents are
 *   durable (for an asynchronous adapter: once `flush()` resolves); if any
 *   step fails the previous blob is untouched.
 * - `append` adds to the end; appended bytes are durable once a following
 *   `sync` returns (or `flush()` resolves). After a crash a torn or missing
 *   tail is allowed, reordering is not.
 * - Errors are thrown (any `Error`); the engine reports them like Redis
 *   reports a failed save or AOF write, and nothing durable is lost.
 * - `data` passed to `write`/`append` is a view of wasm memory, valid only
 *   during the call: copy it if you keep it.
 */
export interface StorageAdapter {
  /** Asynchronous set-up before the engine reads (load an image, open handles). Optional. */
  open?(): Promise<void> | void;
  /** Size in bytes of blob `name`, or `null` when there is none. */
  size(name: string): number | null;
  /** Reads up to `buf.length` bytes of `name` from `offset` into `buf`; returns how many were read (0 at the end). */
  readAt(name: string, offset: number, buf: Uint8Array): number;
  /** Starts replacing `name`: following `write` calls fill a staged copy nobody sees until `commit`. */
  begin(name: string): void;
  /** Adds `data` to the staged copy of `name`. */
  write(name: string, data: Uint8Array): void;
  /** Makes the staged copy durable and atomically puts it in place of `name`. */
  commit(name: string): void;
  /** Drops the staged copy of `name`, if any. */
  abort(name: string): void;
  /** Appends `data` to `name`, creating it when absent. */
  append(name: string, data: Uint8Array): void;
  /** Makes everything appended to `name` so far durable. */
  sync(name: string): void;
  /**
   * Called once the engine has loaded. An adapter that kept blobs in memory
   * for the load may release the snapshot's bytes then (the engine reads
   * the snapshot only while loading); `size` must still answer. Optional.
   */
  loaded?(): void;
  /** The whole committed blob `name`, read asynchronously (for an adapter that released its bytes after `loaded`). Optional. */
  readBlob?(name: string): Promise<Uint8Array | null>;
  /** Resolves once everything written so far is durable (asynchronous adapters). Optional. */
  flush?(): Promise<void>;
  /** Where blob `name` lives, for error messages (`/data/redlet.snapshot`). Optional. */
  pathOf?(name: string): string;
  /** Releases handles. Optional. */
  close?(): Promise<void> | void;
}

/** Blobs kept in memory: for tests, and for hosts that persist elsewhere (read `blobs`). */
export class MemoryStorage implements StorageAdapter {
  /** Committed blobs by name. */
  readonly blobs = new Map<string, Uint8Array>();
  private readonly staged = new Map<string, Uint8Array[]>();

  /** {@inheritDoc StorageAdapter.size} */
  size(name: string): number | null {
    const b = this.blobs.get(name);
    return b ? b.length : null;
  }
  /** {@inheritDoc StorageAdapter.readAt} */
  readAt(name: string, offset: number, buf: Uint8Array): number {
    const b = this.blobs.get(name);
    if (!b || offset >= b.length) return 0;
    const part = b.subarray(offset, offset + buf.length);
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
    if (!s) throw new Error(`write(${name}) without begin`);
    s.push(data.slice());
  }
  /** {@inheritDoc StorageAdapter.commit} */
  commit(name: string): void {
    const s = this.staged.get(name);
    if (!s) throw new Error(`commit(${name}) without begin`);
    this.staged.delete(name);
    this.blobs.set(name, concat(s));
  }
  /** {@inheritDoc StorageAdapter.abort} */
  abort(name: string): void {
    this.staged.delete(name);
  }
  /** {@inheritDoc StorageAdapter.append} */
  append(name: string, data: Uint8Array): void {
    const b = this.blobs.get(name);
    this.blobs.set(name, b ? concat([b, data]) : data.slice());
  }
  /** {@inheritDoc StorageAdapter.sync} */
  sync(_name: string): void {}
}

/** One buffer holding `parts` one after another. */
export function concat(parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
