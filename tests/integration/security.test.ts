/**
 * Security review findings (issue #9), each pinned by a test named for the finding, on real
 * databases (SQLite, and PostgreSQL when TEST_DATABASE_URL is set).
 */
import zlib from 'node:zlib';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { DB } from '~/db/connection';
import { seedAccounts } from '~/db/seed/accounts';
import { seedUnits } from '~/db/seed/units';
import { createPasswordResetToken, isResetTokenUsable, resetPassword, signUp } from '~/domain/accounts.server';
import { courseEditor } from '~/domain/courses/access.server';
import { createCourse, getCourseBySlug, updateCourse } from '~/domain/courses/courses.server';
import { enrol, recordProgress } from '~/domain/courses/progress.server';
import { EPUB_CAPS, inspectEpub } from '~/domain/library/epub.server';
import { createShelf, joinShelf } from '~/domain/library/shelves.server';
import {
  approvePendingEdit,
  createResource,
  getProgress,
  getResource,
  pendingDiff,
  pendingEditQueue,
  rejectPendingEdit,
  type ResourceInput,
  reviewResource,
  saveProgress,
  submitResource,
  updateResource,
} from '~/domain/oer/resources.server';
import { search } from '~/domain/search/index.server';
import { MAX_PLAYBACK_RATE } from '~/domain/watch-time.server';
import { courseSchema } from '~/forms/courses-course';
import { lessonSchema } from '~/forms/courses-lesson';
import { signIn } from '~/lib/auth.server';
import { newId } from '~/lib/ids.server';
import { consumeAll, dbLimiter } from '~/lib/rate-limit.server';
import { unwrap } from '~/lib/result';

import { courseInput } from '../helpers/courses';
import { dialects, freshDb } from '../helpers/db';
import { resourceInput } from '../helpers/oer';

function requestFrom(ip: string): Request {
  return new Request('http://localhost/login', { headers: { 'x-llw-client-ip': ip } });
}

async function newUser(db: DB, password = 'mot-mat-khau-dai') {
  const email = `sec.${newId(8)}@example.test`;
  const r = await signUp(db, { email, password, displayName: 'Người thử', birthYear: 1990, homeUnitId: null, locale: 'vi' });
  if (!r.ok) throw new Error('sign-up failed');
  return { id: r.userId, email, password };
}

const resource = (unitId: string, over: Partial<ResourceInput> = {}) =>
  resourceInput(unitId, { title: 'Đọc sách cùng con', subject: 'reading', years: [2024], bodyMd: 'Mỗi tối một trang sách.', ...over });

const course = (unitId: string) => courseInput(unitId, { title: 'Kỹ năng số', summary: 'Tóm tắt', estHours: 1 });

