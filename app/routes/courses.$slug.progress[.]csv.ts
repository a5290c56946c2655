import type { LoaderFunctionArgs } from '@remix-run/node';

import { progressTable, toCsv } from '~/domain/courses/progress.server';
import { detectLocale, getT } from '~/i18n/i18n.server';
import { loadCourseForEditor } from '~/lib/courses-access.server';
import { formatDate, formatDateTime } from '~/lib/dates';

/** The progress table as CSV (UTF-8 with BOM), one row per learner, one column per lesson. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db, course } = await loadCourseForEditor(request, params.slug!);
  const t = getT(detectLocale(request));
  const table = await progressTable(db, course.id);
  const head = [
    t('courses.teacher.learner'),
    'Email',
    t('courses.teacher.enrolled'),
    t('courses.teacher.lastSeen'),
    t('courses.teacher.done'),
    '%',
    t('courses.teacher.completedAt'),
    t('courses.teacher.certificate'),
    ...table.lessons.map((l) => l.title),
  ];
  const rows = table.rows.map((r) => [
    r.name,
    r.email,
    formatDate(r.enrolledAt),
    r.lastSeenAt ? formatDateTime(r.lastSeenAt) : '',
    `${r.done}/${r.total}`,
    r.percent,
    r.completedAt ? formatDate(r.completedAt) : '',
    r.certificate ? r.certificate.code + (r.certificate.revoked ? ' (revoked)' : '') : '',
    ...r.lessonsDone.map((d) => (d ? '1' : '0')),
  ]);
  return new Response(toCsv([head, ...rows]), {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${course.slug}-tien-do.csv"`,
      'Cache-Control': 'private, no-store',
    },
  });
}
