// serve() and the redlet bin: real clients (ioredis, node-redis, redis-cli)
// and raw sockets against a RESP server over the wasm engine. Protocol
// errors and inline commands are checked byte for byte against a real
// redis-server 7.0 started on a free port.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as net from 'node:net';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawn, execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import Redis from 'ioredis';
import { createClient } from 'redis';
import { serve } from '../dist/node.js';
import { Redlet } from '../dist/index.js';
import { startRedisServer } from './servers.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const execFileP = promisify(execFile);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A raw TCP connection that collects everything received. */
function raw(port) {
  const sock = net.connect(port, '127.0.0.1');
  // Chunks are joined only when looked at: a big reply arrives in many.
  let chunks = [];
  let len = 0;
  const data = () => {
    if (chunks.length > 1) chunks = [Buffer.concat(chunks)];
    return chunks[0] ?? Buffer.alloc(0);
  };
  let waiters = [];
  let isClosed = false;
  const check = () => {
    waiters = waiters.filter((w) => {
      if (isClosed || (w.n !== undefined ? len >= w.n : w.test(data()))) {
        w.resolve(data());
        return false;
      }
      return true;
    });
  };
  sock.on('data', (d) => {
    chunks.push(d);
    len += d.length;
    check();
  });
  sock.on('error', () => {});
  const closed = new Promise((r) =>
    sock.on('close', () => {
      isClosed = true;
      check();
      r(data());
    }),
  );
  const connected = new Promise((r) => sock.once('connect', r));
  return {
    sock,
    connected,
    closed,
    get data() {
      return data();
    },
    send: (b) => sock.write(b),
    /** Resolves once `test(buffer)` holds (or the connection closed). */
    until: (test) => new Promise((resolve) => (waiters.push({ test, resolve }), check())),
    /** Resolves once at least `n` bytes arrived (or the connection closed). */
    bytes: (n) => new Promise((resolve) => (waiters.push({ n, resolve }), check())),
    end: () => sock.end(),
  };
}

/** Sends `input` on a fresh raw connection, half-closes, and returns everything received until the server closes. */
async function exchange(port, input) {
  const c = raw(port);
  await c.connected;
  c.send(input);
  c.end();
  return (await c.closed).toString('latin1');
}

const ioredis = (port, opts = {}) => new Redis({ port, host: '127.0.0.1', lazyConnect: false, maxRetriesPerRequest: 1, retryStrategy: () => null, ...opts });
const closeAll = async (...cs) => {
  for (const c of cs) c.disconnect();
};

