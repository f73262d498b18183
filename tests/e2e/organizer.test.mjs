// The organizer's console on a desktop browser against a real server: the one-time sign-in link,
// the campaign's turfs on the map, a new canvasser link made and used on a phone, and the record
// showing up in the live progress. Cutting again adds no overlapping turfs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { seedDemo, startServer, launchBrowser, cleanup, phones, until, itemCentre, artifacts, lonelyDoor, newPhone } from './harness.mjs';

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

test('organizer signs in with the one-time link, hands out a link, and sees the phone\'s record live', async () => {
  const desk = await newPhone(browser, { viewport: { width: 1280, height: 800 } });
  const page = await desk.newPage();
  const signin = new URL(seeded.demo.admin_signin_url);
  await page.goto(server.url + signin.hash);  // lands on the app, which sends it to the console
  await until(page, () => location.pathname.endsWith('organizer.html') && !document.getElementById('console').hidden);
  assert.equal(await page.evaluate(() => location.hash), '', 'the one-time token left the address bar');
  const turfs = seeded.demo.turfs.length;
  await until(page, (n) => document.querySelectorAll('#turfs tbody tr').length === n, turfs);
  await until(page, () => /1161 people · 688 doors/.test(document.getElementById('counts').textContent));

  // Cutting again covers only doors not in a turf: none here, so no new (overlapping) turfs. The
  // cut's report shows, then the list is drawn again (a slow machine takes its time for both).
  const drawn = await page.evaluate(() => Number(document.getElementById('turfs').dataset.drawn || 0));
  await page.click('#cut-form button');
  await until(page, (n) => (/^0 turfs cut/.test(document.getElementById('cut-report').textContent)
    && Number(document.getElementById('turfs').dataset.drawn || 0) > n) || document.getElementById('error').textContent, drawn, 30000);
  assert.equal(await page.textContent('#error'), '');
  assert.equal(await page.evaluate(() => document.querySelectorAll('#turfs tbody tr').length), turfs);

  await page.click('#turfs tbody tr:first-child button');
  await until(page, () => document.getElementById('new-link') && document.getElementById('new-link').value.includes('#t='));
  const url = await page.inputValue('#new-link');
  const token = /#t=([0-9a-f]{32})/.exec(url)[1];

  // The canvasser opens it on a phone and records a door.
  const phone = await newPhone(browser, phones.small);
  const p = await phone.newPage();
  await p.goto(server.url + '#t=' + token);
  await until(p, () => window.doorstepStats && window.doorstepStats.doors > 0);
  const door = await lonelyDoor(p);
  await p.touchscreen.tap(door.x, door.y);
  await until(p, (i) => window.doorstepStats.selected === i, door.index);
  const btn = await itemCentre(p, 'not_home');
  await p.touchscreen.tap(btn.x, btn.y);
  await until(p, () => window.doorstepStats.recorded === 1 && window.doorstepStats.pending === 0);

  // The console polls progress every 5 s.
  await until(page, () => /^1 attempts · 1 doors/.test(document.getElementById('totals').textContent), undefined, 15000);
  await page.screenshot({ path: path.join(artifacts, 'organizer.png') });
  await phone.close();
  await desk.close();
});
