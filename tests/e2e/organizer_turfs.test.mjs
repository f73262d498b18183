// Organizer part 2 in headless Chromium at 1280x800 against a real server and the demo campaign:
// a turf drawn with the mouse (Leaflet-Geoman) and a corner dragged while the console's wasm live
// index recounts at every step; an area drawn and cut by 60 minutes with the report of turfs off
// the target; a split along a drawn line and a merge; the route view; the preview of the phone's
// page in an iframe with the same doors in the same order as the package, and the server's attempt
// count unchanged; the nearest unassigned turf. Screenshots organizer-turfs-<step>.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { seedDemo, startServer, launchBrowser, cleanup, until, artifacts, serverAttempts } from './harness.mjs';

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

// Page pixel of a [lat, lon] on the console's map.
function pixel(page, lat, lon) {
  return page.evaluate(([la, lo]) => {
    const p = Console.state.map.latLngToContainerPoint([la, lo]);
    const r = document.getElementById('omap').getBoundingClientRect();
    return { x: r.left + p.x, y: r.top + p.y };
  }, [lat, lon]);
}

async function clickAt(page, lat, lon) {
  const p = await pixel(page, lat, lon);
  await page.mouse.click(p.x, p.y);
  await page.waitForTimeout(120);
}

// Clicks the corners of a ring, then its first corner again (Geoman's finish).
async function drawRing(page, ring) {
  for (const [lat, lon] of ring) await clickAt(page, lat, lon);
  await clickAt(page, ring[0][0], ring[0][1]);
}

// The turfs list's draw counter (screen_turfs.js): the list is replaced only once the server's
// answers are in, so a wait for a row can see the old list; a wait for the counter cannot.
const drawnCount = (page) => page.evaluate(() => Number(document.getElementById('turfs').dataset.drawn || 0));
const untilRedrawn = (page, n) => until(page, (k) => Number(document.getElementById('turfs').dataset.drawn || 0) > k, n, 20000);

const rows = (page) => page.evaluate(() => [...document.querySelectorAll('#turfs tbody tr')].map((tr) => ({
  id: tr.dataset.turf, name: tr.querySelector('.turf-name').textContent, doors: Number(tr.cells[1].textContent) })));

