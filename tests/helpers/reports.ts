/**
 * Helpers of the reports tests (the Week row is `insertWeek` in ./weeks): a province form for schools with a few
 * indicators added through the editor (so the form has kept versions like a real one).
 */
import { createForm, type FormEditor, formEditor, runFormEdit } from '~/domain/reports/editor.server';
import { formDefinition, type ReportForm } from '~/domain/reports/forms.server';
import { formEditorSchema } from '~/forms/reports-editor';
import type { DB } from '~/lib/db.server';
import { unwrap } from '~/lib/result';

export async function formEditorOf(db: DB, year: number, slug: string, userId: string): Promise<FormEditor> {
  const a = await formEditor(db, year, slug, userId);
  if (a.status !== 'ok') throw new Error(a.status);
  return a.editor;
}

/** One edit through the editor's own form schema (values as the page posts them); the new version. */
export async function editForm(db: DB, year: number, slug: string, userId: string, raw: Record<string, string>): Promise<number> {
  const p = formEditorSchema.safeParse(raw);
  if (!p.success) throw new Error(JSON.stringify(p.error.issues));
  return unwrap(await runFormEdit(db, await formEditorOf(db, year, slug, userId), p.data)).version;
}

/**
 * A form owned by `ownerUnitId` that schools fill (deadline 25/10, lock 05/11), with whole-number
 * indicators `codes` (labels "<code> v1") in its one section. Returns the form at its last version.
 */
export async function schoolForm(
  db: DB,
  opts: { year: number; slug: string; ownerUnitId: string; userId: string; codes: string[] },
): Promise<ReportForm> {
  const form = unwrap(
    await createForm(db, opts.userId, opts.year, {
      ownerUnitId: opts.ownerUnitId,
      slug: opts.slug,
      titleVi: 'Báo cáo kết quả',
      titleEn: 'Results report',
      copyFrom: null,
    }),
  );
  const sectionId = (await formDefinition(db, form)).sections[0]!.id;
  let version = form.version;
  for (const code of opts.codes)
    version = await editForm(db, opts.year, opts.slug, opts.userId, {
      intent: 'addIndicator',
      version: String(version),
      sectionId,
      code,
      labelVi: `${code} v1`,
      labelEn: `${code} v1 (en)`,
      type: 'count',
      required: 'on',
    });
  version = await editForm(db, opts.year, opts.slug, opts.userId, {
    intent: 'settings',
    version: String(version),
    titleVi: 'Báo cáo kết quả',
    titleEn: 'Results report',
    deadline: `25/10/${opts.year}`,
    lockDate: `05/11/${opts.year}`,
    docCode: 'BC',
    level_school: 'on',
  });
  return { ...form, version };
}

/** The submitted values of the standard 2024 report form at `scale` (field names `v_<code>`), with `extra` replacing some. */
export function figures(scale: number, extra: Record<string, number | string> = {}): Record<string, string> {
  const v: Record<string, number | string> = {
    opening_held: 1,
    activities_total: 4 * scale,
    activities_talk: scale,
    activities_exhibition: 1,
    activities_training: scale,
    activities_contest: 0,
    activities_outreach: 1,
    participants_total: 300 * scale,
    participants_students: 100 * scale,
    participants_teachers: 20,
    participants_citizens: 50,
    books_lent: 10 * scale,
    reading_minutes: 100 * scale,
    online_learners: 5,
    course_completions: 1,
    club_meetings: 2,
    resources_published: 0,
    contest_entrants: 30,
    contest_winners: 3,
    exemplary_learners: 2,
    budget_vnd: 5_000_000 * scale,
    highlights: 'Ngày hội đọc sách',
    difficulties: '',
    ...extra,
  };
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [`v_${k}`, String(x)]));
}
