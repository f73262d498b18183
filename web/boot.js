// Starts the app once the first screen is painted: loads the Latin/Armenian font and instantiates
// the wasm module (streaming compilation), then registers the service worker (offline shell).
// Anything that fails here shows the fallback text.
'use strict';
(function () {
  // An organizer's one-time sign-in link lands here: the console is its own page.
  if (/^#signin=/.test(location.hash)) { location.replace('organizer.html' + location.hash); return; }
  window.doorstepStats = Object.assign(window.doorstepStats || {}, { frames: 0, bootStart: performance.now(), firstFrame: 0 });
  // A preview (the console's iframe) installs nothing: it is a look at a package, not a shift.
  const preview = /^#preview\b/.test(location.hash);
  // Once the module is in (see begin below): the worker's install fetches the whole shell, which
  // must not compete with the first screen's downloads (it revalidates what the page just fetched).
  const registerWorker = () => {
    if (preview || !('serviceWorker' in navigator) || !(location.protocol === 'https:' || location.hostname === '127.0.0.1' || location.hostname === 'localhost')) return;
    navigator.serviceWorker.register('sw.js').then((reg) => {
      // A new build waits; let it take over once nothing is left to send (see sw.js).
      window.doorstepOfferUpdate = () => { if (reg.waiting) reg.waiting.postMessage({ type: 'outbox-empty' }); };
    }).catch(() => {});
  };
  const fail = () => { document.getElementById('fallback').hidden = false; };
  if (typeof WebAssembly !== 'object') { fail(); return; }
  // The panel's drawing: on a worker where one can draw WebGL 2 (web/panel.js), else on the page
  // after the worker warmed up the GPU process (the page's first context otherwise blocks the main
  // thread 0.3-2 s). Begun at once: the worker's probe runs while the page paints. doorstepStats
  // says how it went: panel ('worker' or 'page'), glWarm ('ok', 'no', 'error', 'late', 'none'),
  // glContextMs (the panel's context, on whichever thread made it).
  window.DoorstepPanel.start(document.getElementById('ui'));
  // The module and the font download in parallel; the app starts when both are here. Both wait
  // for the first screen (index.html's #skeleton) to be painted: until then the network and the
  // main thread are the first paint's.
  const begin = () => {
    const panel = window.DoorstepPanel.ready();
    const font = fetch('fonts/DejaVuSans.ttf').then((r) => (r.ok ? r.arrayBuffer() : Promise.reject(r.status)));
    const opts = {
      canvas: document.getElementById('ui'),
      print: (t) => console.log(t),
      printErr: (t) => console.warn(t),
      // Compiled while it streams, as the module's glue would, and then handed to a worker that
      // runs the first SQLite work once (web/wasm_warm.js): the page's first statements then find
      // their functions compiled. doorstepStats.wasmWarm says how it went ('ok', 'no', 'late').
      instantiateWasm(imports, done) {
        const warm = (module) => {
          if (typeof Worker !== 'function') return;
          let w;
          try { w = new Worker('wasm_warm.js'); } catch (e) { return; }
          const end = (how) => { if (!window.doorstepStats.wasmWarm) window.doorstepStats.wasmWarm = how; w.terminate(); };
          w.onmessage = (e) => { window.doorstepStats.wasmWarmMs = e.data.ms; end(e.data.ok ? 'ok' : 'no'); };
          w.onerror = () => end('no');
          setTimeout(() => end('late'), 20000);
          w.postMessage({ module });
        };
        const streamed = WebAssembly.instantiateStreaming
          ? WebAssembly.instantiateStreaming(fetch('doorstep.wasm', { credentials: 'same-origin' }), imports)
          : Promise.reject(new Error('no streaming'));
        streamed.catch(() => fetch('doorstep.wasm', { credentials: 'same-origin' }).then((r) => r.arrayBuffer())
          .then((b) => WebAssembly.instantiate(b, imports)))
          .then(({ instance, module }) => { done(instance, module); warm(module); })
          .catch((e) => { console.error(e); fail(); });
        return {};
      },
    };
    Promise.all([createDoorstep(opts), font, panel]).then(([mod, bytes]) => {
      window.Module = mod;
      try { mod.FS.mkdir('/fonts'); } catch (e) { /* exists */ }
      mod.FS.writeFile('/fonts/DejaVuSans.ttf', new Uint8Array(bytes));
      // Its own task: instantiating the module and starting it are each long enough.
      setTimeout(() => { try { mod.doorstepStart(); } catch (e) { console.error(e); fail(); } }, 0);
    }).catch((e) => { console.error(e); fail(); }).then(registerWorker);
  };
  let begun = false;
  const once = () => { if (!begun) { begun = true; begin(); } };
  // The largest-contentful-paint entry where the browser has one (it comes with the same first
  // paint, just after it): a download begun before it counts towards that paint in Lighthouse's
  // simulation (an 800 KB module on slow 4G, 1.9 s becoming 5.5 s in one run of five).
  const types = (window.PerformanceObserver && PerformanceObserver.supportedEntryTypes) || [];
  const firstPaint = types.includes('largest-contentful-paint') ? 'largest-contentful-paint' : 'paint';
  if (document.visibilityState === 'hidden' || !types.includes(firstPaint)) {
    once();  // a tab opened in the background paints nothing; a browser without paint timing
  } else {
    new PerformanceObserver((list, observer) => { observer.disconnect(); setTimeout(once, 0); }).observe({ type: firstPaint, buffered: true });
    setTimeout(once, 1000);  // however long the paint takes, not longer than this
  }

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
