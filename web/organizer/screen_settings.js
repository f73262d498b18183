// Campaign settings (owners): the canvassers' Help (help_form.js), how long personal data is kept,
// the phones' offline map cap, each link's hourly push quota, a purge that asks for the campaign's
// name typed out, and the audit log (who exported, made links, purged). Leaves out members (screen_members.js) and anything that deletes
// attempts: a purge keeps the counts.
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

  const MIB = 1048576;
  // Each link's hourly push quota: the figures in force from GET /campaigns/{id}; 0 in a field
  // goes back to the server's default.
  async function quota() {
    const { link_quota: q } = await api('GET', '/campaigns/' + state.campaign);
    const form = panel.querySelector('#link-quota-form');
    if (!form || !q) return;
    form.querySelector('#link-quota-mutations').value = String(q.campaign_set ? q.mutations : 0);
    form.querySelector('#link-quota-mib').value = String(q.campaign_set ? +(q.bytes / MIB).toFixed(3) : 0);
    panel.querySelector('#link-quota-now').textContent = `In force: ${q.mutations} records and ${+(q.bytes / MIB).toFixed(3)} MiB ` +
      `per link per hour (${q.campaign_set ? 'set for this campaign' : 'the server\'s default'}).`;
  }

  function quotaForm() {
    const n = el('input', { id: 'link-quota-mutations', type: 'number', min: 0, step: 1, value: '0' });
    const mib = el('input', { id: 'link-quota-mib', type: 'number', min: 0, step: 'any', value: '0' });
    const out = el('p', { id: 'link-quota-error', class: 'problem', role: 'alert' });
    const form = el('form', { id: 'link-quota-form' },
      el('label', {}, 'Each link may send up to ', n, ' records'), ' ', el('label', {}, 'and ', mib, ' MiB per hour'), ' ',
      el('button', {}, 'Save'), el('p', { class: 'hint' }, '0: the server\'s default. A busy shift sends about 300 records; a phone over the quota keeps its records and sends them later.'),
      el('p', { id: 'link-quota-now', role: 'status' }), out);
    form.onsubmit = (e) => {
      e.preventDefault();
      out.textContent = '';
      const bytes = Math.round(Number(mib.value) * MIB);
      if (Number(mib.value) > 0 && bytes < 1) { out.textContent = 'The byte quota is at least 1 byte (or 0 for the default).'; return; }
      api('POST', '/campaigns/' + state.campaign + '/settings', { link_quota_mutations: Number(n.value), link_quota_bytes: bytes })
        .then(() => { ok(); return Promise.all([quota(), audit()]); })
        .catch((err) => { out.textContent = String(err.message || err); });
    };
    return form;
  }

  // Built once per campaign: a second call for the same campaign (the campaign list answering after
  // the tab opened, or coming back to the tab) keeps what is being typed in the forms.
  let builtFor = null;
  function render() {
    if (builtFor === state.campaign && panel.firstChild) return;
    builtFor = state.campaign;
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
    panel.append(el('h2', {}, 'Settings'), el('h3', {}, 'Canvassers\' Help'), Console.helpForm(c, () => audit().catch(fail)),
      el('h3', {}, 'Retention'), keep, el('h3', {}, 'Offline map'), cache,
      el('h3', {}, 'Push quota per link'), quotaForm(),
      el('h3', {}, 'Purge'), purge,
      el('h3', {}, 'Audit log'),
      el('table', { id: 'audit-log' }, el('thead', {}, el('tr', {}, ...['When', 'Account', 'Action', 'Detail'].map((h) => el('th', {}, h)))), el('tbody')));
  }

  const s = Console.screen({ name: 'settings', label: 'Settings', needs: 'owner',
    onShow: () => { if (!state.campaign) return null; render(); return Promise.all([audit(), quota()]); },
    // Another campaign picked while this screen is open: its own figures, not the last one's.
    onCampaign: (id) => { if (id && !panel.hidden) { render(); return Promise.all([audit(), quota()]); } return null; } });
  panel = s.panel;
})();
