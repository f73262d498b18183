// Campaign members in the console, in headless Chromium against a real `doorstep serve` on the demo
// campaign: the owner adds a new email as viewer and gets a one-time sign-in link, shown once; that
// link signs a second browser in, which sees the dashboard but no exports (the server refuses them
// too); the owner changes the role and removes the member; a viewer leaves by themselves; an email
// holding HTML shows as text; the per-link push quota saves from Settings. Leaves out server
// accounts and passwords (organizer_account).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { useServerAndBrowser, until, artifacts } from './harness.mjs';

const suite = useServerAndBrowser();
let ownerCtx;

const desk = { viewport: { width: 1280, height: 800 } };
const errorText = () => document.getElementById('error').textContent;

// A page of a new browser context opened at `url`, or (no url) a new page of the owner's context,
// signed in once by the demo's one-time admin link.
async function open(url) {
  if (!url && !ownerCtx) {
    ownerCtx = await suite.browser.newContext(desk);
    const first = await ownerCtx.newPage();
    await first.goto(suite.server.url + new URL(suite.seeded.demo.admin_signin_url).hash);
    await until(first, () => !document.getElementById('console').hidden);
    await first.close();
  }
  const ctx = url ? await suite.browser.newContext(desk) : ownerCtx;
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('dialog', (d) => { errors.push('dialog: ' + d.message()); d.dismiss(); });
  await page.goto(url || suite.server.url + 'organizer.html');
  await until(page, () => !document.getElementById('console').hidden && !!document.querySelector('#campaign option'));
  return { ctx, page, errors };
}

const rowOf = (page, email) => page.evaluate((e) => {
  const tr = [...document.querySelectorAll('#member-list tbody tr')].find((r) => r.querySelector('.member-email')?.textContent === e);
  return tr ? { account: tr.dataset.account, role: tr.querySelector('select').value } : null;
}, email);

