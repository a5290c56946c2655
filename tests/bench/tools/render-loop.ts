/**
 * `node --import tsx tests/bench/tools/render-loop.ts [path] [n]`: renders one page n times in
 * this process through the built Remix handler (no HTTP, no page cache) and prints the time per
 * render — the before/after measure of route matching (app/patches/@remix-run+router*.patch).
 * Needs a built site and a database with the demo data (DATA_DIR, as `npm start` leaves it).
 * `RENDER_AS=<email>` renders for that signed-in account (a session is created for it);
 * `DATA_CACHE=0` renders without the data cache (`cachedData`), as before it existed.
 */
import { renderer } from './render-once';

const target = process.argv[2] ?? '/';
const n = Number(process.argv[3] ?? 300);
const once = await renderer(target);
for (let i = 0; i < 50; i++) await once(); // warm-up
const t0 = performance.now();
const c0 = process.cpuUsage();
for (let i = 0; i < n; i++) await once();
const ms = (performance.now() - t0) / n;
const c = process.cpuUsage(c0);
// CPU time (user + system) of this process per render: what a loaded machine distorts least.
const cpu = (c.user + c.system) / 1000 / n;
console.log(
  `${target}: ${ms.toFixed(2)} ms per render, ${cpu.toFixed(2)} ms CPU (${n} renders, ${(1000 / ms).toFixed(0)} renders/s in one process)`,
);
process.exit(0);
