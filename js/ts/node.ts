/**
 * `redlet/node`: the Node-only parts of the package. {@link serve} runs a
 * RESP server (the Redis wire protocol) over a database, and
 * {@link nodeFsStorage} keeps a database in a folder with the same files
 * the native `redlet serve --dir` writes.
 */
export { serve } from './serve.js';
export type { ServeOptions, RedletServer, LogLevel } from './serve.js';
export { nodeFsStorage, NodeFsStorage } from './fs-storage.js';