describe.each(dialects)('security review findings (%s)', (dialect) => {
  let db: DB;
  let cleanup: () => Promise<void>;
  let units: Map<string, string>;
  let users: Map<string, string>;
  beforeAll(async () => {
    ({ db, cleanup } = await freshDb(dialect));
    units = await seedUnits(db);
    users = await seedAccounts(db, units);
  });
  afterAll(async () => cleanup());

  describe('finding 2: the login rate limit holds against parallel guesses', () => {
    it('60 simultaneous wrong passwords: at most 5 are checked, the rest are refused (429) before argon2', async () => {
      const u = await newUser(db);
      const ip = `203.0.113.${dialect === 'sqlite' ? 61 : 62}`;
      const results = await Promise.all(Array.from({ length: 60 }, () => signIn(requestFrom(ip), u.email, 'sai-mat-khau', db)));
      const invalid = results.filter((r) => !r.ok && r.error === 'invalid').length;
      const limited = results.filter((r) => !r.ok && r.error === 'rate_limited').length;
      expect(invalid).toBe(5);
      expect(limited).toBe(55);
      // The right password from the guessing address is refused too…
      expect(await signIn(requestFrom(ip), u.email, u.password, db)).toMatchObject({ ok: false, error: 'rate_limited' });
      // …but the owner, from their own address, is not locked out.
      expect((await signIn(requestFrom('192.0.2.7'), u.email, u.password, db)).ok).toBe(true);
    });

    it('a slower per-account limit across addresses stops a distributed guesser', async () => {
      const u = await newUser(db);
      // 50 wrong guesses from 50 addresses (each under its own per-address limit).
      for (let i = 0; i < 50; i++) await signIn(requestFrom(`198.51.100.${i + 1}`), u.email, 'sai', db);
      expect(await signIn(requestFrom('198.51.100.200'), u.email, u.password, db)).toMatchObject({ ok: false, error: 'rate_limited' });
    });

    it('the counters live in the database: two limiters (two processes) share them', async () => {
      const limit = { keyPrefix: `shared_${newId(6)}`, points: 3, duration: 60 };
      const a = dbLimiter(limit, db);
      const b = dbLimiter(limit, db);
      const outcomes = await Promise.all(Array.from({ length: 10 }, (_, i) => consumeAll([[i % 2 ? a : b, 'k']])));
      expect(outcomes.filter((o) => o.ok)).toHaveLength(3);
    });
  });

  describe('finding 5: moving a course to another unit is checked like creating it there', () => {
    it('a teacher of one commune cannot move a course to another province; an organiser there can', async () => {
      const teacher = users.get('giaovien@demo.hoctap.vn')!;
      const c = await createCourse(db, teacher, course(units.get('thcs-bien-giang')!));
      const row = (await getCourseBySlug(db, c.slug))!;
      const hanoi = units.get('ha-noi')!;
      const moved = await updateCourse(db, unwrap(await courseEditor(db, row.id, teacher)), course(hanoi));
      expect(moved).toEqual({ ok: false, code: 'unit_forbidden' });
      expect((await getCourseBySlug(db, c.slug))!.unit_id).toBe(units.get('thcs-bien-giang'));
      // Within their own unit the teacher edits freely.
      expect(
        (await updateCourse(db, unwrap(await courseEditor(db, row.id, teacher)), { ...course(row.unit_id), title: 'Tên mới' })).ok,
      ).toBe(true);
      const admin = users.get('admin@demo.hoctap.vn')!;
      expect((await updateCourse(db, unwrap(await courseEditor(db, row.id, admin)), course(hanoi))).ok).toBe(true);
      expect((await getCourseBySlug(db, c.slug))!.unit_id).toBe(hanoi);
    });
  });

  describe('finding 6: an edit of a published resource waits for review', () => {
    it('17 edits by the author leave the published version live; the reviewer sees a diff and approves', async () => {
      const teacher = users.get('giaovien@demo.hoctap.vn')!;
      const organiser = users.get('bantochuc.biengiang@demo.hoctap.vn')!;
      const school = units.get('thcs-bien-giang')!;
      const id = unwrap(await createResource(db, teacher, resource(school)));
      unwrap(await submitResource(db, teacher, id));
      unwrap(await reviewResource(db, organiser, id, 'publish', ''));
      for (let i = 1; i <= 17; i++)
        await updateResource(db, teacher, id, resource(school, { title: `Quảng cáo lừa đảo ${i}`, bodyMd: `Nội dung ${i}` }));
      const live = (await getResource(db, id))!;
      expect(live).toMatchObject({ title: 'Đọc sách cùng con', body_md: 'Mỗi tối một trang sách.', status: 'published', version: 1 });
      expect((await search(db, 'quang cao lua dao')).hits.map((h) => h.id)).not.toContain(id);
      // The queue shows the newest pending edit with what it changes.
      expect((await pendingEditQueue(db, organiser)).map((e) => e.id)).toContain(id);
      expect(await pendingDiff(db, id)).toEqual([
        { field: 'title', before: 'Đọc sách cùng con', after: 'Quảng cáo lừa đảo 17' },
        { field: 'body_md', before: 'Mỗi tối một trang sách.', after: 'Nội dung 17' },
      ]);
      // The author cannot approve their own edit.
      expect(await approvePendingEdit(db, teacher, id)).toEqual({ ok: false, code: 'forbidden' });
      unwrap(await rejectPendingEdit(db, organiser, id, 'Nhan đề không phù hợp'));
      expect((await getResource(db, id))!.title).toBe('Đọc sách cùng con');
      expect(await pendingEditQueue(db, organiser)).toEqual([]);
      await updateResource(db, teacher, id, resource(school, { title: 'Đọc sách cùng con (bản mới)' }));
      unwrap(await approvePendingEdit(db, organiser, id));
      expect((await getResource(db, id))!).toMatchObject({ title: 'Đọc sách cùng con (bản mới)', version: 2, status: 'published' });
    });
  });

  describe('finding 10: enrol codes and class-shelf join codes are throttled', () => {
    it('after 10 wrong enrol codes even the right one is refused for a while', async () => {
      const teacher = users.get('giaovien@demo.hoctap.vn')!;
      const c = await createCourse(db, teacher, { ...course(units.get('thcs-bien-giang')!), enrolMode: 'code', enrolCode: 'DUNGMA24' });
      await db.updateTable('courses').set({ status: 'published' }).where('id', '=', c.id).execute();
      const learner = (await newUser(db)).id;
      for (let i = 0; i < 10; i++) expect(await enrol(db, c.id, learner, `SAI${i}`)).toEqual({ ok: false, code: 'wrong_code' });
      expect(await enrol(db, c.id, learner, 'DUNGMA24')).toEqual({ ok: false, code: 'too_many_tries' });
      // Another learner is not affected.
      expect(await enrol(db, c.id, (await newUser(db)).id, 'dungma24')).toEqual({ ok: true, value: { already: false } });
    });

    it('after 10 wrong join codes even the right one is refused for a while', async () => {
      const teacher = users.get('giaovien@demo.hoctap.vn')!;
      const shelf = await createShelf(db, { unitId: units.get('thcs-bien-giang')!, teacherId: teacher, name: 'Lớp 6A' });
      const pupil = (await newUser(db)).id;
      for (let i = 0; i < 10; i++) expect(await joinShelf(db, pupil, `ZZ${i}`)).toEqual({ ok: false, code: 'unknown_code' });
      expect(await joinShelf(db, pupil, shelf.code)).toEqual({ ok: false, code: 'too_many_tries' });
      expect(await joinShelf(db, (await newUser(db)).id, shelf.code)).toEqual({ ok: true, value: shelf.id });
    });
  });

  describe('finding 10: video progress is derived on the server from heartbeats', () => {
    it('percent=100 from the browser no longer completes a lesson; heartbeats faster than the video are not credited', async () => {
      const teacher = users.get('giaovien@demo.hoctap.vn')!;
      const c = await createCourse(db, teacher, course(units.get('thcs-bien-giang')!));
      const m = await db
        .insertInto('course_modules')
        .values({ id: newId(), course_id: c.id, position: 1, title: 'M' })
        .returning('id')
        .executeTakeFirstOrThrow();
      const lessonId = newId();
      await db
        .insertInto('course_lessons')
        .values({
          id: lessonId,
          course_id: c.id,
          module_id: m.id,
          position: 1,
          title: 'Video',
          body_md: '',
          video_url: '/v.mp4',
          completion_rule: 'video',
          quiz_id: null,
          updated_at: new Date().toISOString(),
        })
        .execute();
      await db.updateTable('courses').set({ status: 'published' }).where('id', '=', c.id).execute();
      const learner = (await newUser(db)).id;
      expect((await enrol(db, c.id, learner)).ok).toBe(true);
      const t0 = Date.parse('2026-11-30T09:00:00Z');
      const beat = (position: number, s: number) =>
        recordProgress(db, c.id, lessonId, learner, { kind: 'video', position, duration: 600, nowMs: t0 + s * 1000 });
      // A forged "watched to the end" two seconds after starting: nothing like 90 %.
      await beat(0, 0);
      expect((await beat(600, 2)).lessonCompleted).toBe(false);
      // Heartbeats every 10 s of wall time claiming 60 s of video each: at most MAX_PLAYBACK_RATE× is credited.
      for (let i = 1; i <= 10; i++) await beat(600 + i * 60, 2 + i * 10);
      const row = await db
        .selectFrom('lesson_progress')
        .select(['video_percent', 'watched_seconds'])
        .where('lesson_id', '=', lessonId)
        .where('user_id', '=', learner)
        .executeTakeFirstOrThrow();
      expect(row.watched_seconds).toBeLessThanOrEqual(2 * MAX_PLAYBACK_RATE + 1 + 10 * (10 * MAX_PLAYBACK_RATE + 1));
      expect(row.video_percent).toBeLessThan(90);
      // Real playback (a heartbeat every 5 s, 5 s further each time) completes it.
      let pos = 0;
      let at = 500;
      let done = false;
      await beat(pos, at);
      while (!done && pos < 600) {
        pos += 5;
        at += 5;
        done = (await beat(pos, at)).lessonCompleted;
      }
      expect(done).toBe(true);
    });

    it('the repository player completes a resource only after the watch time, not on a claimed position', async () => {
      const teacher = users.get('giaovien@demo.hoctap.vn')!;
      const id = unwrap(await createResource(db, teacher, resource(units.get('thcs-bien-giang')!, { durationSeconds: 300 })));
      const viewer = (await newUser(db)).id;
      const t0 = Date.parse('2026-11-30T09:00:00Z');
      await saveProgress(db, viewer, id, 0, 300, t0);
      expect((await saveProgress(db, viewer, id, 299, 300, t0 + 3000)).completed).toBe(false);
      expect((await getProgress(db, viewer, id))!.position_seconds).toBe(299); // resume still works
      for (let s = 5; s <= 300; s += 5) await saveProgress(db, viewer, id, s, 300, t0 + 10_000 + s * 1000);
      expect((await getProgress(db, viewer, id))!.completed).toBe(1);
    });
  });

  describe('finding 8: reset tokens — only the newest works, and a used one retires the rest', () => {
    it('a newer token retires the older one', async () => {
      const u = await newUser(db);
      const first = await createPasswordResetToken(db, u.email);
      const second = await createPasswordResetToken(db, u.email);
      expect(await isResetTokenUsable(db, first!.token)).toBe(false);
      expect(await resetPassword(db, first!.token, 'mat-khau-moi-1')).toBeNull();
      expect(await resetPassword(db, second!.token, 'mat-khau-moi-2')).toBe(u.id);
    });

    it('using a token retires every other token of the account', async () => {
      const u = await newUser(db);
      const a = await createPasswordResetToken(db, u.email);
      // Simulate a token created in the same instant by another process (both unused).
      const b = await createPasswordResetToken(db, u.email);
      expect(await resetPassword(db, b!.token, 'mat-khau-moi-3')).toBe(u.id);
      expect(await resetPassword(db, a!.token, 'mat-khau-moi-4')).toBeNull();
    });
  });
});

