// Doors screen: every door of the campaign on the map (organizer/door_layer.js), coloured by one
// attribute (party, language, support, last result, in a turf or not) with a legend whose boxes
// filter doors out; filters of every attribute apply together. Leaves out editing doors and the
// unplaced list (the data screen lists those after an import).
'use strict';
(function () {
  const { $, el, api, state } = Console;
  const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf',
    '#bcbd22', '#393b79', '#637939'];
  const OTHER = '#9a9a9a';
  const NAMES = { party: 'Party', language: 'Language', support: 'Support', result: 'Last result', turf: 'In a turf' };
  let layer = null, data = null;
  const hidden = {};  // attribute -> Set of value strings filtered out

  const panel = el('div', {},
    el('label', {}, 'Colour doors by ', el('select', { id: 'door-colour' })),
    el('p', { id: 'door-counts', role: 'status' }),
    el('fieldset', { id: 'door-legend' }, el('legend', {}, 'Legend (untick to hide)')));

  // Values of the chosen attribute, most frequent first; past the palette they share "other".
  function groups(attr) {
    const a = data.attributes[attr];
    const counts = new Array(a.values.length).fill(0);
    for (const c of a.codes) counts[c]++;
    const order = counts.map((n, i) => i).filter((i) => counts[i] > 0).sort((p, q) => counts[q] - counts[p]);
    const top = order.slice(0, PALETTE.length);
    const rest = order.slice(PALETTE.length);
    const out = top.map((i, k) => ({ label: a.values[i] || '(blank)', codes: [i], count: counts[i], colour: PALETTE[k] }));
    if (rest.length) out.push({ label: 'other', codes: rest, count: rest.reduce((s, i) => s + counts[i], 0), colour: OTHER });
    return out;
  }

  function paint() {
    if (!data || !layer) return;
    const attr = $('door-colour').value;
    const gs = groups(attr);
    const codeGroup = new Int16Array(data.attributes[attr].values.length).fill(-1);
    gs.forEach((g, k) => { for (const c of g.codes) codeGroup[c] = k; });
    // Every attribute's filter applies, not only the one coloured by.
    const colour = new Int16Array(data.count);
    const shown = Object.keys(data.attributes).map((name) => {
      const a = data.attributes[name], h = hidden[name];
      if (!h || !h.size) return null;
      return { codes: a.codes, keep: a.values.map((v) => !h.has(v || '(blank)')) };
    }).filter(Boolean);
    let visible = 0;
    const codes = data.attributes[attr].codes;
    for (let i = 0; i < data.count; i++) {
      let k = codeGroup[codes[i]];
      for (const f of shown) if (!f.keep[f.codes[i]]) { k = -1; break; }
      colour[i] = k;
      if (k >= 0) visible++;
    }
    layer.setColours(colour, gs.map((g) => g.colour));
    const legend = $('door-legend');
    legend.replaceChildren(el('legend', {}, 'Legend (untick to hide)'));
    const h = hidden[attr] || (hidden[attr] = new Set());
    gs.forEach((g) => {
      const box = el('input', { type: 'checkbox', checked: !g.codes.every((c) => h.has(data.attributes[attr].values[c] || '(blank)')) });
      box.onchange = () => {
        for (const c of g.codes) {
          const v = data.attributes[attr].values[c] || '(blank)';
          if (box.checked) h.delete(v); else h.add(v);
        }
        paint();
      };
      legend.append(el('label', { class: 'legend-item' }, box, el('span', { class: 'swatch', style: 'background:' + g.colour, 'aria-hidden': 'true' }),
        ` ${g.label} (${g.count})`));
    });
    $('door-counts').textContent = `${visible} of ${data.count} placed doors shown` + (data.unplaced ? ` · ${data.unplaced} not placed (no coordinates)` : '');
    Console.doorStats = { count: data.count, visible, attribute: attr, groups: gs.map((g) => ({ label: g.label, count: g.count, colour: g.colour })) };
  }

  async function load(campaign) {
    data = null;
    $('door-counts').textContent = '';
    if (!campaign) { if (layer) layer.setDoors([], []); return; }
    const d = await api('GET', '/campaigns/' + campaign + '/doors/map');
    if (state.campaign !== campaign) return;
    data = d;
    if (!layer) layer = new DoorLayer().addTo(state.map);
    layer.setDoors(d.lat, d.lon);
    // Bring the doors into view when none are on screen (a campaign without turfs yet).
    if (d.count) {
      let s = 90, w = 180, n = -90, e = -180;
      for (let i = 0; i < d.count; i++) { s = Math.min(s, d.lat[i]); n = Math.max(n, d.lat[i]); w = Math.min(w, d.lon[i]); e = Math.max(e, d.lon[i]); }
      const b = L.latLngBounds([s, w], [n, e]);
      if (!state.map.getBounds().intersects(b)) state.map.fitBounds(b, { padding: [20, 20] });
    }
    const sel = $('door-colour');
    if (!sel.options.length) {
      for (const name of Object.keys(d.attributes)) sel.add(new Option(NAMES[name] || name, name));
      sel.value = 'language';
      sel.onchange = paint;
    }
    paint();
    Console.doorLayer = layer;
  }

  const s = Console.screen({ name: 'doors', label: 'Doors', onCampaign: load });
  s.panel.append(el('h2', {}, 'Doors on the map'), panel);
  Console.reloadDoors = () => load(state.campaign);
})();
