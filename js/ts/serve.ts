/**
 * `serve()`: a RESP2/RESP3 server (the Redis wire protocol) over a wasm
 * engine, on `node:net`. Parsing, execution, blocking and closing rules are
 * the core's `Session` (the same code the native `redlet serve` runs); this
 * file only moves bytes between sockets and the engine, as
 * host/src/server.rs does with epoll.
 *
 * Invariants:
 * - Replies are written in order: everything a connection is owed (direct
 *   replies, then output a woken command or a message added) waits in one
 *   engine-side buffer that `respOutput` takes whole.
 * - After every batch of input, `core.after` hands other clients what the
 *   batch woke (a BLPOP served by this RPUSH, messages of this PUBLISH), for
 *   RESP connections through `core.conns` and for in-process clients
 *   directly.
 * - Output is taken from the engine only while the socket accepts more
 *   (`writableNeedDrain` false). Until 'drain', reading is paused and the
 *   engine holds the connection's output and stops running its commands
 *   once that output is large (64 MiB), so a client that does not read
 *   cannot make the server buffer without bound.
 * - A connection the engine closes (QUIT, CLIENT KILL, a protocol error,
 *   SHUTDOWN) ends once its last reply is written; the engine forgets the
 *   client as soon as nothing is left to send.
 * - Group commit needs nothing here: without a host-driven flush the core
 *   writes (and with `appendfsync always` syncs) the journal inside each
 *   command, before the reply exists.
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { ClosedError, EngineDeadError } from './errors.js';
import { Core, Redlet } from './redlet.js';
import type { CloseOptions, ConfigValue } from './redlet.js';
import type { StorageAdapter } from './storage.js';
import { nodeFsStorage } from './fs-storage.js';

/** State bits of `respFeed`/`respState` (js/src/lib.rs). */
const OUTPUT = 1;
const CLOSING = 2;
const BLOCKED = 4;
/** `client-query-buffer-limit` cannot be set below 1 MiB: smaller inputs need no check. */
const MIN_QUERY_LIMIT = 1 << 20;

/** A log line's level, as Redis marks them (`*` notice, `#` warning). */
export type LogLevel = 'notice' | 'warning';

/** Options of {@link serve}. */
export interface ServeOptions {
  /** TCP port; 0 (the default) picks a free one, read it from `server.port`. */
  port?: number;
  /**
   * Address(es) to listen on (default `127.0.0.1`). As in redis.conf's
   * `bind`: `*` is every IPv4 address, `::*` every IPv6 one, and a leading
   * `-` makes an address optional (skipped when it cannot be bound).
   */
  host?: string | readonly string[];
  /**
   * Serve this database (from `Redlet.open`). Without it `serve()` opens one
   * and closes it with the server. A database passed here stays open when
   * the server closes (also after a client's SHUTDOWN, which stops the
   * server); closing it stops the server.
   */
  engine?: Redlet;
  /** Data folder for the database `serve()` opens: loaded at start, saved to (`redlet.snapshot`, `redlet.journal`, the files `redlet serve --dir` uses). Created if missing. */
  dir?: string;
  /** Storage for the database `serve()` opens, instead of `dir`. */
  storage?: StorageAdapter;
  /** redis.conf directives for the database `serve()` opens (`{ maxmemory: '64mb' }`). */
  config?: Record<string, ConfigValue>;
  /** Seed of the opened database's random choices. */
  seed?: number;
  /** Clock of the opened database (ms), for tests. */
  clock?: () => number;
  /** Receives the server's log lines (a client dropped for its query buffer, shutdown, load). Default: none. */
  log?: (level: LogLevel, message: string) => void;
}

/** A running server (see {@link serve}). */
export interface RedletServer {
  /** The TCP port it listens on (the chosen one when asked for port 0). */
  readonly port: number;
  /** The first address it listens on, as given (`127.0.0.1`). */
  readonly host: string;
  /** The database it serves. */
  readonly engine: Redlet;
  /** Number of open client connections. */
  readonly connections: number;
  /** Resolves once the server has stopped: `close()`, a client's SHUTDOWN, or the engine closing or crashing. */
  readonly closed: Promise<void>;
  /**
   * Stops the server: no new connections, open ones are closed. A database
   * `serve()` opened is closed too, as SHUTDOWN does (`opts.save` as in
   * `db.close`); when that save fails this throws and the server keeps
   * running, as Redis does.
   */
  close(opts?: CloseOptions): Promise<void>;
}

