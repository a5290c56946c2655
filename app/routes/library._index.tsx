import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';

import { FilterSelect } from '~/components/Field';
import { LIB_AUDIENCES } from '~/db/schema/library';
import {
  type CatalogueAvailability,
  catalogueAvailability,
  catalogueFacets,
  librarianLibraries,
  listTitles,
  subjectsOf,
} from '~/domain/library/titles.server';
import { catalogueFilterSchema } from '~/forms/library-catalogue';
import { useT } from '~/i18n/i18n';
import { detectLocale, getT } from '~/i18n/i18n.server';
import { libraryAudienceLabel } from '~/i18n/labels';
import { getUser } from '~/lib/auth.server';
import { getDb } from '~/lib/db.server';
import { localName } from '~/lib/names';
import styles from '~/styles/library.css';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? '' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const db = getDb();
  const locale = detectLocale(request);
  const url = new URL(request.url);
  const f = catalogueFilterSchema.parse(Object.fromEntries(url.searchParams));
  const facets = await catalogueFacets(db);
  const library = f.library ? facets.libraries.find((l) => l.slug === f.library) : undefined;
  const result = await listTitles(db, {
    libraryId: library?.id,
    subject: f.subject,
    audience: f.audience,
    themeYear: f.year,
    q: f.q,
    page: f.page,
  });
  const availability = await catalogueAvailability(
    db,
    result.titles.map((x) => x.id),
    library?.id,
  );
  const user = await getUser(request);
  const managed = user ? await librarianLibraries(db, user.id) : [];
  const t = getT(locale);
  return json({
    title: `${t('library.catalogue.title')} · ${t('common.siteName')}`,
    filters: {
      library: library?.slug ?? '',
      subject: f.subject ?? '',
      audience: f.audience ?? '',
      year: f.year ? String(f.year) : '',
      q: f.q ?? '',
    },
    facets: {
      libraries: facets.libraries.map((l) => ({ slug: l.slug, name: localName(l, locale) })),
      subjects: facets.subjects,
      years: facets.years,
    },
    titles: result.titles.map((x) => ({
      slug: x.slug,
      title: x.title,
      author: x.author,
      audience: x.audience,
      subjects: subjectsOf(x),
      year: x.theme_year,
      availability: availability.get(x.id) ?? 'on_loan',
    })),
    page: result.page,
    hasMore: result.hasMore,
    signedIn: !!user,
    isLibrarian: managed.length > 0,
  });
}

const AVAILABILITY_KEYS = {
  open: 'library.catalogue.availability.open',
  available: 'library.catalogue.availability.available',
  on_loan: 'library.catalogue.availability.onLoan',
} as const satisfies Record<CatalogueAvailability, string>;

export default function Catalogue() {
  const d = useLoaderData<typeof loader>();
  const { t } = useT();
  const pageLink = (p: number) => {
    const sp = new URLSearchParams(Object.entries(d.filters).filter(([, v]) => v));
    sp.set('page', String(p));
    return `?${sp}`;
  };
  return (
    <>
      <h1>{t('library.catalogue.title')}</h1>
      <p className="muted">{t('library.catalogue.intro')}</p>
      <div className="actions">
        {d.signedIn ? (
          <Link to="/library/shelf" className="button secondary">
            {t('library.shelf.title')}
          </Link>
        ) : null}
        <Link to="/bookshelves" className="button secondary">
          {t('library.bookshelves.title')}
        </Link>
        {d.isLibrarian ? (
          <>
            <Link to="/library/upload" className="button secondary">
              {t('library.upload.title')}
            </Link>
            <Link to="/library/rotations" className="button secondary">
              {t('library.rotations.title')}
            </Link>
            <Link to="/library/loans" className="button secondary">
              {t('library.desk.link')}
            </Link>
          </>
        ) : null}
      </div>
      <Form method="get" className="card lib-filters" role="search" aria-label={t('library.catalogue.filters')}>
        <div className="form-grid">
          <div className="field">
            <label htmlFor="f-q">{t('library.catalogue.q')}</label>
            <input id="f-q" name="q" type="search" defaultValue={d.filters.q} maxLength={100} />
          </div>
          <FilterSelect
            id="f-library"
            name="library"
            label={t('library.catalogue.library')}
            value={d.filters.library}
            anyLabel={t('library.catalogue.all')}
            options={d.facets.libraries.map((l) => ({ value: l.slug, label: l.name }))}
          />
          <FilterSelect
            id="f-subject"
            name="subject"
            label={t('library.catalogue.subject')}
            value={d.filters.subject}
            anyLabel={t('library.catalogue.all')}
            options={d.facets.subjects.map((s) => ({ value: s, label: s }))}
          />
          <FilterSelect
            id="f-audience"
            name="audience"
            label={t('library.catalogue.audience')}
            value={d.filters.audience}
            anyLabel={t('library.catalogue.all')}
            options={LIB_AUDIENCES.map((a) => ({ value: a, label: t(libraryAudienceLabel[a]) }))}
          />
          <FilterSelect
            id="f-year"
            name="year"
            label={t('library.catalogue.themeYear')}
            value={d.filters.year}
            anyLabel={t('library.catalogue.all')}
            options={d.facets.years.map((y) => ({ value: y, label: y }))}
          />
        </div>
        <div className="actions">
          <button type="submit" className="primary">
            {t('library.catalogue.apply')}
          </button>
          <Link to="/library" className="button secondary">
            {t('library.catalogue.reset')}
          </Link>
        </div>
      </Form>
      {d.titles.length === 0 ? <p className="muted">{t('library.catalogue.empty')}</p> : null}
      <ul className="grid lib-titles">
        {d.titles.map((x) => (
          <li key={x.slug} className="card lib-title-card">
            {/* Decorative: the title is the heading beside it. */}
            <img className="lib-cover" src={`/library/${x.slug}/cover.svg`} alt="" width={75} height={112} loading="lazy" />
            <div>
              <h2 className="lib-title-name">
                <Link to={`/library/${x.slug}`}>{x.title}</Link>
              </h2>
              <p>{x.author}</p>
              <p>
                <span className={`badge lib-avail lib-avail-${x.availability}`}>{t(AVAILABILITY_KEYS[x.availability])}</span>
              </p>
              <p className="muted">
                <span className="badge">{t(libraryAudienceLabel[x.audience])}</span> {x.subjects.join(', ')}
                {x.year ? ` · ${t('library.catalogue.themeOf', { year: x.year })}` : ''}
              </p>
            </div>
          </li>
        ))}
      </ul>
      <nav className="actions" aria-label={t('library.catalogue.pages')}>
        {d.page > 1 ? (
          <Link to={pageLink(d.page - 1)} className="button secondary">
            {t('library.catalogue.prev')}
          </Link>
        ) : null}
        {d.hasMore ? (
          <Link to={pageLink(d.page + 1)} className="button secondary">
            {t('library.catalogue.next')}
          </Link>
        ) : null}
      </nav>
    </>
  );
}
