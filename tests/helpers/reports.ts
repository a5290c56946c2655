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
