/**
 * `node --import tsx tests/bench/tools/cpu-loop.ts [label=][build:]path …`: CPU time (user + system,
 * `process.cpuUsage`) per in-process render of each target, the targets interleaved in rounds of
 * `BATCH` renders (default 100) for `ROUNDS` rounds (default 5), so that a loaded machine slows them
 * alike; prints each target's median ms per render and its ratio to the first target (put
 * `/bench/floor` first). `build:` names another build directory (a copy of the build from before a
 * change, inside the repository), e.g. `old=tests/.tmp/build-before:/notifications`. Signed in as
 * `RENDER_AS=<email>` like render-loop.ts (same database: DATA_DIR); a target ending in `@<email>`
 * is rendered for that account instead (`empty=/notifications@nguoidan@demo.hoctap.vn`), `@` alone
 * anonymously.
 */
import { renderer } from './render-once';

const targets = process.argv.slice(2).map((arg) => {
  const eq = arg.indexOf('=');
  const label = eq > 0 && !arg.slice(0, eq).includes('/') ? arg.slice(0, eq) : arg;
  const rest = eq > 0 && !arg.slice(0, eq).includes('/') ? arg.slice(eq + 1) : arg;
  const colon = rest.indexOf(':');
  const where = colon > 0 ? { label, build: rest.slice(0, colon), path: rest.slice(colon + 1) } : { label, build: undefined, path: rest };
  const at = where.path.indexOf('@');
  return at < 0
    ? { ...where, as: process.env.RENDER_AS }
    : { ...where, path: where.path.slice(0, at), as: where.path.slice(at + 1) || undefined };
});
if (!targets.length) targets.push({ label: '/bench/floor', build: undefined, path: '/bench/floor', as: undefined });
const batch = Number(process.env.BATCH ?? 100);
const rounds = Number(process.env.ROUNDS ?? 5);

const runs: Array<{ label: string; once: () => Promise<void>; ms: number[] }> = [];
for (const t of targets) {
  if (t.build) process.env.RENDER_BUILD = t.build;
  else delete process.env.RENDER_BUILD;
  runs.push({ label: t.label, once: await renderer(t.path, t.as), ms: [] });
}
for (const r of runs) for (let i = 0; i < 50; i++) await r.once(); // warm-up
for (let k = 0; k < rounds; k++)
  for (const r of runs) {
    const c0 = process.cpuUsage();
    for (let i = 0; i < batch; i++) await r.once();
    const c = process.cpuUsage(c0);
    r.ms.push((c.user + c.system) / 1000 / batch);
  }
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const base = median(runs[0]!.ms);
for (const r of runs) {
  const m = median(r.ms);
  console.log(
    `${r.label.padEnd(40)} ${m.toFixed(3)} ms CPU/render (median of ${rounds} × ${batch}; ${r.ms.map((x) => x.toFixed(2)).join(' ')})  ${(m / base).toFixed(2)} × ${runs[0]!.label}`,
  );
}
process.exit(0);
