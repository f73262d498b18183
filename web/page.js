// Page services the wasm module calls (wasm/js_page.cpp): the link token from the URL fragment,
// the aria-live status mirror, geolocation (one reading per record,
// and the map's "where am I" watch, both asked for only after a one-line reason), network state,
// fetch, and the service worker's tile cache for a turf. Nothing here keeps app state; C++ owns it.
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

  // The browser's permission prompt says nothing of why; the first time, a one-line reason comes
  // first. "Not now" (or a refusal at the prompt) is an answer, never an obstacle: callers go on
  // without a position.
  const REASON_KEY = 'doorstep-geo-reason-shown';
  let reasonText = 'Doorstep uses your location only on this phone: to show where you are and to note where a door was recorded.';
  function withPermission(go, refused) {
    const ask = () => {
      let shown = false;
      try { shown = localStorage.getItem(REASON_KEY) === '1'; } catch (e) { /* private mode */ }
      if (shown) { go(); return; }
      const box = document.getElementById('geo-reason');
      if (!box) { go(); return; }
      document.getElementById('geo-reason-text').textContent = reasonText;
      box.hidden = false;
      const ok = document.getElementById('geo-ok'), no = document.getElementById('geo-no');
      const done = (yes) => {
        box.hidden = true;
        ok.onclick = no.onclick = null;
        try { localStorage.setItem(REASON_KEY, '1'); } catch (e) { /* private mode */ }
        if (yes) go(); else refused();
      };
      ok.onclick = () => done(true);
      no.onclick = () => done(false);
      ok.focus();
    };
    if (!navigator.geolocation) { refused(); return; }
    if (navigator.permissions && navigator.permissions.query) {
      navigator.permissions.query({ name: 'geolocation' }).then((s) => {
        if (s.state === 'granted') go(); else if (s.state === 'denied') refused(); else ask();
      }, ask);
    } else {
      ask();
    }
  }

  const WATCH_MAX_MS = 10 * 60 * 1000;  // a running GPS drains the battery: ten minutes at most

  const api = {
    takeLinkToken() { const t = token; token = null; return t || ''; },
    clearLinkFromUrl() {
      if (/(?:^#|&)t=/.test(location.hash)) history.replaceState(null, '', location.pathname + location.search);
    },
    setStatus(text) { const el = document.getElementById('status'); if (el.textContent !== text) el.textContent = text; },
    setLang(lang) {
      document.documentElement.lang = lang;
      if (window.DoorstepPlatform) DoorstepPlatform.localize(lang);  // the page's own words (platform.js)
    },
    // The phone's languages in its order of preference, one per line.
    phoneLanguages() { return (navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language || 'en']).join('\n'); },
    // Practice mode is a fresh page in sandbox mode (no storage started); leaving it goes back to
    // the bare page, which resumes the stored turf.
    openPractice(on) {
      history.replaceState(null, '', location.pathname + location.search + (on ? '#practice' : ''));
      location.reload();
    },
    // Mobile data, where the browser tells (Chrome on Android: navigator.connection).
    onMobileData() {
      const c = navigator.connection;
      return !!c && (c.type === 'cellular' || c.saveData === true);
    },
    callPhone(number) {
      const n = String(number).replace(/[^0-9+]/g, '');
      if (n) location.href = 'tel:' + n;
    },
    // #practice (a canvasser's practice turf, practice.json) or #preview=<turf id> (the package an
    // organizer is looking at, fetched with the organizer's session; plain #preview reads it from
    // sessionStorage, left there by the console): sandbox mode, see docs/client.md.
    // Display settings (text size, contrast, language) and the canvasser's own first name (asked
    // at the first open, kept on this device); nothing about residents.
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
        const turf = /^#preview=([0-9a-f-]{36})$/.exec(location.hash);
        if (turf) {
          // Kept in memory only (no-store: not even the HTTP cache keeps the residents' names).
          fetch('api/v1/turfs/' + turf[1] + '/package', { credentials: 'same-origin', cache: 'no-store' })
            .then((r) => (r.ok ? r.text() : Promise.reject(r.status)))
            .then((t) => call('doorstepSandboxPackage', true, t), () => call('doorstepSandboxPackage', false, ''));
          return;
        }
        const text = sessionStorage.getItem('doorstep-preview');
        call('doorstepSandboxPackage', !!text, text || '');
        return;
      }
      fetch('practice.json', { cache: 'no-store' }).then((r) => (r.ok ? r.text() : Promise.reject(r.status)))
        .then((t) => call('doorstepSandboxPackage', true, t), () => call('doorstepSandboxPackage', false, ''));
    },
    setMirror(json) { if (window.DoorstepMirror) DoorstepMirror.update(json); },
    // Keys typed into a page control (a mirror element, a text field's input) are not the panel's.
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
    setLocationReason(text) { if (text) reasonText = text; },
    // One reading per record (no watchPosition: a running GPS drains the battery). ask false: a
    // quiet reading, only when the permission is already granted (selecting a door never prompts).
    locate(reqId, ask) {
      const fail = () => call('doorstepPosition', reqId, false, 0, 0, 0);
      const read = () => navigator.geolocation.getCurrentPosition(
        (p) => call('doorstepPosition', reqId, true, p.coords.latitude, p.coords.longitude, p.coords.accuracy),
        fail, { enableHighAccuracy: true, timeout: 15000, maximumAge: 30000 });
      if (ask !== false) { withPermission(read, fail); return; }
      if (!navigator.geolocation || !navigator.permissions || !navigator.permissions.query) { fail(); return; }
      navigator.permissions.query({ name: 'geolocation' }).then((s) => (s.state === 'granted' ? read() : fail()), fail);
    },
    // "Where am I": follows the position while the page is visible, for ten minutes at most.
    // Returns a function that stops it. onFail runs on refusal, on error and when the time is up.
    watchPosition(onPos, onFail) {
      let watch = null, timer = null, stopped = false;
      const start = () => {
        if (stopped || watch !== null || document.hidden) return;
        watch = navigator.geolocation.watchPosition(
          (p) => onPos(p.coords.latitude, p.coords.longitude, p.coords.accuracy),
          () => { stop(); onFail(); },
          { enableHighAccuracy: true, maximumAge: 5000, timeout: 30000 });
      };
      const pause = () => { if (watch !== null) navigator.geolocation.clearWatch(watch); watch = null; };
      const onVisibility = () => { if (document.hidden) pause(); else start(); };
      function stop() {
        stopped = true;
        pause();
        clearTimeout(timer);
        document.removeEventListener('visibilitychange', onVisibility);
      }
      withPermission(() => {
        if (stopped) return;
        document.addEventListener('visibilitychange', onVisibility);
        timer = setTimeout(() => { stop(); onFail(); }, WATCH_MAX_MS);
        start();
      }, () => { stopped = true; onFail(); });
      return stop;
    },
    // Hands the service worker the turf's tile URLs once its package is stored; the worker keeps
    // them in doorstep-tiles-<turf> up to capBytes. Safe to call again: cached tiles are skipped.
    cacheTiles(turf, urlsJson, capBytes) {
      if (!navigator.serviceWorker) return;
      navigator.serviceWorker.ready.then((reg) => {
        if (reg.active) reg.active.postMessage({ type: 'cache-tiles', turf, urls: JSON.parse(urlsJson), cap: capBytes });
      });
    },
    // wipe(): the turf is gone, so are its tiles (`turf`: only that turf's, others stay on the phone).
    dropTileCaches(turf) {
      if (!window.caches) return;
      const only = turf ? 'doorstep-tiles-' + String(turf).replace(/[^A-Za-z0-9_-]/g, '') : '';
      caches.keys().then((keys) => Promise.all(keys.filter((k) => (only ? k === only : k.startsWith('doorstep-tiles-'))).map((k) => caches.delete(k))));
    },
    request(reqId, method, path, body, bearer) {
      const headers = { 'Accept': 'application/json' };
      if (body) headers['Content-Type'] = 'application/json';
      if (bearer) headers['Authorization'] = 'Bearer ' + bearer;
      fetch(path, { method, headers, body: body || undefined, cache: 'no-store', credentials: 'same-origin' })
        // The body's bytes as they came, copied into the module at once (a package is large, and
        // embind's string conversion walks a text character by character).
        .then((r) => r.arrayBuffer().then((b) => {
          const len = Number(r.headers.get('Content-Length'));
          call('doorstepHttpDoneBytes', reqId, r.status, new Uint8Array(b), Number.isFinite(len) && r.headers.has('Content-Length') ? len : -1);
        }))
        .catch(() => call('doorstepHttpDone', reqId, 0, '', -1));
    },
  };
  // The worker's report on a turf's tiles (tests and the benchmark read it; C++ does not need it).
  if (navigator.serviceWorker) {
    navigator.serviceWorker.addEventListener('message', (e) => {
      if (e.data && e.data.type === 'tiles-cached' && window.doorstepStats) window.doorstepStats.tiles = e.data;
    });
  }
  window.addEventListener('online', () => call('doorstepNetworkChanged', true));
  window.addEventListener('offline', () => call('doorstepNetworkChanged', false));
  window.DoorstepPage = api;
})();
