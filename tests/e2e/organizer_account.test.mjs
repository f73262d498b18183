// The organizer's own password in the console, in headless Chromium against a real `doorstep serve`:
// signed in by the first-start link, the set-up screen sets a first password without asking for an
// old one; from then on it asks for the current password (a wrong one is refused and changes
// nothing), a change ends the account's other sessions (a second browser is signed out) and keeps
// this one, and the new password signs in. Also the Review screen on the demo campaign: a record
// a phone sent after its link was revoked is listed (its canvasser name, HTML, shown as text) and
// accepted, a forbidden one only discarded. Leaves out members and campaigns (organizer_data).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { randomBytes } from 'node:crypto';
import { seedDemo, startServer, launchBrowser, cleanup, until, artifacts } from './harness.mjs';

let dir, server, browser;
before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'doorstep-e2e-account-'));
  server = await startServer(dir);
  browser = await launchBrowser();
});
after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
  if (dir) cleanup(dir);
});

const status = () => document.getElementById('password-status').textContent;
const me = () => fetch('/api/v1/auth/me', { credentials: 'same-origin' }).then((r) => r.status);

async function signInWithPassword(page, password) {
  await page.goto(server.url + 'organizer.html');
  await until(page, () => document.getElementById('signin') && !document.getElementById('signin').hidden);
  await page.fill('#email', 'admin');
  await page.fill('#password', password);
  await page.click('#signin-form button');
  await until(page, () => !document.getElementById('console').hidden || document.getElementById('error').textContent);
  assert.equal(await page.textContent('#error'), '');
}

