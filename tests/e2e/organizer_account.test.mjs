// The organizer's own password in the console, in headless Chromium against a real `doorstep serve`:
// signed in by the first-start link, the set-up screen sets a first password without asking for an
// old one; from then on it asks for the current password (a wrong one is refused and changes
// nothing), a change ends the account's other sessions (a second browser is signed out) and keeps
// this one, and the new password signs in. Leaves out members and campaigns (organizer_data).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { startServer, launchBrowser, cleanup, until, artifacts } from './harness.mjs';

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

