// Sync you can see and the end of the shift (issue 15 items 6 and 7), in Chromium at 360x740 with
// touch, driven through the accessible mirror (getByRole) against a real server: 12 doors across
// going offline and an offline reload, each reaching the server once with the canvasser's name; a
// browser killed (SIGKILL) right after a door showed saved; a second tab taking over when the first
// closes; "finish" refused while a record is unsent, then wiping the phone. Screenshots of the sync
// bar and the summary in English and Spanish land in build/e2e/phone-<screen>-<lang>.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { useServerAndBrowser, phones, until, artifacts, newPhone, cleanup, scrollIntoView, goOffline, exportedAttempts, recordDoors, dismissGeo } from './harness.mjs';

const require = createRequire(import.meta.url);
const suite = useServerAndBrowser();
const link = (i) => suite.server.url + '#t=' + suite.seeded.demo.links[i % suite.seeded.demo.links.length].token;
const shot = (page, screen, lang) => page.screenshot({ path: path.join(artifacts, `phone-${screen}-${lang}.png`) });
const stats = (page) => page.evaluate(() => ({ ...window.doorstepStats }));

const attempts = exportedAttempts;

async function tab(page, name) {
  await page.getByRole('tab', { name, exact: true }).tap();
  await until(page, (n) => document.querySelector('#mirror [role=tab][aria-selected=true]')?.textContent === n, name);
  await page.waitForTimeout(150);
}

// Opens a page and waits for the walk list (the start-up draws it in deferred tasks).
async function open(page, url) {
  await page.goto(url);
  await until(page, () => window.doorstepStats && window.doorstepStats.doors > 0);
  await page.getByRole('listitem').first().waitFor();
}


test('12 doors across offline and an offline reload: all kept, then each on the server once with the name', async () => {
  const { seeded, browser } = suite;
  const context = await newPhone(browser, phones.small, 'Rosa');
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await open(page, link(0));
  await page.evaluate(() => navigator.serviceWorker.ready);  // the reload offline needs the worker
  await page.reload();
  await until(page, () => navigator.serviceWorker.controller && window.doorstepStats && window.doorstepStats.doors > 0);
  await page.getByRole('listitem').first().waitFor();
  const before = new Set(attempts(seeded.dir).map((a) => a.attempt_id));

  await recordDoors(page, 8);
  await until(page, () => window.doorstepStats.pending === 0, undefined, 30000);
  await page.getByRole('note').filter({ hasText: 'All sent' }).waitFor();
  await page.getByRole('note').filter({ hasText: /^✓ All sent · Last sent \d\d:\d\d$/ }).waitFor();
  const afterEight = attempts(seeded.dir).length;
  assert.equal(afterEight, before.size + 8);

  await goOffline(context, page, true);
  await recordDoors(page, 4);
  assert.equal((await stats(page)).pending, 4);
  // The sync bar: the count and why, with Send now (which cannot send offline).
  await page.getByRole('note').filter({ hasText: '4 not yet sent — Offline' }).waitFor();
  // Undo shows for 10 s after the last record; then Send now (which cannot send offline).
  await page.getByRole('button', { name: 'Send now', exact: true }).tap({ timeout: 20000 });
  await page.waitForTimeout(300);
  assert.equal((await stats(page)).pending, 4);
  await shot(page, 'syncbar', 'en');

  await page.reload();  // offline: the worker serves the page, IndexedDB the records
  // At least the 4 unsent; up to 12 when the reload came before the checkpoint that held the
  // first 8's acknowledgement (their outbox entries are replayed; the server applies each once).
  await until(page, () => window.doorstepStats && window.doorstepStats.doors > 0 && window.doorstepStats.pending >= 4);
  const pending = (await stats(page)).pending;
  assert.ok(pending <= 12, `pending ${pending}`);
  await page.getByRole('note').filter({ hasText: `${pending} not yet sent` }).waitFor();
  await page.getByRole('note').filter({ hasText: /12\/\d+ done/ }).waitFor();  // all 12 doors still recorded
  assert.equal(attempts(seeded.dir).length, afterEight, 'nothing reached the server while offline');

  await goOffline(context, page, false);
  await until(page, () => window.doorstepStats.pending === 0, undefined, 30000);
  const fresh = attempts(seeded.dir).filter((a) => !before.has(a.attempt_id));
  assert.equal(fresh.length, 12, 'exactly 12 new attempts');
  assert.equal(new Set(fresh.map((a) => a.attempt_id)).size, 12, 'each once');
  assert.equal(new Set(fresh.map((a) => a.door_id)).size, 12, 'at 12 different doors');
  assert.ok(fresh.every((a) => a.canvasser === 'Rosa' && a.result === 'not_home'), 'each with the canvasser\'s name');
  assert.deepEqual(errors, []);
  await context.close();
});

