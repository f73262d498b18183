// The organizer's first day on an empty server, in headless Chromium at 1280x800: sign in with the
// first-start link, create a campaign, set a password, sign out and in again, upload the Venice
// reference points, then a California-format voter file without coordinates generated here, change
// one column mapping in the browser (the C++ reader in the console's wasm module), watch the
// progress, read the report, see the doors on the map coloured by language; then open a canvasser
// link in the same browser and reach the console again (the phone's service worker leaves it
// alone). Every form field has a label and the page logs no error. Screens: build/e2e/organizer-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { startServer, launchBrowser, cleanup, until, artifacts, root } from './harness.mjs';

let dir, server, browser;
before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'doorstep-e2e-empty-'));
  server = await startServer(dir);
  browser = await launchBrowser();
});
after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
  if (dir) cleanup(dir);
});

// Every 3rd Venice address point as one or two voters, CA layout, tab-separated, no coordinates.
// HomeLanguage carries the languages; the standard Language column is blank, so the map shows
// languages only once the mapping is changed to HomeLanguage.
function voterFile(venice) {
  const langs = ['SPANISH', 'ENGLISH', 'KOREAN', 'ENGLISH', 'TAGALOG'];
  const lines = ['RegistrantID\tLastName\tFirstName\tAddressNumber\tStreetName\tStreetType\tUnitType\tUnitNumber\tCity\tState\tZip\tLanguage\tHomeLanguage\tPartyCode'];
  const rows = venice.trim().split(/\r?\n/).slice(1).map((l) => l.split(','));
  let n = 0;
  rows.forEach((c, i) => {
    if (i % 3 || !c[5] || !c[6]) return;
    n++;
    lines.push([`CA${n}`, 'VOTER', 'ANA', c[5], c[6], '', c[7] ? 'APT' : '', c[7], 'LOS ANGELES', 'CA', c[9], '',
      langs[n % langs.length], n % 4 ? 'DEM' : 'NPP'].join('\t'));
  });
  lines.push(['CA-X1', 'NOBODY', 'PAT', '99999', 'Imaginary', 'ST', '', '', 'LOS ANGELES', 'CA', '90291', '', 'ENGLISH', 'DEM'].join('\t'));
  return { text: lines.join('\n') + '\n', rows: n + 1 };
}

