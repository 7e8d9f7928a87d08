// The Chromium harness of the browser tests: a static server over js/
// (the built package as ESM under /dist/, the test pages under
// /test/browser/, idb-keyval under /node_modules/) and Debian's chromium
// driven by playwright-core, each browser with a fresh profile.
//
// Pages load `/test/browser/page.html`, which imports nothing: tests run
// code in the page with `page.evaluate`, and in a dedicated worker with
// `inWorker(page, fn, arg)` (the worker evaluates the function's source).
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, statSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, normalize, extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

/** js/ */
export const root = fileURLToPath(new URL('../../', import.meta.url));
const TYPES = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.html': 'text/html', '.wasm': 'application/wasm', '.json': 'application/json', '.map': 'application/json' };
/** Where Debian puts chromium; REDLET_CHROMIUM overrides. */
export const CHROMIUM = process.env.REDLET_CHROMIUM ?? '/usr/bin/chromium';

/** Serves js/ on a free loopback port; resolves to { url, close }. */
export async function staticServer() {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname));
    const file = join(root, path);
    if (!file.startsWith(root) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
    res.end(readFileSync(file));
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((r) => server.close(r)),
  };
}

/**
 * A Chromium with a fresh profile and the static server: `{ url, context,
 * page(), close() }`. `page()` opens the test page. `quota` (bytes) caps
 * the origin's storage through the DevTools protocol.
 */
export async function browser() {
  if (!existsSync(join(root, 'dist/index.js'))) throw new Error('browser tests: build the package first (cd js && bash build.sh)');
  if (!existsSync(CHROMIUM)) throw new Error(`browser tests: no chromium at ${CHROMIUM} (apt-get install -y chromium)`);
  const srv = await staticServer();
  const profile = mkdtempSync(join(tmpdir(), 'redlet-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const pages = [];
  const originOf = (host) => (host ? srv.url.replace('127.0.0.1', host) : srv.url);
  let quotaSession;
  return {
    url: srv.url,
    context,
    /** Opens the test page; `host: 'localhost'` gives a second origin (fresh storage and quota). */
    async page({ host } = {}) {
      const p = await context.newPage();
      p.on('pageerror', (e) => console.error('page error:', e));
      await p.goto(`${originOf(host)}/test/browser/page.html`);
      pages.push(p);
      return p;
    },
    /**
     * Caps the storage quota of the origin of `host` at `bytes` (undefined:
     * back to normal). Chromium applies it to pages opened afterwards, and
     * not to an origin whose storage is already in use: use a fresh origin.
     */
    async quota(page, bytes, host) {
      // The override lives as long as the DevTools session that set it.
      quotaSession ??= await context.newCDPSession(page);
      await quotaSession.send('Storage.overrideQuotaForOrigin', { origin: originOf(host), ...(bytes === undefined ? {} : { quotaSize: bytes }) });
      if (bytes === undefined) {
        await quotaSession.detach();
        quotaSession = undefined;
      }
    },
    async close() {
      await context.close();
      await srv.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Runs `fn(arg)` (its source) in the page's dedicated worker, started on first use; resolves to its result. */
export function inWorker(page, fn, arg) {
  return page.evaluate(([src, a]) => window.inWorker(src, a), [fn.toString(), arg]);
}