/** A minimal ZIP writer (deflated with Node's zlib, so a large bomb is built in a moment). */
function zipOf(
  entries: Array<{ name: string; data?: Buffer; deflated?: { raw: Buffer; size: number; crc: number }; store?: boolean }>,
): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name);
    const method = e.store ? 0 : 8;
    const body = e.deflated ? e.deflated.raw : e.store ? e.data! : zlib.deflateRawSync(e.data!);
    const size = e.deflated ? e.deflated.size : e.data!.length;
    const crc = e.deflated ? e.deflated.crc : zlib.crc32(e.data!);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc >>> 0, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const cd = Buffer.alloc(46);
    cd.writeUInt32LE(0x02014b50, 0);
    cd.writeUInt16LE(20, 4);
    cd.writeUInt16LE(20, 6);
    cd.writeUInt16LE(method, 10);
    cd.writeUInt32LE(crc >>> 0, 16);
    cd.writeUInt32LE(body.length, 20);
    cd.writeUInt32LE(size, 24);
    cd.writeUInt16LE(name.length, 28);
    cd.writeUInt32LE(offset, 42);
    parts.push(local, name, body);
    central.push(cd, name);
    offset += 30 + name.length + body.length;
  }
  const cdBuf = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cdBuf.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, cdBuf, end]);
}

