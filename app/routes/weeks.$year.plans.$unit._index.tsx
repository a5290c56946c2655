import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';

import { ActivityList } from '~/components/ActivityList';
import { Breadcrumb } from '~/components/Breadcrumb';
import { SafeHtml } from '~/components/Markdown';
import { PlanOutreach } from '~/components/outreach/PlanOutreach';
import { hasRole } from '~/domain/accounts.server';
import { planPageOutreach } from '~/domain/outreach/kit.server';
import { childPlanCounts, getActivities, getPlan } from '~/domain/plans.server';
import { ancestorsOn, getAncestors, getUnitBySlug, unitName } from '~/domain/units.server';
import { getWeek } from '~/domain/weeks.server';
import { useT } from '~/i18n/i18n';
import { detectLocale } from '~/i18n/i18n.server';
import { unitKindLabel } from '~/i18n/labels';
import { getUser } from '~/lib/auth.server';
import { formatDate } from '~/lib/dates';
import { getDb } from '~/lib/db.server';
import { notFound } from '~/lib/http.server';
import { renderMarkdown } from '~/lib/markdown.server';
import { absoluteUrl } from '~/lib/origin.server';

export const meta: MetaFunction<typeof loader> = ({ data }) => (data ? [{ title: data.title }] : []);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const db = getDb();
  const year = Number(params.year);
  const [week, unit] = await Promise.all([getWeek(db, year), getUnitBySlug(db, params.unit ?? '')]);
  if (!week || !unit) notFound();
  const locale = detectLocale(request);
  const user = await getUser(request);
  const canEdit = user ? await hasRole(db, user.id, unit.id, 'organiser') : false;
  const plan = await getPlan(db, unit.id, year);
  // A unit without a published plan still has a page: it leads to the plans of the units below.
  const visible = plan && (plan.status === 'published' || canEdit) ? plan : null;
  const [activities, ancestors, children, outreach] = await Promise.all([
    visible ? getActivities(db, visible.id) : Promise.resolve([] as Awaited<ReturnType<typeof getActivities>>),
    // The breadcrumb of the Week's own tree (a 2024 plan stays under its 2024 district); the
    // current one for a unit that did not exist when the Week began.
    ancestorsOn(db, unit.id, week.starts_on).then((a) => (a.length ? a : getAncestors(db, unit.id))),
    childPlanCounts(db, unit.id, year),
    planPageOutreach(db, unit.id, year, locale),
  ]);
  const name = unitName(unit, locale);
  return json({
    title: `${name} · ${year}`,
    year,
    theme: locale === 'en' ? week.theme_en : week.theme_vi,
    unit: { slug: unit.slug, name, kind: unit.kind },
    ancestors: ancestors.slice(0, -1).map((a) => ({ slug: a.slug, name: unitName(a, locale) })),
    plan: visible ? { status: visible.status, publishedAt: visible.published_at, purposeHtml: renderMarkdown(visible.purpose_md) } : null,
    activities,
    children: children.map((c) => ({ slug: c.slug, name: unitName(c, locale), kind: c.kind, status: c.status, planCount: c.planCount })),
    canEdit,
    // The outreach kit: the plan's share card (Open Graph, root layout), share links and news.
    share: visible
      ? { image: `/weeks/${year}/plans/${encodeURIComponent(unit.slug)}/share-card.png${locale === 'en' ? '?lang=en' : ''}` }
      : undefined,
    outreach: { ...outreach, url: absoluteUrl(`/weeks/${year}/plans/${encodeURIComponent(unit.slug)}`) },
  });
}

export default function PlanPage() {
  const { year, theme, unit, ancestors, plan, activities, children, canEdit, outreach } = useLoaderData<typeof loader>();
  const { t } = useT();
  return (
    <>
      <Breadcrumb
        items={[
          { to: `/weeks/${year}`, label: t('weeks.weekOfYear', { year }) },
          ...ancestors.map((a) => ({ to: `/units/${a.slug}`, label: a.name })),
          { label: unit.name },
        ]}
      />
      <h1>
        {t('weeks.planTitle', { unit: unit.name, year })}{' '}
        {plan?.status === 'draft' ? <span className="badge draft">{t('weeks.planStatus.draft')}</span> : null}
      </h1>
      <p className="muted">
        {t('weeks.theme')}: {theme}
        {plan?.publishedAt ? ` · ${t('weeks.publishedOn', { date: formatDate(plan.publishedAt) })}` : ''}
      </p>
      {canEdit ? (
        <p>
          <Link to={`/weeks/${year}/plans/${unit.slug}/edit`} className="button">
            {t('weeks.editPlan')}
          </Link>
        </p>
      ) : null}
      {plan ? (
        <>
          <section aria-labelledby="purpose">
            <h2 id="purpose">{t('weeks.purpose')}</h2>
            <SafeHtml html={plan.purposeHtml} />
          </section>
          <section aria-labelledby="activities">
            <h2 id="activities">{t('weeks.activities')}</h2>
            {activities.length ? <ActivityList activities={activities} /> : <p className="muted">{t('weeks.noActivities')}</p>}
          </section>
        </>
      ) : (
        <p className="muted">{t('weeks.noPlanYet')}</p>
      )}
      <PlanOutreach year={year} unitSlug={unit.slug} url={outreach.url} title={theme} news={outreach.news} hasPlan={!!plan} />
      {children.length ? (
        <section aria-labelledby="child-plans">
          <h2 id="child-plans">{t('weeks.childPlans')}</h2>
          <ul>
            {children.map((c) => (
              <li key={c.slug}>
                {c.planCount > 0 ? <Link to={`/weeks/${year}/plans/${c.slug}`}>{c.name}</Link> : <span>{c.name}</span>}{' '}
                <span className="muted">
                  · {t(unitKindLabel[c.kind])} · {c.status === 'published' ? t('weeks.planStatus.published') : t('weeks.planStatus.none')}
                  {c.planCount > (c.status === 'published' ? 1 : 0)
                    ? ` · ${t('weeks.plansBelow', { count: c.planCount - (c.status === 'published' ? 1 : 0) })}`
                    : ''}
                </span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}
