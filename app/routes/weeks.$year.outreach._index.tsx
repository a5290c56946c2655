import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Link, useActionData, useLoaderData } from '@remix-run/react';

import { Breadcrumb } from '~/components/Breadcrumb';
import { NewsList } from '~/components/outreach/NewsList';
import { ShareButtons } from '~/components/outreach/ShareButtons';
import { SloganEditor } from '~/components/outreach/SloganEditor';
import { weekKitAccess } from '~/domain/outreach/access.server';
import { sloganAction } from '~/domain/outreach/actions.server';
import { newsViews, weekKitPage } from '~/domain/outreach/kit.server';
import { unitName } from '~/domain/units.server';
import { sloganSchema } from '~/forms/outreach-slogans';
import { useT } from '~/i18n/i18n';
import { detectLocale, getT } from '~/i18n/i18n.server';
import { getUser, requireUser } from '~/lib/auth.server';
import { getDb } from '~/lib/db.server';
import { outreachFailures } from '~/lib/failures/outreach.server';
import { redirectWithFlash } from '~/lib/flash.server';
import { type FieldErrors, parseForm } from '~/lib/forms.server';
import { badRequest, notFound } from '~/lib/http.server';
import { absoluteUrl } from '~/lib/origin.server';
import styles from '~/styles/outreach.css';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }];
export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data
    ? [
        { title: data.title },
        {
          tagName: 'link',
          rel: 'alternate',
          type: 'application/atom+xml',
          title: data.feedTitle,
          href: `/weeks/${data.year}/outreach/news.atom`,
        },
      ]
    : [];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const locale = detectLocale(request);
  const user = await getUser(request);
  const p = await weekKitPage(getDb(), Number(params.year), user?.id ?? null);
  if (p.status !== 'ok') notFound();
  const t = getT(locale);
  const year = p.week.year;
  const card = `/weeks/${year}/outreach/share-card.png${locale === 'en' ? '?lang=en' : ''}`;
  const theme = locale === 'en' ? p.week.theme_en : p.week.theme_vi;
  return json({
    title: t('outreach.kit.weekTitle', { year }),
    feedTitle: t('outreach.news.weekTitle', { year }),
    year,
    theme,
    rootName: unitName(p.root, locale),
    weekUrl: absoluteUrl(`/weeks/${year}`),
    card,
    slogans: p.slogans.map((s) => ({
      id: s.id,
      text: s.text,
      own: s.own,
      unitName: unitName({ name: s.unitName, name_en: s.unitNameEn }, locale),
    })),
    suggested: p.suggested,
    news: newsViews(p.news, locale, true),
    canManage: p.canManage,
    share: { image: card },
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const db = getDb();
  const a = await weekKitAccess(db, Number(params.year), user.id);
  if (a.status !== 'ok') notFound();
  const r = parseForm(sloganSchema, await request.formData());
  if (!r.ok) return badRequest({ errors: r.errors, values: r.values });
  const done = await sloganAction(db, user.id, { year: a.week.year, unitId: a.root.id }, r.data);
  if (!done.ok) {
    const field = done.code === 'empty' || done.code === 'too_long' ? 'text' : '_form';
    return json(
      { errors: { [field]: outreachFailures[done.code].message } as FieldErrors, values: r.values },
      { status: outreachFailures[done.code].status },
    );
  }
  return redirectWithFlash(`/weeks/${a.week.year}/outreach`, { message: done.value });
}

export default function WeekKit() {
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const { t } = useT();
  return (
    <>
      <Breadcrumb
        items={[{ to: `/weeks/${d.year}`, label: t('weeks.weekOfYear', { year: d.year }) }, { label: t('outreach.kit.title') }]}
      />
      <h1>{d.title}</h1>
      <p className="muted">
        {t('weeks.theme')}: {d.theme}
      </p>
      <p>{t('outreach.kit.weekIntro')}</p>
      <section aria-labelledby="card-h">
        <h2 id="card-h">{t('outreach.card.heading')}</h2>
        <img
          className="share-card-preview"
          src={d.card}
          width={1200}
          height={630}
          alt={t('outreach.card.weekAlt', { theme: d.theme, year: d.year })}
        />
        <p>
          <a href={d.card} download>
            {t('outreach.card.download')}
          </a>
        </p>
      </section>
      <ShareButtons url={d.weekUrl} title={d.theme} />
      <SloganEditor slogans={d.slogans} suggested={d.suggested} canManage={d.canManage} errors={a?.errors ?? {}} values={a?.values ?? {}} />
      <section aria-labelledby="week-news-h">
        <h2 id="week-news-h">{t('outreach.news.weekHeading')}</h2>
        <p>
          <a href={`/weeks/${d.year}/outreach/news.atom`} type="application/atom+xml">
            {t('outreach.news.weekFeed')}
          </a>
        </p>
        <NewsList items={d.news} />
      </section>
      <p>
        <Link to={`/weeks/${d.year}`}>{t('outreach.backToWeek')}</Link>
      </p>
    </>
  );
}
