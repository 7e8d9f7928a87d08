/**
 * Moving a database between environments as a snapshot: the bytes of
 * `redlet.snapshot`, which `redlet serve --dir` writes and `redlet export`
 * reads. Works with every storage adapter.
 */
import { StorageError } from './errors.js';
import { Redlet } from './redlet.js';
import { MemoryStorage, type StorageAdapter } from './storage.js';

/**
 * The database's current contents as a snapshot (the bytes of
 * `redlet.snapshot`, which `redlet serve --dir` and `redlet export` read):
 * runs SAVE, waits until it is durable, reads it back.
 */
export async function exportSnapshot(db: Redlet): Promise<Uint8Array> {
  const storage = db._core.storage;
  if (!storage) throw new StorageError('redlet: exportSnapshot needs a database opened with storage');
  await db.send('SAVE');
  await db.flush();
  if (storage.readBlob) return (await storage.readBlob('snapshot')) ?? new Uint8Array(0);
  const n = storage.size('snapshot') ?? 0;
  const out = new Uint8Array(n);
  let off = 0;
  while (off < n) {
    const got = storage.readAt('snapshot', off, out.subarray(off));
    if (got === 0) break;
    off += got;
  }
  return out.subarray(0, off);
}

/**
 * Seeds `storage` (not open in any database) with a snapshot (the bytes of
 * `redlet.snapshot` from `redlet serve --dir`, or {@link exportSnapshot}),
 * dropping its journal. The bytes are checked by loading them first; bad
 * bytes throw and leave the storage untouched.
 */
export async function importSnapshot(storage: StorageAdapter, bytes: Uint8Array): Promise<void> {
  const probe = new MemoryStorage();
  probe.blobs.set('snapshot', bytes.slice());
  const check = await Redlet.open({ storage: probe });
  await check.close({ save: false });
  await storage.open?.();
  try {
    storage.begin('snapshot');
    storage.write('snapshot', bytes);
    storage.commit('snapshot');
    // An empty journal is ignored at load (shorter than its header).
    storage.begin('journal');
    storage.commit('journal');
    storage.sync('journal');
  } finally {
    await storage.close?.();
  }
}