/** One client connection. */
interface Conn {
  readonly socket: net.Socket;
  readonly id: number;
  /** The engine forgot the client (or never had it): nothing more is read or written. */
  gone: boolean;
  /** When it last read or wrote, for the `timeout` directive (ms). */
  lastActive: number;
}

/** `ip:port` as Redis shows it in CLIENT LIST (IPv6 in brackets). */
function fmtAddr(ip: string | undefined, port: number | undefined): string {
  if (ip === undefined) return '';
  return ip.includes(':') ? `[${ip}]:${port ?? 0}` : `${ip}:${port ?? 0}`;
}

/** A redis.conf `bind` word as an address for `listen`, and whether it may be skipped. */
function bindAddress(word: string): { ip: string; optional: boolean } {
  const optional = word.startsWith('-');
  const h = optional ? word.slice(1) : word;
  return { ip: h === '*' ? '0.0.0.0' : h === '::*' ? '::' : h, optional };
}

/** Listens on one address; resolves with the listener or rejects with the error. */
function listenOn(srv: net.Server, ip: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (e: Error) => reject(e);
    srv.once('error', onError);
    srv.listen({ host: ip, port, exclusive: true }, () => {
      srv.off('error', onError);
      resolve();
    });
  });
}

/**
 * Starts a RESP server (Redis 7.0's wire protocol, RESP2 and RESP3) over a
 * redlet database, so ioredis, node-redis, redis-cli and the libraries on
 * top of them connect to it unchanged. Pipelining, inline commands,
 * blocking commands across connections, pub/sub (also with in-process
 * clients of the same database), CLIENT KILL, QUIT, SHUTDOWN, Redis's
 * protocol errors, `maxclients`, `timeout` and `client-query-buffer-limit`
 * behave as in Redis.
 *
 * ```js
 * import { serve } from 'redlet/node';
 * const server = await serve({ port: 0 });
 * const redis = new Redis(server.port); // ioredis
 * await server.close();
 * ```
 */
