import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Link, useActionData, useLoaderData } from '@remix-run/react';

import { Breadcrumb } from '~/components/Breadcrumb';
import { NewsList } from '~/components/outreach/NewsList';
import { ShareButtons } from '~/components/outreach/ShareButtons';
import { SloganEditor } from '~/components/outreach/SloganEditor';
import { kitAccess } from '~/domain/outreach/access.server';
import { sloganAction } from '~/domain/outreach/actions.server';
import { newsViews, unitKitPage } from '~/domain/outreach/kit.server';
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
export const meta: MetaFunction<typeof loader> = ({ data }) => (data ? [{ title: data.title }] : []);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const locale = detectLocale(request);
  const user = await getUser(request);
  const p = await unitKitPage(getDb(), Number(params.year), params.unit ?? '', user?.id ?? null, locale);
  if (p.status !== 'ok') notFound();
  const t = getT(locale);
  const year = p.ctx.week.year;
  const base = `/weeks/${year}/plans/${encodeURIComponent(p.ctx.unit.slug)}`;
  const card = `${base}/share-card.png${locale === 'en' ? '?lang=en' : ''}`;
  return json({
    title: t('outreach.kit.unitTitle', { unit: p.unitName, year }),
    year,
    theme: locale === 'en' ? p.ctx.week.theme_en : p.ctx.week.theme_vi,
    unit: { slug: p.ctx.unit.slug, name: p.unitName },
    planUrl: absoluteUrl(base),
    card,
    slogans: p.slogans.map((s) => ({
      id: s.id,
      text: s.text,
      own: s.own,
      unitName: unitName({ name: s.unitName, name_en: s.unitNameEn }, locale),
    })),
    suggested: p.suggested,
    news: newsViews(p.news.slice(0, 3), locale),
    canManage: p.ctx.canManage,
    published: p.ctx.plan?.status === 'published',
    share: { image: card },
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const db = getDb();
  const a = await kitAccess(db, Number(params.year), params.unit ?? '', user.id);
  if (a.status !== 'ok') notFound();
  const r = parseForm(sloganSchema, await request.formData());
  if (!r.ok) return badRequest({ errors: r.errors, values: r.values });
  const done = await sloganAction(db, user.id, { year: a.week.year, unitId: a.unit.id }, r.data);
  if (!done.ok) {
    const field = done.code === 'empty' || done.code === 'too_long' ? 'text' : '_form';
    return json(
      { errors: { [field]: outreachFailures[done.code].message } as FieldErrors, values: r.values },
      { status: outreachFailures[done.code].status },
    );
  }
  return redirectWithFlash(`/weeks/${a.week.year}/plans/${a.unit.slug}/outreach`, { message: done.value });
}

export default function UnitKit() {
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const { t } = useT();
  const base = `/weeks/${d.year}/plans/${d.unit.slug}`;
  return (
    <>
      <Breadcrumb
        items={[
          { to: `/weeks/${d.year}`, label: t('weeks.weekOfYear', { year: d.year }) },
          { to: base, label: d.unit.name },
          { label: t('outreach.kit.title') },
        ]}
      />
      <h1>{d.title}</h1>
      <p className="muted">
        {t('weeks.theme')}: {d.theme}
      </p>
      {!d.published ? <p className="notice">{t('outreach.kit.draftNote')}</p> : null}
      <section aria-labelledby="card-h">
        <h2 id="card-h">{t('outreach.card.heading')}</h2>
        <img
          className="share-card-preview"
          src={d.card}
          width={1200}
          height={630}
          alt={t('outreach.card.alt', { theme: d.theme, unit: d.unit.name })}
        />
        <p>
          <a href={d.card} download>
            {t('outreach.card.download')}
          </a>
        </p>
      </section>
      <ShareButtons url={d.planUrl} title={d.theme} />
      <section aria-labelledby="print-h">
        <h2 id="print-h">{t('outreach.kit.printables')}</h2>
        <ul className="kit-links">
          <li>
            <Link to={`${base}/banner`}>{t('outreach.banner.title')}</Link>
          </li>
          <li>
            <Link to={`${base}/poster`}>{t('outreach.poster.titleA4')}</Link> ·{' '}
            <Link to={`${base}/poster?size=a3`}>{t('outreach.poster.titleA3')}</Link>
          </li>
          <li>
            <Link to={`${base}/announcement`}>{t('outreach.announcement.title')}</Link>
          </li>
        </ul>
      </section>
      <SloganEditor slogans={d.slogans} suggested={d.suggested} canManage={d.canManage} errors={a?.errors ?? {}} values={a?.values ?? {}} />
      <section aria-labelledby="kit-news-h">
        <h2 id="kit-news-h">{t('outreach.news.heading')}</h2>
        <NewsList items={d.news} />
        <p>
          <Link to={`${base}/news`}>{d.canManage ? t('outreach.news.manage') : t('outreach.news.all')}</Link> ·{' '}
          <a href={`/units/${d.unit.slug}/news.atom`} type="application/atom+xml">
            {t('outreach.news.feed')}
          </a>
        </p>
      </section>
    </>
  );
}
