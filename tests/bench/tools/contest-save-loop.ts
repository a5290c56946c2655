/**
 * Issue #14: CPU per answer save through the built Remix handler in this process (no HTTP), and
 * the SQLite statements one save runs. `node --import tsx [--cpu-prof] tests/bench/tools/contest-save-loop.ts [saves]`
 * (default 600). Seeds a scratch SQLite file (tests/.tmp) with a contest, a 12-question round open
 * now and 200 entrants each with a started attempt, then posts the autosave form the round page
 * sends (4 answers per save, `intent=save&autosave=1`), one entrant after another.
 * Needs a built site (`npx remix build`).
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import { freshSqlite } from '../../helpers/db';
import { timeStatements } from './sqlite-statements';

const saves = Number(process.argv[2] ?? 600);
let counting = false;
const stats = timeStatements(() => counting);

const { db, file } = await freshSqlite();
process.env.DATABASE_URL = file;
process.env.DATA_DIR = path.dirname(file);
const { seedSaveWorld } = await import('./contest-save-world');
const { slug, roundId, people } = await seedSaveWorld(db, 200);

const build = await import(pathToFileURL(path.resolve(process.env.SAVE_BUILD ?? 'build', 'index.js')).href);
const { createRequestHandler } = await import('@remix-run/node');
const handle = createRequestHandler(build, 'production');
// SAVE_MODE=data (default) posts as the page's autosave does (a fetcher: the action alone, then
// whatever loaders the routes' shouldRevalidate asks for, fetched here too); SAVE_MODE=document
// posts the form as a full page (action, every loader and the HTML).
const mode = process.env.SAVE_MODE ?? 'data';
const page = `http://localhost/contests/${slug}/rounds/${roundId}`;
const url = mode === 'data' ? `${page}?_data=${encodeURIComponent('routes/contests.$slug.rounds.$roundId._index')}` : page;
// Before this change no route declined to revalidate: after a fetcher's POST, Remix reloads root's
// and the page's loaders (two GETs). REVALIDATE=1 adds them.
const revalidate = process.env.REVALIDATE === '1';
const save = async (i: number) => {
  const p = people[i % people.length]!;
  const k = Math.floor(i / people.length) % 3;
  const body = new URLSearchParams({ intent: 'save', autosave: '1', attemptId: p.attemptId });
  for (const q of p.ids.slice(k * 4, k * 4 + 4)) {
    body.append(`present.${q}`, '1');
    body.append(`q.${q}`, 'a');
  }
  const res = await handle(
    new Request(url, { method: 'POST', headers: { Cookie: p.cookie, 'Content-Type': 'application/x-www-form-urlencoded' }, body }),
  );
  const text = await res.text();
  if (res.status !== 200 || !text.includes('savedAt')) throw new Error(`save ${i}: ${res.status} ${text.slice(0, 200)}`);
  if (revalidate)
    for (const id of ['root', 'routes/contests.$slug.rounds.$roundId._index']) {
      const g = await handle(new Request(`${page}?_data=${encodeURIComponent(id)}`, { headers: { Cookie: p.cookie } }));
      await g.text();
      if (g.status !== 200) throw new Error(`revalidate ${id}: ${g.status}`);
    }
};
for (let i = 0; i < 50; i++) await save(i); // warm-up
counting = true;
const cpu0 = process.cpuUsage();
const t0 = performance.now();
for (let i = 0; i < saves; i++) await save(i);
const wall = (performance.now() - t0) / saves;
const cpu = process.cpuUsage(cpu0);
counting = false;
const calls = [...stats.values()].reduce((s, x) => s + x.calls, 0);
console.log(
  `save (${mode}${revalidate ? ' + revalidation' : ''}): ${((cpu.user + cpu.system) / 1000 / saves).toFixed(2)} ms CPU, ${wall.toFixed(2)} ms wall per save; ${(calls / saves).toFixed(1)} SQLite statements per save (${saves} saves)`,
);
for (const [src, s] of [...stats].sort((a, b) => b[1].ms - a[1].ms).slice(0, 15))
  console.log(`  ${(s.calls / saves).toFixed(2)}×  ${(s.ms / s.calls).toFixed(3)} ms  ${src.replace(/\s+/g, ' ').slice(0, 150)}`);
process.exit(0);
