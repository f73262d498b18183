// The canvasser page's first screen (issue 15, item 10): readable and announced before the module
// has arrived, then covered by the panel once the app runs. A liveness check only: the start-up's
// timings are bench/startup.mjs's (benchmarks stay out of ./test.sh).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { seedDemo, startServer, launchBrowser, cleanup, phones, until } from './harness.mjs';

let seeded, server, browser;

// The panel's canvas shows drawn text and buttons, not one flat colour: a flat PNG of it is tiny.
async function panelDrawn(page) {
  const png = await page.locator('#ui').screenshot();
  return png.length > 30000;  // flat: about 5 KB; the walk list: over 100 KB
}

before(async () => {
  seeded = seedDemo();
  server = await startServer(seeded.dir);
  browser = await launchBrowser();
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
  if (seeded) cleanup(seeded.dir);
});

test('the first screen is painted and readable while the module is still on its way', async () => {
  // No service worker: its fetches would bypass the route that holds the module back.
  const context = await browser.newContext({ ...phones.small, serviceWorkers: 'block' });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  // Hold the module back: whatever shows until it is released shows without it.
  let release;
  const held = new Promise((r) => { release = r; });
  let asked = false;
  await context.route('**/doorstep.wasm', async (route) => { asked = true; await held; await route.continue(); });
  await page.goto(server.url + '#t=' + seeded.demo.links[0].token);

  const first = page.getByRole('status').filter({ hasText: 'Loading your doors' });
  await first.waitFor({ state: 'visible' });
  assert.equal(await first.getByRole('heading', { name: 'Doorstep' }).count(), 1);
  // Painted before the module (the page's scripts are deferred; boot.js waits for this paint).
  await until(page, () => performance.getEntriesByType('paint').some((e) => e.name === 'first-contentful-paint'));
  assert.equal(await page.evaluate(() => window.doorstepStats.frames), 0, 'no panel frame without the module');

  release();
  await until(page, () => window.doorstepStats.frames > 0 && window.doorstepStats.doors > 0, undefined, 60000);
  assert.ok(asked, 'the module came through the held route');
  // The panel covers the first screen, which leaves the accessibility tree (the mirror speaks now).
  await until(page, () => document.getElementById('skeleton').getAttribute('aria-hidden') === 'true');
  assert.equal(await page.getByRole('status').filter({ hasText: 'Loading your doors' }).count(), 0);
  assert.equal(await page.evaluate(() => getComputedStyle(document.getElementById('ui')).visibility), 'visible');
  // The panel is drawn on a worker's thread (web/panel.js, web/panel_worker.js): the page never
  // waited for the GPU process; how long the worker's context took is bench/startup.mjs's figure.
  const stats = await page.evaluate(() => window.doorstepStats);
  assert.equal(stats.panel, 'worker', 'the panel\'s canvas was handed to its worker');
  assert.equal(stats.glWarm, 'ok', 'the worker made a WebGL 2 context');
  assert.ok(Number.isFinite(stats.glContextMs), 'the worker reported its context');
  await until(page, () => window.doorstepStats.panel_linked !== undefined, undefined, 20000);
  assert.equal(await page.evaluate(() => window.doorstepStats.panel_linked), 1, 'the worker\'s shaders linked');
  assert.ok(await panelDrawn(page), 'the worker\'s frames show on the page');
  // The first SQLite work ran once on a worker sharing the compiled module (web/wasm_warm.js).
  assert.equal(await until(page, () => window.doorstepStats.wasmWarm, undefined, 20000), 'ok', 'the module was warmed on a worker');
  await until(page, () => window.doorstepStats.panel_shown !== undefined, undefined, 20000);
  assert.equal(await page.evaluate(() => window.doorstepStats.panel_shown), 1, 'the page saw the worker\'s frame on its canvas');
  assert.deepEqual(errors, []);
  await context.close();
});

test('where the canvas cannot be handed to a worker, the page draws the panel itself', async () => {
  const context = await browser.newContext(phones.small);
  // A browser without transferControlToOffscreen (older Safari): the old way, on the page.
  await context.addInitScript(() => { delete HTMLCanvasElement.prototype.transferControlToOffscreen; });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(server.url + '#t=' + seeded.demo.links[1].token);
  await until(page, () => window.doorstepStats && window.doorstepStats.frames > 0 && window.doorstepStats.doors > 0, undefined, 60000);
  const stats = await page.evaluate(() => window.doorstepStats);
  assert.equal(stats.panel, 'page');
  assert.ok(Number.isFinite(stats.glContextMs), 'the page made its own context');
  await until(page, () => window.doorstepStats.panel_linked !== undefined, undefined, 20000);
  assert.equal(await page.evaluate(() => window.doorstepStats.panel_linked), 1, 'the page\'s shaders linked');
  assert.ok(await panelDrawn(page), 'the page\'s own frames show');
  assert.deepEqual(errors, []);
  await context.close();
});