describe('serve() with ioredis', () => {
  let server;
  before(async () => {
    server = await serve({ port: 0 });
  });
  after(async () => {
    await server.close();
  });

  test('listens on the port it reports', async () => {
    assert.ok(server.port > 0);
    assert.equal(server.host, '127.0.0.1');
    const r = ioredis(server.port);
    assert.equal(await r.ping(), 'PONG');
    assert.deepEqual(await r.config('GET', 'port'), ['port', String(server.port)]);
    await closeAll(r);
  });

  test('strings and hashes', async () => {
    const r = ioredis(server.port);
    assert.equal(await r.set('s:k', 'v', 'EX', 100), 'OK');
    assert.equal(await r.get('s:k'), 'v');
    assert.equal(await r.incrby('s:n', 5), 5);
    assert.equal(await r.append('s:k', 'w'), 2);
    assert.deepEqual(await r.mget('s:k', 's:n', 's:none'), ['vw', '5', null]);
    assert.equal(await r.hset('s:h', 'a', '1', 'b', '2'), 2);
    assert.deepEqual(await r.hgetall('s:h'), { a: '1', b: '2' });
    assert.equal(await r.hincrby('s:h', 'a', 10), 11);
    await assert.rejects(r.lpush('s:h', 'x'), /WRONGTYPE Operation against a key holding the wrong kind of value/);
    const big = Buffer.alloc(300_000, 7);
    await r.set('s:big', big);
    assert.deepEqual(await r.getBuffer('s:big'), big);
    await closeAll(r);
  });

  test('pipelines and MULTI/EXEC', async () => {
    const r = ioredis(server.port);
    const res = await r.pipeline().set('p:a', '1').incr('p:a').get('p:a').lpush('p:a', 'x').exec();
    assert.deepEqual(res.slice(0, 3), [
      [null, 'OK'],
      [null, 2],
      [null, '2'],
    ]);
    assert.match(res[3][0].message, /WRONGTYPE/);
    const m = await r.multi().set('m:a', 'x').incr('m:n').incr('m:n').exec();
    assert.deepEqual(m, [
      [null, 'OK'],
      [null, 1],
      [null, 2],
    ]);
    // WATCH across connections: another connection's write aborts EXEC.
    const other = ioredis(server.port);
    await r.watch('m:w');
    await other.set('m:w', 'changed');
    assert.equal(await r.multi().set('m:w', 'mine').exec(), null);
    assert.equal(await r.get('m:w'), 'changed');
    await closeAll(r, other);
  });

  test('pub/sub across connections', async () => {
    const sub = ioredis(server.port);
    const pub = ioredis(server.port);
    await sub.subscribe('news');
    await sub.psubscribe('ne*');
    const got = [];
    const done = new Promise((resolve) => {
      sub.on('message', (ch, msg) => got.push(['message', ch, msg]));
      sub.on('pmessage', (p, ch, msg) => {
        got.push(['pmessage', p, ch, msg]);
        if (msg === 'two') resolve();
      });
    });
    assert.equal(await pub.publish('news', 'one'), 2);
    assert.equal(await pub.publish('news', 'two'), 2);
    await done;
    assert.deepEqual(got, [
      ['message', 'news', 'one'],
      ['pmessage', 'ne*', 'news', 'one'],
      ['message', 'news', 'two'],
      ['pmessage', 'ne*', 'news', 'two'],
    ]);
    await closeAll(sub, pub);
  });

  test('pub/sub between RESP and in-process clients', async () => {
    const inproc = server.engine.client();
    const received = new Promise((r) => inproc.on('message', (ch, msg) => r([ch, msg])));
    inproc.call('SUBSCRIBE', 'mixed');
    const pub = ioredis(server.port);
    assert.equal(await pub.publish('mixed', 'from-resp'), 1);
    assert.deepEqual(await received, ['mixed', 'from-resp']);

    const sub = ioredis(server.port);
    await sub.subscribe('back');
    const got = new Promise((r) => sub.on('message', (ch, msg) => r([ch, msg])));
    assert.equal(server.engine.call('PUBLISH', 'back', 'from-js'), 1);
    assert.deepEqual(await got, ['back', 'from-js']);
    inproc.close();
    await closeAll(sub, pub);
  });

  test('blocking: BLPOP served by another connection, BLPOP timeout', async () => {
    const a = ioredis(server.port);
    const b = ioredis(server.port);
    const waiting = a.blpop('b:q', 0);
    await sleep(20);
    assert.equal(await b.rpush('b:q', 'x', 'y'), 2);
    assert.deepEqual(await waiting, ['b:q', 'x']);
    assert.deepEqual(await b.lrange('b:q', 0, -1), ['y']);
    // Served by an in-process client's push, too.
    const w2 = a.brpop('b:q2', 5);
    await sleep(20);
    server.engine.call('LPUSH', 'b:q2', 'z');
    assert.deepEqual(await w2, ['b:q2', 'z']);
    const t0 = Date.now();
    assert.equal(await a.blpop('b:empty', 0.1), null);
    const took = Date.now() - t0;
    assert.ok(took >= 90 && took < 2000, `BLPOP 0.1 took ${took} ms`);
    // Commands pipelined after a blocked one wait for it.
    const c = raw(server.port);
    await c.connected;
    c.send('*3\r\n$5\r\nBLPOP\r\n$4\r\nb:q3\r\n$1\r\n0\r\n*1\r\n$4\r\nPING\r\n');
    await sleep(30);
    assert.equal(c.data.length, 0);
    await b.rpush('b:q3', 'v');
    const out = (await c.until((d) => d.toString().includes('PONG'))).toString();
    assert.equal(out, '*2\r\n$4\r\nb:q3\r\n$1\r\nv\r\n+PONG\r\n');
    c.sock.destroy();
    await closeAll(a, b);
  });

  test('streams with consumer groups', async () => {
    const r = ioredis(server.port);
    const other = ioredis(server.port);
    assert.equal(await r.xgroup('CREATE', 'st', 'g', '$', 'MKSTREAM'), 'OK');
    // A blocked XREADGROUP on one connection is served by XADD on another.
    const blocked = other.xreadgroup('GROUP', 'g', 'c2', 'COUNT', 10, 'BLOCK', 0, 'STREAMS', 'st', '>');
    await sleep(20);
    const id1 = await r.xadd('st', '*', 'f', '1');
    const [[name, entries]] = await blocked;
    assert.equal(name, 'st');
    assert.deepEqual(entries, [[id1, ['f', '1']]]);
    const id2 = await r.xadd('st', '*', 'f', '2');
    const read = await r.xreadgroup('GROUP', 'g', 'c1', 'COUNT', 10, 'STREAMS', 'st', '>');
    assert.deepEqual(read, [['st', [[id2, ['f', '2']]]]]);
    const pending = await r.xpending('st', 'g');
    assert.equal(pending[0], 2);
    assert.deepEqual(pending[3], [
      ['c1', '1'],
      ['c2', '1'],
    ]);
    assert.equal(await r.xack('st', 'g', id1, id2), 2);
    assert.equal((await r.xpending('st', 'g'))[0], 0);
    await closeAll(r, other);
  });

  test('CLIENT KILL closes the other connection, also when blocked', async () => {
    const r = ioredis(server.port);
    const victim = raw(server.port);
    await victim.connected;
    victim.send('CLIENT ID\r\n');
    const id = Number((await victim.until((d) => d.includes('\r\n'))).toString().slice(1, -2));
    assert.equal(await r.client('KILL', 'ID', id), 1);
    await victim.closed;
    assert.equal(victim.data.toString(), `:${id}\r\n`);

    const blocked = raw(server.port);
    await blocked.connected;
    blocked.send('CLIENT ID\r\nBLPOP k:never 0\r\n');
    const bid = Number((await blocked.until((d) => d.includes('\r\n'))).toString().slice(1, -2));
    await sleep(20);
    const addr = (await r.client('LIST')).split('\n').find((l) => l.startsWith(`id=${bid} `)).match(/addr=(\S+)/)[1];
    assert.match(addr, /^127\.0\.0\.1:\d+$/);
    assert.equal(await r.client('KILL', addr), 'OK');
    await blocked.closed;
    assert.equal(blocked.data.toString(), `:${bid}\r\n`);
    // The killed client is gone from the engine.
    assert.ok(!(await r.client('LIST')).includes(`id=${bid} `));
    // Killing oneself: the +OK reply comes first, then the close.
    const self = raw(server.port);
    await self.connected;
    self.send('CLIENT KILL SKIPME no ID 999999\r\nCLIENT ID\r\n');
    const sid = Number((await self.until((d) => d.toString().split('\r\n').length >= 3)).toString().split('\r\n')[1].slice(1));
    self.send(`CLIENT KILL ID ${sid} SKIPME no\r\nPING\r\n`);
    assert.equal((await self.closed).toString(), `:0\r\n:${sid}\r\n:1\r\n`);
    await closeAll(r);
  });

  test('QUIT replies +OK and closes', async () => {
    assert.equal(await exchange(server.port, 'PING\r\nQUIT\r\nPING\r\n'), '+PONG\r\n+OK\r\n');
    const r = ioredis(server.port);
    assert.equal(await r.quit(), 'OK');
  });

  test('pipelined 10k commands in one write', async () => {
    const c = raw(server.port);
    await c.connected;
    const parts = [];
    let expected = '';
    for (let i = 0; i < 10_000; i++) {
      const k = `pl:${i}`;
      parts.push(`*3\r\n$3\r\nSET\r\n$${k.length}\r\n${k}\r\n$${String(i).length}\r\n${i}\r\n`);
      expected += '+OK\r\n';
    }
    for (let i = 0; i < 10_000; i++) {
      const k = `pl:${i}`;
      parts.push(`*2\r\n$4\r\nINCR\r\n$${k.length}\r\n${k}\r\n`);
      expected += `:${i + 1}\r\n`;
    }
    c.send(parts.join(''));
    const got = await c.bytes(expected.length);
    assert.equal(got.toString(), expected);
    c.sock.destroy();
    // And through ioredis's pipeline.
    const r = ioredis(server.port);
    const p = r.pipeline();
    for (let i = 0; i < 10_000; i++) p.get(`pl:${i}`);
    const res = await p.exec();
    assert.equal(res.length, 10_000);
    assert.deepEqual(res[9_999], [null, '10000']);
    await closeAll(r);
  });

  test('a slow reader: output waits for drain and nothing is lost', async () => {
    const r = ioredis(server.port);
    await r.set('bp:big', Buffer.alloc(1 << 20, 97));
    const c = raw(server.port);
    await c.connected;
    c.sock.pause();
    const n = 40;
    c.send('GET bp:big\r\n'.repeat(n) + 'PING\r\n');
    await sleep(100);
    c.sock.resume();
    const one = `$${1 << 20}\r\n${'a'.repeat(1 << 20)}\r\n`;
    const got = await c.bytes(one.length * n + 7);
    assert.equal(got.length, one.length * n + 7);
    assert.equal(got.subarray(got.length - 7).toString(), '+PONG\r\n');
    assert.equal(got.subarray(0, one.length).toString(), one);
    c.sock.destroy();
    await closeAll(r);
  });

  test('redis-cli', async () => {
    // Asynchronously: the server runs in this process's event loop.
    const cli = async (...args) => (await execFileP('redis-cli', ['-p', String(server.port), ...args])).stdout;
    assert.equal(await cli('ping'), 'PONG\n');
    await cli('set', 'cli:k', 'hello world');
    assert.equal(await cli('get', 'cli:k'), 'hello world\n');
    assert.match(await cli('-3', 'hello', '3'), /^proto\s+3$/m);
  });
});