export async function serve(opts: ServeOptions = {}): Promise<RedletServer> {
  const log = opts.log ?? (() => {});
  const hosts = opts.host === undefined ? ['127.0.0.1'] : typeof opts.host === 'string' ? [opts.host] : [...opts.host];
  if (hosts.length === 0) throw new TypeError('redlet serve: host must name at least one address');
  let port = opts.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError('redlet serve: port must be between 0 and 65535 inclusive');

  // Listening comes first (as in the native server) so that a database
  // serve() opens can record the port it got (CONFIG GET port). Sockets
  // accepted before the database is ready wait in `early`.
  const listeners: net.Server[] = [];
  const conns = new Set<Conn>();
  let early: net.Socket[] | undefined = [];
  let onSocket: (s: net.Socket) => void = (s) => early?.push(s);
  const closeListeners = () => Promise.all(listeners.map((l) => new Promise<void>((r) => l.close(() => r()))));
  for (const word of hosts) {
    const { ip, optional } = bindAddress(word);
    const srv = net.createServer({ noDelay: true }, (s) => onSocket(s));
    try {
      await listenOn(srv, ip, port);
    } catch (e) {
      if (optional) {
        log('warning', `Could not create server TCP listening socket ${ip}:${port}: ${(e as Error).message} (skipped)`);
        continue;
      }
      await closeListeners();
      log('warning', `Warning: Could not create server TCP listening socket ${ip}:${port}: bind: ${(e as Error).message}`);
      throw new Error(`Failed listening on port ${port} (TCP), aborting.`, { cause: e });
    }
    if (port === 0) port = (srv.address() as net.AddressInfo).port;
    listeners.push(srv);
  }
  if (listeners.length === 0) throw new Error(`Failed listening on port ${port} (TCP), aborting.`);
  // The native server's start lines; tests of `redlet serve --port 0` read
  // the port from the first.
  log('notice', `Running mode=standalone, port=${port}.`);
  log('warning', 'Server initialized');

  let db: Redlet;
  const owned = opts.engine === undefined;
  try {
    db = opts.engine ?? (await openEngine(opts, hosts, port, log));
  } catch (e) {
    for (const s of early) s.destroy();
    await closeListeners();
    throw e;
  }
  const core: Core = db._core;
  const raw = core.raw;
  core.setHost({ tcpPort: port });

  let stopping = false;
  let resolveClosed!: () => void;
  const closed = new Promise<void>((r) => (resolveClosed = r));

  /** Forgets a connection: the engine drops the client (a blocked command is dropped too). */
  const forget = (c: Conn) => {
    if (c.gone) return;
    c.gone = true;
    conns.delete(c);
    core.conns.delete(c.id);
    if (!core.closed && core.gen.dead === undefined) {
      try {
        core.run((r) => r.closeClient(c.id));
      } catch {
        // The engine is gone: nothing to release.
      }
    }
  };

  /**
   * Writes what the engine holds for `c` while the socket takes it, and
   * ends the connection once the engine is done with it. `st` is the
   * current state bits. Returns the state after writing.
   */
  const flush = (c: Conn, st: number): number => {
    const s = c.socket;
    while (st & OUTPUT && !s.writableNeedDrain) {
      const out = raw.respOutput(c.id);
      // Taking the output may have run input held back for it.
      st = raw.respState(c.id);
      if (out.length > 0) {
        s.write(out);
        c.lastActive = Date.now();
      }
    }
    if (st & CLOSING && !(st & OUTPUT)) {
      // QUIT, CLIENT KILL, a protocol error: the last reply is queued on
      // the socket, which closes once it is sent.
      forget(c);
      s.end();
    } else if (s.writableNeedDrain && !s.isPaused()) {
      s.pause();
    }
    return st;
  };

  /** After a batch of `c`'s input ran: deliver what it woke, keep the timers right, notice SHUTDOWN. */
  const settle = (c: Conn, st: number) => {
    st = flush(c, st);
    core.after((st & BLOCKED) !== 0);
    if (raw.shutdownRequested()) void shutdown();
  };

  /** The engine died or was closed under us: the server stops. */
  const engineLost = (e: unknown) => {
    if (e instanceof EngineDeadError) log('warning', e.message);
    void stop();
  };

  const start = (socket: net.Socket) => {
    if (stopping || core.closed || core.gen.dead !== undefined) {
      socket.destroy();
      if (!stopping) void stop();
      return;
    }
    socket.on('error', () => {
      // 'close' follows and does the cleanup.
    });
    if (conns.size >= Number(raw.getConfig('maxclients'))) {
      // Like Redis: best effort, then close.
      socket.end('-ERR max number of clients reached\r\n');
      return;
    }
    let id: number;
    try {
      id = core.run((r) => r.respOpen(fmtAddr(socket.remoteAddress, socket.remotePort), fmtAddr(socket.localAddress, socket.localPort)));
    } catch (e) {
      socket.destroy();
      return engineLost(e);
    }
    const c: Conn = { socket, id, gone: false, lastActive: Date.now() };
    conns.add(c);
    // Called by `core.deliver` when a command elsewhere (or a timeout, or
    // the engine closing) gave this connection output or closed it.
    core.conns.set(id, () => {
      if (c.gone) return;
      if (core.closed || core.gen.dead !== undefined) {
        forget(c);
        socket.destroy();
        return;
      }
      const st = flush(c, raw.respState(id));
      // Input run after the wakeup may have blocked with its own timeout.
      if (st & BLOCKED) core.schedule();
    });
    socket.on('data', (chunk: Buffer) => {
      if (c.gone) return;
      c.lastActive = Date.now();
      try {
        const st = core.run((r) => r.respFeed(id, chunk as Uint8Array<ArrayBuffer>));
        const pending = st & CLOSING ? 0 : raw.respPending(id);
        if (pending >= MIN_QUERY_LIMIT && pending > Number(raw.getConfig('client-query-buffer-limit'))) {
          // Redis frees the client without a reply.
          log('warning', 'Closing client that reached max query buffer length');
          forget(c);
          socket.destroy();
          return;
        }
        core.run(() => settle(c, st));
      } catch (e) {
        forget(c);
        socket.destroy();
        if (e instanceof EngineDeadError || e instanceof ClosedError) engineLost(e);
        else throw e;
      }
    });
    socket.on('drain', () => {
      if (c.gone) return;
      socket.resume();
      try {
        // Output held while the socket was full, and input held for it.
        core.run((r) => settle(c, r.respState(id)));
      } catch (e) {
        forget(c);
        socket.destroy();
        engineLost(e);
      }
    });
    socket.on('close', () => forget(c));
  };

  // The `timeout` directive: idle clients are closed (blocked ones wait
  // for their own timeout). Checked once a second, as Redis's cron does.
  const idleTimer = setInterval(() => {
    if (core.closed || core.gen.dead !== undefined) return;
    const secs = Number(raw.getConfig('timeout') ?? 0);
    if (!(secs > 0)) return;
    const limit = Date.now() - secs * 1000;
    for (const c of [...conns]) {
      if (c.lastActive < limit && !(raw.respState(c.id) & BLOCKED)) {
        forget(c);
        c.socket.destroy();
      }
    }
  }, 1000);
  idleTimer.unref();

  /** Closes the listeners and every connection (the engine stays as it is). */
  const stop = async () => {
    if (stopping) return closed;
    stopping = true;
    clearInterval(idleTimer);
    const done = closeListeners();
    for (const c of [...conns]) {
      forget(c);
      c.socket.destroy();
    }
    await done;
    resolveClosed();
  };

  /** A client ran SHUTDOWN (its save, if any, succeeded): the server stops, and a database it opened closes. */
  const shutdown = async () => {
    if (stopping) return;
    log('warning', 'User requested shutdown...');
    // Replies already queued (none for SHUTDOWN itself) go out first.
    if (owned) {
      try {
        // SHUTDOWN already saved as asked; this releases storage.
        await db.close({ save: false });
      } catch (e) {
        log('warning', `Error closing the database: ${(e as Error).message}`);
      }
    }
    await stop();
  };

  // The database closing (`db.close()`, also when serve() did not open
  // it) stops the server at once, not at the next connection.
  db.on('close', () => {
    if (core.closed) void stop();
  });

  onSocket = start;
  for (const s of early) start(s);
  early = undefined;
  log('notice', 'Ready to accept connections tcp');

  const firstHost = hosts[0]!;
  return {
    port,
    host: firstHost.startsWith('-') ? firstHost.slice(1) : firstHost,
    engine: db,
    get connections() {
      return conns.size;
    },
    closed,
    async close(closeOpts?: CloseOptions) {
      if (stopping) return closed;
      // The engine first: a failed final save leaves everything running.
      if (owned && !core.closed) await db.close(closeOpts);
      await stop();
    },
  };
}

/** Opens the database `serve()` owns: `dir` storage, `config`, and the host's `bind`/`port`/`dir` recorded in the config as the native server does. */
async function openEngine(opts: ServeOptions, hosts: string[], port: number, log: (l: LogLevel, m: string) => void): Promise<Redlet> {
  const config: Record<string, ConfigValue> = { bind: hosts.join(' '), ...opts.config, port };
  let storage = opts.storage;
  if (opts.dir !== undefined) {
    const dir = path.resolve(opts.dir);
    try {
      fs.mkdirSync(dir, { recursive: true });
    } catch (e) {
      throw new Error(`Can't create the data directory '${dir}': ${(e as Error).message}`, { cause: e });
    }
    config.dir = dir;
    storage ??= nodeFsStorage(dir);
  }
  const start = performance.now();
  const db = await Redlet.open({ storage, config, seed: opts.seed, clock: opts.clock });
  const report = db.loadReport;
  if (report && report.journalRecords > 0) log('notice', `Journal replayed: ${report.journalRecords} records`);
  if (storage) log('notice', `DB loaded from disk: ${((performance.now() - start) / 1000).toFixed(3)} seconds`);
  else log('notice', 'No --dir given: the dataset is kept in memory only');
  return db;
}
