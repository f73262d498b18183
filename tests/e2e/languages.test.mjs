// Languages on the phone: the canvasser switches the app to Spanish and to Korean with finger taps;
// the panel's words change (checked through the aria-live mirror), the Korean font is fetched only
// then, and a talk with a volunteer sign-up is recorded and sent. Screenshots land in build/e2e.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { seedDemo, startServer, launchBrowser, cleanup, phones, until, itemCentre, serverAttempts, artifacts, lonelyDoor, scrollIntoView, doorstep, newPhone } from './harness.mjs';

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

async function tap(page, key) {
  const c = await itemCentre(page, key);
  await page.touchscreen.tap(c.x, c.y);
}

test('Spanish and Korean by touch; the CJK font loads only when needed; a talk with a volunteer sign-up is sent', async () => {
  const context = await newPhone(browser, phones.small);
  const page = await context.newPage();
  const fonts = [];
  page.on('request', (r) => { if (r.url().includes('/fonts/')) fonts.push(new URL(r.url()).pathname); });
  await page.goto(server.url + '#t=' + seeded.demo.links[2].token);
  await until(page, () => window.doorstepStats && window.doorstepStats.doors > 0);
  assert.ok(!fonts.some((f) => f.includes('wqy')), 'no CJK font on an English start');

  const door = await lonelyDoor(page);
  await page.touchscreen.tap(door.x, door.y);
  await until(page, (i) => window.doorstepStats.selected === i, door.index);

  await tap(page, 'settings');
  await tap(page, 'lang_es');
  await until(page, () => document.documentElement.lang === 'es');
  await until(page, () => /^Puerta \d+: /.test(document.getElementById('status').textContent));
  await page.screenshot({ path: path.join(artifacts, 'lang-es.png') });

  await tap(page, 'lang_ko');
  await until(page, () => document.documentElement.lang === 'ko');
  await until(page, () => /^방문 \d+: /.test(document.getElementById('status').textContent));
  assert.ok(fonts.some((f) => f.includes('wqy-microhei')), 'the Korean/Chinese font was fetched on demand');
  await page.waitForTimeout(500);
  await page.screenshot({ path: path.join(artifacts, 'lang-ko.png') });

  // Back to the door: Talked, pick an answer on the 1-5 scale, save.
  const before = serverAttempts(seeded.dir).length;
  await tap(page, 'door');
  await page.waitForTimeout(200);
  await tap(page, 'talked');
  await page.waitForTimeout(200);
  await scrollIntoView(page, 'consent_volunteer');  // the survey is long: finger drags scroll
  await tap(page, 'consent_volunteer');
  await scrollIntoView(page, 'save');
  await tap(page, 'save');
  await until(page, () => window.doorstepStats.recorded === 1 && window.doorstepStats.signups === 1);
  await until(page, () => window.doorstepStats.pending === 0, undefined, 20000);
  const rows = serverAttempts(seeded.dir);
  assert.equal(rows.length, before + 1);
  assert.match(rows[rows.length - 1], /talked/i);
  const signups = execFileSync(doorstep, ['export', '--data', seeded.dir, '--format', 'signups'], { encoding: 'utf8' })
    .trim().split(/\r?\n/);
  assert.equal(signups.length, 2, 'one sign-up row under the header');
  await context.close();
});
