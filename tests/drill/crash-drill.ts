/**
 * The crash drill (issue 17): starts the BUILT server on a fresh data directory and database
 * (SQLite in the data directory, or a fresh PostgreSQL database on TEST_DATABASE_URL), drives
 * writes of several kinds from concurrent clients — sign-ups, borrows and returns of a library
 * title, resource uploads (a file written to the blob store, then its row), quiz-contest answers
 * (the page's autosave) and submissions, and Week plan saves (an organiser adding activities) —
 * kills the whole server with SIGKILL in the middle of the load, starts it again on the same
 * data, and checks:
 *
 * - every write the server acknowledged (2xx/3xx, or the borrow/return's `ok: true`, the
 *   autosave's `savedAt`) is there: a saved answer's row, a submitted attempt with its score and
 *   every answer, an added activity;
 * - nothing is half-written: every resource row that names a file can serve that file, byte for
 *   byte one of the files sent (an upload is complete or absent), and SQLite's integrity check
 *   passes (PostgreSQL has no such whole-database check: `integrity` is null there); the session
 *   cookies handed out before the crash still work; no attempt is marked submitted without its score.
 *
 * Used by tests/integration/ops-crash-drill.test.ts (one short round per dialect) and `npm run drill`
 * (several rounds, figures for the README; DRILL_DIALECT=postgres for PostgreSQL).
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import Database from 'better-sqlite3';
import { type RawBuilder, sql } from 'kysely';
import pg from 'pg';

import { type DB, openDatabase } from '~/db/connection';
import { migrateToLatest } from '~/db/migrate';
import { grantRole, signUp } from '~/domain/accounts.server';
import { attemptView } from '~/domain/contests/attempts.server';
import { addRound, register } from '~/domain/contests/contests.server';
import { createTitle, upsertHolding } from '~/domain/library/titles.server';
import { createUnit } from '~/domain/units.server';
import { createSessionCookie } from '~/lib/auth.server';
import { newId, nowIso } from '~/lib/ids.server';

import { type AppProcess, cookieFrom, postForm, ROOT, startApp } from '../helpers/app-process';
import { contestWorld } from '../helpers/contests';
import { dropDatabase } from '../helpers/db';

export interface DrillOptions {
  /** 'sqlite' (default) or 'postgres' (a fresh database on TEST_DATABASE_URL, dropped afterwards). */
  dialect?: 'sqlite' | 'postgres';
  /** Kill after this many acknowledged writes (or `maxLoadMs`, whichever comes first). */
  killAfterAcks: number;
  maxLoadMs: number;
  clients: number;
  rounds: number;
  /** Registered entrants prepared for the quiz (each takes the round once; default 400). */
  entrants?: number;
  keepData?: boolean;
  log?: (line: string) => void;
}

export interface RoundResult {
  acknowledged: {
    signups: number;
    borrows: number;
    returns: number;
    uploads: number;
    answerSaves: number;
    submissions: number;
    planSaves: number;
  };
  inFlightAtKill: number;
  lost: string[];
  halfWritten: string[];
  restartMs: number;
  /** SQLite's `PRAGMA integrity_check` after the restart ('ok'); null on PostgreSQL. */
  integrity: string | null;
}

const PASSWORD = 'mat-khau-dien-tap-123';
/** The title page's lending form, posted as the page's fetcher does (the action's JSON answer). */
const LENDING = `/library/sach-dien-tap?_data=${encodeURIComponent('routes/library.$slug')}`;

/** A file sniffed as a PDF (file-type reads the magic), random inside so every upload differs. */
function pdfBytes(size: number): Buffer {
  return Buffer.concat([Buffer.from('%PDF-1.4\n%\xE2\xE3\xCF\xD3\n', 'latin1'), randomBytes(size), Buffer.from('\n%%EOF\n')]);
}
const sha = (b: Buffer | Uint8Array) => createHash('sha256').update(b).digest('hex');

