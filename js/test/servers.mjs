// Servers the Node tests start on loopback: redis-server 7.0 (the oracle) and
// the native `redlet serve`, each on a free port, each verified to be the
// process this test spawned.
//
// A free port is found by binding port 0 and closing it, so two test files
// running at once can be handed the same port: one server loses the bind and
// exits, and its test would talk to the other test's server until that one is
// killed. A server counts as started only once `INFO server` on its port
// reports the spawned child's `process_id`; otherwise the attempt is retried
// on another port.

import { spawn } from 'node:child_process';
import net from 'node:net';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A loopback port that was free a moment ago. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/**
 * The `process_id` that `INFO server` on `port` reports, or null when
 * nothing answers (refused, closed, or no reply within a second).
 */
function serverPid(port) {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    let text = '';
    const done = (v) => {
      clearTimeout(timer);
      s.destroy();
      resolve(v);
    };
    const timer = setTimeout(() => done(null), 1000);
    s.on('connect', () => s.write('INFO server\r\n'));
    s.on('data', (d) => {
      text += d.toString('latin1');
      const m = /process_id:(\d+)\r\n/.exec(text);
      if (m) done(Number(m[1]));
    });
    s.on('error', () => done(null));
    s.on('close', () => done(null));
  });
}

/**
 * Spawns `bin` with `args(port)` on a free port until one answers `INFO` as
 * that child (5 attempts, 10 s each).
 *
 * @param {string} bin - the executable.
 * @param {(port: number) => string[]} args - its arguments for a port.
 * @param {import('node:child_process').SpawnOptions} [options] - spawn options.
 * @returns {Promise<{port: number, proc: import('node:child_process').ChildProcess, stop: () => void}>}
 */
export async function startServer(bin, args, options = { stdio: 'ignore' }) {
  let why = '';
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const proc = spawn(bin, args(port), options);
    let exited = false;
    proc.once('exit', () => (exited = true));
    proc.once('error', (e) => ((exited = true), (why = String(e))));
    const end = Date.now() + 10_000;
    while (!exited && Date.now() < end) {
      const pid = await serverPid(port);
      if (pid === proc.pid) return { port, proc, stop: () => proc.kill('SIGKILL') };
      if (pid !== null) break; // another test's server holds this port
      await sleep(30);
    }
    if (!why || !exited) why = exited ? `${bin} exited (port ${port})` : `${bin} did not answer as itself on port ${port}`;
    proc.kill('SIGKILL');
  }
  throw new Error(`could not start ${bin}: ${why}`);
}

/**
 * Starts redis-server 7.0 on loopback without persistence.
 *
 * @param {import('node:child_process').SpawnOptions} [options] - spawn options.
 */
export function startRedisServer(options) {
  return startServer('redis-server', (port) => ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'], options);
}