describe('serve() with node-redis', () => {
  let server;
  before(async () => {
    server = await serve({ port: 0 });
  });
  after(async () => {
    await server.close();
  });

  for (const RESP of [2, 3]) {
    test(`RESP${RESP}: strings, hashes, MULTI, pipelines, blocking, pub/sub, streams`, async () => {
      const c = createClient({ url: `redis://127.0.0.1:${server.port}`, RESP });
      c.on('error', () => {});
      await c.connect();
      const k = `nr${RESP}:`;
      assert.equal(await c.set(k + 's', 'v'), 'OK');
      assert.equal(await c.get(k + 's'), 'v');
      await c.hSet(k + 'h', { a: '1', b: '2' });
      const h = await c.hGetAll(k + 'h');
      assert.deepEqual({ ...h }, { a: '1', b: '2' });
      assert.deepEqual(await c.multi().incr(k + 'n').incr(k + 'n').get(k + 'n').exec(), [1, 2, '2']);
      const [a, b] = await Promise.all([c.incr(k + 'p'), c.incr(k + 'p')]);
      assert.deepEqual([a, b], [1, 2]);
      const hello = await c.sendCommand(['HELLO']);
      assert.equal(hello instanceof Map ? hello.get('proto') : Array.isArray(hello) ? hello[hello.indexOf('proto') + 1] : hello.proto, RESP);
      if (RESP === 3) {
        // A RESP3 map reply and a double.
        assert.equal(await c.sendCommand(['ZINCRBY', k + 'z', '1.5', 'm']), 1.5);
      }

      const blocked = c.duplicate();
      blocked.on('error', () => {});
      await blocked.connect();
      const w = blocked.blPop(k + 'q', 0);
      await sleep(20);
      await c.rPush(k + 'q', 'x');
      assert.deepEqual({ ...(await w) }, { key: k + 'q', element: 'x' });

      const sub = c.duplicate();
      sub.on('error', () => {});
      await sub.connect();
      const got = new Promise((r) => sub.subscribe(k + 'ch', (msg, ch) => r([ch, msg])));
      await sleep(20);
      assert.equal(await c.publish(k + 'ch', 'hi'), 1);
      assert.deepEqual(await got, [k + 'ch', 'hi']);

      await c.xGroupCreate(k + 'st', 'g', '$', { MKSTREAM: true });
      const id = await c.xAdd(k + 'st', '*', { f: 'v' });
      const read = await c.xReadGroup('g', 'c1', { key: k + 'st', id: '>' });
      const entries = Array.isArray(read) ? read[0].messages : Object.values(read)[0];
      assert.equal(entries[0].id, id);
      assert.deepEqual({ ...entries[0].message }, { f: 'v' });
      assert.equal((await c.xPending(k + 'st', 'g')).pending, 1);
      assert.equal(await c.xAck(k + 'st', 'g', id), 1);
      assert.equal((await c.xPending(k + 'st', 'g')).pending, 0);

      await sub.quit();
      await blocked.quit();
      await c.quit();
    });
  }
});

