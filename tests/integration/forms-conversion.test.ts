/**
 * Issue 8: routes moved onto zod form schemas answer malformed or missing fields with a 400 (or the
 * area's failure status), the translated message next to the field and what was typed kept — never
 * a 500 — and valid input still goes through. Direct action calls (no browser).
 */
import { beforeAll, expect, it } from 'vitest';

import { formatDate, todayInVietnam } from '~/lib/dates';

import { action as rolesAction } from '../../app/routes/admin.roles';
import { action as bookshelvesAction } from '../../app/routes/bookshelves._index';
import { action as settingsAction } from '../../app/routes/library.settings';
import { action as readingAction } from '../../app/routes/reading';
import { action as newResourceAction } from '../../app/routes/resources.new';
import { action as previewAction } from '../../app/routes/resources.preview';
import { callRoute } from '../helpers/routes';
import { describeWorld } from '../helpers/world';

type Body = { errors: Record<string, string>; values: Record<string, string> };

describeWorld('forms: converted routes keep what was typed and never 500', (w) => {
  let adminEmail = '';
  let learnerEmail = '';
  beforeAll(async () => {
    const emailOf = async (id: string) =>
      (await w.db.selectFrom('users').select('email').where('id', '=', id).executeTakeFirstOrThrow()).email;
    adminEmail = await emailOf(w.users.admin);
    learnerEmail = await emailOf(w.users.learner);
    expect(adminEmail).toContain('@');
  });

  it('admin roles: a malformed email, an unknown user and a missing intent are 400s next to the field; a valid grant redirects', async () => {
    const post = (form: Record<string, string>) => callRoute(rolesAction, { db: w.db, userId: w.users.admin, path: '/admin/roles', form });
    const bad = await post({ intent: 'grant', email: 'không-phải-email', unitId: w.units.school, role: 'teacher' });
    expect(bad.status).toBe(400);
    const b = (await bad.json()) as Body;
    expect(b.errors.email).toBe('errors.email');
    expect(b.values.email).toBe('không-phải-email');
    const unknown = await post({ intent: 'grant', email: 'ai-do@khong.vn', unitId: w.units.school, role: 'teacher' });
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as Body).errors.email).toBe('accounts.roles.noSuchUser');
    const noIntent = await post({ email: learnerEmail });
    expect(noIntent.status).toBe(400);
    expect(((await noIntent.json()) as Body).errors._form).toBeTruthy();
    const ok = await post({ intent: 'grant', email: learnerEmail, unitId: w.units.school, role: 'teacher' });
    expect(ok.status).toBe(302);
    expect(ok.headers.get('Location')).toBe('/admin/roles');
    // A stranger (no admin role anywhere) is refused before anything is read.
    const stranger = await callRoute(rolesAction, {
      db: w.db,
      userId: w.users.stranger,
      path: '/admin/roles',
      form: { intent: 'revoke', grantId: 'x' },
    });
    expect(stranger.status).toBe(403);
  });

  it('reading log: bad minutes and a bad date stay next to their fields; a valid entry redirects with a flash', async () => {
    const post = (form: Record<string, string>) => callRoute(readingAction, { db: w.db, userId: w.users.learner, path: '/reading', form });
    const bad = await post({ intent: 'log', read_on: '31/02/2026', minutes: 'nhiều', what: 'Truyện Kiều' });
    expect(bad.status).toBe(400);
    const b = (await bad.json()) as Body;
    expect(b.errors.minutes).toBe('clubs.errors.minutes');
    expect(b.values.what).toBe('Truyện Kiều');
    const badDate = await post({ intent: 'log', read_on: '31/02/2026', minutes: '20', what: 'Truyện Kiều' });
    expect(badDate.status).toBe(400);
    const bd = (await badDate.json()) as Body;
    expect(bd.errors.read_on).toBe('clubs.errors.date');
    expect(bd.values.read_on).toBe('31/02/2026');
    const ok = await post({ intent: 'log', read_on: formatDate(todayInVietnam()), minutes: '20', what: 'Truyện Kiều' });
    expect(ok.status).toBe(302);
    expect(ok.headers.get('Set-Cookie')).toContain('flash=');
    const del = await post({ intent: 'delete' });
    expect(del.status).toBe(400);
  });

  it('bookshelves: an empty or unknown code is shown next to the code; a shelf in a unit where one does not teach is refused next to the unit', async () => {
    const post = (userId: string, form: Record<string, string>) =>
      callRoute(bookshelvesAction, { db: w.db, userId, path: '/bookshelves', form });
    const empty = await post(w.users.learner, { intent: 'join', code: '  ' });
    expect(empty.status).toBe(400);
    expect(((await empty.json()) as Body).errors.code).toBe('errors.required');
    const unknown = await post(w.users.learner, { intent: 'join', code: 'ZZZ999' });
    expect(unknown.status).toBe(400);
    const u = (await unknown.json()) as Body;
    expect(u.errors.code).toBe('library.errors.shelf.code');
    expect(u.values.code).toBe('ZZZ999');
    const notTeacher = await post(w.users.stranger, { intent: 'create', name: 'Lớp 6A', unit_id: w.units.school });
    expect(notTeacher.status).toBe(400);
    const n = (await notTeacher.json()) as Body;
    expect(n.errors.unit_id).toBe('library.errors.shelf.notTeacher');
    expect(n.values.name).toBe('Lớp 6A');
    const created = await post(w.users.teacher, { intent: 'create', name: 'Lớp 6A', unit_id: w.units.school });
    expect(created.status).toBe(302);
    expect(created.headers.get('Location')).toMatch(/^\/bookshelves\/.+/);
  });

  it('library settings: a loan period that is not 1–90 days is shown next to the field with what was typed', async () => {
    const r = await callRoute(settingsAction, {
      db: w.db,
      userId: w.users.teacher,
      path: '/library/settings',
      form: { libraryId: w.units.school, loanDays: 'ba tuần' },
    });
    expect(r.status).toBe(400);
    const b = (await r.json()) as Body & { libraryId: string };
    expect(b.errors.loanDays).toBe('library.errors.loanDays');
    expect(b.values.loanDays).toBe('ba tuần');
    expect(b.libraryId).toBe(w.units.school);
    // Valid input from someone who is not the library's librarian: refused, not saved.
    const forbidden = await callRoute(settingsAction, {
      db: w.db,
      userId: w.users.teacher,
      path: '/library/settings',
      form: { libraryId: w.units.school, loanDays: '14' },
    });
    expect(forbidden.status).toBe(403);
  });

  it('resources: missing fields are 400s with the message next to each and the title kept; preview checks nothing else', async () => {
    const post = (form: Record<string, string>) =>
      callRoute(newResourceAction, { db: w.db, userId: w.users.teacher, path: '/resources/new', form });
    const bad = await post({ intent: 'save', title: 'Học tiếng Anh qua bài hát', summary: ' ', body_md: '# Bài 1' });
    expect(bad.status).toBe(400);
    const b = (await bad.json()) as Body & { previewHtml: string };
    expect(b.errors.summary).toBe('errors.required');
    expect(b.errors.kind).toBe('errors.choose');
    expect(b.values.title).toBe('Học tiếng Anh qua bài hát');
    const preview = await post({ intent: 'preview', title: '', body_md: '# Bài 1' });
    const p = (await preview.json()) as Body & { previewHtml: string };
    expect(p.errors).toEqual({});
    expect(p.previewHtml).toContain('<h1');
    const live = await callRoute(previewAction, {
      db: w.db,
      userId: w.users.teacher,
      path: '/resources/preview',
      form: { body_md: '**đậm**' },
    });
    expect(live.status).toBe(200);
    expect(((await live.json()) as { html: string }).html).toContain('<strong>đậm</strong>');
    const none = await callRoute(previewAction, { db: w.db, userId: w.users.teacher, path: '/resources/preview', form: {} });
    expect(((await none.json()) as { html: string }).html).toBe('');
  });
});
