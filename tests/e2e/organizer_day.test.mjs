// The organizer's day at 1280x800 against a real server: the survey written in English and
// Spanish with a branch, links for three turfs with a QR code decoded (jsqr), that link opened on a
// phone that records 5 doors under a canvasser name, and the dashboard, per-canvasser row, roster,
// results map and VAN export showing them; sign-ups (pushed through the real sync API, since the
// phone has no text_me box yet) reach the follow-up queue and its export only with text_me.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { createRequire } from 'node:module';
import { seedDemo, startServer, launchBrowser, cleanup, phones, until, artifacts, scrollIntoView, newPhone, tapItem, tapLonelyDoor } from './harness.mjs';

const require = createRequire(import.meta.url);
const jsQR = require('jsqr');

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

const tap = tapItem;
const shot = (page, screen) => page.screenshot({ path: path.join(artifacts, `organizer-${screen}.png`) });
async function tab(page, name) {
  await page.click('#tab-' + name);
  await until(page, (n) => !document.querySelector(`section[data-screen="${n}"]`).hidden, name);
}

// One push through the real sync API as a phone would send it.
async function push(token, clientId, mutations) {
  const r = await fetch(server.url + 'api/v1/canvass/push', {
    method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: 'Bearer ' + token },
    body: JSON.stringify({ v: 1, client_id: clientId, mutations }),
  });
  const body = await r.json();
  assert.equal(r.status, 200, JSON.stringify(body));
  assert.equal(body.code, 'ok', JSON.stringify(body));
  return body;
}
const hlc = (ms, n) => ms.toString(16).padStart(12, '0') + '-' + n.toString(16).padStart(4, '0') + '-e2etest0';
const uuid = (ms, n) => {
  const h = ms.toString(16).padStart(12, '0');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-7000-8000-${n.toString(16).padStart(12, '0')}`;
};

test('survey, crew links with a QR code, a phone\'s doors on the dashboard, follow-up by consent', async () => {
  const desk = await newPhone(browser, { viewport: { width: 1280, height: 800 } });
  const page = await desk.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(server.url + new URL(seeded.demo.admin_signin_url).hash);
  await until(page, () => !document.getElementById('console').hidden && document.querySelectorAll('#turfs tbody tr').length > 0);
  await shot(page, 'turfs');

  // ---- Script and survey: a yes/no question in English and Spanish, a section shown after "yes".
  await tab(page, 'survey');
  await until(page, () => document.getElementById('survey-status'));
  const before = await page.evaluate(() => document.querySelectorAll('fieldset.question').length);
  await page.selectOption('#new-question-kind', 'yes_no');
  await page.click('#add-question');
  const qi = before;
  await page.fill(`input[data-q="${qi}"][data-lang="en"]`, 'Would you host a house meeting?');
  await page.fill(`input[data-q="${qi}"][data-lang="es"]`, '¿Organizaría una reunión en su casa?');
  await page.fill(`[aria-label="Question ${qi + 1} export column"]`, 'House meeting');
  const sBefore = await page.evaluate(() => document.querySelectorAll('fieldset.section').length);
  await page.click('#add-section');
  const si = sBefore;
  await page.fill(`input[data-s="${si}"][data-lang="en"]`, 'House meeting');
  await page.fill(`[aria-label="Section ${si + 1} text (en)"]`, 'Thank you, {resident}! {canvasser} will tell the {campaign} team.');
  await page.fill(`input[data-s="${si}"][data-lang="es"]`, 'Reunión en casa');
  await page.fill(`[aria-label="Section ${si + 1} text (es)"]`, '¡Gracias, {resident}! {canvasser} avisará al equipo.');
  const qid = await page.evaluate((i) => document.querySelectorAll('fieldset.question')[i].dataset.question, qi);
  await page.selectOption(`[data-s-branch="${si}"]`, qid);
  await page.fill(`[data-s-answer="${si}"]`, 'yes');
  await page.click('#survey-save');
  await until(page, () => /^Version 1/.test(document.getElementById('survey-status').textContent));
  assert.equal(await page.textContent('#error'), '');
  await shot(page, 'survey');

  // ---- Links for three turfs, expiring tonight 21:00; decode the first QR code.
  await tab(page, 'links');
  await until(page, () => document.querySelectorAll('input[name=link-turf]').length >= 3);
  const boxes = await page.$$('input[name=link-turf]');
  for (const [i, b] of boxes.slice(0, 3).entries()) {
    await b.check();
    const id = await b.getAttribute('value');
    await page.fill(`input[data-label-for="${id}"]`, ['Sam', 'Team B', 'Team C'][i]);
  }
  await page.selectOption('#links-expiry', 'tonight 21:00');
  await page.click('#links-form button');
  await until(page, () => document.querySelectorAll('.new-link').length === 3);
  const urls = await page.$$eval('.new-link .link-url', (xs) => xs.map((x) => x.value));
  const img = await page.evaluate(() => {
    const c = document.querySelector('.new-link canvas.qr');
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height);
    return { w: c.width, h: c.height, data: Array.from(d.data) };
  });
  const qr = jsQR(Uint8ClampedArray.from(img.data), img.w, img.h);
  assert.ok(qr, 'the QR code decodes');
  assert.equal(qr.data, urls[0]);
  const token = /#t=([0-9a-f]{32})$/.exec(qr.data)[1];
  await page.click('#links-copy');
  const csv = await page.inputValue('#links-csv');
  assert.equal(csv.trim().split('\n').length, 4, 'a header and three links');
  assert.match(csv, /^label,turf,url\nSam,/);
  await until(page, () => document.querySelectorAll('#links-all tbody tr').length >= 3);
  await page.evaluate(() => { window.doorstepNoPrint = true; });
  await page.click('#links-print');
  await until(page, () => document.querySelectorAll('#handouts .handout').length === 3);
  assert.ok(await page.evaluate(() => document.querySelector('#handouts .walk tbody tr') !== null));
  await shot(page, 'links');
  await page.emulateMedia({ media: 'print' });
  await shot(page, 'handout');
  await page.emulateMedia({ media: 'screen' });

  // ---- The phone opens the decoded link, takes a name, and records 5 doors.
  const phone = await newPhone(browser, phones.small);
  const p = await phone.newPage();
  await p.goto(qr.data.replace(/^http:\/\/[^/]+\//, server.url));
  await until(p, () => window.doorstepStats && window.doorstepStats.doors > 0);
  await tapLonelyDoor(p);
  await tap(p, 'settings');
  await tap(p, 'your_name');
  await p.getByRole('textbox', { name: 'Your name', exact: true }).fill('Sam Rivera');  // typed in place
  await until(p, () => localStorage.getItem('doorstep-setting-canvasser') === 'Sam Rivera');
  await tap(p, 'door');
  await p.waitForTimeout(200);
  // A talk at the first door (the survey opens; save records it), then one tap per door (each
  // record moves on to the next door).
  const quick = ['not_home', 'refused', 'come_back', 'not_home'];
  for (let k = 0; k < 5; ++k) {
    const sel = await p.evaluate(() => window.doorstepStats.selected);
    if (k === 0) {
      await tap(p, 'talked');
      await scrollIntoView(p, 'save');
      await tap(p, 'save');
    } else {
      await tap(p, quick[k - 1]);
    }
    await until(p, (n) => window.doorstepStats.recorded === n, k + 1).catch(async (e) => {
      await p.screenshot({ path: path.join(artifacts, 'organizer-phone-failed.png') });
      throw new Error(`door ${k + 1}: ${e.message}; stats ${JSON.stringify(await p.evaluate(() => window.doorstepStats))}`);
    });
    // Recording advances to the next door by itself (its results at the top of the screen).
    if (k < 4) await until(p, (s) => window.doorstepStats.selected !== s, sel);
    // The first record asks for the location's one-line reason, over the lower buttons: not now.
    if (await p.evaluate(() => !document.getElementById('geo-reason').hidden)) await p.tap('#geo-no');
  }
  await until(p, () => window.doorstepStats.pending === 0, undefined, 20000);
  await p.screenshot({ path: path.join(artifacts, 'organizer-phone.png') });

  // ---- A voter with a VAN ID at the second turf's first door (a VAN list upload), so the VAN
  // export has someone to report; then Lee's talk with them and two sign-ups through the sync API.
  const campaign = await page.evaluate(() => Console.state.campaign);
  const turf2 = await page.$$eval('input[name=link-turf]', (xs) => xs[1].value);
  const rep = await page.evaluate(async ([c, t]) => {
    const w = await Console.api('GET', '/turfs/' + t + '/walklist');
    const csv = 'VANID,FirstName,LastName,Address,City,State,Zip5\n' + `4242,Vera,Vantest,"${w.doors[0].address}",Venice,CA,90291\n`;
    return Console.api('POST', '/campaigns/' + c + '/universe?preset=van&replace=false&file_name=van.csv', undefined, csv);
  }, [campaign, turf2]);
  assert.equal(rep.people, 1, JSON.stringify(rep));
  const t2 = /#t=([0-9a-f]{32})$/.exec(urls[1])[1];
  const pkg = await (await fetch(server.url + 'api/v1/canvass/package', { headers: { Authorization: 'Bearer ' + t2 } })).json();
  const vera = pkg.people.find((x) => x.last_name === 'Vantest');
  assert.ok(vera, 'the VAN voter is in the turf');
  assert.equal(pkg.survey_version, 1, 'the package carries the saved survey version');
  assert.ok(pkg.survey.some((q) => q.id === qid && q.labels.es), 'the new question reaches phones in Spanish');
  const now = Date.now();
  const d0 = vera.door_id, d1 = pkg.doors.find((d) => d.id !== d0).id;
  const consents = (text) => ({ call_me: false, email_me: true, volunteer: false, join: false, text_me: text });
  await push(t2, 'e2e0000000000000000000000000000b', [
    { seq: 1, id: uuid(now, 1), kind: 'attempt.add', hlc: hlc(now, 1), at: now,
      payload: { door: d0, person: vera.id, result: 'talked', canvasser: 'Lee', survey_version: 1, answers: { [qid]: true } } },
    { seq: 2, id: uuid(now, 2), kind: 'signup.add', hlc: hlc(now, 2), at: now,
      payload: { door: d0, name: 'Tess Texter', phone: '310-555-0101', email: 'tess@example.org', consents: consents(true) } },
    { seq: 3, id: uuid(now, 3), kind: 'attempt.add', hlc: hlc(now, 3), at: now + 60000,
      payload: { door: d1, result: 'talked', canvasser: 'Lee', survey_version: 1 } },
    { seq: 4, id: uuid(now, 4), kind: 'signup.add', hlc: hlc(now, 4), at: now + 60000,
      payload: { door: d1, name: 'Noah Notext', phone: '310-555-0102', email: 'noah@example.org', consents: consents(false) } },
  ]);

  // ---- Dashboard: totals, Sam's row, the roster, the results map.
  await tab(page, 'dashboard');
  await until(page, () => /^7 doors knocked/.test((document.getElementById('dash-totals') || {}).textContent || ''), undefined, 15000);
  const sam = await page.$$eval('#dash-canvassers tbody tr', (rows) => rows.map((r) => [...r.cells].map((c) => c.textContent))
    .find((c) => c[1] === 'Sam Rivera'));
  assert.ok(sam, 'a row for the phone-given name');
  assert.equal(sam[0], 'Sam');
  assert.equal(sam[3], '5', 'doors');
  assert.equal(sam[5], '1', 'contacts: doors with a talk');
  const roster = await page.$$eval('#dash-roster tbody tr', (rows) => rows.map((r) => [...r.cells].map((c) => c.textContent)));
  const samRoster = roster.find((r) => r[0] === 'Sam');
  assert.ok(samRoster && samRoster[2] !== '—' && samRoster[4] !== '—', 'the roster shows Sam\'s link opened and recorded');
  await until(page, () => Console.state.resultsShown === 7);
  await shot(page, 'dashboard');

  // VAN export holds the phone's talks.
  const van = await page.evaluate(async (c) => (await fetch('/api/v1/campaigns/' + c + '/export/van')).text(), campaign);
  assert.match(van, /^4242,.*,Canvassed,.*,Yes\r?$/m, van);

  // ---- Follow-up: text_me queue and its export.
  await tab(page, 'followup');
  await until(page, () => document.querySelectorAll('#followup-queue tbody tr').length === 1);
  assert.match(await page.textContent('#followup-queue'), /Tess Texter/);
  assert.doesNotMatch(await page.textContent('#followup-queue'), /Noah/);
  await page.selectOption('#followup-queue select', 'texted');
  // The change is saved in the background; the export shows it once it landed.
  const exp = await until(page, async () => {
    const t = await (await fetch(document.querySelector('#followup-exports a').href)).text();
    return /texted/.test(t) && t;
  });
  assert.match(exp, /Tess Texter/);
  assert.doesNotMatch(exp, /Noah/);
  assert.match(exp, /texted/);
  await shot(page, 'followup');

  // The phones' offline map cap is a campaign setting the console saves.
  await tab(page, 'settings');
  await page.fill('#tile-cache-mb', '8');
  await page.click('#tile-cache-form button');
  await until(page, async () => {
    const { campaigns } = await Console.api('GET', '/campaigns');
    return campaigns.some((c) => c.tile_cache_mb === 8);
  });

  for (const s of ['paper', 'settings', 'progress', 'data']) { await tab(page, s); await page.waitForTimeout(300); await shot(page, s); }
  assert.deepEqual(errors, []);
  await phone.close();
  await desk.close();
});