describe('serve(): protocol details against redis-server', () => {
  let server;
  let redis;
  before(async () => {
    server = await serve({ port: 0 });
    redis = await startRedisServer();
  });
  after(async () => {
    await server.close();
    redis.stop();
  });

  const same = async (input) => {
    const [ours, theirs] = await Promise.all([exchange(server.port, input), exchange(redis.port, input)]);
    assert.equal(ours, theirs, `input ${JSON.stringify(input)}`);
    return ours;
  };

  test('protocol errors: the exact reply, then the connection closes', async () => {
    assert.equal(await same('*abc\r\n'), '-ERR Protocol error: invalid multibulk length\r\n');
    assert.equal(await same('*1\r\nfoo\r\n'), "-ERR Protocol error: expected '$', got 'f'\r\n");
    assert.equal(await same('PING\r\n*1\r\n$x\r\nPING\r\n'), '+PONG\r\n-ERR Protocol error: invalid bulk length\r\n');
    assert.equal(await same('SET a "unbalanced\r\nPING\r\n'), '-ERR Protocol error: unbalanced quotes in request\r\n');
    // The connection is really closed by the server, without the client ending it.
    const c = raw(server.port);
    await c.connected;
    c.send('*abc\r\n');
    assert.equal((await c.closed).toString(), '-ERR Protocol error: invalid multibulk length\r\n');
  });

  test('inline commands', async () => {
    const out = await same('PING\r\nSET inl "b c"\r\nGET inl\r\n\r\nECHO \'x y\'\nDEL inl\r\nNOSUCH 1\r\n');
    assert.equal(out, '+PONG\r\n+OK\r\n$3\r\nb c\r\n$3\r\nx y\r\n:1\r\n' + "-ERR unknown command 'NOSUCH', with args beginning with: '1' \r\n");
  });

  test('RESP3 after HELLO 3 on a raw socket', async () => {
    const input = 'HELLO 3 SETNAME x\r\nHSET r3 a 1\r\nHGETALL r3\r\nZADD r3z 1.5 m\r\nZSCORE r3z m\r\nGET nokey\r\nDEL r3 r3z\r\n';
    const ours = await exchange(server.port, input);
    const theirs = await exchange(redis.port, input);
    // HELLO's map differs in version and id; everything after it must match.
    const tail = (s) => s.slice(s.indexOf(':1\r\n'));
    assert.ok(ours.startsWith('%7\r\n$6\r\nserver\r\n$5\r\nredis\r\n'), ours);
    assert.equal(tail(ours), tail(theirs));
    assert.ok(tail(ours).includes('%1\r\n$1\r\na\r\n$1\r\n1\r\n:1\r\n,1.5\r\n_\r\n'), tail(ours));
  });
});

