// One Lighthouse run (mobile preset) on a canvasser link of the demo campaign, printing what its
// score is made of: the metrics, every long task (simulated start, duration, script) and the
// main-thread work by category. For steering start-up work (issue 15); bench/startup.mjs is the table.
//   node bench/lh_tasks.mjs [dist-dir]   (default build/wasm/dist); SAVE=file.json keeps the run's trace,
//   LH_FLAGS adds Chromium flags
import path from 'node:path';
import { webRoot, seedDemo, startBenchServer, cleanup, lighthouseReport } from '../tests/e2e/harness.mjs';

const web = process.argv[2] ? path.resolve(process.argv[2]) : webRoot;
const seeded = seedDemo();
const server = await startBenchServer(seeded.dir, web);
const url = server.url + '#t=' + seeded.demo.links[0].token;
try {
  const r = lighthouseReport(url, { trace: process.env.SAVE || '', chromeFlags: process.env.LH_FLAGS || '' });
  const a = r.audits;
  const ms = (k) => Math.round(a[k].numericValue);
  console.log(`score ${r.categories.performance.score}  FCP ${ms('first-contentful-paint')}  LCP ${ms('largest-contentful-paint')}  TBT ${ms('total-blocking-time')}  TTI ${ms('interactive')}  SI ${ms('speed-index')}  CLS ${a['cumulative-layout-shift'].numericValue.toFixed(3)}`);
  console.log('\nlong tasks (simulated ms):   start  duration  script');
  for (const t of (a['long-tasks'].details && a['long-tasks'].details.items) || [])
    console.log(`  ${String(Math.round(t.startTime)).padStart(24)}  ${String(Math.round(t.duration)).padStart(8)}  ${String(t.url).replace(/^.*\//, '')}`);
  console.log('\nmain-thread work by category (ms):');
  for (const i of a['mainthread-work-breakdown'].details.items) console.log(`  ${i.groupLabel.padEnd(28)} ${Math.round(i.duration)}`);
  console.log('\nscript bootup (ms):  total  scripting  parse+compile  url');
  for (const i of a['bootup-time'].details.items) console.log(`  ${String(Math.round(i.total)).padStart(18)}  ${String(Math.round(i.scripting)).padStart(9)}  ${String(Math.round(i.scriptParseCompile)).padStart(13)}  ${String(i.url).replace(/^.*\//, '')}`);
} finally {
  await server.stop();
  cleanup(seeded.dir);
}
