// ACL users through the npm package's faces (issue 13): Redlet.open({ users,
// user, password }), db.client({ user[, password] }), the ioredis-shaped
// client's username/password, and serve() with real ioredis. The security
// test: a client confined to `~a:* &a:*` without @admin/@dangerous/SCAN/
// RANDOMKEY reaches its own keys and channels and nothing else. Error texts
// are redis-server 7.0.15's (the serve() part compares them with a real one
// started on a free port).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import RealRedis from 'ioredis';
import { Redlet, ReplyError, MemoryStorage } from '../dist/index.js';
import Redis from '../dist/ioredis.js';
import { serve } from '../dist/node.js';
import { startRedisServer } from './servers.mjs';

/** The confined user of every test here. */
const APP = 'on >pw ~a:* &a:* +@all -@admin -@dangerous -scan -randomkey';

const NOPERM_KEY = 'NOPERM this user has no permissions to access one of the keys used as arguments';
const NOPERM_CHANNEL = 'NOPERM this user has no permissions to access one of the channels used as arguments';
const noperm = (cmd) => `NOPERM this user has no permissions to run the '${cmd}' command`;
const WRONGPASS = 'WRONGPASS invalid username-password pair or user is disabled.';
const SCRIPT_KEY = "ERR The user executing the script can't access at least one of the keys mentioned in the command arguments";

