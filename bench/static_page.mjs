// For the in-browser benchmarks: serves a fixed set of files on a free loopback port and opens
// Debian's headless chromium (the same launch as the end-to-end tests, tests/e2e/harness.mjs).
import http from 'node:http';
import fs from 'node:fs';
import { launchBrowser } from '../tests/e2e/harness.mjs';

// files: { '/path': { type, body } | { type, file } }. Returns { url, browser, close() }.
export async function openBenchPage(files) {
  const server = http.createServer((req, res) => {
    const f = files[new URL(req.url, 'http://x').pathname];
    if (!f) { res.writeHead(404); res.end(); return; }
    res.writeHead(200, { 'content-type': f.type, 'cache-control': 'no-store' });
    res.end(f.body ?? fs.readFileSync(f.file));
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const browser = await launchBrowser();
  return {
    url: `http://127.0.0.1:${server.address().port}/`,
    browser,
    async close() {
      await browser.close();
      server.close();
    },
  };
}
