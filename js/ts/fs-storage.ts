/**
 * {@link nodeFsStorage}: the engine's blobs as files in one folder through
 * synchronous `node:fs` calls. It writes exactly what the native server's
 * `FileStorage` (host/src/storage.rs) writes, the same way, so a folder
 * moves freely between the npm package, `redlet serve --dir` and
 * `redlet export`:
 *
 * - Blob `name` is the file `<dir>/redlet.<name>`: `snapshot` ->
 *   `redlet.snapshot`, `journal` -> `redlet.journal`. Names are short words
 *   of `[a-z0-9_-]` (anything else could escape the folder).
 * - Replace (`begin`/`write`/`commit`): the bytes go to
 *   `<dir>/redlet.<name>.tmp-<pid>`, which is fsynced, renamed over the
 *   blob, then the folder is fsynced so the rename itself is durable. Until
 *   the rename the old file is untouched; a failure before it removes the
 *   temp file. A failure of the final folder fsync is reported although the
 *   new file is in place (whole: old or new, never a mix).
 * - Append goes through one open `O_APPEND` descriptor per blob. An append
 *   that fails half-way is cut back (ftruncate) to where it started, so a
 *   later append never lands after a torn record. `sync` is `fdatasync`,
 *   plus one folder fsync after an append created the file.
 * - Replacing a blob closes its append and read descriptors: they name the
 *   old inode.
 *
 * Errors are thrown as `Error`s naming the operation, the path and the OS
 * reason, like FileStorage's (`open /data/redlet.snapshot: no such file or
 * directory (ENOENT)`).
 *
 * One folder must be used by one database at a time (as with the native
 * server): nothing locks it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { StorageAdapter } from './storage.js';

/** An open append descriptor and the blob's length when every append so far went through whole. */
interface Appender {
  fd: number;
  len: number;
  /** The file was created by an append and the folder not fsynced since. */
  newFile: boolean;
  /** An append failed and its partial bytes may still be in the file. */
  dirty: boolean;
}

/** A replace in progress: the temp file's descriptor and path. */
interface Staged {
  fd: number;
  path: string;
}

/** The OS reason of a failed `node:fs` call, as `no such file or directory (ENOENT)`. */
function reason(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const code = (e as NodeJS.ErrnoException).code;
  // Node's messages read `ENOENT: no such file or directory, open '/x'`:
  // keep the description, the path is in our own message already.
  let m = e.message;
  if (code && m.startsWith(`${code}: `)) {
    m = m.slice(code.length + 2);
    const comma = m.lastIndexOf(', ');
    if (comma >= 0) m = m.slice(0, comma);
    return `${m} (${code})`;
  }
  return m;
}

/** The error FileStorage would report for `op` on `file`. */
function fail(op: string, file: string, e: unknown): Error {
  return new Error(`${op} ${file}: ${reason(e)}`, { cause: e });
}

function closeQuietly(fd: number | undefined): void {
  if (fd === undefined) return;
  try {
    fs.closeSync(fd);
  } catch {
    // Nothing to recover: the descriptor is gone either way.
  }
}

function unlinkQuietly(p: string): void {
  try {
    fs.unlinkSync(p);
  } catch {
    // Already gone, or the folder is unwritable: the temp file is harmless.
  }
}

/** Writes all of `data` at the descriptor's position (writeSync may write less than asked). */
function writeAll(fd: number, data: Uint8Array): void {
  let off = 0;
  while (off < data.length) off += fs.writeSync(fd, data, off, data.length - off);
}

/** The storage adapter {@link nodeFsStorage} returns. */
export class NodeFsStorage implements StorageAdapter {
  /** The folder holding the files. */
  readonly dir: string;
  private readonly staged = new Map<string, Staged>();
  private readonly appenders = new Map<string, Appender>();
  private readonly readers = new Map<string, number>();

  /** Blobs in `dir` (created by {@link NodeFsStorage.open} when missing). */
  constructor(dir: string) {
    this.dir = path.resolve(dir);
  }

  /** The file that holds blob `name`; throws for a name that is not a short `[a-z0-9_-]` word. */
  pathOf(name: string): string {
    if (!/^[a-z0-9_-]{1,64}$/.test(name)) throw new Error(`invalid blob name '${name}'`);
    return path.join(this.dir, `redlet.${name}`);
  }

  /** Creates the folder (and its parents) when missing, as `redlet serve --dir` does. */
  open(): void {
    try {
      fs.mkdirSync(this.dir, { recursive: true });
    } catch (e) {
      throw new Error(`Can't create the data directory '${this.dir}': ${reason(e)}`, { cause: e });
    }
  }

  /** {@inheritDoc StorageAdapter.size} */
  size(name: string): number | null {
    const p = this.pathOf(name);
    try {
      return fs.statSync(p).size;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw fail('stat', p, e);
    }
  }

  /** {@inheritDoc StorageAdapter.readAt} */
  readAt(name: string, offset: number, buf: Uint8Array): number {
    const p = this.pathOf(name);
    let fd = this.readers.get(name);
    if (fd === undefined) {
      try {
        fd = fs.openSync(p, 'r');
      } catch (e) {
        throw fail('open', p, e);
      }
      this.readers.set(name, fd);
    }
    for (;;) {
      try {
        return fs.readSync(fd, buf, 0, buf.length, offset);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EINTR') continue;
        throw fail('read', p, e);
      }
    }
  }

