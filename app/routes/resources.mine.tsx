import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';

import { ScrollRegion } from '~/components/ScrollRegion';
import { listMine } from '~/domain/oer/resources.server';
import { useT } from '~/i18n/i18n';
import { detectLocale, getT } from '~/i18n/i18n.server';
import { resourceKindLabel, resourceStatusLabel } from '~/i18n/labels';
import { requireUser } from '~/lib/auth.server';
import { formatDate } from '~/lib/dates';
import { getDb } from '~/lib/db.server';

export const meta: MetaFunction<typeof loader> = ({ data }) => (data ? [{ title: data.title }] : []);

/** The author's resources with status, views and completions. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const rows = await listMine(getDb(), user.id);
  return json({
    title: getT(detectLocale(request))('oer.myResources'),
    rows: rows.map((r) => ({ ...r, completions: Number(r.completions ?? 0) })),
  });
}

export default function MyResources() {
  const d = useLoaderData<typeof loader>();
  const { t } = useT();
  return (
    <>
      <h1>{t('oer.myResources')}</h1>
      <p>
        <Link to="/resources/new" className="button primary">
          {t('oer.newResource')}
        </Link>
      </p>
      {d.rows.length === 0 ? (
        <p className="muted">{t('oer.noResources')}</p>
      ) : (
        <ScrollRegion label={t('oer.myResources')}>
          <table className="data">
            <thead>
              <tr>
                <th scope="col">{t('oer.form.title')}</th>
                <th scope="col">{t('oer.form.kind')}</th>
                <th scope="col">{t('oer.statusCol')}</th>
                <th scope="col">{t('oer.views')}</th>
                <th scope="col">{t('oer.completions')}</th>
                <th scope="col">{t('oer.version')}</th>
                <th scope="col">{t('common.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {d.rows.map((r) => (
                <tr key={r.id}>
                  <td>
                    <Link to={`/resources/${r.id}`}>{r.title}</Link>
                    {r.status === 'returned' && r.review_comment ? <p className="muted">{r.review_comment}</p> : null}
                  </td>
                  <td>{t(resourceKindLabel[r.kind])}</td>
                  <td>
                    <span className={`badge ${r.status === 'published' ? '' : 'draft'}`}>{t(resourceStatusLabel[r.status])}</span>{' '}
                    {formatDate(r.updated_at)}
                  </td>
                  <td>{r.views}</td>
                  <td>{r.completions}</td>
                  <td>{r.version}</td>
                  <td>
                    <Link to={`/resources/${r.id}/edit`} aria-label={t('oer.editNamed', { title: r.title })}>
                      {t('oer.actions.edit')}
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      )}
    </>
  );
}
