import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';

import { certificatesOf } from '~/domain/courses/progress.server';
import { useT } from '~/i18n/i18n';
import { detectLocale, getT } from '~/i18n/i18n.server';
import { requireUser } from '~/lib/auth.server';
import { formatDate } from '~/lib/dates';
import { getDb } from '~/lib/db.server';

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? '' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return json({ title: getT(detectLocale(request))('courses.certificate.mine'), certs: await certificatesOf(getDb(), user.id) });
}

export default function MyCertificates() {
  const { certs } = useLoaderData<typeof loader>();
  const { t } = useT();
  return (
    <>
      <h1>{t('courses.certificate.mine')}</h1>
      {certs.length === 0 ? (
        <p className="muted">
          {t('courses.certificate.none')} <Link to="/courses">{t('courses.catalogue.title')}</Link>
        </p>
      ) : null}
      <ul>
        {certs.map((c) => (
          <li key={c.code}>
            <Link to={`/certificates/${c.code}`}>{c.course_title}</Link> — {c.unit_name}, {formatDate(c.issued_at)} <code>{c.code}</code>{' '}
            {c.revoked_at ? <span className="badge draft">{t('courses.verify.status.revoked')}</span> : null}
          </li>
        ))}
      </ul>
    </>
  );
}
