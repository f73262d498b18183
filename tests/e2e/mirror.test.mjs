// The accessible mirror in Chromium at 360x740 with touch: a door recorded through the mirror only
// (Playwright getByRole: list item, tab, button), its result readable by a screen-reader query
// (the status element), keyboard activation, a drag that starts on a mirror element still scrolls,
// and the mirror elements sit exactly over their controls.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useServerAndBrowser, phones, until, serverAttempts, swipe, newPhone } from './harness.mjs';

const suite = useServerAndBrowser();

test('a door recorded through the mirror only, by touch and by keyboard; the status says Saved on phone', async () => {
  const { seeded, server, browser } = suite;
  const context = await newPhone(browser, phones.small);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(server.url + '#t=' + seeded.demo.links[3 % seeded.demo.links.length].token);
  await until(page, () => window.doorstepStats && window.doorstepStats.doors > 0);
  const before = serverAttempts(seeded.dir).length;

  for (const name of ['Doors', 'Door', 'Script', 'Settings']) {
    assert.equal(await page.getByRole('tab', { name, exact: true }).count(), 1, `tab ${name}`);
  }
  assert.equal(await page.getByRole('tab', { name: 'Doors', exact: true }).getAttribute('aria-selected'), 'true');

  // The first door of the walk list, by a finger tap on its mirror element.
  const first = page.getByRole('listitem').first();
  const label = await first.textContent();
  const order = /^(\d+)\. /.exec(label)[1];
  await first.tap();
  await until(page, () => window.doorstepStats.selected >= 0);
  await until(page, () => document.querySelector('#mirror [role=tab][aria-selected=true]')?.textContent === 'Door');
  for (const name of ['Not home', 'Talked', 'Refused', 'Come back', 'Next door']) {
    assert.equal(await page.getByRole('button', { name, exact: true }).count(), 1, `button ${name}`);
  }
  // Each mirror element is exactly over its control (the rectangle the panel drew it in).
  const [mirrorBox, drawn] = await page.evaluate(() => {
    const b = [...document.querySelectorAll('#mirror button')].find((e) => e.textContent === 'Not home').getBoundingClientRect();
    return [[b.left, b.top, b.width, b.height], window.doorstepUi.not_home];
  });
  for (let i = 0; i < 4; ++i) assert.ok(Math.abs(mirrorBox[i] - drawn[i]) <= 1, `rect ${mirrorBox} over ${drawn}`);

  // Every control on screen is a finger-sized target.
  const small = await page.evaluate(() => [...document.querySelectorAll('#mirror > :not(.off):not(.cut)')]
    .filter((e) => !['heading', 'note'].includes(e.getAttribute('role')))
    .map((e) => [e.textContent, e.getBoundingClientRect()]).filter(([, r]) => r.width < 44 || r.height < 44)
    .map(([t, r]) => `${t}: ${r.width}x${r.height}`));
  assert.deepEqual(small, [], 'controls under 44x44 CSS px');
  await page.getByRole('button', { name: 'Not home', exact: true }).tap();
  await until(page, () => window.doorstepStats.recorded === 1);
  await until(page, () => /Saved on phone/.test(document.getElementById('status').textContent));
  const status = await page.getByRole('status').textContent();
  assert.match(status, new RegExp(`^Door ${order}: .* — Not home\\.`), 'a screen reader reads the door and its result');
  await until(page, () => window.doorstepStats.pending === 0, undefined, 20000);
  assert.equal(serverAttempts(seeded.dir).length, before + 1, 'one tap, one record on the server');

  // Keyboard: Next door by Enter on the focused button moves to another door, records nothing.
  const selected = await page.evaluate(() => window.doorstepStats.selected);
  await page.getByRole('button', { name: 'Next door', exact: true }).focus();
  await page.keyboard.press('Enter');
  await until(page, (s) => window.doorstepStats.selected !== s, selected);
  assert.equal(await page.evaluate(() => window.doorstepStats.recorded), 1);

  // Back to the list by keyboard, then a drag that starts on a list item scrolls, and selects nothing.
  await page.getByRole('tab', { name: 'Doors', exact: true }).focus();
  await page.keyboard.press('Enter');
  await until(page, () => document.querySelector('#mirror [role=tab][aria-selected=true]')?.textContent === 'Doors');
  const sel = await page.evaluate(() => window.doorstepStats.selected);
  // The first record asked for the location's one-line reason: answered, it no longer covers the list.
  if (await page.evaluate(() => !document.getElementById('geo-reason').hidden)) await page.getByRole('button', { name: 'Not now' }).tap();
  // A drag from the middle of the tallest door row on screen (the list is virtualised).
  const box = await page.evaluate(() => [...document.querySelectorAll('#mirror [role=listitem]:not(.off)')]
    .map((e) => e.getBoundingClientRect().toJSON()).sort((a, b) => b.height - a.height)[0]);
  // The list is virtualised: a row scrolled far enough out leaves the mirror; else it moved up.
  const where = () => page.evaluate(() => {
    const items = [...document.querySelectorAll('#mirror [role=listitem]')];
    return { label: items[0].textContent, top: items[0].getBoundingClientRect().top };
  });
  const y0 = await where();
  await swipe(page, box.x + box.width / 2, box.y + box.height / 2, box.y + box.height / 2 - 150);
  await page.waitForTimeout(300);
  const y1 = await page.evaluate((l) => {
    const el = [...document.querySelectorAll('#mirror [role=listitem]')].find((e) => e.textContent === l);
    return el ? el.getBoundingClientRect().top : -Infinity;
  }, y0.label);
  assert.ok(y1 < y0.top - 50, `the list scrolled (${y0.top} -> ${y1})`);
  assert.equal(await page.evaluate(() => window.doorstepStats.selected), sel, 'a drag selects no door');
  assert.deepEqual(errors, []);
  await context.close();
});

test('sandbox (#practice): a banner, records work on screen, and nothing reaches the server or the phone storage', async () => {
  const { seeded, server, browser } = suite;
  const context = await newPhone(browser, phones.small);
  const page = await context.newPage();
  const api = [];
  page.on('request', (r) => { if (new URL(r.url()).pathname.includes('/api/')) api.push(r.url()); });
  const before = serverAttempts(seeded.dir).length;
  await page.goto(server.url + '#practice');
  await until(page, () => window.doorstepStats && window.doorstepStats.doors === 3);
  await page.getByRole('heading', { name: 'Practice: nothing is saved or sent' }).waitFor();
  await page.getByRole('listitem').first().tap();
  await until(page, () => document.querySelector('#mirror [role=tab][aria-selected=true]')?.textContent === 'Door');
  await page.getByRole('button', { name: 'Not home', exact: true }).tap();
  await until(page, () => window.doorstepStats.recorded === 1);
  await until(page, () => /^Door 1: 100 Practice Way — Not home\. Practice/.test(document.getElementById('status').textContent));
  await context.setOffline(false);
  await page.evaluate(() => window.dispatchEvent(new Event('online')));
  await page.waitForTimeout(1500);
  assert.deepEqual(api, [], 'no API request at all');
  assert.equal(serverAttempts(seeded.dir).length, before, "the server's attempt count is unchanged");
  const stored = await page.evaluate(async () => ({
    dbs: (await indexedDB.databases()).map((d) => d.name),
    locks: navigator.locks ? (await navigator.locks.query()).held.map((l) => l.name) : [],
  }));
  assert.deepEqual(stored.dbs.filter((n) => n.startsWith('doorstep')), [], 'no IndexedDB database of ours');
  assert.deepEqual(stored.locks, [], 'no Web Lock held');
  await context.close();
});
