// Offline map benchmark: bytes and time for the service worker to cache one demo turf's tiles
// (z15-z18 plus a one-tile margin, the demo's base map from `doorstep demo`) on a phone profile in
// headless Chromium, and the frame time of panning the map with footprints and doors at 4x CPU
// throttling. Prints a table. Run: node bench/tile_cache.mjs (after scripts/build.sh).
import { seedDemo, startServer, launchBrowser, phones, until, cleanup } from '../tests/e2e/harness.mjs';

const runs = Number(process.env.RUNS || 3);
const seeded = seedDemo();
const server = await startServer(seeded.dir);
const browser = await launchBrowser();
const rows = [];
try {
  for (let i = 0; i < runs; ++i) {
    const link = seeded.demo.links[i % seeded.demo.links.length];
    const turf = seeded.demo.turfs.find((t) => t.id === link.turf_id);
    const context = await browser.newContext(phones.small);
    const page = await context.newPage();
    await page.goto(server.url + '#t=' + link.token);
    const r = await until(page, () => window.doorstepStats && window.doorstepStats.tiles, undefined, 60000);
    // Panning at 4x throttling: frame times from requestAnimationFrame while the map moves.
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    const frames = await page.evaluate(async () => {
      const m = document.getElementById('map').getBoundingClientRect();
      const times = [];
      let last = performance.now(), run = true;
      const tick = (t) => { times.push(t - last); last = t; if (run) requestAnimationFrame(tick); };
      requestAnimationFrame(tick);
      for (let k = 0; k < 20; ++k) {
        window.DoorstepMap.panBy(1, k % 2 ? -60 : 60, 0);
        await new Promise((res) => setTimeout(res, 60));
      }
      run = false;
      times.sort((a, b) => a - b);
      return { median: times[Math.floor(times.length / 2)], p95: times[Math.floor(times.length * 0.95)], n: times.length, w: m.width };
    });
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
    rows.push({ turf: link.turf, doors: turf.doors, ...r, frames });
    await context.close();
  }
} finally {
  await browser.close();
  await server.stop();
  cleanup(seeded.dir);
}
console.log('One turf\'s tiles cached by the service worker (z15-z18 + 1-tile margin, 360x740 phone, loopback)\n');
console.log('turf'.padEnd(22) + 'doors'.padStart(6) + 'tiles'.padStart(7) + 'bytes'.padStart(10) + 'ms'.padStart(7) +
  'pan frame med'.padStart(15) + 'p95 (4x CPU)'.padStart(14));
for (const r of rows)
  console.log(String(r.turf).slice(0, 21).padEnd(22) + String(r.doors).padStart(6) + String(r.tiles).padStart(7) +
    String(r.bytes).padStart(10) + String(r.ms).padStart(7) + r.frames.median.toFixed(1).padStart(15) + r.frames.p95.toFixed(1).padStart(14));
