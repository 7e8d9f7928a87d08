// ACL users through the component (issue 13): `database.connect-as` with a
// password (AUTH) and without (trusted host), and the security test: a
// connection confined to `~a:* &a:*` without @admin/@dangerous/SCAN/RANDOMKEY
// reaches its own keys and channels and nothing else, through `call`, the
// typed functions and `resp` alike. Texts are redis-server 7.0.15's (the
// same session is compared byte for byte with a real one in
// host/tests/acl.rs).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { b, call, instantiate, s } from './harness.mjs';

const opts = (o = {}) => ({ config: [], storage: undefined, seed: 1n, ...o });
const APP = ['on', '>pw', '~a:*', '&a:*', '+@all', '-@admin', '-@dangerous', '-scan', '-randomkey'];
const NOPERM_KEY = 'NOPERM this user has no permissions to access one of the keys used as arguments';
const NOPERM_CHANNEL = 'NOPERM this user has no permissions to access one of the channels used as arguments';
const noperm = (cmd) => ({ error: `NOPERM this user has no permissions to run the '${cmd}' command` });
const WRONGPASS = 'WRONGPASS invalid username-password pair or user is disabled.';
const always = { condition: 'always', expiry: { tag: 'none' } };

/** A database with user `app`, and `default` locked with a password (so RESET is no way out). */
async function setUp() {
  const { engine } = await instantiate();
  const db = engine.Database.open(opts());
  const admin = db.connect('');
  assert.equal(call(admin, 'ACL', 'SETUSER', 'app', ...APP), 'OK');
  assert.equal(call(admin, 'SET', 'b:1', 'secret'), 'OK');
  assert.equal(call(admin, 'CONFIG', 'SET', 'requirepass', 'adminpw'), 'OK');
  return { engine, db, admin };
}

const refused = (text) => (e) => e.payload?.tag === 'reply' && e.payload.val === text;

const DEBUG_NOT_ALLOWED =
  'ERR DEBUG command not allowed. If the enable-debug-command option is set to "local", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.';

/**
 * The security checks on one confined connection; `local`: its address is
 * local (empty), so `enable-debug-command local` lets DEBUG reach the ACL
 * check, which refuses it; otherwise that gate refuses it first, as in Redis.
 */
