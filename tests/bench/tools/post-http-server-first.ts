/**
 * Posting over HTTP with the server started before the community data is seeded, as the community
 * bench does (tools/post-http.ts starts it after): which of the bench's conditions slows posting.
 */
import fs from 'node:fs';
import path from 'node:path';

import { sql } from 'kysely';

import { optimizeStatistics } from '~/db/dialect';

import { sessionCookie } from '../../helpers/users';
import { postingOverHttp, seedCommunity } from '../community';
import { createScaleDb } from '../run';
import { describeFts, ftsStructure } from './fts-structure';
import { runTool } from './post-scratch';
import { postingServer } from './profiled-server';

runTool(async () => {
  const root = path.resolve(import.meta.dirname, '../../..');
  const dir = path.join(root, 'tests/.tmp', `post-first-${Date.now()}`);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'app.sqlite');
  const log = (...a: unknown[]) => console.log('[post-first]', ...a);
  const { db, units, userIds } = await createScaleDb(file);
  const server = await postingServer(dir, file, root);
  try {
    const data = await seedCommunity({ db, units, userIds, log });
    // The WAL the seeding left (a server reading all along may keep SQLite from restarting it), and
    // POST_FIRST_CHECKPOINT=passive|truncate: a checkpoint from the bench's connection before posting.
    const walSize = () => fs.statSync(`${file}-wal`, { throwIfNoEntry: false })?.size ?? 0;
    log(`WAL after seeding: ${(walSize() / 1e6).toFixed(1)} MB`);
    log(`search index after seeding: ${describeFts(await ftsStructure(db))}`);
    const ckpt = process.env.POST_FIRST_CHECKPOINT;
    if (ckpt) {
      const c0 = performance.now();
      const r = await sql.raw(`PRAGMA wal_checkpoint(${ckpt.toUpperCase()})`).execute(db);
      log(
        `checkpoint (${ckpt}) in ${Math.round(performance.now() - c0)} ms: ${JSON.stringify(r.rows)}; WAL now ${(walSize() / 1e6).toFixed(1)} MB`,
      );
    }
    // POST_FIRST_STATS=optimize: the bench's refresh (`PRAGMA optimize`, as before each of its page runs);
    // analyze: a full ANALYZE; unset: none.
    const stats = process.env.POST_FIRST_STATS;
    const t0 = performance.now();
    if (stats === 'optimize') await optimizeStatistics(db);
    if (stats === 'analyze') await sql`ANALYZE`.execute(db);
    if (stats) log(`statistics refreshed (${stats}) from the bench's connection in ${Math.round(performance.now() - t0)} ms`);
    await postingOverHttp(
      { db, userIds, log, baseUrl: server.baseUrl, serverPid: server.child?.pid, cookieFor: (u) => sessionCookie(db, u) },
      data.longThread,
      {
        firstPoster: 1_000,
      },
    );
    log(`WAL after posting: ${(walSize() / 1e6).toFixed(1)} MB`);
    log(`search index after posting: ${describeFts(await ftsStructure(db))}`);
    // With SLOW_QUERY_MS set, the server's slow statements during the run, summed by SQL text.
    if (process.env.SLOW_QUERY_MS) {
      const by = new Map<string, { n: number; ms: number }>();
      for (const line of server.log().split('\n')) {
        if (!line.includes('"slow query"')) continue;
        try {
          const j = JSON.parse(line) as { sql: string; ms: number };
          const e = by.get(j.sql.slice(0, 160)) ?? { n: 0, ms: 0 };
          by.set(j.sql.slice(0, 160), { n: e.n + 1, ms: e.ms + j.ms });
        } catch {
          /* not a JSON line */
        }
      }
      for (const [k, e] of [...by].sort((a, b) => b[1].ms - a[1].ms).slice(0, 10)) log(`slow: ${Math.round(e.ms)} ms in ${e.n}× ${k}`);
    }
  } finally {
    await server.stop();
    await db.destroy();
    // POST_FIRST_KEEP=1 keeps the folder (the database, to look at its plans and index afterwards).
    if (process.env.POST_FIRST_KEEP) log(`kept: ${dir}`);
    else fs.rmSync(dir, { recursive: true, force: true });
  }
});
