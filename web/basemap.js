// The base map as a Leaflet layer, for the phone (web/map.js) and the organizer console: vector
// tiles ({z}/{x}/{y}.mvt or .pbf) drawn on a worker's thread (web/basemap_worker.js, protomaps-
// leaflet with the project's style) and shown here as bitmaps, so that no tile holds the page's
// main thread; or any raster XYZ template. Leaves out choosing the source: the package or
// /tiles.json names it. Where workers cannot paint (no OffscreenCanvas: iOS before 16.4), the page
// loads protomaps-leaflet and the style itself and paints on its own thread, as before.
'use strict';
(function () {
  const canPaintInWorker = typeof Worker === 'function' && typeof OffscreenCanvas === 'function' &&
    typeof createImageBitmap === 'function';

  // A grid layer whose tiles the worker paints: each tile asks once, and is painted again when a
  // label from its neighbour crosses into it. Unloaded tiles are dropped on the worker too.
  function vectorLayer(url, attribution, maxDataZoom) {
    let worker = null, nextId = 1;
    const pending = new Map();  // id -> {el, done}
    const Layer = L.GridLayer.extend({
      onAdd(map) {
        if (!worker) {
          worker = new Worker(new URL('basemap_worker.js', document.baseURI).href);
          worker.onmessage = (e) => {
            const m = e.data, t = pending.get(m.id);
            if (!t) { if (m.bitmap) m.bitmap.close(); return; }
            if (m.bitmap) {
              t.el.width = m.bitmap.width;
              t.el.height = m.bitmap.height;
              t.el.getContext('2d').drawImage(m.bitmap, 0, 0);
              m.bitmap.close();
            }
            if (t.done) { t.done(m.error ? new Error(m.error) : null, t.el); t.done = null; }
          };
          worker.postMessage({ type: 'init', url, base: document.baseURI, maxDataZoom, dpr: window.devicePixelRatio || 1 });
        }
        this.on('tileunload', this._dropTile, this);
        L.GridLayer.prototype.onAdd.call(this, map);
      },
      onRemove(map) {
        this.off('tileunload', this._dropTile, this);
        L.GridLayer.prototype.onRemove.call(this, map);
        if (worker) worker.terminate();
        worker = null;
        pending.clear();
      },
      createTile(coords, done) {
        const el = document.createElement('canvas');
        const id = nextId++;
        el.dataset.tile = id;
        pending.set(id, { el, done });
        worker.postMessage({ type: 'tile', id, z: coords.z, x: coords.x, y: coords.y });
        return el;
      },
      _dropTile(e) {
        const id = Number(e.tile.dataset.tile);
        if (!pending.delete(id) || !worker) return;
        worker.postMessage({ type: 'drop', id });
      },
    });
    return new Layer({ maxZoom: 20, attribution: attribution || '', className: 'doorstep-basemap' });
  }

  // The old way, for browsers whose workers cannot paint: an empty layer now, replaced by
  // protomaps-leaflet's own once it and the style have loaded (each once a page).
  let loading = null;
  function loadScript(src) {
    return new Promise((resolve, reject) => {
      const s = document.createElement('script');
      s.src = src;
      s.onload = resolve;
      s.onerror = () => reject(new Error('cannot load ' + src));
      document.head.appendChild(s);
    });
  }
  function mainThreadLayer(url, attribution, maxDataZoom) {
    const group = L.featureGroup([], { attribution: attribution || '' });
    loading = loading || loadScript('vendor/protomaps-leaflet/protomaps-leaflet.js').then(() => loadScript('basemap_style.js'));
    loading.then(() => {
      const style = self.doorstepBasemapStyle(window.protomapsL);
      group.addLayer(protomapsL.leafletLayer({ url, maxDataZoom, levelDiff: 0, maxZoom: 20,
        backgroundColor: style.backgroundColor, paintRules: style.paintRules, labelRules: style.labelRules }));
    }).catch((e) => console.error(e));
    return group;
  }

  window.DoorstepBasemap = {
    // levelDiff 0 (on the worker): display zoom z reads data tile z, so the tiles the phone caches
    // for offline use (z15-z18) are the ones drawn; beyond the archive's zooms it overzooms.
    layer(url, attribution, maxDataZoom) {
      if (/\.(mvt|pbf)$/.test(url)) {
        if (canPaintInWorker) return vectorLayer(url, attribution, maxDataZoom || 18);
        return mainThreadLayer(url, attribution, maxDataZoom || 18);
      }
      return L.tileLayer(url, { maxZoom: 19, maxNativeZoom: maxDataZoom || 18, attribution, crossOrigin: true });
    },
  };
})();
