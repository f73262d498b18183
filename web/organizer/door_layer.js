// Every door of a campaign on one canvas over the Leaflet map: positions projected once to
// zoom-0 Web Mercator pixels, each redraw written straight into the canvas's pixels. Panning moves the canvas with the
// map pane (no redraw until the move ends; the canvas has a margin of half a screen each side),
// so 100,000 doors pan smoothly. Leaves out picking doors and labels (the turfs screen's polygons).
'use strict';
window.DoorLayer = L.Layer.extend({
  // doors: {lat: Float64Array|[], lon: ...}; colours(i) -> palette index or -1 (hidden); palette: CSS colours.
  initialize(options) { L.setOptions(this, options); this._n = 0; this._colour = null; this._palette = []; },

  setDoors(lat, lon) {
    const n = lat.length;
    this._x = new Float64Array(n);
    this._y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const s = Math.sin(lat[i] * Math.PI / 180);
      this._x[i] = 256 * (lon[i] + 180) / 360;
      this._y[i] = 256 * (0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI));
    }
    this._n = n;
    this.redraw();
  },
  // colour: Int16Array|Array of palette indexes per door (-1: not drawn); palette: CSS colours.
  setColours(colour, palette) { this._colour = colour; this._palette = palette; this.redraw(); },

  onAdd(map) {
    this._canvas = L.DomUtil.create('canvas', 'door-layer leaflet-zoom-hide');
    this._canvas.setAttribute('aria-hidden', 'true');
    map.getPane('overlayPane').appendChild(this._canvas);
    map.on('moveend zoomend resize viewreset', this._reset, this);
    this._reset();
  },
  onRemove(map) {
    map.off('moveend zoomend resize viewreset', this._reset, this);
    L.DomUtil.remove(this._canvas);
    this._canvas = null;
  },
  redraw() { if (this._map) this._reset(); return this; },

  _reset() {
    const map = this._map, c = this._canvas;
    const size = map.getSize();
    const pad = size.multiplyBy(0.5).round();
    const topLeft = map.containerPointToLayerPoint([-pad.x, -pad.y]).round();
    const w = size.x + 2 * pad.x, h = size.y + 2 * pad.y;
    const dpr = Math.min(window.devicePixelRatio || 1, 2);
    if (c.width !== Math.round(w * dpr) || c.height !== Math.round(h * dpr)) {
      c.width = Math.round(w * dpr); c.height = Math.round(h * dpr);
      c.style.width = w + 'px'; c.style.height = h + 'px';
    }
    L.DomUtil.setPosition(c, topLeft);
    const t0 = performance.now();
    this._draw(c.getContext('2d'), map, topLeft, w, h, dpr);
    this.lastDrawMs = performance.now() - t0;
  },

  // Straight into one ImageData (a few pixel writes per door, one putImageData): a path of 100,000
  // rectangles costs a software canvas over 100 ms, this a few ms.
  _draw(ctx, map, topLeft, w, h, dpr) {
    const W = ctx.canvas.width, H = ctx.canvas.height;
    if (!this._img || this._img.width !== W || this._img.height !== H) {
      this._img = ctx.createImageData(W, H);
      this._pix = new Uint32Array(this._img.data.buffer);
    }
    const pix = this._pix;
    pix.fill(0);
    this.drawn = 0;
    if (this._n && this._colour) {
      const rgba = this._palette.map((c) => {
        const m = /^#(..)(..)(..)$/.exec(c);
        return m ? ((255 << 24) | (parseInt(m[3], 16) << 16) | (parseInt(m[2], 16) << 8) | parseInt(m[1], 16)) >>> 0 : 0xff888888;
      });
      const z = map.getZoom(), scale = Math.pow(2, z) * dpr;
      const origin = map.getPixelOrigin();
      const ox = (origin.x + topLeft.x) * dpr, oy = (origin.y + topLeft.y) * dpr;
      const r = Math.max(1, Math.round((z >= 17 ? 3 : z >= 15 ? 2 : 1.25) * dpr)), d = 2 * r;
      const x = this._x, y = this._y, col = this._colour;
      for (let i = 0; i < this._n; i++) {
        const k = col[i];
        if (k < 0) continue;
        const px = Math.round(x[i] * scale - ox) - r, py = Math.round(y[i] * scale - oy) - r;
        if (px < 0 || py < 0 || px + d > W || py + d > H) continue;
        const c = rgba[k];
        for (let row = py * W + px, yy = 0; yy < d; yy++, row += W) for (let xx = 0; xx < d; xx++) pix[row + xx] = c;
        this.drawn++;
      }
    }
    ctx.putImageData(this._img, 0, 0);
  },
});
