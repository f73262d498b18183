// Languages on the phone: the canvasser switches the app to Spanish and to Korean with finger taps;
// the panel's words change (checked through the aria-live mirror), the Korean font is fetched only
// then, and a talk with a volunteer sign-up is recorded and sent. The page's own words around the
// canvas (web/platform.js: banners, first screen, location sheet) and the practice turf
// (web/practice.json) come in every language of the app. Screenshots land in build/e2e.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { seedDemo, startServer, launchBrowser, cleanup, phones, until, serverAttempts, artifacts, scrollIntoView, doorstep, newPhone, root, tapLonelyDoor, tapItem } from './harness.mjs';

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

test('Spanish and Korean by touch; the CJK font loads only when needed; a talk with a volunteer sign-up is sent', async () => {
  const context = await newPhone(browser, phones.small);
  const page = await context.newPage();
  const fonts = [];
  page.on('request', (r) => { if (r.url().includes('/fonts/')) fonts.push(new URL(r.url()).pathname); });
  await page.goto(server.url + '#t=' + seeded.demo.links[2].token);
  await until(page, () => window.doorstepStats && window.doorstepStats.doors > 0);
  assert.ok(!fonts.some((f) => f.includes('wqy')), 'no CJK font on an English start');

  await tapLonelyDoor(page);

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

test('a Korean phone reads English words until the Korean font is in, then Korean (never "?" for every glyph)', async () => {
  const context = await newPhone(browser, { ...phones.small, locale: 'ko-KR' });
  let release;
  const held = new Promise((r) => { release = r; });
  await context.route('**/fonts/wqy-microhei.ttc', async (route) => { await held; await route.continue(); });
  const page = await context.newPage();
  await page.goto(server.url + '#t=' + seeded.demo.links[2].token);
  await until(page, () => document.documentElement.lang === 'ko' && window.doorstepStats && window.doorstepStats.doors > 0 && window.doorstepStats.font_loading);
  await until(page, () => document.querySelector('#mirror') && /Help/.test(document.getElementById('mirror').textContent));
  assert.doesNotMatch(await page.textContent('#mirror'), /도움말/, 'no Korean words before their glyphs');
  release();
  await until(page, () => !window.doorstepStats.font_loading);
  await until(page, () => /도움말/.test(document.getElementById('mirror').textContent));
  await context.close();
});

test('a phone set to Filipino (fil-PH) opens in Tagalog, the page\'s own words too', async () => {
  const context = await newPhone(browser, { ...phones.small, locale: 'fil-PH' });
  const page = await context.newPage();
  await page.goto(server.url + '#t=' + seeded.demo.links[2].token);
  await until(page, () => window.DoorstepPlatform && document.getElementById('geo-no').textContent === DoorstepPlatform.strings.not_now.tl);
  await until(page, () => document.documentElement.lang === 'tl' && window.doorstepStats && window.doorstepStats.doors > 0);
  await page.getByRole('tab', { name: 'Mga pinto', exact: true }).waitFor();
  await context.close();
});

// The app's languages, as the language menu lists them (wasm/i18n.cpp kLanguages).
const appLanguages = ['en', 'es', 'ko', 'zh-Hant', 'zh-Hans', 'hy', 'tl'];
const placeholders = (t) => (String(t).match(/%[-+ #0-9.]*[a-zA-Z%]|\{[A-Za-z_]\w*\}/g) || []).sort();

test('the practice turf has its script and survey in every language of the app', () => {
  const p = JSON.parse(readFileSync(path.join(root, 'web/practice.json'), 'utf8'));
  assert.deepEqual([...p.campaign.languages].sort(), [...appLanguages].sort());
  for (const l of appLanguages) {
    assert.ok(p.script[l] && p.script[l].length === p.script.en.length, `script in ${l}`);
    p.script[l].forEach((sec, i) => {
      assert.equal(sec.id, p.script.en[i].id, `script section ids in ${l}`);
      assert.ok(sec.title.trim() && sec.text.trim(), `script text in ${l}`);
    });
    for (const q of p.survey) assert.ok(q.labels[l] && q.labels[l].trim(), `survey ${q.id} in ${l}`);
  }
});

test('the page\'s own words: a Korean phone in an in-app browser gets the warning in Korean; the sheet follows the app to Armenian', async () => {
  const context = await newPhone(browser, {
    ...phones.small, locale: 'ko-KR',
    userAgent: 'Mozilla/5.0 (Linux; Android 13; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36 KAKAOTALK 10.4.5',
  });
  const page = await context.newPage();
  await page.goto(server.url + '#t=' + seeded.demo.links[2].token);
  await until(page, () => window.DoorstepPlatform && document.getElementById('inapp-warning'));

  // Every string of platform.js in every language, none empty, placeholders as in English.
  const strings = await page.evaluate(() => ({ langs: DoorstepPlatform.languages, table: DoorstepPlatform.strings }));
  assert.deepEqual([...strings.langs].sort(), [...appLanguages].sort());
  for (const [key, byLang] of Object.entries(strings.table)) {
    for (const l of appLanguages) {
      assert.ok(typeof byLang[l] === 'string' && byLang[l].trim(), `${key} in ${l}`);
      assert.deepEqual(placeholders(byLang[l]), placeholders(byLang.en), `${key} placeholders in ${l}`);
    }
  }

  const warning = page.locator('#inapp-warning');
  assert.equal(await warning.locator('p').textContent(), strings.table.inapp.ko);
  assert.equal(await warning.getAttribute('aria-label'), strings.table.inapp.ko.split('。')[0].split('.')[0]);
  await page.screenshot({ path: path.join(artifacts, 'lang-inapp-ko.png') });
  assert.equal(await page.textContent('#geo-no'), '나중에');
  assert.equal(await page.textContent('#fallback p'), strings.table.fallback.ko);
  await warning.getByRole('button', { name: '닫기' }).tap();
  await until(page, () => !document.getElementById('inapp-warning'));

  // The app opens in the phone's language, then the canvasser picks Armenian in Settings.
  await until(page, () => document.documentElement.lang === 'ko' && window.doorstepStats && window.doorstepStats.doors > 0);
  await tap(page, 'settings');
  await tap(page, 'lang_hy');
  await until(page, () => document.documentElement.lang === 'hy');
  assert.equal(await page.textContent('#geo-ok'), 'Շարունակել');
  assert.equal(await page.getAttribute('#map', 'aria-label'), strings.table.map.hy);
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(artifacts, 'lang-hy.png') });
  await context.close();
});