test('organizer: first password without an old one, then changes need the current password and end other sessions', async () => {
  let m = null;
  for (let i = 0; i < 200 && !(m = /first start: sign in as admin within 24 h: (\S+)/.exec(server.stdout())); i++) {
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.ok(m, 'the first start printed a sign-in link: ' + server.stdout());
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const sent = [];
  page.on('request', (r) => { if (r.url().endsWith('/api/v1/auth/password')) sent.push(JSON.parse(r.postData())); });

  await page.goto(server.url + new URL(m[1]).hash);
  await until(page, () => !document.getElementById('console').hidden && !document.getElementById('screen-setup').hidden);
  // Signed in by a one-time link: no password yet, so none is asked for.
  assert.equal(await page.isVisible('#old-password'), false);
  assert.equal(await page.textContent('#password-submit'), 'Set password');
  await page.fill('#new-password', 'first password here');
  await page.click('#password-submit');
  await until(page, () => /Password set/.test(document.getElementById('password-status').textContent));
  assert.deepEqual(sent.at(-1), { password: 'first password here' });
  // Now there is one: the form asks for it, labelled.
  assert.equal(await page.isVisible('#old-password'), true);
  assert.equal(await page.textContent('#password-submit'), 'Change password');
  assert.equal(await page.evaluate(() => document.getElementById('old-password').labels.length), 1);

  // A second browser signed in with that password.
  const other = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  await signInWithPassword(other, 'first password here');
  assert.equal(await other.evaluate(me), 200);

  // A wrong current password is refused and changes nothing.
  await page.fill('#old-password', 'not my password');
  await page.fill('#new-password', 'second password here');
  await page.click('#password-submit');
  await until(page, () => document.getElementById('error').textContent);
  assert.match(await page.evaluate(status), /current password is wrong/);
  assert.deepEqual(sent.at(-1), { password: 'second password here', old_password: 'not my password' });
  assert.equal(await other.evaluate(me), 200);

  // The right one: changed, this session kept, the other one ended.
  await page.fill('#old-password', 'first password here');
  await page.fill('#new-password', 'second password here');
  await page.click('#password-submit');
  await until(page, () => /Password changed/.test(document.getElementById('password-status').textContent));
  assert.equal(await page.textContent('#error'), '');
  assert.equal(await page.inputValue('#old-password'), '');
  assert.equal(await page.evaluate(me), 200);
  assert.equal(await other.evaluate(me), 401);
  await page.screenshot({ path: path.join(artifacts, 'organizer-account.png') });

  // The old password no longer signs in; the new one does.
  await page.click('#signout');
  await until(page, () => document.getElementById('signin') && !document.getElementById('signin').hidden);
  await page.fill('#email', 'admin');
  await page.fill('#password', 'first password here');
  await page.click('#signin-form button');
  await until(page, () => document.getElementById('error').textContent);
  assert.match(await page.textContent('#error'), /wrong email or password/);
  await signInWithPassword(other, 'second password here');
  assert.equal(await other.evaluate(me), 200);
  assert.deepEqual(errors, []);
});

// A UUIDv7 and the phone's HLC text for a mutation made at `ms`.
const uuid7 = (ms) => {
  const h = ms.toString(16).padStart(12, '0') + '7' + randomBytes(10).toString('hex').slice(0, 19);
  const v = h.slice(0, 16) + '89ab'[randomBytes(1)[0] & 3] + h.slice(17, 32);
  return `${v.slice(0, 8)}-${v.slice(8, 12)}-${v.slice(12, 16)}-${v.slice(16, 20)}-${v.slice(20, 32)}`;
};
const hlc = (ms) => ms.toString(16).padStart(12, '0') + '-0000-e2e0';

test('organizer: the Review screen lists kept records, escapes their names, accepts after_end and discards forbidden', async () => {
  const seeded = seedDemo();
  const demo = await startServer(seeded.dir);
  try {
    const link = seeded.demo.links[0];
    const auth = { Authorization: 'Bearer ' + link.token, 'Content-Type': 'application/json' };
    const pkg = await (await fetch(demo.url + 'api/v1/canvass/package', { headers: auth })).json();
    const doors = pkg.doors.map((d) => d.id);
    const client = randomBytes(16).toString('hex');
    const at = Date.now();
    const m = (seq, kind, payload) => ({ seq, id: uuid7(at + seq), kind, payload, hlc: hlc(at + seq), at: at + seq });
    const push = (mutations) => fetch(demo.url + 'api/v1/canvass/push', { method: 'POST', headers: auth,
      body: JSON.stringify({ v: 2, client_id: client, mutations }) }).then((r) => r.json());
    // 1 applied; 2 names a person of no turf of this link (forbidden).
    const first = await push([m(1, 'attempt.add', { door: doors[0], result: 'talked' }),
      m(2, 'person.set', { person: uuid7(at), set: { first_name: 'X' } })]);
    assert.equal(first.acked_through, 2);

    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await ctx.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('dialog', (d) => { errors.push('dialog: ' + d.message()); d.dismiss(); });
    await page.goto(demo.url + new URL(seeded.demo.admin_signin_url).hash);
    await until(page, () => !document.getElementById('console').hidden && document.querySelector('#campaign option'));
    // Revoke the link from the console's session, then the phone sends one more record.
    const revoked = await page.evaluate(async (turf) => {
      const { links } = await Console.api('GET', '/turfs/' + turf + '/links');
      await Console.api('POST', '/links/' + links[0].id + '/revoke', {});
      return links.length;
    }, link.turf_id);
    assert.ok(revoked >= 1);
    const late = await push([m(3, 'attempt.add', { door: doors[1], result: 'not_home', canvasser: '<img src=x onerror=alert(1)>Sam' })]);
    assert.equal(late.rejected[0].code, 'after_end');

    await page.click('#tab-review');
    await until(page, () => document.querySelectorAll('#review-table tbody tr').length === 2);
    const rows = await page.evaluate(() => [...document.querySelectorAll('#review-table tbody tr')].map((r) => ({
      who: r.querySelector('.review-who').textContent, why: r.querySelector('.review-why').textContent,
      accept: !r.querySelector('.review-accept').disabled, imgs: r.querySelectorAll('img').length })));
    const lateRow = rows.find((r) => /after its link ended/.test(r.why));
    const badRow = rows.find((r) => /outside/.test(r.why));
    assert.ok(lateRow && badRow, JSON.stringify(rows));
    assert.match(lateRow.who, /^<img src=x onerror=alert\(1\)>Sam \(Demo canvasser 1\)$/);  // text, not markup
    assert.equal(lateRow.imgs, 0);
    assert.equal(lateRow.accept, true);
    assert.equal(badRow.accept, false);
    await page.screenshot({ path: path.join(artifacts, 'organizer-review.png') });

    await page.click('#review-table tr:has(td.review-why:text("after its link ended")) .review-accept');
    await until(page, () => /Accepted/.test(document.getElementById('review-out').textContent) || document.getElementById('error').textContent);
    assert.equal(await page.textContent('#error'), '');
    await page.click('#review-table tr:has(td.review-why:text("outside")) .review-discard');
    await until(page, () => /Discarded/.test(document.getElementById('review-out').textContent) || document.getElementById('error').textContent);
    assert.equal(await page.textContent('#error'), '');
    const statuses = await page.evaluate(() => [...document.querySelectorAll('.review-status')].map((e) => e.textContent).sort());
    assert.deepEqual(statuses, ['accepted', 'discarded']);
    // Nothing pending any more; the accepted record is in the campaign's progress.
    await page.click('#tab-setup');
    await page.click('#tab-review');
    await until(page, () => document.getElementById('review-empty'));
    const progress = await page.evaluate((id) => Console.api('GET', '/campaigns/' + id + '/progress'), seeded.demo.campaign_id);
    assert.ok(progress.totals.attempts >= 2, JSON.stringify(progress.totals));
    assert.deepEqual(errors, []);
  } finally {
    await demo.stop();
    cleanup(seeded.dir);
  }
});
