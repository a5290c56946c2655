import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';

import { Breadcrumb } from '~/components/Breadcrumb';
import { FormError } from '~/components/Field';
import { NewsForm } from '~/components/outreach/NewsForm';
import { NewsList } from '~/components/outreach/NewsList';
import { kitAccess } from '~/domain/outreach/access.server';
import { newsViews, planNewsPage } from '~/domain/outreach/kit.server';
import { useT } from '~/i18n/i18n';
import { detectLocale, getT } from '~/i18n/i18n.server';
import { getUser, requireUser } from '~/lib/auth.server';
import { formatDate, formatDateTime, todayInVietnam } from '~/lib/dates';
import { getDb } from '~/lib/db.server';
import { notFound } from '~/lib/http.server';
import { runNewsForm } from '~/lib/uploads/news-photo-form.server';
import styles from '~/styles/outreach.css';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => (data ? [{ title: data.title }] : []);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const locale = detectLocale(request);
  const user = await getUser(request);
  const p = await planNewsPage(getDb(), Number(params.year), params.unit ?? '', user?.id ?? null, locale);
  if (p.status !== 'ok') notFound();
  return json({
    title: getT(locale)('outreach.news.unitTitle', { unit: p.unitName }),
    year: p.ctx.week.year,
    unit: { slug: p.ctx.unit.slug, name: p.unitName },
    news: newsViews(p.news, locale),
    canManage: p.ctx.canManage,
    today: formatDate(todayInVietnam()),
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const a = await kitAccess(getDb(), Number(params.year), params.unit ?? '', user.id);
  if (a.status !== 'ok') notFound();
  return runNewsForm(request, user.id, { year: a.week.year, unitId: a.unit.id }, `/weeks/${a.week.year}/plans/${a.unit.slug}/news`);
}

const STATUS_KEYS = {
  draft: 'outreach.news.status.draft',
  scheduled: 'outreach.news.status.scheduled',
  published: 'outreach.news.status.published',
} as const;

export default function PlanNews() {
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>() as { errors?: Record<string, string>; values?: Record<string, string> } | undefined;
  const { t } = useT();
  const v: Record<string, string> = a?.values ?? {};
  const e: Record<string, string> = a?.errors ?? {};
  const base = `/weeks/${d.year}/plans/${d.unit.slug}`;
  // Errors of the post form stay with it; a button's failure (publish, delete…) shows above the list.
  const postForm = !v.intent || v.intent === 'post';
  return (
    <>
      <Breadcrumb
        items={[
          { to: `/weeks/${d.year}`, label: t('weeks.weekOfYear', { year: d.year }) },
          { to: base, label: d.unit.name },
          { to: `${base}/outreach`, label: t('outreach.kit.title') },
          { label: t('outreach.news.heading') },
        ]}
      />
      <h1>{d.title}</h1>
      <p>
        <a href={`/units/${d.unit.slug}/news`}>{t('outreach.news.all')}</a>
        {' · '}
        <a href={`/units/${d.unit.slug}/news.atom`} type="application/atom+xml">
          {t('outreach.news.feed')}
        </a>
      </p>
      {d.canManage ? (
        <section className="card" aria-labelledby="post-news">
          <h2 id="post-news">{t('outreach.news.post')}</h2>
          <NewsForm values={postForm ? v : {}} errors={postForm ? e : {}} today={d.today} />
        </section>
      ) : null}
      <section aria-labelledby="news-h">
        <h2 id="news-h">{t('outreach.news.heading')}</h2>
        {!postForm ? <FormError error={e._form} /> : null}
        <NewsList items={d.news}>
          {(n) =>
            d.canManage ? (
              <div className="news-manage">
                <p>
                  <span className={`news-status news-status-${n.status}`}>{t(STATUS_KEYS[n.status])}</span>
                  {n.status === 'scheduled' && n.publishAt ? (
                    <> {t('outreach.news.scheduledFor', { at: formatDateTime(n.publishAt) })}</>
                  ) : null}
                </p>
                <Link to={`${base}/news/${n.id}`} className="button secondary small">
                  {t('outreach.news.edit')}
                  <span className="visually-hidden">: {n.title}</span>
                </Link>
                <Form method="post" className="inline-form">
                  <input type="hidden" name="id" value={n.id} />
                  {n.isPublic ? (
                    <button type="submit" name="intent" value="unpublish" className="button secondary small">
                      {t('outreach.news.unpublish')}
                      <span className="visually-hidden">: {n.title}</span>
                    </button>
                  ) : (
                    <button type="submit" name="intent" value="publish" className="button secondary small">
                      {t('outreach.news.publish')}
                      <span className="visually-hidden">: {n.title}</span>
                    </button>
                  )}
                  <button type="submit" name="intent" value="delete" className="button secondary small">
                    {t('outreach.news.delete')}
                    <span className="visually-hidden">: {n.title}</span>
                  </button>
                </Form>
              </div>
            ) : null
          }
        </NewsList>
      </section>
      <p>
        <Link to={base}>{t('outreach.backToPlan')}</Link>
      </p>
    </>
  );
}
