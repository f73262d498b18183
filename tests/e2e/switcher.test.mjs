// Turfs side by side (issue 15 item 7, second half), in Chromium at 360x740 with touch, driven
// through the accessible mirror (getByRole) against a real server: a second link opened while a
// turf holds an unsent record asks (a dialog naming the turf and its unsent record); "Keep both"
// loads the new turf, each turf's records reach the server once under its own link, and the
// switcher (Settings) goes back to the first; "Finish first" refuses while a record is unsent,
// then finishes and opens the new link. Screenshots: build/e2e/phone-switcher-<lang>.png and
// phone-secondlink-<lang>.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { useServerAndBrowser, phones, until, artifacts, newPhone, scrollIntoView, goOffline, exportedAttempts, recordDoors } from './harness.mjs';

const suite = useServerAndBrowser();
const links = () => suite.seeded.demo.links;
const url = (l) => suite.server.url + '#t=' + l.token;
const shot = (page, screen, lang) => page.screenshot({ path: path.join(artifacts, `phone-${screen}-${lang}.png`) });
const stats = (page) => page.evaluate(() => ({ ...window.doorstepStats }));
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const attempts = exportedAttempts;

// The door ids of a link's turf, from its package (what the server lets that link record).
async function turfDoors(link) {
  const r = await fetch(new URL('/api/v1/canvass/package', suite.server.url), { headers: { Authorization: 'Bearer ' + link.token } });
  assert.equal(r.status, 200);
  return new Set((await r.json()).doors.map((d) => d.id));
}

async function tab(page, name) {
  await page.getByRole('tab', { name, exact: true }).tap();
  await until(page, (n) => document.querySelector('#mirror [role=tab][aria-selected=true]')?.textContent === n, name);
  await page.waitForTimeout(150);
}

async function waitDoors(page) {
  await until(page, () => window.doorstepStats && window.doorstepStats.doors > 0, undefined, 30000);
  await page.getByRole('listitem').first().waitFor();
}

// Pushes fail (a network error) while window.doorstepBlockPush is set: wrapped into the page's fetch
// before its scripts run, since neither Chromium's offline emulation nor a context route reliably
// stops a request of a freshly opened page that passes through the service worker. A tab that let
// pushes through keeps doing so after a reload (sessionStorage).
function blockPushes() {
  if (window.doorstepFetchWrapped) return;
  window.doorstepFetchWrapped = true;
  const real = window.fetch.bind(window);
  window.doorstepBlockPush = sessionStorage.getItem('doorstep-test-pushes') !== 'on';
  window.fetch = (u, o) => (window.doorstepBlockPush && String(u).includes('/canvass/push')
    ? Promise.reject(new TypeError('push blocked by the test')) : real(u, o));
}

async function openInNewTab(context, page, link) {
  await page.close({ runBeforeUnload: true });
  const next = await context.newPage();
  await next.goto(url(link));
  return next;
}

