// Page-load benchmark: what the first visit of a canvasser link transfers (raw and as
// sent, gzip where the server compresses) and the time from navigation to the first ImGui frame in
// headless Chromium on a phone profile, with and without 4x CPU throttling. Prints a table.
// Run: node bench/page_load.mjs   (after ./serve.sh or scripts/build.sh has built everything)
import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { seedDemo, startServer, launchBrowser, phones, until, cleanup, webRoot } from '../tests/e2e/harness.mjs';

const runs = Number(process.env.RUNS || 5);
const seeded = seedDemo();
const server = await startServer(seeded.dir);
const browser = await launchBrowser();

async function visit(throttle) {
  const context = await browser.newContext(phones.small);
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  if (throttle > 1) await cdp.send('Emulation.setCPUThrottlingRate', { rate: throttle });
  const sizes = new Map();
  cdp.on('Network.loadingFinished', (e) => sizes.set(e.requestId, e.encodedDataLength));
  const urls = new Map();
  cdp.on('Network.responseReceived', (e) => urls.set(e.requestId, e.response.url));
  await page.goto(server.url + '#t=' + seeded.demo.links[0].token);
  await until(page, () => window.doorstepStats && window.doorstepStats.firstFrame > 0 && window.doorstepStats.doors > 0, undefined, 60000);
  const t = await page.evaluate(() => ({ first: window.doorstepStats.firstFrame }));
  const files = [];
  for (const [id, bytes] of sizes) files.push({ url: urls.get(id) || id, bytes });
  await context.close();
  return { firstFrameMs: t.first, files };
}

const rows = [];
for (const throttle of [1, 4]) {
  const times = [];
  let files = [];
  for (let i = 0; i < runs; ++i) {
    const r = await visit(throttle);
    times.push(r.firstFrameMs);
    files = r.files;
  }
  times.sort((a, b) => a - b);
  rows.push({ throttle, median: times[Math.floor(times.length / 2)], min: times[0], max: times[times.length - 1], files });
}

console.log('First visit of a canvasser link (phone profile 360x740, headless Chromium, no service worker cache)\n');
const files = rows[0].files.filter((f) => !f.url.includes('/api/'));
let sent = 0, raw = 0, gz = 0;
console.log('file'.padEnd(34) + 'raw bytes'.padStart(12) + 'sent bytes'.padStart(12) + 'gzip -9'.padStart(12));
for (const f of files) {
  const rel = new URL(f.url).pathname.replace(/^\//, '') || 'index.html';
  let body;
  try { body = readFileSync(path.join(webRoot, rel)); } catch { continue; }
  const g = gzipSync(body, { level: 9 }).length;
  raw += body.length; sent += f.bytes; gz += g;
  console.log(rel.padEnd(34) + String(body.length).padStart(12) + String(f.bytes).padStart(12) + String(g).padStart(12));
}
console.log('total'.padEnd(34) + String(raw).padStart(12) + String(sent).padStart(12) + String(gz).padStart(12));
console.log('\nnavigation -> first ImGui frame (ms, ' + runs + ' runs each)');
console.log('CPU'.padEnd(14) + 'median'.padStart(10) + 'min'.padStart(10) + 'max'.padStart(10));
for (const r of rows) console.log(`${r.throttle}x`.padEnd(14) + r.median.toFixed(0).padStart(10) + r.min.toFixed(0).padStart(10) + r.max.toFixed(0).padStart(10));

await browser.close();
await server.stop();
cleanup(seeded.dir);
