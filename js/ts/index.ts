/**
 * redlet: Redis 7.0 semantics as a library. The engine runs in
 * WebAssembly inside your process (Node, browsers, Workers); no server.
 *
 * ```js
 * import { Redlet } from 'redlet';
 * const db = await Redlet.open({ config: { maxmemory: '64mb', 'maxmemory-policy': 'allkeys-lru' } });
 * db.call('SET', 'k', 'v', 'EX', 10);
 * ```
 *
 * Entry points: `redlet` (this), `redlet/ioredis` (a class shaped like
 * ioredis's `Redis`), `redlet/node` (`serve()`, `nodeFsStorage()`),
 * `redlet/indexeddb` (`indexedDBStorage()`), `redlet/opfs` (`opfsStorage()`),
 * `redlet/tabs` (`openShared()`: one database for all tabs of an origin),
 * `redlet/durable-object` (`durableObjectStorage()`: Cloudflare Durable Objects).
 */
export { Redlet, Client } from './redlet.js';
export type { OpenOptions, ClientOptions, CloseOptions, ConfigValue, Message, LoadReport } from './redlet.js';
export { ReplyError, EngineDeadError, ClosedError, StorageError } from './errors.js';
export { MemoryStorage } from './storage.js';
export type { StorageAdapter } from './storage.js';
export type { Arg, WasmSource } from './wasm.js';
export { exportSnapshot, importSnapshot } from './snapshots.js';
