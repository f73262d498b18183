// What runs between a tap on "Not home" and "saved" at 4x CPU throttling (issue 15, item 10): per
// tap, the touchend handler's time, the frames drawn before the strict outbox write reported back,
// and (with a --profiling-funcs build) a CPU profile of those windows only, by function.
// Leaves out the start-up figures (bench/startup.mjs has them); a diagnosis tool, not a target.
//   node bench/tap_profile.mjs [DIST] [TAPS]   DIST defaults to build/wasmprof/dist, TAPS to 40
import path from 'node:path';
import { launchBrowser, phones, until, itemCentre, lonelyDoor, cleanup, root, newPhone, seedDemo, startBenchServer } from '../tests/e2e/harness.mjs';

const web = path.resolve(process.argv[2] || path.join(root, 'build/wasmprof/dist'));
const taps = Number(process.argv[3] || 40);

const { dir, demo } = seedDemo();
const server = await startBenchServer(dir, web);
const base = server.url;
const browser = await launchBrowser();
const context = await newPhone(browser, phones.small);
await context.addInitScript(() => {
  // Every animation-frame callback's start and length, in the page's clock.
  window.__frames = [];
  const raf = window.requestAnimationFrame.bind(window);
  window.requestAnimationFrame = (cb) => raf((t) => { const s = performance.now(); cb(t); window.__frames.push([s, performance.now() - s]); });
  // Every IndexedDB transaction: its start, end, database, stores and mode.
  window.__tx = [];
  const tx = IDBDatabase.prototype.transaction;
  IDBDatabase.prototype.transaction = function (stores, mode, opts) {
    const t = tx.call(this, stores, mode, opts);
    const r = { db: this.name, stores: String(stores), mode: mode || 'readonly', start: performance.now() };
    window.__tx.push(r);
    const end = () => { r.end = performance.now(); };
    t.addEventListener('complete', end);
    t.addEventListener('abort', end);
    return t;
  };
});
const page = await context.newPage();
const cdp = await context.newCDPSession(page);
await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
await page.goto(base + '#t=' + demo.links[0].token);
await until(page, () => window.doorstepStats && window.doorstepStats.doors > 0 && window.doorstepStats.frames > 3, undefined, 120000);
await page.waitForTimeout(3000);
if (process.env.PROBE) await page.evaluate(() => { window.__probeOn = 1; });
await page.evaluate(() => {
  window.__taps = [];
  let cur = null;
  document.addEventListener('touchstart', () => { cur = { start: performance.now() }; }, true);
  document.addEventListener('touchend', () => { if (cur) cur.end = performance.now(); }, true);
  window.addEventListener('touchend', () => { if (cur) cur.endDone = performance.now(); }, false);
  // PROBE=1: a strict put of the same size to another database from the touchend too, beside the app's.
  if (window.__probeOn) {
    const r = indexedDB.open('doorstep-probe2', 1);
    r.onupgradeneeded = () => r.result.createObjectStore('s');
    r.onsuccess = () => {
      const db = r.result;
      window.__probe = [];
      document.addEventListener('touchend', () => {
        const t0 = performance.now();
        const t = db.transaction(['s'], 'readwrite', { durability: 'strict' });
        t.objectStore('s').put('x'.repeat(600), t0);
        t.oncomplete = () => window.__probe.push(performance.now() - t0);
      }, true);
    };
  }
  const orig = Module.doorstepOutboxSaved;
  Module.doorstepOutboxSaved = (...a) => {
    const s = performance.now();
    orig(...a);
    if (cur && cur.end) { cur.saved = s; cur.savedDone = performance.now(); window.__taps.push(cur); cur = null; }
  };
});
const door = await lonelyDoor(page);
await page.touchscreen.tap(door.x, door.y);
await until(page, () => window.doorstepStats.selected >= 0);
// The first record asks for the location's reason: answered before the timed taps.
{
  const btn = await itemCentre(page, 'not_home');
  await page.touchscreen.tap(btn.x, btn.y);
  await until(page, () => window.__taps.length > 0, undefined, 20000);
  if (await page.evaluate(() => !document.getElementById('geo-reason').hidden)) await page.tap('#geo-no');
  await page.waitForTimeout(500);
  await page.evaluate(() => { window.__taps = []; });
}
// OFFLINE=1: the timed taps push nothing (is the server's own commit in the way?).
if (process.env.OFFLINE) await context.setOffline(true);
await cdp.send('Profiler.enable');
await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
await cdp.send('Profiler.start');
// A named busy loop at a known page time: lines the profile's clock up with performance.now().
const calib = await page.evaluate(() => {
  const t0 = performance.now();
  (function doorstepCalibrate() { while (performance.now() - t0 < 40); })();
  return t0;
});
for (let i = 0; i < taps; ++i) {
  const sel = await page.evaluate(() => window.doorstepStats.selected);
  const btn = await itemCentre(page, 'not_home');
  await page.touchscreen.tap(btn.x, btn.y);
  await until(page, (n) => window.__taps.length > n, i, 20000);
  if ((await page.evaluate(() => window.doorstepStats.selected)) !== sel) await page.waitForTimeout(50);
}
await page.waitForTimeout(300);
const { profile } = await cdp.send('Profiler.stop');
const rec = await page.evaluate(() => ({ probe: window.__probe || [], taps: window.__taps, frames: window.__frames, tx: window.__tx, quick: window.doorstepStats.quick_taps || 0 }));
// The floor: a strict IndexedDB put of the same size alone, on this page, app idle, same load.
await page.waitForTimeout(2000);
const floor = await page.evaluate(async (n) => {
  const db = await new Promise((res, rej) => { const r = indexedDB.open('doorstep-probe', 1); r.onupgradeneeded = () => r.result.createObjectStore('s'); r.onsuccess = () => res(r.result); r.onerror = rej; });
  const out = [], body = 'x'.repeat(600);
  for (let i = 0; i < n; ++i) {
    const t0 = performance.now();
    await new Promise((res) => { const t = db.transaction(['s'], 'readwrite', { durability: 'strict' }); t.objectStore('s').put(body, i); t.oncomplete = t.onerror = res; });
    out.push(performance.now() - t0);
    await new Promise((r) => setTimeout(r, 100));
  }
  db.close();
  return out;
}, taps);
await context.close();
await browser.close();
await server.stop();
cleanup(dir);

