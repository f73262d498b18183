// In-browser import benchmark: the same generated 1,000,000-row California voter file as
// bench_import, held as a Blob in headless Debian chromium, imported by shared/importer compiled to
// wasm (bench/wasm_bench_import.cpp) into SQLite in MEMFS; times include copying each Blob slice
// into wasm memory. With --native PATH (the native bench_import binary) it first runs the native
// full import of the same rows in this run, for the ratio (target: wasm under 3x native).
//
// Usage: node bench/import_browser.mjs [--module-dir DIR] [--rows N] [--native PATH]
//   DIR holds wasm_bench_import.js/.wasm (default build/wasm/bench, the emcmake build's output).
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { openBenchPage } from './static_page.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : def;
};
const moduleDir = path.resolve(opt('--module-dir', path.join(root, 'build/wasm/bench')));
const rows = Number(opt('--rows', '1000000'));
const native = opt('--native', '');

for (const f of ['wasm_bench_import.js', 'wasm_bench_import.wasm']) {
  if (!fs.existsSync(path.join(moduleDir, f))) {
    console.error(`import_browser: ${f} not found in ${moduleDir}; build the wasm target wasm_bench_import first`);
    process.exit(2);
  }
}

let nativeSeconds = null;
if (native) {
  const out = execFileSync(native, ['--rows', String(rows), '--no-geocode'], { encoding: 'utf8' });
  const line = out.split('\n').find((l) => l.startsWith('full import, fresh db'));
  console.log('native (bench_import, same rows, this run):');
  console.log('  ' + line);
  nativeSeconds = Number(line.replace('full import, fresh db', '').trim().split(/\s+/)[0]);
}

const files = {
  '/': { type: 'text/html', body: '<!doctype html><meta charset=utf-8><title>import bench</title>' +
    '<script src="/wasm_bench_import.js"></script>' },
  '/wasm_bench_import.js': { type: 'text/javascript', file: path.join(moduleDir, 'wasm_bench_import.js') },
  '/wasm_bench_import.wasm': { type: 'application/wasm', file: path.join(moduleDir, 'wasm_bench_import.wasm') },
};
const { url, browser, close } = await openBenchPage(files);
try {
  const page = await browser.newPage();
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.goto(url);
  const out = await page.evaluate(async ({ rows }) => {
    const M = await createBench_import();
    const parts = [];
    const step = 50000;
    for (let i = 0; i < rows; i += step) parts.push(M.generate(i, Math.min(step, rows - i), i === 0));
    const blob = new Blob(parts, { type: 'text/tab-separated-values' });
    parts.length = 0;
    const heapBefore = M.heapBytes();
    const t0 = performance.now();
    if (!M.begin()) throw new Error(M.lastError());
    const chunk = 1 << 20;
    for (let off = 0; off < blob.size; off += chunk) {
      const u8 = new Uint8Array(await blob.slice(off, off + chunk).arrayBuffer());
      M.input(u8.length).set(u8);
      if (!M.push(u8.length)) throw new Error(M.lastError());
    }
    const report = JSON.parse(M.finish());
    const ms = performance.now() - t0;
    return { size: blob.size, ms, report, heapBefore, heapAfter: M.heapBytes() };
  }, { rows });
  const mb = out.size / 1e6, s = out.ms / 1000, r = out.report;
  if (r.error) throw new Error(r.error);
  console.log(`wasm in chromium ${browser.version()}: ${rows} rows, ${mb.toFixed(1)} MB (TSV, 0 quoted fields), ` +
    'SQLite in MEMFS, 1 MiB Blob slices');
  console.log(`  full import ${s.toFixed(2)} s  ${(mb / s).toFixed(1)} MB/s  ${(rows / s).toFixed(0)} rows/s  ` +
    `people=${r.people} doors=${r.doors} buildings=${r.buildings} errors=${r.errors_total}`);
  console.log(`  wasm heap ${(out.heapBefore / 1e6).toFixed(0)} MB before, ${(out.heapAfter / 1e6).toFixed(0)} MB after ` +
    '(linear memory only grows: the peak); MEMFS file data lives outside it');
  if (nativeSeconds) console.log(`ratio wasm / native: ${(s / nativeSeconds).toFixed(2)}x (target < 3x)`);
} finally {
  await close();
}
