// The canvasser's shift screens in Chromium at 360x740 with touch: the first-open name dialog
// (Enter confirms) and a reload that keeps the name and the chosen language, the walk list's
// headers, three doors recorded by finger taps on the canvas (sent with the name), the Help
// screen, the install offers held until the first saved record, and practice mode from the bare
// page sending nothing (in English, Spanish, Korean, Armenian and Tagalog). Screenshots land in build/e2e/phone-<screen>-<lang>.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { useServerAndBrowser, phones, until, serverAttempts, artifacts, scrollIntoView, newPhone, recordDoors, tapItem } from './harness.mjs';

const suite = useServerAndBrowser();
const shot = (page, screen, lang) => page.screenshot({ path: path.join(artifacts, `phone-${screen}-${lang}.png`) });
async function tab(page, name) {
  await page.getByRole('tab', { name, exact: true }).tap();
  await until(page, (n) => document.querySelector('#mirror [role=tab][aria-selected=true]')?.textContent === n, name);
  await page.waitForTimeout(150);
}

test('name dialog, walk list headers, three doors by touch with the name, Help; a reload keeps name and language', async () => {
  const { seeded, server, browser } = suite;
  const context = await browser.newContext(phones.small);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e.stack || e).slice(0, 1500)));
  await page.goto(server.url + '#t=' + seeded.demo.links[0].token);
  await until(page, () => window.doorstepStats && window.doorstepStats.doors > 0);
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  assert.match(await dialog.textContent(), /What's your first name\?/);
  await page.getByRole('textbox').fill('Tess');
  await shot(page, 'name', 'en');
  await page.keyboard.press('Enter');  // Enter confirms
  await until(page, () => !document.getElementById('mirror').dataset.dialog);
  assert.equal(await page.evaluate(() => localStorage.getItem('doorstep-setting-canvasser')), 'Tess');

  // The walk list: doors under street headers (a heading before the first door in reading order).
  await page.waitForTimeout(200);
  const roles = await page.evaluate(() => [...document.querySelectorAll('#mirror > *')].map((e) => e.getAttribute('role') || e.tagName));
  const firstItem = roles.indexOf('listitem');
  assert.ok(firstItem > 0 && roles.slice(0, firstItem).includes('heading'), 'a street header comes before the first door');
  assert.equal(await page.getByRole('button', { name: 'Go to next door', exact: true }).count(), 1);
  await shot(page, 'doors', 'en');

  // Three doors by finger taps on the canvas: next door, then "Not home" advances each time.
  const before = serverAttempts(seeded.dir).length;
  await tapItem(page, 'go_next');
  await until(page, () => window.doorstepStats.selected >= 0);
  await until(page, () => document.querySelector('#mirror [role=tab][aria-selected=true]')?.textContent === 'Door');
  await shot(page, 'door', 'en');
  const seen = new Set();
  for (let k = 0; k < 3; ++k) {
    const sel = await page.evaluate(() => window.doorstepStats.selected);
    seen.add(sel);
    await page.waitForTimeout(150);
    await scrollIntoView(page, 'not_home');
    await tapItem(page, 'not_home');
    await until(page, (n) => window.doorstepStats.recorded === n, k + 1);
    await until(page, (s) => window.doorstepStats.selected !== s, sel);  // recording advances
    // The location reason sheet after the first record covers the lower buttons: answer it.
    if (await page.locator('#geo-reason').isVisible()) await page.locator('#geo-no').tap();
  }
  assert.equal(seen.size, 3, 'three different doors');
  await until(page, () => window.doorstepStats.pending === 0, undefined, 20000);
  const rows = serverAttempts(seeded.dir);
  assert.equal(rows.length, before + 3, 'three records on the server');
  assert.ok(rows.slice(-3).every((r) => /Tess/.test(r)), 'each record carries the canvasser\'s name');

  // The script names the canvasser; Settings; Help one tap away.
  await tab(page, 'Script');
  // The script opens in the door's resident's language; one tap switches it to English.
  const english = page.getByRole('radio', { name: 'English', exact: true });
  if (await english.count()) {
    await english.tap();
    await until(page, () => document.querySelector('#mirror [role=radio][aria-checked=true]')?.textContent === 'English');
  }
  assert.ok(await page.getByRole('note').filter({ hasText: "I'm Tess" }).count() >= 1, 'the script reads "I\'m Tess"');
  await shot(page, 'script', 'en');
  await tab(page, 'Settings');
  assert.equal(await page.getByRole('textbox', { name: 'Your name', exact: true }).inputValue(), 'Tess', 'the name, editable in Settings');
  await shot(page, 'settings', 'en');
  await page.getByRole('button', { name: 'Help', exact: true }).tap();
  await page.getByRole('heading', { name: 'Help', exact: true }).waitFor();
  // The campaign's Help from the package: organizer's phone, meeting place, the FAQ.
  assert.equal(await page.getByRole('button', { name: 'Call your organizer: Maria · +1 310 555 0142', exact: true }).count(), 1);
  assert.equal(await page.getByRole('note').filter({ hasText: 'Oakwood Recreation Center' }).count(), 1);
  assert.equal(await page.getByRole('heading', { name: 'Can I keep my doctor?', exact: true }).count(), 1);
  await shot(page, 'help', 'en');
  await page.getByRole('button', { name: 'Back', exact: true }).first().tap();
  await until(page, () => !!document.querySelector('#mirror [role=tab]'));

  // Spanish, chosen once: it survives a reload, and so does the name (no dialog again).
  await tab(page, 'Settings');
  await page.getByRole('radio', { name: 'Español', exact: true }).tap();
  await until(page, () => document.documentElement.lang === 'es');
  await page.reload();
  await until(page, () => window.doorstepStats && window.doorstepStats.doors > 0);
  await until(page, () => document.documentElement.lang === 'es');
  await page.getByRole('tab', { name: 'Puertas', exact: true }).waitFor();
  assert.ok(await page.evaluate(() => !document.getElementById('mirror').dataset.dialog), 'no name dialog after a reload');
  await page.waitForTimeout(200);
  await shot(page, 'doors', 'es');
  await page.getByRole('listitem').first().tap();
  await until(page, () => document.querySelector('#mirror [role=tab][aria-selected=true]')?.textContent === 'Puerta');
  await page.waitForTimeout(150);
  await shot(page, 'door', 'es');
  await tab(page, 'Guion');
  assert.ok(await page.getByRole('note').filter({ hasText: 'Tess' }).count() >= 1, 'the Spanish script names Tess too');
  await shot(page, 'script', 'es');
  await tab(page, 'Ajustes');
  await shot(page, 'settings', 'es');
  await page.getByRole('button', { name: 'Ayuda', exact: true }).tap();
  await page.getByRole('heading', { name: 'Ayuda', exact: true }).waitFor();
  await page.getByRole('heading', { name: '¿Puedo quedarme con mi médico?', exact: true }).waitFor();
  await shot(page, 'help', 'es');
  assert.deepEqual(errors, []);
  await context.close();
});