const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(p * s.length))]; };
const row = (label, xs) => console.log(label.padEnd(48) + `p50 ${pct(xs, 0.5).toFixed(1).padStart(7)}  p95 ${pct(xs, 0.95).toFixed(1).padStart(7)}`);
const T = rec.taps;
console.log(`${T.length} taps, fast path ${rec.quick} (whole page life), dist ${web}`);
row('tap -> saved (touchstart -> write reported)', T.map((t) => t.saved - t.start));
row('touchstart -> touchend', T.map((t) => t.end - t.start));
row('touchend handlers (record on touchend)', T.map((t) => (t.endDone || t.end) - t.end));
row('touchend done -> saved', T.map((t) => t.saved - (t.endDone || t.end)));
row('strict IndexedDB put alone (same page, idle)', floor);
if (rec.probe.length) row('strict put from the touchend, beside the app', rec.probe);
row('saved callback', T.map((t) => t.savedDone - t.saved));
{
  // The IndexedDB transactions that overlapped a tap -> saved window, by kind.
  const kinds = new Map();
  for (const t of T) for (const x of rec.tx) {
    if (x.start >= t.saved || (x.end || Infinity) <= t.start) continue;
    const k = `${x.db} ${x.stores} ${x.mode}`;
    kinds.set(k, (kinds.get(k) || 0) + 1);
  }
  console.log('IndexedDB transactions overlapping the windows (count over all taps):');
  for (const [k, n] of kinds) console.log('  ' + String(n).padStart(5) + '  ' + k);
  const puts = rec.tx.filter((x) => x.db === 'doorstep-outbox' && x.mode === 'readwrite' && T.some((t) => x.start >= t.start && x.start < t.saved));
  row('outbox put: transaction start -> complete', puts.map((x) => x.end - x.start));
}
const inWin = (t) => rec.frames.filter(([s]) => s >= t.start && s < t.saved);
row('frames drawn in tap -> saved (count)', T.map((t) => inWin(t).length));
row('frame time in tap -> saved (ms)', T.map((t) => inWin(t).reduce((a, [, d]) => a + d, 0)));
row('one frame (ms)', rec.frames.filter(([s]) => T.some((t) => s >= t.start && s < t.saved + 500)).map(([, d]) => d));

// The profile: samples inside the tap -> saved windows, by function (self and total).
const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children || []) parent.set(c, n.id);
let ts = profile.startTime;
const times = profile.timeDeltas.map((d) => (ts += d));
let calibUs = null;
profile.samples.forEach((id, i) => { if (calibUs === null && nodes.get(id).callFrame.functionName === 'doorstepCalibrate') calibUs = times[i]; });
if (calibUs === null) { console.log('no calibration samples'); process.exit(0); }
const toPage = (us) => calib + (us - calibUs) / 1000;
const self = new Map(), total = new Map();
const cbTotal = new Map();
let inside = 0, idle = 0;
const interval = profile.timeDeltas.length ? (profile.endTime - profile.startTime) / profile.timeDeltas.length / 1000 : 0.2;
profile.samples.forEach((id, i) => {
  const t = toPage(times[i]);
  const name = (n) => n.callFrame.functionName || `(${n.callFrame.url.replace(/^.*\//, '')})`;
  if (T.some((x) => t >= x.saved && t < x.savedDone)) {
    const seen = new Set();
    for (let n = id; n !== undefined; n = parent.get(n)) {
      const nm = name(nodes.get(n));
      if (!seen.has(nm)) { seen.add(nm); cbTotal.set(nm, (cbTotal.get(nm) || 0) + interval); }
    }
  }
  if (!T.some((x) => t >= x.start && t < x.saved)) return;
  const leaf = nodes.get(id);
  if (name(leaf) === '(idle)' || name(leaf) === '(program)') { idle += interval; if (name(leaf) === '(idle)') return; }
  inside += interval;
  self.set(name(leaf), (self.get(name(leaf)) || 0) + interval);
  const seen = new Set();
  for (let n = id; n !== undefined; n = parent.get(n)) {
    const nm = name(nodes.get(n));
    if (seen.has(nm)) continue;
    seen.add(nm);
    total.set(nm, (total.get(nm) || 0) + interval);
  }
});
console.log(`\nbusy in tap -> saved windows: ${(inside / T.length).toFixed(1)} ms per tap (of which (program) ${(idle / T.length).toFixed(1)})`);
const top = (m, k) => [...m].sort((a, b) => b[1] - a[1]).slice(0, k);
console.log('\ntotal (inclusive) ms per tap');
for (const [n, v] of top(total, 45)) console.log('  ' + (v / T.length).toFixed(2).padStart(7) + '  ' + n.slice(0, 110));
console.log('\nthe saved callback: total (inclusive) ms per tap');
for (const [n, v] of top(cbTotal, 30)) console.log('  ' + (v / T.length).toFixed(2).padStart(7) + '  ' + n.slice(0, 110));
console.log('\nself ms per tap');
for (const [n, v] of top(self, 30)) console.log('  ' + (v / T.length).toFixed(2).padStart(7) + '  ' + n.slice(0, 110));
