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

import Sqlite from 'better-sqlite3';

import { freshSqlite } from '../../helpers/db';

const saves = Number(process.argv[2] ?? 600);
const stats = new Map<string, { ms: number; calls: number }>();
let counting = false;
const proto = Object.getPrototypeOf(new Sqlite(':memory:').prepare('select 1')) as Record<string, unknown>;
for (const m of ['all', 'get', 'run', 'iterate'] as const) {
  const orig = proto[m] as (...a: unknown[]) => unknown;
  proto[m] = function (this: { source: string }, ...args: unknown[]) {
    const t0 = performance.now();
    try {
      return orig.apply(this, args);
    } finally {
      if (counting) {
        const s = stats.get(this.source) ?? { ms: 0, calls: 0 };
        s.ms += performance.now() - t0;
        s.calls++;
        stats.set(this.source, s);
      }
    }
  };
}

const { db, file } = await freshSqlite();
process.env.DATABASE_URL = file;
process.env.DATA_DIR = path.dirname(file);
const { contestWorld } = await import('../../helpers/contests');
const { addRound } = await import('~/domain/contests/contests.server');
const { startAttempt } = await import('~/domain/contests/attempts.server');
const w = await contestWorld(db);
const contestId = (await w.contest({ slug: `save-${Date.now()}` })).id;
await w.bank(contestId, ['a', 'b'], 4);
const round = await addRound(db, w.organiser, contestId, {
  title: 'Tuần 1',
  opensAt: new Date(Date.now() - 60_000).toISOString(),
  closesAt: new Date(Date.now() + 3_600_000).toISOString(),
  timeLimitS: 3000,
  quota: (['easy', 'medium', 'hard'] as const).map((difficulty) => ({ topic: null, difficulty, count: 4 })),
});
if (!round.ok) throw new Error(round.code);
const slug = (await db.selectFrom('contests').select('slug').where('id', '=', contestId).executeTakeFirstOrThrow()).slug;
await db.updateTable('contests').set({ status: 'published' }).where('id', '=', contestId).execute();

const build = await import(pathToFileURL(path.resolve(process.env.SAVE_BUILD ?? 'build', 'index.js')).href);
const { createRequestHandler } = await import('@remix-run/node');
const handle = createRequestHandler(build, 'production');
const { createSessionCookie } = await import('~/lib/auth.server');
const people: Array<{ cookie: string; attemptId: string; ids: string[] }> = [];
for (let i = 0; i < 200; i++) {
  const u = await w.entrant(contestId, `Thí sinh ${i}`, (i % 2 ? w.schoolA : w.schoolB).id);
  const s = await startAttempt(db, round.value, u);
  if (!s.ok) throw new Error(s.code);
  const a = await db
    .selectFrom('contest_attempts')
    .select('question_ids_json')
    .where('id', '=', s.value.attemptId)
    .executeTakeFirstOrThrow();
  people.push({
    cookie: (await createSessionCookie(u)).split(';')[0]!,
    attemptId: s.value.attemptId,
    ids: JSON.parse(a.question_ids_json),
  });
}
// SAVE_MODE=data (default) posts as the page's autosave does (a fetcher: the action alone, then
// whatever loaders the routes' shouldRevalidate asks for, fetched here too); SAVE_MODE=document
// posts the form as a full page (action, every loader and the HTML).
const mode = process.env.SAVE_MODE ?? 'data';
const page = `http://localhost/contests/${slug}/rounds/${round.value}`;
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
