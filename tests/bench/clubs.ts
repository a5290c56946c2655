/**
 * Reading clubs at scale (issue #13): clubs, memberships, meetings and club threads bulk-inserted
 * (BENCH_CLUBS_SCALE=1: 10,000 clubs, 200,000 memberships, 50,000 meetings, 20,000 club threads
 * of 3 posts; BENCH_CLUBS_SCALE=0.01 for a quick try), plus one busy club with a 300-post thread,
 * then, anonymous and signed in (a member of the busy club):
 *  - GET /clubs (the directory);
 *  - GET /clubs/:slug (the busy club's page: members' generations, upcoming meetings, polls);
 *  - GET /clubs/:slug/t/:id?page=15 (the last page of the 300-post thread, the shared thread view);
 *  - GET /clubs/:slug/discussion (the busy club's threads and its book's parts, each open or locked);
 *  - GET /clubs/:slug/t/:id?page=… of a milestone's thread (part 2 of the busy club's book, set up
 *    through the schedule's own functions, 200 posts), signed in as a member who has finished part
 *    2 (the spoiler gate passes: the posts are shown);
 *  - GET /clubs/:slug/calendar.ics (the busy club's feed, anonymous: a public club);
 *  - GET /clubs/calendar/<token>.ics (the private personal feed of a member of 20 clubs), and the
 *    same feed built in this process (`personalCalendar`), ms per feed;
 *  - reading-log inserts through `logReading` (the 24-hour day check in its write transaction),
 *    one after another on the seeded logs (BENCH_CLUBS_SCALE=1: 1,000,000 rows), inserts per second.
 * Targets (issue #13): each page ≥ 50 % of the floor's req/s, p99 < 150 ms at 50 connections; a
 * personal feed of a member of 20 clubs < 20 ms; log inserts ≥ 2,000/s.
 */
import '~/domain/places.server';

import { performance } from 'node:perf_hooks';

import type { Insertable } from 'kysely';

import { writeTransaction } from '~/db/dialect';
import type { DiscPostsTable, DiscThreadsTable } from '~/db/schema';
import {
  CLUB_AUDIENCES,
  type ClubClubsTable,
  type ClubMeetingsTable,
  type ClubMembersTable,
  type ReadingLogsTable,
} from '~/db/schema/clubs';
import { calendarToken, personalCalendar } from '~/domain/clubs/calendar.server';
import { logReading } from '~/domain/clubs/reading.server';
import { addMilestone, CLUB_PLACE, markProgress, setCurrentBook } from '~/domain/clubs/schedule.server';
import { todayInVietnam } from '~/lib/dates';
import { newId } from '~/lib/ids.server';

import type { BenchContext } from './run';

const SCALE = Number(process.env.BENCH_CLUBS_SCALE ?? 1);
const CLUBS = Math.max(10, Math.round(10_000 * SCALE));
const MEMBERS_PER_CLUB = 20; // 200,000 memberships at scale 1
const MEETINGS_PER_CLUB = 5; // 50,000 meetings at scale 1
const THREADS_PER_CLUB = 2;
const POSTS_PER_THREAD = 3;
const LONG_THREAD_POSTS = 300;
const MILESTONE_POSTS = 200;
const BUSY_MEMBERS = 200;
const READING_LOGS = Math.max(1_000, Math.round(1_000_000 * SCALE));
const FEED_CLUBS = 20; // the personal feed's owner belongs to this many clubs
const LOG_INSERTS = Number(process.env.BENCH_CLUBS_LOG_INSERTS ?? 3_000);
const CHUNK = 500;
const WORDS = 'đọc sách cùng cháu ông bà câu lạc bộ thư viện cộng đồng truyện cổ tích thơ văn học tập suốt đời gia đình'.split(' ');