describe('serve(): limits and lifecycle', () => {
  test('maxclients', async () => {
    const server = await serve({ port: 0, config: { maxclients: 2 } });
    const a = raw(server.port);
    const b = raw(server.port);
    await Promise.all([a.connected, b.connected]);
    a.send('PING\r\n');
    await a.until((d) => d.length > 0);
    const c = raw(server.port);
    assert.equal((await c.closed).toString(), '-ERR max number of clients reached\r\n');
    a.sock.destroy();
    await sleep(30);
    assert.equal(await exchange(server.port, 'PING\r\n'), '+PONG\r\n');
    b.sock.destroy();
    await server.close();
  });

  test('client-query-buffer-limit closes the client without a reply', async () => {
    const lines = [];
    const server = await serve({ port: 0, config: { 'client-query-buffer-limit': '1mb' }, log: (l, m) => lines.push([l, m]) });
    const c = raw(server.port);
    await c.connected;
    c.send('*2\r\n$4\r\nECHO\r\n$3000000\r\n');
    c.send(Buffer.alloc(1_200_000, 120));
    assert.equal((await c.closed).length, 0);
    assert.ok(lines.some(([l, m]) => l === 'warning' && m === 'Closing client that reached max query buffer length'), JSON.stringify(lines));
    // A big argument under the limit is fine.
    const d = raw(server.port);
    await d.connected;
    d.send('*2\r\n$4\r\nECHO\r\n$900000\r\n');
    d.send(Buffer.alloc(900_000, 120));
    d.send('\r\n');
    assert.equal((await d.bytes(900_000 + 11)).length, 900_000 + 11);
    d.sock.destroy();
    await server.close();
  });

  test('timeout closes idle clients, not blocked ones', async () => {
    const server = await serve({ port: 0, config: { timeout: 1 } });
    const idle = raw(server.port);
    const blocked = raw(server.port);
    await Promise.all([idle.connected, blocked.connected]);
    blocked.send('BLPOP t:q 0\r\n');
    await idle.closed;
    await sleep(100);
    assert.equal(server.connections, 1);
    server.engine.call('RPUSH', 't:q', 'v');
    assert.equal((await blocked.until((d) => d.length > 0)).toString(), '*2\r\n$3\r\nt:q\r\n$1\r\nv\r\n');
    blocked.sock.destroy();
    await server.close();
  });

  test('serving an existing database: close() leaves it open; its close() ends the server', async () => {
    const db = await Redlet.open();
    db.call('SET', 'shared', 'yes');
    let server = await serve({ port: 0, engine: db });
    const r = ioredis(server.port);
    assert.equal(await r.get('shared'), 'yes');
    await server.close();
    await server.closed;
    assert.equal(db.call('GET', 'shared'), 'yes');
    r.disconnect();

    server = await serve({ port: 0, engine: db });
    const c = raw(server.port);
    await c.connected;
    c.send('PING\r\n');
    await c.until((d) => d.length > 0);
    await db.close();
    await c.closed;
    await server.closed;
    assert.equal(server.connections, 0);
  });

  test('SHUTDOWN from a client stops the server and saves', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redlet-serve-'));
    try {
      let server = await serve({ port: 0, dir });
      const r = ioredis(server.port);
      await r.set('persisted', '42');
      await r.call('SHUTDOWN', 'SAVE').catch(() => {});
      await server.closed;
      assert.ok(fs.existsSync(path.join(dir, 'redlet.snapshot')));
      r.disconnect();
      server = await serve({ port: 0, dir });
      assert.equal(server.engine.call('GET', 'persisted'), '42');
      await server.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a port in use fails like the native server', async () => {
    const server = await serve({ port: 0 });
    await assert.rejects(serve({ port: server.port }), { message: `Failed listening on port ${server.port} (TCP), aborting.` });
    // An optional address ('-' prefix) that cannot be bound is skipped.
    const s2 = await serve({ port: server.port, host: ['-127.0.0.1', '127.0.0.2'] }).catch((e) => e);
    if (s2 instanceof Error) assert.match(s2.message, /Failed listening/);
    else await s2.close();
    await server.close();
  });
});