for (const [lang, locale, practiceButton, banner, notHome] of [
  ['en', 'en-US', 'Practice with made-up doors', 'Practice: nothing is saved or sent', 'Not home'],
  ['es', 'es-ES', 'Practicar con puertas inventadas', 'Práctica: nada se guarda ni se envía', 'No está'],
  ['ko', 'ko-KR', '가상의 집으로 연습하기', '연습: 아무것도 저장·전송되지 않습니다', '부재'],
  ['hy', 'hy-AM', 'Վարժվել հորինված դռներով', 'Վարժանք. ոչինչ չի պահվում և չի ուղարկվում', 'Տանը չէ'],
  ['tl', 'tl-PH', 'Magsanay sa mga kunwaring pinto', 'Pagsasanay: walang sine-save o ipinapadala', 'Wala sa bahay'],
]) {
  test(`practice from the bare page (${lang}): marked on every screen, and nothing reaches the server`, async () => {
    const { seeded, server, browser } = suite;
    const context = await browser.newContext({ ...phones.small, locale });
    const page = await context.newPage();
    const api = [];
    page.on('request', (r) => { if (new URL(r.url()).pathname.includes('/api/')) api.push(r.url()); });
    const before = serverAttempts(seeded.dir).length;
    await page.goto(server.url);  // the bare page, no turf stored on this phone
    await page.getByRole('button', { name: practiceButton, exact: true }).waitFor();
    await shot(page, 'start', lang);
    await page.getByRole('button', { name: practiceButton, exact: true }).tap();
    await until(page, () => location.hash === '#practice' && window.doorstepStats && window.doorstepStats.doors === 3);
    await page.getByRole('dialog').waitFor();  // practice asks the name too
    await shot(page, 'name', lang);
    await page.getByRole('textbox').fill('Tess');
    await page.keyboard.press('Enter');
    await until(page, () => !document.getElementById('mirror').dataset.dialog);
    await page.getByRole('heading', { name: banner }).waitFor();
    await page.getByRole('listitem').first().tap();
    await page.getByRole('button', { name: notHome, exact: true }).waitFor();
    await page.getByRole('heading', { name: banner }).waitFor();  // on the door screen too
    await shot(page, 'practice', lang);
    await page.getByRole('button', { name: notHome, exact: true }).tap();
    await until(page, () => window.doorstepStats.recorded === 1);
    await page.waitForTimeout(1000);
    assert.deepEqual(api, [], 'no API request at all');
    assert.equal(serverAttempts(seeded.dir).length, before, "the server's attempt count is unchanged");
    await context.close();
  });
}

