// The canvassers' Help written in the console and read on a phone, against a real `doorstep serve`
// on the demo campaign: the owner fills the organizer's phone, the meeting place and a question in
// English and Spanish on the Settings screen; a half-filled question is refused with a message and
// nothing saved; the link's package carries it; a phone at 360x740 shows it on its Help screen to a
// screen reader (getByRole). Leaves out the phone's Help layout itself (shift.test.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { useServerAndBrowser, until, artifacts, newPhone, phones } from './harness.mjs';

const suite = useServerAndBrowser();

test('help: written on the Settings screen, refused half-filled, carried by the package and shown on a phone', async () => {
  const { seeded, server, browser } = suite;
  const desk = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await desk.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(server.url + new URL(seeded.demo.admin_signin_url).hash);
  await until(page, () => !document.getElementById('console').hidden && !!document.querySelector('#campaign option'));
  await page.click('#tab-settings');
  await until(page, () => !!document.getElementById('help-form'));

  await page.fill('#help-organizer-name', 'Rosa');
  await page.fill('#help-organizer-phone', '+1 213 555 0199');
  await page.fill('#help-meeting-place', 'Lincoln Park <b>boathouse</b>');
  await page.fill('#help-shift-end', 'Sunday 4:00 pm');
  // Whatever the demo had, one new question in each language.
  for (const [lang, q, a] of [['en', 'Who pays for it?', 'We all do, through taxes instead of premiums.'],
    ['es', '¿Quién lo paga?', 'Todos, con impuestos en lugar de primas.']]) {
    await page.click(`.faq-add[data-lang="${lang}"]`);
    await page.locator(`.faq-list[data-lang="${lang}"] .faq-item:last-child .faq-q`).fill(q);
    await page.locator(`.faq-list[data-lang="${lang}"] .faq-item:last-child .faq-a`).fill(a);
  }
  // A question without its answer: a message beside the form, nothing sent.
  await page.click('.faq-add[data-lang="en"]');
  await page.locator('.faq-list[data-lang="en"] .faq-item:last-child .faq-q').fill('Half a question?');
  await page.click('#help-form button[type=submit]');
  assert.match(await page.textContent('#help-error'), /needs both the question and its answer/);
  const token = seeded.demo.links[0].token;
  const pkgHelp = async () => (await (await fetch(server.url + 'api/v1/canvass/package', { headers: { Authorization: 'Bearer ' + token } })).json()).campaign.help || {};
  assert.notEqual((await pkgHelp()).organizer_phone, '+1 213 555 0199', 'nothing saved');
  await page.click('.faq-list[data-lang="en"] .faq-item:last-child .faq-remove');
  await page.click('#help-form button[type=submit]');
  await until(page, () => /Saved/.test(document.getElementById('help-saved').textContent) || document.getElementById('help-error').textContent);
  assert.equal(await page.textContent('#help-error'), '');
  await page.screenshot({ path: path.join(artifacts, 'organizer-help.png') });

  const help = await pkgHelp();
  assert.equal(help.organizer_name, 'Rosa');
  assert.equal(help.organizer_phone, '+1 213 555 0199');
  assert.equal(help.meeting_place, 'Lincoln Park <b>boathouse</b>');
  assert.equal(help.shift_end, 'Sunday 4:00 pm');
  assert.deepEqual(help.faq.en.at(-1), { q: 'Who pays for it?', a: 'We all do, through taxes instead of premiums.' });
  assert.deepEqual(help.faq.es.at(-1), { q: '¿Quién lo paga?', a: 'Todos, con impuestos en lugar de primas.' });
  assert.ok(!help.faq.en.some((e) => e.q === 'Half a question?'));
  // The form shows what was saved when opened again; the audit log names the change.
  await page.click('#tab-dashboard');
  await page.click('#tab-settings');
  await until(page, () => document.getElementById('help-organizer-phone')?.value === '+1 213 555 0199');
  await until(page, () => /campaign\.help/.test(document.getElementById('audit-log').textContent));

  // A phone with the link: its Help screen reads what the organizer wrote, the markup as text.
  const phone = await newPhone(browser, phones.small);
  const p = await phone.newPage();
  await p.goto(server.url + '#t=' + token);
  await until(p, () => window.doorstepStats && window.doorstepStats.doors > 0);
  await p.getByRole('button', { name: 'Help', exact: true }).first().tap();
  await p.getByRole('heading', { name: 'Help', exact: true }).waitFor();
  assert.equal(await p.getByRole('button', { name: 'Call your organizer: Rosa · +1 213 555 0199', exact: true }).count(), 1);
  assert.equal(await p.getByRole('note').filter({ hasText: 'Lincoln Park <b>boathouse</b>' }).count(), 1);
  assert.equal(await p.getByRole('heading', { name: 'Who pays for it?', exact: true }).count(), 1);
  assert.equal(await p.evaluate(() => document.querySelectorAll('#mirror b').length), 0);
  await p.screenshot({ path: path.join(artifacts, 'phone-help-organizer-en.png') });
  assert.deepEqual(errors, []);
  await phone.close();
  await desk.close();
});
