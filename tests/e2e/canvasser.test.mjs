// The canvasser's phone, end to end in headless Chromium against a real server: boot, panel and
// map drawn, a touch tap on a door selects it, idle costs zero frames, a record survives going
// offline and a reload, and reaches the server exactly once when the network returns.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { seedDemo, startServer, launchBrowser, cleanup, phones, until, itemCentre, serverAttempts, artifacts, lonelyDoor, newPhone, goOffline, tapLonelyDoor } from './harness.mjs';

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

// Waits until no frame has been drawn for `quiet` ms: what a tap or a start-up step asked for is done.
async function framesSettled(page, quiet = 1500, timeout = 20000) {
  const end = Date.now() + timeout;
  let last = -1, since = Date.now();
  while (Date.now() < end) {
    const f = await page.evaluate(() => window.doorstepStats.frames);
    if (f !== last) { last = f; since = Date.now(); } else if (Date.now() - since >= quiet) return;
    await page.waitForTimeout(50);
  }
  throw new Error('frames never stopped');
}

function linkUrl(i = 0) {
  return server.url + '#t=' + seeded.demo.links[i].token;
}

for (const [name, phone] of Object.entries(phones)) {
  test(`boots on a ${phone.viewport.width}x${phone.viewport.height} phone, draws the panel and the doors, tap selects, idle is free`, async () => {
    const context = await newPhone(browser, phone);
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(linkUrl(0));
    await until(page, () => window.doorstepStats && window.doorstepStats.frames > 0 && window.doorstepStats.doors > 0);
    const turf = seeded.demo.turfs[0];
    const stats = await page.evaluate(() => ({ ...window.doorstepStats }));
    assert.equal(stats.doors, turf.doors, 'every door of the turf is on the map');
    assert.equal(await page.evaluate(() => DoorstepMap.doorCount(1)), turf.doors);
    // The token leaves the address bar once it is stored on the phone.
    await until(page, () => !location.hash.includes('t='));

    // Tap a door on the map with a finger.
    const door = await lonelyDoor(page);
    assert.ok(door, 'some door can be tapped on its own');
    const index = door.index;
    await page.touchscreen.tap(door.x, door.y);
    await until(page, (i) => window.doorstepStats.selected === i, index);
    const status = await page.textContent('#status');
    assert.match(status, new RegExp(`^Door ${index + 1}: `), 'the panel (and its aria mirror) shows the tapped door');

    // Idle: no frames for 2 s, once a door's Korean or Chinese font (if it needed one) is in and the
    // tap's own frames are drawn (on a busy machine that takes a while).
    // A server answer landing in the window (the first pull, late on a loaded machine) may redraw
    // the sync bar: such a window is measured again; a window with no answer must draw nothing.
    await until(page, () => !window.doorstepStats.font_loading);
    let answers = 0;
    page.on('response', () => { answers++; });
    let quiet = null;
    for (let tries = 0; tries < 4 && !quiet; tries++) {
      await framesSettled(page);
      const a0 = answers, s0 = await page.evaluate(() => ({ ...window.doorstepStats }));
      await page.waitForTimeout(2000);
      const s1 = await page.evaluate(() => ({ ...window.doorstepStats }));
      if (answers === a0) quiet = { s0, s1 };
    }
    assert.ok(quiet, 'a 2 s window with no server answer');
    const moved = Object.keys(quiet.s1).filter((k) => JSON.stringify(quiet.s1[k]) !== JSON.stringify(quiet.s0[k]));
    assert.equal(quiet.s1.frames, quiet.s0.frames, 'no frames rendered while idle (stats that moved: ' + moved.join(', ') + ')');
    // The panel's program, linked without a wait, is checked once a few seconds after the first frame.
    await until(page, () => window.doorstepStats.panel_linked !== undefined, undefined, 20000);
    assert.equal(await page.evaluate(() => window.doorstepStats.panel_linked), 1, 'the panel\'s shaders linked');
    await page.screenshot({ path: path.join(artifacts, `phone-${name}.png`) });
    assert.deepEqual(errors, []);
    await context.close();
  });
}

test('a record made offline survives a reload and reaches the server exactly once', async () => {
  const context = await newPhone(browser, phones.small);
  const page = await context.newPage();
  await page.goto(linkUrl(1));
  await until(page, () => window.doorstepStats && window.doorstepStats.doors > 0);
  // Let the service worker take control, so the reload below works without a network.
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.reload();
  await until(page, () => navigator.serviceWorker.controller && window.doorstepStats && window.doorstepStats.doors > 0);
  const before = serverAttempts(seeded.dir).length;

  await goOffline(context, page, true);
  await tapLonelyDoor(page);
  const btn = await itemCentre(page, 'not_home');
  await page.touchscreen.tap(btn.x, btn.y);
  // Saved on the phone: recorded and the strict outbox write completed.
  await until(page, () => window.doorstepStats.pending === 1 && window.doorstepStats.unsaved === 0);

  await page.reload();  // offline: served by the service worker, state from IndexedDB
  await until(page, () => window.doorstepStats && window.doorstepStats.doors > 0 && window.doorstepStats.pending === 1);
  assert.equal(serverAttempts(seeded.dir).length, before, 'nothing reached the server while offline');

  await goOffline(context, page, false);
  await until(page, () => window.doorstepStats.pending === 0, undefined, 30000);
  const rows = serverAttempts(seeded.dir);
  assert.equal(rows.length, before + 1, 'exactly one new attempt on the server');
  await page.screenshot({ path: path.join(artifacts, 'offline-sync.png') });
  await context.close();
});