describe('finding 7: EPUB zip bomb', () => {
  const CONTAINER =
    '<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>';
  const opf = (pad = '') =>
    `<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>Sách</dc:title><dc:language>vi</dc:language><dc:description>Giới thiệu${pad}</dc:description></metadata><manifest><item id="a" href="a.xhtml" media-type="application/xhtml+xml"/></manifest><spine><itemref idref="a"/></spine></package>`;
  const head = [
    { name: 'mimetype', data: Buffer.from('application/epub+zip'), store: true },
    { name: 'META-INF/container.xml', data: Buffer.from(CONTAINER) },
  ];
  function deflated(bytes: number) {
    const data = Buffer.alloc(bytes, 0x20);
    return { raw: zlib.deflateRawSync(data, { level: 9 }), size: bytes, crc: zlib.crc32(data) };
  }

  it('a small upload whose OPF inflates to 128 MiB is refused at once, without inflating it', async () => {
    const big = deflated(128 * 1024 * 1024);
    const bomb = zipOf([...head, { name: 'OEBPS/content.opf', deflated: big }]);
    expect(bomb.length).toBeLessThan(512 * 1024);
    const before = process.memoryUsage().rss;
    const t0 = Date.now();
    expect(await inspectEpub(bomb)).toEqual({ ok: false, error: 'too_expanded' });
    expect(Date.now() - t0).toBeLessThan(2_000);
    expect(process.memoryUsage().rss - before).toBeLessThan(64 * 1024 * 1024);
  });

  it('an OPF that declares a small size but inflates to more is stopped as soon as it passes the cap', async () => {
    const big = deflated(64 * 1024 * 1024);
    const lying = zipOf([...head, { name: 'OEBPS/content.opf', deflated: { ...big, size: 1000 } }]);
    const t0 = Date.now();
    expect(await inspectEpub(lying)).toEqual({ ok: false, error: 'too_expanded' });
    expect(Date.now() - t0).toBeLessThan(2_000);
  });

  it('too many entries, or too much declared content in all, is refused', async () => {
    const tiny = Array.from({ length: EPUB_CAPS.entries }, (_, i) => ({ name: `OEBPS/x${i}.txt`, data: Buffer.from('x') }));
    expect(await inspectEpub(zipOf([...head, { name: 'OEBPS/content.opf', data: Buffer.from(opf()) }, ...tiny]))).toEqual({
      ok: false,
      error: 'too_expanded',
    });
    const chunk = deflated(200 * 1024 * 1024);
    const heavy = zipOf([
      ...head,
      { name: 'OEBPS/content.opf', data: Buffer.from(opf()) },
      ...[1, 2, 3].map((i) => ({ name: `OEBPS/big${i}.txt`, deflated: chunk })),
    ]);
    expect(await inspectEpub(heavy)).toEqual({ ok: false, error: 'too_expanded' });
  });

  it('an ordinary EPUB still reads', async () => {
    const ok = zipOf([...head, { name: 'OEBPS/content.opf', data: Buffer.from(opf()) }]);
    expect(await inspectEpub(ok)).toMatchObject({ ok: true, meta: { title: 'Sách', language: 'vi' } });
  });
});