// Inputs, selects and textareas without an accessible name (label, aria-label, aria-labelledby).
const unlabelled = () => [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
  .filter((e) => !e.hidden && e.offsetParent !== null)
  .filter((e) => !(e.labels && e.labels.length) && !e.getAttribute('aria-label') && !e.getAttribute('aria-labelledby'))
  .map((e) => e.id || e.outerHTML.slice(0, 80));

test('organizer: empty server to a campaign\'s doors on the map, and the console survives a canvasser link', async () => {
  let m = null;
  for (let i = 0; i < 200 && !(m = /first start: sign in as admin within 24 h: (\S+)/.exec(server.stdout())); i++) {
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.ok(m, 'the first start printed a sign-in link: ' + server.stdout());
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await ctx.newPage();
  const errors = [];
  page.on('console', (msg) => { if (msg.type() === 'error') errors.push(msg.text()); });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('response', (r) => { if (r.status() >= 400) errors.push(`${r.status()} ${new URL(r.url()).pathname}`); });
  const shot = (name) => page.screenshot({ path: path.join(artifacts, `organizer-${name}.png`) });

  await page.goto(server.url + new URL(m[1]).hash);
  await until(page, () => location.pathname.endsWith('organizer.html') && !document.getElementById('console').hidden);
  // No campaign yet: the set-up screen opens by itself.
  await until(page, () => !document.getElementById('screen-setup').hidden && document.getElementById('new-tz').options.length > 0);
  assert.equal(await page.inputValue('#new-languages'), 'en, es');
  assert.equal(await page.inputValue('#new-tz'), 'America/Los_Angeles');
  assert.match(await page.textContent('#members'), /not offered by this server yet|Role/);
  await page.fill('#new-name', 'Venice <b>canvass</b>');
  await page.click('#create-form button');
  await until(page, () => document.querySelector('#campaign option') && document.querySelector('#campaign option').textContent.includes('<b>'));
  await page.fill('#new-password', 'a long enough password');
  await page.click('#password-form button');
  await until(page, () => /Password set/.test(document.getElementById('password-status').textContent));
  assert.deepEqual(await page.evaluate(unlabelled), []);
  await shot('setup');

  await page.click('#signout');
  await until(page, () => document.getElementById('signin') && !document.getElementById('signin').hidden);
  await page.fill('#email', 'admin');
  await page.fill('#password', 'a long enough password');
  await page.click('#signin-form button');
  await until(page, () => !document.getElementById('console').hidden && document.querySelector('#campaign option'));

  // Reference points, then the voter file.
  await page.click('#tab-data');
  const venicePath = path.join(root, 'tests/data/la/venice_addresses.csv');
  await page.setInputFiles('#points-file', venicePath);
  await page.click('#points-form button');
  await until(page, () => /reference points stored/.test(document.getElementById('points-status').textContent) || document.getElementById('error').textContent, undefined, 60000);
  assert.equal(await page.textContent('#error'), '');
  assert.match(await page.textContent('#points-status'), /^13\d{3} reference points stored/);

  const voters = voterFile(fs.readFileSync(venicePath, 'utf8'));
  const voterPath = path.join(dir, 'venice_voters.tsv');
  fs.writeFileSync(voterPath, voters.text);
  await page.setInputFiles('#file', voterPath);
  await until(page, () => document.getElementById('layout-summary'));
  assert.match(await page.textContent('#layout-summary'), /Layout: california \(detected california\) · tab-separated · utf-8 · 14 columns/);
  assert.equal(await page.inputValue('#map-language'), 'Language');
  assert.equal(await page.evaluate(() => document.querySelector('#preview tr:nth-of-type(2) td:nth-child(4)').textContent), '');
  await page.selectOption('#map-language', 'HomeLanguage');
  await until(page, () => document.querySelector('#preview tr:nth-of-type(2) td:nth-child(4)') &&
    document.querySelector('#preview tr:nth-of-type(2) td:nth-child(4)').textContent !== '');
  assert.equal(await page.inputValue('#map-language'), 'HomeLanguage');
  assert.deepEqual(await page.evaluate(unlabelled), []);
  await shot('data-mapping');

  const seen = { rows: new Set(), bytes: false };
  // Byte progress may show for less than a poll on a quiet machine: the page notes every change.
  await page.evaluate(() => {
    window.__bytesShown = false;
    const el = document.getElementById('universe-bytes');
    new MutationObserver(() => { if (el.textContent) window.__bytesShown = true; })
      .observe(el, { childList: true, characterData: true, subtree: true });
  });
  await page.click('#universe-go');
  const end = Date.now() + 90000;
  while (!(await page.evaluate(() => !!document.getElementById('report-summary')))) {
    const st = await page.evaluate(() => [document.getElementById('universe-bytes').textContent, document.getElementById('universe-rows').textContent]);
    if (st[0]) seen.bytes = true;
    if (st[1]) seen.rows.add(st[1]);
    assert.ok(Date.now() < end, 'the import report arrived');
    await new Promise((r) => setTimeout(r, 40));
  }
  const summary = await page.textContent('#report-summary');
  assert.match(summary, new RegExp(`^${voters.rows} rows · ${voters.rows} people · \\d+ doors · \\d+ placed`));
  const placed = Number(/· (\d+) placed/.exec(summary)[1]);
  const doors = Number(/· (\d+) doors/.exec(summary)[1]);
  assert.ok(placed > doors * 0.9, summary);
  assert.ok(seen.bytes || (await page.evaluate(() => window.__bytesShown)), 'the upload showed bytes sent');
  assert.match(await page.textContent('#unplaced'), /row \d+: no reference point for 99999 IMAGINARY ST/);
  assert.ok(await page.getAttribute('#report-download', 'href'));
  await shot('data');

  // The doors on the map, coloured by language: Spanish, Korean and Tagalog are in the legend.
  await page.click('#tab-doors');
  await until(page, () => Console.doorStats && Console.doorStats.count > 0);
  const stats = await page.evaluate(() => Console.doorStats);
  assert.equal(stats.attribute, 'language');
  assert.equal(stats.count, placed);
  const labels = stats.groups.map((g) => g.label);
  for (const l of ['es', 'ko', 'tl', 'en']) assert.ok(labels.includes(l), labels.join(','));
  assert.ok(await page.evaluate(() => Console.doorLayer.drawn > 0));
  // A legend box filters: untick Korean, fewer doors shown.
  const before = stats.visible;
  await page.getByLabel(/^ ?ko \(/).uncheck();
  await until(page, (b) => Console.doorStats.visible < b, before);
  await page.getByLabel(/^ ?ko \(/).check();
  await shot('doors');

  // Cut turf and hand out a link; open it here, then come back to the console.
  await page.click('#tab-turfs');
  await page.click('#cut-form button');
  await until(page, () => document.querySelectorAll('#turfs tbody tr').length > 0, undefined, 30000);
  await shot('turfs');
  await page.click('#tab-progress');
  await shot('progress');
  await page.click('#tab-turfs');
  await page.click('#turfs tbody tr:first-child button');
  await until(page, () => document.getElementById('new-link') && document.getElementById('new-link').value.includes('#t='));
  const link = await page.inputValue('#new-link');
  assert.deepEqual(errors, []);

  const phone = await ctx.newPage();
  await phone.goto(server.url + '#t=' + /#t=([0-9a-f]{32})/.exec(link)[1]);
  await until(phone, () => navigator.serviceWorker.controller && window.doorstepStats && window.doorstepStats.doors > 0, undefined, 30000);
  await phone.goto(server.url + 'organizer.html');
  await until(phone, () => document.getElementById('console') && !document.getElementById('console').hidden);
  assert.ok(await phone.evaluate(() => !!navigator.serviceWorker.controller), 'the worker controls the page and still let the console through');
  assert.equal(await phone.evaluate(() => document.title), 'Doorstep · organizer');
  await ctx.close();
});
