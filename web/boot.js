// Starts the app: registers the service worker (offline shell), loads the Latin/Armenian font,
// then instantiates the wasm module. Anything that fails here shows the fallback text.
'use strict';
(function () {
  // An organizer's one-time sign-in link lands here: the console is its own page.
  if (/^#signin=/.test(location.hash)) { location.replace('organizer.html' + location.hash); return; }
  window.doorstepStats = { frames: 0, bootStart: performance.now(), firstFrame: 0 };
  // A preview (the console's iframe) installs nothing: it is a look at a package, not a shift.
  const preview = /^#preview\b/.test(location.hash);
  if (!preview && 'serviceWorker' in navigator && (location.protocol === 'https:' || location.hostname === '127.0.0.1' || location.hostname === 'localhost')) {
    navigator.serviceWorker.register('sw.js').then((reg) => {
      // A new build waits; let it take over once nothing is left to send (see sw.js).
      window.doorstepOfferUpdate = () => { if (reg.waiting) reg.waiting.postMessage({ type: 'outbox-empty' }); };
    }).catch(() => {});
  }
  const fail = () => { document.getElementById('fallback').hidden = false; };
  if (typeof WebAssembly !== 'object') { fail(); return; }
  // The module and the font download in parallel; the app starts when both are here.
  const font = fetch('fonts/DejaVuSans.ttf').then((r) => (r.ok ? r.arrayBuffer() : Promise.reject(r.status)));
  const opts = {
    canvas: document.getElementById('ui'),
    print: (t) => console.log(t),
    printErr: (t) => console.warn(t),
  };
  Promise.all([createDoorstep(opts), font]).then(([mod, bytes]) => {
    window.Module = mod;
    try { mod.FS.mkdir('/fonts'); } catch (e) { /* exists */ }
    mod.FS.writeFile('/fonts/DejaVuSans.ttf', new Uint8Array(bytes));
    mod.doorstepStart();
  }).catch((e) => { console.error(e); fail(); });

  // Fonts for Korean and Chinese load only when a canvasser picks one of those languages.
  window.DoorstepFonts = {
    loadCjk() {
      fetch('fonts/wqy-microhei.ttc').then((r) => r.arrayBuffer()).then((buf) => {
        Module.FS.writeFile('/fonts/wqy-microhei.ttc', new Uint8Array(buf));
        Module.doorstepFontLoaded(true);
      }).catch(() => Module.doorstepFontLoaded(false));
    },
  };
})();