describe('the redlet bin', () => {
  const bin = path.join(here, '..', 'bin', 'redlet.mjs');

  /** Starts `node bin/redlet.mjs ...args`; resolves with the process and the port from its log line. */
  function start(args) {
    const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    const exited = new Promise((r) => child.on('exit', (code) => r(code)));
    const port = new Promise((resolve, reject) => {
      child.stdout.on('data', (d) => {
        out += d;
        const m = out.match(/Running mode=standalone, port=(\d+)\./);
        if (m && out.includes('Ready to accept connections tcp')) resolve(Number(m[1]));
      });
      exited.then((code) => reject(new Error(`exited ${code}: ${out}${err}`)));
    });
    port.catch(() => {}); // Tests of failing starts await `exited` instead.
    return { child, port, exited, log: () => out, err: () => err };
  }

  test('--version and --help', () => {
    assert.match(execFileSync(process.execPath, [bin, '--version']).toString(), /^redlet server v=\d+\.\d+\.\d+ \(Redis 7\.0\.15 compatible\) bits=32 os=\w+\n$/);
    assert.match(execFileSync(process.execPath, [bin, '--help']).toString(), /^Usage: redlet serve/);
  });

  test("bad arguments: the native server's errors, exit 1", async () => {
    // Each text is what target/release/redlet prints for the same arguments.
    const banner = '\n*** FATAL CONFIG FILE ERROR (redlet 0.1.0) ***\n';
    const cases = [
      [['--port', '0', '--maxmemory-policy', 'nosuch'], `>>> 'maxmemory-policy "nosuch"'\nargument(s) must be one of the following: volatile-lru, volatile-lfu, volatile-random, volatile-ttl, allkeys-lru, allkeys-lfu, allkeys-random, noeviction`],
      [['--nosuch'], ">>> 'nosuch'\nBad directive or wrong number of arguments"],
      [['--port', '1', '2'], `>>> 'port "1" "2"'\nargument couldn't be parsed into an integer`],
      [['--port', '70000'], `>>> 'port "70000"'\nargument must be between 0 and 65535 inclusive`],
      [['--save', '60'], `>>> 'save "60"'\nInvalid save parameters`],
    ];
    for (const [args, why] of cases) {
      const p = start(['serve', ...args]);
      assert.equal(await p.exited, 1);
      assert.equal(p.err(), `${banner}Reading the configuration file, at line 0\n${why}\n`);
      assert.equal(p.log(), '');
    }
    const q = start(['serve', 'no-such.conf', '--port', '1']);
    assert.equal(await q.exited, 1);
    assert.equal(q.err(), `${banner}Fatal error, can't open config file 'no-such.conf': No such file or directory (os error 2)\n`);
    const u = start(['frobnicate']);
    assert.equal(await u.exited, 1);
    assert.match(u.err(), /^redlet: unknown command 'frobnicate'\n\nUsage: /);
  });

  test('serve --port 0 --dir: directives, SIGTERM saves, the data loads again', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redlet-bin-'));
    try {
      const conf = path.join(dir, 'redis.conf');
      fs.writeFileSync(conf, '# a config file\nhz 20\nmaxmemory-policy "allkeys-lru"\n');
      const p = start(['serve', conf, '--port', '0', '--dir', dir, '--maxmemory', '64mb', '--save', '']);
      const port = await p.port;
      const r = ioredis(port);
      assert.deepEqual(await r.config('GET', 'maxmemory'), ['maxmemory', '67108864']);
      assert.deepEqual(await r.config('GET', 'maxmemory-policy'), ['maxmemory-policy', 'allkeys-lru']);
      assert.deepEqual(await r.config('GET', 'hz'), ['hz', '20']);
      assert.deepEqual(await r.config('GET', 'dir'), ['dir', dir]);
      assert.deepEqual(await r.config('GET', 'port'), ['port', String(port)]);
      await r.set('from-bin', 'v1');
      r.disconnect();
      p.child.kill('SIGTERM');
      assert.equal(await p.exited, 0);
      assert.match(p.log(), /Received SIGTERM scheduling shutdown\.\.\.\n.*User requested shutdown\.\.\.\n.*Saving the final snapshot before exiting\.\n.*redlet is now ready to exit, bye bye\.\.\.\n$/);
      assert.ok(fs.existsSync(path.join(dir, 'redlet.snapshot')));

      const p2 = start(['serve', '--port', '0', '--dir', dir]);
      const r2 = ioredis(await p2.port);
      assert.equal(await r2.get('from-bin'), 'v1');
      // SHUTDOWN NOSAVE from a client ends the process too.
      await r2.call('SHUTDOWN', 'NOSAVE').catch(() => {});
      assert.equal(await p2.exited, 0);
      r2.disconnect();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