// A browser that takes the canvas but never shows a worker's frames (as one could): the page finds
// its canvas empty after the first frame, reloads once, and draws the panel itself from then on.
test('a canvas that never shows the worker\'s frames: the page notices, reloads once, and draws itself', async () => {
  const context = await browser.newContext(phones.small);
  // What the page sees of its canvas: nothing (a snapshot of it is clear).
  await context.addInitScript(() => {
    const snap = window.createImageBitmap;
    window.createImageBitmap = function (img, ...rest) {
      if (img && img.id === 'ui') return snap.call(window, new ImageData(4, 4));
      return snap.call(window, img, ...rest);
    };
  });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  let loads = 0;
  page.on('load', () => { loads++; });
  await page.goto(server.url + '#t=' + seeded.demo.links[3].token);
  await until(page, () => window.doorstepStats && window.doorstepStats.panel === 'page' && window.doorstepStats.frames > 0 &&
    window.doorstepStats.doors > 0, undefined, 60000);
  assert.equal(loads, 2, 'one reload');
  assert.equal(await page.evaluate(() => localStorage.getItem('doorstep-panel-on-page')), '1', 'remembered');
  assert.ok(await panelDrawn(page), 'the page draws the panel');
  await page.reload();  // and it stays on the page
  await until(page, () => window.doorstepStats && window.doorstepStats.frames > 0, undefined, 60000);
  assert.equal(await page.evaluate(() => window.doorstepStats.panel), 'page');
  assert.deepEqual(errors, []);
  await context.close();
});

// A phone's GPU process can crash (or the browser reclaim the context): the panel comes back drawn,
// on the worker (which redraws its last frame) and on the page (which redraws on its own).
test('a lost WebGL context is restored and the panel drawn again, on the worker and on the page', async () => {
  for (const onWorker of [true, false]) {
    const context = await browser.newContext(phones.small);
    if (!onWorker) await context.addInitScript(() => { delete HTMLCanvasElement.prototype.transferControlToOffscreen; });
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(server.url + '#t=' + seeded.demo.links[2].token);
    await until(page, () => window.doorstepStats && window.doorstepStats.frames > 0 && window.doorstepStats.doors > 0, undefined, 60000);
    await until(page, () => window.doorstepStats.panel_linked !== undefined, undefined, 20000);
    assert.equal(await page.evaluate(() => window.doorstepStats.panel), onWorker ? 'worker' : 'page');
    await page.evaluate(() => DoorstepPanel.loseContext(300));
    await until(page, () => window.doorstepStats.panel_restored === 1, undefined, 20000);
    let drawn = false;
    for (let i = 0; i < 20 && !drawn; i++) {
      await page.waitForTimeout(250);
      drawn = await panelDrawn(page);
    }
    assert.ok(drawn, `the panel is drawn again after the restore (${onWorker ? 'worker' : 'page'})`);
    assert.deepEqual(errors, []);
    await context.close();
  }
});

test('a stored turf reopens with one font atlas, the walk list first and then its doors on the map', async () => {
  const context = await browser.newContext(phones.small);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(server.url + '#t=' + seeded.demo.links[0].token);
  const doors = seeded.demo.turfs[0].doors;
  await until(page, (n) => window.doorstepStats && window.doorstepStats.doors === n, doors, 60000);
  await until(page, () => !location.hash.includes('t='));  // stored on the phone
  // The list first: its doors are counted (list_doors) and drawn in a frame before the map gets
  // its doors (doors), in a task after that frame. Every stat the page publishes is logged in
  // order, with the frames drawn by then.
  await page.addInitScript(() => {
    window.__log = [];
    let stats;
    Object.defineProperty(window, 'doorstepStats', {
      configurable: true,
      get: () => stats,
      set: (v) => {
        stats = new Proxy(v, { set(o, k, val) { if (k === 'list_doors' || k === 'doors') window.__log.push([k, o.frames]); o[k] = val; return true; } });
      },
    });
  });
  await page.reload();
  await until(page, (n) => window.doorstepStats && window.doorstepStats.doors === n && DoorstepMap.doorCount(1) === n, doors, 60000);
  const stats = await page.evaluate(() => ({ ...window.doorstepStats, log: window.__log }));
  assert.equal(stats.list_doors, doors);
  const list = stats.log.find(([k]) => k === 'list_doors'), map = stats.log.find(([k]) => k === 'doors');
  assert.ok(list && map, `both published (${JSON.stringify(stats.log)})`);
  assert.ok(map[1] > list[1], `a frame was drawn between the list's doors and the map's (${JSON.stringify(stats.log)})`);
  // The atlas for the UI's language already holds every letter of this package: one build, not
  // one before the fonts were chosen, one for the language and one for the package's text.
  assert.equal(stats.font_builds, 1, 'one font atlas rasterised');
  assert.deepEqual(errors, []);
  await context.close();
});
