// Drops the top-level custom sections of a component that only help
// debugging (`component-name`, `producers`): names cost ~1.6 KB gzipped
// and wasm-opt has already stripped the core module's. Usage:
//   node strip-custom.mjs <in.wasm> <out.wasm>
import { readFileSync, writeFileSync } from 'node:fs';

const drop = new Set(['component-name', 'producers']);
const [input, output] = process.argv.slice(2);
const b = readFileSync(input);
let p = 8; // magic + version/layer
const leb = () => {
  let r = 0, shift = 0, x;
  do { x = b[p++]; r += (x & 0x7f) * 2 ** shift; shift += 7; } while (x & 0x80);
  return r;
};
const keep = [b.subarray(0, 8)];
while (p < b.length) {
  const start = p;
  const id = b[p++];
  const len = leb();
  const body = p;
  let name = null;
  if (id === 0) {
    const l = leb();
    name = b.subarray(p, p + l).toString();
  }
  p = body + len;
  if (p > b.length) throw new Error(`${input}: truncated section at ${start}`);
  if (!(id === 0 && drop.has(name))) keep.push(b.subarray(start, p));
}
writeFileSync(output, Buffer.concat(keep));
