// Map benchmark for the organizer console's door layer (web/organizer/door_layer.js) in headless
// Debian chromium at 1280x800: 100,000 doors around Los Angeles coloured by 8 values, the cost of
// projecting them once and of a full redraw, and the frame times while the map is dragged (about
// 1.5 s; the layer moves with the map pane and redraws once the drag ends) at zoom 12 and 15. Prints a table; asserts nothing.
// Usage: node bench/door_layer_browser.mjs [--doors N]
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openBenchPage } from './static_page.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'build/wasm/dist');
const args = process.argv.slice(2);
const doors = Number(args[args.indexOf('--doors') + 1] || 100000) || 100000;

const files = {
  '/': { type: 'text/html', body: '<!doctype html><meta charset=utf-8><title>door layer bench</title>' +
    '<link rel=stylesheet href=/leaflet.css><style>html,body,#m{margin:0;height:100%}</style><div id=m></div>' +
    '<script src=/leaflet.js></script><script src=/door_layer.js></script>' },
  '/leaflet.js': { type: 'text/javascript', file: path.join(dist, 'vendor/leaflet/leaflet.js') },
  '/leaflet.css': { type: 'text/css', file: path.join(dist, 'vendor/leaflet/leaflet.css') },
  '/door_layer.js': { type: 'text/javascript', file: path.join(dist, 'organizer/door_layer.js') },
};
const { url, browser, close } = await openBenchPage(files);
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.goto(url);
  const project = await page.evaluate((n) => {
    window.map = L.map('m', { preferCanvas: true }).setView([34.02, -118.45], 12);
    let s = 7;
    const rnd = () => { s = (s * 1103515245 + 12345) % 2147483648; return s / 2147483648; };
    const lat = new Float64Array(n), lon = new Float64Array(n), col = new Int16Array(n);
    for (let i = 0; i < n; i++) { lat[i] = 33.9 + 0.25 * rnd(); lon[i] = -118.6 + 0.3 * rnd(); col[i] = i % 8; }
    window.layer = new DoorLayer().addTo(map);
    const t0 = performance.now();
    layer.setDoors(lat, lon);
    const ms = performance.now() - t0;
    layer.setColours(col, ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf']);
    return ms;
  }, doors);
  const out = [];
  for (const zoom of [12, 15]) {
    const redraw = await page.evaluate(async (z) => {
      map.setView([34.02, -118.45], z, { animate: false });
      await new Promise((r) => setTimeout(r, 200));
      window.frames = [];
      let last = performance.now();
      window.recording = true;
      const tick = (t) => { frames.push(t - last); last = t; if (recording) requestAnimationFrame(tick); };
      requestAnimationFrame(tick);
      return layer.lastDrawMs;
    }, zoom);
    // A real drag (Leaflet's Draggable): 90 moves of 6 px, about one per frame.
    await page.mouse.move(640, 400);
    await page.mouse.down();
    for (let k = 1; k <= 90; k++) {
      await page.mouse.move(640 - 6 * k, 400 - 2 * k);
      await page.waitForTimeout(16);
    }
    await page.mouse.up();
    const r = await page.evaluate(async () => {
      recording = false;
      await new Promise((ok) => setTimeout(ok, 300));
      const f = frames.slice(1).sort((a, b) => a - b);
      const q = (p) => f[Math.min(f.length - 1, Math.floor(p * f.length))];
      return { drawn: layer.drawn, after: layer.lastDrawMs, p50: q(0.5), p95: q(0.95), max: f[f.length - 1], frames: f.length };
    });
    out.push({ zoom, redraw, ...r });
  }
  const rows = { project, out };
  console.log(`door layer, ${doors} doors, 1280x800 (projected once in ${rows.project.toFixed(1)} ms)`);
  console.log('zoom   doors drawn   redraw ms   pan frame p50 ms   p95 ms   max ms   frames');
  for (const r of rows.out) {
    console.log(`${String(r.zoom).padStart(4)} ${String(r.drawn).padStart(13)} ${r.redraw.toFixed(1).padStart(11)} ` +
      `${r.p50.toFixed(1).padStart(18)} ${r.p95.toFixed(1).padStart(8)} ${r.max.toFixed(1).padStart(8)} ${String(r.frames).padStart(8)}`);
  }
  console.log('(frames while dragging the map; the layer redraws once, when the drag ends: "redraw ms")');
} finally {
  await close();
}
