/**
 * A unit's Week report page shared per variant (app/lib/page-shell.server.ts, issue 16:
 * app/domain/reports/shell.server.ts): the BUILT app in this process behind Express, on each
 * dialect. Two organisers of a province share one render of its report, its reviewer another; the
 * shared page is byte for byte the page rendered for that visitor alone (but for the CSP nonce); a
 * visitor without access to a unit gets their own 403, never a shared render or the unit's
 * figures; every write the page shows — a value saved, an attachment added or removed, the form
 * edited, a role granted or revoked, a name changed, a report submitted, returned, accepted,
 * reopened, the platform's own figures — shows on the next request, and so do the deadline and the
 * lock date passing (the clock, no write at all).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

import type { DB } from '~/db/connection';
import { grantRole, revokeRole, updateProfile } from '~/domain/accounts.server';
import { reportAccess } from '~/domain/reports/access.server';
import { addAttachment, listAttachments, removeAttachment } from '~/domain/reports/attachments.server';
import { createForm } from '~/domain/reports/editor.server';
import { formDefinition } from '~/domain/reports/forms.server';
import { reopenReport, reviewReport, saveReport } from '~/domain/reports/reports.server';
import { createUnit } from '~/domain/units.server';
import { todayInVietnam } from '~/lib/dates';
import { newId, nowIso } from '~/lib/ids.server';
import { escapeHtmlText, shellStats } from '~/lib/page-shell.server';
import { unwrap } from '~/lib/result';
import { newKey, putBuffer, setStorageRoot } from '~/lib/storage/index.server';

import { loadBuiltApp, makeVisitors, servedApp, type Visitor } from '../helpers/built-app';
import { dialects } from '../helpers/db';
import { editForm } from '../helpers/reports';
import { insertWeek } from '../helpers/weeks';

const built = loadBuiltApp();
let blobs = '';
beforeAll(async () => {
  blobs = fs.mkdtempSync(path.join(os.tmpdir(), 'report-shell-'));
  setStorageRoot(blobs);
}, 240_000);
afterAll(() => {
  setStorageRoot(null);
  fs.rmSync(blobs, { recursive: true, force: true });
});

const YEAR = 2099;
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
/** `YYYY-MM-DD` → dd/MM/yyyy (what the form editor takes). */
const viDay = (day: string) => day.split('-').reverse().join('/');
const dayAfter = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

const NAMES = {
  admin: 'Quản Trị Bộ',
  prov1: 'Bà Hoa Tỉnh',
  prov2: 'Ông Nam Tỉnh',
  schoolA: 'Thầy Minh <b>A</b> & "Một"',
  schoolB: 'Cô Lan Trường B',
  other: 'Tổ Chức Tỉnh Khác',
  stranger: 'Người Lạ',
} as const;
type Who = keyof typeof NAMES;