test('members: add a viewer by a one-time link, the viewer sees no exports, change the role, remove', async () => {
  const campaign = suite.seeded.demo.campaign_id;
  const owner = await open();
  const page = owner.page;
  await page.click('#tab-members');
  await until(page, () => !!document.getElementById('member-add-form'));
  assert.match(await page.textContent('#my-role'), /owner/);

  await page.fill('#member-email', 'lee@example.org');
  await page.selectOption('#member-role', 'viewer');
  await page.click('#member-add-form button');
  await until(page, () => !!document.getElementById('member-link') || document.getElementById('members-error').textContent);
  assert.equal(await page.textContent('#members-error'), '');
  const link = await page.inputValue('#member-link');
  assert.match(link, /#signin=[0-9a-f]{32}$/);
  assert.match(await page.textContent('#member-link-out'), /shown only once/);
  assert.match(await page.textContent('#member-link-out'), /no mail is sent/);
  assert.equal(await page.textContent('#member-link-copy'), 'Copy');
  const lee = await rowOf(page, 'lee@example.org');
  assert.equal(lee.role, 'viewer');
  // The demo campaign had no members: the admin adding someone became its owner.
  assert.ok(await page.evaluate(() => document.querySelector('#member-list tbody tr .member-email').textContent.length > 0));
  const roles = await page.evaluate(() => [...document.querySelectorAll('#member-list select')].map((s) => s.value).sort());
  assert.deepEqual(roles, ['owner', 'viewer']);
  await page.screenshot({ path: path.join(artifacts, 'organizer-members.png') });

  // The link signs a second browser in as the viewer (same server: its URL may name another host).
  const viewer = await open(suite.server.url + new URL(link).hash);
  const v = viewer.page;
  assert.equal(await v.textContent('#who'), 'lee@example.org');
  // Screens for organizers and owners are not offered; the dashboard is.
  const tabs = await v.evaluate(() => Object.fromEntries([...document.querySelectorAll('#screens [role=tab]')].map((t) => [t.id, !t.hidden])));
  assert.equal(tabs['tab-dashboard'], true);
  assert.equal(tabs['tab-links'], false);
  assert.equal(tabs['tab-data'], false);
  assert.equal(tabs['tab-settings'], false);
  assert.equal(tabs['tab-followup'], false);
  // The turfs list opens first: its routes, no cutting, drawing or links.
  await until(v, () => document.querySelectorAll('#turfs tbody tr').length > 0);
  assert.equal(await v.isVisible('#cut-form'), false);
  assert.equal(await v.isVisible('#draw-turf'), false);
  assert.deepEqual(await v.evaluate(() => [...document.querySelectorAll('#turfs tbody tr:first-child button')].map((b) => b.dataset.action)), ['route']);
  await v.click('#tab-dashboard');
  await until(v, () => !!(document.getElementById('dash-totals') && document.getElementById('dash-turfs')));
  assert.match(await v.textContent('#dash-totals'), /doors knocked/);
  await v.click('#tab-progress');
  assert.equal(await v.evaluate(() => document.querySelectorAll('#exports a').length), 0);
  assert.match(await v.textContent('#exports'), /organizers and owners/);
  await v.click('#tab-members');
  await until(v, () => !!document.getElementById('my-role'));
  assert.match(await v.textContent('#my-role'), /viewer/);
  assert.equal(await v.evaluate(() => document.getElementById('member-add-form')), null);
  // What the console hides the server refuses: exports, walk lists (names), members.
  const refused = await v.evaluate(async ({ id, turf }) => {
    const get = (p) => fetch('/api/v1' + p, { credentials: 'same-origin' }).then((r) => r.status);
    return [await get(`/campaigns/${id}/export/van`), await get(`/turfs/${turf}/walklist`), await get(`/campaigns/${id}/members`)];
  }, { id: campaign, turf: suite.seeded.demo.links[0].turf_id });
  assert.deepEqual(refused, [403, 403, 403]);
  assert.equal(await v.evaluate(errorText), '');

  // The owner makes Lee an organizer: the viewer's campaign list says so.
  const drawn = await page.evaluate(() => Number(document.getElementById('screen-members').dataset.listed || 0));
  await page.selectOption(`#role-${lee.account}`, 'organizer');
  await until(page, (n) => Number(document.getElementById('screen-members').dataset.listed || 0) > n, drawn);
  assert.equal((await rowOf(page, 'lee@example.org')).role, 'organizer');
  assert.equal(await page.inputValue('#member-link'), link);  // still shown after the change
  await until(v, async (id) => (await Console.api('GET', '/campaigns').then((r) => r.campaigns.find((c) => c.id === id).role)) === 'organizer', campaign);
  assert.equal(await page.textContent('#members-error'), '');

  // Removing asks first; cancel keeps the member, yes removes.
  await page.click(`tr[data-account="${lee.account}"] .member-remove`);
  await page.click(`tr[data-account="${lee.account}"] .member-cancel`);
  assert.ok(await rowOf(page, 'lee@example.org'));
  await page.click(`tr[data-account="${lee.account}"] .member-remove`);
  assert.match(await page.textContent(`tr[data-account="${lee.account}"] .member-actions`), /Remove lee@example.org\?/);
  const drawn2 = await page.evaluate(() => Number(document.getElementById('screen-members').dataset.listed || 0));
  await page.click(`tr[data-account="${lee.account}"] .member-confirm`);
  await until(page, (n) => Number(document.getElementById('screen-members').dataset.listed || 0) > n || document.getElementById('members-error').textContent, drawn2);
  assert.equal(await page.textContent('#members-error'), '');
  assert.equal(await rowOf(page, 'lee@example.org'), null);
  const gone = await v.evaluate((id) => fetch('/api/v1/campaigns/' + id, { credentials: 'same-origin' }).then((r) => r.status), campaign);
  assert.equal(gone, 403);
  // The only owner cannot leave or step down: the buttons say so before the server would (409).
  const self = await page.evaluate(() => { const b = document.querySelector('.member-leave'); return b && b.disabled; });
  assert.equal(self, true);

  assert.deepEqual(owner.errors, []);
  assert.deepEqual(viewer.errors, []);
  await viewer.ctx.close();
  await owner.page.close();
});

test('members: an email holding HTML shows as text; an API error shows next to the form', async () => {
  const owner = await open();
  const page = owner.page;
  const evil = '<img src=x onerror=window.__xss=1>@example.org';
  await page.click('#tab-members');
  await until(page, () => !!document.getElementById('member-add-form'));
  await page.fill('#member-email', evil);
  await page.selectOption('#member-role', 'viewer');
  await page.click('#member-add-form button');
  await until(page, () => !!document.getElementById('member-link') || document.getElementById('members-error').textContent);
  assert.equal(await page.textContent('#members-error'), '');
  assert.equal(await page.textContent('#member-link-out strong'), evil);
  const row = await rowOf(page, evil);
  assert.ok(row, 'the HTML email is listed as its text');
  assert.equal(row.role, 'viewer');
  assert.equal(await page.evaluate(() => document.querySelectorAll('#screen-members img').length), 0);
  assert.equal(await page.evaluate(() => window.__xss), undefined);
  // Adding again changes its role; the answer has no link for a known account.
  await page.fill('#member-email', evil);
  await page.selectOption('#member-role', 'organizer');
  await page.click('#member-add-form button');
  await until(page, () => !!document.getElementById('member-added') || document.getElementById('members-error').textContent);
  assert.equal(await page.textContent('#member-added'), `${evil} is now organizer.`);
  assert.equal(await page.evaluate(() => document.getElementById('member-link')), null);
  assert.equal((await rowOf(page, evil)).role, 'organizer');
  assert.equal(await page.evaluate(() => document.querySelectorAll('#screen-members img').length), 0);
  // An email the server refuses (no @, so no account is made): its message next to the form.
  await page.fill('#member-email', 'no-at-sign');
  await page.click('#member-add-form button');
  await until(page, () => document.getElementById('members-error').textContent);
  assert.match(await page.textContent('#members-error'), /email/);
  assert.equal(await rowOf(page, 'no-at-sign'), null);
  assert.equal(await page.evaluate(() => window.__xss), undefined);
  assert.deepEqual(owner.errors, []);
  await owner.page.close();
});

test('members: a viewer leaves the campaign by themselves, asked first; the owner\'s list follows', async () => {
  const campaign = suite.seeded.demo.campaign_id;
  const owner = await open();
  const page = owner.page;
  await page.click('#tab-members');
  await until(page, () => !!document.getElementById('member-add-form'));
  await page.fill('#member-email', 'sam@example.org');
  await page.selectOption('#member-role', 'viewer');
  await page.click('#member-add-form button');
  await until(page, () => !!document.getElementById('member-link') || document.getElementById('members-error').textContent);
  const link = await page.inputValue('#member-link');
  const viewer = await open(suite.server.url + new URL(link).hash);
  const v = viewer.page;
  await v.click('#tab-members');
  await until(v, () => !!document.querySelector('#member-leave-box .member-leave'));
  assert.match(await v.textContent('#my-role'), /viewer/);
  // Cancel keeps the membership; yes leaves, and the campaign is gone from the viewer's list.
  await v.click('#member-leave-box .member-leave');
  await v.click('#member-leave-box .member-cancel');
  assert.equal(await v.evaluate(async (id) => (await Console.api('GET', '/campaigns')).campaigns.some((c) => c.id === id), campaign), true);
  await v.click('#member-leave-box .member-leave');
  assert.match(await v.textContent('#member-leave-box'), /Leave this campaign\?/);
  await v.click('#member-leave-box .member-confirm');
  await until(v, (id) => ![...document.querySelectorAll('#campaign option')].some((o) => o.value === id), campaign);
  const status = await v.evaluate((id) => fetch('/api/v1/campaigns/' + id, { credentials: 'same-origin' }).then((r) => r.status), campaign);
  assert.equal(status, 403);
  // The owner's list, drawn again, no longer holds sam.
  const drawn = await page.evaluate(() => Number(document.getElementById('screen-members').dataset.listed || 0));
  await page.click('#tab-dashboard');
  await page.click('#tab-members');
  await until(page, (n) => Number(document.getElementById('screen-members').dataset.listed || 0) > n, drawn);
  assert.equal(await rowOf(page, 'sam@example.org'), null);
  assert.deepEqual(owner.errors, []);
  assert.deepEqual(viewer.errors, []);
  await viewer.ctx.close();
  await owner.page.close();
});

test('settings: the per-link push quota saves, shows the figures in force, and 0 goes back to the default', async () => {
  const id = suite.seeded.demo.campaign_id;
  const owner = await open();
  const page = owner.page;
  const quota = () => page.evaluate((c) => Console.api('GET', '/campaigns/' + c).then((r) => r.link_quota), id);
  const initial = await quota();
  assert.equal(initial.campaign_set, false);
  await page.click('#tab-settings');
  await until(page, () => /server's default/.test(document.getElementById('link-quota-now')?.textContent || ''));
  assert.match(await page.textContent('#link-quota-now'), new RegExp(`${initial.mutations} records`));
  assert.equal(await page.inputValue('#link-quota-mutations'), '0');

  await page.fill('#link-quota-mutations', '500');
  await page.fill('#link-quota-mib', '2');
  await page.click('#link-quota-form button');
  await until(page, () => /set for this campaign/.test(document.getElementById('link-quota-now').textContent) || document.getElementById('link-quota-error').textContent);
  assert.equal(await page.textContent('#link-quota-error'), '');
  assert.deepEqual(await quota(), { mutations: 500, bytes: 2 * 1048576, campaign_set: true });
  assert.match(await page.textContent('#link-quota-now'), /500 records and 2 MiB/);

  // Out of range: the server's message beside the form, nothing changed.
  await page.fill('#link-quota-mutations', '2000000');
  await page.click('#link-quota-form button');
  await until(page, () => document.getElementById('link-quota-error').textContent);
  assert.match(await page.textContent('#link-quota-error'), /link_quota_mutations/);
  assert.deepEqual(await quota(), { mutations: 500, bytes: 2 * 1048576, campaign_set: true });

  // The form shows the saved figures when opened again; 0 and 0 go back to the server's default.
  await page.click('#tab-dashboard');
  await page.click('#tab-settings');
  await until(page, () => document.getElementById('link-quota-mutations')?.value === '500');
  assert.equal(await page.inputValue('#link-quota-mib'), '2');
  await page.fill('#link-quota-mutations', '0');
  await page.fill('#link-quota-mib', '0');
  await page.click('#link-quota-form button');
  await until(page, () => /server's default/.test(document.getElementById('link-quota-now').textContent));
  assert.deepEqual(await quota(), initial);
  assert.deepEqual(owner.errors, []);
  await owner.page.close();
});
