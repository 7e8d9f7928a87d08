#!/usr/bin/env node
// `npx redlet serve ...`: the native `redlet serve` (host/src/main.rs,
// host/src/config.rs) over the wasm engine: the same command line (an
// optional redis.conf, then `--<directive> value...`), the same log lines,
// and the same shutdown rules. The server itself is `serve()` from
// `redlet/node`; this file only reads arguments, logs and handles signals.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Redlet } from '../dist/index.js';
import { serve } from '../dist/node.js';
import { splitArgs } from '../dist/wasm.js';

const VERSION = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;

const USAGE = `\
Usage: redlet serve [/path/to/redis.conf] [--bind ADDR...] [--port N] [--dir PATH] [--<directive> VALUE...]
       redlet --version
       redlet help

Runs a Redis 7.0 compatible server over the redlet engine (WebAssembly).

  --bind ADDR...   addresses to listen on (default 127.0.0.1; '-' prefix: optional)
  --port N         TCP port (default 6379; 0 picks a free port, printed at start)
  --dir PATH       data folder, created if missing: the dataset is loaded from
                   and saved to redlet.snapshot / redlet.journal there
  --<name> VALUE   any Redis configuration directive, e.g. --hz 100 --databases 4

The data folder is the native redlet binary's: \`redlet export\` (native) writes
it out as RESP commands for real Redis.

Examples:
  npx redlet serve --port 7000
  npx redlet serve --port 7000 --maxmemory 100mb --maxmemory-policy allkeys-lru
  npx redlet serve --dir ./data --appendonly yes --appendfsync always`;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const p2 = (n) => String(n).padStart(2, '0');

/** One Redis-style log line: `PID:R DD Mon YYYY HH:MM:SS.mmm L message` (UTC), as host/src/log.rs writes. */
function log(role, level, msg) {
  const d = new Date();
  const ts = `${p2(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}.${String(d.getUTCMilliseconds()).padStart(3, '0')}`;
  try {
    process.stdout.write(`${process.pid}:${role} ${ts} ${level === 'warning' ? '#' : '*'} ${msg}\n`);
  } catch {
    // A closed stdout must not take the server down.
  }
}

/** `--version`, shaped like `redis-server --version` (bits: the engine's, wasm32). */
function versionLine() {
  const os = { darwin: 'macos', win32: 'windows' }[process.platform] ?? process.platform;
  return `redlet server v=${VERSION} (Redis 7.0.15 compatible) bits=32 os=${os}`;
}


/** A failure to print after Redis's `FATAL CONFIG FILE ERROR` banner. */
class ConfigError extends Error {}

const directiveError = (d, why) => new ConfigError(`Reading the configuration file, at line ${d.line}\n>>> '${d.origin}'\n${why}`);

/** `[config-file] [--name value...]...` as directives `{ name, args, origin, line }` (host/src/config.rs). */
async function readDirectives(args) {
  const out = [];
  let rest = args;
  let configFile;
  if (args.length > 0 && !args[0].startsWith('--')) {
    let text;
    try {
      text = readFileSync(args[0], 'latin1');
    } catch (e) {
      // The native server's (Rust's io::Error) wording for the common cases.
      const why = { ENOENT: 'No such file or directory (os error 2)', EACCES: 'Permission denied (os error 13)', EISDIR: 'Is a directory (os error 21)' }[e.code] ?? e.message;
      throw new ConfigError(`Fatal error, can't open config file '${args[0]}': ${why}`);
    }
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i].trim();
      if (line === '' || line.startsWith('#')) continue;
      const words = await splitArgs(line);
      if (words === null) throw new ConfigError(`Reading the configuration file, at line ${i + 1}\n>>> '${line}'\nUnbalanced quotes in configuration line`);
      if (words.length === 0) continue;
      out.push({ name: words[0].toLowerCase(), args: words.slice(1), origin: line, line: i + 1 });
    }
    configFile = path.resolve(args[0]);
    rest = args.slice(1);
  }
  for (let i = 0; i < rest.length; ) {
    const name = rest[i].startsWith('--') ? rest[i].slice(2) : '';
    if (name === '') throw new ConfigError(`Invalid argument '${rest[i]}': expected --<directive>`);
    let j = i + 1;
    // Every `--x` starts a new directive, so values cannot begin with "--".
    while (j < rest.length && !rest[j].startsWith('--')) j++;
    const vals = rest.slice(i + 1, j);
    out.push({ name: name.toLowerCase(), args: vals, origin: [name, ...vals.map((v) => `"${v}"`)].join(' '), line: 0 });
    i = j;
  }
  return { directives: out, configFile };
}

