// The canvasser page's first screen (issue 15, item 10): readable and announced before the module
// has arrived, then covered by the panel once the app runs. A liveness check only: the start-up's
// timings are bench/startup.mjs's (benchmarks stay out of ./test.sh).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { seedDemo, startServer, launchBrowser, cleanup, phones, until } from './harness.mjs';

let seeded, server, browser;

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
  // The GPU process was warmed up on a worker's thread before the page made its own context
  // (web/gl_warm.js); how long that context took is bench/startup.mjs's figure.
  const stats = await page.evaluate(() => window.doorstepStats);
  assert.equal(stats.glWarm, 'ok', 'the warm-up worker made a WebGL 2 context');
  assert.ok(Number.isFinite(stats.glContextMs), 'the page made its context after the warm-up');
  assert.deepEqual(errors, []);
  await context.close();
});
