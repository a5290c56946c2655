import type { LoaderFunctionArgs } from '@remix-run/node';

import { reportCsv, reportXlsx } from '~/domain/reports/exports.server';
import { reportAccessBySlug } from '~/domain/reports/view.server';
import { detectLocale } from '~/i18n/i18n.server';
import { requireUser } from '~/lib/auth.server';
import { getDb } from '~/lib/db.server';
import { forbidden, notFound } from '~/lib/http.server';

const LABELS = {
  vi: { unit: 'Đơn vị', own: 'tự thực hiện', total: 'Tổng cộng', yes: 'Có', no: 'Không' },
  en: { unit: 'Unit', own: 'own activities', total: 'Total', yes: 'Yes', no: 'No' },
} as const;

/** `?format=xlsx|csv`: the unit's consolidated report (its own figures, the reports below, totals). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const db = getDb();
  const a = await reportAccessBySlug(db, Number(params.year), params.form ?? '', params.unit ?? '', user.id);
  if (a.status === 'missing') notFound();
  if (a.status === 'forbidden') forbidden();
  const locale = detectLocale(request);
  const labels = LABELS[locale];
  const name = `${a.form.slug}-${a.form.week_year}-${a.tree.units.get(a.unitId)!.slug}`;
  if (new URL(request.url).searchParams.get('format') === 'xlsx') {
    const body = await reportXlsx(db, a, locale, labels);
    return new Response(new Uint8Array(body), {
      headers: {
        'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        'Content-Disposition': `attachment; filename="${name}.xlsx"`,
        'Cache-Control': 'private, no-store',
      },
    });
  }
  return new Response(await reportCsv(db, a, locale, labels), {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${name}.csv"`,
      'Cache-Control': 'private, no-store',
    },
  });
}
