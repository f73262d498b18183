// Offline app shell: precaches exactly the files of one build (the version is stamped in at build
// time from a hash of the SHELL files below, see wasm/stamp_build.cmake, which reads this list)
// and serves them cache-first. GET only; never the API; the CJK font is cached the first time a
// canvasser picks Korean or Chinese. A new build waits until the page says its outbox is empty
// before it takes over. Base-map tiles: the page sends a turf's tile
// list once its package is stored; they go into doorstep-tiles-<turf> (one URL per tile: the Cache
// API refuses 206 answers) up to a byte cap, and /tiles/ requests are served from any such cache
// first. Tile caches outlive new builds; the page drops them on wipe().
'use strict';
const VERSION = '__BUILD_VERSION__';
const CACHE = 'doorstep-' + VERSION;
const TILES = 'doorstep-tiles-';
const SHELL = [
  './', 'index.html', 'app.css', 'boot.js', 'panel.js', 'panel_worker.js', 'wasm_warm.js', 'basemap.js', 'basemap_style.js', 'basemap_worker.js', 'map.js', 'page.js', 'storage.js', 'doorstep.js', 'doorstep.wasm',
  'mirror.js', 'platform.js', 'practice.json', 'manifest.webmanifest', 'icon.svg', 'fonts/DejaVuSans.ttf', 'vendor/leaflet/leaflet.js', 'vendor/leaflet/leaflet.css',
  'vendor/protomaps-leaflet/protomaps-leaflet.js',
];

self.addEventListener('install', (e) => {
  // 'no-cache': revalidated (ETag) rather than downloaded again; the page has just fetched them.
  e.waitUntil(caches.open(CACHE).then((c) => c.addAll(SHELL.map((p) => new Request(p, { cache: 'no-cache' })))));
});

self.addEventListener('activate', (e) => {
  e.waitUntil(caches.keys().then((keys) => Promise.all(
    keys.filter((k) => k.startsWith('doorstep-') && k !== CACHE && k !== 'doorstep-runtime' && !k.startsWith(TILES))
      .map((k) => caches.delete(k)),
  )).then(() => self.clients.claim()));
});

// Fetches the turf's tiles four at a time, stopping at the cap. Reports to the page when done
// (tests and the benchmark wait for it).
async function cacheTiles(turf, urls, cap, client) {
  const started = Date.now();
  const cache = await caches.open(TILES + turf.replace(/[^A-Za-z0-9_-]/g, ''));
  let bytes = 0, stored = 0, failed = 0, capped = false, next = 0;
  for (const r of await cache.keys()) {
    const hit = await cache.match(r);
    bytes += hit ? (await hit.clone().arrayBuffer()).byteLength : 0;
  }
  const worker = async () => {
    while (next < urls.length && !capped) {
      const url = urls[next++];
      if (await cache.match(url)) { stored++; continue; }
      try {
        const res = await fetch(url, { credentials: 'omit' });
        if (!res.ok) { failed++; continue; }
        const body = await res.clone().arrayBuffer();
        if (bytes + body.byteLength > cap) { capped = true; break; }
        bytes += body.byteLength;
        await cache.put(url, res);
        stored++;
      } catch (err) { failed++; }
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  const report = { type: 'tiles-cached', turf, tiles: stored, failed, bytes, capped, total: urls.length, ms: Date.now() - started };
  if (client) client.postMessage(report);
  return report;
}

self.addEventListener('message', (e) => {
  if (e.data && e.data.type === 'outbox-empty') self.skipWaiting();
  if (e.data && e.data.type === 'cache-tiles' && typeof e.data.turf === 'string' && Array.isArray(e.data.urls)) {
    // Same-origin tile URLs only: the list comes from the page, but nothing else belongs here.
    const urls = e.data.urls.filter((u) => new URL(u, location.href).origin === location.origin && /\/tiles\//.test(u));
    e.waitUntil(cacheTiles(e.data.turf, urls, Number(e.data.cap) || 20 * 1024 * 1024, e.source));
  }
});

// The worker's scope is `/` (canvasser links are `/#t=TOKEN`), but it answers only the canvasser
// shell's own URLs: every other request (the organizer console and its files, the API, anything
// added later) goes to the network untouched, as if there were no worker.
const SHELL_PATHS = new Set(SHELL.map((p) => new URL(p, self.registration.scope).pathname));
const PAGE_PATHS = new Set(['./', 'index.html'].map((p) => new URL(p, self.registration.scope).pathname));
const FONTS = new URL('fonts/', self.registration.scope).pathname;

self.addEventListener('fetch', (e) => {
  const req = e.request;
  const url = new URL(req.url);
  if (req.method !== 'GET' || url.origin !== location.origin || url.pathname.includes('/api/')) return;
  if (url.pathname.includes('/tiles/')) {
    // Any turf's tile cache, then the network (a tile outside every cached turf still draws online).
    e.respondWith(caches.match(req.url).then((hit) => hit || fetch(req)));
    return;
  }
  if (req.mode === 'navigate') {
    // The token lives in the fragment, which never reaches here: index.html serves every link.
    if (!PAGE_PATHS.has(url.pathname)) return;
    e.respondWith(caches.match('index.html', { cacheName: CACHE }).then((r) => r || fetch(req)));
    return;
  }
  const font = url.pathname.startsWith(FONTS);
  if (!SHELL_PATHS.has(url.pathname) && !font) return;
  e.respondWith(caches.match(req, { cacheName: CACHE }).then((hit) => {
    if (hit) return hit;
    return fetch(req).then((res) => {
      if (res.ok && font) {
        const copy = res.clone();
        caches.open('doorstep-runtime').then((c) => c.put(req, copy));
      }
      return res;
    }).catch(() => caches.match(req, { cacheName: 'doorstep-runtime' }).then((r) => r || Response.error()));
  }));
});
