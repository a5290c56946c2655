/**
 * One submitted version of a unit's report, exactly as it was submitted: the values kept with the
 * submission (`report_events.values_json`, keyed by indicator code) shown with the form version it
 * was filled against (`report_events.form_version` → `report_form_versions`): that version's title,
 * sections, order, labels, kinds and ranges. Fields removed from the form since are still shown
 * (marked), fields added since are listed as not asked. Read by whoever may read the report
 * (./access.server.ts).
 */
import type { IndicatorType } from '~/db/schema/reports';
import type { Locale } from '~/i18n/locale';
import type { DB } from '~/lib/db.server';
import { localName } from '~/lib/names';
import { err, ok, type Result } from '~/lib/result';

import type { ReportAccess } from './access.server';
import { formDefinition, type FormSnapshot, snapshotOf } from './forms.server';
import type { Value, ValueMap } from './reports.server';

export type SubmissionError = 'not_found';

export interface SubmissionField {
  code: string;
  label: string;
  type: IndicatorType;
  min: number | null;
  max: number | null;
  value: Value;
  /** No longer part of the form as it now stands. */
  removed: boolean;
}

export type SubmissionView = NonNullable<Awaited<ReturnType<typeof loadSubmission>>>;

/** Submitted version `version` of the unit's report (the report's version number at that submission). */
export async function submissionView(
  db: DB,
  a: ReportAccess,
  version: number,
  locale: Locale,
): Promise<Result<SubmissionView, SubmissionError>> {
  if (a.unitId === a.tree.ownerId) return err('not_found');
  const v = await loadSubmission(db, a, version, locale);
  return v ? ok(v) : err('not_found');
}

async function loadSubmission(db: DB, a: ReportAccess, version: number, locale: Locale) {
  const report = await db
    .selectFrom('report_reports')
    .select(['id'])
    .where('form_id', '=', a.form.id)
    .where('unit_id', '=', a.unitId)
    .executeTakeFirst();
  if (!report) return null;
  const submissions = await db
    .selectFrom('report_events as e')
    .leftJoin('users as u', 'u.id', 'e.actor_id')
    .select(['e.version', 'e.values_json', 'e.form_version', 'e.created_at', 'u.display_name as actor'])
    .where('e.report_id', '=', report.id)
    .where('e.action', '=', 'submitted')
    .orderBy('e.version')
    .execute();
  const event = submissions.find((s) => s.version === version);
  if (!event) return null;
  const values = JSON.parse(event.values_json ?? '{}') as ValueMap;

  const current = snapshotOf(await formDefinition(db, a.form));
  const kept =
    event.form_version == null
      ? undefined
      : await db
          .selectFrom('report_form_versions')
          .select(['definition_json', 'created_at'])
          .where('form_id', '=', a.form.id)
          .where('version', '=', event.form_version)
          .executeTakeFirst();
  // A submission from before versions were kept is shown with the form as it now stands (and says so).
  const snap = kept ? (JSON.parse(kept.definition_json) as FormSnapshot) : current;
  const en = locale === 'en';
  const currentCodes = new Set(current.sections.flatMap((s) => s.indicators.map((i) => i.code)));
  const asked = new Set(snap.sections.flatMap((s) => s.indicators.map((i) => i.code)));

  return {
    form: { slug: a.form.slug, year: a.form.week_year, title: en ? snap.titleEn : snap.titleVi, docCode: snap.docCode },
    unit: { slug: a.tree.units.get(a.unitId)!.slug, name: localName(a.tree.units.get(a.unitId)!, locale) },
    version: event.version,
    at: event.created_at,
    by: event.actor ?? null,
    formVersion: kept ? { version: event.form_version!, at: kept.created_at } : null,
    currentFormVersion: a.form.version,
    latest: submissions[submissions.length - 1]!.version === event.version,
    submissions: submissions.map((s) => ({ version: s.version, at: s.created_at })),
    sections: snap.sections.map((s) => ({
      title: en ? s.titleEn : s.titleVi,
      fields: s.indicators.map((i): SubmissionField => ({
        code: i.code,
        label: en ? i.labelEn : i.labelVi,
        type: i.type,
        min: i.min,
        max: i.max,
        value: values[i.code] ?? null,
        removed: !currentCodes.has(i.code),
      })),
    })),
    addedSince: current.sections.flatMap((s) =>
      s.indicators
        .filter((i) => !asked.has(i.code))
        .map((i) => ({ code: i.code, label: en ? i.labelEn : i.labelVi, section: en ? s.titleEn : s.titleVi })),
    ),
  };
}
