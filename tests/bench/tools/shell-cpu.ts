/**
 * CPU per signed-in request, with and without the shared signed-in renders (issue 10,
 * app/lib/page-shell.server.ts): two built servers of one worker each on the same scratch database,
 * one with PAGE_SHELL=0, the other with the default; the worker's CPU ticks (utime + stime from
 * /proc/<pid>/stat) over N requests from a signed-in reader, the two servers interleaved round by
 * round so that both see the same machine. Small scale by default; run it on a quiet machine:
 *
 *   BENCH_USERS=500 BENCH_PLANS=200 BENCH_PROVINCES=8 SHELL_CPU_N=1500 SHELL_CPU_ROUNDS=3 \
 *     node --import tsx tests/bench/tools/shell-cpu.ts
 *
 * SHELL_CPU_CLUBS=1 adds a public reading club of 200 members (the reader one of them, not a
 * moderator) with three meetings to come and a 50-post thread (ten members writing in turn, the
 * reader among them), and measures `/clubs`, that club's page, the thread's first and last pages
 * and the club's discussion page (issue 13: shared per variant), printing the bytes of each page.
 * The club reads a library title in three parts (by chapters); members' progress comes from their
 * marks (a third) and their reader's saved chapter (another third): its schedule is measured too.
 * SHELL_CPU_CLUB_PAGES=thread,thread3 (of directory, club, thread, thread3, discussion, schedule) picks some.
 *
 * SHELL_CPU_GALLERY=1 adds a read-aloud round of SHELL_CPU_GALLERY_ENTRIES (default 200) approved
 * entries with voting open and SHELL_CPU_GALLERY_VOTES (default 4,000) votes, the reader having
 * voted for three entries of the first page, and measures its gallery's first page, page 5 and the
 * last page (issue 15: shared per variant, the reader's votes and the page's counts in the key; a
 * page is a key range between kept anchors, so the last page of 100,000 entries costs as page 1).
 *
 * SHELL_CPU_JURY=1 adds a read-aloud round of SHELL_CPU_JURY_ENTRIES (default 2,000) entries assigned
 * to SHELL_CPU_JURY_JUDGES (default 4) judges, two per entry (~1,000 each, as a judge of the issue's
 * 100,000 entries and 200 judges), and measures the busiest judge's queue, its first page and page
 * 10, signed in as that judge (issue 15: shared per round with the judge's queue a personal region).
 *
 * SHELL_CPU_OLD_ROOT=<another checkout, built> compares that checkout's server ('old') with this
 * one's ('new'), both sharing; SHELL_CPU_ACCEPT=gzip sends `Accept-Encoding` as a browser does (a
 * shared render gzipped per response, or deflated once: ./app/lib/segmented-gzip.server.ts).
 */
import fs from 'node:fs';
import path from 'node:path';

import autocannon from 'autocannon';

import { createSessionCookie } from '../../../app/lib/auth.server';
import { newId } from '../../../app/lib/ids.server';
import { ensureBuilt, type StartedServer, startServer } from '../../browser/setup/global';
import { insertTitleRow } from '../../helpers/library';
import { createScaleDb } from '../run';
import { cpuTicks as ticks } from './proc-cpu';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const N = Number(process.env.SHELL_CPU_N ?? 1500);
const ROUNDS = Number(process.env.SHELL_CPU_ROUNDS ?? 3);
// The framework floor first (a resource route: no root loader, no render), as the bench's reference.
const PAGES = (process.env.SHELL_CPU_PAGES ?? '/bench/floor,/,/weeks/2024,/library,/resources,/courses').split(',');
const TICK_US = 1_000_000 / 100; // USER_HZ

function workerPid(s: StartedServer): number {
  const m = /\(pid (\d+)\)/.exec(s.log());
  if (!m) throw new Error('no worker pid in the server log');
  return Number(m[1]);
}

const ACCEPT = process.env.SHELL_CPU_ACCEPT;
const OLD_ROOT = process.env.SHELL_CPU_OLD_ROOT;

function run(url: string, cookie: string, amount: number): Promise<autocannon.Result> {
  const headers: Record<string, string> = { Cookie: cookie, ...(ACCEPT ? { 'Accept-Encoding': ACCEPT } : {}) };
  return new Promise((resolve, reject) => autocannon({ url, connections: 10, amount, headers }, (e, r) => (e ? reject(e) : resolve(r))));
}