test('the first download fails: a clear offline message and Try again, retried by itself until the doors load', async () => {
  const { browser } = suite;
  const context = await newPhone(browser, phones.small, 'Sam');
  const page = await context.newPage();
  let failing = true, tries = 0;
  await page.route('**/api/v1/canvass/package', (route) => {
    ++tries;
    return failing ? route.abort('internetdisconnected') : route.continue();
  });
  await page.goto(link(4));
  await page.getByRole('note').filter({ hasText: "You're offline. Your doors download as soon as you're back online." }).waitFor();
  await page.getByRole('button', { name: 'Try again', exact: true }).waitFor();
  assert.ok(!/Loading your doors/.test(await page.textContent('#status')));
  await shot(page, 'loadfail', 'en');
  const first = tries;
  await page.getByRole('button', { name: 'Try again', exact: true }).tap();
  for (let k = 0; k < 100 && tries === first; ++k) await page.waitForTimeout(50);
  assert.ok(tries > first, 'Try again asks at once');
  failing = false;
  await until(page, () => window.doorstepStats.doors > 0, undefined, 30000);  // the next retry (backoff) loads it
  assert.ok(tries >= 2);
  await context.close();
});

test('the browser killed (SIGKILL) right after a door showed saved: the record is there after a relaunch and reaches the server once', async () => {
  const { seeded, server } = suite;
  const { chromium } = require('playwright-core');
  const profile = mkdtempSync(path.join(tmpdir(), 'doorstep-kill-'));
  const launch = async () => {
    const ctx = await chromium.launchPersistentContext(profile, {
      executablePath: process.env.CHROMIUM || '/usr/bin/chromium', ...phones.small,
      args: ['--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update',
        '--disable-sync', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--ignore-gpu-blocklist'],
    });
    await ctx.addInitScript(() => { try { if (!localStorage.getItem('doorstep-setting-canvasser')) localStorage.setItem('doorstep-setting-canvasser', 'Kim'); } catch (e) { /* */ } });
    return ctx;
  };
  try {
    let context = await launch();
    let page = context.pages()[0] || await context.newPage();
    await open(page, link(1));
    await until(page, () => !location.hash.includes('t='));  // the token is stored
    const before = attempts(seeded.dir).length;
    await goOffline(context, page, true);  // so that only the phone holds it when it dies
    await recordDoors(page, 1);
    const door = await page.evaluate(() => window.doorstepStats.selected);
    // The browser process of this profile (not its helpers), by its --user-data-dir.
    const ps = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' }).split('\n')
      .filter((l) => l.includes(`--user-data-dir=${profile}`) && !l.includes('--type='));
    assert.equal(ps.length, 1, ps.join('\n'));
    const pid = Number(ps[0].trim().split(/\s+/)[0]);
    process.kill(pid, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 500));
    await context.close().catch(() => {});
    assert.equal(attempts(seeded.dir).length, before, 'it had not been sent');

    context = await launch();
    page = context.pages()[0] || await context.newPage();
    await page.goto(server.url);  // the bare page resumes the stored turf
    await until(page, () => window.doorstepStats && window.doorstepStats.doors > 0);
    await until(page, () => window.doorstepStats.pending === 0, undefined, 30000);
    const rows = attempts(seeded.dir);
    assert.equal(rows.length, before + 1, 'the record reached the server exactly once');
    assert.equal(rows[rows.length - 1].canvasser, 'Kim');
    assert.ok(door >= 0);
    await page.waitForTimeout(1500);
    assert.equal(attempts(seeded.dir).length, before + 1, 'and not again');
    await context.close();
  } finally {
    cleanup(profile);
  }
});