async function prepare(dbUrl: string, entrantCount: number) {
  const db = openDatabase(dbUrl);
  await migrateToLatest(db);
  const prov = await createUnit(db, { parentId: null, kind: 'province', slug: 'tinh-dien-tap', name: 'Tỉnh diễn tập' });
  const ward = await createUnit(db, { parentId: prov.id, kind: 'ward', slug: 'phuong-dien-tap', name: 'Phường diễn tập' });
  const school = await createUnit(db, { parentId: ward.id, kind: 'school', slug: 'truong-dien-tap', name: 'Trường diễn tập' });
  const lib = await createUnit(db, { parentId: prov.id, kind: 'public_library', slug: 'thu-vien-dien-tap', name: 'Thư viện diễn tập' });
  const teacher = await signUp(db, {
    email: 'giaovien@dien-tap.vn',
    password: PASSWORD,
    displayName: 'Giáo viên',
    birthYear: null,
    homeUnitId: null,
    locale: 'vi',
  });
  if (!teacher.ok) throw new Error('teacher sign-up failed');
  await grantRole(db, { userId: teacher.userId, unitId: school.id, role: 'teacher', grantedBy: null });
  // …and organiser of the ward: the Week plan's editor (the 2024 Week comes from content at start).
  await grantRole(db, { userId: teacher.userId, unitId: ward.id, role: 'organiser', grantedBy: null });
  const titleId = await createTitle(
    db,
    {
      slug: 'sach-dien-tap',
      title: 'Sách diễn tập',
      author: 'Tác giả',
      language: 'vi',
      description: 'Mô tả',
      subjects: ['truyện'],
      audience: 'all',
      themeYear: 2024,
      publisher: null,
      publishedYear: null,
    },
    { origin: 'upload', createdBy: null },
  );
  const holding = await upsertHolding(db, titleId, lib.id, { openAccess: false, copies: 100_000 });

  // A quiz contest whose round is open all day, and its registered entrants with sessions (rows
  // written here, as the browser tests do: no password hashing for hundreds of people).
  const w = await contestWorld(db);
  const contest = await w.contest({ title: 'Cuộc thi diễn tập' });
  await w.bank(contest.id, ['Chủ đề'], 4);
  const round = await addRound(db, w.organiser, contest.id, {
    title: 'Vòng diễn tập',
    opensAt: new Date(Date.now() - 60_000).toISOString(),
    closesAt: new Date(Date.now() + 24 * 3_600_000).toISOString(),
    timeLimitS: 3600,
    quota: [{ topic: null, difficulty: 'easy', count: 3 }],
  });
  if (!round.ok) throw new Error(`round: ${round.code}`);
  const entrants: Array<{ userId: string; cookie: string }> = [];
  for (let i = 0; i < entrantCount; i++) {
    const userId = newId();
    await db
      .insertInto('users')
      .values({
        id: userId,
        email: `du-thi-${i}@dien-tap.vn`,
        password_hash: 'x',
        display_name: `Người dự thi ${i}`,
        birth_year: 1990,
        home_unit_id: null,
        locale: 'vi',
        created_at: nowIso(),
      })
      .execute();
    const r = await register(db, contest.id, userId, { fullName: 'Người dự thi', birthYear: 1990, unitId: w.schoolA.id, phone: null });
    if (!r.ok) throw new Error(`register: ${r.code}`);
    entrants.push({ userId, cookie: (await createSessionCookie(userId, db)).split(';')[0]! });
  }
  await db.destroy();
  return {
    schoolId: school.id,
    holdingId: holding.id,
    teacherEmail: 'giaovien@dien-tap.vn',
    quizPath: `/contests/${contest.slug}/rounds/${round.value}`,
    roundId: round.value,
    entrants,
    planPath: `/weeks/2024/plans/${ward.slug}/edit`,
    /** Entrants who took the round in earlier rounds of the drill. */
    entrantsUsed: 0,
    /** Across rounds (every round checks every resource row): each file's hash sent, acknowledged or not… */
    sent: new Set<string>(),
    /** …and the acknowledged uploads (resource id → hash). */
    uploaded: new Map<string, string>(),
  };
}

