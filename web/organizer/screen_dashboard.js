// Live dashboard (polled by the shell every 5 s while visible): totals, per turf and per canvasser
// figures, the roster (is everyone back?), the support 1-5 chart, quality flags with the records
// behind them, doors marked unsafe, and the results map (doors coloured by last result). Leaves
// out anyone's position over time: nothing here tracks canvassers.
'use strict';
(function () {
  const { el, api, state } = Console;
  let panel = null, layer = null, lastCursor = null;
  const COLOURS = { talked: '#1a7f37', not_home: '#9a6700', refused: '#b02a1d', come_back: '#0969da',
    moved: '#6e7781', inaccessible: '#6e7781', deceased: '#6e7781', wrong_address: '#6e7781', lit_drop: '#8250df' };
  const when = (ms) => (ms ? new Date(ms).toLocaleTimeString() : '—');
  const pct = (a, b) => (b ? Math.round((100 * a) / b) + '%' : '—');

  function table(id, heads, rows) {
    return el('table', { id }, el('thead', {}, el('tr', {}, ...heads.map((h) => el('th', {}, h)))),
      el('tbody', {}, ...rows.map((r) => el('tr', {}, ...r.map((c) => el('td', {}, String(c)))))));
  }

  function chart(support) {
    const max = Math.max(1, ...[1, 2, 3, 4, 5].map((k) => support[k] || 0));
    return el('div', { id: 'dash-support', class: 'bars', role: 'img',
      'aria-label': 'Support 1-5: ' + [1, 2, 3, 4, 5].map((k) => `${k}: ${support[k] || 0}`).join(', ') },
    ...[1, 2, 3, 4, 5].map((k) => el('div', { class: 'bar' },
      el('span', { class: 'bar-fill', style: `height:${Math.round((100 * (support[k] || 0)) / max)}%` }),
      el('span', { class: 'bar-label' }, `${k}`), el('span', { class: 'bar-n' }, String(support[k] || 0)))));
  }

  function render(p) {
    const t = p.totals || {};
    const turfName = (id) => ((p.turfs || []).find((x) => x.id === id) || {}).name || (id ? '?' : '—');
    panel.innerHTML = '';
    panel.append(el('h2', {}, 'Dashboard'),
      el('p', { id: 'dash-totals', role: 'status' }, `${t.doors_knocked || 0} doors knocked · ${t.attempts || 0} attempts · ` +
        `${t.contacts || 0} contacts (${pct(t.contacts || 0, t.doors_knocked || 0)}) · ${t.signups || 0} sign-ups`));
    const unsafe = p.unsafe || [];
    if (unsafe.length) {
      panel.append(el('div', { id: 'dash-unsafe', role: 'alert', class: 'unsafe' }, el('h3', {}, 'Doors marked unsafe'),
        el('ul', {}, ...unsafe.map((u) => el('li', {}, `${u.address} (${turfName(u.turf_id)}): ${u.safety}`)))));
    }
    panel.append(el('h3', {}, 'Canvassers'), table('dash-canvassers',
      ['Link', 'Name', 'Turf', 'Doors', 'Attempts', 'Contacts', 'Rate', 'Sign-ups', 'Last'],
      (p.canvassers || []).map((c) => [c.label || (c.link_id ? '—' : 'paper / no link'), c.name || '—', turfName(c.turf_id), c.doors_knocked, c.attempts, c.contacts,
        pct(c.contacts, c.doors_knocked), c.signups, when(c.last_attempt_at)])));
    panel.append(el('h3', {}, 'Roster'), table('dash-roster',
      ['Link', 'Turf', 'Opened', 'Downloaded', 'Last record', 'Finished'],
      (p.roster || []).map((r) => [r.label, turfName(r.turf_id), when(r.opened_at), when(r.downloaded_at),
        when(r.last_record_at), r.finished ? 'yes' : `${r.doors_knocked}/${r.doors}`])));
    panel.append(el('h3', {}, 'Turfs'), table('dash-turfs', ['Turf', 'Doors', 'Knocked', 'Contacts', 'Rate'],
      (p.turfs || []).map((x) => [x.name, x.doors, x.knocked, x.contacts, pct(x.contacts, x.knocked)])));
    panel.append(el('h3', {}, 'Support (1 strongly for – 5 strongly against)'), chart(p.support || {}));
    const flags = p.quality_flags || [];
    const record = (r) => el('li', {}, `${when(r.recorded_at)} ${r.address} ${r.result}` +
      (r.distance_m != null ? ` (${Math.round(r.distance_m)} m from the door)` : ''));
    const flag = (f) => el('li', {}, el('details', {},
      el('summary', {}, `${f.label}${f.name ? ' / ' + f.name : ''}: ${f.message}`),
      el('ul', {}, ...(f.records || []).map(record))));
    panel.append(el('h3', {}, 'Quality flags'), flags.length
      ? el('ul', { id: 'dash-flags' }, ...flags.map(flag))
      : el('p', { id: 'dash-flags' }, 'None.'));
  }

  async function results() {
    const r = await api('GET', '/campaigns/' + state.campaign + '/results');
    if (layer) layer.remove();
    layer = L.layerGroup();
    for (const d of r.doors) {
      L.circleMarker([d.lat, d.lon], { radius: 5, weight: 1, color: '#222', fillOpacity: 0.9, fillColor: COLOURS[d.result] || '#999' })
        .bindTooltip(document.createTextNode(d.result)).addTo(layer);
    }
    if (!panel.hidden) layer.addTo(state.map);
    Console.state.resultsShown = r.doors.length;
  }

  async function poll() {
    if (!state.campaign || panel.hidden) return;
    const p = await api('GET', '/campaigns/' + state.campaign + '/progress');
    render(p);
    if (p.cursor !== lastCursor) { lastCursor = p.cursor; await results(); }
  }

  const s = Console.screen({ name: 'dashboard', label: 'Dashboard',
    onCampaign: () => { lastCursor = null; if (layer) { layer.remove(); layer = null; } },
    onShow: () => poll(), onPoll: poll,
    onHide: () => { if (layer) layer.remove(); } });
  panel = s.panel;
  panel.classList.add('wide');
})();
