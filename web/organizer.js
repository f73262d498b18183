// Organizer console logic (see organizer.html): session cookie + CSRF header on every change,
// a Leaflet map of the campaign's turfs, and progress polled by cursor every few seconds while
// the tab is visible. Tokens appear once, when a link is made, and only in this page.
'use strict';
(function () {
  let csrf = '';
  let campaign = null;
  let cursor = '';
  let map = null, turfLayer = null;
  const $ = (id) => document.getElementById(id);

  async function api(method, path, body, raw) {
    const headers = { Accept: 'application/json' };
    if (method !== 'GET') headers['X-CSRF-Token'] = csrf;
    let payload;
    if (raw !== undefined) { payload = raw; headers['Content-Type'] = 'text/csv'; }
    else if (body !== undefined) { payload = JSON.stringify(body); headers['Content-Type'] = 'application/json'; }
    const r = await fetch('/api/v1' + path, { method, headers, body: payload, credentials: 'same-origin', cache: 'no-store' });
    const type = r.headers.get('Content-Type') || '';
    const data = type.includes('json') ? await r.json() : await r.text();
    if (!r.ok) throw new Error((data && data.message) || ('HTTP ' + r.status));
    return data;
  }
  const fail = (e) => { $('error').textContent = String(e.message || e); };
  const ok = () => { $('error').textContent = ''; };

  async function start() {
    const m = /#signin=([0-9a-f]+)/.exec(location.hash);
    if (m) {
      history.replaceState(null, '', location.pathname);
      try { signedIn(await api('POST', '/auth/link', { token: m[1] })); return; } catch (e) { fail(e); }
    }
    try { signedIn(await api('GET', '/auth/me')); } catch { $('signin').hidden = false; }
  }

  function signedIn(me) {
    csrf = me.csrf_token;
    $('who').textContent = me.account.email;
    $('signin').hidden = true;
    $('console').hidden = false;
    map = map || L.map('omap', { preferCanvas: true }).setView([34.0, -118.46], 14);
    loadCampaigns().catch(fail);
  }

  async function loadCampaigns() {
    const { campaigns } = await api('GET', '/campaigns');
    const sel = $('campaign');
    sel.innerHTML = '';
    for (const c of campaigns) sel.add(new Option(c.name, c.id));
    if (campaigns.length) { campaign = campaigns[0].id; await loadCampaign(); }
  }

  async function loadCampaign() {
    cursor = '';
    const c = await api('GET', '/campaigns/' + campaign);
    const n = c.counts || {};
    const { turfs } = await api('GET', '/campaigns/' + campaign + '/turfs');
    $('counts').textContent = `${n.people || 0} people · ${n.doors || 0} doors · ${turfs.length} turfs`;
    const body = $('turfs').tBodies[0];
    body.innerHTML = '';
    if (turfLayer) turfLayer.remove();
    turfLayer = L.featureGroup().addTo(map);
    for (const t of turfs) {
      const tr = body.insertRow();
      tr.dataset.turf = t.id;
      tr.insertCell().textContent = t.name;
      tr.insertCell().textContent = t.doors;
      tr.insertCell().className = 'knocked';
      tr.insertCell().className = 'contacts';
      const b = document.createElement('button');
      b.textContent = 'New link';
      b.onclick = () => makeLink(t).catch(fail);
      tr.insertCell().append(b);
      if (t.polygon) L.geoJSON(t.polygon, { style: { color: '#1d4e89', weight: 2, fillOpacity: 0.08 } })
        .bindTooltip(t.name).addTo(turfLayer);
    }
    if (turfs.length) map.fitBounds(turfLayer.getBounds(), { padding: [20, 20] });
    $('exports').innerHTML = '';
    for (const kind of ['van', 'attempts', 'signups', 'turfs']) {
      const a = document.createElement('a');
      a.href = '/api/v1/campaigns/' + campaign + '/export/' + kind;
      a.textContent = kind;
      a.download = '';
      $('exports').append(a, ' ');
    }
    await poll();
  }

  async function makeLink(t) {
    const r = await api('POST', '/turfs/' + t.id + '/links', { expires_in_days: 30, label: t.name });
    const box = $('link-out');
    box.innerHTML = '';
    const p = document.createElement('p');
    p.textContent = `Link for ${t.name} (shown once; expires ${new Date(r.link.expires_at).toLocaleDateString()}):`;
    const input = document.createElement('input');
    input.readOnly = true;
    input.value = r.url;
    input.id = 'new-link';
    box.append(p, input);
    input.select();
    ok();
  }

  async function poll() {
    if (!campaign) return;
    const p = await api('GET', '/campaigns/' + campaign + '/progress' + (cursor ? '?cursor=' + encodeURIComponent(cursor) : ''));
    cursor = p.cursor;
    const t = p.totals || {};
    const bands = p.distance_bands || {};
    $('totals').textContent = `${t.attempts || 0} attempts · ${t.doors_knocked || 0} doors · ${t.contacts || 0} contacts` +
      ` (${Math.round(100 * (t.contact_rate || 0))}%) · GPS: ${bands.green || 0} near, ${bands.orange || 0} 100-300 m, ${bands.red || 0} far`;
    for (const tp of p.turfs || []) {
      const row = document.querySelector(`tr[data-turf="${tp.id}"]`);
      if (!row) continue;
      row.querySelector('.knocked').textContent = tp.knocked;
      row.querySelector('.contacts').textContent = tp.contacts;
    }
  }

  $('campaign').onchange = (e) => { campaign = e.target.value; loadCampaign().catch(fail); };
  $('signin-form').onsubmit = (e) => {
    e.preventDefault();
    api('POST', '/auth/signin', { email: $('email').value, password: $('password').value }).then(signedIn, fail);
  };
  $('upload-form').onsubmit = async (e) => {
    e.preventDefault();
    const f = $('file').files[0];
    if (!f) return;
    try {
      const rep = await api('POST', '/campaigns/' + campaign + '/universe', undefined, await f.text());
      $('report').textContent = `${rep.rows} rows · ${rep.people} people · ${rep.doors} doors · ${rep.geocoded} placed\n` +
        (rep.errors || []).slice(0, 50).map((x) => `row ${x.row}: ${x.message}`).join('\n');
      ok();
      await loadCampaign();
    } catch (err) { fail(err); }
  };
  $('cut-form').onsubmit = (e) => {
    e.preventDefault();
    api('POST', '/campaigns/' + campaign + '/turfs/auto', { target_doors: Number($('target').value) }).then(loadCampaign, fail);
  };
  // Live progress: every 5 s while the tab is visible.
  setInterval(() => { if (!document.hidden && campaign) poll().catch(fail); }, 5000);
  start();
})();
