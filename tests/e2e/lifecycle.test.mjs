// Link lifecycle end to end (issue 10 item 2): a link is revoked while its phone has nothing
// waiting to send; at the phone's next contact (the package fetch on the next load) the server
// answers 401 with "wipe": true and the phone forgets its turf, also after a further reload.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { seedDemo, startServer, launchBrowser, cleanup, phones, until, newPhone } from './harness.mjs';

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

const api = (p) => new URL(p, server.url).href;

// The organizer's side over the real API: sign in with the one-time link, revoke the turf's link.
async function revoke(turfId) {
  const token = new URL(seeded.demo.admin_signin_url).hash.replace('#signin=', '');
  const signin = await fetch(api('/api/v1/auth/link'), {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ token }),
  });
  assert.equal(signin.status, 200);
  const cookie = signin.headers.get('set-cookie').split(';')[0];
  const { csrf_token: csrf } = await signin.json();
  const list = await fetch(api(`/api/v1/turfs/${turfId}/links`), { headers: { Cookie: cookie } });
  const { links } = await list.json();
  assert.equal(links.length, 1);
  const r = await fetch(api(`/api/v1/links/${links[0].id}/revoke`), {
    method: 'POST', headers: { Cookie: cookie, 'X-CSRF-Token': csrf, 'Content-Type': 'application/json', Origin: new URL(server.url).origin },
    body: '{}',
  });
  assert.equal(r.status, 200, await r.text());
}

test('a revoked link wipes a phone with nothing pending at its next contact', async () => {
  const context = await newPhone(browser, phones.small);
  const page = await context.newPage();
  const link = seeded.demo.links[2];
  await page.goto(server.url + '#t=' + link.token);
  await until(page, () => window.doorstepStats && window.doorstepStats.doors > 0 && window.doorstepStats.pending === 0);

  await revoke(link.turf_id);
  await page.reload();  // the next contact: the package fetch answers 401 revoked, "wipe": true
  await until(page, () => window.doorstepStats && !!window.doorstepStats.ended);
  assert.equal(await page.evaluate(() => window.doorstepStats.doors), 0);
  // Wiped for good: a further load shows no turf.
  await page.waitForTimeout(500);  // the wipe's checkpoint
  await page.reload();
  await page.waitForTimeout(2000);
  assert.equal(await page.evaluate(() => window.doorstepStats.doors || 0), 0, 'the turf is gone from the phone');
  await context.close();
});
