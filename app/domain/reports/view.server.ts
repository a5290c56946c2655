/**
 * Page queries of the reports area: plain, serialisable views for the routes (one call per loader).
 */
import type { IndicatorType } from '~/db/schema/reports';
import type { Locale } from '~/i18n/locale';
import { todayInVietnam } from '~/lib/dates';
import type { DB } from '~/lib/db.server';
import { localName } from '~/lib/names';
import { ok, type Result } from '~/lib/result';
import { viCompare } from '~/lib/vi-sort';

import { myReportUnits, type ReportAccess, reportAccess } from './access.server';
import { attachmentsEditable, listAttachments, MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS, MAX_ATTACHMENTS_TOTAL } from './attachments.server';
import { completeness } from './completeness.server';
import { canEditForm } from './editor.server';
import { formTree, listForms, reportChildren } from './forms.server';
import { reportEditable, reportPage, type Value } from './reports.server';
import { type SubmissionError, submissionView } from './submissions.server';

const title = (f: { title_vi: string; title_en: string }, locale: Locale) => (locale === 'en' ? f.title_en : f.title_vi);

/** `/weeks/<year>/reports`: the Week's forms, and for an organiser the reports they fill and the overviews they follow. */
export async function reportsIndex(db: DB, year: number, userId: string | null, locale: Locale) {
  const forms = await listForms(db, year);
  const out = [];
  for (const f of forms) {
    let mine: { fill: Array<{ slug: string; name: string; status: string }>; top: Array<{ slug: string; name: string }> } | null = null;
    if (userId) {
      const tree = await formTree(db, f);
      const m = await myReportUnits(db, f, tree, userId);
      const statuses = new Map(
        (
          await db
            .selectFrom('report_reports')
            .select(['unit_id', 'status'])
            .where('form_id', '=', f.id)
            .where('unit_id', 'in', m.fill.length ? m.fill : [''])
            .execute()
        ).map((r) => [r.unit_id, r.status as string]),
      );
      const unit = (id: string) => tree.units.get(id)!;
      mine = {
        fill: m.fill.map((id) => ({ slug: unit(id).slug, name: localName(unit(id), locale), status: statuses.get(id) ?? 'none' })),
        top: m.top
          .filter((id) => !m.fill.includes(id))
          .slice(0, 20)
          .map((id) => ({ slug: unit(id).slug, name: localName(unit(id), locale) })),
      };
    }
    const canEdit = await canEditForm(db, f, userId);
    out.push({
      slug: f.slug,
      title: title(f, locale),
      deadline: f.deadline,
      lockDate: f.lock_date,
      appliesTo: f.appliesTo,
      mine,
      canEdit,
      version: f.version,
    });
  }
  return out;
}

export type ReportView = Awaited<ReturnType<typeof reportView>>;

/**
 * The unit's report page: form, values, platform figures, sums below, review state, completeness.
 * `platform`: the platform's figures already read for this request (a shared render's variant:
 * ./shell.server.ts), used while the report can be filled.
 */
export async function reportView(db: DB, a: ReportAccess, locale: Locale, now = new Date(), platform?: Record<string, number> | null) {
  const page = await reportPage(db, a, platform);
  const unitName = (id: string) => localName(a.tree.units.get(id)!, locale);
  const childIds = reportChildren(a.tree, a.unitId);
  // Reporting units below exist exactly when some report to this unit (the nearest ones): no walk
  // of the whole subtree here (completeness walks it once).
  const comp = childIds.length > 0 ? await completeness(db, a, now) : null;
  const attachments = a.unitId === a.tree.ownerId ? [] : await listAttachments(db, a);
  const status = a.unitId === a.tree.ownerId ? 'none' : (page.report?.status ?? 'none');
  const editable = reportEditable(a, status);
  const childList = childIds.map((id) => ({
    slug: a.tree.units.get(id)!.slug,
    name: unitName(id),
    status: page.childStatuses.get(id)?.status ?? 'none',
  }));
  childList.sort((x, y) => viCompare(x.name, y.name));
  const submittedWithout: string[] = page.report?.submitted_without_json ? JSON.parse(page.report.submitted_without_json) : [];
  return {
    form: {
      slug: a.form.slug,
      year: a.form.week_year,
      title: title(page.def.form, locale),
      deadline: a.form.deadline,
      lockDate: a.form.lock_date,
      docCode: page.def.form.doc_code,
    },
    unit: { id: a.unitId, slug: a.tree.units.get(a.unitId)!.slug, name: unitName(a.unitId), isOwner: a.unitId === a.tree.ownerId },
    parent: a.parentId
      ? { slug: a.tree.units.get(a.parentId)?.slug ?? '', name: a.tree.units.has(a.parentId) ? unitName(a.parentId) : '' }
      : null,
    status,
    version: page.report?.version ?? 0,
    formVersion: { saved: page.report?.form_version ?? null, current: a.form.version },
    reviewComment: page.report?.review_comment ?? null,
    submittedWithout: submittedWithout.map((id) => (a.tree.units.has(id) ? unitName(id) : id)),
    can: {
      edit: editable,
      review: a.canReview && status === 'submitted',
      reopen: a.canReopen && status === 'accepted',
      attach: attachmentsEditable(a, status, now),
    },
    attachments,
    attachmentLimits: { maxMb: MAX_ATTACHMENT_BYTES / 1024 / 1024, count: MAX_ATTACHMENTS, totalMb: MAX_ATTACHMENTS_TOTAL / 1024 / 1024 },
    sections: page.def.sections.map((s) => ({
      title: locale === 'en' ? s.title_en : s.title_vi,
      indicators: s.indicators.map((i) => ({
        code: i.code,
        label: locale === 'en' ? i.label_en : i.label_vi,
        type: i.type,
        min: i.min,
        max: i.max,
        prefilled: i.source != null && editable,
        platform: i.source ? (page.platform[i.code] ?? null) : null,
        saved: (page.saved.values[i.code] ?? null) as Value,
        own: (page.sums.own[i.code] ?? null) as Value,
        children: (page.sums.childSum[i.code] ?? null) as Value,
        total: (page.sums.total[i.code] ?? null) as Value,
      })),
    })),
    rules: page.def.form.rules,
    hasChildren: childList.length > 0,
    children: childList,
    pendingChildren: childList.filter((c) => c.status !== 'accepted').map((c) => c.name),
    completeness: comp
      ? {
          expected: comp.expected,
          accepted: comp.accepted,
          onTime: comp.onTime,
          acceptedRate: comp.acceptedRate,
          onTimeRate: comp.onTimeRate,
          missing: comp.missing.map((m) => ({ slug: m.slug, name: localName(m, locale), status: m.status, organisers: m.organisers })),
          late: comp.late.map((m) => ({ slug: m.slug, name: localName(m, locale), status: m.status })),
        }
      : null,
    events: page.events.map((e) => ({
      id: e.id,
      action: e.action,
      version: e.version,
      comment: e.action === 'submitted' ? null : e.comment,
      at: e.created_at,
      actor: e.actor,
    })),
  };
}

