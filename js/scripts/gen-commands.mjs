// Regenerates ts/commands.ts from the built engine's COMMAND reply and
// @ioredis/commands' list: `node scripts/gen-commands.mjs` after
// `npm run build` (test/ioredis.test.mjs checks the two agree).
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Redlet } from '../dist/index.js';

const require = createRequire(import.meta.url);
const ioredis = require('@ioredis/commands');
const path = new URL('../ts/commands.ts', import.meta.url);
const db = await Redlet.open({ seed: 1 });
const table = {};
for (const r of db.call('COMMAND')) {
  const e = [r[3], r[4], r[5]];
  const subs = {};
  for (const s of r[9] ?? []) if (s[3] || s[4] || s[5]) subs[String(s[0]).split('|')[1]] = [s[3], s[4], s[5]];
  table[r[0]] = [e, subs];
}
await db.close({ save: false });
const names = Object.keys(table).sort();
// Names that are not identifiers (restore-asking) are quoted.
const key = (n) => (/^[A-Za-z_$][\w$]*$/.test(n) ? n : JSON.stringify(n));
const specs = names.map((n) => {
  const [e, subs] = table[n];
  const s = Object.keys(subs).length ? `, {${Object.entries(subs).map(([k, v]) => `${key(k)}: [${v.join(', ')}]`).join(', ')}}` : '';
  return `  ${key(n)}: [${e.join(', ')}${s}],`;
});
const extra = ioredis.list.filter((c) => !table[c]).sort();
const rows = (list) => {
  const out = [];
  for (let i = 0; i < list.length; i += 10) out.push('  ' + list.slice(i, i + 10).map((x) => JSON.stringify(x)).join(', ') + ',');
  return out.join('\n');
};
// ioredis's monitor() opens a dedicated connection and emits events, it is
// not a plain command method; redlet/ioredis does not offer it (a client
// can still send MONITOR through call).
const methods = names.filter((n) => n !== 'monitor');
const old = readFileSync(path, 'utf8');
const head = old.slice(0, old.indexOf('export const KEY_SPECS'));
const extraDoc = old.slice(old.indexOf('/**', old.indexOf('};')), old.indexOf('export const EXTRA_COMMANDS'));
const namesDoc = old.slice(old.indexOf('/**', old.indexOf('] as const;')), old.indexOf('export const COMMAND_NAMES'));
const text = `${head}export const KEY_SPECS: Readonly<Record<string, KeySpec>> = {
${specs.join('\n')}
};

${extraDoc}export const EXTRA_COMMANDS = [
${rows(extra)}
] as const;

${namesDoc}export const COMMAND_NAMES = [
${rows(methods)}
  ...EXTRA_COMMANDS,
] as const;
`;
writeFileSync(path, text);
console.log(`ts/commands.ts: ${names.length} engine commands, ${extra.length} extra`);
