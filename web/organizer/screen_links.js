// Links screen: links for a whole crew at once (POST /campaigns/{id}/links), each shown once with
// its QR code, "copy all" as label,turf,url CSV, printable handouts (QR, turf map, walk list with
// tally columns), a full-screen QR for a walk-in table, and the list of every link with last use,
// revoke, extend and reissue. Leaves out sending links (a texting tool takes the CSV).
'use strict';
(function () {
  const { $, el, api, fail, ok, state } = Console;
  let panel = null;
  let turfs = [];
  let fresh = [];   // links made in this visit: [{link, token, url, turf}] (tokens are shown once)

  // A QR code on a canvas, 4 modules of quiet zone, drawn with the pinned qrcode-generator.
  function qrCanvas(text, px) {
    const qr = qrcode(0, 'M');
    qr.addData(text);
    qr.make();
    const n = qr.getModuleCount(), quiet = 4, cell = Math.max(2, Math.floor(px / (n + 2 * quiet)));
    const size = cell * (n + 2 * quiet);
    const c = el('canvas', { width: size, height: size, class: 'qr', role: 'img', 'aria-label': 'QR code of the link' });
    const g = c.getContext('2d');
    g.fillStyle = '#fff'; g.fillRect(0, 0, size, size);
    g.fillStyle = '#000';
    for (let r = 0; r < n; ++r) for (let k = 0; k < n; ++k) if (qr.isDark(r, k)) g.fillRect((k + quiet) * cell, (r + quiet) * cell, cell, cell);
    return c;
  }
  Console.qrCanvas = qrCanvas;

  const when = (ms) => (ms ? new Date(ms).toLocaleString() : '—');
  const turfName = (id) => (turfs.find((t) => t.id === id) || {}).name || id;

  function fullScreen(item) {
    const box = el('div', { id: 'qr-full', role: 'dialog', 'aria-label': 'QR code for ' + item.link.label },
      el('p', {}, `${item.link.label} · ${item.turf}`), qrCanvas(item.url, Math.min(innerWidth, innerHeight) - 160),
      el('button', { type: 'button', onclick: () => box.remove() }, 'Close'));
    box.onkeydown = (e) => { if (e.key === 'Escape') box.remove(); };
    document.body.append(box);
    box.querySelector('button').focus();
  }

  function csvCell(s) { return /[",\n\r]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s; }
  function copyAll() {
    const csv = 'label,turf,url\n' + fresh.map((f) => [f.link.label, f.turf, f.url].map(csvCell).join(',')).join('\n') + '\n';
    const out = $('links-csv');
    out.value = csv;
    out.hidden = false;
    out.select();
    if (navigator.clipboard) navigator.clipboard.writeText(csv).catch(() => {});
  }

  function renderFresh() {
    const box = $('links-new');
    box.innerHTML = '';
    if (!fresh.length) return;
    box.append(el('h3', {}, 'New links (shown once: print or copy them now)'),
      el('div', { class: 'toolbar' },
        el('button', { type: 'button', id: 'links-copy', onclick: copyAll }, 'Copy all (CSV)'), ' ',
        el('button', { type: 'button', id: 'links-print', onclick: () => printHandouts().catch(fail) }, 'Print handouts')),
      el('textarea', { id: 'links-csv', rows: 4, readOnly: true, hidden: '', 'aria-label': 'Links as CSV' }));
    for (const [i, f] of fresh.entries()) {
      const input = el('input', { readOnly: true, 'aria-label': 'Link for ' + f.link.label, class: 'link-url' });
      input.value = f.url;
      box.append(el('div', { class: 'new-link', 'data-index': i },
        qrCanvas(f.url, 132),
        el('div', {}, el('strong', {}, f.link.label), el('br'), f.turf, el('br'),
          `expires ${when(f.link.expires_at)}`, el('br'), input, el('br'),
          el('button', { type: 'button', onclick: () => fullScreen(f) }, 'Show QR full-screen'))));
    }
  }

  // The turf's outline and doors as an SVG (printable without map tiles), doors numbered in walk order.
  function turfSvg(polygon, doors) {
    const NS = 'http://www.w3.org/2000/svg';
    const pts = doors.filter((d) => d.lat != null).map((d) => [d.lon, d.lat]);
    const ring = polygon && polygon.coordinates ? polygon.coordinates[0] : [];
    const all = pts.concat(ring);
    const svg = document.createElementNS(NS, 'svg');
    svg.setAttribute('viewBox', '0 0 400 300');
    svg.setAttribute('class', 'turf-svg');
    svg.setAttribute('role', 'img');
    svg.setAttribute('aria-label', 'Map of the turf');
    if (!all.length) return svg;
    const xs = all.map((p) => p[0]), ys = all.map((p) => p[1]);
    const x0 = Math.min(...xs), x1 = Math.max(...xs), y0 = Math.min(...ys), y1 = Math.max(...ys);
    const k = Math.cos(((y0 + y1) / 2) * Math.PI / 180);
    const s = Math.min(380 / (((x1 - x0) * k) || 1e-9), 280 / ((y1 - y0) || 1e-9));
    const X = (lon) => 10 + (lon - x0) * k * s, Y = (lat) => 290 - (lat - y0) * s;
    if (ring.length) {
      const p = document.createElementNS(NS, 'polygon');
      p.setAttribute('points', ring.map((q) => `${X(q[0]).toFixed(1)},${Y(q[1]).toFixed(1)}`).join(' '));
      p.setAttribute('fill', '#eef3fa'); p.setAttribute('stroke', '#1d4e89');
      svg.append(p);
    }
    for (const d of doors) {
      if (d.lat == null) continue;
      const c = document.createElementNS(NS, 'circle');
      c.setAttribute('cx', X(d.lon).toFixed(1)); c.setAttribute('cy', Y(d.lat).toFixed(1)); c.setAttribute('r', '3');
      svg.append(c);
      const t = document.createElementNS(NS, 'text');
      t.setAttribute('x', (X(d.lon) + 4).toFixed(1)); t.setAttribute('y', (Y(d.lat) - 3).toFixed(1));
      t.setAttribute('font-size', '8');
      t.textContent = String(d.order);
      svg.append(t);
    }
    return svg;
  }

  // One page per new link: QR, turf map, walk list with tally columns for a paper fallback.
  async function printHandouts() {
    const out = $('handouts');
    out.innerHTML = '';
    for (const f of fresh) {
      const w = await api('GET', '/turfs/' + f.link.turf_id + '/walklist');
      const rows = w.doors.map((d) => el('tr', {}, el('td', {}, String(d.order)),
        el('td', {}, d.address),
        el('td', {}, (d.people || []).map((p) => [p.first_name, p.last_name].filter(Boolean).join(' ')).join(', ')),
        ...['', '', '', '', '', ''].map(() => el('td', { class: 'tally' }, ''))));
      out.append(el('article', { class: 'handout' },
        el('header', {}, el('h2', {}, `${f.turf} · ${f.link.label}`), el('p', {}, `Scan to open your walk list. Expires ${when(f.link.expires_at)}.`)),
        el('div', { class: 'handout-top' }, qrCanvas(f.url, 180), turfSvg(w.turf.polygon, w.doors)),
        el('table', { class: 'walk' }, el('thead', {}, el('tr', {}, ...['#', 'Address', 'Residents', 'Not home', 'Talked', 'Refused',
          'Support 1-5', 'Sign-up', 'Notes'].map((h) => el('th', {}, h)))), el('tbody', {}, ...rows)),
        el('p', { class: 'privacy' }, 'Names and addresses only (no party or age). Return this sheet to the organizer or shred it.')));
    }
    out.hidden = false;
    if (!window.doorstepNoPrint) window.print();
  }

  async function make(e) {
    e.preventDefault();
    const picked = [...panel.querySelectorAll('input[name=link-turf]:checked')].map((c) => c.value);
    if (!picked.length) throw new Error('pick at least one turf');
    const labels = picked.map((id) => panel.querySelector(`input[data-label-for="${CSS.escape(id)}"]`).value || turfName(id));
    const v = $('links-expiry').value;
    const body = { turf_ids: picked, labels };
    body.expires_at = v.startsWith('tonight') ? v : Date.now() + Number(v) * 86400000;
    const r = await api('POST', '/campaigns/' + state.campaign + '/links', body);
    fresh = r.links.map((x) => Object.assign({ turf: turfName(x.link.turf_id) }, x));
    renderFresh();
    await list();
    ok();
  }

  async function act(l, what) {
    if (what === 'revoke') await api('POST', '/links/' + l.id + '/revoke', {});
    if (what === 'extend') await api('POST', '/links/' + l.id + '/extend', { expires_at: Math.max(Date.now(), l.expires_at) + 86400000 });
    if (what === 'reissue') {
      const r = await api('POST', '/links/' + l.id + '/reissue', {});
      fresh = [Object.assign({ turf: turfName(r.link.turf_id) }, r)];
      renderFresh();
    }
    await list();
    ok();
  }

  async function list() {
    const body = $('links-all').tBodies[0];
    const { links } = await api('GET', '/campaigns/' + state.campaign + '/links');
    body.innerHTML = '';
    const now = Date.now();
    for (const l of links) {
      const status = l.revoked ? 'revoked' : l.expires_at <= now ? 'expired' : 'active';
      const tr = body.insertRow();
      tr.dataset.link = l.id;
      for (const t of [l.label, turfName(l.turf_id), when(l.expires_at), when(l.last_used_at), status]) tr.insertCell().textContent = t;
      const cell = tr.insertCell();
      if (status !== 'revoked') {
        for (const [what, text] of [['revoke', 'Revoke'], ['extend', '+1 day'], ['reissue', 'Reissue']]) {
          cell.append(el('button', { type: 'button', 'data-act': what, 'aria-label': `${text}: ${l.label}`,
            onclick: () => act(l, what).catch(fail) }, text), ' ');
        }
      }
    }
  }

  function render() {
    panel.innerHTML = '';
    const picks = el('fieldset', { id: 'links-turfs' }, el('legend', {}, 'Turfs'));
    for (const t of turfs) {
      const label = el('input', { 'data-label-for': t.id, placeholder: 'Label (canvasser or team)', 'aria-label': 'Label for ' + t.name, size: 16 });
      picks.append(el('div', {}, el('label', {}, el('input', { type: 'checkbox', name: 'link-turf', value: t.id }), ' ', t.name), ' ', label));
    }
    const expiry = el('select', { id: 'links-expiry', 'aria-label': 'Links expire' });
    for (const [v, t] of [['tonight 21:00', 'tonight 21:00'], ['1', 'in 1 day'], ['7', 'in 7 days'], ['30', 'in 30 days']]) expiry.add(new Option(t, v));
    const form = el('form', { id: 'links-form' }, picks, el('label', {}, 'Expire ', expiry), ' ', el('button', {}, 'Make links'));
    form.onsubmit = (e) => make(e).catch(fail);
    panel.append(el('h2', {}, 'Links'), form, el('div', { id: 'links-new' }),
      el('h3', {}, 'All links'),
      el('table', { id: 'links-all' }, el('thead', {}, el('tr', {}, ...['Label', 'Turf', 'Expires', 'Last used', 'Status'].map((h) => el('th', {}, h)),
        el('th', {}, el('span', { class: 'sr-only' }, 'Actions')))), el('tbody')));
    renderFresh();
  }

  async function load(campaign) {
    fresh = []; turfs = [];
    render();
    if (!campaign) return;
    turfs = (await api('GET', '/campaigns/' + campaign + '/turfs')).turfs;
    render();
    await list();
  }

  const s = Console.screen({ name: 'links', label: 'Links', needs: 'organizer', onCampaign: (id) => load(id).catch(fail),
    onShow: () => (state.campaign ? list() : null) });
  panel = s.panel;
  // Handouts print on their own: the console hides while they are on paper (organizer.css @media print).
  document.body.append(el('div', { id: 'handouts', hidden: '' }));
})();