/** The access for a report page by slugs (the unit by its slug, which a dissolved unit keeps). */
export async function reportAccessBySlug(db: DB, year: number, formSlug: string, unitSlug: string, userId: string) {
  const unit = await db.selectFrom('units').select('id').where('slug', '=', unitSlug).executeTakeFirst();
  if (!unit) return { status: 'missing' as const };
  return reportAccess(db, year, formSlug, unit.id, userId);
}

/** "Phường Biên Giang" → "Biên Giang": the place line of the document. */
const PLACE_PREFIX = /^(Phường|Xã|Thị trấn|Quận|Huyện|Thị xã|Thành phố|Tỉnh|Bộ)\s+/;

/** One line of the printed report: the figure or answer, yes/no for a unit's own yes/no answer. */
export interface PrintRow {
  code: string;
  label: string;
  type: IndicatorType;
  value: Value;
  /** A yes/no answer shown as such (a sum of yes answers below is a count). */
  yesNo: boolean;
  /** In a submitted version: no longer part of the form as it now stands. */
  removed: boolean;
}

export interface PrintDoc {
  form: { slug: string; year: number; title: string; docCode: string };
  unit: { slug: string; name: string };
  parent: { name: string } | null;
  /** The document's date (yyyy-MM-dd, in Vietnam) and place. */
  day: string;
  place: string;
  sections: Array<{ title: string; rows: PrintRow[] }>;
  attachments: Awaited<ReturnType<typeof listAttachments>>;
  /** Printing one submitted version: which, when, against which form version, and the fields added since. */
  submission: {
    version: number;
    at: string;
    formVersion: number | null;
    currentFormVersion: number;
    addedSince: Array<{ code: string; label: string; section: string }>;
  } | null;
}

/**
 * The printable report (an administrative document): the report as it stands — the unit's
 * consolidated figures when units report to it — or, with `version`, that submitted version
 * exactly as submitted (its form version's sections and labels, fields removed since marked,
 * fields added since listed; ./submissions.server.ts). `not_found` for a version that was not a
 * submission.
 */
export async function printDoc(db: DB, a: ReportAccess, locale: Locale, version?: number): Promise<Result<PrintDoc, SubmissionError>> {
  const u = a.tree.units.get(a.unitId)!;
  const place = u.name.replace(PLACE_PREFIX, '');
  const parent = a.parentId && a.tree.units.has(a.parentId) ? { name: localName(a.tree.units.get(a.parentId)!, locale) } : null;
  if (version != null) {
    const r = await submissionView(db, a, version, locale);
    if (!r.ok) return r;
    const v = r.value;
    return ok({
      form: v.form,
      unit: v.unit,
      parent,
      day: todayInVietnam(new Date(v.at)),
      place,
      sections: v.sections.map((s) => ({
        title: s.title,
        rows: s.fields.map((f) => ({
          code: f.code,
          label: f.label,
          type: f.type,
          value: f.value,
          yesNo: f.type === 'bool',
          removed: f.removed,
        })),
      })),
      attachments: [],
      submission: {
        version: v.version,
        at: v.at,
        formVersion: v.formVersion?.version ?? null,
        currentFormVersion: v.currentFormVersion,
        addedSince: v.addedSince,
      },
    });
  }
  const view = await reportView(db, a, locale);
  const submittedAt = view.events.find((e) => e.action === 'submitted')?.at;
  // With units reporting to it, the unit's figures are its consolidated ones (its own plus theirs).
  const useTotal = view.hasChildren;
  return ok({
    form: { slug: view.form.slug, year: view.form.year, title: view.form.title, docCode: view.form.docCode },
    unit: { slug: view.unit.slug, name: view.unit.name },
    parent: view.parent?.name ? { name: view.parent.name } : null,
    day: todayInVietnam(submittedAt ? new Date(submittedAt) : new Date()),
    place,
    sections: view.sections.map((s) => ({
      title: s.title,
      rows: s.indicators.map((i) => ({
        code: i.code,
        label: i.label,
        type: i.type,
        value: i.type === 'text' ? i.saved : useTotal ? i.total : i.saved,
        yesNo: i.type === 'bool' && !useTotal,
        removed: false,
      })),
    })),
    attachments: view.attachments,
    submission: null,
  });
}
