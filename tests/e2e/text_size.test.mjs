// The largest text size on a 360x740 phone, in Spanish, by touch: the tabs go two by two, the
// result buttons whose words would not fit half a row get a row each, every control stays inside
// the screen and a finger tall, and a result tapped there is recorded and sent. Screenshots land
// in build/e2e (text-size-es-*.png).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { demoSuite, phones, until, serverAttempts, artifacts, scrollIntoView, newPhone, tapLonelyDoor, tapItem } from './harness.mjs';

const s = demoSuite(before, after);

const tap = tapItem;

const rect = (page, key) => page.evaluate((k) => window.doorstepUi[k], key);

test('Largest text in Spanish at 360x740: tabs two by two, long results one per row, all inside and a finger tall; a record by touch', async () => {
  const context = await newPhone(s.browser, phones.small);
  const page = await context.newPage();
  await page.goto(s.link(2));
  await until(page, () => window.doorstepStats && window.doorstepStats.doors > 0);
  await tapLonelyDoor(page);

  await tap(page, 'settings');
  await tap(page, 'lang_es');
  await until(page, () => document.documentElement.lang === 'es');
  await scrollIntoView(page, 'size_largest');
  await tap(page, 'size_largest');
  // The atlas at 23 px: the tab strip no longer fits one row.
  await until(page, () => window.doorstepUi.settings[1] > window.doorstepUi.doors[1] + 20);
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(artifacts, 'text-size-es-settings.png') });
  const tabs = page.getByRole('tab');
  assert.deepEqual(await tabs.allTextContents(), ['Puertas', 'Puerta', 'Guion', 'Ajustes']);
  assert.equal(await page.getByRole('tab', { name: 'Ajustes', exact: true }).getAttribute('aria-selected'), 'true');

  await tap(page, 'door');
  await until(page, () => document.querySelector('#mirror [role=tab][aria-selected=true]')?.textContent === 'Puerta');
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(artifacts, 'text-size-es-door.png') });
  const keys = ['doors', 'door', 'script', 'settings', 'not_home', 'talked', 'refused', 'come_back',
    'lit_drop', 'moved', 'inaccessible', 'wrong_address', 'deceased'];
  for (const k of keys) {
    const [x, , w, h] = await rect(page, k);
    assert.ok(x >= 0 && x + w <= 360.5, `${k} inside the screen: x ${x}, w ${w}`);
    assert.ok(h >= 44, `${k} a finger tall: ${h}`);
  }
  // "Dirección errónea" is wider than half a row at 23 px: it and its pair take a row each.
  const [wa, inacc] = [await rect(page, 'wrong_address'), await rect(page, 'inaccessible')];
  assert.ok(wa[1] > inacc[1], 'Wrong address under Inaccessible, not beside it');
  assert.ok(wa[2] > 300, 'the row is its own');

  const before = serverAttempts(s.seeded.dir).length;
  await scrollIntoView(page, 'wrong_address');
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(artifacts, 'text-size-es-results.png') });
  await tap(page, 'wrong_address');
  await until(page, () => window.doorstepStats.recorded === 1);
  await until(page, () => window.doorstepStats.pending === 0, undefined, 20000);
  const rows = serverAttempts(s.seeded.dir);
  assert.equal(rows.length, before + 1);
  assert.match(rows[rows.length - 1], /wrong_address/);
  await context.close();
});