export async function bench(ctx: BenchContext): Promise<void> {
  const { db } = ctx;
  let seed = 13;
  const rand = () => (seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32;
  const phrase = (n: number) => Array.from({ length: n }, () => WORDS[Math.floor(rand() * WORDS.length)]!).join(' ');
  const units = [...ctx.units.values()];
  const users = ctx.userIds;
  const t0 = performance.now();
  const now = Date.now();
  const iso = (offsetS: number) => new Date(now + offsetS * 1000).toISOString();

  let busy = { id: '', slug: '', thread: '' };
  let threadsMade = 0;
  let postsMade = 0;
  for (let start = 0; start < CLUBS; start += CHUNK) {
    const clubs: Insertable<ClubClubsTable>[] = [];
    const members: Insertable<ClubMembersTable>[] = [];
    const meetings: Insertable<ClubMeetingsTable>[] = [];
    const threads: Insertable<DiscThreadsTable>[] = [];
    const posts: Insertable<DiscPostsTable>[] = [];
    for (let i = start; i < Math.min(CLUBS, start + CHUNK); i++) {
      const id = newId();
      const slug = `clb-bench-${i}-${id.slice(0, 6).toLowerCase()}`;
      const unitId = units[i % units.length]!;
      const creator = users[(i * MEMBERS_PER_CLUB) % users.length]!;
      clubs.push({
        id,
        slug,
        unit_id: unitId,
        name: `CLB đọc sách ${i} ${phrase(2)}`,
        description_md: phrase(30),
        cover_url: null,
        language: i % 5 ? 'vi' : 'en',
        audience: CLUB_AUDIENCES[i % CLUB_AUDIENCES.length]!,
        visibility: i % 4 === 3 ? 'request' : 'public',
        join_code: null,
        intergenerational: i % 3 === 0 ? 1 : 0,
        week_year: null,
        status: 'active',
        created_by: creator,
        created_at: iso(-i),
        approved_by: null,
        approved_at: null,
        closed_at: null,
      });
      const n = i === 0 ? Math.min(BUSY_MEMBERS, users.length) : Math.min(MEMBERS_PER_CLUB, users.length);
      for (let k = 0; k < n; k++)
        members.push({
          club_id: id,
          user_id: users[(i * MEMBERS_PER_CLUB + k) % users.length]!,
          role: k === 0 ? 'moderator' : 'member',
          status: 'active',
          joined_at: iso(-i),
          updated_at: iso(-i),
        });
      for (let k = 0; k < MEETINGS_PER_CLUB; k++) {
        // Two past meetings, three to come (weekly).
        const at = (k - 2) * 7 * 86_400 + (i % 24) * 3_600;
        meetings.push({
          id: newId(),
          club_id: id,
          title: `Buổi gặp ${k + 1}: ${phrase(3)}`,
          mode: k % 2 ? 'online' : 'in_person',
          link: k % 2 ? 'https://meet.example.vn/clb' : null,
          place: k % 2 ? null : 'Thư viện xã',
          starts_at: iso(at),
          ends_at: iso(at + 5_400),
          agenda_md: phrase(12),
          capacity: 20,
          status: 'scheduled',
          sequence: 0,
          reminded_24h: 0,
          reminded_1h: 0,
          created_by: creator,
          created_at: iso(-i),
          updated_at: iso(-i),
        });
      }
      const threadCount = i === 0 ? THREADS_PER_CLUB + 1 : THREADS_PER_CLUB;
      for (let k = 0; k < threadCount; k++) {
        const tid = newId();
        const postCount = i === 0 && k === 0 ? LONG_THREAD_POSTS : POSTS_PER_THREAD;
        if (i === 0 && k === 0) busy = { id, slug, thread: tid };
        threads.push({
          id: tid,
          place_type: CLUB_PLACE,
          place_id: id,
          unit_id: unitId,
          title: phrase(6),
          author_id: creator,
          status: 'visible',
          pinned: 0,
          locked: 0,
          slow_mode_s: 0,
          last_post_no: postCount,
          reply_count: postCount - 1,
          created_at: iso(-i - k),
          last_post_at: iso(-i),
        });
        for (let p = 1; p <= postCount; p++) {
          const md = phrase(25);
          posts.push({
            id: newId(),
            thread_id: tid,
            post_no: p,
            author_id: users[(i * MEMBERS_PER_CLUB + (p % n)) % users.length]!,
            body_md: md,
            body_html: `<p>${md}</p>\n`,
            quote_of: null,
            status: 'visible',
            edit_count: 0,
            created_at: iso(-i - k + p),
            edited_at: null,
            removed_at: null,
          });
        }
        threadsMade++;
        postsMade += postCount;
      }
    }
    await writeTransaction(db, async (trx) => {
      await trx.insertInto('club_clubs').values(clubs).execute();
      for (let p = 0; p < members.length; p += CHUNK)
        await trx
          .insertInto('club_members')
          .values(members.slice(p, p + CHUNK))
          .execute();
      for (let p = 0; p < meetings.length; p += CHUNK)
        await trx
          .insertInto('club_meetings')
          .values(meetings.slice(p, p + CHUNK))
          .execute();
      await trx.insertInto('disc_threads').values(threads).execute();
      for (let p = 0; p < posts.length; p += CHUNK)
        await trx
          .insertInto('disc_posts')
          .values(posts.slice(p, p + CHUNK))
          .execute();
    });
  }
  const memberships =
    CLUBS * Math.min(MEMBERS_PER_CLUB, users.length) + Math.max(0, Math.min(BUSY_MEMBERS, users.length) - MEMBERS_PER_CLUB);
  ctx.log(
    `clubs: ${CLUBS} clubs, ~${memberships} memberships, ${CLUBS * MEETINGS_PER_CLUB} meetings, ${threadsMade} threads, ${postsMade} posts in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );

  // Reading logs: one row a person-day over the last 120 days (a few read with a partner).
  const t1 = performance.now();
  const today = todayInVietnam(new Date(now));
  const dayOf = (n: number) => new Date(Date.parse(`${today}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);
  for (let start = 0; start < READING_LOGS; start += CHUNK * 10) {
    const logs: Insertable<ReadingLogsTable>[] = [];
    for (let i = start; i < Math.min(READING_LOGS, start + CHUNK * 10); i++) {
      const user = users[i % users.length]!;
      const partner = i % 20 === 0 ? users[(i + 1) % users.length]! : null;
      logs.push({
        id: newId(),
        user_id: user,
        // Never today: the insert bench below logs today, under the 24-hour cap.
        read_on: dayOf(1 + (Math.floor(i / users.length) % 120)),
        minutes: 10 + (i % 50),
        title_id: null,
        outside_title: i % 3 ? phrase(3) : null,
        partner_user_id: partner === user ? null : partner,
        club_id: null,
        source: 'manual',
        session_id: null,
        created_at: iso(-i),
      });
    }
    await writeTransaction(db, async (trx) => {
      for (let p = 0; p < logs.length; p += CHUNK)
        await trx
          .insertInto('reading_logs')
          .values(logs.slice(p, p + CHUNK))
          .execute();
    });
  }
  ctx.log(`clubs: ${READING_LOGS} reading logs in ${((performance.now() - t1) / 1000).toFixed(1)} s`);

  // The personal feed's owner: a member of FEED_CLUBS clubs (the seeded ones, then more).
  const feedUser = users[2 % users.length]!;
  const already = await db.selectFrom('club_members').select('club_id').where('user_id', '=', feedUser).execute();
  const need = Math.max(0, FEED_CLUBS - already.length);
  if (need) {
    const more = await db
      .selectFrom('club_clubs')
      .select('id')
      .where('id', 'not in', already.map((r) => r.club_id).concat(['-']))
      .orderBy('created_at')
      .limit(need)
      .execute();
    await db
      .insertInto('club_members')
      .values(
        more.map((c) => ({ club_id: c.id, user_id: feedUser, role: 'member', status: 'active', joined_at: iso(0), updated_at: iso(0) })),
      )
      .execute();
  }
  const feedClubs = (
    await db.selectFrom('club_members').select('club_id').where('user_id', '=', feedUser).where('status', '=', 'active').execute()
  ).length;
  const token = await calendarToken(db, feedUser);

  const member = users[1 % users.length]!; // a member (not the moderator) of the busy club
  const cookie = await ctx.cookieFor(member);
  const lastPage = Math.ceil(LONG_THREAD_POSTS / 20);

  // The busy club's schedule: a paper book in two parts, each with its thread opened by the
  // moderator (the schedule's own functions), part 2's thread filled with posts, and the member
  // marked as having finished both parts, so the spoiler gate lets them read it.
  const moderator = users[0]!;
  const book = await setCurrentBook(db, moderator, busy.id, { title: 'Dế Mèn phiêu lưu ký', author: 'Tô Hoài', pages: 200 });
  if (!book.ok) throw new Error(`setCurrentBook: ${book.code}`);
  const target = dayOf(-14);
  const part1 = await addMilestone(db, moderator, busy.id, { label: 'Chương 1–5', fromPage: 1, toPage: 100, targetOn: target });
  const part2 = await addMilestone(db, moderator, busy.id, { label: 'Chương 6–10', fromPage: 101, toPage: 200, targetOn: target });
  if (!part1.ok || !part2.ok || !part2.value.threadId) throw new Error('addMilestone failed');
  const partThread = part2.value.threadId;
  const partPosts: Insertable<DiscPostsTable>[] = [];
  for (let p = 2; p <= MILESTONE_POSTS; p++) {
    const md = phrase(25);
    partPosts.push({
      id: newId(),
      thread_id: partThread,
      post_no: p,
      author_id: users[p % Math.min(BUSY_MEMBERS, users.length)]!,
      body_md: md,
      body_html: `<p>${md}</p>\n`,
      quote_of: null,
      status: 'visible',
      edit_count: 0,
      created_at: iso(p),
      edited_at: null,
      removed_at: null,
    });
  }
  await writeTransaction(db, async (trx) => {
    for (let p = 0; p < partPosts.length; p += CHUNK)
      await trx
        .insertInto('disc_posts')
        .values(partPosts.slice(p, p + CHUNK))
        .execute();
    await trx
      .updateTable('disc_threads')
      .set({ last_post_no: MILESTONE_POSTS, reply_count: MILESTONE_POSTS - 1, last_post_at: iso(MILESTONE_POSTS) })
      .where('id', '=', partThread)
      .execute();
  });
  const progress = await markProgress(db, member, busy.id, 2);
  if (!progress.ok) throw new Error(`markProgress: ${progress.code}`);
  const partLastPage = Math.ceil(MILESTONE_POSTS / 20);
  const pages: Array<[string, string]> = [
    [`GET /clubs (${CLUBS} clubs)`, '/clubs'],
    [`GET /clubs/:slug (${Math.min(BUSY_MEMBERS, users.length)} members)`, `/clubs/${busy.slug}`],
    [`GET /clubs/:slug/t/:id?page=${lastPage} (${LONG_THREAD_POSTS} posts)`, `/clubs/${busy.slug}/t/${busy.thread}?page=${lastPage}`],
    [`GET /clubs/:slug/discussion (${THREADS_PER_CLUB + 1} threads, 2 parts)`, `/clubs/${busy.slug}/discussion`],
  ];
  for (const [name, path] of pages) {
    ctx.report(`${name}, anonymous`, await ctx.autocannon({ path, duration: 8, warmup: 1 }));
    ctx.report(`${name}, signed in`, await ctx.autocannon({ path, headers: { cookie }, duration: 8, warmup: 1 }));
  }
  // Anonymous visitors and members behind see the lock, not the posts: only the member who read that far is measured.
  const partPath = `/clubs/${busy.slug}/t/${partThread}?page=${partLastPage}`;
  const partCheck = await fetch(`${ctx.baseUrl}${partPath}`, { headers: { cookie } });
  const partHtml = await partCheck.text();
  if (!partCheck.ok || partHtml.includes('spoiler-lock'))
    throw new Error(`the milestone thread is not open to the member (${partCheck.status})`);
  ctx.report(
    `GET /clubs/:slug/t/:id?page=${partLastPage} (part 2's thread, ${MILESTONE_POSTS} posts), signed in (finished part 2)`,
    await ctx.autocannon({ path: partPath, headers: { cookie }, duration: 8, warmup: 1 }),
  );

  // iCalendar: the busy club's feed (public, for anyone) and a member's private feed.
  ctx.report(
    `GET /clubs/:slug/calendar.ics (${MEETINGS_PER_CLUB} meetings)`,
    await ctx.autocannon({ path: `/clubs/${busy.slug}/calendar.ics`, duration: 8, warmup: 1 }),
  );
  ctx.report(
    `GET /clubs/calendar/<token>.ics (member of ${feedClubs} clubs)`,
    await ctx.autocannon({ path: `/clubs/calendar/${token}.ics`, duration: 8, warmup: 1 }),
  );
  // The first build writes every event through `ics`; later ones reuse each meeting's text until it changes.
  const c0 = performance.now();
  const firstFeed = await personalCalendar(db, feedUser, 'CLB');
  ctx.log(
    `clubs: personal feed, first build in this process (every event written by ics): ${(performance.now() - c0).toFixed(1)} ms, ${(Buffer.byteLength(firstFeed) / 1024).toFixed(0)} KB, ${firstFeed.split('BEGIN:VEVENT').length - 1} events`,
  );
  const feedMs: number[] = [];
  for (let i = 0; i < 220; i++) {
    const f0 = performance.now();
    await personalCalendar(db, feedUser, 'CLB');
    if (i >= 20) feedMs.push(performance.now() - f0);
  }
  const fq = quantiles(feedMs);
  ctx.log(
    `clubs: personal feed of a member of ${feedClubs} clubs built in this process (query + iCalendar text): p50 ${fq.p50.toFixed(1)} ms, p99 ${fq.p99.toFixed(1)} ms (target < 20 ms)`,
  );
  ctx.report(`personalCalendar(), member of ${feedClubs} clubs, in process (feeds/s)`, {
    reqPerSec: 1000 / (feedMs.reduce((a, b) => a + b, 0) / feedMs.length),
    p50: fq.p50,
    p99: fq.p99,
    non2xx: 0,
    errors: 0,
    bytesPerReq: 0,
  });

  // Reading-log inserts through the domain (validation, the day cap in a write transaction), one
  // after another while the server runs, spread over the users (5 minutes each, today).
  const insertMs: number[] = [];
  let refused = 0;
  const l0 = performance.now();
  for (let i = 0; i < LOG_INSERTS; i++) {
    const i0 = performance.now();
    const r = await logReading(db, users[i % users.length]!, { readOn: today, minutes: 5, outsideTitle: 'Truyện Kiều' });
    insertMs.push(performance.now() - i0);
    if (!r.ok) refused++;
  }
  const seconds = (performance.now() - l0) / 1000;
  const iq = quantiles(insertMs);
  ctx.log(
    `clubs: ${LOG_INSERTS} reading-log inserts through logReading on ${READING_LOGS} rows in ${seconds.toFixed(1)} s: ${(LOG_INSERTS / seconds).toFixed(0)}/s (target ≥ 2,000/s), p99 ${iq.p99.toFixed(1)} ms, ${refused} refused`,
  );
  ctx.report(`reading-log inserts (logReading, ${READING_LOGS} rows; inserts/s)`, {
    reqPerSec: LOG_INSERTS / seconds,
    p50: iq.p50,
    p99: iq.p99,
    non2xx: refused,
    errors: 0,
    bytesPerReq: 0,
  });
}

function quantiles(ms: number[]): { p50: number; p99: number } {
  const s = [...ms].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? 0;
  return { p50: Math.round(at(0.5) * 10) / 10, p99: Math.round(at(0.99) * 10) / 10 };
}
