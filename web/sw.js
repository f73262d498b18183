// Offline app shell: precaches exactly the files of one build (the version is stamped in at build
// time from a hash of the SHELL files below, see wasm/stamp_build.cmake, which reads this list)
// and serves them cache-first. GET only; never the API; the CJK
// font is cached the first time a canvasser picks Korean or Chinese. A new build waits until the
// page says its outbox is empty before it takes over.
'use strict';
const VERSION = '__BUILD_VERSION__';
const CACHE = 'doorstep-' + VERSION;
const SHELL = [
  './', 'index.html', 'app.css', 'boot.js', 'map.js', 'page.js', 'storage.js', 'doorstep.js', 'doorstep.wasm',
  'manifest.webmanifest', 'icon.svg', 'fonts/DejaVuSans.ttf', 'vendor/leaflet/leaflet.js', 'vendor/leaflet/leaflet.css',
];

self.addEventListener('install', (e) => {
  e.waitUntil(caches.open(CACHE).then((c) => c.addAll(SHELL.map((p) => new Request(p, { cache: 'reload' })))));
});

self.addEventListener('activate', (e) => {
  e.waitUntil(caches.keys().then((keys) => Promise.all(
    keys.filter((k) => k.startsWith('doorstep-') && k !== CACHE && k !== 'doorstep-runtime').map((k) => caches.delete(k)),
  )).then(() => self.clients.claim()));
});

self.addEventListener('message', (e) => {
  if (e.data && e.data.type === 'outbox-empty') self.skipWaiting();
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
  if (req.method !== 'GET' || url.origin !== location.origin) return;
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
