import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';

import { PrintButton } from '~/components/outreach/PrintButton';
import { printablePage } from '~/domain/outreach/kit.server';
import { useT } from '~/i18n/i18n';
import { detectLocale, getT } from '~/i18n/i18n.server';
import { getUser } from '~/lib/auth.server';
import { formatDate } from '~/lib/dates';
import { getDb } from '~/lib/db.server';
import { notFound } from '~/lib/http.server';
import styles from '~/styles/outreach.css';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => (data ? [{ title: data.title }] : []);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const locale = detectLocale(request);
  const user = await getUser(request);
  const p = await printablePage(getDb(), Number(params.year), params.unit ?? '', user?.id ?? null, locale);
  if (p.status !== 'ok') notFound();
  const t = getT(locale);
  // The main line: the theme (0) or one of the slogans (1…); anything else falls back to the theme.
  const lines = [p.theme, ...p.slogans];
  const raw = new URL(request.url).searchParams.get('line') ?? '0';
  const line = /^\d{1,3}$/.test(raw) && Number(raw) < lines.length ? Number(raw) : 0;
  return json({
    title: t('outreach.banner.pageTitle', { unit: p.unitName, year: p.ctx.week.year }),
    year: p.ctx.week.year,
    unit: { slug: p.ctx.unit.slug, name: p.unitName },
    lines,
    line,
    colours: p.colours,
    dates: `${formatDate(p.ctx.week.starts_on)} – ${formatDate(p.ctx.week.ends_on)}`,
  });
}

export default function Banner() {
  const d = useLoaderData<typeof loader>();
  const { t } = useT();
  const main = d.lines[d.line] ?? d.lines[0]!;
  const size = Math.min(4, 330 / Math.max(main.length, 1));
  return (
    <>
      {/* The banner's own paper: 5 m × 0.8 m, no margins (print shops scale the PDF as they need). */}
      <style>{'@media print { @page { size: 5000mm 800mm; margin: 0; } }'}</style>
      <div className="no-print printable-tools">
        <p>
          <Link to={`/weeks/${d.year}/plans/${d.unit.slug}/outreach`}>{t('outreach.kit.title')}</Link>
        </p>
        <h1>{d.title}</h1>
        <p className="muted">{t('outreach.banner.hint')}</p>
        <Form method="get" className="inline-form">
          <label htmlFor="line">{t('outreach.banner.line')}</label>{' '}
          <select id="line" name="line" defaultValue={String(d.line)}>
            {d.lines.map((l, i) => (
              <option key={i} value={i}>
                {i === 0 ? `${t('weeks.theme')}: ${l}` : l}
              </option>
            ))}
          </select>{' '}
          <button type="submit" className="button secondary">
            {t('outreach.banner.show')}
          </button>
        </Form>
        <p>
          <PrintButton label={t('outreach.banner.print')} />
        </p>
      </div>
      <div className="printable-scroll">
        <section className="banner" aria-label={t('outreach.banner.title')}>
          <div className="banner-inner" style={{ backgroundColor: d.colours.primary, borderColor: d.colours.accent }}>
            <p className="banner-top" style={{ color: d.colours.accent }}>
              {t('outreach.banner.top', { year: d.year })}
            </p>
            <p className="banner-main" style={{ fontSize: `${size}cqw` }}>
              {main}
            </p>
            <p className="banner-foot">
              {d.unit.name} · {d.dates}
            </p>
          </div>
        </section>
      </div>
    </>
  );
}
