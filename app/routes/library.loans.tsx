import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';

import { Breadcrumb } from '~/components/Breadcrumb';
import { FilterSelect } from '~/components/Field';
import { deskAccess } from '~/domain/library/access.server';
import { type DeskHold, libraryDesk } from '~/domain/library/desk.server';
import { deskFilterSchema } from '~/forms/library-desk';
import { useT } from '~/i18n/i18n';
import { detectLocale, getT } from '~/i18n/i18n.server';
import { requireUser } from '~/lib/auth.server';
import { formatDate, formatDateTime } from '~/lib/dates';
import { getDb } from '~/lib/db.server';
import { forbidden, notFound } from '~/lib/http.server';
import { localName } from '~/lib/names';
import styles from '~/styles/library.css';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? '' }, { name: 'robots', content: 'noindex' }];

/** The librarian's desk: current loans and hold queues of their libraries (never reading history). */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const db = getDb();
  const locale = detectLocale(request);
  const f = deskFilterSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const access = await deskAccess(db, user.id, f.library);
  if (access.status === 'forbidden') forbidden();
  if (access.status === 'missing') notFound();
  const view = f.show ?? 'all';
  const desk = await libraryDesk(db, access, view);
  const names = new Map(access.libraries.map((l) => [l.id, localName(l, locale)]));
  return json({
    title: getT(locale)('library.desk.title'),
    filters: { library: access.library?.slug ?? '', show: view },
    libraries: access.libraries.map((l) => ({ slug: l.slug, name: localName(l, locale) })),
    oneLibrary: access.libraries.length === 1,
    counts: desk.counts,
    loans: desk.loans.map((l) => ({ ...l, library: names.get(l.libraryId) ?? '' })),
    holds: desk.holds.map((h) => ({ ...h, library: names.get(h.libraryId) ?? '' })),
  });
}

const HOLD_STATUS_KEYS = {
  waiting: 'library.desk.holdStatus.waiting',
  suspended: 'library.desk.holdStatus.suspended',
  ready: 'library.desk.holdStatus.ready',
} as const satisfies Record<DeskHold['status'], string>;

export default function LibraryDesk() {
  const d = useLoaderData<typeof loader>();
  const { t } = useT();
  return (
    <>
      <Breadcrumb items={[{ to: '/library', label: t('library.catalogue.title') }, { label: t('library.desk.title') }]} />
      <h1>{t('library.desk.title')}</h1>
      <p className="muted">{t('library.desk.privacy')}</p>
      <Form method="get" className="card lib-filters" role="search" aria-label={t('library.desk.filters')}>
        <div className="form-grid">
          {d.oneLibrary ? null : (
            <FilterSelect
              id="desk-library"
              name="library"
              label={t('library.catalogue.library')}
              value={d.filters.library}
              anyLabel={t('library.desk.allLibraries')}
              options={d.libraries.map((l) => ({ value: l.slug, label: l.name }))}
            />
          )}
          <FilterSelect
            id="desk-show"
            name="show"
            label={t('library.desk.show')}
            value={d.filters.show === 'all' ? '' : d.filters.show}
            anyLabel={t('library.desk.views.all')}
            options={[
              { value: 'overdue', label: t('library.desk.views.overdue') },
              { value: 'ready', label: t('library.desk.views.ready') },
            ]}
          />
        </div>
        <div className="actions">
          <button type="submit" className="primary">
            {t('library.catalogue.apply')}
          </button>
        </div>
      </Form>
      <p role="status">
        {t('library.desk.summary', {
          loans: d.counts.loans,
          overdue: d.counts.overdue,
          waiting: d.counts.waiting,
          ready: d.counts.ready,
        })}
      </p>

      {d.filters.show !== 'ready' ? (
        <section aria-labelledby="desk-loans">
          <h2 id="desk-loans">{d.filters.show === 'overdue' ? t('library.desk.overdueLoans') : t('library.desk.loans')}</h2>
          {d.loans.length === 0 ? (
            <p className="muted">{t('library.desk.noLoans')}</p>
          ) : (
            <div className="table-scroll" role="region" aria-labelledby="desk-loans">
              <table className="data">
                <thead>
                  <tr>
                    <th scope="col">{t('library.desk.book')}</th>
                    <th scope="col">{t('library.desk.library')}</th>
                    <th scope="col">{t('library.desk.reader')}</th>
                    <th scope="col">{t('library.desk.borrowed')}</th>
                    <th scope="col">{t('library.desk.due')}</th>
                  </tr>
                </thead>
                <tbody>
                  {d.loans.map((l) => (
                    <tr key={l.id}>
                      <td>
                        <Link to={`/library/${l.slug}`}>{l.title}</Link>
                      </td>
                      <td>{l.library}</td>
                      <td>{l.borrower}</td>
                      <td>{formatDate(l.borrowedAt)}</td>
                      <td>
                        {formatDate(l.dueAt)}
                        {l.overdue ? (
                          <>
                            {' '}
                            <span className="badge draft">{t('library.desk.overdue')}</span>
                          </>
                        ) : null}
                        {l.renewals > 0 ? <span className="muted"> · {t('library.desk.renewed')}</span> : null}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      ) : null}

      {d.filters.show !== 'overdue' ? (
        <section aria-labelledby="desk-holds">
          <h2 id="desk-holds">{d.filters.show === 'ready' ? t('library.desk.readyHolds') : t('library.desk.holds')}</h2>
          {d.holds.length === 0 ? (
            <p className="muted">{t('library.desk.noHolds')}</p>
          ) : (
            <div className="table-scroll" role="region" aria-labelledby="desk-holds">
              <table className="data">
                <thead>
                  <tr>
                    <th scope="col">{t('library.desk.book')}</th>
                    <th scope="col">{t('library.desk.library')}</th>
                    <th scope="col">{t('library.desk.reader')}</th>
                    <th scope="col">{t('library.desk.status')}</th>
                    <th scope="col">{t('library.desk.since')}</th>
                  </tr>
                </thead>
                <tbody>
                  {d.holds.map((h) => (
                    <tr key={h.id}>
                      <td>
                        <Link to={`/library/${h.slug}`}>{h.title}</Link>
                      </td>
                      <td>{h.library}</td>
                      <td>{h.reader}</td>
                      <td>
                        {t(HOLD_STATUS_KEYS[h.status])}
                        {h.status === 'ready' && h.expiresAt
                          ? ` · ${t('library.desk.collectBy', { date: formatDateTime(h.expiresAt) })}`
                          : ` · ${t('library.desk.position', { position: h.position })}`}
                      </td>
                      <td>{formatDate(h.queuedAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      ) : null}
    </>
  );
}
