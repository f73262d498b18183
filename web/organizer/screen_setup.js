// Set-up screen: create a campaign (name; languages, default en and es; a time zone the exports
// support), the server's accounts (admins: list and add, each with a one-time sign-in link), the signed-in
// organizer's password (the current one asked for once there is one), and signing out. Leaves out
// campaign members and roles (screen_members.js), the script and survey, and retention (settings).
'use strict';
(function () {
  const { $, el, api, fail, ok, state } = Console;
  const field = (label, input) => el('label', {}, label + ' ', input);

  const create = el('form', { id: 'create-form' },
    el('h3', {}, 'New campaign'),
    field('Name', el('input', { id: 'new-name', required: true, maxLength: 200, autocomplete: 'off' })),
    field('Languages (codes, comma-separated)', el('input', { id: 'new-languages', value: 'en, es', autocomplete: 'off' })),
    field('Time zone', el('select', { id: 'new-tz' })),
    el('button', {}, 'Create campaign'));
  const members = el('div', { id: 'members' }, el('h3', {}, 'Accounts'), el('div', { id: 'members-body' }));
  // Changing a password needs the current one (the server ends every other session then); the
  // first password, after a one-time sign-in link, has none to give.
  const oldField = field('Current password', el('input', { id: 'old-password', type: 'password', autocomplete: 'current-password' }));
  oldField.id = 'old-password-field';
  const password = el('form', { id: 'password-form' },
    el('h3', {}, 'Your password'),
    el('input', { type: 'text', autocomplete: 'username', hidden: true, id: 'pw-user'}),
    oldField,
    field('New password', el('input', { id: 'new-password', type: 'password', autocomplete: 'new-password', minLength: 10, required: true })),
    el('button', { id: 'password-submit' }, 'Set password'), el('span', { id: 'password-status', role: 'status' }));
  function passwordMode() {
    const has = !!(state.me && state.me.account.has_password);
    oldField.hidden = !has;
    $('old-password').required = has;
    $('password-submit').textContent = has ? 'Change password' : 'Set password';
    if (state.me) $('pw-user').value = state.me.account.email;
  }
  const signout = el('button', { type: 'button', id: 'signout' }, 'Sign out');

  create.onsubmit = async (e) => {
    e.preventDefault();
    const languages = $('new-languages').value.split(/[\s,]+/).filter(Boolean);
    const body = { name: $('new-name').value.trim(), time_zone: $('new-tz').value };
    if (languages.length) body.languages = languages;
    try {
      const { campaign } = await api('POST', '/campaigns', body);
      $('new-name').value = '';
      ok();
      await Console.loadCampaigns(campaign.id);
    } catch (err) { fail(err); }
  };
  password.onsubmit = async (e) => {
    e.preventDefault();
    const had = !!(state.me && state.me.account.has_password);
    const body = { password: $('new-password').value };
    if (had) body.old_password = $('old-password').value;
    $('password-status').textContent = '';
    try {
      await api('POST', '/auth/password', body);
      $('new-password').value = '';
      $('old-password').value = '';
      if (state.me) state.me.account.has_password = true;
      passwordMode();
      $('password-status').textContent = had ? ' Password changed; your other sessions were signed out.' : ' Password set.';
      ok();
    } catch (err) {
      $('password-status').textContent = err.status === 403 ? ' The current password is wrong.' : '';
      fail(err);
    }
  };
  signout.onclick = async () => {
    try { await api('POST', '/auth/signout', {}); } catch (err) { fail(err); return; }
    localStorage.removeItem('doorstep.console');
    location.replace(location.pathname);
  };

  async function zones() {
    const sel = $('new-tz');
    if (sel.options.length) return;
    const { time_zones: list } = await api('GET', '/time-zones');
    for (const z of list) sel.add(new Option(z, z));
    sel.value = list.includes('America/Los_Angeles') ? 'America/Los_Angeles' : list[0];
  }

  // Accounts: membership is per campaign (owner, organizer, viewer: the Members screen); an account
  // sees only the campaigns it is a member of. Admins list the server's accounts and add one here,
  // with a one-time sign-in link.
  async function loadMembers() {
    const body = $('members-body');
    body.replaceChildren(el('p', { id: 'accounts-note' },
      'Each campaign has its own members, each an owner, organizer or viewer: owners add and remove them on the Members screen. ' +
      'An account sees only the campaigns it is a member of.' +
      (state.me && state.me.account.role === 'admin' ? ' As the server\'s admin you also manage the accounts below; an account added here is a member of no campaign until an owner adds it.' : '')));
    if (!state.me || state.me.account.role !== 'admin') return;
    const { accounts } = await api('GET', '/accounts');
    const t = el('table', { id: 'account-list' }, el('caption', {}, 'Organizer accounts'),
      el('tr', {}, el('th', { scope: 'col' }, 'Email'), el('th', { scope: 'col' }, 'Role')));
    for (const a of accounts) t.append(el('tr', {}, el('td', {}, a.email), el('td', {}, a.role)));
    const role = el('select', { id: 'invite-role' }, new Option('organizer', 'organizer'), new Option('admin', 'admin'));
    const invite = el('form', { id: 'invite-form' },
      field('Email', el('input', { id: 'invite-email', type: 'email', required: true, autocomplete: 'off' })),
      field('Role', role), el('button', {}, 'Add account'), el('div', { id: 'invite-out' }));
    invite.onsubmit = async (e) => {
      e.preventDefault();
      try {
        const r = await api('POST', '/accounts', { email: $('invite-email').value.trim(), role: role.value });
        const link = el('input', { id: 'invite-link', readOnly: true, 'aria-label': 'Sign-in link for ' + r.account.email });
        link.value = r.signin_url;
        $('invite-out').replaceChildren(el('p', {}, `One-time sign-in link for ${r.account.email} (shown once):`), link);
        ok();
        await loadMembers();
        $('invite-out').replaceChildren(el('p', {}, `One-time sign-in link for ${r.account.email} (shown once):`), link);
      } catch (err) { fail(err); }
    };
    body.append(t, invite);
  }

  const s = Console.screen({
    name: 'setup', label: 'Set-up',
    onShow: () => { passwordMode(); return Promise.all([zones(), loadMembers()]); },
    // With no campaign yet there is nothing else to do: open here.
    onCampaign: (id) => { if (!id) Console.show('setup'); else if (!s.panel.hidden) return loadMembers(); },
  });
  s.panel.append(el('h2', {}, 'Set-up'), create, members, password, el('h3', {}, 'Session'), signout);
})();
