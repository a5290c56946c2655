import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';

import { Breadcrumb } from '~/components/Breadcrumb';
import { FormError } from '~/components/Field';
import { progressTable, revokeCertificate } from '~/domain/courses/progress.server';
import { revokeSchema } from '~/forms/courses-course';
import { useT } from '~/i18n/i18n';
import { loadCourseForEditor } from '~/lib/courses-access.server';
import { formatDate, formatDateTime } from '~/lib/dates';
import { parseForm } from '~/lib/forms.server';
import { badRequest } from '~/lib/http.server';
import styles from '~/styles/courses.css';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.course.title ?? '' }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db, course } = await loadCourseForEditor(request, params.slug!);
  return json({ course: { slug: course.slug, title: course.title }, table: await progressTable(db, course.id) });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { db, course, editor } = await loadCourseForEditor(request, params.slug!);
  const r = parseForm(revokeSchema, await request.formData());
  if (!r.ok) return badRequest({ error: 'errors.invalid' });
  await revokeCertificate(db, editor, r.data.code, r.data.reason);
  return redirect(`/courses/${course.slug}/progress`);
}

export default function ProgressTable() {
  const { course, table } = useLoaderData<typeof loader>();
  const ad = useActionData<typeof action>();
  const { t } = useT();
  return (
    <>
      <Breadcrumb items={[{ to: `/courses/${course.slug}/edit`, label: course.title }, { label: t('courses.teacher.progressTitle') }]} />
      <h1>{t('courses.teacher.progressTitle')}</h1>
      <FormError error={ad?.error} />
      <p>
        {t('courses.teacher.learners', { count: table.rows.length })} ·{' '}
        <a href={`/courses/${course.slug}/progress.csv`} download>
          {t('courses.teacher.csv')}
        </a>
      </p>
      <div className="table-wrap">
        <table className="data">
          <caption className="visually-hidden">{t('courses.teacher.progressTitle')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('courses.teacher.learner')}</th>
              <th scope="col">{t('courses.teacher.enrolled')}</th>
              <th scope="col">{t('courses.teacher.lastSeen')}</th>
              <th scope="col">{t('courses.teacher.done')}</th>
              <th scope="col">{t('courses.teacher.certificate')}</th>
            </tr>
          </thead>
          <tbody>
            {table.rows.map((r) => (
              <tr key={r.userId}>
                <th scope="row">
                  {r.name}
                  <br />
                  <span className="muted">{r.email}</span>
                </th>
                <td>{formatDate(r.enrolledAt)}</td>
                <td>{r.lastSeenAt ? formatDateTime(r.lastSeenAt) : '—'}</td>
                <td>
                  <progress max={100} value={r.percent} aria-label={`${r.name}: ${r.percent}%`} /> {r.done}/{r.total}
                </td>
                <td>
                  {r.certificate ? (
                    <>
                      <Link to={`/verify/${r.certificate.code}`}>{r.certificate.code}</Link>
                      {r.certificate.revoked ? (
                        <span className="badge draft">{t('courses.verify.status.revoked')}</span>
                      ) : (
                        <Form method="post" className="revoke-form">
                          <input type="hidden" name="code" value={r.certificate.code} />
                          <label htmlFor={`reason-${r.userId}`} className="visually-hidden">
                            {t('courses.teacher.revokeReason')}
                          </label>
                          <input id={`reason-${r.userId}`} name="reason" placeholder={t('courses.teacher.revokeReason')} />
                          <button type="submit" className="danger button small">
                            {t('courses.teacher.revoke')}
                          </button>
                        </Form>
                      )}
                    </>
                  ) : (
                    '—'
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