/** The round page's action answering with its JSON (as a fetcher posts it). */
const QUIZ_DATA = (p: string) => `${p}?_data=${encodeURIComponent('routes/contests.$slug.rounds.$roundId._index')}`;

/** Entrants prepared for the quiz by default (each takes the round once: a round never runs out of them). */
const ENTRANTS = 400;

interface Acks {
  signups: Set<string>;
  borrows: Array<{ email: string }>;
  returns: Array<{ loanId: string }>;
  uploads: Map<string, string>; // resource id → sha256 of the file sent
  answerSaves: Array<{ attemptId: string; questionIds: string[] }>;
  submissions: Array<{ attemptId: string; questions: number }>;
  planSaves: string[]; // titles of the activities added
}

async function signIn(base: string, email: string): Promise<string | null> {
  const res = await postForm(base, '/login', { email, password: PASSWORD, redirectTo: '/' });
  return res.status === 302 ? cookieFrom(res, 'llw_session') : null;
}

function ackCount(a: Acks) {
  return (
    a.signups.size + a.borrows.length + a.returns.length + a.uploads.size + a.answerSaves.length + a.submissions.length + a.planSaves.length
  );
}

/** One round: load, SIGKILL, restart, check. The server is left running for the next round. */
async function round(
  app: AppProcess,
  world: Awaited<ReturnType<typeof prepare>>,
  dbUrl: string,
  env: Record<string, string>,
  o: DrillOptions,
  r: number,
): Promise<{ app: AppProcess; result: RoundResult }> {
  const base = app.baseUrl;
  const acks: Acks = { signups: new Set(), borrows: [], returns: [], uploads: new Map(), answerSaves: [], submissions: [], planSaves: [] };
  const sent = world.sent; // every file's hash sent (acknowledged or not), in this round or an earlier one
  let stopping = false;
  let inFlight = 0;
  let nextEntrant = world.entrantsUsed;
  const refused = new Map<string, string>(); // refusals seen (a sample per kind), for the log
  const track = async <T>(p: Promise<T>): Promise<T> => {
    inFlight++;
    try {
      return await p;
    } finally {
      inFlight--;
    }
  };
  const teacherCookie = await signIn(base, world.teacherEmail);
  if (!teacherCookie) throw new Error('teacher cannot sign in');
  // This process's own connection, shared by the loops: reads the loan just made, an attempt's questions.
  const kdb: DB = openDatabase(dbUrl);
  const loanOf = async (email: string): Promise<string | undefined> =>
    (
      await kdb
        .selectFrom('lib_loans as l')
        .innerJoin('users as u', 'u.id', 'l.user_id')
        .select('l.id')
        .where('u.email', '=', email)
        .where('l.returned_at', 'is', null)
        .orderBy('l.borrowed_at', 'desc')
        .limit(1)
        .executeTakeFirst()
    )?.id;

  const reader_loop = async (c: number) => {
    for (let i = 0; !stopping; i++) {
      const email = `r${r}-c${c}-${i}@dien-tap.vn`;
      try {
        const s = await track(
          postForm(base, '/signup', {
            displayName: `Bạn đọc ${c}-${i}`,
            email,
            password: PASSWORD,
            confirmPassword: PASSWORD,
            birthYear: '',
            homeUnitId: '',
            locale: 'vi',
          }),
        );
        if (s.status >= 200 && s.status < 400) acks.signups.add(email);
        else continue;
        const cookie = await track(signIn(base, email));
        if (!cookie) {
          refused.set('sign-in', email);
          continue;
        }
        const b = await track(postForm(base, LENDING, { intent: 'borrow', holdingId: world.holdingId }, { Cookie: cookie }));
        if (b.status !== 200) {
          refused.set(`borrow ${b.status}`, await b.text());
          continue;
        }
        const bj = (await b.json()) as { ok: boolean; message?: string };
        if (!bj.ok) {
          refused.set('borrow', bj.message ?? '');
          continue;
        }
        acks.borrows.push({ email });
        const loanId = await loanOf(email);
        if (!loanId) continue;
        const t = await track(postForm(base, LENDING, { intent: 'return', loanId }, { Cookie: cookie }));
        if (t.status === 200 && ((await t.json()) as { ok: boolean }).ok) acks.returns.push({ loanId });
      } catch (e) {
        if (!stopping) refused.set('error', String(e));
        /* the server died under us: this write was not acknowledged */
      }
    }
  };

  const upload_loop = async (c: number) => {
    for (let i = 0; !stopping; i++) {
      const file = pdfBytes(64 * 1024 + ((c * 7919 + i * 104729) % (512 * 1024)));
      const hash = sha(file);
      sent.add(hash);
      const fd = new FormData();
      for (const [k, v] of Object.entries({
        unit_id: world.schoolId,
        kind: 'document',
        title: `Tài liệu diễn tập ${r}-${c}-${i}`,
        summary: 'Tóm tắt',
        authors: 'Giáo viên',
        subject: 'self-learning',
        level: 'adult',
        language: 'vi',
        licence: 'cc-by',
        years: '2024',
        intent: 'save',
      }))
        fd.set(k, v);
      fd.set('media', new Blob([new Uint8Array(file)], { type: 'application/pdf' }), 'tai-lieu.pdf');
      try {
        const res = await track(
          fetch(`${base}/resources/new`, {
            method: 'POST',
            redirect: 'manual',
            headers: { Origin: base, Cookie: teacherCookie },
            body: fd,
          }),
        );
        const id = /^\/resources\/([^/?]+)/.exec(res.headers.get('location') ?? '')?.[1];
        if (res.status === 302 && id) acks.uploads.set(id, hash);
      } catch {
        /* not acknowledged */
      }
    }
  };

  // The quiz as an entrant's browser plays it: start, the autosave of the answers, submit.
  const quiz_loop = async () => {
    while (!stopping) {
      const e = world.entrants[nextEntrant++];
      if (!e) return;
      try {
        const start = await track(postForm(base, world.quizPath, { intent: 'start' }, { Cookie: e.cookie }));
        if (start.status !== 302 && start.status !== 303) {
          refused.set(`quiz start ${start.status}`, await start.text());
          continue;
        }
        const attempt = await kdb
          .selectFrom('contest_attempts')
          .select('id')
          .where('round_id', '=', world.roundId)
          .where('user_id', '=', e.userId)
          .executeTakeFirst();
        const view = attempt && (await attemptView(kdb, attempt.id, e.userId));
        if (!attempt || !view) {
          refused.set('quiz attempt', attempt ? 'no view' : 'no attempt');
          continue;
        }
        const form: Record<string, string> = { attemptId: attempt.id };
        for (const q of view.questions) {
          form[`present.${q.id}`] = '1';
          form[`q.${q.id}`] = q.options[0]?.id ?? '';
        }
        // As the page's autosave fetcher posts it: the action's JSON answer (`_data`).
        const save = await track(
          postForm(base, QUIZ_DATA(world.quizPath), { ...form, intent: 'save', autosave: '1' }, { Cookie: e.cookie }),
        );
        if (save.status === 200 && ((await save.json()) as { savedAt: string | null }).savedAt)
          acks.answerSaves.push({ attemptId: attempt.id, questionIds: view.questions.map((q) => q.id) });
        else refused.set(`quiz save ${save.status}`, '');
        const sub = await track(postForm(base, world.quizPath, { ...form, intent: 'submit', prediction: '7' }, { Cookie: e.cookie }));
        if (sub.status === 302 || sub.status === 303) acks.submissions.push({ attemptId: attempt.id, questions: view.questions.length });
        else refused.set(`quiz submit ${sub.status}`, await sub.text());
      } catch (err) {
        if (!stopping) refused.set('quiz error', String(err));
        /* not acknowledged */
      }
    }
  };

  // The Week plan: the organiser adds activities one after another.
  const plan_loop = async () => {
    for (let i = 0; !stopping; i++) {
      const title = `Hoạt động diễn tập ${r}-${i}`;
      try {
        const res = await track(
          postForm(
            base,
            world.planPath,
            {
              intent: 'add-activity',
              title,
              kind: 'talk',
              starts_at: '2024-10-01T09:00',
              ends_at: '2024-10-01T11:00',
              place: 'Hội trường phường',
              online_url: '',
              audience: 'Mọi người',
            },
            { Cookie: teacherCookie },
          ),
        );
        if (res.status === 302 && (res.headers.get('location') ?? '').endsWith('#activities')) acks.planSaves.push(title);
        else refused.set(`plan ${res.status}`, await res.text());
      } catch {
        /* not acknowledged */
      }
    }
  };

  const t0 = Date.now();
  const loops = [...Array.from({ length: Math.max(1, o.clients - 1) }, (_, c) => reader_loop(c)), upload_loop(0), quiz_loop(), plan_loop()];
  // Killed once enough writes are acknowledged and at least one of every kind (or at maxLoadMs).
  const everyKind = () =>
    acks.signups.size > 0 && acks.borrows.length > 0 && acks.uploads.size > 0 && acks.submissions.length > 0 && acks.planSaves.length > 0;
  while ((ackCount(acks) < o.killAfterAcks || !everyKind()) && Date.now() - t0 < o.maxLoadMs)
    await new Promise((res) => setTimeout(res, 20));
  const inFlightAtKill = inFlight;
  await app.kill(); // SIGKILL, mid-load
  stopping = true;
  await Promise.all(loops);
  await kdb.destroy();
  world.entrantsUsed = nextEntrant;
  if (refused.size) o.log?.(`round ${r}: refusals ${JSON.stringify([...refused].map(([k, v]) => `${k}: ${v.slice(0, 200)}`))}`);
  o.log?.(
    `round ${r}: killed after ${Date.now() - t0} ms with ${ackCount(acks)} acknowledged writes, ${inFlightAtKill} requests in flight`,
  );

  const t1 = Date.now();
  const next = await startApp(env, { ready: '/readyz', timeoutMs: 120_000 });
  const restartMs = Date.now() - t1;

  // Checks on the restarted site.
  const lost: string[] = [];
  const halfWritten: string[] = [];
  const db: DB = openDatabase(dbUrl);
  let integrity: string | null = null;
  if (o.dialect !== 'postgres') {
    const file = new Database(dbUrl, { readonly: true });
    integrity = (file.prepare('PRAGMA integrity_check').pluck().get() as string) ?? '?';
    file.close();
  }
  /** The first column of the query's first row (a count comes back as a string on PostgreSQL). */
  const one = async (q: RawBuilder<unknown>) => ((await q.execute(db)).rows[0] as { v?: unknown } | undefined)?.v;
  for (const email of acks.signups) if (!(await one(sql`SELECT 1 AS v FROM users WHERE email = ${email}`))) lost.push(`sign-up ${email}`);
  for (const b of acks.borrows)
    if (!(Number(await one(sql`SELECT count(*) AS v FROM lib_loans l JOIN users u ON u.id = l.user_id WHERE u.email = ${b.email}`)) > 0))
      lost.push(`borrow by ${b.email}`);
  for (const t of acks.returns)
    if (!(await one(sql`SELECT returned_at AS v FROM lib_loans WHERE id = ${t.loanId}`))) lost.push(`return of loan ${t.loanId}`);
  const rows = (
    await sql<{ id: string; media_key: string; media_size: number | string }>`
      SELECT id, media_key, media_size FROM resources WHERE media_key IS NOT NULL`.execute(db)
  ).rows.map((x) => ({ ...x, media_size: Number(x.media_size) }));
  const present = new Set(rows.map((x) => x.id));
  for (const id of acks.uploads.keys()) if (!present.has(id)) lost.push(`upload ${id}`);
  for (const [id, hash] of acks.uploads) world.uploaded.set(id, hash);
  for (const a of acks.answerSaves)
    for (const q of a.questionIds)
      if (!(await one(sql`SELECT 1 AS v FROM contest_answers WHERE attempt_id = ${a.attemptId} AND question_id = ${q}`)))
        lost.push(`answer ${a.attemptId}/${q}`);
  for (const a of acks.submissions) {
    const status = (await one(sql`SELECT status AS v FROM contest_attempts WHERE id = ${a.attemptId}`)) as string | undefined;
    if (status !== 'submitted') lost.push(`submission ${a.attemptId} (${status ?? 'no attempt'})`);
    else if (Number(await one(sql`SELECT count(*) AS v FROM contest_answers WHERE attempt_id = ${a.attemptId}`)) !== a.questions)
      lost.push(`answers of submission ${a.attemptId}`);
  }
  const unscored = await sql<{ id: string }>`
    SELECT id FROM contest_attempts WHERE status = 'submitted' AND (score IS NULL OR max_score IS NULL)`.execute(db);
  for (const { id } of unscored.rows) halfWritten.push(`attempt ${id}: submitted without its score`);
  for (const title of acks.planSaves)
    if (!(await one(sql`SELECT 1 AS v FROM plan_activities WHERE title = ${title}`))) lost.push(`plan activity ${title}`);
  await db.destroy();
  const cookie = teacherCookie; // the session from before the crash
  for (const row of rows) {
    const res = await fetch(`${next.baseUrl}/resources/${row.id}/file/media`, { headers: { Cookie: cookie } });
    if (res.status !== 200) {
      halfWritten.push(`resource ${row.id}: its file answers ${res.status}`);
      continue;
    }
    const body = Buffer.from(await res.arrayBuffer());
    const expected = acks.uploads.get(row.id) ?? world.uploaded.get(row.id);
    if (body.length !== row.media_size) halfWritten.push(`resource ${row.id}: ${body.length} bytes served, ${row.media_size} recorded`);
    else if (expected ? sha(body) !== expected : !sent.has(sha(body)))
      halfWritten.push(`resource ${row.id}: content differs from what was sent`);
  }
  const result: RoundResult = {
    acknowledged: {
      signups: acks.signups.size,
      borrows: acks.borrows.length,
      returns: acks.returns.length,
      uploads: acks.uploads.size,
      answerSaves: acks.answerSaves.length,
      submissions: acks.submissions.length,
      planSaves: acks.planSaves.length,
    },
    inFlightAtKill,
    lost,
    halfWritten,
    restartMs,
    integrity,
  };
  o.log?.(`round ${r}: ${JSON.stringify(result)}`);
  return { app: next, result };
}

