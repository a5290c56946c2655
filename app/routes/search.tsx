import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';

import { FilterFields } from '~/components/oer/FilterFields';
import { filtersFromParams, weekYears } from '~/domain/oer/resources.server';
import type { SnippetPart } from '~/domain/search/fold';
import { search, type SearchFilters } from '~/domain/search/index.server';
import { getUnitBySlug } from '~/domain/units.server';
import { useT } from '~/i18n/i18n';
import { detectLocale, getT } from '~/i18n/i18n.server';
import { getDb } from '~/lib/db.server';
import { pageParam } from '~/lib/http.server';
import { keyFor, LICENCE_KEYS } from '~/lib/licences';
import oerStyles from '~/styles/oer.css';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: oerStyles }];
export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data ? [{ title: data.title }, { name: 'robots', content: 'noindex' }] : [];

export async function loader({ request }: LoaderFunctionArgs) {
  const db = getDb();
  const url = new URL(request.url);
  const q = (url.searchParams.get('q') ?? '').slice(0, 200);
  const page = pageParam(url);
  const f: SearchFilters = { ...filtersFromParams(url.searchParams) };
  const source = url.searchParams.get('source');
  if (source === 'resource' || source === 'title' || source === 'course') f.source = source;
  const unitSlug = url.searchParams.get('unit');
  if (unitSlug) {
    const u = await getUnitBySlug(db, unitSlug);
    if (u) f.unitId = u.id;
  }
  const t = getT(detectLocale(request));
  const [result, years] = await Promise.all([search(db, q, f, { limit: 20, offset: (page - 1) * 20 }), weekYears(db)]);
  return json({
    title: q ? `${q} · ${t('oer.search.title')}` : t('oer.search.title'),
    q,
    result,
    page,
    years,
    values: Object.fromEntries(url.searchParams),
  });
}

/** Badge labels as literal keys (a key is never built from data: an unknown value shows no badge). */
const SOURCE_KEYS = {
  resource: 'oer.search.sources.resource',
  title: 'oer.search.sources.title',
  course: 'oer.search.sources.course',
} as const;
const KIND_KEYS = {
  video: 'oer.kinds.video',
  document: 'oer.kinds.document',
  article: 'oer.kinds.article',
  periodical: 'oer.kinds.periodical',
  audio: 'oer.kinds.audio',
  slides: 'oer.kinds.slides',
  interactive: 'oer.kinds.interactive',
  simulation: 'oer.kinds.simulation',
} as const;

function Badge({ k }: { k: Parameters<ReturnType<typeof useT>['t']>[0] | undefined }) {
  const { t } = useT();
  return k ? <span className="badge">{t(k)}</span> : null;
}

function Parts({ parts }: { parts: SnippetPart[] }) {
  return <>{parts.map((p, i) => (p.hit ? <mark key={i}>{p.text}</mark> : <span key={i}>{p.text}</span>))}</>;
}

export default function SearchPage() {
  const d = useLoaderData<typeof loader>();
  const { t } = useT();
  const qs = (page: number) => {
    const p = new URLSearchParams(d.values);
    p.set('page', String(page));
    return `?${p}`;
  };
  return (
    <>
      <h1>{t('oer.search.title')}</h1>
      <Form method="get" role="search" className="card">
        <div className="oer-search-form">
          <div className="field">
            <label htmlFor="q">{t('oer.search.label')}</label>
            <p id="q-hint" className="field-hint">
              {t('oer.search.hint')}
            </p>
            <input
              id="q"
              name="q"
              type="search"
              defaultValue={d.q}
              placeholder={t('oer.search.placeholder')}
              aria-describedby="q-hint"
              autoComplete="off"
            />
          </div>
          <button type="submit" className="primary">
            {t('oer.search.submit')}
          </button>
        </div>
        <details open={Object.keys(d.values).some((k) => k !== 'q' && k !== 'page' && d.values[k])}>
          <summary>{t('oer.search.filters')}</summary>
          <div className="field">
            <label htmlFor="flt-source">{t('oer.search.source')}</label>
            <select id="flt-source" name="source" defaultValue={d.values.source ?? ''}>
              <option value="">{t('oer.all')}</option>
              <option value="resource">{t('oer.search.sources.resource')}</option>
              <option value="title">{t('oer.search.sources.title')}</option>
              <option value="course">{t('oer.search.sources.course')}</option>
            </select>
          </div>
          <FilterFields values={d.values} years={d.years} />
        </details>
      </Form>
      <p role="status">
        {d.result.needsTerm
          ? t('oer.search.needsTerm')
          : d.q
            ? t(d.result.totalExact ? 'oer.search.results' : 'oer.search.resultsMany', { count: d.result.total, q: d.q })
            : t('oer.search.resultsAll', { count: d.result.total })}
      </p>
      {d.result.hits.length === 0 && !d.result.needsTerm ? <p>{t('oer.search.none')}</p> : null}
      <ol className="oer-hits">
        {d.result.hits.map((h) => (
          <li key={`${h.source}:${h.id}`}>
            <h2 className="oer-hit-title">
              <Link to={h.url}>
                <Parts parts={h.titleParts} />
              </Link>
            </h2>
            <p className="oer-meta">
              <Badge k={keyFor(SOURCE_KEYS, h.source)} /> {h.source === 'resource' ? <Badge k={keyFor(KIND_KEYS, h.kind)} /> : null}{' '}
              <Badge k={keyFor(LICENCE_KEYS, h.licence)} />
            </p>
            <p>
              <Parts parts={h.snippet} />
            </p>
          </li>
        ))}
      </ol>
      <nav className="actions" aria-label={t('oer.page', { page: d.page })}>
        {d.page > 1 ? <Link to={qs(d.page - 1)}>{t('oer.prev')}</Link> : null}
        {d.page * 20 < d.result.total ? <Link to={qs(d.page + 1)}>{t('oer.next')}</Link> : null}
      </nav>
    </>
  );
}
