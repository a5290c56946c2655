import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';

import { ActivityList } from '~/components/ActivityList';
import { Breadcrumb } from '~/components/Breadcrumb';
import { SafeHtml } from '~/components/Markdown';
import { WeekResources } from '~/components/oer/ResourceCards';
import { UnitTree } from '~/components/UnitTree';
import { DateRange, DateTime, Livestream } from '~/components/WeekBits';
import { userRoles } from '~/domain/accounts.server';
import { weekResourcesData } from '~/domain/oer/resources.server';
import { publishedPlanTree, upcomingActivities } from '~/domain/plans.server';
import { getWeek } from '~/domain/weeks.server';
import { useT } from '~/i18n/i18n';
import { detectLocale, getT } from '~/i18n/i18n.server';
import { getUser } from '~/lib/auth.server';
import { formatDate } from '~/lib/dates';
import { getDb } from '~/lib/db.server';
import { notFound } from '~/lib/http.server';
import { renderMarkdown } from '~/lib/markdown.server';

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data ? [{ title: data.title }, { name: 'description', content: data.week.theme }] : [];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const year = Number(params.year);
  if (!/^\d{4}$/.test(params.year ?? '')) notFound();
  const db = getDb();
  const w = await getWeek(db, year);
  if (!w) notFound();
  const locale = detectLocale(request);
  const en = locale === 'en';
  const user = await getUser(request);
  const roles = user ? await userRoles(db, user.id) : [];
  const [tree, activities, resources] = await Promise.all([
    publishedPlanTree(db, year),
    upcomingActivities(db, year, '0000', 20),
    weekResourcesData(db, year),
  ]);
  return json({
    title: `${getT(locale)('weeks.weekOfYear', { year })} · ${en ? w.theme_en : w.theme_vi}`,
    week: {
      year,
      theme: en ? w.theme_en : w.theme_vi,
      startsOn: w.starts_on,
      endsOn: w.ends_on,
      openingAt: w.opening_at,
      openingPlace: en ? w.opening_place_en : w.opening_place_vi,
      livestreamUrl: w.livestream_url,
      closingAt: w.closing_at,
      closingPlace: en ? w.closing_place_en : w.closing_place_vi,
      reportDeadline: w.report_deadline,
      source: en ? w.source_en : w.source_vi,
      bodyHtml: renderMarkdown(en ? w.body_en || w.body_vi : w.body_vi),
    },
    tree,
    activities,
    resources,
    canPlan: roles.includes('organiser') || roles.includes('admin'),
    isAdmin: roles.includes('admin'),
    // The Week's share card (Open Graph, root layout).
    share: { image: `/weeks/${year}/outreach/share-card.png${en ? '?lang=en' : ''}` },
  });
}

export default function WeekPage() {
  const { week, tree, activities, resources, canPlan, isAdmin } = useLoaderData<typeof loader>();
  const { t } = useT();
  return (
    <>
      <Breadcrumb items={[{ to: '/weeks', label: t('weeks.allWeeks') }, { label: week.year }]} />
      <section className="hero" aria-labelledby="week-theme">
        <p className="eyebrow">{t('weeks.weekOfYear', { year: week.year })}</p>
        <h1 id="week-theme">{week.theme}</h1>
        <p>
          <DateRange from={week.startsOn} to={week.endsOn} />
        </p>
        <p>
          <Link to={`/weeks/${week.year}/outreach`}>{t('outreach.kit.weekLink')}</Link>
        </p>
      </section>
      <div className="grid">
        <section className="card" aria-labelledby="opening-title">
          <h2 id="opening-title" style={{ marginTop: 0 }}>
            {t('weeks.opening')}
          </h2>
          <dl className="facts">
            <dt>{t('weeks.when')}</dt>
            <dd>
              <DateTime iso={week.openingAt} />
            </dd>
            <dt>{t('weeks.where')}</dt>
            <dd>{week.openingPlace}</dd>
          </dl>
          {week.livestreamUrl ? <Livestream url={week.livestreamUrl} title={t('weeks.opening')} /> : null}
        </section>
        <section className="card" aria-labelledby="key-dates">
          <h2 id="key-dates" style={{ marginTop: 0 }}>
            {t('weeks.keyDates')}
          </h2>
          <dl className="facts">
            {week.closingAt ? (
              <>
                <dt>{t('weeks.closing')}</dt>
                <dd>
                  <DateTime iso={week.closingAt} />
                  {week.closingPlace ? `, ${week.closingPlace}` : ''}
                </dd>
              </>
            ) : null}
            {week.reportDeadline ? (
              <>
                <dt>{t('weeks.reportDeadline')}</dt>
                <dd>{formatDate(week.reportDeadline)}</dd>
              </>
            ) : null}
            {week.source ? (
              <>
                <dt>{t('weeks.source')}</dt>
                <dd>{week.source}</dd>
              </>
            ) : null}
          </dl>
        </section>
      </div>
      {canPlan || isAdmin ? (
        <p className="actions">
          {canPlan ? (
            <Link to="/organise" className="button">
              {t('weeks.planYourUnit')}
            </Link>
          ) : null}
          {isAdmin ? (
            <Link to={`/weeks/${week.year}/edit`} className="button secondary">
              {t('weeks.editWeek')}
            </Link>
          ) : null}
        </p>
      ) : null}
      {/* The body brings its own section headings (purpose, activities, organisation). */}
      <SafeHtml html={week.bodyHtml} />
      <section aria-labelledby="plans-map">
        <h2 id="plans-map">{t('weeks.plansMap')}</h2>
        {tree.length ? (
          <UnitTree
            nodes={tree}
            href={(n) => `/weeks/${week.year}/plans/${n.slug}`}
            count={(n) => t('weeks.plansCount', { count: n.planCount ?? 0 })}
          />
        ) : (
          <p className="muted">{t('weeks.noPlansYet')}</p>
        )}
        <p>
          <Link to={`/weeks/${week.year}/stats`}>{t('weeks.statsLink')}</Link> ·{' '}
          <Link to={`/weeks/${week.year}/honours`}>{t('weeks.honoursLink')}</Link>
        </p>
      </section>
      <section aria-labelledby="programme">
        <h2 id="programme">{t('weeks.programme')}</h2>
        {activities.length ? (
          <ActivityList activities={activities} showUnit year={week.year} />
        ) : (
          <p className="muted">{t('weeks.nothingOnYet')}</p>
        )}
      </section>
      <WeekResources year={resources.year} rows={resources.rows} />
    </>
  );
}