test('turfs drawn with the mouse, live counts while dragging, area cut by minutes, split, merge, route and preview', async () => {
  const desk = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await desk.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(server.url + new URL(seeded.demo.admin_signin_url).hash);
  await until(page, () => !document.getElementById('console').hidden && document.querySelectorAll('#turfs tbody tr').length > 0);
  // Start from no turfs: the demo's cut turfs have no records, so deleting them frees their doors.
  await page.evaluate(async () => {
    const { turfs } = await Console.api('GET', '/campaigns/' + Console.state.campaign + '/turfs');
    for (const t of turfs) await Console.api('POST', '/turfs/' + t.id + '/delete', {});
    await Console.reloadTurfs();
  });
  await until(page, () => document.querySelectorAll('#turfs tbody tr').length === 0);
  const centre = await page.evaluate(async () => {
    const d = await Console.api('GET', '/campaigns/' + Console.state.campaign + '/doors/map');
    const lat = [...d.lat].sort((a, b) => a - b), lon = [...d.lon].sort((a, b) => a - b);
    return [lat[lat.length >> 1], lon[lon.length >> 1]];
  });
  await page.evaluate(([la, lo]) => { Console.keepView = true; Console.state.map.setView([la, lo], 17, { animate: false }); }, centre);
  await page.waitForTimeout(300);

  // 1. Draw a turf with the mouse: the live count follows each corner.
  const [cl, co] = centre;
  const d = 0.0012;
  await page.fill('#turf-name', 'Drawn');
  await page.click('#draw-turf');
  await until(page, () => /Click the map/.test(document.getElementById('live-counts').textContent));
  await drawRing(page, [[cl - d, co - d], [cl - d, co + d], [cl + d, co + d], [cl + d, co - d]]);
  await until(page, () => [...document.querySelectorAll('#turfs .turf-name')].some((n) => n.textContent === 'Drawn'), undefined, 20000);
  let list = await rows(page);
  const drawn = list.find((r) => r.name === 'Drawn');
  assert.ok(drawn.doors > 5, 'the drawn turf holds doors: ' + drawn.doors);
  await page.screenshot({ path: path.join(artifacts, 'organizer-turfs-draw.png') });

  // 2. Edit it: drag a corner outward in steps; the count changes while the mouse is still down.
  await page.click(`#turfs tr[data-turf="${drawn.id}"] button[data-action="edit"]`);
  await until(page, () => document.querySelectorAll('.leaflet-marker-pane .marker-icon').length >= 4);
  const corner = await pixel(page, cl + d, co + d);
  const before = await page.evaluate(() => (Console.liveStats ? Console.liveStats.updates : 0));
  await page.mouse.move(corner.x, corner.y);
  await page.mouse.down();
  const seen = new Set();
  for (let i = 1; i <= 12; i++) {
    await page.mouse.move(corner.x + i * 12, corner.y - i * 9);
    await page.waitForTimeout(40);
    seen.add(await page.evaluate(() => Console.liveStats.last.doors));
  }
  const during = await page.evaluate(() => ({ updates: Console.liveStats.updates, text: document.getElementById('live-counts').textContent }));
  const drawnBeforeSave = await drawnCount(page);
  await page.mouse.up();
  assert.ok(during.updates - before >= 8, 'recounted while dragging: ' + (during.updates - before));
  assert.ok(seen.size >= 2, 'the count changed while dragging: ' + [...seen].join(','));
  assert.match(during.text, /\d+ doors · \d+ people · about \d+ min/);
  const lastLive = await page.evaluate(() => Console.liveStats.last.doors);
  await untilRedrawn(page, drawnBeforeSave);
  await until(page, (id) => { const tr = document.querySelector(`#turfs tr[data-turf="${id}"]`); return tr && /walking/.test(document.getElementById('live-counts').textContent); }, drawn.id, 20000);
  list = await rows(page);
  assert.equal(list.find((r) => r.id === drawn.id).doors, lastLive, 'the saved turf holds what the live count said');
  const ms = await page.evaluate(() => Console.liveStats.ms);
  console.log(`live count: ${ms.length} updates, median ${ms.sort((a, b) => a - b)[ms.length >> 1].toFixed(2)} ms`);
  await page.click('#stop-edit');

  // 3. Auto-cut an area by 60 minutes: the report lists the turfs that missed the target.
  await page.click('#draw-area');
  const a = 0.0015;
  await drawRing(page, [[cl - a, co - 2 * a], [cl - a, co - d - 0.0003], [cl + a, co - d - 0.0003], [cl + a, co - 2 * a]]);
  await until(page, () => document.getElementById('cut-area').checked);
  await page.selectOption('#cut-by', 'minutes');
  await page.fill('#target', '60');
  const drawnBeforeCut = await drawnCount(page);
  await page.click('#cut-form button');
  await until(page, () => /turfs cut by minutes \(target 60\)/.test(document.getElementById('cut-report').textContent), undefined, 30000);
  // The list is redrawn from the server after the report: under load the report comes first.
  await untilRedrawn(page, drawnBeforeCut);
  list = await rows(page);
  assert.ok(list.length >= 2, 'the area became turfs: ' + list.length);
  assert.equal(await page.textContent('#error'), '');
  await page.screenshot({ path: path.join(artifacts, 'organizer-turfs-cut.png') });

  // 4. Split the drawn turf along a north-south line, then merge the two pieces back.
  const drawnNow = list.find((r) => r.id === drawn.id);
  await page.click(`#turfs tr[data-turf="${drawn.id}"] button[data-action="split"]`);
  await clickAt(page, cl + d + 0.0015, co + 0.0001);
  await clickAt(page, cl - d - 0.0015, co + 0.0001);
  await page.click('#finish-line');
  await until(page, () => /Split into/.test(document.getElementById('live-counts').textContent), undefined, 20000);
  // The list is drawn again after the answer: wait for both pieces in it.
  await until(page, () => [...document.querySelectorAll('#turfs .turf-name')].filter((n) => n.textContent.startsWith('Drawn (')).length === 2,
    undefined, 20000);
  list = await rows(page);
  const pieces = list.filter((r) => r.name.startsWith('Drawn ('));
  assert.equal(pieces.length, 2);
  assert.equal(pieces[0].doors + pieces[1].doors, drawnNow.doors);
  assert.ok(!list.some((r) => r.id === drawn.id), 'the split turf is gone');
  for (const p of pieces) await page.check(`#turfs tr[data-turf="${p.id}"] .turf-pick`);
  await page.fill('#turf-name', 'Merged');
  await page.click('#merge-turfs');
  await until(page, () => [...document.querySelectorAll('#turfs .turf-name')].some((n) => n.textContent === 'Merged'), undefined, 20000);
  list = await rows(page);
  const merged = list.find((r) => r.name === 'Merged');
  assert.equal(merged.doors, drawnNow.doors);

  // 5. The route view: doors numbered in walk order, length and minutes.
  await page.click(`#turfs tr[data-turf="${merged.id}"] button[data-action="route"]`);
  await until(page, () => Console.lastRoute && /doors in walk order/.test(document.getElementById('route-out').textContent));
  const route = await page.evaluate(() => Console.lastRoute);
  assert.equal(route.doors.length, merged.doors);
  await page.screenshot({ path: path.join(artifacts, 'organizer-turfs-route.png') });

  // 6. Preview: the phone's page in an iframe, same doors in the same order as the package.
  const attemptsBefore = serverAttempts(seeded.dir).length;
  const pkg = await page.evaluate((id) => Console.api('GET', '/turfs/' + id + '/package'), merged.id);
  const pkgOrder = pkg.doors.slice().sort((x, y) => x.order - y.order).map((x) => [x.lat, x.lon]);
  await page.click(`#turfs tr[data-turf="${merged.id}"] button[data-action="preview"]`);
  const frame = await (async () => {
    for (let i = 0; i < 100; i++) {
      const f = page.frames().find((x) => x.url().includes('#preview='));
      if (f) return f;
      await page.waitForTimeout(100);
    }
    throw new Error('no preview frame');
  })();
  await until(frame, () => window.doorstepStats && window.doorstepStats.doors > 0 && window.DoorstepMap && DoorstepMap.doorCount(1) > 0, undefined, 30000);
  const phoneOrder = await frame.evaluate(() => {
    const out = [];
    for (let i = 0; i < DoorstepMap.doorCount(1); i++) { const p = DoorstepMap.doorLatLng(1, i); out.push([p.lat, p.lon]); }
    return out;
  });
  assert.equal(phoneOrder.length, pkgOrder.length);
  for (let i = 0; i < pkgOrder.length; i++) {
    assert.ok(Math.abs(phoneOrder[i][0] - pkgOrder[i][0]) < 1e-6 && Math.abs(phoneOrder[i][1] - pkgOrder[i][1]) < 1e-6,
      `door ${i + 1} in the same place and order`);
  }
  await page.waitForTimeout(1500);
  assert.equal(serverAttempts(seeded.dir).length, attemptsBefore, 'the preview sent nothing');
  assert.ok(await frame.evaluate(() => /Preview/.test(document.getElementById('status').textContent)));
  await page.screenshot({ path: path.join(artifacts, 'organizer-turfs-preview.png') });
  await page.click('#turf-preview-close');

  // 7. Next unassigned: click where the crew stands; the nearest turf without a live link.
  await page.click('#next-turf');
  const p = await pixel(page, cl, co - 2 * a + 0.0005);
  await page.mouse.click(p.x, p.y);
  await until(page, () => /Next unassigned: /.test(document.getElementById('next-out').textContent));
  const next = await page.evaluate(() => document.getElementById('next-out').dataset.turf);
  assert.ok((await rows(page)).some((r) => r.id === next));
  await page.screenshot({ path: path.join(artifacts, 'organizer-turfs-next.png') });
  assert.deepEqual(errors, []);
  await desk.close();
});
