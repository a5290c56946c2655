import type { LoaderFunctionArgs } from '@remix-run/node';

import { contestAccess } from '~/domain/contests/access.server';
import { stageExportRows } from '~/domain/contests/entries-results.server';
import { toCsv, toXlsx } from '~/domain/contests/exports.server';
import { detectLocale, getT } from '~/i18n/i18n.server';
import { requireUser } from '~/lib/auth.server';
import { getDb } from '~/lib/db.server';
import { forbidden, notFound } from '~/lib/http.server';

/** A submission stage's ranking for the Week's report, `?format=csv|xlsx`: organisers only. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const db = getDb();
  const a = await contestAccess(db, { slug: params.slug! }, user.id);
  if (a.status !== 'ok') notFound();
  if (!a.canManage) forbidden();
  const r = await stageExportRows(db, user.id, params.roundId!);
  if (!r.ok || r.value.round.contest_id !== a.contest.id) notFound();
  const t = getT(detectLocale(request));
  const rows: Array<Array<string | number | null>> = [
    [
      t('contests.entries.manage.rank'),
      t('contests.entries.manage.code'),
      t('contests.entries.manage.entrant'),
      t('contests.fields.unit'),
      t('contests.entries.manage.judgesCol'),
      t('contests.entries.manage.raw'),
      t('contests.entries.manage.score'),
      t('contests.entries.manage.votes'),
      t('contests.entries.manage.advanced'),
      t('contests.entries.manage.marginFlag'),
      t('contests.entries.manage.prize'),
    ],
    ...r.value.rows.map((x) => [
      x.rank,
      x.code,
      x.full_name,
      x.unit_name,
      x.judges,
      x.raw_score,
      x.final_score,
      x.votes,
      x.advanced ? 1 : 0,
      x.margin_flag ? 1 : 0,
      x.prize ?? '',
    ]),
  ];
  const name = `${a.contest.slug}-${r.value.round.position}`;
  if (new URL(request.url).searchParams.get('format') === 'xlsx') {
    const body = await toXlsx(r.value.round.title, rows);
    return new Response(new Uint8Array(body), {
      headers: {
        'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        'Content-Disposition': `attachment; filename="${name}.xlsx"`,
        'Cache-Control': 'private, no-store',
      },
    });
  }
  return new Response(toCsv(rows), {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${name}.csv"`,
      'Cache-Control': 'private, no-store',
    },
  });
}
