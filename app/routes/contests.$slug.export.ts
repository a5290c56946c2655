import type { LoaderFunctionArgs } from '@remix-run/node';

import { contestAccess } from '~/domain/contests/access.server';
import { toCsv, toXlsx } from '~/domain/contests/exports.server';
import { overallRows, unitAwardRows } from '~/domain/contests/overall.server';
import { participationRows, resultsRows } from '~/domain/contests/results.server';
import { roundUnitAwardRows } from '~/domain/contests/unit-prizes.server';
import { requireUser } from '~/lib/auth.server';
import { getDb } from '~/lib/db.server';
import { forbidden, notFound } from '~/lib/http.server';

const EXPORTS = {
  results: resultsRows,
  participation: participationRows,
  overall: overallRows,
  unit_prizes: unitAwardRows,
  round_unit_prizes: roundUnitAwardRows,
};

/** `?what=results|participation|overall|unit_prizes|round_unit_prizes&format=csv|xlsx`: organisers only. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const db = getDb();
  const a = await contestAccess(db, { slug: params.slug! }, user.id);
  if (a.status !== 'ok') notFound();
  if (!a.canManage) forbidden();
  const url = new URL(request.url);
  const asked = url.searchParams.get('what');
  const what =
    asked === 'participation' || asked === 'overall' || asked === 'unit_prizes' || asked === 'round_unit_prizes' ? asked : 'results';
  const rows = await EXPORTS[what](db, user.id, a.contest.id);
  if (!rows.ok) forbidden();
  const name = `${a.contest.slug}-${what}`;
  if (url.searchParams.get('format') === 'xlsx') {
    const body = await toXlsx(what, rows.value);
    return new Response(new Uint8Array(body), {
      headers: {
        'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        'Content-Disposition': `attachment; filename="${name}.xlsx"`,
        'Cache-Control': 'private, no-store',
      },
    });
  }
  return new Response(toCsv(rows.value), {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${name}.csv"`,
      'Cache-Control': 'private, no-store',
    },
  });
}
