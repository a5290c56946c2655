/**
 * The built server as `npm start` runs it (no NODE_ENV, demo data, two workers): production React,
 * the periodic jobs in exactly one worker, graceful restart, and the rendered-page cache seen from
 * outside — a cached anonymous page changes on the next request after each kind of public write,
 * made here in ANOTHER process (this test process, on the same SQLite file).
 */
import '~/domain/places.server';

import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type DB, openDatabase } from '~/db/connection';
import { publishCourse, unpublishCourse } from '~/domain/courses/courses.server';
import { createThread, reply } from '~/domain/discussion/posts.server';
import { borrow, returnLoan } from '~/domain/library/circulation.server';
import { reviewResource, submitResource, withdrawResource } from '~/domain/oer/resources.server';
import { setPlanStatus } from '~/domain/plans.server';
import { updateWeek } from '~/domain/weeks.server';
import { createSessionCookie } from '~/lib/auth.server';

import { ensureBuilt, type StartedServer, startServer } from '../browser/setup/global';
import { ownerEditor } from '../helpers/courses';

const ROOT = path.resolve(import.meta.dirname, '../..');
let server: StartedServer;
let db: DB;
let dataDir: string;

beforeAll(async () => {
  ensureBuilt(ROOT);
  dataDir = path.join(ROOT, 'tests/.tmp', `speed-server-${process.pid}-${Date.now()}`);
  fs.mkdirSync(dataDir, { recursive: true });
  server = await startServer(
    {
      NODE_ENV: '', // as `npm start` leaves it
      APP_ENV: '',
      WEB_CONCURRENCY: '2',
      DATA_DIR: dataDir,
      DATABASE_URL: path.join(dataDir, 'app.sqlite'),
    },
    ROOT,
    170_000, // the demo seed builds 13 EPUBs first: slow on a loaded machine
  );
  // Both workers up (the demo seed runs once, in the primary, before them).
  await waitFor(() => (server.log().match(/\(pid \d+\)/g) ?? []).length >= 2, 60_000);
  db = openDatabase(path.join(dataDir, 'app.sqlite'));
}, 240_000);

