// The console's shell (see organizer.html): the API client (session cookie + CSRF header on every
// change), the signed-in state, the campaign picker, the shared campaign map, and a registry of
// screens. Leaves out every screen's own content: each lives in organizer/screen_NAME.js and calls
// Console.screen(). Tokens appear once, when a link is made, and only on the page.
'use strict';
window.Console = (function () {
  const $ = (id) => document.getElementById(id);
  const state = { csrf: '', me: null, campaign: null, campaigns: [], map: null };
  const screens = [];          // {name, label, panel, onCampaign, onShow, onHide, onPoll}
  let current = null;

  async function api(method, path, body, raw, contentType) {
    const headers = { Accept: 'application/json' };
    if (method !== 'GET') headers['X-CSRF-Token'] = state.csrf;
    let payload;
    if (raw !== undefined) { payload = raw; headers['Content-Type'] = contentType || 'text/csv'; }
    else if (body !== undefined) { payload = JSON.stringify(body); headers['Content-Type'] = 'application/json'; }
    const r = await fetch('/api/v1' + path, { method, headers, body: payload, credentials: 'same-origin', cache: 'no-store' });
    const type = r.headers.get('Content-Type') || '';
    const data = type.includes('json') ? await r.json() : await r.text();
    if (!r.ok) {
      const e = new Error((data && data.message) || ('HTTP ' + r.status));
      e.status = r.status; e.code = data && data.code; e.body = data;
      throw e;
    }
    return data;
  }
  // The console's wasm module (organizer/console.js: CSV reader, live turf counts), loaded once.
  let modulePromise = null;
  function wasm() {
    if (!modulePromise) {
      modulePromise = new Promise((resolve, reject) => {
        const s = document.createElement('script');
        s.src = 'organizer/console.js';
        s.onload = () => createConsoleModule({ locateFile: (p) => 'organizer/' + p }).then(resolve, reject);
        s.onerror = () => reject(new Error('the console module did not load'));
        document.head.append(s);
      });
    }
    return modulePromise;
  }
  const fail = (e) => { $('error').textContent = String((e && e.message) || e); };
  const ok = () => { $('error').textContent = ''; };
  // Text for the DOM always goes through textContent or this: names are never HTML.
  const el = (tag, props, ...children) => {
    const n = document.createElement(tag);
    for (const [k, v] of Object.entries(props || {})) {
      if (k === 'class') n.className = v; else if (k.startsWith('on')) n[k] = v;
      else if (k in n && typeof v !== 'string') n[k] = v; else n.setAttribute(k, v);
    }
    for (const c of children) n.append(c);
    return n;
  };

  // The caller's role in the selected campaign ('owner', 'organizer', 'viewer'; '' with none), and
  // whether it reaches `needs`. The server decides every request; this only hides what it refuses.
  const RANK = { viewer: 1, organizer: 2, owner: 3 };
  const role = () => ((state.campaigns.find((c) => c.id === state.campaign) || {}).role || '');
  const may = (needs) => !needs || !state.campaign || (RANK[role()] || 0) >= RANK[needs];

  // A screen: {name, label, needs, onCampaign(campaignId), onShow(), onHide(), onPoll()}; its panel
  // is the <section data-screen=name> in organizer.html or one made here. `needs` ('organizer',
  // 'owner'): the least campaign role that sees the screen (absent: every member).
  function screen(def) {
    let panel = document.querySelector(`section[data-screen="${def.name}"]`);
    if (!panel) {
      panel = el('section', { id: 'screen-' + def.name, 'data-screen': def.name, role: 'tabpanel', hidden: '' });
      document.querySelector('#console aside').append(panel);
    }
    const s = Object.assign({ panel, label: panel.dataset.label || def.name }, def);
    screens.push(s);
    const tab = el('button', { role: 'tab', id: 'tab-' + def.name, type: 'button', 'aria-controls': panel.id,
      onclick: () => show(def.name) }, s.label);
    panel.setAttribute('aria-labelledby', tab.id);
    $('screens').append(tab);
    s.tab = tab;
    return s;
  }

  function show(name) {
    if (current && current.name !== name && current.onHide) current.onHide();
    for (const s of screens) {
      const on = s.name === name;
      s.panel.hidden = !on;
      s.tab.setAttribute('aria-selected', String(on));
      s.tab.tabIndex = on ? 0 : -1;
      if (on) current = s;
    }
    if (current && current.onShow) Promise.resolve(current.onShow()).catch(fail);
  }

  async function loadCampaigns(select) {
    const { campaigns } = await api('GET', '/campaigns');
    state.campaigns = campaigns;
    const sel = $('campaign');
    sel.innerHTML = '';
    for (const c of campaigns) sel.add(new Option(c.name, c.id));
    $('campaign-picker').hidden = campaigns.length === 0;
    const keep = select || state.campaign;
    const pick = campaigns.find((c) => c.id === keep) || campaigns[0];
    if (pick) { sel.value = pick.id; await selectCampaign(pick.id); }
    else await selectCampaign(null);
  }

  async function selectCampaign(id) {
    state.campaign = id;
    for (const s of screens) s.tab.hidden = !may(s.needs);
    if (current && !may(current.needs)) show((screens.find((s) => s.name === 'dashboard') || screens[0]).name);
    for (const s of screens) if (s.onCampaign && may(s.needs)) await s.onCampaign(id);
  }

  async function poll() {
    if (!state.campaign) return;
    for (const s of screens) if (s.onPoll && may(s.needs)) await s.onPoll();
  }

  function signedIn(me) {
    localStorage.setItem('doorstep.console', 'signed-in');
    state.me = me;
    state.csrf = me.csrf_token;
    $('who').textContent = me.account.email;
    $('signin').hidden = true;
    $('console').hidden = false;
    if (!state.map) {
      state.map = L.map('omap', { preferCanvas: true }).setView([34.0, -118.46], 14);
      if (state.mapReady) state.mapReady(state.map);  // the turfs screen's drawing events
      // The server's base map, when it has one (footprints, house numbers, outlines with names);
      // the sign-in answer says whether it does, so a server without one logs no 404 here.
      if (me.base_map) fetch('tiles.json', { credentials: 'same-origin' }).then((r) => (r.ok ? r.json() : null)).then((tj) => {
        if (tj && tj.tiles && tj.tiles[0]) DoorstepBasemap.layer(tj.tiles[0], tj.attribution, tj.maxzoom).addTo(state.map).bringToBack();
      }).catch(() => {});
    }
    if (!current && screens.length) show(screens[0].name);
    return loadCampaigns().catch(fail);
  }

  async function start() {
    const m = /#signin=([0-9a-f]+)/.exec(location.hash);
    if (m) {
      history.replaceState(null, '', location.pathname);
      try { await signedIn(await api('POST', '/auth/link', { token: m[1] })); return; } catch (e) { fail(e); }
    }
    // Only a browser that signed in before asks who it is (a 401 would be a console error for
    // every first visit); the flag says nothing about who.
    if (localStorage.getItem('doorstep.console') === 'signed-in') {
      try { await signedIn(await api('GET', '/auth/me')); return; } catch { localStorage.removeItem('doorstep.console'); }
    }
    $('signin').hidden = false;
  }

  $('campaign').onchange = (e) => { selectCampaign(e.target.value).catch(fail); };
  $('signin-form').onsubmit = (e) => {
    e.preventDefault();
    api('POST', '/auth/signin', { email: $('email').value, password: $('password').value }).then(signedIn, fail);
  };
  // Tabs by keyboard: arrows move between them (WAI-ARIA tabs pattern).
  $('screens').addEventListener('keydown', (e) => {
    if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
    const shown = screens.filter((x) => !x.tab.hidden);
    const i = shown.indexOf(current) + (e.key === 'ArrowRight' ? 1 : -1);
    const s = shown[(i + shown.length) % shown.length];
    show(s.name); s.tab.focus();
  });
  // Live progress: every 5 s while the tab is visible.
  setInterval(() => { if (!document.hidden && state.campaign) poll().catch(fail); }, 5000);

  return { $, el, api, fail, ok, state, role, may, screen, show, poll, loadCampaigns, selectCampaign, start, wasm };
})();
