// A Cloudflare Worker with a Durable Object running redlet: a fixed-window
// rate limiter per client IP (INCR + EXPIRE in MULTI) and a stream of
// events (XADD, read back with XRANGE), persisted in the object's storage.
//
//   GET /           -> 200 {"allowed":true,"count":n} or 429 once over LIMIT
//   GET /events     -> the last events, newest first
//
// wrangler.toml: a durable_objects binding LIMITER -> class Limiter, with
// `new_sqlite_classes = ["Limiter"]` in its migration.
import { Redlet } from 'redlet';
import { durableObjectStorage } from 'redlet/durable-object';
import wasm from 'redlet/redlet.wasm';

/** Requests allowed per client IP per window. */
const LIMIT = 5;
/** The window, in seconds. */
const WINDOW = 60;

export class Limiter {
  constructor(ctx) {
    // Nothing runs before the database is loaded from storage.
    ctx.blockConcurrencyWhile(async () => {
      this.db = await Redlet.open({
        wasm,
        storage: durableObjectStorage(ctx.storage),
        config: { appendonly: 'yes', appendfsync: 'always', 'auto-aof-rewrite-min-size': '1mb' },
      });
    });
  }

  async fetch(request) {
    const db = this.db;
    const url = new URL(request.url);
    if (url.pathname === '/events') {
      const events = db.call('XREVRANGE', 'events', '+', '-', 'COUNT', 100).map(([id, fields]) => ({ id, ...Object.fromEntries(pairs(fields)) }));
      return Response.json(events);
    }
    const ip = request.headers.get('cf-connecting-ip') ?? 'unknown';
    const key = `rate:${ip}:${Math.floor(Date.now() / 1000 / WINDOW)}`;
    db.call('MULTI');
    db.call('INCR', key);
    db.call('EXPIRE', key, WINDOW, 'NX');
    const [count] = db.call('EXEC');
    const allowed = count <= LIMIT;
    db.call('XADD', 'events', 'MAXLEN', '~', 10000, '*', 'ip', ip, 'path', url.pathname, 'allowed', allowed ? '1' : '0');
    return Response.json({ allowed, count }, { status: allowed ? 200 : 429 });
  }
}

function* pairs(flat) {
  for (let i = 0; i < flat.length; i += 2) yield [flat[i], flat[i + 1]];
}

export default {
  fetch(request, env) {
    // One object for the example; per-tenant objects would use idFromName(tenant).
    return env.LIMITER.get(env.LIMITER.idFromName('global')).fetch(request);
  },
};
