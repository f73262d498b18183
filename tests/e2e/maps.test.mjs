// Maps on the canvasser's phone (360x740), end to end against a real server: the base map drawn
// from vector tiles (on a worker's thread, and on the page's where workers cannot paint), the turf's footprints from its package, the turf's tiles cached by the
// service worker and drawn from that cache after the server is gone; "where am I" with an
// emulated position, and with permission refused (recording still works, nothing is sent).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { demoSuite, startServer, phones, until, itemCentre, artifacts, newPhone, tapLonelyDoor } from './harness.mjs';

const s = demoSuite(before, after);
const linkUrl = (i) => s.link(i);

// Pixels of the base map's building fill (#ddd6cf) in the drawn vector tiles: proof that tiles
// were decoded and painted, not just requested.
async function buildingPixels(page) {
  return page.evaluate(() => {
    let n = 0;
    for (const c of document.querySelectorAll('#map .leaflet-tile-pane canvas.leaflet-tile-loaded')) {
      if (!c.width) continue;
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      for (let i = 0; i < d.length; i += 4 * 7) if (Math.abs(d[i] - 0xdd) < 6 && Math.abs(d[i + 1] - 0xd6) < 6 && Math.abs(d[i + 2] - 0xcf) < 6) n++;
    }
    return n;
  });
}

test('tiles and footprints: cached once the package is stored, drawn offline after a reload with the server stopped', async () => {
  const context = await newPhone(s.browser, phones.small);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(linkUrl(0));
  await until(page, () => window.doorstepStats && window.doorstepStats.doors > 0, undefined, 30000);
  await until(page, () => DoorstepMap.buildingCount(1) > 0);
  const report = await until(page, () => window.doorstepStats.tiles, undefined, 30000);
  assert.ok(report.tiles > 10, `turf tiles cached: ${JSON.stringify(report)}`);
  assert.equal(report.failed, 0);
  assert.ok(report.bytes > 0 && report.bytes <= 20 * 1024 * 1024);
  const cached = await page.evaluate(async () => {
    const names = (await caches.keys()).filter((k) => k.startsWith('doorstep-tiles-'));
    return names.length ? (await (await caches.open(names[0])).keys()).length : 0;
  });
  assert.equal(cached, report.tiles, 'the cache holds what the worker reported');
  const buildings = await page.evaluate(() => DoorstepMap.buildingCount(1));
  // The route's head: the next door ringed, its side of the street solid, the other side hollow.
  const sides = await page.evaluate(() => {
    const next = DoorstepMap.nextDoor(1);
    let hollow = 0;
    for (let i = 0; i < DoorstepMap.doorCount(1); i++) hollow += DoorstepMap.doorHollow(1, i) ? 1 : 0;
    return { next, nextHollow: DoorstepMap.doorHollow(1, next), hollow, doors: DoorstepMap.doorCount(1) };
  });
  assert.ok(sides.next >= 0, 'a next door is ringed');
  assert.equal(sides.nextHollow, false);
  assert.ok(sides.hollow > 0 && sides.hollow < sides.doors, `some doors across the street are hollow: ${JSON.stringify(sides)}`);
  // A building of several units opens one of its units (through the binding its click calls: a
  // finger on its centre would land on a door marker).
  const multi = await page.evaluate(() => {
    for (let i = 0; i < DoorstepMap.buildingCount(1); i++) if (DoorstepMap.buildingUnits(1, i) > 1) return { i, p: DoorstepMap.buildingPoint(1, i) };
    return null;
  });
  assert.ok(multi, 'the turf has a building of several units');
  // Its unit count is shown on the map, and a finger on the count reaches what lies beneath it.
  const labels = await page.evaluate(() => {
    let multiUnit = 0;
    for (let i = 0; i < DoorstepMap.buildingCount(1); i++) if (DoorstepMap.buildingUnits(1, i) > 1) multiUnit++;
    const shown = [...document.querySelectorAll('#map .units-label')];
    const texts = shown.map((e) => e.textContent);
    const r = shown[0].getBoundingClientRect();
    const under = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return { multiUnit, layers: DoorstepMap.unitLabelCount(1), shown: shown.length, texts, labelTakesTap: under === shown[0] };
  });
  assert.equal(labels.layers, labels.multiUnit, `one count per building of several units: ${JSON.stringify(labels)}`);
  assert.equal(labels.shown, labels.multiUnit);
  assert.ok(labels.texts.every((t) => Number(t) > 1), `counts as text: ${labels.texts}`);
  assert.equal(labels.labelTakesTap, false, 'a count does not take the tap');
  await page.evaluate(() => { window.doorstepStats.selected = -1; });
  await page.evaluate((i) => Module.doorstepBuildingTapped(i), multi.i);
  const sel = await until(page, () => window.doorstepStats.selected >= 0 && window.doorstepStats.selected + 1);
  assert.ok(await page.evaluate(([d, b]) => DoorstepMap.doorNearBuilding(1, d, b), [sel - 1, multi.i]), 'the unit opened is in that building');
  // A record there moves on: the ring goes to the door after the new one (moved, not made again).
  const ringBefore = await page.evaluate(() => DoorstepMap.nextDoor(1));
  const btn = await itemCentre(page, 'not_home');
  await page.touchscreen.tap(btn.x, btn.y);
  if (await page.locator('#geo-reason').isVisible()) await page.locator('#geo-no').tap();
  const now = await until(page, (was) => window.doorstepStats.selected !== was && window.doorstepStats.selected + 1, sel - 1);
  const ringAfter = await until(page, (d) => DoorstepMap.nextDoor(1) >= 0 && DoorstepMap.nextDoor(1) !== d && DoorstepMap.nextDoor(1) + 1, now - 1);
  assert.notEqual(ringAfter - 1, now - 1, 'the ring marks the door after the one on screen');
  assert.ok(ringBefore >= 0);

  await s.server.stop();
  try {
  const tileRequests = [];
  page.on('requestfailed', (r) => { if (r.url().includes('/tiles/')) tileRequests.push(r.url()); });
  await page.reload();
  await until(page, () => window.doorstepStats && window.doorstepStats.doors > 0, undefined, 30000);
  await until(page, () => DoorstepMap.buildingCount(1) > 0);
  assert.equal(await page.evaluate(() => DoorstepMap.buildingCount(1)), buildings, 'footprints from the stored package');
  await until(page, () => document.querySelectorAll('#map .leaflet-tile-pane canvas.leaflet-tile-loaded').length > 0, undefined, 20000);
  await page.waitForTimeout(800);  // protomaps-leaflet paints after a short per-tile delay
  const px = await buildingPixels(page);
  assert.ok(px > 100, `building fill painted from cached tiles (${px} sampled pixels)`);
  assert.deepEqual(tileRequests, [], 'no tile request went unanswered');
  await page.screenshot({ path: path.join(artifacts, 'map-offline.png') });
  assert.deepEqual(errors, []);
  } finally {
    await context.close();
    s.server = await startServer(s.seeded.dir);
  }
});