afterAll(async () => {
  await server?.stop();
  await db?.destroy();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function waitFor(cond: () => boolean | Promise<boolean>, timeoutMs = 5_000): Promise<number> {
  const t0 = Date.now();
  while (!(await cond())) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`not reached within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return Date.now() - t0;
}

const get = (p: string, headers: Record<string, string> = {}) => fetch(`${server.baseUrl}${p}`, { headers });
const text = async (p: string) => (await get(p)).text();
/**
 * A request on a new connection, as a new visitor makes (keep-alive sockets aside). One left
 * unanswered for 30 s rejects, naming itself, rather than holding the test until its timeout.
 */
const freshStatus = (p: string) =>
  new Promise<number>((resolve, reject) => {
    const req = http
      .get(`${server.baseUrl}${p}`, { agent: false }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      })
      .on('error', reject);
    req.setTimeout(30_000, () => req.destroy(new Error(`${p}: no answer within 30 s`)));
  });

/** Caches `p` (two requests: the second is a hit on one of the workers), returns its text. */
async function cached(p: string): Promise<string> {
  await get(p);
  await waitFor(async () => (await get(p)).headers.get('x-page-cache') === 'hit');
  return text(p);
}

/** After a write in this process: how long until the page shows `expected` (must be < 2 s on a loaded machine). */
async function seenWithin(p: string, expected: (html: string) => boolean): Promise<number> {
  const ms = await waitFor(async () => expected(await text(p)), 2_000);
  return ms;
}

describe('the built server (npm start: no NODE_ENV, two workers)', () => {
  it('renders with the production React build in every worker', () => {
    const log = server.log();
    expect(log.match(/React DOM server: production build/g)?.length).toBe(2);
    expect(log).not.toMatch(/React DOM server: development/);
  });

  it('runs the periodic jobs in exactly one of the two workers', () => {
    expect(server.log().match(/\[jobs\] periodic jobs run in process/g)?.length).toBe(1);
  });

  it('a Week edited shows on its cached page on the next request', async () => {
    const before = await cached('/weeks/2024');
    expect(before).not.toContain('Chủ đề đã sửa');
    const w = (await db.selectFrom('weeks').selectAll().where('year', '=', 2024).executeTakeFirstOrThrow()) as Record<string, unknown>;
    const { year: _y, origin: _o, content_hash: _c, updated_at: _u, ...input } = w;
    await updateWeek(db, 2024, { ...(input as Parameters<typeof updateWeek>[2]), theme_vi: 'Chủ đề đã sửa cho Tuần lễ' });
    await seenWithin('/weeks/2024', (h) => h.includes('Chủ đề đã sửa cho Tuần lễ'));
  });

  it('a plan unpublished and published again changes its cached page each time', async () => {
    const page = '/weeks/2024/plans/bien-giang';
    const plan = await db
      .selectFrom('plans as p')
      .innerJoin('units as u', 'u.id', 'p.unit_id')
      .select('p.id')
      .where('u.slug', '=', 'bien-giang')
      .where('p.week_year', '=', 2024)
      .executeTakeFirstOrThrow();
    // "công bố ngày dd/MM/yyyy" (published on …) shows only on a published plan.
    const published = /công bố ngày \d{2}\/\d{2}\/\d{4}/;
    expect(await cached(page)).toMatch(published);
    await setPlanStatus(db, plan.id, 'draft');
    await seenWithin(page, (h) => !published.test(h));
    await cached(page);
    await setPlanStatus(db, plan.id, 'published');
    await seenWithin(page, (h) => published.test(h));
  });

  it('a book borrowed, then returned, changes the availability on its cached page', async () => {
    const h = await db
      .selectFrom('lib_holdings as h')
      .innerJoin('lib_titles as t', 't.id', 'h.title_id')
      .select(['h.id', 'h.copies', 't.slug'])
      .where('h.open_access', '=', 0)
      .where('h.copies', '>=', 2)
      .executeTakeFirstOrThrow();
    const user = await db.selectFrom('users').select('id').where('email', '=', 'nguoidan@demo.hoctap.vn').executeTakeFirstOrThrow();
    const page = `/library/${h.slug}`;
    const full = `Còn ${h.copies}/${h.copies} bản`;
    expect(await cached(page)).toContain(full);
    const loan = await borrow(db, user.id, h.id);
    expect(loan.ok).toBe(true);
    if (!loan.ok) return;
    await seenWithin(page, (html) => html.includes(`Còn ${h.copies - 1}/${h.copies} bản`));
    await cached(page);
    expect(await returnLoan(db, user.id, loan.value.loanId)).toBe(true);
    await seenWithin(page, (html) => html.includes(full));
  });

  it('a resource approved by a reviewer appears in the cached catalogue', async () => {
    const r = await db
      .selectFrom('resources')
      .select(['id', 'title', 'author_id', 'unit_id'])
      .where('status', '=', 'published')
      .executeTakeFirstOrThrow();
    const reviewer = await db
      .selectFrom('role_grants as g')
      .innerJoin('unit_closure as c', 'c.ancestor_id', 'g.unit_id')
      .select('g.user_id')
      .where('c.descendant_id', '=', r.unit_id)
      .where('g.role', '=', 'organiser')
      .executeTakeFirstOrThrow();
    const page = `/resources/${r.id}`;
    expect(await cached(page)).toContain(r.title);
    await withdrawResource(db, reviewer.user_id, r.id, 'Cần bổ sung nguồn');
    const gone = await seenWithin(page, (h) => !h.includes(`<h1>${r.title}`) && !h.includes(r.title));
    expect(gone).toBeLessThan(2_000);
    await submitResource(db, r.author_id, r.id);
    await cached('/resources');
    await reviewResource(db, reviewer.user_id, r.id, 'publish', '');
    await seenWithin(page, (h) => h.includes(r.title));
  });

  it('a resource page served from the cache still counts its views', async () => {
    const r = await db.selectFrom('resources').select(['id']).where('status', '=', 'published').orderBy('id').executeTakeFirstOrThrow();
    const page = `/resources/${r.id}`;
    await cached(page);
    const views = async () =>
      Number((await db.selectFrom('resources').select('views').where('id', '=', r.id).executeTakeFirstOrThrow()).views);
    const before = await views();
    let hits = 0;
    for (let i = 0; i < 10; i++) if ((await get(page)).headers.get('x-page-cache') === 'hit') hits++;
    expect(hits).toBeGreaterThan(0);
    await waitFor(async () => (await views()) >= before + hits, 15_000); // written in batches every 5 s
  });

  it('a course published appears in the cached course catalogue', async () => {
    const c = await db.selectFrom('courses').select(['id', 'title']).where('status', '=', 'published').executeTakeFirstOrThrow();
    expect(await cached('/courses')).toContain(c.title);
    await unpublishCourse(db, await ownerEditor(db, c.id));
    await seenWithin('/courses', (h) => !h.includes(c.title));
    await cached('/courses');
    expect((await publishCourse(db, await ownerEditor(db, c.id))).ok).toBe(true);
    await seenWithin('/courses', (h) => h.includes(c.title));
  });

  it('a reply shows on the cached forum thread page and its category page', async () => {
    const t = await db
      .selectFrom('disc_threads as t')
      .innerJoin('forum_categories as c', 'c.id', 't.place_id')
      .select(['t.id', 'c.slug', 'c.id as category_id'])
      .where('t.place_type', '=', 'forum')
      .where('t.status', '=', 'visible')
      .where('t.locked', '=', 0)
      .where('c.visibility', '=', 'public')
      .executeTakeFirstOrThrow();
    const organiser = await db.selectFrom('users').select('id').where('email', '=', 'admin@demo.hoctap.vn').executeTakeFirstOrThrow();
    const body = `Lịch đọc sách chung tuần này đã có ở thư viện phường ${Date.now()}.`;
    expect(await cached(`/forums/t/${t.id}`)).not.toContain(body);
    await cached(`/forums/c/${t.slug}`);
    const r = await reply(db, { userId: organiser.id }, t.id, { body });
    expect(r.ok ? r.value.status : r.code).toBe('visible');
    await seenWithin(`/forums/t/${t.id}`, (h) => h.includes(body));
    // A new thread appears in the cached category list.
    const title = `Đọc sách cùng con cuối tuần ${Date.now()}`;
    const n = await createThread(
      db,
      { userId: organiser.id },
      { type: 'forum', id: t.category_id },
      { title, body: 'Mời các gia đình tham gia.' },
    );
    expect(n.ok).toBe(true);
    await seenWithin(`/forums/c/${t.slug}`, (h) => h.includes(title));
  });

  it('answers 304 to a matching If-None-Match, with Cache-Control for a proxy', async () => {
    await cached('/library');
    const res = await get('/library');
    const etag = res.headers.get('etag')!;
    expect(res.headers.get('cache-control')).toMatch(/public, max-age=0, s-maxage=\d+, stale-while-revalidate=\d+/);
    // Either worker may answer; each keeps its own render, so try until the one holding this ETag does.
    await waitFor(async () => (await get('/library', { 'If-None-Match': etag })).status === 304);
  });

  it('never serves a signed-in visitor a cached page, and never stores theirs', async () => {
    const user = await db
      .selectFrom('users')
      .select(['id', 'display_name'])
      .where('email', '=', 'giaovien@demo.hoctap.vn')
      .executeTakeFirstOrThrow();
    const cookie = (await createSessionCookie(user.id, db)).split(';')[0]!;
    const p = '/library?signed-in-check=1';
    await cached(p);
    for (let i = 0; i < 4; i++) {
      const res = await get(p, { Cookie: cookie });
      expect(res.headers.get('x-page-cache')).toBeNull();
      expect(await res.text()).toContain(user.display_name);
    }
    const anon = await text(p);
    expect(anon).not.toContain(user.display_name);
  });

  it('restarts workers one by one on SIGHUP without refusing a request, the jobs still in one worker', async () => {
    process.kill(server.child.pid!, 'SIGHUP');
    const statuses: number[] = [];
    await waitFor(async () => {
      statuses.push(await freshStatus('/healthz'));
      return /restart done/.test(server.log());
    }, 180_000); // each new worker loads the build and opens the database: slow on a loaded machine
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect(server.log().match(/React DOM server: production build/g)?.length).toBe(4);
    expect(server.log().match(/\[jobs\] periodic jobs run in process/g)?.length).toBe(2); // the first one stopped, its replacement took over
    expect((await get('/')).status).toBe(200);
  }, 240_000);
});
