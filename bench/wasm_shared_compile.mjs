// Does code compiled lazily in a worker serve the page's first calls? (a start-up idea, issue 15:
// V8 compiles each wasm function on the main thread at its first call). A synthetic module of 40
// large functions is compiled on the page and posted to a worker, which calls each once; then the
// page's first calls are timed, beside a page where no worker ran them. Prints a table.
//   node bench/wasm_shared_compile.mjs     (needs wasm-as, from Debian's binaryen in emscripten)
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launchBrowser } from '../tests/e2e/harness.mjs';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'doorstep-wasm-share-'));
const funcs = [];
for (let k = 0; k < 40; ++k) {
  const body = [];
  for (let i = 0; i < 3000; ++i) body.push(`(local.set $x (i32.add (i32.mul (local.get $x) (i32.const ${i * 7 + k + 3})) (i32.const ${i + 1})))`);
  funcs.push(`(func (export "f${k}") (param i32) (result i32) (local $x i32) (local.set $x (local.get 0)) ${body.join(' ')} (local.get $x))`);
}
fs.writeFileSync(path.join(dir, 'big.wat'), `(module ${funcs.join('\n')})`);
execFileSync('wasm-as', [path.join(dir, 'big.wat'), '-o', path.join(dir, 'big.wasm')]);
const bytes = fs.readFileSync(path.join(dir, 'big.wasm'));
fs.rmSync(dir, { recursive: true, force: true });

const browser = await launchBrowser();
const rows = [];
try {
  for (const warm of [false, true, false, true, false, true]) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto('about:blank');
    rows.push({ warm, ...(await page.evaluate(async ({ b64, warm }) => {
      const mod = await WebAssembly.compile(Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)));
      let workerMs = NaN;
      if (warm) {
        const src = `onmessage = (e) => { const t0 = performance.now(); const i = new WebAssembly.Instance(e.data, {});
          for (let k = 0; k < 40; k++) i.exports['f' + k](k); postMessage(performance.now() - t0); };`;
        const w = new Worker(URL.createObjectURL(new Blob([src], { type: 'text/javascript' })));
        workerMs = await new Promise((res) => { w.onmessage = (e) => res(e.data); w.postMessage(mod); });
      }
      const inst = new WebAssembly.Instance(mod, {});
      const t0 = performance.now();
      for (let k = 0; k < 40; k++) inst.exports['f' + k](k);
      const first = performance.now() - t0;
      const t1 = performance.now();
      for (let k = 0; k < 40; k++) inst.exports['f' + k](k);
      return { first, second: performance.now() - t1, workerMs };
    }, { b64: bytes.toString('base64'), warm })) });
    await context.close();
  }
} finally {
  await browser.close();
}
const ms = (x) => (Number.isFinite(x) ? x.toFixed(1) : '-').padStart(8);
console.log(`Synthetic module: 40 functions, ${bytes.length} bytes. Times of 40 calls on the page (ms).`);
console.log('                         first call  second call  worker\'s calls');
for (const r of rows) console.log(`  ${(r.warm ? 'warmed in a worker' : 'cold').padEnd(22)} ${ms(r.first)}     ${ms(r.second)}     ${ms(r.workerMs)}`);
