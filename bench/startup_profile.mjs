// Where a canvasser link's start-up spends the main thread (issue 15, item 10): a Chrome trace of
// a first visit and of a cached offline reload at 4x CPU throttling, listing each main-thread task
// over 20 ms with the functions that took its time (names need a --profiling-funcs build).
// A diagnosis tool, not a target: bench/startup.mjs has the figures.
//   node bench/startup_profile.mjs [DIST]    DIST defaults to build/wasmprof/dist
// JS_FLAGS passes V8 flags (e.g. --no-wasm-lazy-compilation). TOP=n shows n functions per task; DUMP=/tmp/prefix writes each trace's events as JSON.
import path from 'node:path';
import { existsSync, writeFileSync } from 'node:fs';
import { launchBrowser, phones, until, cleanup, root, newPhone, usableProbe, seedDemo, startBenchServer } from '../tests/e2e/harness.mjs';

const web = path.resolve(process.argv[2] || path.join(root, 'build/wasmprof/dist'));
if (!existsSync(path.join(web, 'index.html'))) {
  console.error(`startup_profile: no built page in ${web} (build it first)`);
  process.exit(2);
}
const { dir, demo } = seedDemo();
const server = await startBenchServer(dir, web);
const base = server.url;
const browser = await launchBrowser(process.env.JS_FLAGS ? [`--js-flags=${process.env.JS_FLAGS}`] : []);
const context = await newPhone(browser, phones.small);
await context.addInitScript(usableProbe);
const page = await context.newPage();
const cdp = await context.newCDPSession(page);
await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });

async function traced(label, go) {
  const events = [];
  cdp.on('Tracing.dataCollected', (e) => events.push(...e.value));
  await cdp.send('Tracing.start', {
    categories: 'devtools.timeline,disabled-by-default-devtools.timeline,v8.execute,disabled-by-default-v8.cpu_profiler,v8,blink.user_timing',
    options: 'sampling-frequency=10000',
  });
  await go();
  const usable = await until(page, () => window.doorstepStats && window.doorstepStats.usableAt, undefined, 120000);
  await page.waitForTimeout(3000);  // what follows the usable list (map, labels) counts too
  const done = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
  await cdp.send('Tracing.end');
  await done;
  cdp.removeAllListeners('Tracing.dataCollected');
  if (process.env.DUMP) writeFileSync(`${process.env.DUMP}-${label.replace(/\W+/g, '_')}.json`, JSON.stringify(events));
  report(label, events, usable);
}

function report(label, events, usable) {
  // The page's renderer: of the renderer main threads (about:blank may have had its own), the busiest.
  const busyBy = new Map();
  for (const e of events) if (e.ph === 'X' && e.name === 'RunTask') busyBy.set(`${e.pid}:${e.tid}`, (busyBy.get(`${e.pid}:${e.tid}`) || 0) + e.dur);
  const main = events.filter((e) => e.name === 'thread_name' && e.args && e.args.name === 'CrRendererMain')
    .sort((a, b) => (busyBy.get(`${b.pid}:${b.tid}`) || 0) - (busyBy.get(`${a.pid}:${a.tid}`) || 0))[0];
  const pid = main.pid, tid = main.tid;
  const nav = events.filter((e) => e.name === 'navigationStart' && e.pid === pid).pop() || events.find((e) => e.pid === pid && e.ts);
  const t0 = nav.ts;
  const tasks = events.filter((e) => e.pid === pid && e.tid === tid && e.ph === 'X' && (e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask') && e.dur >= 20000)
    .sort((a, b) => a.ts - b.ts);
  // CPU samples: the profile chunks' nodes and samples, per function name.
  const nodes = new Map();
  const samples = [];
  let last = 0;
  // The main thread's profile only (workers and the service worker have their own).
  const prof = events.find((e) => e.pid === pid && e.tid === tid && e.name === 'Profile');
  for (const e of events) {
    if (e.pid !== pid || e.name !== 'ProfileChunk' || !prof || e.id !== prof.id) continue;
    const d = e.args.data;
    for (const n of (d.cpuProfile && d.cpuProfile.nodes) || []) nodes.set(n.id, n);
    const ids = (d.cpuProfile && d.cpuProfile.samples) || [];
    const deltas = d.timeDeltas || [];
    for (let i = 0; i < ids.length; ++i) { last += deltas[i] || 0; samples.push([last, ids[i]]); }
  }
  const pt0 = prof ? prof.args.data.startTime : 0;
  const name = (id) => { const n = nodes.get(id); if (!n) return '?'; const f = n.callFrame; return (f.functionName || '(anon)') + (f.url ? ' ' + f.url.replace(/^.*\//, '') : ''); };
  const parent = new Map();
  for (const n of nodes.values()) if (n.parent !== undefined) parent.set(n.id, n.parent);
  let busy = 0;
  console.log(`\n== ${label}: usable walk list at ${Math.round(usable)} ms; tasks over 20 ms (4x throttle) ==`);
  for (const t of tasks) {
    busy += t.dur;
    const self = new Map(), incl = new Map();
    for (const [ts, id] of samples) {
      const at = pt0 + ts;
      if (at < t.ts || at > t.ts + t.dur) continue;
      const nm = name(id);
      self.set(nm, (self.get(nm) || 0) + 1);
      const seen = new Set();
      for (let p = id; p !== undefined; p = parent.get(p)) { const q = name(p); if (!seen.has(q)) { seen.add(q); incl.set(q, (incl.get(q) || 0) + 1); } }
    }
    const n = [...self.values()].reduce((a, b) => a + b, 0) || 1;
    const top = (m, k) => [...m].filter(([f]) => !/^\((root|program|idle)\)/.test(f)).sort((a, b) => b[1] - a[1]).slice(0, k)
      .map(([f, c]) => `${f} ${Math.round((100 * c) / n)}%`).join('; ');
    const kids = events.filter((e) => e.pid === pid && e.tid === tid && e.ph === 'X' && e.ts >= t.ts && e.ts < t.ts + t.dur && e !== t && e.dur > t.dur * 0.1)
      .map((e) => `${e.name}${e.args && e.args.data && e.args.data.url ? '(' + String(e.args.data.url).replace(/^.*\//, '') + ')' : ''} ${Math.round(e.dur / 1000)}`).slice(0, 6).join(', ');
    console.log(`${String(Math.round((t.ts - t0) / 1000)).padStart(6)} ms  ${String(Math.round(t.dur / 1000)).padStart(5)} ms  [${kids}]`);
    console.log(`      self: ${top(self, 6)}`);
    console.log(`      incl: ${top(incl, Number(process.env.TOP || 8))}`);
  }
  console.log(`tasks over 20 ms: ${tasks.length}, ${Math.round(busy / 1000)} ms in all`);
}

const url = base + '#t=' + demo.links[0].token;
await traced('first visit', () => page.goto(url));
await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
await until(page, () => !!navigator.serviceWorker.controller, undefined, 60000);
await context.setOffline(true);
await traced('cached offline reload', () => page.reload());
await browser.close();
await server.stop();
cleanup(dir);