test('a second tab says the app is open in another tab, and takes over when the first one closes', async () => {
  const { seeded, browser, server } = suite;
  const context = await newPhone(browser, phones.small, 'Lee');
  const first = await context.newPage();
  await open(first, link(2));
  await until(first, () => !location.hash.includes('t='));
  await first.waitForTimeout(500);
  const second = await context.newPage();
  await second.goto(server.url);
  await second.getByRole('note').filter({ hasText: 'open in another tab' }).waitFor();
  assert.equal(await second.evaluate(() => window.doorstepStats.doors || 0), 0, 'the second tab does not load storage');
  await shot(second, 'othertab', 'en');
  await first.close({ runBeforeUnload: true });
  await until(second, () => window.doorstepStats.doors > 0, undefined, 20000);  // took over
  await second.getByRole('listitem').first().waitFor();
  const before = attempts(seeded.dir).length;
  await recordDoors(second, 1);
  await until(second, () => window.doorstepStats.pending === 0, undefined, 30000);
  assert.equal(attempts(seeded.dir).length, before + 1);
  await context.close();
});

test('finish is refused while a record is unsent, says so, then wipes the phone once all is sent', async () => {
  const { seeded, browser, server } = suite;
  const context = await newPhone(browser, phones.small, 'Ana');
  const page = await context.newPage();
  await open(page, link(3));
  await recordDoors(page, 1);
  await until(page, () => window.doorstepStats.pending === 0, undefined, 30000);
  await goOffline(context, page, true);
  await recordDoors(page, 1);
  await tab(page, 'Settings');
  await page.getByRole('button', { name: 'End of shift', exact: true }).tap();
  await page.getByRole('heading', { name: 'End of shift', exact: true }).waitFor();
  await page.getByRole('note').filter({ hasText: 'Doors knocked: 2' }).waitFor();
  await page.getByRole('note').filter({ hasText: '1 not yet sent' }).waitFor();  // the sync bar here too
  await scrollIntoView(page, 'finish');
  await page.getByRole('button', { name: 'Finish and remove from phone', exact: true }).tap();
  await page.getByRole('note').filter({ hasText: 'Not finished: 1 records not yet sent' }).waitFor();
  assert.ok((await stats(page)).doors > 0, 'nothing was wiped');
  assert.ok(!(await stats(page)).ended);
  await shot(page, 'summary', 'en');

  await goOffline(context, page, false);
  await until(page, () => window.doorstepStats.pending === 0, undefined, 30000);
  await scrollIntoView(page, 'finish');
  await page.getByRole('button', { name: 'Finish and remove from phone', exact: true }).tap();
  await page.getByRole('note').filter({ hasText: 'Shift finished' }).waitFor();
  assert.equal((await stats(page)).ended, 1);
  assert.equal((await stats(page)).doors, 0);
  await shot(page, 'finished', 'en');
  await page.waitForTimeout(800);  // the wipe's checkpoint
  await page.reload();
  await page.getByRole('note').filter({ hasText: 'Open the link your organizer sent you.' }).waitFor();
  assert.equal(await page.evaluate(() => window.doorstepStats.doors || 0), 0, 'the turf is gone from the phone');
  // The server kept both records.
  assert.ok(attempts(seeded.dir).filter((a) => a.canvasser === 'Ana').length >= 2);
  void server;
  await context.close();
});