  /** {@inheritDoc StorageAdapter.begin} */
  begin(name: string): void {
    const blob = this.pathOf(name);
    this.abort(name);
    const p = `${blob}.tmp-${process.pid}`;
    let fd: number;
    try {
      fd = fs.openSync(p, 'w');
    } catch (e) {
      throw fail('create', p, e);
    }
    this.staged.set(name, { fd, path: p });
  }

  /** {@inheritDoc StorageAdapter.write} */
  write(name: string, data: Uint8Array): void {
    const st = this.staged.get(name);
    if (!st) throw new Error(`${name}: write without begin`);
    try {
      writeAll(st.fd, data);
    } catch (e) {
      this.staged.delete(name);
      closeQuietly(st.fd);
      unlinkQuietly(st.path);
      throw fail('write', st.path, e);
    }
  }

  /** {@inheritDoc StorageAdapter.commit} */
  commit(name: string): void {
    const blob = this.pathOf(name);
    const st = this.staged.get(name);
    if (!st) throw new Error(`${name}: commit without begin`);
    this.staged.delete(name);
    try {
      fs.fsyncSync(st.fd);
    } catch (e) {
      closeQuietly(st.fd);
      unlinkQuietly(st.path);
      throw fail('fsync', st.path, e);
    }
    closeQuietly(st.fd);
    try {
      fs.renameSync(st.path, blob);
    } catch (e) {
      unlinkQuietly(st.path);
      throw new Error(`rename ${st.path} to ${blob}: ${reason(e)}`, { cause: e });
    }
    // The descriptors name the replaced inode now.
    const a = this.appenders.get(name);
    if (a) closeQuietly(a.fd);
    this.appenders.delete(name);
    closeQuietly(this.readers.get(name));
    this.readers.delete(name);
    try {
      this.syncDir();
    } catch (e) {
      throw fail('fsync', this.dir, e);
    }
  }

  /** {@inheritDoc StorageAdapter.abort} */
  abort(name: string): void {
    const st = this.staged.get(name);
    if (!st) return;
    this.staged.delete(name);
    closeQuietly(st.fd);
    unlinkQuietly(st.path);
  }

  /** {@inheritDoc StorageAdapter.append} */
  append(name: string, data: Uint8Array): void {
    const p = this.pathOf(name);
    let a = this.appenders.get(name);
    if (!a) {
      const existed = fs.existsSync(p);
      let fd: number;
      try {
        fd = fs.openSync(p, 'a');
      } catch (e) {
        throw fail('open', p, e);
      }
      let len: number;
      try {
        len = fs.fstatSync(fd).size;
      } catch (e) {
        closeQuietly(fd);
        throw fail('stat', p, e);
      }
      a = { fd, len, newFile: !existed, dirty: false };
      this.appenders.set(name, a);
    }
    try {
      this.repair(a);
      writeAll(a.fd, data);
      a.len += data.length;
    } catch (e) {
      // Cut the partial record off now if we can, else before the next append.
      a.dirty = true;
      try {
        this.repair(a);
      } catch {
        // Retried by the next append.
      }
      throw fail('write', p, e);
    }
  }

  /** {@inheritDoc StorageAdapter.sync} */
  sync(name: string): void {
    const p = this.pathOf(name);
    const a = this.appenders.get(name);
    if (!a) return;
    try {
      fs.fdatasyncSync(a.fd);
    } catch (e) {
      throw fail('fdatasync', p, e);
    }
    if (a.newFile) {
      try {
        this.syncDir();
      } catch (e) {
        throw fail('fsync', this.dir, e);
      }
      a.newFile = false;
    }
  }

  /** Closes every descriptor and drops staged copies; the adapter can be used again afterwards (descriptors reopen on demand). */
  close(): void {
    for (const name of [...this.staged.keys()]) this.abort(name);
    for (const a of this.appenders.values()) closeQuietly(a.fd);
    this.appenders.clear();
    for (const fd of this.readers.values()) closeQuietly(fd);
    this.readers.clear();
  }

  /** Cuts a blob back to where its last whole append ended. */
  private repair(a: Appender): void {
    if (a.dirty) {
      fs.ftruncateSync(a.fd, a.len);
      a.dirty = false;
    }
  }

  /** fsyncs the folder, making renames and file creations in it durable. */
  private syncDir(): void {
    const fd = fs.openSync(this.dir, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      closeQuietly(fd);
    }
  }
}

/**
 * A storage adapter keeping the snapshot and journal as files in `dir`
 * (created when missing): `redlet.snapshot` and `redlet.journal`, written
 * exactly as `redlet serve --dir` writes them, so the folder can be served
 * by the native server or exported with `redlet export`.
 *
 * ```js
 * import { Redlet } from 'redlet';
 * import { nodeFsStorage } from 'redlet/node';
 * const db = await Redlet.open({ storage: nodeFsStorage('./data'), config: { appendonly: 'yes' } });
 * ```
 */
export function nodeFsStorage(dir: string): NodeFsStorage {
  return new NodeFsStorage(dir);
}
