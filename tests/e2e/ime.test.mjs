// Typing in place in Chromium at 360x740 with touch: a text field's mirror element is the real
// <input>/<textarea> over the ImGui field. A Korean IME composition (CDP Input.imeSetComposition,
// then Input.insertText) in the name dialog's field, where Enter while composing must not submit;
// a door's notes typed with fill, real key presses, Backspace, an inserted paste and a composition;
// the input measured against the ImGui field, and kept in view when the viewport shrinks (a soft
// keyboard). Both texts reach the server once, with no lost or doubled syllables. Leaves out real
// phones' soft keyboards (headless Chromium has none: the viewport shrinks instead).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useServerAndBrowser, phones, until, serverAttempts, scrollIntoView } from './harness.mjs';

const suite = useServerAndBrowser();

// One syllable as a Korean IME builds it: jamo by jamo under composition, then committed.
async function composeSyllable(cdp, steps) {
  for (const s of steps) await cdp.send('Input.imeSetComposition', { text: s, selectionStart: s.length, selectionEnd: s.length });
  await cdp.send('Input.insertText', { text: steps[steps.length - 1] });
}

// The focused element's accessible name and rectangle, the ImGui field's (window.doorstepUi) and
// the visual viewport.
const focusedField = () => {
  const a = document.activeElement;
  const vv = window.visualViewport;
  return { name: a && a.getAttribute('aria-label'), tag: a && a.tagName, rect: a && a.getBoundingClientRect().toJSON(),
    vv: { top: vv.offsetTop, bottom: vv.offsetTop + vv.height } };
};

