// The organizer's import from the browser against a real `doorstep serve`: a generated
// 200,000-row California voter file (bench_csv --out) picked in the console at 1280x800, from the
// pick to the imported report on screen (the console's wasm reader looks at the head, the browser
// streams the file, the server spools, checks and imports it), beside PapaParse parsing the same
// File in the same page; and canvasser push latency (a 10-attempt push every 25 ms over loopback)
// before and while the import runs. Prints a table; asserts nothing.
// Usage: node bench/import_console.mjs [--rows N]
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { startServer, launchBrowser, cleanup, until } from '../tests/e2e/harness.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const rows = Number(args[args.indexOf('--rows') + 1] || 200000) || 200000;
const dir = mkdtempSync(path.join(tmpdir(), 'doorstep-bench-console-'));
const file = path.join(dir, 'voters.tsv');
execFileSync(path.join(root, 'build/native/bench_csv'), ['--out', file, '--rows', String(rows), '--keep'], { stdio: 'ignore' });
const bytes = fs.statSync(file).size;

const server = await startServer(path.join(dir, 'data'));
const browser = await launchBrowser();
const pct = (v, p) => { const s = [...v].sort((a, b) => a - b); return s.length ? s[Math.min(s.length - 1, Math.floor(p * s.length))] : 0; };
try {
  let m = null;
  for (let i = 0; i < 200 && !(m = /sign in as admin within 24 h: (\S+)/.exec(server.stdout())); i++) await new Promise((r) => setTimeout(r, 50));
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, bypassCSP: true });
  const page = await ctx.newPage();
  await page.goto(server.url + new URL(m[1]).hash);
  await until(page, () => window.Console && Console.state.csrf);
  // A campaign with one small turf, so a canvasser link can push while the big file imports.
  const seed = 'LON,LAT,NUMBER,STREET\n' + Array.from({ length: 20 }, (_, i) => `${-118.456 + i * 1e-4},34.009,${1300 + 2 * i},Walgrove`).join('\n') + '\n';
  const setup = await page.evaluate(async (seedText) => {
    const { campaign } = await Console.api('POST', '/campaigns', { name: 'Bench' });
    // Above the link's default hourly quota (3,000 mutations): quick pushes during the import pass it.
    await Console.api('POST', `/campaigns/${campaign.id}/settings`, { link_quota_mutations: 100000 });
    await Console.api('POST', `/campaigns/${campaign.id}/universe`, undefined, seedText);
    const { turfs } = await Console.api('POST', `/campaigns/${campaign.id}/turfs/auto`, { target_doors: 40 });
    const link = await Console.api('POST', `/turfs/${turfs[0].id}/links`, { label: 'bench' });
    await Console.loadCampaigns(campaign.id);
    return { campaign: campaign.id, token: link.token };
  }, seed);
  const pkg = await (await fetch(server.url + 'api/v1/canvass/package', { headers: { Authorization: 'Bearer ' + setup.token } })).json();
  const doors = pkg.doors.map((d) => d.id);
  let seq = 0;
  const cid = 'be0c0be0c0be0c0be0c0be0c0be0c0be';
  const push = async () => {
    const muts = [];
    for (let i = 0; i < 10; i++) {
      seq++;
      const at = Date.now();
      const hex = at.toString(16).padStart(12, '0');
      muts.push({ seq, id: `${hex.slice(0, 8)}-${hex.slice(8, 12)}-7000-8000-${seq.toString(16).padStart(12, '0')}`, kind: 'attempt.add',
        payload: { door: doors[seq % doors.length], result: 'not_home', lat: 34.009, lon: -118.456 },
        hlc: `${hex}-${(0).toString(16).padStart(4, '0')}-${cid.slice(0, 8)}`, at });
    }
    const t0 = performance.now();
    const r = await fetch(server.url + 'api/v1/canvass/push', { method: 'POST', headers: { Authorization: 'Bearer ' + setup.token, 'Content-Type': 'application/json' },
      body: JSON.stringify({ v: 1, client_id: cid, mutations: muts }) });
    const ms = performance.now() - t0;
    const body = await r.json();
    if (!r.ok) throw new Error('push failed: ' + JSON.stringify(body));
    return ms;
  };
  const idle = [];
  for (let i = 0; i < 40; i++) { idle.push(await push()); await new Promise((r) => setTimeout(r, 25)); }

  // PapaParse on the same File first (so the import's timing is not shared with it).
  await page.addScriptTag({ path: path.join(root, 'node_modules/papaparse/papaparse.min.js') });
  await page.click('#tab-data');
  await page.setInputFiles('#file', file);
  await until(page, () => document.getElementById('layout-summary'));
  const papa = await page.evaluate(() => new Promise((resolve) => {
    const f = document.getElementById('file').files[0];
    let n = 0;
    const t0 = performance.now();
    Papa.parse(f, { step: () => { n++; }, complete: () => resolve({ rows: n, ms: performance.now() - t0 }) });
  }));

  // From the pick to the report: pick again (the wasm reader runs), import, wait for the report.
  const t0 = Date.now();
  await page.setInputFiles('#file', []);
  await page.setInputFiles('#file', file);
  await until(page, () => document.getElementById('layout-summary') && !document.getElementById('universe-go').disabled);
  await page.click('#universe-go');
  let done = false;
  const during = [];
  const reportP = until(page, () => document.getElementById('report-summary') && document.getElementById('report-summary').textContent, undefined, 900000)
    .then((t) => { done = true; return t; });
  while (!done) { during.push(await push()); await new Promise((r) => setTimeout(r, 25)); }
  const summary = await reportP;
  if (process.env.BENCH_TRACE) console.log(during.map((v) => Math.round(v)).join(" "));
  const secs = (Date.now() - t0) / 1000;
  const imported = Number(/^(\d+) rows/.exec(summary)[1]);
  console.log(`console import, ${rows} California rows (${(bytes / 1048576).toFixed(1)} MB), headless chromium + doorstep serve on loopback`);
  console.log('step                                           seconds     rows/s     MB/s');
  console.log(`pick -> imported report on screen        ${secs.toFixed(2).padStart(12)} ${Math.round(imported / secs).toString().padStart(10)} ${(bytes / 1048576 / secs).toFixed(1).padStart(8)}`);
  console.log(`PapaParse 5 parsing the same File        ${(papa.ms / 1000).toFixed(2).padStart(12)} ${Math.round(papa.rows / (papa.ms / 1000)).toString().padStart(10)} ${(bytes / 1048576 / (papa.ms / 1000)).toFixed(1).padStart(8)}`);
  console.log('canvasser push (10 attempts)                 n    p50 ms    p99 ms    max ms');
  for (const [name, v] of [['idle server', idle], ['while the import runs', during]]) {
    console.log(`${name.padEnd(40)} ${String(v.length).padStart(5)} ${pct(v, 0.5).toFixed(1).padStart(9)} ${pct(v, 0.99).toFixed(1).padStart(9)} ${Math.max(...v).toFixed(1).padStart(9)}`);
  }
} finally {
  await browser.close();
  await server.stop();
  cleanup(dir);
}
