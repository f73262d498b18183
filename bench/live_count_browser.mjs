// Live-count benchmark for the console's turf drawing in headless Debian chromium at 1280x800:
// 100,000 doors around Los Angeles in the console's wasm live index (organizer/console.js,
// shared/route/turf_cut.h LiveIndex), a turf outline under Leaflet-Geoman's edit mode, and one
// corner dragged with the mouse; each drag step recounts doors, people and minutes as the turfs
// screen does (GeoJSON out, C++ count, JSON back). Prints the update time per step for a turf-sized
// outline and for a large area; asserts nothing. Usage: node bench/live_count_browser.mjs [--doors N]
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openBenchPage } from './static_page.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'build/wasm/dist');
const args = process.argv.slice(2);
const doors = Number(args[args.indexOf('--doors') + 1] || 100000) || 100000;

const files = {
  '/': { type: 'text/html', body: '<!doctype html><meta charset=utf-8><title>live count bench</title>' +
    '<link rel=stylesheet href=/leaflet.css><link rel=stylesheet href=/geoman.css><style>html,body,#m{margin:0;height:100%}</style>' +
    '<div id=m></div><script src=/leaflet.js></script><script src=/geoman.js></script><script src=/console.js></script>' },
  '/leaflet.js': { type: 'text/javascript', file: path.join(dist, 'vendor/leaflet/leaflet.js') },
  '/leaflet.css': { type: 'text/css', file: path.join(dist, 'vendor/leaflet/leaflet.css') },
  '/geoman.js': { type: 'text/javascript', file: path.join(dist, 'vendor/geoman/leaflet-geoman.min.js') },
  '/geoman.css': { type: 'text/css', file: path.join(dist, 'vendor/geoman/leaflet-geoman.css') },
  '/console.js': { type: 'text/javascript', file: path.join(dist, 'organizer/console.js') },
  '/console.wasm': { type: 'application/wasm', file: path.join(dist, 'organizer/console.wasm') },
};
const { url, browser, close } = await openBenchPage(files);
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.goto(url);
  const load = await page.evaluate(async (n) => {
    window.mod = await createConsoleModule({ locateFile: (p) => '/' + p });
    let s = 11;
    const rnd = () => { s = (s * 1103515245 + 12345) % 2147483648; return s / 2147483648; };
    // A county's density: 100,000 doors over about 28 x 22 km.
    const lat = new Float64Array(n), lon = new Float64Array(n), people = new Int32Array(n);
    for (let i = 0; i < n; i++) { lat[i] = 33.9 + 0.2 * rnd(); lon[i] = -118.6 + 0.3 * rnd(); people[i] = 1 + (i % 3); }
    const t0 = performance.now();
    mod.liveLoad(new Uint8Array(lat.buffer), new Uint8Array(lon.buffer), new Uint8Array(people.buffer), 1.2, 2);
    return performance.now() - t0;
  }, doors);
  const out = [];
  for (const [label, half, zoom] of [['turf (about 400 m)', 0.002, 16], ['area (about 4 km)', 0.02, 13]]) {
    const r0 = await page.evaluate(([h, z]) => {
      const c = [34.0, -118.45];
      if (!window.map) window.map = L.map('m', { preferCanvas: true });
      map.setView(c, z, { animate: false });
      if (window.poly) { poly.pm.disable(); poly.remove(); }
      window.poly = L.polygon([[c[0] - h, c[1] - h], [c[0] - h, c[1] + h], [c[0] + h, c[1] + h], [c[0] + h, c[1] - h]]).addTo(map);
      window.times = [];
      window.counts = [];
      poly.pm.enable({ snappable: false });
      poly.on('pm:markerdrag', () => {
        const t0 = performance.now();
        const ring = poly.getLatLngs()[0].map((p) => [p.lng, p.lat]);
        ring.push(ring[0]);
        const res = JSON.parse(mod.liveCount(JSON.stringify({ type: 'Polygon', coordinates: [ring] })));
        document.title = `${res.doors} doors`;
        times.push(performance.now() - t0);
        counts.push(res.doors);
      });
      const p = map.latLngToContainerPoint([c[0] + h, c[1] + h]);
      return { x: p.x, y: p.y };
    }, [half, zoom]);
    await page.mouse.move(r0.x, r0.y);
    await page.mouse.down();
    for (let k = 1; k <= 60; k++) {
      await page.mouse.move(r0.x + 4 * k, r0.y - 3 * k);
      await page.waitForTimeout(16);
    }
    await page.mouse.up();
    const r = await page.evaluate(() => {
      const f = times.slice().sort((a, b) => a - b);
      const q = (p) => f[Math.min(f.length - 1, Math.floor(p * f.length))];
      return { steps: f.length, p50: q(0.5), p95: q(0.95), max: f[f.length - 1], first: counts[0], last: counts[counts.length - 1] };
    });
    out.push({ label, ...r });
  }
  console.log(`live counts while dragging a corner, ${doors} doors in the wasm live index (loaded in ${load.toFixed(1)} ms), 1280x800`);
  console.log('outline                  steps   doors (first..last)   update p50 ms   p95 ms   max ms   goal');
  for (const r of out) {
    console.log(`${r.label.padEnd(24)} ${String(r.steps).padStart(5)} ${`${r.first}..${r.last}`.padStart(21)} ` +
      `${r.p50.toFixed(2).padStart(15)} ${r.p95.toFixed(2).padStart(8)} ${r.max.toFixed(2).padStart(8)}   < 16 ms`);
  }
} finally {
  await close();
}
