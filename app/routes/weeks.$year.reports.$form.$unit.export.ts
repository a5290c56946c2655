import type { LoaderFunctionArgs } from '@remix-run/node';

import { reportCsv, reportXlsx } from '~/domain/reports/exports.server';
import { submissionView } from '~/domain/reports/submissions.server';
import { reportAccessBySlug } from '~/domain/reports/view.server';
import { detectLocale, getT } from '~/i18n/i18n.server';
import { requireUser } from '~/lib/auth.server';
import { getDb } from '~/lib/db.server';
import { forbidden, notFound } from '~/lib/http.server';

const LABELS = {
  vi: { unit: 'Đơn vị', own: 'tự thực hiện', total: 'Tổng cộng', yes: 'Có', no: 'Không' },
  en: { unit: 'Unit', own: 'own activities', total: 'Total', yes: 'Yes', no: 'No' },
} as const;

/**
 * `?format=xlsx|csv`: the unit's consolidated report (its own figures, the reports below, totals);
 * with `&version=N`, submitted version N as it was submitted (the same access as its page,
 * `…/submissions/N`: 404 for a version that was not a submission).
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const db = getDb();
  const q = new URL(request.url).searchParams;
  const version = q.get('version');
  if (version != null && !/^\d{1,9}$/.test(version)) notFound();
  const a = await reportAccessBySlug(db, Number(params.year), params.form ?? '', params.unit ?? '', user.id);
  if (a.status === 'missing') notFound();
  if (a.status === 'forbidden') forbidden();
  const locale = detectLocale(request);
  const labels = LABELS[locale];
  let submission: Parameters<typeof reportXlsx>[4];
  if (version != null) {
    const r = await submissionView(db, a, Number(version), locale);
    if (!r.ok) notFound();
    const t = getT(locale);
    submission = {
      view: r.value,
      labels: {
        row: `${r.value.unit.name} (${t('reports.submission.heading', { version: r.value.version })})`,
        removed: t('reports.submission.removed'),
        added: t('reports.submission.addedHeading'),
        indicator: t('reports.indicator'),
        section: t('reports.submission.section'),
        notAsked: t('reports.submission.notAsked'),
      },
    };
  }
  const name = `${a.form.slug}-${a.form.week_year}-${a.tree.units.get(a.unitId)!.slug}${version != null ? `-v${Number(version)}` : ''}`;
  if (q.get('format') === 'xlsx') {
    const body = await reportXlsx(db, a, locale, labels, submission);
    return new Response(new Uint8Array(body), {
      headers: {
        'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        'Content-Disposition': `attachment; filename="${name}.xlsx"`,
        'Cache-Control': 'private, no-store',
      },
    });
  }
  return new Response(await reportCsv(db, a, locale, labels, submission), {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${name}.csv"`,
      'Cache-Control': 'private, no-store',
    },
  });
}