function confined(c, local = true) {
  assert.equal(call(c, 'SET', 'a:1', 'x'), 'OK');
  assert.equal(call(c, 'GET', 'a:1'), 'x');
  for (const cmd of [['GET', 'b:1'], ['SET', 'b:1', 'x'], ['DEL', 'b:1'], ['MGET', 'a:1', 'b:1']]) {
    assert.deepEqual(call(c, ...cmd), { error: NOPERM_KEY }, cmd.join(' '));
  }
  assert.deepEqual(call(c, 'SUBSCRIBE', 'b:chan'), { error: NOPERM_CHANNEL });
  assert.deepEqual(call(c, 'PUBLISH', 'b:chan', 'hi'), { error: NOPERM_CHANNEL });
  assert.equal(call(c, 'PUBLISH', 'a:chan', 'hi'), 0n);
  assert.deepEqual(call(c, 'ACL', 'SETUSER', 'x'), noperm('acl|setuser'));
  assert.deepEqual(call(c, 'CONFIG', 'SET', 'maxmemory', '1'), noperm('config|set'));
  assert.deepEqual(call(c, 'DEBUG', 'SLEEP', '0'), local ? noperm('debug') : { error: DEBUG_NOT_ALLOWED });
  assert.deepEqual(call(c, 'KEYS', '*'), noperm('keys'));
  assert.deepEqual(call(c, 'SCAN', '0'), noperm('scan'));
  assert.deepEqual(call(c, 'SHUTDOWN', 'NOSAVE'), noperm('shutdown'));
  const script = call(c, 'EVAL', "return redis.call('get','b:1')", '0');
  assert.match(script.error, /^ERR The user executing the script can't access at least one of the keys mentioned in the command arguments script: [0-9a-f]{40}, on @user_script:1\.$/);
  assert.equal(call(c, 'ACL', 'WHOAMI'), 'app');

  // The typed functions are held to the same rules.
  assert.equal(c.set(b('a:2'), b('y'), always), true);
  assert.equal(s(c.get(b('a:2'))), 'y');
  assert.throws(() => c.get(b('b:1')), refused(NOPERM_KEY));
  assert.throws(() => c.set(b('b:1'), b('x'), always), refused(NOPERM_KEY));
  assert.throws(() => c.del([b('a:2'), b('b:1')]), refused(NOPERM_KEY));
  assert.throws(() => c.hgetall(b('b:h')), refused(NOPERM_KEY));
  assert.throws(() => c.zadd(b('b:z'), [{ member: b('m'), score: 1 }]), refused(NOPERM_KEY));
  assert.throws(() => c.xreadgroup(b('g'), b('c'), [[b('a:s'), '>'], [b('b:s'), '>']], undefined, false), refused(NOPERM_KEY));
  assert.throws(() => c.publish(b('b:chan'), b('hi')), refused(NOPERM_CHANNEL));
  assert.equal(c.publish(b('a:chan'), b('hi')), 0n);
  assert.equal(c.exists([b('a:1'), b('a:2')]), 2n);

  // RESP bytes too.
  const r = c.resp(b('*2\r\n$3\r\nGET\r\n$3\r\nb:1\r\n*2\r\n$3\r\nGET\r\n$3\r\na:1\r\n'), 0);
  assert.equal(Buffer.from(r.output).toString(), `-${NOPERM_KEY}\r\n$1\r\nx\r\n`);
}

test('connect-as with a password: a confined connection reaches only its keys, channels and commands', async () => {
  const { db, admin } = await setUp();
  const c = db.connectAs('', 'app', 'pw');
  confined(c);
  assert.equal(call(admin, 'AUTH', 'adminpw'), 'OK');
  assert.equal(call(admin, 'GET', 'b:1'), 'secret');
  assert.match(call(admin, 'CLIENT', 'LIST', 'ID', String(c.id())), / user=app /);
});

test('connect-as without a password: the trusted-host form', async () => {
  const { db } = await setUp();
  confined(db.connectAs('tenant-1', 'app', undefined), false);
});

test('AUTH and RESET are no way out while default has a password', async () => {
  const { db } = await setUp();
  const c = db.connectAs('', 'app', undefined);
  assert.deepEqual(call(c, 'AUTH', 'default', 'guess'), { error: WRONGPASS });
  assert.equal(call(c, 'RESET'), 'RESET');
  assert.deepEqual(call(c, 'GET', 'b:1'), { error: 'NOAUTH Authentication required.' });
});

test('unknown or disabled users and wrong passwords fail with WRONGPASS and leave no connection', async () => {
  const { db, admin } = await setUp();
  assert.equal(call(admin, 'AUTH', 'adminpw'), 'OK');
  assert.equal(call(admin, 'ACL', 'SETUSER', 'off1', 'off', '>pw', '+@all', '~*'), 'OK');
  const clients = () => call(admin, 'CLIENT', 'LIST').trim().split('\n').length;
  const before = clients();
  assert.throws(() => db.connectAs('', 'nobody', undefined), refused(WRONGPASS));
  assert.throws(() => db.connectAs('', 'off1', undefined), refused(WRONGPASS));
  assert.throws(() => db.connectAs('', 'off1', 'pw'), refused(WRONGPASS));
  assert.throws(() => db.connectAs('', 'app', 'bad'), refused(WRONGPASS));
  assert.equal(clients(), before);
  // A refused password is logged in ACL LOG, as AUTH's is.
  const log = call(admin, 'ACL', 'LOG');
  assert.ok(log.some((e) => e[3] === 'auth' && e[9] === 'app'), 'an auth entry for app');
  // The default user through connect-as, as `AUTH default adminpw`.
  assert.equal(call(db.connectAs('', 'default', 'adminpw'), 'ACL', 'WHOAMI'), 'default');
});