test('a second link: the dialog names the stored turf and its unsent record; Keep both; each record once under its own link; the switcher goes back', async () => {
  const { seeded, browser } = suite;
  const [a, b] = [links()[0], links()[1]];
  assert.notEqual(a.turf_id, b.turf_id);
  const context = await newPhone(browser, phones.small, 'Tess');
  let page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(url(a));
  await waitDoors(page);
  await page.evaluate(() => navigator.serviceWorker.ready);  // the offline tab below needs the worker
  await until(page, () => !location.hash.includes('t='));
  await recordDoors(page, 2);
  await until(page, () => window.doorstepStats.pending === 0, undefined, 30000);
  await page.waitForTimeout(1500);  // the checkpoint holding the acknowledgement (else a reload replays them)
  // From here pushes fail until the test lets them through (see blockPushes), offline or not.
  await page.evaluate(blockPushes);
  await context.addInitScript(blockPushes);
  await goOffline(context, page, true);
  await recordDoors(page, 1);
  assert.equal((await stats(page)).pending, 1);

  page = await openInNewTab(context, page, b);
  page.on('pageerror', (e) => errors.push(String(e)));
  const dialog = page.getByRole('dialog', { name: 'Another turf is on this phone' });
  await dialog.waitFor();
  await dialog.getByRole('note').filter({ hasText: new RegExp(`^${escape(a.turf)}: \\d+ doors left, 1 not yet sent$`) }).waitFor();
  await dialog.getByRole('button', { name: `Finish ${a.turf} first`, exact: true }).waitFor();
  assert.equal(await page.getByRole('tab').count(), 0, 'the mirror holds only the dialog');
  assert.equal(await page.getByRole('button', { name: 'Help', exact: true }).count(), 0);
  await page.waitForTimeout(200);
  await shot(page, 'secondlink', 'en');

  await dialog.getByRole('button', { name: 'Keep both', exact: true }).tap();
  await page.getByRole('note').filter({ hasText: "You're offline" }).waitFor();  // B's doors wait for the network
  // The network returns, but pushes still fail (as in server trouble): B's doors download, A's
  // record waits.
  await goOffline(context, page, false);
  await waitDoors(page);
  await page.getByRole('note').filter({ hasText: new RegExp(`^${escape(b.turf)}\\s+0/\\d+`) }).waitFor();
  await recordDoors(page, 1);
  await until(page, () => window.doorstepStats.pending === 1 && window.doorstepStats.pending_all === 2);
  const before = attempts(seeded.dir).filter((r) => r.canvasser === 'Tess').length;
  assert.equal(before, 2, 'only the two records sent before going offline');

  await page.evaluate(() => { window.doorstepBlockPush = false; sessionStorage.setItem('doorstep-test-pushes', 'on'); });
  // Both turfs' records go (the retry after the backoff, or Send now when the bar shows it).
  const sendNow = page.getByRole('button', { name: 'Send now', exact: true });
  if (await sendNow.isVisible()) await sendNow.tap();
  await until(page, () => window.doorstepStats.pending_all === 0, undefined, 90000);
  const mine = attempts(seeded.dir).filter((r) => r.canvasser === 'Tess');
  assert.equal(mine.length, 4, 'A\'s 3 and B\'s 1');
  assert.equal(new Set(mine.map((r) => r.attempt_id)).size, 4, 'each once');
  const [doorsA, doorsB] = [await turfDoors(a), await turfDoors(b)];
  assert.equal(mine.filter((r) => doorsA.has(r.door_id)).length, 3, 'A\'s records under A\'s link');
  assert.equal(mine.filter((r) => doorsB.has(r.door_id)).length, 1, 'B\'s record under B\'s link');

  // The switcher: both turfs in Settings, B on screen; a tap on A puts A back with its records.
  await tab(page, 'Settings');
  await page.getByRole('heading', { name: 'Turfs on this phone', exact: true }).waitFor();
  const radioA = page.getByRole('radio', { name: new RegExp(`^${escape(a.turf)}: `) });
  const radioB = page.getByRole('radio', { name: new RegExp(`^${escape(b.turf)}: `) });
  assert.equal(await radioB.getAttribute('aria-checked'), 'true');
  assert.equal(await radioA.getAttribute('aria-checked'), 'false');
  await page.waitForTimeout(200);
  await shot(page, 'switcher', 'en');
  await radioA.tap();
  await until(page, () => window.doorstepStats && window.doorstepStats.doors > 0 && !window.doorstepStats.switching, undefined, 30000);
  await page.getByRole('note').filter({ hasText: new RegExp(`^${escape(a.turf)}\\s+3/\\d+ done`) }).waitFor();
  assert.equal(await page.evaluate(() => location.hash), '');
  // The bare page resumes the turf used last.
  await page.reload();
  await waitDoors(page);
  await page.getByRole('note').filter({ hasText: new RegExp(`^${escape(a.turf)}\\s+3/\\d+ done`) }).waitFor();
  assert.equal(attempts(seeded.dir).filter((r) => r.canvasser === 'Tess').length, 4, 'and nothing sent twice');
  assert.deepEqual(errors, []);
  await context.close();
});

