// Shared pieces of the browser end-to-end tests: a real `doorstep serve` on a free loopback port
// with a freshly seeded demo campaign, and Debian's headless Chromium through playwright-core with
// phone emulation (touch, devicePixelRatio). Nothing is mocked.
import { spawn, execFileSync } from 'node:child_process';
import net from 'node:net';
import { mkdtempSync, rmSync, mkdirSync, openSync, closeSync, readFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { before, after, afterEach } from 'node:test';

const require = createRequire(import.meta.url);
export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const doorstep = path.join(root, 'build/native/doorstep');
export const webRoot = path.join(root, 'build/wasm/dist');
export const artifacts = path.join(root, 'build/e2e');
mkdirSync(artifacts, { recursive: true });

export const phones = {
  small: { viewport: { width: 360, height: 740 }, deviceScaleFactor: 2.625, isMobile: true, hasTouch: true },
  large: { viewport: { width: 412, height: 915 }, deviceScaleFactor: 2.625, isMobile: true, hasTouch: true },
};

// Seeds a demo campaign into a new data folder; returns {dir, demo} where demo is the JSON the
// `doorstep demo --json` command prints (campaign, turfs, links with tokens).
export function seedDemo() {
  const dir = mkdtempSync(path.join(tmpdir(), 'doorstep-e2e-'));
  const out = execFileSync(doorstep, ['demo', '--data', dir, '--json', '--base-url', 'http://127.0.0.1/'], { encoding: 'utf8' });
  return { dir, demo: JSON.parse(out) };
}

export async function startServer(dataDir) {
  // The server's own origin checks and printed links name the relay, which is what the browser sees.
  const gate = await openGate();
  const proc = spawn(doorstep, ['serve', '--port', '0', '--data', dataDir, '--web', webRoot, '--public-url', `http://127.0.0.1:${gate.port}/`],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '', stdout = '';
  proc.stderr.on('data', (d) => { stderr += d; });
  proc.stdout.on('data', (d) => { stdout += d; });
  const url = await new Promise((resolve, reject) => {
    reject = ((r) => (e) => { gate.close(); r(e); })(reject);
    let buf = '';
    const timer = setTimeout(() => reject(new Error('server did not start: ' + stderr)), 15000);
    proc.stdout.on('data', (d) => {
      buf += d;
      const m = /serving on (http:\/\/[^\s]+)/.exec(buf);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    proc.on('exit', (code) => reject(new Error(`server exited ${code}: ${stderr}`)));
  });
  gate.upstream = Number(new URL(url).port);
  // Ending on its own is a failure of the server, not of the test that happens to run: said, with
  // the end of its log (the relay closes with it, and every later page load is refused).
  let stopping = false;
  proc.on('exit', (code, signal) => {
    if (!stopping) console.error(`doorstep serve exited by itself (code ${code}, signal ${signal}); its log ends:\n${stderr.slice(-3000)}`);
  });
  return {
    url: url.replace(/:\d+\//, `:${gate.port}/`), directUrl: url, proc, gate,
    stderr: () => stderr,
    stdout: () => stdout,
    async stop() {
      stopping = true;
      gate.close();
      if (proc.exitCode !== null) return;
      proc.kill('SIGTERM');
      await new Promise((r) => proc.once('exit', r));
    },
  };
}

// The browser reaches the server through a loopback TCP relay that goOffline cuts: while cut,
// every connection is dropped and new ones are refused at once, so nothing at all reaches the
// server. Chromium's offline emulation alone lets a reloaded page's first request through now
// and then (a push sent during an offline reload reached the server; its answer never came back).
const gates = new Set();
// A test that failed while offline leaves its context's cut behind: the next test starts online.
const reopenGates = () => { for (const g of gates) g.reset(); };
async function openGate() {
  const sockets = new Set();
  const offline = new Set();  // the browser contexts that are offline now: cut while any is
  let cut = false;
  const relay = net.createServer((client) => {
    if (cut) { client.destroy(); return; }
    const upstream = net.connect(gate.upstream, '127.0.0.1');
    const pair = [client, upstream];
    for (const s of pair) { sockets.add(s); s.on('error', () => {}); s.on('close', () => { sockets.delete(s); for (const o of pair) o.destroy(); }); }
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise((resolve) => relay.listen(0, '127.0.0.1', resolve));
  const gate = {
    port: relay.address().port,
    upstream: 0,
    set(context, off) {
      if (off) offline.add(context); else offline.delete(context);
      cut = offline.size > 0;
      if (cut) for (const s of sockets) s.destroy();
    },
    reset() { offline.clear(); cut = false; },  // after each test: one that failed offline cuts no other
    close() { gates.delete(gate); for (const s of sockets) s.destroy(); relay.close(); },
  };
  gates.add(gate);
  return gate;
}

export async function launchBrowser(extraArgs = []) {
  const { chromium } = require('playwright-core');
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--use-angle=swiftshader', '--enable-unsafe-swiftshader',
      '--ignore-gpu-blocklist', ...extraArgs],
  });
}

export function cleanup(dir) {
  try { rmSync(dir, { recursive: true, force: true }); } catch { /* best effort */ }
}

// Waits until fn (run in the page) returns a truthy value. Polls with evaluate(): the page's
// Content-Security-Policy forbids the string evaluation waitForFunction relies on.
export async function until(page, fn, arg, timeout = 20000) {
  const end = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      last = await page.evaluate(fn, arg);
      if (last) return last;
    } catch (e) {
      if (!/Execution context was destroyed|navigation/i.test(String(e))) throw e;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${fn.toString().slice(0, 160)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

// Centre of an ImGui item the app published in window.doorstepUi (see wasm/app.cpp note_item).
export async function itemCentre(page, key) {
  await until(page, (k) => window.doorstepUi && window.doorstepUi[k] && window.doorstepUi[k][2] > 0, key);
  const r = await page.evaluate((k) => window.doorstepUi[k], key);
  return { x: r[0] + r[2] / 2, y: r[1] + r[3] / 2 };
}

// A finger tap on the ImGui item `key` (its published centre).
export async function tapItem(page, key) {
  const c = await itemCentre(page, key);
  await page.touchscreen.tap(c.x, c.y);
}

// Taps the door marker that stands alone on the map (lonelyDoor) and waits for the panel to
// select it; returns that door ({index, x, y, d}).
export async function tapLonelyDoor(page) {
  const door = await lonelyDoor(page);
  await page.touchscreen.tap(door.x, door.y);
  await until(page, (i) => window.doorstepStats.selected === i, door.index);
  return door;
}

// Attempts stored on the server, read through the CLI's export (a separate process, real SQLite).
export function serverAttempts(dataDir) {
  const csv = execFileSync(doorstep, ['export', '--data', dataDir, '--format', 'attempts'], { encoding: 'utf8' });
  const lines = csv.trim().split(/\r?\n/);
  return lines.slice(1).filter((l) => l.length > 0);
}

// The door whose marker is farthest from every other marker (at least `gap` CSS px), so a finger
// tap hits only it; markers near the map's controls are skipped.
export async function lonelyDoor(page, gap = 14) {
  // Wait for the map to settle (fitBounds may still be zooming) before reading positions.
  let prev = null;
  for (let k = 0; k < 40; ++k) {
    const now = await page.evaluate(() => JSON.stringify(DoorstepMap.doorPoint(1, 0)));
    if (now === prev) break;
    prev = now;
    await new Promise((r) => setTimeout(r, 150));
  }
  return page.evaluate((g) => {
    const n = DoorstepMap.doorCount(1);
    const pts = [];
    for (let i = 0; i < n; ++i) pts.push(DoorstepMap.doorPoint(1, i));
    const r = document.getElementById('map').getBoundingClientRect();
    let best = null;
    for (let i = 0; i < n; ++i) {
      const p = pts[i];
      if (p.x < r.left + 60 || p.x > r.right - 20 || p.y < r.top + 20 || p.y > r.bottom - 30) continue;
      let d = Infinity;
      for (let j = 0; j < n; ++j) if (j !== i) d = Math.min(d, Math.hypot(pts[j].x - p.x, pts[j].y - p.y));
      if (d >= g && (!best || d > best.d)) best = { index: i, x: p.x, y: p.y, d };
    }
    return best;
  }, gap);
}

// A finger drag from (x, y0) to (x, y1) in small steps (CDP touch events: Playwright's
// touchscreen only taps). Exercises the panel's drag-to-scroll.
export async function swipe(page, x, y0, y1, steps = 12) {
  const cdp = await page.context().newCDPSession(page);
  const pt = (y) => [{ x, y, id: 1 }];
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: pt(y0) });
  for (let i = 1; i <= steps; ++i) {
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: pt(y0 + ((y1 - y0) * i) / steps) });
    await new Promise((r) => setTimeout(r, 16));
  }
  await new Promise((r) => setTimeout(r, 120));  // hold still: no fling
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  await cdp.detach();
}

// Scrolls the panel with finger drags until the ImGui item `key` is fully inside the canvas.
export async function scrollIntoView(page, key) {
  for (let k = 0; k < 12; ++k) {
    const [r, c] = await page.evaluate((kk) => [window.doorstepUi && window.doorstepUi[kk],
      document.getElementById('ui').getBoundingClientRect().toJSON()], key);
    if (r && r[1] >= c.top && r[1] + r[3] <= c.bottom) return;
    const x = c.left + c.width / 2;
    const down = !r || r[1] + r[3] > c.bottom;
    await swipe(page, x, down ? c.bottom - 40 : c.top + 80, down ? c.top + 80 : c.bottom - 40);
    await page.waitForTimeout(150);
  }
  throw new Error('could not scroll ' + key + ' into view');
}

// One seeded server and browser for a test file: registers the before/after hooks and returns an
// object whose seeded, server and browser fields are filled once the suite starts.
export function useServerAndBrowser() {
  const ctx = {};
  before(async () => {
    ctx.seeded = seedDemo();
    ctx.server = await startServer(ctx.seeded.dir);
    ctx.browser = await launchBrowser();
  });
  afterEach(reopenGates);
  after(async () => {
    if (ctx.browser) await ctx.browser.close();
    if (ctx.server) await ctx.server.stop();
    if (ctx.seeded) cleanup(ctx.seeded.dir);
  });
  return ctx;
}

// The usual set-up of a browser test file: a seeded demo folder, its server and one browser for
// the whole file, all torn down after. Returns an object whose fields fill in before the tests.
export function demoSuite(before, after) {
  const s = { seeded: null, server: null, browser: null, link: (i) => s.server.url + '#t=' + s.seeded.demo.links[i].token };
  before(async () => {
    s.seeded = seedDemo();
    s.server = await startServer(s.seeded.dir);
    s.browser = await launchBrowser();
  });
  afterEach(reopenGates);
  after(async () => {
    if (s.browser) await s.browser.close();
    if (s.server) await s.server.stop();
    if (s.seeded) cleanup(s.seeded.dir);
  });
  return s;
}

// Offline as the phone sees it (navigator.onLine, the offline event, failed requests) and as the
// server sees it: the relay in front of every test server is cut while any context is offline (so
// two contexts of one test can't be online and offline at once), and no request reaches it.
const refuse = (route) => route.abort('internetdisconnected');
export async function goOffline(context, page, offline) {
  for (const g of gates) g.set(context, offline);
  // A context closed (or its browser killed) while offline no longer holds the relay cut.
  if (offline && !context.__gateWatch) {
    context.__gateWatch = true;
    context.once('close', () => { for (const g of gates) g.set(context, false); });
  }
  if (offline) await context.route('**/api/v1/**', refuse);
  else await context.unroute('**/api/v1/**', refuse);
  await context.setOffline(offline);
  await page.evaluate((o) => window.dispatchEvent(new Event(o ? 'offline' : 'online')), offline);
}

// The attempts export (CLI, a separate process) as objects keyed by its header.
function csvCells(line) {
  const out = [];
  let cur = '', quoted = false;
  for (let i = 0; i < line.length; ++i) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') { cur += '"'; ++i; } else if (c === '"') quoted = false; else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { out.push(cur); cur = ''; } else cur += c;
  }
  out.push(cur);
  return out;
}
export function exportedAttempts(dataDir) {
  const csv = execFileSync(doorstep, ['export', '--data', dataDir, '--format', 'attempts'], { encoding: 'utf8' });
  const lines = csv.trim().split(/\r?\n/);
  const head = csvCells(lines[0]);
  return lines.slice(1).filter((l) => l).map((l) => Object.fromEntries(csvCells(l).map((v, i) => [head[i], v])));
}

// The location reason sheet comes after the first record on a phone without the permission.
export async function dismissGeo(page) {
  if (await page.locator('#geo-reason').isVisible()) await page.locator('#geo-no').tap();
}

// Records `n` doors (`result`, "Not home" by default) from the door screen through the mirror,
// each until the phone says it is saved (the durable outbox write completed); recording advances
// to the next door by itself.
export async function recordDoors(page, n, result = 'Not home') {
  const stats = () => page.evaluate(() => ({ ...window.doorstepStats }));
  if ((await stats()).selected === undefined || (await stats()).selected < 0) {
    await page.getByRole('button', { name: 'Go to next door', exact: true }).tap();
    await until(page, () => window.doorstepStats.selected >= 0);
  }
  await until(page, () => document.querySelector('#mirror [role=tab][aria-selected=true]')?.textContent === 'Door');
  const start = (await stats()).recorded || 0;
  for (let k = 0; k < n; ++k) {
    const sel = (await stats()).selected;
    await page.getByRole('button', { name: result, exact: true }).tap();
    await until(page, (want) => window.doorstepStats.recorded === want, start + k + 1);
    await until(page, () => window.doorstepStats.unsaved === 0 && /Saved on phone/.test(document.getElementById('status').textContent));
    await dismissGeo(page);
    await until(page, (s) => window.doorstepStats.selected !== s, sel);
  }
}

// A browser context for the phone page whose canvasser has already given a first name (the
// first-open name dialog is a modal the older tests do not expect); tests of that dialog use
// browser.newContext directly.
export async function newPhone(browser, options, name = 'Tess') {
  const context = await browser.newContext(options);
  await context.addInitScript((n) => {
    try { if (!localStorage.getItem('doorstep-setting-canvasser')) localStorage.setItem('doorstep-setting-canvasser', n); } catch (e) { /* opaque origin */ }
  }, name);
  return context;
}

// An init script for the benchmarks (bench/startup.mjs, bench/startup_profile.mjs): sets
// doorstepStats.usableAt to the page's time of the first frame drawn after the walk list's doors
// were shown (list_doors; builds before it published only doors, with the map's).
export function usableProbe() {
  const t = setInterval(() => {
    const st = window.doorstepStats;
    if (!st) return;
    if ((st.list_doors || st.doors) > 0 && st.__doorsFrames === undefined) st.__doorsFrames = st.frames;
    if (st.__doorsFrames !== undefined && st.frames > st.__doorsFrames) { st.usableAt = performance.now(); clearInterval(t); }
  }, 4);
}

// A server on `web` (a built dist/ folder) for the benchmarks, with no relay in front of it: what
// they time is the page's own traffic. Resolves to { url, stop }.
export async function startBenchServer(dataDir, web) {
  // Its log goes to a file in its data folder, not a pipe: a benchmark that runs Lighthouse
  // synchronously reads no pipe meanwhile, and after 64 KB of request lines an unread pipe held the
  // server in its next log write (bench/startup.mjs hung so).
  const logPath = path.join(dataDir, 'server.log');
  const logFd = openSync(logPath, 'a');
  const proc = spawn(doorstep, ['serve', '--port', '0', '--data', dataDir, '--web', web], { stdio: ['ignore', 'pipe', logFd] });
  closeSync(logFd);
  const logTail = () => { try { return readFileSync(logPath, 'utf8').slice(-4096); } catch { return ''; } };
  const url = await new Promise((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => reject(new Error('server did not start: ' + logTail())), 15000);
    proc.stdout.on('data', (d) => {
      buf += d;
      const m = /serving on (http:\/\/[^\s]+)/.exec(buf);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    proc.on('exit', (code) => reject(new Error(`server exited ${code}: ${logTail()}`)));
  });
  return { url, stop: () => new Promise((r) => { proc.once('exit', r); proc.kill('SIGTERM'); }) };
}

// One Lighthouse 12 run (CLI, default mobile preset: simulated slow 4G and 4x CPU) on a fresh
// profile; resolves to its parsed JSON report. `trace` keeps the run's trace there; `chromeFlags`
// join the usual ones. A run that fails (a timeout) has its Chromium (chrome-launcher's profile,
// lighthouse.XXXXXXX) ended before the error is thrown: left running, it would load every later run.
export function lighthouseReport(url, { trace = '', chromeFlags = '' } = {}) {
  const out = mkdtempSync(path.join(tmpdir(), 'doorstep-lh-'));
  const report = path.join(out, 'report.json');
  try {
    execFileSync(path.join(root, 'node_modules/.bin/lighthouse'), [url, '--quiet', '--output=json', `--output-path=${report}`,
      '--only-categories=performance', '--form-factor=mobile', ...(trace ? ['--save-assets'] : []),
      `--chrome-flags=--headless=new --no-sandbox --use-angle=swiftshader --enable-unsafe-swiftshader ${chromeFlags}`.trim()],
    { env: { ...process.env, CHROME_PATH: process.env.CHROMIUM || '/usr/bin/chromium' }, stdio: ['ignore', 'ignore', 'pipe'], timeout: 240000 });
    if (trace) copyFileSync(path.join(out, 'report-0.trace.json'), trace);
    return JSON.parse(readFileSync(report, 'utf8'));
  } catch (e) {
    try { execFileSync('pkill', ['-9', '-f', `user-data-dir=${tmpdir()}/lighthouse.`]); } catch { /* none left */ }
    throw e;
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
