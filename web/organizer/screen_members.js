// Members screen: who works on the selected campaign and in which role. An owner lists members,
// adds one by email with a role (an unknown email gets an account and a one-time sign-in link, shown
// here once: no mail is sent), changes a role, removes a member or leaves; everyone else sees their
// own role. Leaves out server accounts and disabling them (the set-up screen, admins only).
'use strict';
(function () {
  const { el, api, state } = Console;
  const ROLES = ['owner', 'organizer', 'viewer'];
  const MAY = {
    owner: 'everything, including members, settings, purge and the audit log',
    organizer: 'imports, turfs, links, the script and survey, walk lists, sign-ups, follow-up and exports',
    viewer: 'the dashboard, turfs, progress and the doors map: no names, no exports, no changes',
  };
  let panel = null, linkOut = null;

  const roleSelect = (id, value, label) => el('select', { id, 'aria-label': label },
    ...ROLES.map((r) => { const o = new Option(r, r); o.selected = r === value; return o; }));
  // Errors of this screen's requests show next to its form, in words.
  function problem(e) {
    const msg = (e && e.message) || String(e);
    const out = panel.querySelector('#members-error');
    out.textContent = e && e.status === 409 ? `${msg} (a campaign keeps at least one owner)` : msg;
  }
  const clear = () => { panel.querySelector('#members-error').textContent = ''; Console.ok(); };

  // A campaign left or a role changed by oneself: the campaign list (and the tabs) follow.
  async function reloadMine() { await Console.loadCampaigns(); }

  // `tr`: a member's row, or any element holding a .member-actions cell.
  function confirmRow(tr, question, yes, action) {
    const cell = tr.querySelector('.member-actions');
    const saved = [...cell.childNodes];
    const go = el('button', { type: 'button', class: 'member-confirm' }, yes);
    const back = el('button', { type: 'button', class: 'member-cancel' }, 'Cancel');
    back.onclick = () => cell.replaceChildren(...saved);
    go.onclick = () => { go.disabled = true; action().catch((e) => { problem(e); cell.replaceChildren(...saved); }); };
    cell.replaceChildren(el('span', {}, question + ' '), go, ' ', back);
    go.focus();
  }

  function row(m, owners) {
    const self = state.me && m.account_id === state.me.account.id;
    const tr = el('tr', { 'data-account': m.account_id },
      el('td', { class: 'member-email' }, m.email + (self ? ' (you)' : '')),
      el('td', {}, roleSelect('role-' + m.account_id, m.role, 'Role of ' + m.email)),
      el('td', { class: 'member-actions' }));
    const sel = tr.querySelector('select');
    sel.onchange = async () => {
      clear();
      try {
        await api('POST', `/campaigns/${state.campaign}/members`, { email: m.email, role: sel.value });
        if (self) await reloadMine(); else await list();
      } catch (e) { sel.value = m.role; problem(e); }
    };
    const lastOwner = m.role === 'owner' && owners < 2;
    if (lastOwner) sel.disabled = true;
    const out = el('button', { type: 'button', class: self ? 'member-leave' : 'member-remove', disabled: lastOwner,
      title: lastOwner ? 'The campaign\'s only owner: make someone else owner first' : '' }, self ? 'Leave campaign' : 'Remove');
    out.onclick = () => confirmRow(tr, self ? 'Leave this campaign? You lose access to it.' : `Remove ${m.email}?`,
      self ? 'Yes, leave' : 'Yes, remove', async () => {
        await api('POST', `/campaigns/${state.campaign}/members/${m.account_id}/remove`, {});
        clear();
        if (self) await reloadMine(); else await list();
      });
    tr.querySelector('.member-actions').append(out);
    return tr;
  }

  function showLink(r) {
    const input = el('input', { id: 'member-link', readOnly: true, 'aria-label': 'One-time sign-in link for ' + r.member.email });
    input.value = r.signin_url;
    const copy = el('button', { type: 'button', id: 'member-link-copy' }, 'Copy');
    const copied = el('span', { id: 'member-link-copied', role: 'status' });
    copy.onclick = async () => {
      input.select();
      try { await navigator.clipboard.writeText(input.value); copied.textContent = ' Copied.'; }
      catch { copied.textContent = ' Select the link and copy it by hand.'; }
    };
    linkOut.replaceChildren(
      el('p', {}, 'New account ', el('strong', {}, r.member.email), ': pass this one-time sign-in link on yourself. ' +
        'It is shown only once, here; no mail is sent. Whoever opens it is signed in as this account and sets a password.'),
      input, ' ', copy, copied);
  }

  // Shown again, or the campaign list reloaded with the same campaign and role: only the list is
  // fetched again, so an email being typed in the form is kept.
  let builtFor = '';
  async function load() {
    const key = `${state.campaign}|${Console.role()}`;
    if (key === builtFor && panel.querySelector('#member-list')) return list();
    builtFor = key;
    panel.replaceChildren(el('h2', {}, 'Members'));
    linkOut = el('div', { id: 'member-link-out' });
    if (!state.campaign) { panel.append(el('p', {}, 'No campaign yet.')); return; }
    const mine = Console.role();
    panel.append(el('p', { id: 'my-role' }, 'Your role in this campaign: ', el('strong', {}, mine || 'none'),
      mine ? ` (${MAY[mine] || ''}).` : '.'));
    if (mine !== 'owner') {
      panel.append(el('p', { id: 'members-note' }, 'Owners add and remove members and change roles; ask one of them.'));
      if (!mine) return;
      // Any member may leave; asked first, like removing someone.
      const box = el('div', { class: 'member-actions', id: 'member-leave-box' });
      const leave = el('button', { type: 'button', class: 'member-leave' }, 'Leave campaign');
      const err = el('p', { id: 'members-error', class: 'problem', role: 'alert' });
      leave.onclick = () => confirmRow(panel, 'Leave this campaign? You lose access to it.', 'Yes, leave', async () => {
        await api('POST', `/campaigns/${state.campaign}/leave`, {});
        clear();
        builtFor = '';
        await reloadMine();
      });
      box.append(leave);
      panel.append(box, err);
      return;
    }
    // Text, not type=email: accounts such as the first-start "admin" have no @; the server judges.
    const email = el('input', { id: 'member-email', inputMode: 'email', required: true, maxLength: 254, autocomplete: 'off', spellcheck: false });
    const role = roleSelect('member-role', 'organizer', 'Role');
    const add = el('form', { id: 'member-add-form' }, el('h3', {}, 'Add a member'),
      el('label', {}, 'Email ', email), ' ', el('label', {}, 'Role ', role), ' ', el('button', {}, 'Add'),
      el('p', { class: 'hint' }, 'An email without an account gets one, with a one-time sign-in link for you to pass on. ' +
        'A member added again takes the new role.'),
      el('p', { id: 'members-error', class: 'problem', role: 'alert' }), linkOut);
    add.onsubmit = async (e) => {
      e.preventDefault();
      clear();
      linkOut.replaceChildren();
      try {
        const r = await api('POST', `/campaigns/${state.campaign}/members`, { email: email.value.trim(), role: role.value });
        email.value = '';
        await list();
        if (r.signin_url) showLink(r);
        else linkOut.replaceChildren(el('p', { id: 'member-added' }, `${r.member.email} is now ${r.member.role}.`));
      } catch (err) { problem(err); }
    };
    const table = el('table', { id: 'member-list' }, el('caption', {}, 'Members'),
      el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Email'), el('th', { scope: 'col' }, 'Role'),
        el('th', { scope: 'col' }, el('span', { class: 'sr-only' }, 'Actions')))), el('tbody'));
    panel.append(table, add);
    await list();
  }

  async function list() {
    const body = panel.querySelector('#member-list tbody');
    if (!body) return;
    try {
      const { members } = await api('GET', `/campaigns/${state.campaign}/members`);
      const owners = members.filter((m) => m.role === 'owner').length;
      body.replaceChildren(...members.map((m) => row(m, owners)));
      panel.dataset.listed = String(Number(panel.dataset.listed || 0) + 1);  // for tests: a list drawn
      if (!members.length) {
        body.append(el('tr', {}, el('td', { colSpan: 3 }, 'No members yet: the server\'s admins act as owners. ' +
          'Adding someone makes you an owner too.')));
      }
    } catch (e) { problem(e); }
  }

  const s = Console.screen({ name: 'members', label: 'Members',
    onShow: () => load(), onCampaign: () => { if (!s.panel.hidden) return load(); } });
  panel = s.panel;
})();
