/**
 * `redlet/opfs`: {@link opfsStorage}, a database's snapshot and journal in
 * the Origin Private File System through `FileSystemSyncAccessHandle`s
 * (dedicated workers only: that is where browsers offer synchronous file
 * access; on the main thread use `redlet/indexeddb` or open the database in
 * a worker).
 *
 * Layout, in the OPFS folder `redlet-<name>`: each blob has two files,
 * `redlet.<blob>.0` and `redlet.<blob>.1`, and `redlet.manifest` says
 * which one is current. A current file holds exactly the bytes of the file
 * `redlet serve --dir` writes for that blob. The manifest has two 24-byte
 * slots (at 0 and 32): magic `RLOP`, layout version (u32 LE), generation
 * (u64 LE), the current file of `snapshot` and of `journal` (0, 1, or 255
 * for none), two zero bytes, CRC-32 of the 20 bytes before it. The valid
 * slot with the highest generation wins.
 *
 * Why: a sync access handle cannot rename, so an atomic replace writes the
 * other file, flushes it, then writes the slot the current generation does
 * not occupy and flushes the manifest. A torn slot fails its CRC and the
 * other slot (the previous state) wins; the old file is untouched until a
 * later replace. Appends go to the current file, flushed by `sync`; an
 * append that fails half-way is cut back so no later append lands after a
 * torn record.
 *
 * Every file is opened at {@link OpfsStorage.open}; sync access handles
 * lock their files, so a second context opening the same name gets a clear
 * error instead of two engines overwriting each other.
 */
import { StorageError } from './errors.js';
import type { StorageAdapter } from './storage.js';

/** The layout version this code writes and reads. A higher stored one is refused. */
export const LAYOUT_VERSION = 1;
const BLOBS = ['snapshot', 'journal'] as const;
const NONE = 255;
const SLOT = 24;

/** The part of `FileSystemSyncAccessHandle` used here (typed locally: not in every TypeScript lib). */
interface SyncHandle {
  read(buf: Uint8Array, opts: { at: number }): number;
  write(buf: Uint8Array, opts: { at: number }): number;
  truncate(size: number): void;
  getSize(): number;
  flush(): void;
  close(): void;
}

