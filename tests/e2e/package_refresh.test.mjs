// A package refresh end to end (issue 14 item 1): a phone has its link open, the organizer saves a
// new survey question through the API, the phone's next pull (after its next record) names another
// package version, the phone re-fetches the package in the background and shows the new question
// at the next door; the first door's record reaches the server once and nothing waits unsent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { useServerAndBrowser, phones, until, itemCentre, serverAttempts, artifacts, scrollIntoView, newPhone, tapItem } from './harness.mjs';

const suite = useServerAndBrowser();
const question = 'Will you vote early?';

const tap = tapItem;
const mirrorText = (page) => page.evaluate(() => document.getElementById('mirror').textContent);

// The organizer's side over the real API: sign in with the one-time link, add one question to the
// campaign's survey (the saved document plus it), answer the new version.
async function addQuestion(server, seeded) {
  const api = (p) => new URL(p, server.url).href;
  const token = new URL(seeded.demo.admin_signin_url).hash.replace('#signin=', '');
  const signin = await fetch(api('/api/v1/auth/link'), {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ token }),
  });
  assert.equal(signin.status, 200);
  const cookie = signin.headers.get('set-cookie').split(';')[0];
  const { csrf_token: csrf } = await signin.json();
  const route = api(`/api/v1/campaigns/${seeded.demo.campaign_id}/survey`);
  const doc = await (await fetch(route, { headers: { Cookie: cookie } })).json();
  const survey = [...doc.survey, { id: 'q_early', kind: 'yes_no', labels: { en: question }, choices: [] }];
  const r = await fetch(route, {
    method: 'POST',
    headers: { Cookie: cookie, 'X-CSRF-Token': csrf, 'Content-Type': 'application/json', Origin: new URL(server.url).origin },
    body: JSON.stringify({ base_version: doc.survey_version, script: doc.script, survey }),
  });
  const saved = await r.json();
  assert.equal(r.status, 200, JSON.stringify(saved));
  return saved.survey_version;
}

test('a new survey question reaches an open phone between doors; the first record reaches the server once', async () => {
  const { seeded, server, browser } = suite;
  const context = await newPhone(browser, phones.small);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e.stack || e).slice(0, 1500)));
  const link = seeded.demo.links[0];
  const pkgOf = async () => (await fetch(server.url + 'api/v1/canvass/package', { headers: { Authorization: 'Bearer ' + link.token } })).json();
  const first = await pkgOf();
  assert.match(first.package_version, /^[0-9a-f]{16}$/);
  assert.ok(!first.survey.some((q) => q.id === 'q_early'));
  await page.goto(server.url + '#t=' + link.token);
  await until(page, () => window.doorstepStats && window.doorstepStats.doors > 0 && window.doorstepStats.pending === 0);

  // The organizer saves a survey with one more question while the phone has its turf open.
  const version = await addQuestion(server, seeded);
  const second = await pkgOf();
  assert.equal(second.survey_version, version);
  assert.notEqual(second.package_version, first.package_version, 'a new survey is a new package version');

  // The first door: one tap records it and moves on; the push's answer is followed by a pull.
  const before = serverAttempts(seeded.dir).length;
  await tap(page, 'go_next');
  await until(page, () => window.doorstepStats.selected >= 0);
  await until(page, () => document.querySelector('#mirror [role=tab][aria-selected=true]')?.textContent === 'Door');
  await page.waitForTimeout(150);
  const firstDoor = await page.evaluate(() => window.doorstepStats.selected);
  // Mid-entry at the first door the phone still has the package it opened with.
  await scrollIntoView(page, 'talked');
  await tap(page, 'talked');
  await itemCentre(page, 'save');  // the survey is open
  await page.waitForTimeout(200);
  assert.ok(!(await mirrorText(page)).includes(question), 'no new question before the next pull');
  await scrollIntoView(page, 'not_home');
  await tap(page, 'not_home');
  await until(page, () => window.doorstepStats.recorded === 1);
  await until(page, (s) => window.doorstepStats.selected !== s, firstDoor);
  if (await page.locator('#geo-reason').isVisible()) await page.locator('#geo-no').tap();
  const nextDoor = await page.evaluate(() => window.doorstepStats.selected);

  // The pull names the new version; the phone fetches the package and switches (no door is mid-entry).
  await until(page, () => window.doorstepStats.package_refreshed === 1, undefined, 20000);
  assert.equal(await page.evaluate(() => window.doorstepStats.selected), nextDoor, 'the selected door stays selected');
  await until(page, () => window.doorstepStats.pending === 0, undefined, 20000);

  // The next door: "Talked" opens the survey, which now asks the new question.
  await page.waitForTimeout(200);
  await scrollIntoView(page, 'talked');
  await tap(page, 'talked');
  await until(page, (q) => document.getElementById('mirror').textContent.includes(q), question);
  await page.screenshot({ path: path.join(artifacts, 'phone-package-refresh.png') });

  // The first door's record is on the server once, also after more syncing.
  const rows = serverAttempts(seeded.dir);
  assert.equal(rows.length, before + 1, 'one record on the server');
  assert.match(rows[rows.length - 1], /not_home/i);
  await page.evaluate(() => new Promise((r) => setTimeout(r, 1500)));
  assert.equal(serverAttempts(seeded.dir).length, before + 1, 'still once');
  assert.ok(!(await mirrorText(page)).includes('Loading'), 'the turf stayed on screen');
  assert.deepEqual(errors, []);
  await context.close();
});