test('a messaging app\'s built-in browser is warned, with the link to copy; storage persistence is asked', async () => {
  const { seeded, server, browser } = suite;
  const ua = 'Mozilla/5.0 (Linux; Android 13; Pixel 6) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/120.0 Mobile Safari/537.36 [FBAN/EMA;FBLC/en_US;FBAV/400.0.0]';
  const context = await browser.newContext({ ...phones.small, userAgent: ua });
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const page = await context.newPage();
  const link = server.url + '#t=' + seeded.demo.links[1].token;
  await page.goto(link);
  const warning = page.getByRole('region', { name: /built-in browser/ });
  await warning.waitFor();
  await page.getByRole('dialog').waitFor();  // the name dialog is still asked
  await page.getByRole('textbox').fill('Tess');
  await page.keyboard.press('Enter');
  await page.getByRole('button', { name: 'Copy link', exact: true }).tap();
  await page.getByRole('button', { name: 'Copied', exact: true }).waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), link, 'the link as it was opened');
  await until(page, () => window.doorstepStats && 'persisted' in window.doorstepStats);
  await context.close();
});

// A phone (options as newPhone takes them) on link 1 with its doors loaded.
async function openTurf(browser, server, seeded, options) {
  const context = await newPhone(browser, options);
  const page = await context.newPage();
  await page.goto(server.url + '#t=' + seeded.demo.links[1].token);
  await until(page, () => window.doorstepStats && window.doorstepStats.doors > 0 && window.DoorstepPlatform);
  return { context, page };
}

test('install offers wait for the first saved record: iOS Safari\'s home-screen hint, Android\'s install prompt', async () => {
  const { seeded, server, browser } = suite;
  const ios = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';
  let { context, page } = await openTurf(browser, server, seeded, { ...phones.small, userAgent: ios });
  await page.waitForTimeout(500);
  assert.equal(await page.locator('#install-hint').count(), 0, 'no hint over the loading page or the walk list');
  await recordDoors(page, 1);
  const hint = page.getByRole('region', { name: /Home Screen/ });
  await hint.waitFor();
  await hint.getByRole('button', { name: 'Close', exact: true }).tap();
  await until(page, () => !document.getElementById('install-hint'));
  await page.reload();
  await until(page, () => window.doorstepStats && window.doorstepStats.doors > 0);
  await recordDoors(page, 1);
  await page.waitForTimeout(300);
  assert.equal(await page.locator('#install-hint').count(), 0, 'dismissed stays dismissed');
  await context.close();

  // Android: the browser's prompt event (dispatched here as Chromium would) is held until a record.
  ({ context, page } = await openTurf(browser, server, seeded, phones.small));
  await page.evaluate(() => {
    window.__prompted = 0;
    const e = new Event('beforeinstallprompt', { cancelable: true });
    e.prompt = () => { window.__prompted += 1; return Promise.resolve(); };
    window.dispatchEvent(e);
  });
  await page.waitForTimeout(300);
  assert.equal(await page.locator('#install-hint').count(), 0, 'the prompt waits for the first record');
  await recordDoors(page, 1);
  const offer = page.getByRole('region', { name: /Install Doorstep/ });
  await offer.waitFor();
  await offer.getByRole('button', { name: 'Install', exact: true }).tap();
  await until(page, () => window.__prompted === 1 && !document.getElementById('install-hint'));
  await context.close();
});