/** A fresh PostgreSQL database on TEST_DATABASE_URL for the drill's server, and how to drop it. */
async function freshPgDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const base = process.env.TEST_DATABASE_URL;
  if (!base) throw new Error('TEST_DATABASE_URL is not set (the PostgreSQL drill needs a server)');
  const name = `llw_drill_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(base);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop: () => dropDatabase(base, name),
  };
}

export async function runDrill(o: DrillOptions): Promise<RoundResult[]> {
  const dataDir = path.join(ROOT, 'tests/.tmp', `crash-drill-${process.pid}-${Date.now()}`);
  fs.mkdirSync(dataDir, { recursive: true });
  const pgDb = o.dialect === 'postgres' ? await freshPgDatabase() : null;
  const dbUrl = pgDb?.url ?? path.join(dataDir, 'app.sqlite');
  const env = {
    WEB_CONCURRENCY: '1',
    SEED_DEMO: '0',
    SESSION_SECRET: 'crash-drill-session-secret-0123456789abcdef',
    DATA_DIR: dataDir,
    DATABASE_URL: dbUrl,
    RATE_LIMIT_SHARED_FACTOR: '1000', // every client signs in from 127.0.0.1
    LOG_LEVEL: 'warn',
  };
  let app: AppProcess | null = null;
  const results: RoundResult[] = [];
  try {
    const world = await prepare(dbUrl, o.entrants ?? ENTRANTS);
    app = await startApp(env, { ready: '/readyz', timeoutMs: 120_000 });
    for (let r = 1; r <= o.rounds; r++) {
      const out = await round(app, world, dbUrl, env, o, r);
      app = out.app;
      results.push(out.result);
    }
  } finally {
    await app?.stop();
    if (!o.keepData) {
      fs.rmSync(dataDir, { recursive: true, force: true });
      await pgDb?.drop();
    }
  }
  return results;
}
