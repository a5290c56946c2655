/**
 * Community at scale (issue #12): categories, threads and posts bulk-inserted (target scale
 * 1,000 categories, 200,000 threads, 2,000,000 posts; BENCH_COMMUNITY_SCALE=0.001 for a quick
 * try), one 500-post thread, 200 notifications for one member, then
 *  - GET the last page of the 500-post thread, a category page, /notifications (autocannon);
 *  - posting throughput: replies through the engine (all checks, numbering, search indexing), one
 *    after another and 16 at a time, then POSTed through the server,
 *    spread over members so the per-account rate limit is not what is measured;
 *  - the bell's unread count (one indexed query): p50/p99 over 1,000 calls and its query plan.
 * Targets: pages ≥ 50 % of the floor with p99 < 150 ms; ≥ 500 posts/s; unread count one indexed query.
 */
import '~/domain/places.server';

import http from 'node:http';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

import type { Insertable } from 'kysely';
import { sql } from 'kysely';

import { openDatabase } from '~/db/connection';
import { isPostgres, writeTransaction } from '~/db/dialect';
import type { DiscPostsTable, DiscThreadsTable, NotifNotificationsTable } from '~/db/schema';
import { reply } from '~/domain/discussion/posts.server';
import { unreadCount } from '~/domain/notifications/notify.server';
import { optimizeSearchIndex } from '~/domain/search/index.server';
import { indexDocuments, type IndexInput } from '~/domain/search/index.server';
import { newId } from '~/lib/ids.server';

import type { BenchContext } from './run';
import { treeCpuMs } from './tools/proc-cpu';

const SCALE = Number(process.env.BENCH_COMMUNITY_SCALE ?? 1);
const CATEGORIES = Math.max(2, Math.round(1_000 * SCALE));
const THREADS = Math.max(10, Math.round(200_000 * SCALE));
const POSTS = Math.max(THREADS * 2, Math.round(2_000_000 * SCALE));
const CHUNK = 2_000;
const WORDS = 'học tập suốt đời đọc sách văn hóa công dân số kỹ năng an toàn trên mạng thư viện cộng đồng gia đình ông bà cháu con'.split(
  ' ',
);

