import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';

import { reviewQueue } from '~/domain/oer/resources.server';
import { unitName } from '~/domain/units.server';
import { useT } from '~/i18n/i18n';
import { detectLocale, getT } from '~/i18n/i18n.server';
import { resourceKindLabel } from '~/i18n/labels';
import { requireUser } from '~/lib/auth.server';
import { formatDate } from '~/lib/dates';
import { getDb } from '~/lib/db.server';

export const meta: MetaFunction<typeof loader> = ({ data }) => (data ? [{ title: data.title }] : []);

/** Submitted resources in the units this organiser or librarian reviews. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const locale = detectLocale(request);
  const rows = await reviewQueue(getDb(), user.id);
  return json({
    title: getT(locale)('oer.reviewQueue'),
    rows: rows.map((r) => ({
      id: r.id,
      title: r.title,
      kind: r.kind,
      at: r.updated_at,
      unit: unitName({ name: r.unit_name, name_en: r.unit_name_en }, locale),
      author: r.author_name,
    })),
  });
}

export default function ReviewQueue() {
  const d = useLoaderData<typeof loader>();
  const { t } = useT();
  return (
    <>
      <h1>{t('oer.reviewQueue')}</h1>
      {d.rows.length === 0 ? (
        <p className="muted">{t('oer.noResources')}</p>
      ) : (
        <ul>
          {d.rows.map((r) => (
            <li key={r.id}>
              <Link to={`/resources/${r.id}`}>{r.title}</Link> — {t(resourceKindLabel[r.kind])}, {r.author}, {r.unit} ({formatDate(r.at)})
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