test('typing in place: Korean IME in the name dialog and the notes, fill, keys, paste; the field stays in view above a shrunk viewport', async () => {
  const { seeded, server, browser } = suite;
  const context = await browser.newContext(phones.small);  // no name yet: the first-open dialog
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  const cdp = await context.newCDPSession(page);
  await page.goto(server.url + '#t=' + seeded.demo.links[5 % seeded.demo.links.length].token);
  await until(page, () => window.doorstepStats && window.doorstepStats.doors > 0);
  const before = serverAttempts(seeded.dir).length;
  assert.equal(await page.locator('#editor').count(), 0, 'no modal editor: fields are typed in place');

  // ---- The name dialog: "한글" composed syllable by syllable in the field itself; Enter in the
  // middle of a composition stays in the dialog.
  const dialog = page.getByRole('dialog', { name: "What's your first name?" });
  await dialog.waitFor();
  const name = dialog.getByRole('textbox', { name: 'Your name', exact: true });
  await name.tap();
  let f = await page.evaluate(focusedField);
  assert.equal(f.name, 'Your name', 'the tap gave the field the keyboard');
  assert.equal(f.tag, 'INPUT', 'a one-line field is an <input>');
  await composeSyllable(cdp, ['ㅎ', '하', '한']);
  for (const s of ['ㄱ', '그']) await cdp.send('Input.imeSetComposition', { text: s, selectionStart: s.length, selectionEnd: s.length });
  // A real Enter while the composition is open (Chromium marks its keydown isComposing).
  await page.evaluate(() => {
    window.composingEnter = [];
    document.activeElement.addEventListener('keydown', (e) => { if (e.key === 'Enter') window.composingEnter.push(e.isComposing); });
  });
  await page.keyboard.press('Enter');
  await page.waitForTimeout(300);
  assert.deepEqual(await page.evaluate(() => window.composingEnter), [true], 'the Enter came while composing');
  assert.equal(await page.evaluate(() => document.getElementById('mirror').getAttribute('role')), 'dialog', 'Enter while composing does not submit');
  await cdp.send('Input.imeSetComposition', { text: '글', selectionStart: 1, selectionEnd: 1 });
  await cdp.send('Input.insertText', { text: '글' });
  assert.equal(await name.inputValue(), '한글');
  await page.keyboard.press('Enter');  // composition over: Enter confirms the one-line field
  await until(page, () => !document.getElementById('mirror').dataset.dialog);
  await until(page, () => localStorage.getItem('doorstep-setting-canvasser') === '한글');

  // ---- A talk with notes: fill, real keys with a Backspace, a pasted phrase, then "좋아요".
  await page.getByRole('listitem').first().tap();
  await until(page, () => window.doorstepStats.selected >= 0);
  await page.getByRole('button', { name: 'Talked', exact: true }).tap();
  await scrollIntoView(page, 'notes');  // the notes sit just above Save, below the survey
  const notes = page.getByRole('textbox', { name: 'Notes', exact: true });
  await notes.tap();
  f = await page.evaluate(focusedField);
  assert.equal(f.name, 'Notes');
  assert.equal(f.tag, 'TEXTAREA', 'the notes are a <textarea>');
  // The input is exactly over the ImGui field, and a finger-sized target.
  const field = await page.evaluate(() => window.doorstepUi.notes);
  for (const [k, i] of [['x', 0], ['y', 1], ['width', 2], ['height', 3]])
    assert.ok(Math.abs(f.rect[k] - field[i]) <= 2, `input ${k} ${f.rect[k]} vs ImGui field ${field[i]}`);
  assert.ok(f.rect.height >= 44, `notes field ${f.rect.height} px high`);
  await notes.fill('Likes the plan. ');
  await page.keyboard.press('End');
  await page.keyboard.type('Callx');
  await page.keyboard.press('Backspace');
  await cdp.send('Input.insertText', { text: ' back. ' });  // a paste: one insertion, no composition
  await composeSyllable(cdp, ['ㅈ', '조', '좋']);
  await composeSyllable(cdp, ['ㅇ', '아']);
  await composeSyllable(cdp, ['ㅇ', '요']);
  const typed = 'Likes the plan. Call back. 좋아요';
  assert.equal(await notes.inputValue(), typed);

  // ---- The soft keyboard: the viewport shrinks to 400 px; the focused field stays in view.
  await page.setViewportSize({ width: 360, height: 400 });
  f = await until(page, () => {
    const a = document.activeElement;
    const r = a.getBoundingClientRect();
    const vv = window.visualViewport;
    const ui = window.doorstepUi.notes;
    return vv.height === 400 && a.getAttribute('aria-label') === 'Notes' && r.top >= vv.offsetTop && r.bottom <= vv.offsetTop + vv.height &&
      Math.abs(r.top - ui[1]) <= 2 && Math.abs(r.height - ui[3]) <= 2 && { top: r.top, bottom: r.bottom, vv: vv.height };
  });
  assert.ok(f.bottom <= 400, `notes at ${f.top}..${f.bottom} inside the 400 px viewport`);
  assert.equal(await notes.inputValue(), typed, 'nothing lost while the panel scrolled');
  await page.setViewportSize({ width: 360, height: 740 });
  await page.waitForTimeout(300);

  await scrollIntoView(page, 'save');
  await page.getByRole('button', { name: 'Save', exact: true }).tap();
  await until(page, () => window.doorstepStats.recorded === 1);
  await until(page, () => window.doorstepStats.pending === 0, undefined, 30000);

  const rows = serverAttempts(seeded.dir);
  assert.equal(rows.length, before + 1, 'one record on the server');
  const mine = rows.filter((r) => r.includes('좋아요'));
  assert.equal(mine.length, 1);
  assert.ok(mine[0].includes(typed), mine[0]);
  assert.ok(!mine[0].includes('좋좋') && !mine[0].includes('아아') && !mine[0].includes('요요'), 'no doubled syllables');
  assert.ok(mine[0].includes(',한글,'), `the canvasser's name as composed: ${mine[0]}`);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a one-line field keeps no line break; the search field filters the walk list as it is typed', async () => {
  const { seeded, server, browser } = suite;
  const context = await browser.newContext(phones.small);
  await context.addInitScript(() => localStorage.setItem('doorstep-setting-canvasser', 'Tess'));
  const page = await context.newPage();
  await page.goto(server.url + '#t=' + seeded.demo.links[4 % seeded.demo.links.length].token);
  await until(page, () => window.doorstepStats && window.doorstepStats.doors > 0);
  const all = await page.getByRole('listitem').count();
  const search = page.getByRole('textbox', { name: 'Search address or name', exact: true });
  await search.tap();
  // The first door's street number: fewer doors match it than the list holds.
  const first = (await page.getByRole('listitem').first().textContent()).replace(/^\d+\.\s*/, '');
  const number = first.split(' ')[0];
  await page.keyboard.type(number);
  await until(page, (n) => [...document.querySelectorAll('#mirror [role=listitem]')].every((e) => e.textContent.includes(n)), number);
  assert.ok(await page.getByRole('listitem').count() <= all);
  // A pasted line break never stays in a one-line field.
  await search.fill('');
  await cdp(page, 'Input.insertText', { text: 'a\nb' });
  assert.match(await search.inputValue(), /^a ?b$/);
  await search.fill('');
  await until(page, (n) => document.querySelectorAll('#mirror [role=listitem]').length === n, all);
  await context.close();
});

async function cdp(page, method, params) {
  const s = await page.context().newCDPSession(page);
  await s.send(method, params);
  await s.detach();
}