async function main() {
  ensureBuilt(ROOT);
  // SHELL_CPU_TMP: where the scratch database goes (default tests/.tmp).
  const dir = path.join(process.env.SHELL_CPU_TMP ?? path.join(ROOT, 'tests/.tmp'), `shell-cpu-${Date.now()}`);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'app.sqlite');
  const { db, units, userIds } = await createScaleDb(file);
  const readerCookie = (await createSessionCookie(userIds[7]!, db)).split(';')[0]!;
  const pages = [...PAGES];
  if (process.env.SHELL_CPU_CLUBS === '1') {
    const { slug, thread } = await addClub(db, userIds);
    const clubPages: Record<string, string> = {
      directory: '/clubs',
      club: `/clubs/${slug}`,
      thread: `/clubs/${slug}/t/${thread}`,
      thread3: `/clubs/${slug}/t/${thread}?page=3`,
      discussion: `/clubs/${slug}/discussion`,
      schedule: `/clubs/${slug}/schedule`,
    };
    const pick = (process.env.SHELL_CPU_CLUB_PAGES ?? Object.keys(clubPages).join(',')).split(',');
    for (const k of pick) if (clubPages[k]) pages.push(clubPages[k]);
  }
  if (process.env.SHELL_CPU_GALLERY === '1') pages.push(...(await addGallery(db, units, userIds)));
  // Pages measured as another visitor than the reader (a judge's queue as that judge).
  const cookieOf = new Map<string, string>();
  if (process.env.SHELL_CPU_JURY === '1') {
    const jury = await addJury(db, units, userIds);
    const judge = (await createSessionCookie(jury.judge, db)).split(';')[0]!;
    for (const p of jury.pages) {
      pages.push(p);
      cookieOf.set(p, judge);
    }
  }
  const env = {
    APP_ENV: 'production',
    SEED_DEMO: '0',
    DATA_DIR: dir,
    DATABASE_URL: file,
    SESSION_SECRET: 'bench-session-secret-0123456789abcdefghijkl',
    WEB_CONCURRENCY: '1',
  };
  const servers: Record<string, StartedServer> = OLD_ROOT
    ? { old: await startServer(env, OLD_ROOT), new: await startServer(env, ROOT) }
    : { rendered: await startServer({ ...env, PAGE_SHELL: '0' }, ROOT), shared: await startServer(env, ROOT) };
  // Read before any request: the request log lines would push the start line out of the kept log.
  const pids = Object.fromEntries(Object.entries(servers).map(([k, s]) => [k, workerPid(s)]));
  try {
    for (const p of pages) {
      const cookie = cookieOf.get(p) ?? readerCookie;
      const us: Record<string, number[]> = Object.fromEntries(Object.keys(servers).map((k) => [k, []]));
      for (const [name, s] of Object.entries(servers)) {
        const res = await fetch(`${s.baseUrl}${p}`, { headers: { Cookie: cookie } });
        const bytes = (await res.text()).length;
        console.log(
          `${p} ${name}: ${res.status}, X-Page-Cache ${res.headers.get('x-page-cache') ?? '-'}, ${(bytes / 1024).toFixed(1)} K chars` +
            (ACCEPT ? `, Content-Encoding ${res.headers.get('content-encoding') ?? '-'}` : ''),
        );
        await run(`${s.baseUrl}${p}`, cookie, 200); // warm up
      }
      for (let r = 0; r < ROUNDS; r++)
        for (const [name, s] of Object.entries(servers)) {
          const pid = pids[name]!;
          const t0 = ticks(pid);
          const res = await run(`${s.baseUrl}${p}`, cookie, N);
          if (res.non2xx || res.errors) throw new Error(`${p} ${name}: ${res.non2xx} non-2xx, ${res.errors} errors`);
          us[name]!.push(((ticks(pid) - t0) * TICK_US) / N);
        }
      const fmt = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(' / ');
      const each = Object.entries(us).map(([k, xs]) => `${k} ${fmt(xs)} µs`);
      console.log(`${p}: ${each.join('; ')} CPU a request (N=${N} per round${ACCEPT ? `, Accept-Encoding ${ACCEPT}` : ''})`);
    }
  } finally {
    for (const s of Object.values(servers)) await s.stop();
    await db.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A public club of 200 members, userIds[7] among them, with three meetings to come and a 50-post thread. */
async function addClub(db: Awaited<ReturnType<typeof createScaleDb>>['db'], userIds: string[]): Promise<{ slug: string; thread: string }> {
  const id = newId();
  const slug = `clb-shell-${id.slice(0, 6)}`;
  const now = new Date().toISOString();
  const unit = await db.selectFrom('units').select('id').where('kind', '=', 'ward').executeTakeFirstOrThrow();
  await db
    .insertInto('club_clubs')
    .values({
      id,
      slug,
      unit_id: unit.id,
      name: 'CLB Đọc sách cùng nhau',
      description_md: 'Mỗi tuần **một truyện**, ông bà đọc cùng các cháu.',
      cover_url: null,
      language: 'vi',
      audience: 'all',
      visibility: 'public',
      join_code: null,
      intergenerational: 1,
      week_year: null,
      status: 'active',
      created_by: userIds[0]!,
      created_at: now,
      approved_by: null,
      approved_at: null,
      closed_at: null,
    })
    .execute();
  const members = userIds.slice(0, 200).map((u, k) => ({
    club_id: id,
    user_id: u,
    role: k === 0 ? ('moderator' as const) : ('member' as const),
    status: 'active' as const,
    joined_at: now,
    updated_at: now,
  }));
  for (let i = 0; i < members.length; i += 100)
    await db
      .insertInto('club_members')
      .values(members.slice(i, i + 100))
      .execute();
  for (let k = 1; k <= 3; k++) {
    const at = Date.now() + k * 7 * 86_400_000;
    await db
      .insertInto('club_meetings')
      .values({
        id: newId(),
        club_id: id,
        title: `Buổi gặp ${k}`,
        mode: 'in_person',
        link: null,
        place: 'Thư viện xã',
        starts_at: new Date(at).toISOString(),
        ends_at: new Date(at + 5_400_000).toISOString(),
        agenda_md: 'Đọc và kể lại.',
        capacity: 20,
        status: 'scheduled',
        sequence: 0,
        reminded_24h: 0,
        reminded_1h: 0,
        created_by: userIds[0]!,
        created_at: now,
        updated_at: now,
      })
      .execute();
  }
  // A thread of 50 posts (three pages), written by the first ten members in turn.
  const thread = newId();
  await db
    .insertInto('disc_threads')
    .values({
      id: thread,
      place_type: 'club',
      place_id: id,
      unit_id: unit.id,
      title: 'Cảm nhận về Dế Mèn phiêu lưu ký',
      author_id: userIds[0]!,
      status: 'visible',
      pinned: 0,
      locked: 0,
      slow_mode_s: 0,
      last_post_no: 50,
      reply_count: 49,
      created_at: now,
      last_post_at: now,
    })
    .execute();
  await db
    .insertInto('disc_posts')
    .values(
      Array.from({ length: 50 }, (_, i) => {
        const md = `Bài ${i + 1}: Dế Mèn biết nhận lỗi sau cái chết của Dế Choắt, một bài học về **tính kiêu căng** của tuổi trẻ.`;
        return {
          id: newId(),
          thread_id: thread,
          post_no: i + 1,
          author_id: userIds[i % 10]!,
          body_md: md,
          body_html: `<p>${md.replace(/\*\*(.+?)\*\*/, '<strong>$1</strong>')}</p>\n`,
          quote_of: null,
          status: 'visible' as const,
          edit_count: 0,
          created_at: now,
          edited_at: null,
          removed_at: null,
        };
      }),
    )
    .execute();
  // The current book: a library title in three parts by chapters, the first due already; members'
  // progress from their marks (a third) and their reader's saved chapter (another third).
  const titleId = await insertTitleRow(db, { title: 'Dế Mèn phiêu lưu ký', author: 'Tô Hoài' });
  const title = { id: titleId, title: 'Dế Mèn phiêu lưu ký', author: 'Tô Hoài' };
  const book = newId();
  await db
    .insertInto('club_books')
    .values({
      id: book,
      club_id: id,
      title_id: title.id,
      title: title.title,
      author: title.author,
      pages: null,
      status: 'current',
      set_by: userIds[0]!,
      created_at: now,
    })
    .execute();
  for (const [k, target] of ['2020-01-31', '2099-06-30', '2099-12-31'].entries())
    await db
      .insertInto('club_milestones')
      .values({
        id: newId(),
        club_id: id,
        book_id: book,
        position: k + 1,
        label: `Chương ${2 * k + 1}–${2 * k + 2}`,
        from_page: null,
        to_page: null,
        start_chapter: `Chương ${2 * k + 1}`,
        target_on: target,
        thread_id: null,
        created_by: userIds[0]!,
        created_at: now,
      })
      .execute();
  const marks = userIds
    .slice(0, 200)
    .flatMap((u, k) => (k % 3 === 0 ? [{ book_id: book, user_id: u, finished: k % 4, updated_at: now }] : []));
  await db.insertInto('club_progress').values(marks).execute();
  const positions = userIds
    .slice(0, 200)
    .flatMap((u, k) =>
      k % 3 === 1 ? [{ user_id: u, title_id: title.id, cfi: 'epubcfi(/6/4!/4/2)', label: `Chương ${1 + (k % 5)}`, updated_at: now }] : [],
    );
  await db.insertInto('lib_reading_state').values(positions).execute();
  return { slug, thread };
}

/** A read-aloud round with voting open (the contest-entries bench's round, smaller); its gallery's pages to measure. */
async function addGallery(db: Awaited<ReturnType<typeof createScaleDb>>['db'], units: Map<string, string>, userIds: string[]) {
  // The bench module reads its scale when loaded: set it first.
  process.env.BENCH_ENTRIES = process.env.SHELL_CPU_GALLERY_ENTRIES ?? '200';
  process.env.BENCH_JUDGES = '2';
  process.env.BENCH_VOTE_LIVE = '0';
  const votes = Number(process.env.SHELL_CPU_GALLERY_VOTES ?? 4000);
  process.env.BENCH_VOTES = String(votes);
  const { bulkVotes, seedRound } = await import('../contest-entries');
  const { castVote } = await import('../../../app/domain/contests/votes.server');
  const s = await seedRound({ db, units, userIds, log: (...a: unknown[]) => console.log(...a) });
  await new Promise((r) => setTimeout(r, 5)); // the window opens 1 ms after the round is made
  const have = new Set<string>();
  for (const entryId of s.entryIds.slice(0, 3)) {
    const r = await castVote(db, { userId: userIds[7]!, entryId, ip: '10.9.9.9' });
    if (!r.ok) throw new Error(`the reader's vote: ${r.code}`);
  }
  await bulkVotes({ db, units, userIds, log: () => undefined }, s.roundId, s.entryIds, s.voters, votes, have);
  const gallery = `/contests/${s.slug}/gallery/${s.roundId}`;
  // The deepest page too: at 100,000 entries an OFFSET walked the whole round for it (issue 15).
  const last = Math.ceil(s.entryIds.length / 24);
  return [gallery, `${gallery}?page=5`, ...(last > 5 ? [`${gallery}?page=${last}`] : [])];
}

/** A read-aloud round whose entries are assigned to a few judges (the contest-entries bench's round); the busiest judge and their queue's pages. */
async function addJury(db: Awaited<ReturnType<typeof createScaleDb>>['db'], units: Map<string, string>, userIds: string[]) {
  process.env.BENCH_ENTRIES = process.env.SHELL_CPU_JURY_ENTRIES ?? '2000';
  process.env.BENCH_JUDGES = process.env.SHELL_CPU_JURY_JUDGES ?? '4';
  process.env.BENCH_VOTE_LIVE = '0';
  process.env.BENCH_VOTES = '0';
  const { seedRound } = await import('../contest-entries');
  const { assignJudges } = await import('../../../app/domain/contests/jury.server');
  const s = await seedRound({ db, units, userIds, log: (...a: unknown[]) => console.log(...a) });
  const a = await assignJudges(db, s.organiser, s.roundId);
  if (!a.ok) throw new Error(a.code);
  const busiest = await db
    .selectFrom('contest_assignments')
    .select(['judge_id', db.fn.countAll<number>().as('n')])
    .where('round_id', '=', s.roundId)
    .groupBy('judge_id')
    .orderBy('n', 'desc')
    .executeTakeFirstOrThrow();
  console.log(`jury: ${a.value.created} assignments, the busiest judge ${Number(busiest.n)} entries`);
  const queue = `/contests/${s.slug}/jury/${s.roundId}`;
  return { judge: busiest.judge_id, pages: [queue, `${queue}?page=10`] };
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
