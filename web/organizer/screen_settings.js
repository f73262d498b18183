// Campaign settings: how long personal data is kept, the phones' offline map cap, a purge that asks for the campaign's name
// typed out, and the audit log (who exported, made links, purged). Leaves out members and roles
// (organizer part 1) and anything that deletes attempts: a purge keeps the counts.
'use strict';
(function () {
  const { el, api, fail, ok, state } = Console;
  let panel = null;

  async function audit() {
    const { entries } = await api('GET', '/campaigns/' + state.campaign + '/audit');
    const body = panel.querySelector('#audit-log tbody');
    body.innerHTML = '';
    for (const e of entries.slice().reverse()) {
      const tr = body.insertRow();
      for (const t of [new Date(e.at).toLocaleString(), e.account, e.action, e.detail]) tr.insertCell().textContent = t;
    }
  }

  function render() {
    panel.innerHTML = '';
    const c = state.campaigns.find((x) => x.id === state.campaign) || {};
    const days = el('input', { id: 'retention-days', type: 'number', min: 0, max: 3650, value: String(c.retention_days || 0) });
    const keep = el('form', { id: 'retention-form' }, el('label', {}, 'Keep personal data for ', days, ' days after the last knock (0: until purged)'), ' ',
      el('button', {}, 'Save'));
    keep.onsubmit = (e) => {
      e.preventDefault();
      api('POST', '/campaigns/' + state.campaign + '/settings', { retention_days: Number(days.value) })
        .then(() => { c.retention_days = Number(days.value); ok(); return audit(); }).catch(fail);
    };
    const cacheMb = el('input', { id: 'tile-cache-mb', type: 'number', min: 1, max: 200, value: String(c.tile_cache_mb || 20) });
    const cache = el('form', { id: 'tile-cache-form' },
      el('label', {}, 'Each phone keeps up to ', cacheMb, ' MB of map tiles per turf for offline use'), ' ', el('button', {}, 'Save'));
    cache.onsubmit = (e) => {
      e.preventDefault();
      api('POST', '/campaigns/' + state.campaign + '/settings', { tile_cache_mb: Number(cacheMb.value) })
        .then(() => { c.tile_cache_mb = Number(cacheMb.value); ok(); return audit(); }).catch(fail);
    };
    const confirm = el('input', { id: 'purge-confirm', autocomplete: 'off', 'aria-describedby': 'purge-help' });
    const go = el('button', { id: 'purge-go', disabled: true }, 'Purge personal data');
    confirm.oninput = () => { go.disabled = confirm.value !== c.name; };
    const purge = el('form', { id: 'purge-form' },
      el('p', { id: 'purge-help' }, 'Blanks names, phones, emails, ages and notes; results and counts stay. Type the campaign\'s name to confirm: ',
        el('strong', {}, c.name || '')),
      el('label', {}, 'Campaign name ', confirm), ' ', go, el('p', { id: 'purge-out', role: 'status' }));
    purge.onsubmit = (e) => {
      e.preventDefault();
      api('POST', '/campaigns/' + state.campaign + '/purge', { confirm: confirm.value })
        .then((r) => { panel.querySelector('#purge-out').textContent = `${r.people_purged} people purged`; confirm.value = ''; go.disabled = true; ok(); return audit(); })
        .catch(fail);
    };
    panel.append(el('h2', {}, 'Settings'), el('h3', {}, 'Retention'), keep, el('h3', {}, 'Offline map'), cache,
      el('h3', {}, 'Purge'), purge,
      el('h3', {}, 'Audit log'),
      el('table', { id: 'audit-log' }, el('thead', {}, el('tr', {}, ...['When', 'Account', 'Action', 'Detail'].map((h) => el('th', {}, h)))), el('tbody')));
  }

  const s = Console.screen({ name: 'settings', label: 'Settings',
    onShow: () => { if (!state.campaign) return null; render(); return audit(); } });
  panel = s.panel;
})();
