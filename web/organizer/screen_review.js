// Review screen: records a canvasser's phone sent that the server kept but did not apply
// (GET /campaigns/{id}/rejected): after_end (recorded after the link ended: Accept applies it now)
// and forbidden (named something outside the link's turf: Discard only). Every name shown (turf,
// link label, canvasser, address) goes through textContent. Leaves out the records themselves
// (the progress and dashboard screens show applied ones).
'use strict';
(function () {
  const { el, api, fail, ok, state } = Console;
  const WHY = {
    after_end: 'recorded after its link ended', revoked: 'recorded after its link ended',
    expired: 'recorded after its link ended', forbidden: 'named something outside its link\u2019s turf',
  };
  let panel = null;

  const when = (ms) => new Date(ms).toLocaleString();
  function what(r) {
    const p = r.payload || {};
    if (r.kind === 'attempt.add') return 'result: ' + String(p.result || '').replace(/_/g, ' ');
    if (p.set && typeof p.set === 'object') return r.kind + ': ' + Object.keys(p.set).join(', ');
    return r.kind;
  }

  async function decide(r, action, row) {
    try {
      const { record } = await api('POST', `/campaigns/${state.campaign}/rejected/${r.id}/${action}`, {});
      row.querySelector('.review-status').textContent = record.status;
      for (const b of row.querySelectorAll('button')) b.disabled = true;
      panel.querySelector('#review-out').textContent = action === 'accept'
        ? 'Accepted: the record now counts like any other.' : 'Discarded: it will never be applied.';
      ok();
    } catch (err) { fail(err); }
  }

  async function load() {
    panel.replaceChildren(el('h2', {}, 'Records to review'));
    if (!state.campaign) return;
    const all = panel.appendChild(el('label', {}, el('input', { type: 'checkbox', id: 'review-all' }), ' Show decided ones too'));
    const box = panel.appendChild(el('div', { id: 'review-list' }));
    panel.append(el('p', { id: 'review-out', role: 'status' }));
    const show = async () => {
      const { rejected } = await api('GET', `/campaigns/${state.campaign}/rejected?status=${all.querySelector('input').checked ? 'all' : 'pending'}`);
      if (!rejected.length) { box.replaceChildren(el('p', { id: 'review-empty' }, 'Nothing to review.')); return; }
      const body = el('tbody');
      for (const r of rejected) {
        const row = el('tr', { 'data-record': r.id });
        const accept = el('button', { type: 'button', class: 'review-accept', disabled: !r.can_accept,
          title: r.can_accept ? 'Apply this record now' : 'Only records made after a link ended can be accepted' }, 'Accept');
        const discard = el('button', { type: 'button', class: 'review-discard', disabled: r.status !== 'pending' }, 'Discard');
        accept.onclick = () => decide(r, 'accept', row);
        discard.onclick = () => decide(r, 'discard', row);
        const label = (r.canvasser || 'a phone') + (r.link.label ? ' (' + r.link.label + ')' : '');
        accept.setAttribute('aria-label', 'Accept the record of ' + label + ' at ' + (r.door.address || 'no door'));
        discard.setAttribute('aria-label', 'Discard the record of ' + label + ' at ' + (r.door.address || 'no door'));
        // Narrow panel: one cell holds who, where, what and when, each on its own line.
        row.append(el('td', {}, el('div', { class: 'review-who' }, label),
          el('div', {}, r.turf.name, ' \u00b7 ', el('span', { class: 'review-door' }, r.door.address || 'no door')),
          el('div', {}, what(r)), el('div', {}, el('small', {}, when(r.at)))),
          el('td', { class: 'review-why' }, WHY[r.code] || r.code), el('td', { class: 'review-status' }, r.status),
          el('td', {}, accept, ' ', discard));
        body.append(row);
      }
      box.replaceChildren(el('table', { id: 'review-table' },
        el('thead', {}, el('tr', {}, ...['Record', 'Why kept', 'Status', 'Decide'].map((h) => el('th', { scope: 'col' }, h)))),
        body));
    };
    all.querySelector('input').onchange = () => show().catch(fail);
    await show();
  }

  const s = Console.screen({ name: 'review', label: 'Review', needs: 'organizer', onShow: () => load(),
    onCampaign: () => { if (!s.panel.hidden) return load(); } });
  panel = s.panel;
})();