test('Finish first: refused while a record is unsent, then finished, then the new link loads', async () => {
  const { seeded, browser } = suite;
  const [c, d] = [links()[2 % links().length], links()[3 % links().length]];
  const context = await newPhone(browser, phones.small, 'Finn');
  let page = await context.newPage();
  await page.goto(url(c));
  await waitDoors(page);
  await page.evaluate(() => navigator.serviceWorker.ready);
  await until(page, () => !location.hash.includes('t='));
  await recordDoors(page, 1);
  await until(page, () => window.doorstepStats.pending === 0, undefined, 30000);
  await page.waitForTimeout(1500);  // the checkpoint holding the acknowledgement
  await goOffline(context, page, true);
  await recordDoors(page, 1);

  page = await openInNewTab(context, page, d);
  const dialog = page.getByRole('dialog', { name: 'Another turf is on this phone' });
  await dialog.waitFor();
  await dialog.getByRole('button', { name: `Finish ${c.turf} first`, exact: true }).tap();
  await page.getByRole('heading', { name: 'End of shift', exact: true }).waitFor();
  await page.getByRole('note').filter({ hasText: 'Once you finish, your new link opens.' }).waitFor();
  await scrollIntoView(page, 'finish');
  await page.getByRole('button', { name: 'Finish and remove from phone', exact: true }).tap();
  // 1 unsent, or 2 when the first tab's checkpoint of the first record's acknowledgement had not
  // run before the handover (a loaded machine): that record is then sent again, and the server
  // keeps it once (checked below).
  await page.getByRole('note').filter({ hasText: /Not finished: [12] records not yet sent/ }).waitFor();
  assert.ok((await stats(page)).doors > 0, 'nothing was wiped');

  await goOffline(context, page, false);
  await until(page, () => window.doorstepStats.pending === 0, undefined, 30000);
  await scrollIntoView(page, 'finish');
  await page.getByRole('button', { name: 'Finish and remove from phone', exact: true }).tap();
  await waitDoors(page);
  await page.getByRole('note').filter({ hasText: new RegExp(`^${escape(d.turf)}\\s+0/\\d+`) }).waitFor();
  const mine = attempts(seeded.dir).filter((r) => r.canvasser === 'Finn');
  assert.equal(mine.length, 2);
  const doorsC = await turfDoors(c);
  assert.ok(mine.every((r) => doorsC.has(r.door_id)));
  // One turf on the phone now: no switcher; the bare page resumes the new link's turf.
  await tab(page, 'Settings');
  assert.equal(await page.getByRole('heading', { name: 'Turfs on this phone', exact: true }).count(), 0);
  await page.waitForTimeout(800);  // the checkpoint holding the new link
  await page.reload();
  await waitDoors(page);
  await page.getByRole('note').filter({ hasText: new RegExp(`^${escape(d.turf)}\\s+0/\\d+`) }).waitFor();
  await context.close();
});

test('Spanish: the second-link dialog and the switcher', async () => {
  const { browser } = suite;
  const [e, f] = [links()[4 % links().length], links()[5 % links().length]];
  const context = await newPhone(browser, { ...phones.small, locale: 'es-ES' }, 'Luz');
  let page = await context.newPage();
  await page.goto(url(e));
  await waitDoors(page);
  if (await page.evaluate(() => document.documentElement.lang) !== 'es') {
    await tab(page, 'Settings');
    await page.getByRole('radio', { name: 'Español', exact: true }).tap();
    await until(page, () => document.documentElement.lang === 'es');
  }
  await until(page, () => !location.hash.includes('t='));
  page = await openInNewTab(context, page, f);
  const dialog = page.getByRole('dialog', { name: 'Hay otro territorio en este teléfono' });
  await dialog.waitFor();
  await dialog.getByRole('note').filter({ hasText: new RegExp(`^${escape(e.turf)}: quedan \\d+ puertas, 0 sin enviar$`) }).waitFor();
  await dialog.getByRole('button', { name: `Terminar ${e.turf} primero`, exact: true }).waitFor();
  await page.waitForTimeout(200);
  await shot(page, 'secondlink', 'es');
  await dialog.getByRole('button', { name: 'Guardar los dos', exact: true }).tap();
  await waitDoors(page);
  await tab(page, 'Ajustes');
  await page.getByRole('heading', { name: 'Territorios en este teléfono', exact: true }).waitFor();
  await page.getByRole('radio', { name: new RegExp(`^${escape(f.turf)}: `) }).waitFor();
  await page.waitForTimeout(200);
  await shot(page, 'switcher', 'es');
  await context.close();
});
