// Page services the wasm module calls (wasm/js_page.cpp): the link token from the URL fragment,
// the aria-live status mirror, the native text editor overlay, one-shot geolocation, network state
// and fetch. Nothing here keeps app state; C++ owns it.
'use strict';
(function () {
  let token = null;
  // The token travels in the fragment (#t=...), never in a URL the server sees. It leaves the
  // address bar (history, screenshots) once the app has stored it durably: clearLinkFromUrl().
  const m = /(?:^#|&)t=([0-9a-f]{32})/.exec(location.hash);
  if (m) token = m[1];

  function call(name, ...args) {
    if (window.Module && typeof Module[name] === 'function') Module[name](...args);
  }

  const api = {
    takeLinkToken() { const t = token; token = null; return t || ''; },
    clearLinkFromUrl() {
      if (/(?:^#|&)t=/.test(location.hash)) history.replaceState(null, '', location.pathname + location.search);
    },
    setStatus(text) { const el = document.getElementById('status'); if (el.textContent !== text) el.textContent = text; },
    setLang(lang) { document.documentElement.lang = lang; },
    // #practice (a canvasser's practice turf, practice.json) or #preview (the package an organizer
    // is looking at, left in sessionStorage by the console): sandbox mode, see docs/client.md.
    // Display settings (text size, contrast) only: nothing personal goes to localStorage.
    loadSetting(key) {
      try { return localStorage.getItem('doorstep-setting-' + key) || ''; } catch (e) { return ''; }
    },
    saveSetting(key, value) {
      try { localStorage.setItem('doorstep-setting-' + key, value); } catch (e) { /* private mode: not remembered */ }
    },
    sandboxMode() {
      const s = /^#(practice|preview)\b/.exec(location.hash);
      return s ? s[1] : '';
    },
    loadSandboxPackage(mode) {
      if (mode === 'preview') {
        const text = sessionStorage.getItem('doorstep-preview');
        call('doorstepSandboxPackage', !!text, text || '');
        return;
      }
      fetch('practice.json', { cache: 'no-store' }).then((r) => (r.ok ? r.text() : Promise.reject(r.status)))
        .then((t) => call('doorstepSandboxPackage', true, t), () => call('doorstepSandboxPackage', false, ''));
    },
    setMirror(json) { if (window.DoorstepMirror) DoorstepMirror.update(json); },
    // Keys typed into a page control (a mirror element, the editor) are not the panel's.
    focusInPageControl() {
      const a = document.activeElement;
      return !!a && a !== document.body && a.id !== 'ui';
    },
    nowMs() { return Date.now(); },
    online() { return navigator.onLine; },
    showMap(show) {
      document.body.classList.toggle('map-hidden', !show);
      window.dispatchEvent(new Event('resize'));
    },
    editText(reqId, title, initial, multiline) {
      const box = document.getElementById('editor');
      const text = document.getElementById('editor-text');
      document.getElementById('editor-title').textContent = title;
      text.rows = multiline ? 5 : 1;
      text.value = initial;
      box.hidden = false;
      // A dialog: while it is open the panel's mirror is out of reach (keyboard, screen reader).
      document.getElementById('mirror').inert = true;
      // Focus inside the same user gesture that opened the editor, or iOS keeps the keyboard shut.
      text.focus();
      const form = document.getElementById('editor-form');
      const done = (ok) => {
        box.hidden = true;
        document.getElementById('mirror').inert = false;
        form.onsubmit = null;
        document.getElementById('editor-cancel').onclick = null;
        call('doorstepTextEdited', reqId, ok, text.value);
      };
      form.onsubmit = (e) => { e.preventDefault(); done(true); };
      document.getElementById('editor-cancel').onclick = () => done(false);
    },
    // One reading per record (no watchPosition: a running GPS drains the battery).
    locate(reqId) {
      if (!navigator.geolocation) { call('doorstepPosition', reqId, false, 0, 0, 0); return; }
      navigator.geolocation.getCurrentPosition(
        (p) => call('doorstepPosition', reqId, true, p.coords.latitude, p.coords.longitude, p.coords.accuracy),
        () => call('doorstepPosition', reqId, false, 0, 0, 0),
        { enableHighAccuracy: true, timeout: 15000, maximumAge: 30000 });
    },
    request(reqId, method, path, body, bearer) {
      const headers = { 'Accept': 'application/json' };
      if (body) headers['Content-Type'] = 'application/json';
      if (bearer) headers['Authorization'] = 'Bearer ' + bearer;
      fetch(path, { method, headers, body: body || undefined, cache: 'no-store', credentials: 'same-origin' })
        .then((r) => r.text().then((t) => call('doorstepHttpDone', reqId, r.status, t)))
        .catch(() => call('doorstepHttpDone', reqId, 0, ''));
    },
  };
  window.addEventListener('online', () => call('doorstepNetworkChanged', true));
  window.addEventListener('offline', () => call('doorstepNetworkChanged', false));
  window.DoorstepPage = api;
})();
