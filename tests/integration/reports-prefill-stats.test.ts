/**
 * A report's pre-filled figures and the participation statistics count the Week's events with one
 * function (app/domain/stats/events.server.ts): for the same unit and Week, the report shows what
 * the statistics page sums — loans, reading minutes (manual logs and the library reader's time),
 * contest entrants and exemplary self-learners commended on the honour roll.
 */
import { beforeAll, expect, it } from 'vitest';

import { toNumber } from '~/db/dialect';
import { borrow } from '~/domain/library/circulation.server';
import { createTitle, upsertHolding } from '~/domain/library/titles.server';
import { reportAccess } from '~/domain/reports/access.server';
import { defineForm, formDefinition, ownPart } from '~/domain/reports/forms.server';
import { prefillFor } from '~/domain/reports/reports.server';
import { computeWeek } from '~/domain/stats/aggregate.server';
import { newId, nowIso } from '~/lib/ids.server';
import { unwrap } from '~/lib/result';

import { insertWeek } from '../helpers/weeks';
import { describeWorld } from '../helpers/world';

describeWorld('reports: pre-filled figures equal the statistics', (w) => {
  beforeAll(async () => {
    await insertWeek(w.db, 2024);
  });

  it('shows the same loans, reading minutes, entrants and commendations as /weeks/2024/stats for the unit', async () => {
    const db = w.db;
    const { province, school, other } = w.units;
    await db.updateTable('users').set({ home_unit_id: school }).where('id', 'in', [w.users.learner, w.users.teacher]).execute();
    await db.updateTable('users').set({ home_unit_id: other }).where('id', '=', w.users.stranger).execute();

    // Loans at the school's library: two in the Week, one the day before, one elsewhere.
    const titleId = await createTitle(
      db,
      {
        slug: newId(8),
        title: 'Dế Mèn phiêu lưu ký',
        author: 'Tô Hoài',
        language: 'vi',
        description: '',
        subjects: [],
        audience: 'all',
        themeYear: 2024,
        publisher: null,
        publishedYear: null,
      },
      { origin: 'upload', createdBy: null },
    );
    const h = await upsertHolding(db, titleId, school, { openAccess: false, copies: 5 });
    const h2 = await upsertHolding(db, titleId, other, { openAccess: false, copies: 5 });
    unwrap(await borrow(db, w.users.learner, h.id, new Date('2024-10-02T03:00:00Z')));
    unwrap(await borrow(db, w.users.teacher, h.id, new Date('2024-10-07T16:30:00Z')));
    unwrap(await borrow(db, w.users.organiser, h.id, new Date('2024-09-30T16:59:00Z')));
    unwrap(await borrow(db, w.users.stranger, h2.id, new Date('2024-10-03T03:00:00Z')));

    // Reading minutes: logged by hand and recorded by the library reader; one outside the Week and one elsewhere.
    const log = (userId: string, day: string, minutes: number, source: 'manual' | 'reader') =>
      db
        .insertInto('reading_logs')
        .values({
          id: newId(),
          user_id: userId,
          read_on: day,
          minutes,
          title_id: null,
          outside_title: 'Truyện Kiều',
          partner_user_id: null,
          club_id: null,
          source,
          session_id: null,
          created_at: nowIso(),
        })
        .execute();
    await log(w.users.learner, '2024-10-01', 30, 'manual');
    await log(w.users.learner, '2024-10-05', 45, 'reader');
    await log(w.users.teacher, '2024-10-07', 20, 'reader');
    await log(w.users.teacher, '2024-10-08', 99, 'manual');
    await log(w.users.stranger, '2024-10-03', 50, 'reader');

    // The honour roll: two approved exemplary self-learners of the school, one still submitted, one family.
    const nominate = (status: 'approved' | 'submitted', category: 'self_learner' | 'learning_family', unitId = school) =>
      db
        .insertInto('honour_nominations')
        .values({
          id: newId(),
          week_year: 2024,
          unit_id: unitId,
          approver_unit_id: province,
          category,
          nominee_name: 'Nguyễn Văn Học',
          nominee_email: null,
          nominee_birth_year: 1960,
          is_minor: 0,
          consent: 0,
          consent_by: null,
          consent_at: null,
          headline: 'Tự học tiếng Anh ở tuổi 64',
          citation_md: 'Ông tự học mỗi ngày.',
          evidence_json: '[]',
          status,
          version: 1,
          created_by: w.users.organiser,
          created_at: nowIso(),
          updated_at: nowIso(),
          submitted_at: nowIso(),
          decided_by: null,
          decided_at: status === 'approved' ? nowIso() : null,
        })
        .execute();
    await nominate('approved', 'self_learner');
    await nominate('approved', 'self_learner');
    await nominate('submitted', 'self_learner');
    await nominate('approved', 'learning_family');
    await nominate('approved', 'self_learner', other);

    const form = unwrap(
      await defineForm(db, w.users.admin, {
        year: 2024,
        slug: `khop-${newId(4)}`,
        ownerUnitId: w.units.ministry,
        titleVi: 'Báo cáo',
        titleEn: 'Report',
        appliesTo: ['province'],
        deadline: '2024-10-30',
        lockDate: '2024-11-15',
        docCode: 'BC',
        rules: [],
        sections: [
          {
            titleVi: 'Số liệu',
            titleEn: 'Figures',
            indicators: [
              { code: 'loans', labelVi: 'Lượt mượn', labelEn: 'Loans', type: 'count', source: 'loans' },
              { code: 'minutes', labelVi: 'Phút đọc', labelEn: 'Minutes', type: 'count', source: 'reading.minutes' },
              { code: 'entrants', labelVi: 'Người dự thi', labelEn: 'Entrants', type: 'count', source: 'contest.entrants' },
              { code: 'commended', labelVi: 'Tấm gương', labelEn: 'Commended', type: 'count', source: 'honours.commended' },
              { code: 'resources', labelVi: 'Học liệu', labelEn: 'Resources', type: 'count', source: 'resources.published' },
            ],
          },
        ],
      }),
    );
    const a = await reportAccess(db, 2024, form.slug, province, w.users.admin);
    if (a.status !== 'ok') throw new Error(a.status);
    const pre = await prefillFor(db, a, await formDefinition(db, form));

    await computeWeek(db, 2024, new Date('2024-10-08T03:00:00Z'));
    const part = ownPart(a.tree, province);
    const rows = await db
      .selectFrom('stat_daily')
      .select(['metric', (e) => e.fn.sum<number | string>('value').as('v')])
      .where('week_year', '=', 2024)
      .where('unit_id', 'in', part)
      .groupBy('metric')
      .execute();
    const stats = Object.fromEntries(rows.map((r) => [r.metric, toNumber(r.v)]));

    // The counts a person would make by hand…
    expect(pre).toMatchObject({ loans: 2, minutes: 95, commended: 2, entrants: 0, resources: 0 });
    // …and the statistics page's figures for the same unit and Week.
    expect(pre.loans).toBe(stats.loans ?? 0);
    expect(pre.minutes).toBe(stats.reading_minutes ?? 0);
    expect(pre.entrants).toBe(stats.contest_entries ?? 0);
    expect(pre.commended).toBe(stats.commended ?? 0);
    expect(pre.resources).toBe(stats.resources ?? 0);
  });
});
