import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';

import { DateRange } from '~/components/WeekBits';
import { listWeeks } from '~/domain/weeks.server';
import { useT } from '~/i18n/i18n';
import { detectLocale, getT } from '~/i18n/i18n.server';
import { getDb } from '~/lib/db.server';

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? '' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const locale = detectLocale(request);
  const weeks = await listWeeks(getDb());
  return json({
    title: `${getT(locale)('weeks.allWeeks')} · ${getT(locale)('common.siteName')}`,
    weeks: weeks.map((w) => ({ year: w.year, theme: locale === 'en' ? w.theme_en : w.theme_vi, startsOn: w.starts_on, endsOn: w.ends_on })),
  });
}

export default function Weeks() {
  const { weeks } = useLoaderData<typeof loader>();
  const { t } = useT();
  return (
    <>
      <h1>{t('weeks.allWeeks')}</h1>
      <p className="muted">{t('weeks.allWeeksIntro')}</p>
      <ul className="grid" style={{ listStyle: 'none', padding: 0 }}>
        {weeks.map((w) => (
          <li key={w.year} className="card">
            <h2 style={{ marginTop: 0 }}>
              <Link to={`/weeks/${w.year}`}>{t('weeks.weekOfYear', { year: w.year })}</Link>
            </h2>
            <p>{w.theme}</p>
            <p className="muted">
              <DateRange from={w.startsOn} to={w.endsOn} />
            </p>
          </li>
        ))}
      </ul>
    </>
  );
}
