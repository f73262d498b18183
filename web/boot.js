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
  // The GPU process, warmed up at once on a worker's thread (web/gl_warm.js): the page's first
  // WebGL context otherwise blocks the main thread for 0.3-2 s waiting for it; after the warm-up
  // it takes about 10 ms. The worker lives until the page's context exists (ending it earlier
  // lets the channel go). Without OffscreenCanvas, or after 4 s, the page goes on without it.
  // doorstepStats.glWarm says how it went ('ok', 'no', 'error', 'late', 'none'); glContextMs is
  // what the page's own context then took (bench/startup.mjs prints both).
  let warmer = null;
  const warm = new Promise((resolve) => {
    const done = (how) => { if (!window.doorstepStats.glWarm) window.doorstepStats.glWarm = how; resolve(); };
    if (preview || typeof OffscreenCanvas !== 'function' || typeof Worker !== 'function') { done('none'); return; }
    try {
      warmer = new Worker('gl_warm.js');
      warmer.onmessage = (e) => done(e.data ? 'ok' : 'no');
      warmer.onerror = () => done('error');
      setTimeout(() => done('late'), 4000);
    } catch (e) { done('error'); }
  });
  // The module and the font download in parallel; the app starts when both are here. Both wait
  // for the first screen (index.html's #skeleton) to be painted: until then the network and the
  // main thread are the first paint's.
  const begin = () => {
    // The WebGL context while the module downloads, once the GPU process is warm: the module's own
    // request for it (wasm/platform.cpp, same attributes) then gets this one back.
    const context = warm.then(() => {
      const t0 = performance.now();
      try {
        // Its drawing buffer at the size the module gives it (wasm/platform.cpp resize_canvas):
        // resizing a WebGL canvas later is a wait for the GPU process.
        const ui = document.getElementById('ui'), box = ui.getBoundingClientRect(), dpr = window.devicePixelRatio || 1;
        ui.width = Math.round(box.width * dpr);
        ui.height = Math.round(box.height * dpr);
        ui.getContext('webgl2', { alpha: false, depth: true, stencil: false, antialias: false,
          premultipliedAlpha: true, preserveDrawingBuffer: false, powerPreference: 'low-power' });
      } catch (e) { /* the module reports a missing WebGL 2 itself */ }
      window.doorstepStats.glContextMs = performance.now() - t0;
      if (warmer) warmer.terminate();
    });
    const font = fetch('fonts/DejaVuSans.ttf').then((r) => (r.ok ? r.arrayBuffer() : Promise.reject(r.status)));
    const opts = {
      canvas: document.getElementById('ui'),
      print: (t) => console.log(t),
      printErr: (t) => console.warn(t),
    };
    Promise.all([createDoorstep(opts), font, context]).then(([mod, bytes]) => {
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
