// The base map's vector tiles, fetched, laid out and painted on this worker's thread (web/basemap.js
// is the page's side): a cheap phone's main thread spent 100-200 ms a tile in protomaps-leaflet's
// decoding, label layout and painting. Each tile is painted on an OffscreenCanvas and handed to the
// page as an ImageBitmap. Leaves out Leaflet (the page's) and raster tiles (drawn by Leaflet itself).
'use strict';
importScripts('vendor/protomaps-leaflet/protomaps-leaflet.js', 'basemap_style.js');
const P = self.protomapsL;

const style = self.doorstepBasemapStyle(P);
const BACKGROUND = style.backgroundColor;
let views = null, labelers = null, size = 512, latestZ = -1;
const live = new Map();  // tile id -> {z, x, y, key}: the tiles the page shows now
const byKey = new Map(); // "x:y:z" -> Set of tile ids (a key is shown once, but wrapped copies may repeat)

function forget(id) {
  const t = live.get(id);
  if (!t) return;
  live.delete(id);
  const ids = byKey.get(t.key);
  if (ids) { ids.delete(id); if (!ids.size) byKey.delete(t.key); }
}

// Labels that cross a tile's edge were placed after its neighbour was painted: paint it again.
function invalidated(keys) {
  for (const key of keys) for (const id of byKey.get(key) || []) render(id, true);
}

async function render(id, again) {
  const t = live.get(id);
  if (!t) return;
  const coords = { z: t.z, x: t.x, y: t.y };
  const prepared = new Map();
  for (const [k, v] of views) {
    try {
      prepared.set(k, [await v.getDisplayTile(coords)]);
    } catch (e) {  // offline with the tile not cached, or a bad tile: the page shows the background
      postMessage({ id, error: String((e && e.message) || e) });
      return;
    }
  }
  if (!live.has(id) || t.z !== latestZ) return;  // unloaded, or the map zoomed on meanwhile
  if (!again) labelers.add(t.z, prepared);
  const canvas = new OffscreenCanvas(size, size);
  const ctx = canvas.getContext('2d');
  ctx.setTransform(size / 256, 0, 0, size / 256, 0, 0);
  ctx.fillStyle = BACKGROUND;
  ctx.fillRect(0, 0, 256, 256);
  const buf = 16;
  const bbox = { minX: 256 * t.x - buf, minY: 256 * t.y - buf, maxX: 256 * (t.x + 1) + buf, maxY: 256 * (t.y + 1) + buf };
  P.paint(ctx, t.z, prepared, labelers.getIndex(t.z), style.paintRules, bbox, { x: 256 * t.x, y: 256 * t.y }, false, '');
  const bitmap = canvas.transferToImageBitmap();
  postMessage({ id, bitmap }, [bitmap]);
}

// The page's URL template, absolute, with its {z}/{x}/{y} left as they are (URL() would encode them).
function absolute(url, base) {
  if (/^[a-z][a-z0-9+.-]*:/i.test(url)) return url;
  const b = new URL(base);
  return url.startsWith('/') ? b.origin + url : new URL('.', b).href + url;
}

onmessage = (e) => {
  const m = e.data;
  if (m.type === 'init') {
    views = P.sourcesToViews({ url: absolute(m.url, m.base), maxDataZoom: m.maxDataZoom || 18, levelDiff: 0 });
    const scratch = new OffscreenCanvas(1, 1).getContext('2d');  // the labeler measures text with it
    labelers = new P.Labelers(scratch, style.labelRules, 16, invalidated);
    size = Math.round(256 * (m.dpr || 1));
  } else if (m.type === 'tile') {
    const key = `${m.x}:${m.y}:${m.z}`;
    latestZ = m.z;
    live.set(m.id, { z: m.z, x: m.x, y: m.y, key });
    if (!byKey.has(key)) byKey.set(key, new Set());
    byKey.get(key).add(m.id);
    render(m.id, false);
  } else if (m.type === 'drop') {
    forget(m.id);
  }
};
