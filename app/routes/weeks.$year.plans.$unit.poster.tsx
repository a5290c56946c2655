import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import QRCode from 'qrcode';

import { PrintButton } from '~/components/outreach/PrintButton';
import { printablePage } from '~/domain/outreach/kit.server';
import { useT } from '~/i18n/i18n';
import { detectLocale, getT } from '~/i18n/i18n.server';
import { getUser } from '~/lib/auth.server';
import { formatDate, formatTime } from '~/lib/dates';
import { getDb } from '~/lib/db.server';
import { notFound } from '~/lib/http.server';
import { absoluteUrl } from '~/lib/origin.server';
import styles from '~/styles/outreach.css';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => (data ? [{ title: data.title }] : []);

const SIZES = { a4: { w: 210, h: 297 }, a3: { w: 297, h: 420 } } as const;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const locale = detectLocale(request);
  const user = await getUser(request);
  const p = await printablePage(getDb(), Number(params.year), params.unit ?? '', user?.id ?? null, locale);
  if (p.status !== 'ok') notFound();
  const t = getT(locale);
  const q = new URL(request.url).searchParams;
  const size: keyof typeof SIZES = q.get('size') === 'a3' ? 'a3' : 'a4';
  const raw = q.get('slogan') ?? '0';
  const slogan = /^\d{1,3}$/.test(raw) && Number(raw) < p.slogans.length ? Number(raw) : 0;
  const planUrl = absoluteUrl(`/weeks/${p.ctx.week.year}/plans/${encodeURIComponent(p.ctx.unit.slug)}`);
  // Server-rendered SVG: no script needed to show or print the QR code.
  const qrSvg = await QRCode.toString(planUrl, {
    type: 'svg',
    errorCorrectionLevel: 'M',
    margin: 1,
    color: { dark: '#000000', light: '#ffffff' },
  });
  return json({
    title: t('outreach.poster.pageTitle', { unit: p.unitName, year: p.ctx.week.year }),
    year: p.ctx.week.year,
    unit: { slug: p.ctx.unit.slug, name: p.unitName },
    theme: p.theme,
    slogans: p.slogans,
    slogan,
    size,
    colours: p.colours,
    dates: `${formatDate(p.ctx.week.starts_on)} – ${formatDate(p.ctx.week.ends_on)}`,
    opening: { at: p.opening.at, place: p.opening.place },
    planUrl,
    qrSvg,
  });
}

export default function Poster() {
  const d = useLoaderData<typeof loader>();
  const { t } = useT();
  const paper = SIZES[d.size];
  return (
    <>
      <style>{`@media print { @page { size: ${paper.w}mm ${paper.h}mm; margin: 0; } .poster { width: ${paper.w}mm; height: ${paper.h - 0.5}mm; } }`}</style>
      <div className="no-print printable-tools">
        <p>
          <Link to={`/weeks/${d.year}/plans/${d.unit.slug}/outreach`}>{t('outreach.kit.title')}</Link>
        </p>
        <h1>{d.title}</h1>
        <p className="muted">{t('outreach.poster.hint')}</p>
        <Form method="get" className="poster-options">
          <div className="field">
            <label htmlFor="size">{t('outreach.poster.size')}</label>
            <select id="size" name="size" defaultValue={d.size}>
              <option value="a4">A4 (210 × 297 mm)</option>
              <option value="a3">A3 (297 × 420 mm)</option>
            </select>
          </div>
          <div className="field">
            <label htmlFor="slogan">{t('outreach.poster.slogan')}</label>
            <select id="slogan" name="slogan" defaultValue={String(d.slogan)}>
              {d.slogans.map((s, i) => (
                <option key={i} value={i}>
                  {s}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" className="button secondary">
            {t('outreach.banner.show')}
          </button>
        </Form>
        <p>
          <PrintButton label={t('outreach.poster.print')} />
        </p>
      </div>
      <article className={`poster poster-${d.size}`} aria-label={t('outreach.poster.title')}>
        <div className="poster-inner" style={{ backgroundColor: d.colours.primary, borderColor: d.colours.accent }}>
          <p className="poster-eyebrow" style={{ color: d.colours.accent }}>
            {t('outreach.banner.top', { year: d.year })}
          </p>
          <p className="poster-theme">{d.theme}</p>
          <p className="poster-slogan" style={{ borderColor: d.colours.accent }}>
            {d.slogans[d.slogan]}
          </p>
          <dl className="poster-facts">
            <div>
              <dt style={{ color: d.colours.accent }}>{t('outreach.poster.dates')}</dt>
              <dd>{d.dates}</dd>
            </div>
            <div>
              <dt style={{ color: d.colours.accent }}>{t('outreach.poster.opening')}</dt>
              <dd>
                {formatTime(d.opening.at)} · {formatDate(d.opening.at)} · {d.opening.place}
              </dd>
            </div>
          </dl>
          <div className="poster-foot">
            <div className="poster-qr" role="img" aria-label={t('outreach.poster.qr')} dangerouslySetInnerHTML={{ __html: d.qrSvg }} />
            <div>
              <p className="poster-unit">{d.unit.name}</p>
              <p className="poster-scan">{t('outreach.poster.scan')}</p>
              <p className="poster-url">{d.planUrl}</p>
            </div>
          </div>
        </div>
      </article>
    </>
  );
}
