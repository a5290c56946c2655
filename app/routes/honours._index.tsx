import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';

import { honourCategoryLabel, nominationStatusLabel } from '~/components/honours/labels';
import { contestBadgeDesks } from '~/domain/honours/contest-badges.server';
import { honoursDesk } from '~/domain/honours/pages.server';
import { useT } from '~/i18n/i18n';
import { detectLocale, getT } from '~/i18n/i18n.server';
import { requireUser } from '~/lib/auth.server';
import { formatDate } from '~/lib/dates';
import { getDb } from '~/lib/db.server';
import { forbidden } from '~/lib/http.server';
import { localName } from '~/lib/names';

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? '' }];

/** The organiser's desk: nominations of their units and those awaiting their decision. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const desk = await honoursDesk(getDb(), user.id);
  if (!desk.granted.length) forbidden();
  const locale = detectLocale(request);
  const rows = (list: typeof desk.mine) =>
    list.map((r) => ({ ...r, unit: localName({ name: r.unit_name, name_en: r.unit_name_en }, locale) }));
  // The contests whose winners' badge desk this organiser may use (none: no section).
  const contests = await contestBadgeDesks(getDb(), user.id);
  return json({ title: getT(locale)('honours.desk.title'), mine: rows(desk.mine), toReview: rows(desk.toReview), contests });
}

function Table({ rows, caption }: { rows: ReturnType<typeof useLoaderData<typeof loader>>['mine']; caption: string }) {
  const { t } = useT();
  return (
    <div className="table-wrap" role="region" aria-label={caption}>
      <table className="data">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('honours.fields.nomineeName')}</th>
            <th scope="col">{t('honours.fields.category')}</th>
            <th scope="col">{t('honours.fields.unit')}</th>
            <th scope="col">{t('honours.fields.week')}</th>
            <th scope="col">{t('honours.page.status')}</th>
            <th scope="col">{t('honours.desk.updated')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id}>
              <td>
                <Link to={`/honours/${r.id}`}>{r.nominee_name}</Link>
                <br />
                <span className="muted">{r.headline}</span>
              </td>
              <td>{t(honourCategoryLabel[r.category])}</td>
              <td>{r.unit}</td>
              <td>{r.week_year}</td>
              <td>{t(nominationStatusLabel[r.status])}</td>
              <td>{formatDate(r.updated_at)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export default function HonoursDesk() {
  const d = useLoaderData<typeof loader>();
  const { t } = useT();
  return (
    <>
      <h1>{d.title}</h1>
      <p>{t('honours.desk.intro')}</p>
      <p className="actions">
        <Link className="button" to="/honours/new">
          {t('honours.desk.new')}
        </Link>
      </p>
      <section aria-labelledby="review-h">
        <h2 id="review-h">{t('honours.desk.toReview')}</h2>
        {d.toReview.length ? <Table rows={d.toReview} caption={t('honours.desk.toReview')} /> : <p>{t('honours.desk.noneToReview')}</p>}
      </section>
      <section aria-labelledby="mine-h">
        <h2 id="mine-h">{t('honours.desk.mine')}</h2>
        {d.mine.length ? <Table rows={d.mine} caption={t('honours.desk.mine')} /> : <p>{t('honours.desk.noneMine')}</p>}
      </section>
      {d.contests.length ? (
        <section aria-labelledby="contests-h">
          <h2 id="contests-h">{t('honours.contest.desksTitle')}</h2>
          <p>{t('honours.contest.desksIntro')}</p>
          <ul>
            {d.contests.map((c) => (
              <li key={c.id}>
                <Link to={`/honours/contests/${c.id}`}>{c.title}</Link> ({c.week_year})
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}