/**
 * Settings for `serve()`: `bind`, `port` and `dir` are the host's; every
 * directive also goes to the engine config, which validates it with
 * Redis's error texts (a throwaway engine checks them before anything
 * listens, so a bad directive fails like the native server's).
 */
async function settings(args) {
  const { directives } = await readDirectives(args);
  const s = { bind: ['127.0.0.1'], port: 6379, dir: undefined, config: {} };
  for (const d of directives) {
    const value = d.args.join(' ');
    const one = () => {
      if (d.args.length !== 1) throw directiveError(d, 'wrong number of arguments');
      return d.args[0];
    };
    try {
      const probe = await Redlet.open({ config: { [d.name]: value } });
      await probe.close({ save: false });
    } catch (e) {
      const why = String(e.message).replace(/^redlet: config '[^']*' '[^']*': /, '').replace(/^ERR /, '');
      throw directiveError(d, why);
    }
    if (d.name === 'bind') {
      if (d.args.length === 0) throw directiveError(d, 'wrong number of arguments');
      s.bind = d.args.flatMap((a) => a.split(/\s+/)).filter((a) => a !== '');
    } else if (d.name === 'port') {
      const v = one();
      if (!/^\d+$/.test(v) || Number(v) > 65535) throw directiveError(d, 'argument must be between 0 and 65535 inclusive');
      s.port = Number(v);
    } else if (d.name === 'dir') {
      s.dir = one();
    } else {
      s.config[d.name] = value;
    }
  }
  return s;
}

async function main(argv) {
  const first = argv[0];
  let rest;
  if (first === undefined) {
    process.stderr.write(USAGE + '\n');
    return 1;
  } else if (first === '--version' || first === '-v' || first === 'version') {
    process.stdout.write(versionLine() + '\n');
    return 0;
  } else if (first === 'help' || first === '--help' || first === '-h') {
    process.stdout.write(USAGE + '\n');
    return 0;
  } else if (first === 'serve') {
    rest = argv.slice(1);
  } else if (first.startsWith('--')) {
    // `redlet --port 7000` behaves like `redis-server --port 7000`.
    rest = argv;
  } else if (first === 'export') {
    process.stderr.write("redlet: 'export' is in the native redlet binary only (cargo build --release --bin redlet)\n");
    return 1;
  } else {
    process.stderr.write(`redlet: unknown command '${first}'\n\n${USAGE}\n`);
    return 1;
  }

  let s;
  try {
    s = await settings(rest);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    process.stderr.write(`\n*** FATAL CONFIG FILE ERROR (redlet ${VERSION}) ***\n${e.message}\n`);
    return 1;
  }
  log('C', 'warning', 'oO0OoO0OoO0Oo redlet is starting oO0OoO0OoO0Oo');
  log('C', 'warning', `redlet version=${VERSION}, bits=32, pid=${process.pid}, just started`);
  log('C', 'warning', 'Configuration loaded');

  let server;
  try {
    server = await serve({ port: s.port, host: s.bind, dir: s.dir, config: s.config, log: (level, msg) => log('M', level, msg) });
  } catch (e) {
    log('M', 'warning', e.message);
    return 1;
  }

  let stopping = false;
  const onSignal = async (sig) => {
    if (stopping) return;
    stopping = true;
    log('M', 'warning', `Received ${sig} scheduling shutdown...`);
    log('M', 'warning', 'User requested shutdown...');
    const persist = s.dir !== undefined;
    // With a data folder a signal saves unless configured `nosave` (the
    // native server's rule).
    let save = false;
    if (persist) {
      const [, mode] = server.engine.call('CONFIG', 'GET', sig === 'SIGINT' ? 'shutdown-on-sigint' : 'shutdown-on-sigterm');
      save = !String(mode).split(/\s+/).includes('nosave');
      if (save) log('M', 'notice', 'Saving the final snapshot before exiting.');
    }
    try {
      await server.close({ save });
    } catch (e) {
      // Like Redis: a failed final save keeps the server up.
      log('M', 'warning', `Error trying to save the DB, can't exit: ${e.message}`);
      stopping = false;
    }
  };
  process.on('SIGINT', () => void onSignal('SIGINT'));
  process.on('SIGTERM', () => void onSignal('SIGTERM'));
  await server.closed;
  log('M', 'warning', 'redlet is now ready to exit, bye bye...');
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    log('M', 'warning', e?.stack ?? String(e));
    process.exit(1);
  },
);