let seed = 12;
const rand = () => (seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32;
const phrase = (n: number) => Array.from({ length: n }, () => WORDS[Math.floor(rand() * WORDS.length)]!).join(' ');

export interface CommunityData {
  catIds: string[];
  longThread: string;
  reader: string;
}

/** Categories, threads and posts at SCALE (bulk inserts and search documents), 200 notices for one reader. */
export async function seedCommunity(ctx: Pick<BenchContext, 'db' | 'units' | 'userIds' | 'log'>): Promise<CommunityData> {
  const { db } = ctx;
  const units = [...ctx.units.values()];
  const users = ctx.userIds;
  const t0 = performance.now();
  const iso = (i: number) => new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString();

  const catIds: string[] = [];
  await writeTransaction(db, async (trx) => {
    for (let i = 0; i < CATEGORIES; i++) {
      const id = newId();
      catIds.push(id);
      await trx
        .insertInto('forum_categories')
        .values({
          id,
          slug: `bench-${i}-${id}`,
          unit_id: units[i % units.length]!,
          week_year: null,
          name: `Chuyên mục ${i} ${phrase(2)}`,
          description: phrase(8),
          visibility: 'public',
          slow_mode_s: 0,
          position: i,
          created_by: null,
          created_at: iso(0),
        })
        .execute();
    }
  });

  // The long thread first (500 posts), then the rest spread evenly.
  const postsPer = Math.max(1, Math.floor((POSTS - 500) / (THREADS - 1)));
  let posted = 0;
  let longThread = '';
  for (let start = 0; start < THREADS; start += CHUNK) {
    const threads: Insertable<DiscThreadsTable>[] = [];
    const posts: Insertable<DiscPostsTable>[] = [];
    const docs: IndexInput[] = [];
    for (let i = start; i < Math.min(THREADS, start + CHUNK); i++) {
      const id = newId();
      if (i === 0) longThread = id;
      const n = i === 0 ? 500 : postsPer;
      const place = catIds[i % catIds.length]!;
      const title = phrase(6);
      threads.push({
        id,
        place_type: 'forum',
        place_id: place,
        unit_id: units[i % units.length]!,
        title,
        author_id: users[i % users.length]!,
        status: 'visible',
        pinned: 0,
        locked: 0,
        slow_mode_s: 0,
        last_post_no: n,
        reply_count: n - 1,
        created_at: iso(i),
        last_post_at: iso(i + n),
      });
      for (let k = 1; k <= n; k++) {
        const md = phrase(25);
        posts.push({
          id: newId(),
          thread_id: id,
          post_no: k,
          author_id: users[(i + k) % users.length]!,
          body_md: md,
          body_html: `<p>${md}</p>\n`,
          quote_of: null,
          status: 'visible',
          edit_count: 0,
          created_at: iso(i + k),
          edited_at: null,
          removed_at: null,
        });
      }
      posted += n;
      docs.push({
        source: 'thread',
        id,
        kind: 'thread',
        title,
        body: String(posts[posts.length - n]!.body_md),
        url: `/forums/t/${id}`,
        language: 'vi',
        publishedAt: iso(i),
      });
    }
    await writeTransaction(db, async (trx) => {
      await trx.insertInto('disc_threads').values(threads).execute();
      for (let p = 0; p < posts.length; p += 500)
        await trx
          .insertInto('disc_posts')
          .values(posts.slice(p, p + 500))
          .execute();
    });
    await indexDocuments(db, docs);
  }
  const reader = users[0]!;
  const notes: Insertable<NotifNotificationsTable>[] = Array.from({ length: 200 }, (_, i) => ({
    id: newId(),
    user_id: reader,
    type: 'community.reply',
    params: JSON.stringify({ name: 'Bạn đọc', title: phrase(5) }),
    url: `/forums/t/${longThread}`,
    place_type: 'forum',
    place_id: catIds[0]!,
    created_at: iso(i),
    read_at: i % 3 ? iso(i) : null,
    email: 'none',
    claim: null,
    emailed_at: null,
  }));
  await db.insertInto('notif_notifications').values(notes).execute();
  ctx.log(`community: ${CATEGORIES} categories, ${THREADS} threads, ${posted} posts in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  // The seed wrote the search index in large batches; the daily search:optimize job (app/jobs.server.ts)
  // would have merged its segments since. Without it, every reply below paid for merging the seed's backlog.
  const o0 = performance.now();
  await optimizeSearchIndex(db);
  ctx.log(`community: search index merged (the daily job) in ${((performance.now() - o0) / 1000).toFixed(1)} s`);
  return { catIds, longThread, reader };
}

export async function bench(ctx: BenchContext): Promise<void> {
  const { db } = ctx;
  const { catIds, longThread, reader } = await seedCommunity(ctx);
  ctx.log(`community: the seed checkpointed and flushed to disk in ${Math.round(await ctx.settle())} ms`);

  const catSlug = (await db.selectFrom('forum_categories').select('slug').where('id', '=', catIds[0]!).executeTakeFirstOrThrow()).slug;
  const cookie = await ctx.cookieFor(reader);
  ctx.report(
    'GET /forums/t/:id?page=25 (last page, 500 posts)',
    await ctx.autocannon({ path: `/forums/t/${longThread}?page=25`, duration: 8, warmup: 1 }),
  );
  ctx.report(
    `GET /forums/c/:slug (${Math.round(THREADS / CATEGORIES)} threads)`,
    await ctx.autocannon({ path: `/forums/c/${catSlug}`, duration: 8, warmup: 1 }),
  );
  ctx.report(
    'GET /notifications (200 notices)',
    await ctx.autocannon({ path: '/notifications', headers: { cookie }, duration: 8, warmup: 1 }),
  );

  await postingLoop(ctx, path.join(ctx.dataDir, 'app.sqlite'), longThread);
  // The same through the engine with 16 replies in flight (other members: the rate limit stays out).
  await postingLoop(ctx, path.join(ctx.dataDir, 'app.sqlite'), longThread, 1_000, 201, 16);
  await postingOverHttp(ctx, longThread, { firstPoster: 1_000 });

  const times: number[] = [];
  for (let i = 0; i < 1_000; i++) {
    const s = performance.now();
    await unreadCount(db, reader);
    times.push(performance.now() - s);
  }
  times.sort((a, b) => a - b);
  ctx.log(`community: unread count p50 ${times[500]!.toFixed(3)} ms, p99 ${times[990]!.toFixed(3)} ms`);
  if (!isPostgres(db)) {
    const plan = await sql<{
      detail: string;
    }>`explain query plan select count(*) from notif_notifications where user_id = ${reader} and read_at is null`.execute(db);
    ctx.log(`community: unread count plan: ${plan.rows.map((r) => r.detail).join(' | ')}`);
  }
}

/**
 * The threads the posting measures reply to: visible forum threads only. Without the filter, a run
 * after the clubs bench (`npm run bench` seeds clubs first, on the same database) drew about one
 * target in ten from the club threads (random ids), which `/forums/t/:id` refuses (403/404), so
 * those replies counted as refused.
 */
async function forumTargets(db: BenchContext['db'], n: number, longThread: string): Promise<string[]> {
  const rows = await db
    .selectFrom('disc_threads')
    .select('id')
    .where('place_type', '=', 'forum')
    .where('status', '=', 'visible')
    .limit(n)
    .execute();
  return rows.map((t) => t.id).filter((t) => t !== longThread);
}

/**
 * Posting throughput: replies through the engine (all checks, numbering, search indexing, the
 * outbox row), one after another or `concurrency` at a time (their write transactions then share
 * commits, as a serving process's requests do: `writeTransaction`'s group commit), spread over 200
 * members so the per-account rate limit is not what is measured, on a connection of its own to
 * `file` that times every statement (where a post's time goes).
 */
export async function postingLoop(
  ctx: Pick<BenchContext, 'db' | 'userIds' | 'log'>,
  file: string,
  longThread: string,
  count = 1_000,
  firstPoster = 1,
  concurrency = 1,
): Promise<number> {
  const { db } = ctx;
  const users = ctx.userIds;
  // Members old enough and with read activity.
  const posters = users.slice(firstPoster, firstPoster + 200);
  const old = new Date(Date.UTC(2025, 0, 1)).toISOString();
  await db.updateTable('users').set({ created_at: old }).where('id', 'in', posters).execute();
  await db
    .insertInto('disc_reads')
    .values(posters.map((u) => ({ thread_id: longThread, user_id: u, last_read_no: 1, updated_at: old })))
    .onConflict((oc) => oc.columns(['thread_id', 'user_id']).doNothing())
    .execute();
  const targets = await forumTargets(db, 200, longThread);
  const n = Math.min(count, posters.length * 9);
  // Where a post's time goes: every statement timed on a connection of its own to the same file.
  const stmts = new Map<string, { n: number; ms: number; max: number }>();
  const pdb = openDatabase(file, {
    onQuery: (text, ms) => {
      const k = text.replace(/\s+/g, ' ').slice(0, 90);
      const e = stmts.get(k) ?? { n: 0, ms: 0, max: 0 };
      e.n++;
      e.ms += ms;
      e.max = Math.max(e.max, ms);
      stmts.set(k, e);
    },
  });
  const each: number[] = [];
  const p0 = performance.now();
  let ok = 0;
  let next = 0;
  const lane = async () => {
    for (let i = next++; i < n; i = next++) {
      const s = performance.now();
      const r = await reply(pdb, { userId: posters[i % posters.length]! }, targets[i % targets.length]!, { body: `${phrase(20)} ${i}` });
      each.push(performance.now() - s);
      if (r.ok) ok++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  const secs = (performance.now() - p0) / 1000;
  const how = concurrency > 1 ? `${concurrency} at a time` : 'one after another';
  await pdb.destroy();
  each.sort((a, b) => a - b);
  const sqlMs = [...stmts.values()].reduce((a, e) => a + e.ms, 0);
  ctx.log(
    `community (${how}): a reply p50 ${each[Math.floor(n / 2)]!.toFixed(1)} ms, p99 ${each[Math.floor(n * 0.99)]!.toFixed(1)} ms, max ${each.at(-1)!.toFixed(1)} ms; SQL ${(sqlMs / n).toFixed(1)} ms a reply in ${[...stmts.values()].reduce((a, e) => a + e.n, 0) / n} statements`,
  );
  for (const [k, e] of [...stmts].sort((a, b) => b[1].ms - a[1].ms).slice(0, 8))
    ctx.log(`  ${(e.ms / n).toFixed(2)} ms/reply, ${e.n}×, max ${e.max.toFixed(1)} ms: ${k}`);
  ctx.log(
    `community: ${ok}/${n} replies accepted through the engine, ${how}, in ${secs.toFixed(2)} s = ${(ok / secs).toFixed(0)} posts/s (with search indexing)`,
  );

  return ok / secs;
}

/**
 * Posting throughput as the target means it, "accepted": replies POSTed to the thread page through
 * the server (its workers, sessions, the form's parsing, the redirect), from `connections`
 * keep-alive connections at once for `seconds`, each request as another member (a session each)
 * from another client address (X-Forwarded-For; the bench's server trusts its proxy), so neither
 * rate limit (10 a minute per account, 30 per address) is what is measured. A reply counts as
 * accepted when the server redirects to the new post. Then waits for the outbox (the follower and
 * mention notices) to be worked through by the jobs process and logs how long that took.
 * Needs the server started with TRUST_PROXY=1 (the bench's run.ts and post-loop.ts do).
 */
export async function postingOverHttp(
  ctx: Pick<BenchContext, 'db' | 'userIds' | 'log' | 'baseUrl' | 'cookieFor' | 'serverPid'>,
  longThread: string,
  o: { connections?: number; seconds?: number; posters?: number; firstPoster?: number } = {},
): Promise<{ perSec: number; p50: number; p99: number; refused: number }> {
  const { db } = ctx;
  // 50 connections: the load the issue sets for the page rows (BENCH_POST_CONNECTIONS for another).
  const connections = o.connections ?? Number(process.env.BENCH_POST_CONNECTIONS ?? 50);
  const seconds = o.seconds ?? Number(process.env.BENCH_POST_SECONDS ?? 8);
  const first = o.firstPoster ?? 1_000;
  const posters = ctx.userIds.slice(first, first + (o.posters ?? Number(process.env.BENCH_POST_POSTERS ?? 1_000)));
  const old = new Date(Date.UTC(2025, 0, 1)).toISOString();
  for (let i = 0; i < posters.length; i += 400) {
    const part = posters.slice(i, i + 400);
    await db.updateTable('users').set({ created_at: old }).where('id', 'in', part).execute();
    await db
      .insertInto('disc_reads')
      .values(part.map((u) => ({ thread_id: longThread, user_id: u, last_read_no: 1, updated_at: old })))
      .onConflict((oc) => oc.columns(['thread_id', 'user_id']).doNothing())
      .execute();
  }
  const cookies: string[] = [];
  for (const u of posters) cookies.push(await ctx.cookieFor(u));
  const targets = await forumTargets(db, 201, longThread);
  // Every target thread followed by two members, so each reply has notices to fan out.
  await db
    .insertInto('disc_follows')
    .values(targets.flatMap((t, i) => [0, 1].map((k) => ({ thread_id: t, user_id: ctx.userIds[(i * 2 + k) % 900]!, created_at: old }))))
    .onConflict((oc) => oc.columns(['thread_id', 'user_id']).doNothing())
    .execute();
  // Notices (rows) and what they stand for (a follower's unread notice of a thread gathers its replies).
  const noticeTotals = async () => {
    const r = await db
      .selectFrom('notif_notifications')
      .select([sql<number>`count(*)`.as('n'), sql<number>`coalesce(sum(count), 0)`.as('told')])
      .executeTakeFirst();
    return { rows: toCount(r?.n), told: toCount(r?.told) };
  };
  const notices0 = await noticeTotals();
  const base = new URL(ctx.baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const post = (i: number) =>
    new Promise<{ status: number; location: string }>((resolve, reject) => {
      const body = new URLSearchParams({ intent: 'reply', body: `${phrase(20)} ${i}` }).toString();
      const req = http.request(
        {
          agent,
          host: base.hostname,
          port: base.port,
          method: 'POST',
          path: `/forums/t/${targets[i % targets.length]!}`,
          headers: {
            cookie: cookies[i % cookies.length]!,
            origin: base.origin,
            'content-type': 'application/x-www-form-urlencoded',
            'content-length': Buffer.byteLength(body),
            'x-forwarded-for': `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode ?? 0, location: String(res.headers.location ?? '') }));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  let next = 0;
  let accepted = 0;
  let refused = 0;
  const times: number[] = [];
  const statuses = new Map<number, number>();
  const stopAt = performance.now() + seconds * 1000;
  // CPU per accepted reply: the server's processes (workers and jobs, from /proc) and this one's.
  const cpu0 = treeCpuMs(ctx.serverPid);
  const own0 = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < stopAt) {
        const i = next++;
        const s = performance.now();
        const r = await post(i);
        times.push(performance.now() - s);
        statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
        if (r.status >= 300 && r.status < 400 && r.location.includes('#post-')) accepted++;
        else refused++;
      }
    }),
  );
  const secs = (performance.now() - t0) / 1000;
  const cpu1 = treeCpuMs(ctx.serverPid);
  const own = process.cpuUsage(own0);
  agent.destroy();
  times.sort((a, b) => a - b);
  const p50 = times[Math.floor(times.length / 2)] ?? 0;
  const p99 = times[Math.floor(times.length * 0.99)] ?? 0;
  ctx.log(
    `community: ${accepted} replies accepted over HTTP in ${secs.toFixed(1)} s at ${connections} connections = ${(accepted / secs).toFixed(0)} posts/s (p50 ${p50.toFixed(0)} ms, p99 ${p99.toFixed(0)} ms; statuses ${[...statuses].map(([k, v]) => `${k}×${v}`).join(', ')})`,
  );
  if (cpu0 !== null && cpu1 !== null && accepted)
    ctx.log(
      `community: CPU per reply accepted over HTTP: the server ${((cpu1 - cpu0) / accepted).toFixed(2)} ms (workers and jobs), this process ${((own.user + own.system) / 1000 / accepted).toFixed(2)} ms (node:http); ${(((cpu1 - cpu0) / 1000 / secs) * 100).toFixed(0)} % of a core busy in the server`,
    );
  // The fan-out: follower notices arrive once the jobs process has worked through the outbox.
  const f0 = performance.now();
  let backlog = 0;
  while (performance.now() - f0 < 120_000) {
    backlog = toCount(
      (
        await db
          .selectFrom('disc_outbox')
          .select(sql<number>`count(*)`.as('n'))
          .executeTakeFirst()
      )?.n,
    );
    if (backlog === 0) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  const notices1 = await noticeTotals();
  const made = notices1.rows - notices0.rows;
  const told = notices1.told - notices0.told;
  // The replies' whole cost: their notices, written after the window when the outbox lags, counted too.
  const drained = (performance.now() - t0) / 1000;
  const cpu2 = treeCpuMs(ctx.serverPid);
  if (cpu0 !== null && cpu2 !== null && accepted)
    ctx.log(
      `community: with their notices written (until the outbox was empty): ${(accepted / drained).toFixed(0)} replies/s over ${drained.toFixed(1)} s, the server's CPU ${((cpu2 - cpu0) / accepted).toFixed(2)} ms a reply`,
    );
  ctx.log(
    `community: outbox ${backlog ? `still ${backlog} rows` : 'empty'} ${((performance.now() - f0) / 1000).toFixed(1)} s after the last post; ${made} notices written for ${told} follower–reply pairs (at least ${accepted * 2}: two followers a thread, and posters follow what they reply to; a follower's unread notice of a thread gathers its replies)`,
  );
  return { perSec: accepted / secs, p50, p99, refused };
}

function toCount(v: unknown): number {
  return typeof v === 'string' ? Number.parseInt(v, 10) : Number(v ?? 0);
}
