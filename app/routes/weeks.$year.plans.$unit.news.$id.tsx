import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Link, useActionData, useLoaderData } from '@remix-run/react';

import { Breadcrumb } from '~/components/Breadcrumb';
import { SafeHtml } from '~/components/Markdown';
import { NewsForm } from '~/components/outreach/NewsForm';
import { kitAccess } from '~/domain/outreach/access.server';
import { newsViews } from '~/domain/outreach/kit.server';
import { newsForEdit } from '~/domain/outreach/news.server';
import { unitName } from '~/domain/units.server';
import { useT } from '~/i18n/i18n';
import { detectLocale, getT } from '~/i18n/i18n.server';
import { requireUser } from '~/lib/auth.server';
import { formatDate, formatTime, todayInVietnam } from '~/lib/dates';
import { getDb } from '~/lib/db.server';
import { notFound } from '~/lib/http.server';
import { runNewsForm } from '~/lib/uploads/news-photo-form.server';
import styles from '~/styles/outreach.css';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => (data ? [{ title: data.title }] : []);

/** The edit page of one news item: organisers of its unit only (anyone else: not found). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const locale = detectLocale(request);
  const user = await requireUser(request);
  const db = getDb();
  const a = await kitAccess(db, Number(params.year), params.unit ?? '', user.id);
  if (a.status !== 'ok' || !a.canManage) notFound();
  const item = await newsForEdit(db, user.id, a.unit.id, params.id ?? '');
  if (!item || item.year !== a.week.year) notFound();
  const [view] = newsViews([item], locale);
  return json({
    title: getT(locale)('outreach.news.editTitle', { title: item.title }),
    year: a.week.year,
    unit: { slug: a.unit.slug, name: unitName(a.unit, locale) },
    item: view!,
    stored: {
      title: item.title,
      date: formatDate(item.date),
      body: item.bodyMd,
      photoAlt: item.photoAlt ?? '',
      publish: item.status === 'published' ? 'now' : item.status === 'scheduled' ? 'schedule' : 'draft',
      publishDay: item.status === 'scheduled' && item.publishAt ? formatDate(item.publishAt) : '',
      publishTime: item.status === 'scheduled' && item.publishAt ? formatTime(item.publishAt) : '',
    } as Record<string, string>,
    today: formatDate(todayInVietnam()),
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const a = await kitAccess(getDb(), Number(params.year), params.unit ?? '', user.id);
  if (a.status !== 'ok') notFound();
  return runNewsForm(request, user.id, { year: a.week.year, unitId: a.unit.id }, `/weeks/${a.week.year}/plans/${a.unit.slug}/news`);
}

export default function EditNews() {
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>() as
    { errors?: Record<string, string>; values?: Record<string, string>; conflict?: boolean } | undefined;
  const { t } = useT();
  const base = `/weeks/${d.year}/plans/${d.unit.slug}`;
  return (
    <>
      <Breadcrumb
        items={[
          { to: `/weeks/${d.year}`, label: t('weeks.weekOfYear', { year: d.year }) },
          { to: base, label: d.unit.name },
          { to: `${base}/news`, label: t('outreach.news.heading') },
          { label: t('outreach.news.edit') },
        ]}
      />
      <h1>{d.title}</h1>
      {a?.conflict ? (
        <section className="card" aria-labelledby="current-h">
          <h2 id="current-h">{t('outreach.news.current')}</h2>
          <h3>{d.item.title}</h3>
          <p className="muted">{formatDate(d.item.date)}</p>
          <SafeHtml html={d.item.html} />
        </section>
      ) : null}
      <section className="card" aria-label={t('outreach.news.edit')}>
        {/* After a conflict the form keeps what was typed, and carries the saved version: saving again overwrites knowingly. */}
        <NewsForm key={d.item.version} values={a?.values ?? d.stored} errors={a?.errors ?? {}} item={d.item} today={d.today} />
      </section>
      <p>
        <Link to={`${base}/news`}>{t('outreach.news.back')}</Link>
      </p>
    </>
  );
}