test('Spanish: the sync bar and the summary', async () => {
  const { browser } = suite;
  const context = await newPhone(browser, { ...phones.small, locale: 'es-ES' }, 'Luz');
  const page = await context.newPage();
  await open(page, link(0));
  if (await page.evaluate(() => document.documentElement.lang) !== 'es') {
    await tab(page, 'Settings');
    await page.getByRole('radio', { name: 'Español', exact: true }).tap();
    await until(page, () => document.documentElement.lang === 'es');
    await tab(page, 'Puertas');
  }
  await page.getByRole('button', { name: 'Ir a la siguiente puerta', exact: true }).tap();
  await until(page, () => document.querySelector('#mirror [role=tab][aria-selected=true]')?.textContent === 'Puerta');
  await goOffline(context, page, true);
  await page.getByRole('button', { name: 'No está', exact: true }).tap();
  await until(page, () => window.doorstepStats.recorded === 1 && window.doorstepStats.unsaved === 0);
  await dismissGeo(page);
  await page.getByRole('note').filter({ hasText: '1 sin enviar — Sin conexión' }).waitFor();
  await page.getByRole('button', { name: 'Enviar ahora', exact: true }).waitFor();
  await page.waitForTimeout(200);
  await shot(page, 'syncbar', 'es');
  await tab(page, 'Ajustes');
  await page.getByRole('button', { name: 'Fin del turno', exact: true }).tap();
  await page.getByRole('heading', { name: 'Fin del turno', exact: true }).waitFor();
  await scrollIntoView(page, 'finish');
  await page.getByRole('button', { name: 'Terminar y borrar del teléfono', exact: true }).tap();
  await page.getByRole('note').filter({ hasText: 'No terminado: 1 registros sin enviar' }).waitFor();
  await page.waitForTimeout(200);
  await shot(page, 'summary', 'es');
  await goOffline(context, page, false);
  await until(page, () => window.doorstepStats.pending === 0, undefined, 30000);
  await context.close();
});

test('undo of the last record and a correction from the door\'s history, seen in the export', async () => {
  const { seeded, browser } = suite;
  const context = await newPhone(browser, phones.small, 'Uma');
  const page = await context.newPage();
  await open(page, link(5));
  const mine = () => attempts(seeded.dir).filter((a) => a.canvasser === 'Uma');
  await page.getByRole('button', { name: 'Go to next door', exact: true }).tap();
  await until(page, () => window.doorstepStats.selected >= 0);
  const doorA = await page.evaluate(() => window.doorstepStats.selected);
  const [, order, title] = /^Door (\d+): (.*?) — /.exec(await page.textContent('#status'));
  await page.getByRole('button', { name: 'Not home', exact: true }).tap();
  await until(page, () => window.doorstepStats.recorded === 1 && window.doorstepStats.unsaved === 0);
  await dismissGeo(page);
  await page.getByRole('button', { name: 'Undo', exact: true }).waitFor();
  await shot(page, 'undo', 'en');
  await page.getByRole('button', { name: 'Undo', exact: true }).tap();
  await until(page, () => window.doorstepStats.undone === 1);
  await until(page, (a) => window.doorstepStats.selected === a, doorA);  // back at the undone door
  await until(page, () => window.doorstepStats.pending === 0 && window.doorstepStats.unsaved === 0, undefined, 30000);
  assert.equal(mine().length, 0, 'the export drops the undone attempt');

  // Recorded again, then corrected from the door's history.
  await page.getByRole('button', { name: 'Not home', exact: true }).tap();
  await until(page, () => window.doorstepStats.recorded === 2 && window.doorstepStats.unsaved === 0);
  await until(page, (a) => window.doorstepStats.selected !== a, doorA);
  await until(page, () => window.doorstepStats.pending === 0, undefined, 30000);
  assert.deepEqual(mine().map((a) => a.result), ['not_home']);
  await tab(page, 'Doors');
  await page.getByRole('listitem').filter({ hasText: `${order}. ${title}` }).first().tap();
  await until(page, (a) => window.doorstepStats.selected === a, doorA);
  await scrollIntoView(page, 'correct');
  await page.getByRole('button', { name: 'Correct', exact: true }).first().tap();
  await page.getByRole('heading', { name: 'Correcting your record: Not home', exact: true }).waitFor();
  await page.waitForTimeout(200);
  await page.getByRole('button', { name: 'Refused', exact: true }).tap();  // the door opens at its top again
  await until(page, () => window.doorstepStats.amended === 1 && window.doorstepStats.unsaved === 0);
  await until(page, () => window.doorstepStats.pending === 0, undefined, 30000);
  const rows = mine();
  assert.equal(rows.length, 1, 'still one attempt');
  assert.equal(rows[0].result, 'refused', 'the export shows the corrected result');
  await context.close();
});