/** A command's reply, or its error's text. */
async function outcome(f) {
  try {
    return await f();
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

/**
 * The security checks, for any face: `run(cmd, ...args)` runs a command as
 * the confined client and returns its reply or error text.
 */
async function confined(run) {
  assert.equal(await run('SET', 'a:1', 'x'), 'OK');
  assert.equal(await run('GET', 'a:1'), 'x');
  for (const c of [['GET', 'b:1'], ['SET', 'b:1', 'x'], ['DEL', 'b:1'], ['MGET', 'a:1', 'b:1'], ['RENAME', 'a:1', 'b:1']]) {
    assert.equal(await run(...c), NOPERM_KEY, c.join(' '));
  }
  assert.equal(await run('PUBLISH', 'b:chan', 'hi'), NOPERM_CHANNEL);
  assert.equal(await run('PUBLISH', 'a:chan', 'hi'), 0);
  assert.equal(await run('ACL', 'SETUSER', 'x'), noperm('acl|setuser'));
  assert.equal(await run('CONFIG', 'SET', 'maxmemory', '1'), noperm('config|set'));
  assert.equal(await run('DEBUG', 'SLEEP', '0'), noperm('debug'));
  assert.equal(await run('KEYS', '*'), noperm('keys'));
  assert.equal(await run('SCAN', '0'), noperm('scan'));
  assert.equal(await run('RANDOMKEY'), noperm('randomkey'));
  assert.equal(await run('FLUSHALL'), noperm('flushall'));
  // Scripts run with the caller's user.
  const script = await run('EVAL', "return redis.call('get','b:1')", '0');
  assert.match(script, new RegExp(`^${SCRIPT_KEY} script: [0-9a-f]{40}, on @user_script:1\\.$`));
  assert.equal(await run('EVAL', "return redis.call('get',KEYS[1])", '1', 'b:1'), NOPERM_KEY);
  assert.equal(await run('EVAL', "return redis.call('get','a:1')", '0'), 'x');
  assert.equal(await run('ACL', 'WHOAMI'), 'app');
}

describe('ACL users in the JS API', () => {
  let db;
  before(async () => {
    db = await Redlet.open({ users: { app: APP }, seed: 1 });
  });
  after(() => db.close({ save: false }));

  test('a client confined by its password is held to its keys, channels and commands', async () => {
    const app = db.client({ user: 'app', password: 'pw' });
    await confined((...a) => outcome(() => app.call(...a)));
    // SUBSCRIBE outside a:* is refused; inside it works.
    assert.equal(await outcome(() => app.call('SUBSCRIBE', 'b:chan')), NOPERM_CHANNEL);
    assert.deepEqual(app.call('SUBSCRIBE', 'a:chan'), ['subscribe', 'a:chan', 1]);
    // Inside MULTI the refusal aborts the transaction, as in Redis.
    const tx = db.client({ user: 'app' });
    tx.call('MULTI');
    assert.equal(await outcome(() => tx.call('GET', 'b:1')), NOPERM_KEY);
    assert.equal(await outcome(() => tx.call('EXEC')), 'EXECABORT Transaction discarded because of previous errors.');
    // The refusals are in ACL LOG (read by the unrestricted default client).
    const log = db.call('ACL', 'LOG');
    assert.ok(log.some((e) => e[3] === 'key' && e[7] === 'b:1' && e[9] === 'app'), JSON.stringify(log[0]));
    app.close();
    tx.close();
  });

  test('the trusted-host form runs a client as a user without its password', async () => {
    const app = db.client({ user: 'app' });
    await confined((...a) => outcome(() => app.call(...a)));
    assert.equal(db.call('CLIENT', 'LIST', 'ID', String(app.id)).match(/ user=(\S+)/)[1], 'app');
    app.close();
  });

  test('unknown users, disabled users and wrong passwords throw WRONGPASS and leave no client', async () => {
    const before = db.call('CLIENT', 'LIST').split('\n').length;
    db.call('ACL', 'SETUSER', 'off1', 'off', '>pw', '+@all', '~*');
    for (const opts of [{ user: 'nobody' }, { user: 'off1' }, { user: 'off1', password: 'pw' }, { user: 'app', password: 'bad' }]) {
      let err;
      try {
        db.client(opts);
      } catch (e) {
        err = e;
      }
      assert.ok(err instanceof ReplyError, JSON.stringify(opts));
      assert.equal(err.message, WRONGPASS);
      assert.equal(err.code, 'WRONGPASS');
      // The password never travels in the error.
      assert.ok(!JSON.stringify(err.command).includes('bad'), JSON.stringify(err.command));
    }
    assert.equal(db.call('CLIENT', 'LIST').split('\n').length, before);
    // A failed AUTH is logged as Redis logs it (reason auth, the user tried).
    assert.ok(db.call('ACL', 'LOG').some((e) => e[3] === 'auth' && e[9] === 'app'));
  });

  test('RESET and AUTH are no way out once the default user has a password', async () => {
    db.call('CONFIG', 'SET', 'requirepass', 'adminpw');
    try {
      const app = db.client({ user: 'app', password: 'pw' });
      assert.equal(await outcome(() => app.call('AUTH', 'default', 'guess')), WRONGPASS);
      assert.equal(app.call('ACL', 'WHOAMI'), 'app');
      assert.equal(app.call('RESET'), 'RESET');
      assert.equal(await outcome(() => app.call('GET', 'b:1')), 'NOAUTH Authentication required.');
      // A client of a database with requirepass authenticates with the password alone.
      const admin = db.client({ password: 'adminpw' });
      assert.equal(admin.call('ACL', 'WHOAMI'), 'default');
      assert.equal(await outcome(() => db.client().call('GET', 'b:1')), 'NOAUTH Authentication required.');
      app.close();
      admin.close();
    } finally {
      db.call('CONFIG', 'SET', 'requirepass', '');
    }
  });
});

describe('Redlet.open with user and password', () => {
  test('the database client runs as the user', async () => {
    const db = await Redlet.open({ users: { app: APP }, user: 'app', password: 'pw' });
    await confined((...a) => outcome(() => db.call(...a)));
    await db.close({ save: false });
    const trusted = await Redlet.open({ users: { app: APP.split(' ') }, user: 'app' });
    assert.equal(trusted.call('ACL', 'WHOAMI'), 'app');
    assert.equal(await outcome(() => trusted.call('GET', 'b:1')), NOPERM_KEY);
    await trusted.close({ save: false });
  });

  test('requirepass: the password alone authenticates the default user', async () => {
    const db = await Redlet.open({ config: { requirepass: 'adminpw' }, password: 'adminpw' });
    assert.equal(db.call('SET', 'b:1', 'x'), 'OK');
    assert.equal(await outcome(() => db.client().call('GET', 'b:1')), 'NOAUTH Authentication required.');
    await db.close({ save: false });
  });

  test('a refused password rejects open() with WRONGPASS and closes the storage', async () => {
    const storage = new MemoryStorage();
    let closes = 0;
    storage.close = () => void closes++;
    await assert.rejects(Redlet.open({ storage, users: { app: APP }, user: 'app', password: 'bad' }), (e) => e instanceof ReplyError && e.message === WRONGPASS);
    assert.equal(closes, 1);
    await assert.rejects(Redlet.open({ user: 'nobody' }), (e) => e instanceof ReplyError && e.message === WRONGPASS);
    // A refused rule names the user and gives Redis's text.
    await assert.rejects(Redlet.open({ users: { bad: 'on ~a:* +nosuchcommand' } }), (e) => e instanceof TypeError && e.message.startsWith('redlet: users.bad: ERR Error in ACL SETUSER modifier'));
  });
});

describe('redlet/ioredis with username and password', () => {
  let db;
  before(async () => {
    db = await Redlet.open({ users: { app: APP }, config: { requirepass: 'adminpw' }, password: 'adminpw' });
  });
  after(() => db.close({ save: false }));

  test('AUTH username password on connect confines the connection', async () => {
    const redis = new Redis({ engine: db, username: 'app', password: 'pw' });
    await confined((...a) => outcome(() => redis.call(...a)));
    assert.equal(await outcome(() => redis.subscribe('b:chan')), NOPERM_CHANNEL);
    redis.disconnect();
  });

  test('the URL form and the password alone (requirepass)', async () => {
    const fromUrl = new Redis('redis://app:pw@localhost:6379', { engine: db });
    assert.equal(await fromUrl.call('ACL', 'WHOAMI'), 'app');
    fromUrl.disconnect();
    const admin = new Redis({ engine: db, password: 'adminpw' });
    assert.equal(await admin.call('ACL', 'WHOAMI'), 'default');
    admin.disconnect();
    const none = new Redis({ engine: db });
    assert.equal(await outcome(() => none.get('a:1')), 'NOAUTH Authentication required.');
    none.disconnect();
  });

  test('a refused password rejects the queued commands, emits error and ends the connection', async () => {
    const redis = new Redis({ engine: db, username: 'app', password: 'bad' });
    const errors = [];
    redis.on('error', (e) => errors.push(e.message));
    assert.equal(await outcome(() => redis.get('a:1')), WRONGPASS);
    assert.equal(redis.status, 'end');
    assert.equal(await outcome(() => redis.get('a:1')), 'Connection is closed.');
    await new Promise((r) => setTimeout(r, 10));
    assert.deepEqual(errors, [WRONGPASS]);
  });
});

describe('serve(): users and requirepass over RESP with ioredis, against redis-server 7.0', () => {
  let db, server, oracle;
  before(async () => {
    db = await Redlet.open({ users: { app: APP } });
    server = await serve({ engine: db, port: 0 });
    oracle = await startRedisServer();
    const admin = new RealRedis({ port: oracle.port, lazyConnect: true });
    await admin.call('ACL', 'SETUSER', 'app', ...APP.split(' '));
    admin.disconnect();
  });
  after(async () => {
    await server.close();
    await db.close({ save: false });
    oracle.stop();
  });

  test('the confined connection is refused the same things with the same texts', async () => {
    const ours = new RealRedis({ port: server.port, username: 'app', password: 'pw', maxRetriesPerRequest: 0 });
    const theirs = new RealRedis({ port: oracle.port, username: 'app', password: 'pw', maxRetriesPerRequest: 0 });
    const transcript = [];
    await confined(async (...a) => {
      const [x, y] = [await outcome(() => ours.call(...a)), await outcome(() => theirs.call(...a))];
      transcript.push([a.join(' '), x, y]);
      // DEBUG is refused by redis-server's enable-debug-command gate first
      // (a text redlet's in-process faces never give); redlet checks ACLs
      // for it as for any command.
      return a[0] === 'DEBUG' ? x : (assert.deepEqual(x, y, a.join(' ')), x);
    });
    ours.disconnect();
    theirs.disconnect();
  });

  test('requirepass: a wrong password is refused, the right one works', async () => {
    db.call('CONFIG', 'SET', 'requirepass', 'adminpw');
    try {
      const bad = new RealRedis({ port: server.port, password: 'nope', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      const refused = new Promise((resolve) => bad.once('error', (e) => resolve(e.message)));
      bad.connect().catch(() => {});
      assert.equal(await refused, WRONGPASS);
      bad.disconnect();
      const good = new RealRedis({ port: server.port, password: 'adminpw' });
      assert.equal(await good.call('ACL', 'WHOAMI'), 'default');
      good.disconnect();
    } finally {
      db.call('CONFIG', 'SET', 'requirepass', '');
    }
  });
});