describe.each(dialects)('a unit’s report page shared per variant (%s)', (dialect) => {
  let db: DB;
  let u = {} as Record<Who, Visitor>;
  const units = { ministry: '', province: '', schoolA: '', schoolB: '', other: '' };
  const slugs = { province: '', schoolA: '', schoolB: '', other: '' };
  let form = '';
  let clockForm = '';

  const site = servedApp(
    built,
    dialect,
    async (d) => {
      db = d;
      await insertWeek(db, YEAR);
      const s = newId(6).toLowerCase();
      const mk = async (k: keyof typeof units, parentId: string | null, kind: 'ministry' | 'province' | 'school', name: string) => {
        const unit = await createUnit(db, { parentId, kind, slug: `${k.toLowerCase()}-${s}`, name });
        units[k] = unit.id;
        if (k !== 'ministry') slugs[k] = unit.slug;
      };
      await mk('ministry', null, 'ministry', 'Bộ Giáo dục');
      await mk('province', units.ministry, 'province', 'Tỉnh Biên Giang');
      await mk('schoolA', units.province, 'school', 'Trường THCS Hà Đông');
      await mk('schoolB', units.province, 'school', 'Trường Tiểu học Bến Lức');
      await mk('other', units.ministry, 'province', 'Tỉnh Cao Bằng');
      u = await makeVisitors(db, NAMES);
      await grantRole(db, { userId: u.admin.id, unitId: units.ministry, role: 'admin', grantedBy: null });
      await grantRole(db, { userId: u.prov1.id, unitId: units.province, role: 'organiser', grantedBy: null });
      await grantRole(db, { userId: u.prov2.id, unitId: units.province, role: 'organiser', grantedBy: null });
      await grantRole(db, { userId: u.schoolA.id, unitId: units.schoolA, role: 'organiser', grantedBy: null });
      await grantRole(db, { userId: u.other.id, unitId: units.other, role: 'organiser', grantedBy: null });

      /** A Ministry form that provinces and schools fill: a count pre-filled from published plan activities, and a plain count. */
      const makeForm = async (slug: string, deadline: string, lockDate: string) => {
        const f = unwrap(
          await createForm(db, u.admin.id, YEAR, {
            ownerUnitId: units.ministry,
            slug,
            titleVi: 'Báo cáo Tuần lễ',
            titleEn: 'Week report',
            copyFrom: null,
          }),
        );
        const sectionId = (await formDefinition(db, f)).sections[0]!.id;
        let version = f.version;
        const add = async (code: string, source: string) =>
          (version = await editForm(db, YEAR, slug, u.admin.id, {
            intent: 'addIndicator',
            version: String(version),
            sectionId,
            code,
            labelVi: `Chỉ số ${code}`,
            labelEn: `Indicator ${code}`,
            type: 'count',
            source,
            required: 'on',
          }));
        await add('hoat_dong', 'activities.all');
        await add('nguoi_tham_gia', '');
        await editForm(db, YEAR, slug, u.admin.id, {
          intent: 'settings',
          version: String(version),
          titleVi: 'Báo cáo Tuần lễ',
          titleEn: 'Week report',
          deadline: viDay(deadline),
          lockDate: viDay(lockDate),
          docCode: 'BC',
          level_province: 'on',
          level_school: 'on',
        });
      };
      form = `bc-${s}`;
      await makeForm(form, `${YEAR}-10-25`, `${YEAR}-11-05`);
      // Due today (Vietnam) and locked two days later: the clock changes this one's pages.
      clockForm = `dh-${s}`;
      const today = todayInVietnam();
      await makeForm(clockForm, today, dayAfter(today, 2));
    },
    { behind: 'remix' },
  );
  afterAll(() => {
    vi.useRealTimers();
    delete process.env.PAGE_CACHE_TTL_S;
  });

  const page = (unit: keyof typeof slugs, f = form) => `/weeks/${YEAR}/reports/${f}/${slugs[unit]}`;
  const get = (p: string, who: Who) => site.get(p, u[who].cookie);
  /** The shared page (twice: the render, then the kept one), each byte for byte the visitor's own page; its HTML. */
  const shared = async (p: string, who: Who): Promise<string> => {
    const r = await site.sharedAndFresh(p, u[who].cookie, `${p} for ${who}`);
    expect(r.fresh.status, `${p} for ${who}`).toBe(200);
    expect(r.differences).toEqual([]);
    return r.first.html;
  };
  const access = async (unit: keyof typeof units, who: Who, f = form) => {
    const a = await reportAccess(db, YEAR, f, units[unit], u[who].id);
    if (a.status !== 'ok') throw new Error(a.status);
    return a;
  };
  const save = async (unit: keyof typeof units, who: Who, intent: 'save' | 'submit', values: Record<string, string>, f = form) => {
    const a = await access(unit, who, f);
    const version =
      (
        await db
          .selectFrom('report_reports')
          .select('version')
          .where('form_id', '=', a.form.id)
          .where('unit_id', '=', a.unitId)
          .executeTakeFirst()
      )?.version ?? 0;
    const r = await saveReport(db, a, { intent, version, raw: values });
    expect(r.ok, JSON.stringify(r)).toBe(true);
  };
  /** The page's section after a heading, to its next heading. */
  const sectionAfter = (html: string, heading: string) => {
    const at = html.indexOf(heading);
    expect(at, heading).toBeGreaterThan(0);
    const end = html.indexOf('<h', at + heading.length);
    return html.slice(at, end < 0 ? undefined : end);
  };
  /** The indicator's input element as rendered. */
  const inputOf = (html: string, code: string) => html.match(new RegExp(`<input[^>]*name="v_${code}"[^>]*>`))?.[0] ?? '';

  it('two organisers of a province share one render, each with their own header; the reviewer gets another', async () => {
    const before = shellStats().renders;
    const [a, b] = [await get(page('province'), 'prov1'), await get(page('province'), 'prov2')];
    expect([a.via, b.via]).toEqual(['shell', 'shell']);
    expect(shellStats().renders - before).toBe(1);
    expect(a.html).toContain(`>${NAMES.prov1}</a>`);
    expect(b.html).toContain(`>${NAMES.prov2}</a>`);
    expect(b.html).not.toContain(NAMES.prov1);
    expect(b.html).not.toMatch(/Zq[0-9a-f]{18}Name|zq[0-9a-f]{18}id/);
    // The organisers fill the province's report (the form, no review); the Ministry's admin reads it.
    expect(a.html).toContain('value="submit"');
    const admin = await shared(page('province'), 'admin');
    expect(admin).not.toContain('value="submit"');
    expect(shellStats().renders - before).toBe(2);
    for (const who of ['prov1', 'prov2'] as const) await shared(page('province'), who);
    // The school's own organiser, and the province reading (and reviewing) the school's report.
    await shared(page('schoolA'), 'schoolA');
    await shared(page('schoolA'), 'prov1');
  });

  it('never serves a unit’s page or figures to a visitor without access to it', async () => {
    await save('schoolA', 'schoolA', 'save', { v_hoat_dong: '0', v_nguoi_tham_gia: '7771' });
    expect(await shared(page('schoolA'), 'schoolA')).toContain('7771');
    for (const [p, who] of [
      [page('schoolA'), 'schoolB'],
      [page('schoolA'), 'stranger'],
      [page('schoolA'), 'other'],
      [page('province'), 'other'],
      [page('province'), 'schoolA'],
      [page('schoolB'), 'schoolA'],
    ] as Array<[string, Who]>) {
      const r = await get(p, who);
      expect([r.status, r.via], `${p} for ${who}`).toEqual([403, null]);
      expect(r.html).not.toContain('7771');
    }
    // Anonymous visitors are sent to sign in; nothing is kept for them.
    for (let i = 0; i < 2; i++) {
      const anon = await fetch(`${site.base}${page('schoolA')}`, { redirect: 'manual' });
      expect(anon.status).toBe(302);
      expect(anon.headers.get('location')).toMatch(/^\/login\?/);
      expect(anon.headers.get('x-page-cache')).not.toBe('hit');
      expect(await anon.text()).not.toContain('7771');
    }
    // A sibling's draft never shows on another school's page, even for the province that reads both.
    expect(await shared(page('schoolB'), 'prov1')).not.toContain('7771');
  });

  it('each write shows on the next request, exactly as a fresh render', async () => {
    const P = page('province');
    const A = page('schoolA');
    // A value saved (a draft): the school's page; the province lists the school as a draft.
    await save('schoolA', 'schoolA', 'save', { v_hoat_dong: '0', v_nguoi_tham_gia: '8123' });
    expect(await shared(A, 'schoolA')).toContain('8123');
    expect(await shared(P, 'prov1')).toContain('Bản nháp');

    // An attachment added, then removed.
    const key = newKey('pdf');
    await putBuffer(key, PDF);
    const added = await addAttachment(db, await access('schoolA', 'schoolA'), {
      key,
      mime: 'application/pdf',
      size: PDF.length,
      name: 'Biên bản họp.pdf',
    });
    expect(added.ok).toBe(true);
    expect(await shared(A, 'schoolA')).toContain('Biên bản họp.pdf');
    expect(await shared(A, 'prov1')).toContain('Biên bản họp.pdf');
    const files = await listAttachments(db, await access('schoolA', 'schoolA'));
    expect((await removeAttachment(db, await access('schoolA', 'schoolA'), files[0]!.id)).ok).toBe(true);
    expect(await shared(A, 'schoolA')).not.toContain('Biên bản họp.pdf');

    // The form edited: an indicator renamed.
    const def = await formDefinition(db, (await access('schoolA', 'schoolA')).form);
    const ind = def.indicators.find((i) => i.code === 'nguoi_tham_gia')!;
    await editForm(db, YEAR, form, u.admin.id, {
      intent: 'updateIndicator',
      version: String(def.form.version),
      indicatorId: ind.id,
      labelVi: 'Số người tham gia Tuần lễ',
      labelEn: 'Participants',
      type: 'count',
      source: '',
      required: 'on',
    });
    expect(await shared(A, 'schoolA')).toContain('Số người tham gia Tuần lễ');
    expect(await shared(P, 'prov1')).toContain('Số người tham gia Tuần lễ');

    // A role granted: school B's new organiser is listed with their contact on the province's page,
    // and may now open school B's report; revoked: gone again.
    const missing = () => shared(P, 'prov1').then((h) => sectionAfter(h, 'Đơn vị chưa nộp'));
    expect(await missing()).not.toContain(NAMES.schoolB);
    expect((await get(page('schoolB'), 'schoolB')).status).toBe(403);
    await grantRole(db, { userId: u.schoolB.id, unitId: units.schoolB, role: 'organiser', grantedBy: null });
    expect(await missing()).toContain(NAMES.schoolB);
    expect(await shared(page('schoolB'), 'schoolB')).toContain('value="submit"');
    const grant = await db.selectFrom('role_grants').select('id').where('user_id', '=', u.schoolB.id).executeTakeFirstOrThrow();
    await revokeRole(db, grant.id);
    expect(await missing()).not.toContain(NAMES.schoolB);
    expect((await get(page('schoolB'), 'schoolB')).status).toBe(403);

    // A name changed: the organiser listed next to the school that has not submitted.
    expect(await missing()).toContain(escapeHtmlText(NAMES.schoolA));
    await updateProfile(db, u.schoolA.id, { displayName: 'Thầy Minh Mới', birthYear: null, homeUnitId: null, locale: 'vi' });
    expect(await missing()).toContain('Thầy Minh Mới');

    // Submitted: the province sees it to review (the school's page for the province: accept / return).
    await save('schoolA', 'schoolA', 'submit', { v_hoat_dong: '0', v_nguoi_tham_gia: '8124' });
    const toReview = await shared(A, 'prov1');
    expect(toReview).toContain('value="accept"');
    expect(await shared(A, 'schoolA')).not.toContain('value="submit"');
    expect(await shared(P, 'prov1')).toContain('8124');
    // Returned with a comment, then resubmitted and accepted; reopened by the Ministry.
    expect((await reviewReport(db, await access('schoolA', 'prov1'), 'return', 'Thiếu biên bản')).ok).toBe(true);
    const returned = await shared(A, 'schoolA');
    expect(returned).toContain('Thiếu biên bản');
    expect(returned).toContain('value="submit"');
    expect(await shared(A, 'prov1')).not.toContain('value="accept"');
    await save('schoolA', 'schoolA', 'submit', { v_hoat_dong: '0', v_nguoi_tham_gia: '8125' });
    expect((await reviewReport(db, await access('schoolA', 'prov1'), 'accept', '')).ok).toBe(true);
    expect(await shared(A, 'schoolA')).toContain('Đã duyệt');
    expect(await shared(P, 'prov1')).toMatch(/Đã duyệt: 1\/2/);
    expect(await shared(A, 'admin')).toContain('value="reopen"');
    expect((await reopenReport(db, await access('schoolA', 'admin'), 'Sửa số liệu')).ok).toBe(true);
    expect(await shared(A, 'admin')).not.toContain('value="reopen"');
    expect(await shared(A, 'schoolA')).toContain('value="submit"');
  });

  it('the platform’s own figures, which no write of this area bumps, are read fresh for those who fill the report', async () => {
    const B = page('schoolB');
    await grantRole(db, { userId: u.schoolB.id, unitId: units.schoolB, role: 'organiser', grantedBy: null });
    expect(inputOf(await shared(B, 'schoolB'), 'hoat_dong')).toContain('value="0"');
    // A published plan of school B with three activities (written directly: nothing is bumped).
    const plan = newId();
    await db
      .insertInto('plans')
      .values({
        id: plan,
        unit_id: units.schoolB,
        week_year: YEAR,
        status: 'published',
        purpose_md: '',
        created_by: u.schoolB.id,
        created_at: nowIso(),
        updated_at: nowIso(),
        published_at: nowIso(),
      })
      .execute();
    await db
      .insertInto('plan_activities')
      .values(
        [0, 1, 2].map((position) => ({
          id: newId(),
          plan_id: plan,
          position,
          title: `Hoạt động ${position}`,
          kind: 'talk' as const,
          starts_at: `${YEAR}-10-02T01:00:00.000Z`,
          ends_at: `${YEAR}-10-02T03:00:00.000Z`,
          place: 'Thư viện',
          online_url: null,
          audience: 'all',
        })),
      )
      .execute();
    expect(inputOf(await shared(B, 'schoolB'), 'hoat_dong')).toContain('value="3"');
  });

  it('the deadline and the lock date passing show on the next request, with no write', async () => {
    process.env.PAGE_CACHE_TTL_S = String(30 * 86_400); // nothing expires by age in this test
    const P = page('province', clockForm);
    const A = page('schoolA', clockForm);
    await grantRole(db, { userId: u.schoolB.id, unitId: units.schoolB, role: 'organiser', grantedBy: null });
    await save('schoolA', 'schoolA', 'submit', { v_hoat_dong: '0', v_nguoi_tham_gia: '5' }, clockForm);
    const late = () => shared(P, 'prov1').then((h) => sectionAfter(h, 'Đơn vị nộp chậm'));
    const uploadForm = 'encType="multipart/form-data"';
    expect(await late()).not.toContain('Trường Tiểu học Bến Lức');
    expect(await shared(page('schoolB', clockForm), 'schoolB')).toContain(uploadForm);
    const today = todayInVietnam();
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      // The day after the deadline, 00:05 in Vietnam: school B (not submitted) is late; A was on time.
      vi.setSystemTime(new Date(`${dayAfter(today, 1)}T00:05:00+07:00`));
      const after = await late();
      expect(after).toContain('Trường Tiểu học Bến Lức');
      expect(after).not.toContain('Trường THCS Hà Đông');
      expect(await shared(page('schoolB', clockForm), 'schoolB')).toContain(uploadForm);
      // The lock date: files can no longer be added.
      vi.setSystemTime(new Date(`${dayAfter(today, 2)}T00:05:00+07:00`));
      expect(await shared(page('schoolB', clockForm), 'schoolB')).not.toContain(uploadForm);
      await shared(A, 'schoolA');
    } finally {
      vi.useRealTimers();
      delete process.env.PAGE_CACHE_TTL_S;
    }
  });
});