test('base map painted on a worker (protomaps-leaflet never loads on the page), or on the page where workers cannot paint', async () => {
  for (const workers of [true, false]) {
    const context = await newPhone(s.browser, phones.small);
    // iOS Safari before 16.4 has no OffscreenCanvas: the page then paints tiles itself.
    if (!workers) await context.addInitScript(() => { delete window.OffscreenCanvas; });
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(linkUrl(3));
    await until(page, () => window.doorstepStats && window.doorstepStats.doors > 0, undefined, 30000);
    await until(page, () => document.querySelectorAll('#map .leaflet-tile-pane canvas.leaflet-tile-loaded').length > 0, undefined, 20000);
    await page.waitForTimeout(800);  // painting follows a tile's load (a label may repaint it)
    const px = await buildingPixels(page);
    assert.ok(px > 100, `building fill painted (${px} sampled pixels, workers: ${workers})`);
    const onPage = await page.evaluate(() => typeof window.protomapsL === 'object');
    assert.equal(onPage, !workers, 'protomaps-leaflet loaded on the page only where workers cannot paint');
    assert.deepEqual(errors, []);
    await context.close();
  }
});

test('where am I: an emulated position with its accuracy circle, never sent to the server', async () => {
  const context = await newPhone(s.browser, { ...phones.small, permissions: ['geolocation'],
    geolocation: { latitude: 34.0013965, longitude: -118.4565360, accuracy: 18 } });
  const page = await context.newPage();
  const bodies = [];
  page.on('request', (r) => { if (r.postData()) bodies.push(r.postData()); });
  await page.goto(linkUrl(1));
  await until(page, () => window.doorstepStats && window.doorstepStats.doors > 0, undefined, 30000);
  await page.tap('.locate-button');
  const pos = await until(page, () => DoorstepMap.positionShown(1));
  assert.ok(Math.abs(pos.lat - 34.0013965) < 1e-6 && Math.abs(pos.lon + 118.4565360) < 1e-6);
  assert.equal(pos.accuracy, 18);
  assert.equal(await page.getAttribute('.locate-button', 'aria-pressed'), 'true');
  await page.screenshot({ path: path.join(artifacts, 'map-where-am-i.png') });
  await page.tap('.locate-button');  // a second tap stops following
  assert.equal(await page.evaluate(() => DoorstepMap.positionShown(1)), null);
  assert.ok(!bodies.some((b) => b.includes('34.0013965') || b.includes('118.456536')), 'the position stayed on the phone');
  await context.close();
});

test('where am I refused: a one-line reason first, then the refusal; recording still works', async () => {
  const context = await newPhone(s.browser, phones.small);  // no permission granted: the prompt is refused
  const page = await context.newPage();
  await page.goto(linkUrl(2));
  await until(page, () => window.doorstepStats && window.doorstepStats.doors > 0, undefined, 30000);
  await page.tap('.locate-button');
  await until(page, () => !document.getElementById('geo-reason').hidden);
  assert.match(await page.textContent('#geo-reason-text'), /location/);
  await page.tap('#geo-ok');
  await until(page, () => document.querySelector('.locate-button').getAttribute('aria-pressed') === 'false');
  assert.equal(await page.evaluate(() => DoorstepMap.positionShown(1)), null);
  // Record a door: the refusal does not block it.
  await tapLonelyDoor(page);
  const btn = await itemCentre(page, 'not_home');
  await page.touchscreen.tap(btn.x, btn.y);
  await until(page, () => window.doorstepStats.recorded > 0, undefined, 20000);
  await context.close();
});

test('the organizer console draws the server base map under its turfs', async () => {
  const context = await newPhone(s.browser, { viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(s.server.url + new URL(s.seeded.demo.admin_signin_url).hash);
  await until(page, () => document.querySelectorAll('#omap .leaflet-tile-pane canvas.leaflet-tile-loaded').length > 0, undefined, 30000);
  await page.screenshot({ path: path.join(artifacts, 'console-basemap.png') });
  assert.deepEqual(errors, []);
  await context.close();
});