let crcTable: Uint32Array | undefined;
/** CRC-32 (IEEE), for the manifest slots. */
function crc32(b: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (const x of b) c = crcTable[(c ^ x) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A manifest slot's contents. */
interface Slot {
  version: number;
  gen: number;
  current: Record<string, number>;
}

function encodeSlot(s: Slot): Uint8Array {
  const b = new Uint8Array(SLOT);
  const v = new DataView(b.buffer);
  b.set([0x52, 0x4c, 0x4f, 0x50]); // RLOP
  v.setUint32(4, s.version, true);
  v.setUint32(8, s.gen % 2 ** 32, true);
  v.setUint32(12, Math.floor(s.gen / 2 ** 32), true);
  b[16] = s.current.snapshot!;
  b[17] = s.current.journal!;
  v.setUint32(20, crc32(b.subarray(0, 20)), true);
  return b;
}

function decodeSlot(b: Uint8Array): Slot | undefined {
  if (b.length < SLOT || b[0] !== 0x52 || b[1] !== 0x4c || b[2] !== 0x4f || b[3] !== 0x50) return undefined;
  const v = new DataView(b.buffer, b.byteOffset, SLOT);
  if (v.getUint32(20, true) !== crc32(b.subarray(0, 20))) return undefined;
  const ok = (x: number) => x === 0 || x === 1 || x === NONE;
  if (!ok(b[16]!) || !ok(b[17]!)) return undefined;
  return { version: v.getUint32(4, true), gen: v.getUint32(8, true) + v.getUint32(12, true) * 2 ** 32, current: { snapshot: b[16]!, journal: b[17]! } };
}

/** The storage adapter {@link opfsStorage} returns. */
export class OpfsStorage implements StorageAdapter {
  /** The OPFS folder holding the files. */
  readonly dirName: string;
  private files = new Map<string, SyncHandle>();
  private manifest: SyncHandle | undefined;
  private slot: Slot = { version: LAYOUT_VERSION, gen: 0, current: { snapshot: NONE, journal: NONE } };
  private readonly staged = new Map<string, number>();
  /** A failed append's blob and where its last whole append ended: cut back before the next one. */
  private readonly torn = new Map<string, number>();

  /** Blobs in the OPFS folder `redlet-<name>`. */
  constructor(readonly name: string) {
    this.dirName = `redlet-${name}`;
  }

  /** Where blob `name` lives, for error messages. */
  pathOf(name: string): string {
    const cur = this.slot.current[name];
    return `OPFS '${this.dirName}/redlet.${name}${cur === undefined || cur === NONE ? '' : `.${cur}`}'`;
  }

  /**
   * Opens every file's sync access handle and reads the manifest. Throws a
   * {@link StorageError} outside a dedicated worker, when another context
   * has the database open, or for a damaged or newer manifest (left
   * untouched).
   */
  async open(): Promise<void> {
    const g = globalThis as { navigator?: { storage?: { getDirectory?: () => Promise<FileSystemDirectoryHandle> } }; FileSystemSyncAccessHandle?: unknown; WorkerGlobalScope?: unknown };
    if (!g.navigator?.storage?.getDirectory) throw new StorageError('redlet: opfsStorage needs the Origin Private File System (a browser with navigator.storage.getDirectory)');
    if (g.FileSystemSyncAccessHandle === undefined || g.WorkerGlobalScope === undefined) {
      throw new StorageError(
        'redlet: opfsStorage needs a dedicated worker: browsers give synchronous file access (FileSystemSyncAccessHandle) only there. Open the database in a Worker, or use indexedDBStorage from redlet/indexeddb on the main thread.',
      );
    }
    const root = await g.navigator.storage.getDirectory();
    const dir = await root.getDirectoryHandle(this.dirName, { create: true });
    const opened: SyncHandle[] = [];
    const handle = async (file: string): Promise<SyncHandle> => {
      const fh = await dir.getFileHandle(file, { create: true });
      try {
        const h = (await (fh as unknown as { createSyncAccessHandle(): Promise<SyncHandle> }).createSyncAccessHandle()) as SyncHandle;
        opened.push(h);
        return h;
      } catch (e) {
        if ((e as DOMException)?.name === 'NoModificationAllowedError') {
          throw new StorageError(`redlet: OPFS '${this.dirName}' is open in another tab or worker (its files are locked); one context at a time can hold it.`, e);
        }
        throw new StorageError(`redlet: cannot open OPFS '${this.dirName}/${file}': ${(e as Error)?.message ?? e}`, e);
      }
    };
    try {
      this.manifest = await handle('redlet.manifest');
      for (const blob of BLOBS) for (const i of [0, 1]) this.files.set(`${blob}.${i}`, await handle(`redlet.${blob}.${i}`));
      const m = new Uint8Array(64);
      const n = this.manifest.read(m, { at: 0 });
      if (n > 0) {
        const slots = [decodeSlot(m.subarray(0, SLOT)), decodeSlot(m.subarray(32, 32 + SLOT))].filter((s): s is Slot => s !== undefined);
        if (slots.length === 0) throw new StorageError(`redlet: cannot load OPFS '${this.dirName}/redlet.manifest': no valid slot (damaged); it was left untouched.`);
        const newer = slots.find((s) => s.version > LAYOUT_VERSION);
        if (newer) throw new StorageError(`redlet: OPFS '${this.dirName}' has layout version ${newer.version}, written by a newer version of redlet (this one reads ${LAYOUT_VERSION}); it was left untouched.`);
        this.slot = slots.reduce((a, s) => (s.gen > a.gen ? s : a));
      }
    } catch (e) {
      for (const h of opened) h.close();
      this.files.clear();
      this.manifest = undefined;
      throw e;
    }
  }

  private current(name: string): SyncHandle | undefined {
    const i = this.slot.current[name];
    return i === undefined || i === NONE ? undefined : this.files.get(`${name}.${i}`);
  }

  private fail(op: string, name: string, e: unknown): StorageError {
    if ((e as DOMException)?.name === 'QuotaExceededError') {
      return new StorageError(`redlet: ${op} ${this.pathOf(name)}: over this origin's storage quota (QuotaExceededError); the write was not saved, everything saved before is intact. Free some space.`, e);
    }
    return new StorageError(`redlet: ${op} ${this.pathOf(name)}: ${(e as Error)?.message ?? e}`, e);
  }

  /** {@inheritDoc StorageAdapter.size} */
  size(name: string): number | null {
    const h = this.current(name);
    return h ? h.getSize() : null;
  }

  /** {@inheritDoc StorageAdapter.readAt} */
  readAt(name: string, offset: number, buf: Uint8Array): number {
    const h = this.current(name);
    if (!h) return 0;
    return h.read(buf, { at: offset });
  }

  /** Starts writing the blob's other file (truncated first). */
  begin(name: string): void {
    const other = this.slot.current[name] === 0 ? 1 : 0;
    const h = this.files.get(`${name}.${other}`);
    if (!h) throw new Error(`unknown blob '${name}'`);
    try {
      h.truncate(0);
    } catch (e) {
      throw this.fail('truncate', name, e);
    }
    this.staged.set(name, 0);
  }

  /** {@inheritDoc StorageAdapter.write} */
  write(name: string, data: Uint8Array): void {
    const pos = this.staged.get(name);
    if (pos === undefined) throw new Error(`${name}: write without begin`);
    const h = this.files.get(`${name}.${this.slot.current[name] === 0 ? 1 : 0}`)!;
    try {
      let off = 0;
      while (off < data.length) off += h.write(data.subarray(off), { at: pos + off });
    } catch (e) {
      this.staged.delete(name);
      throw this.fail('write', name, e);
    }
    this.staged.set(name, pos + data.length);
  }

  /** Flushes the other file, then makes it current with a manifest slot (flushed). */
  commit(name: string): void {
    if (!this.staged.has(name)) throw new Error(`${name}: commit without begin`);
    this.staged.delete(name);
    const other = this.slot.current[name] === 0 ? 1 : 0;
    try {
      this.files.get(`${name}.${other}`)!.flush();
    } catch (e) {
      throw this.fail('flush', name, e);
    }
    this.setCurrent(name, other);
  }

  private setCurrent(name: string, which: number): void {
    const next: Slot = { version: LAYOUT_VERSION, gen: this.slot.gen + 1, current: { ...this.slot.current, [name]: which } };
    const m = this.manifest!;
    try {
      m.write(encodeSlot(next), { at: (next.gen % 2) * 32 });
      m.flush();
    } catch (e) {
      throw this.fail('write the manifest for', name, e);
    }
    this.slot = next;
    this.torn.delete(name);
  }

  /** {@inheritDoc StorageAdapter.abort} */
  abort(name: string): void {
    this.staged.delete(name);
  }

  /** {@inheritDoc StorageAdapter.append} */
  append(name: string, data: Uint8Array): void {
    let h = this.current(name);
    if (!h) {
      // The first append creates the blob: an emptied file made current.
      const i = 0;
      h = this.files.get(`${name}.${i}`);
      if (!h) throw new Error(`unknown blob '${name}'`);
      try {
        h.truncate(0);
        h.flush();
      } catch (e) {
        throw this.fail('truncate', name, e);
      }
      this.setCurrent(name, i);
    }
    const cut = this.torn.get(name);
    try {
      if (cut !== undefined) {
        h.truncate(cut);
        this.torn.delete(name);
      }
    } catch (e) {
      throw this.fail('truncate', name, e);
    }
    const start = h.getSize();
    try {
      let off = 0;
      while (off < data.length) off += h.write(data.subarray(off), { at: start + off });
    } catch (e) {
      this.torn.set(name, start);
      try {
        h.truncate(start);
        this.torn.delete(name);
      } catch {
        // Cut back before the next append.
      }
      throw this.fail('append to', name, e);
    }
  }

  /** {@inheritDoc StorageAdapter.sync} */
  sync(name: string): void {
    try {
      this.current(name)?.flush();
    } catch (e) {
      throw this.fail('flush', name, e);
    }
  }

  /** Closes every handle (releasing the files for other contexts). */
  close(): void {
    for (const h of this.files.values()) h.close();
    this.files.clear();
    this.manifest?.close();
    this.manifest = undefined;
  }
}

/**
 * A storage adapter keeping the snapshot and journal in the Origin Private
 * File System (folder `redlet-<name>`), for a database opened in a
 * dedicated worker. Writes are synchronous: with `appendfsync always`,
 * `db.call` returns after its journal record was flushed.
 *
 * ```js
 * // worker.js
 * import { Redlet } from 'redlet';
 * import { opfsStorage } from 'redlet/opfs';
 * const db = await Redlet.open({ storage: opfsStorage('app'), config: { appendonly: 'yes' } });
 * ```
 */
export function opfsStorage(name: string): OpfsStorage {
  return new OpfsStorage(name);
}

export { exportSnapshot, importSnapshot } from './snapshots.js';
