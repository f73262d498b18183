// Follow-up queue: the campaign's sign-ups that consented to a purpose (call, text, email,
// volunteer, join), each assigned to someone and moved along (called, texted, joined, not
// interested), and the membership-tool exports that hold only sign-ups consenting to their purpose.
// Leaves out sending anything: calls and texts happen in other tools.
'use strict';
(function () {
  const { el, api, fail, ok, state } = Console;
  const PURPOSES = [['text_me', 'Text me'], ['call_me', 'Call me'], ['email_me', 'Email me'], ['volunteer', 'Volunteer'], ['join', 'Join']];
  const STATUSES = [['new', 'new'], ['called', 'called'], ['texted', 'texted'], ['joined', 'joined'], ['not_interested', 'not interested']];
  let panel = null, purpose = 'text_me';

  async function setFollowup(id, change) {
    await api('POST', '/signups/' + id + '/followup', change);
    ok();
  }

  async function list() {
    const body = panel.querySelector('#followup-queue tbody');
    const { signups } = await api('GET', '/campaigns/' + state.campaign + '/signups?purpose=' + purpose);
    body.innerHTML = '';
    for (const s of signups) {
      const tr = body.insertRow();
      tr.dataset.signup = s.id;
      for (const t of [s.name, s.phone, s.email, new Date(s.created_at).toLocaleString()]) tr.insertCell().textContent = t;
      const who = el('input', { size: 10, 'aria-label': 'Assigned to, for ' + (s.name || 'this sign-up'), value: s.assigned_to || '' });
      who.onchange = () => setFollowup(s.id, { assigned_to: who.value }).catch(fail);
      tr.insertCell().append(who);
      const st = el('select', { 'aria-label': 'Follow-up status of ' + (s.name || 'this sign-up') });
      for (const [v, t] of STATUSES) st.add(new Option(t, v));
      st.value = s.status || 'new';
      st.onchange = () => setFollowup(s.id, { status: st.value }).catch(fail);
      tr.insertCell().append(st);
    }
    panel.querySelector('#followup-count').textContent = `${signups.length} sign-ups consented to "${purpose}"`;
  }

  function render() {
    panel.innerHTML = '';
    const pick = el('select', { id: 'followup-purpose', 'aria-label': 'Consented to' });
    for (const [v, t] of PURPOSES) pick.add(new Option(t, v));
    pick.value = purpose;
    pick.onchange = () => { purpose = pick.value; render(); list().catch(fail); };
    const base = '/api/v1/campaigns/' + state.campaign + '/export/';
    panel.append(el('h2', {}, 'Follow-up'), el('label', {}, 'Consented to ', pick),
      el('p', { id: 'followup-count', role: 'status' }),
      el('table', { id: 'followup-queue' }, el('thead', {}, el('tr', {}, ...['Name', 'Phone', 'Email', 'Signed up', 'Assigned', 'Status'].map((h) => el('th', {}, h)))), el('tbody')),
      el('h3', {}, 'Exports (only sign-ups that consented)'),
      el('p', { id: 'followup-exports' },
        el('a', { href: base + 'followup?purpose=' + purpose, download: '' }, `CSV: ${purpose}`), ' · ',
        el('a', { href: base + 'action_network', download: '' }, 'Action Network (email_me)'), ' · ',
        el('a', { href: base + 'nationbuilder', download: '' }, 'NationBuilder (join)')));
  }

  const s = Console.screen({ name: 'followup', label: 'Follow-up', needs: 'organizer',
    onCampaign: () => { if (state.campaign) render(); },
    onShow: () => { if (!state.campaign) return null; render(); return list(); } });
  panel = s.panel;
})();