describe('finding 10: cover and video addresses are https:// or a path on this site', () => {
  const cases: Array<[string, boolean]> = [
    ['https://cdn.example.vn/bia.jpg', true],
    ['/uploads/bia.jpg', true],
    ['//other-host/bia.jpg', false],
    ['/\\other-host/bia.jpg', false],
    ['http://cdn.example.vn/bia.jpg', false],
    ['javascript:alert(1)', false],
    ['data:image/png;base64,AAAA', false],
    ['https://user:pw@cdn.example.vn/x.mp4', false],
    ['https:///x.mp4', false],
    ['/a\tb', false],
  ];
  const details = {
    title: 'Khóa',
    unit_id: 'u1',
    week_year: '',
    audience: 'everyone',
    level: 'beginner',
    est_hours: '1',
    language: 'vi',
    licence: 'cc-by',
    enrol_mode: 'open',
    enrol_code: '',
    summary: 'x',
    description_md: '',
  };
  for (const [url, accepted] of cases) {
    it(`${JSON.stringify(url)} is ${accepted ? 'accepted' : 'refused'} as a cover and as a lesson video`, () => {
      expect(courseSchema.safeParse({ ...details, cover_url: url }).success).toBe(accepted);
      expect(lessonSchema.safeParse({ title: 'Bài 1', body_md: '', video_url: url, completion_rule: 'read' }).success).toBe(accepted);
    });
  }
});
