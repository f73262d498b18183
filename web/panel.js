// The page's side of the panel's drawing (web/panel_worker.js draws): DoorstepPanel.start() makes
// the worker, which first answers whether it can make a WebGL 2 context; if it can, the canvas is
// handed to it and the module (wasm/gl_draw.cpp) sends frames, the font atlas and sizes through
// DoorstepPanel. If not (no OffscreenCanvas or no WebGL in workers), the page makes the context
// itself, the worker having warmed up the GPU process meanwhile. Leaves out the drawing.
'use strict';
(function () {
  const stats = () => (window.doorstepStats = window.doorstepStats || {});
  const attributes = { alpha: false, depth: true, stencil: false, antialias: false, premultipliedAlpha: true,
    preserveDrawingBuffer: false, powerPreference: 'low-power' };

  // The drawing buffer at the size the module gives it (wasm/platform.cpp resize_canvas): resizing
  // a WebGL canvas later is a wait for the GPU process.
  function size(canvas) {
    const box = canvas.getBoundingClientRect(), dpr = window.devicePixelRatio || 1;
    canvas.width = Math.round(box.width * dpr);
    canvas.height = Math.round(box.height * dpr);
  }

  function failed(log) {
    console.error('doorstep: the panel cannot draw: ' + log);
    const f = document.getElementById('fallback');
    if (f) f.hidden = false;
  }

  // The page's own context (the old way): after the worker's probe, so that the GPU process is warm.
  function onPage(canvas, worker) {
    const t0 = performance.now();
    try { size(canvas); canvas.getContext('webgl2', attributes); } catch (e) { /* the module reports it */ }
    stats().glContextMs = performance.now() - t0;
    stats().panel = 'page';
    if (worker) worker.terminate();
  }

  // A browser that took the canvas but never shows a worker's frames would leave the panel blank:
  // after the worker's first frame the page takes a 4x4 snapshot of its canvas (createImageBitmap:
  // no pixels are read on this thread) and the worker looks at it (4 times over 3.5 s). Nothing
  // drawn there: the page remembers to draw on the page from then on and reloads (once, at the
  // start).
  const PAGE_ONLY = 'doorstep-panel-on-page';
  function checkShown(panel, tries) {
    const c = panel.canvas;
    const x = Math.max(0, Math.floor(c.width / 2) - 2), y = Math.max(0, Math.floor(c.height / 2) - 2);
    let snap;
    try { snap = createImageBitmap(c, x, y, 4, 4); } catch (e) { return; }  // cannot look: leave it
    snap.then((bitmap) => {
      panel.onSeen = (lit) => {
        if (lit) { stats().panel_shown = 1; return; }
        if (tries > 1) { setTimeout(() => checkShown(panel, tries - 1), 1000); return; }  // a slow compositor
        stats().panel_shown = 0;
        try { localStorage.setItem(PAGE_ONLY, '1'); } catch (e) { return; }
        location.reload();
      };
      panel.worker.postMessage({ type: 'check', bitmap }, [bitmap]);
    }, () => {});
  }

  window.DoorstepPanel = {
    remote: false,
    worker: null,
    probe: null,
    // At once on boot: the worker's probe (its WebGL 2 context) runs while the page paints.
    start(canvas) {
      this.canvas = canvas;
      let pageOnly = false;
      try { pageOnly = localStorage.getItem(PAGE_ONLY) === '1'; } catch (e) { /* no storage: try the worker */ }
      const canTransfer = !pageOnly && typeof OffscreenCanvas === 'function' && typeof Worker === 'function' &&
        typeof canvas.transferControlToOffscreen === 'function';
      if (!canTransfer) { this.probe = Promise.resolve('none'); return; }
      try { this.worker = new Worker('panel_worker.js'); } catch (e) { this.probe = Promise.resolve('error'); return; }
      const worker = this.worker;
      this.probe = new Promise((resolve) => {
        worker.onmessage = (e) => {
          const m = e.data;
          if (m.type === 'probe') resolve(m.ok ? 'ok' : 'no');
          else if (m.type === 'context') stats().glContextMs = m.ms;
          else if (m.type === 'drawn') setTimeout(() => checkShown(this, 4), 500);
          else if (m.type === 'seen' && this.onSeen) this.onSeen(m.lit);
          else if (m.type === 'restored') stats().panel_restored = (stats().panel_restored || 0) + 1;
          else if (m.type === 'linked') {
            stats().panel_linked = m.ok ? 1 : 0;
            if (!m.ok) failed(m.log);
          }
        };
        worker.onerror = (e) => {
          resolve('error');
          if (!this.remote) return;
          e.preventDefault();
          failed(String(e.message || 'the panel\'s worker stopped'));
        };
        setTimeout(() => resolve('late'), 4000);  // however slow the worker, not longer than this
      });
    },
    // Once the first screen is painted (boot.js): resolves when the module may start, the canvas
    // being the worker's, or having the page's own context.
    ready() {
      return this.probe.then((how) => {
        stats().glWarm = how;
        if (how !== 'ok') { onPage(this.canvas, this.worker); this.worker = null; return; }
        size(this.canvas);
        let off;
        try { off = this.canvas.transferControlToOffscreen(); } catch (e) {
          stats().glWarm = 'error';  // cannot be handed over after all: the page draws
          onPage(this.canvas, this.worker);
          this.worker = null;
          return;
        }
        this.worker.postMessage({ type: 'canvas', canvas: off, attributes }, [off]);
        this.remote = true;
        stats().panel = 'worker';
      });
    },
    // From the module (wasm/gl_draw.cpp): copies of its memory, handed over without a second copy.
    frame(bytes) { this.worker.postMessage({ type: 'frame', buf: bytes.buffer }, [bytes.buffer]); },
    atlas(pixels, w, h) { this.worker.postMessage({ type: 'atlas', pixels: pixels.buffer, w, h }, [pixels.buffer]); },
    resize(w, h) { this.worker.postMessage({ type: 'resize', w, h }); },
    // Loses the panel's context on purpose and restores it `ms` later, on whichever thread owns it
    // (tests and diagnosis: a phone's GPU process crashing does the same).
    loseContext(ms) {
      if (this.remote) { this.worker.postMessage({ type: 'lose', ms }); return; }
      const ext = this.canvas.getContext('webgl2').getExtension('WEBGL_lose_context');
      if (!ext) return;
      ext.loseContext();
      setTimeout(() => ext.restoreContext(), ms || 0);
    },
    shaders(vertex, fragment) { this.worker.postMessage({ type: 'shaders', vertex, fragment }); },
  };
})();
