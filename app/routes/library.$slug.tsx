import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';

import { Breadcrumb } from '~/components/Breadcrumb';
import { FormError } from '~/components/Field';
import { runCirculation } from '~/domain/library/actions.server';
import { canReadTitle, userHolds, userLoans } from '~/domain/library/circulation.server';
import { getTitleBySlug, librarianLibraries, subjectsOf, titleAvailability } from '~/domain/library/titles.server';
import { circulationSchema } from '~/forms/library-circulation';
import { useT } from '~/i18n/i18n';
import { detectLocale } from '~/i18n/i18n.server';
import { libraryAudienceLabel } from '~/i18n/labels';
import { getUser, requireUser } from '~/lib/auth.server';
import { formatDate, formatDateTime } from '~/lib/dates';
import { getDb } from '~/lib/db.server';
import { circulationResponse, type CirculationResult } from '~/lib/failures/library.server';
import { parseForm } from '~/lib/forms.server';
import { badRequest, notFound } from '~/lib/http.server';
import { pickLocal } from '~/lib/names';
import styles from '~/styles/library.css';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }];
export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data ? [{ title: data.book.title }, { name: 'description', content: data.book.description }] : [];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const db = getDb();
  const locale = detectLocale(request);
  const title = await getTitleBySlug(db, params.slug ?? '');
  if (!title) notFound();
  const user = await getUser(request);
  const now = new Date();
  const [availability, loans, holds, canRead, managed] = await Promise.all([
    titleAvailability(db, title.id, now),
    user ? userLoans(db, user.id, now) : [],
    user ? userHolds(db, user.id, now) : [],
    canReadTitle(db, user?.id ?? null, title.id, now),
    user ? librarianLibraries(db, user.id) : [],
  ]);
  const myLoan = loans.find((l) => l.title_id === title.id);
  return json({
    book: {
      slug: title.slug,
      title: title.title,
      author: title.author,
      description: title.description,
      subjects: subjectsOf(title),
      audience: title.audience,
      themeYear: title.theme_year,
      publisher: title.publisher,
      publishedYear: title.published_year,
      hasFile: !!title.file_path,
    },
    availability: availability.map((a) => ({ ...a, libraryName: pickLocal(a.libraryName, a.libraryNameEn, locale) })),
    myLoan: myLoan ? { id: myLoan.id, dueAt: myLoan.due_at, renewals: myLoan.renewals } : null,
    myHolds: holds
      .filter((h) => availability.some((a) => a.holdingId === h.holding_id))
      .map((h) => ({ id: h.id, holdingId: h.holding_id, status: h.status, position: h.position, expiresAt: h.expires_at })),
    signedIn: !!user,
    canRead,
    canEdit: managed.some((m) => availability.some((a) => a.libraryId === m.id)),
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const db = getDb();
  const title = await getTitleBySlug(db, params.slug ?? '');
  if (!title) notFound();
  const r = parseForm(circulationSchema, await request.formData());
  if (!r.ok) return badRequest<CirculationResult>({ ok: false, message: 'errors.invalid' });
  return circulationResponse(await runCirculation(db, user.id, r.data));
}

function WaitText({ days }: { days: number | null }) {
  const { t } = useT();
  if (days == null) return <>{t('library.title.noCopies')}</>;
  if (days === 0) return <>{t('library.title.noWait')}</>;
  return <>{t('library.title.waitDays', { count: days })}</>;
}

export default function TitlePage() {
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const { t } = useT();
  const nav = useNavigation();
  const busy = nav.state !== 'idle';
  return (
    <>
      <Breadcrumb items={[{ to: '/library', label: t('library.catalogue.title') }, { label: d.book.title }]} />
      <h1>{d.book.title}</h1>
      <p className="lead">{d.book.author}</p>
      {a ? (
        a.ok ? (
          <p className="flash" role="status">
            {t(a.message)}
          </p>
        ) : (
          <FormError error={a.message} />
        )
      ) : null}
      <p>{d.book.description}</p>
      <dl className="lib-meta">
        <dt>{t('library.catalogue.subject')}</dt>
        <dd>{d.book.subjects.join(', ')}</dd>
        <dt>{t('library.catalogue.audience')}</dt>
        <dd>{t(libraryAudienceLabel[d.book.audience])}</dd>
        {d.book.themeYear ? (
          <>
            <dt>{t('library.catalogue.themeYear')}</dt>
            <dd>
              <Link to={`/weeks/${d.book.themeYear}`}>{d.book.themeYear}</Link>
            </dd>
          </>
        ) : null}
        {d.book.publisher ? (
          <>
            <dt>{t('library.title.publisher')}</dt>
            <dd>
              {d.book.publisher}
              {d.book.publishedYear ? `, ${d.book.publishedYear}` : ''}
            </dd>
          </>
        ) : null}
      </dl>

      {d.myLoan ? (
        <section className="card" aria-labelledby="my-loan">
          <h2 id="my-loan">{t('library.title.yourLoan')}</h2>
          <p>{t('library.title.dueOn', { date: formatDate(d.myLoan.dueAt) })}</p>
          <Form method="post" className="actions">
            <input type="hidden" name="loanId" value={d.myLoan.id} />
            <Link to={`/library/${d.book.slug}/read`} className="button primary">
              {t('library.title.read')}
            </Link>
            <button type="submit" name="intent" value="renew" className="secondary" disabled={busy || d.myLoan.renewals > 0}>
              {t('library.title.renew')}
            </button>
            <button type="submit" name="intent" value="return" className="danger" disabled={busy}>
              {t('library.title.return')}
            </button>
          </Form>
          {d.myLoan.renewals > 0 ? <p className="muted">{t('library.title.renewedOnce')}</p> : null}
        </section>
      ) : d.canRead && d.book.hasFile ? (
        <p className="actions">
          <Link to={`/library/${d.book.slug}/read`} className="button primary">
            {t('library.title.read')}
          </Link>
          <a href={`/library/${d.book.slug}/file`} className="button secondary" download={`${d.book.slug}.epub`}>
            {t('library.title.download')}
          </a>
        </p>
      ) : null}

      <section aria-labelledby="availability">
        <h2 id="availability">{t('library.title.availability')}</h2>
        <div className="table-wrap">
          <table className="data lib-availability">
            <thead>
              <tr>
                <th scope="col">{t('library.catalogue.library')}</th>
                <th scope="col">{t('library.title.status')}</th>
                <th scope="col">{t('library.title.queue')}</th>
                <th scope="col">{t('common.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {d.availability.map((h) => {
                const hold = d.myHolds.find((x) => x.holdingId === h.holdingId);
                return (
                  <tr key={h.holdingId}>
                    <th scope="row">{h.libraryName}</th>
                    <td>
                      {h.openAccess ? (
                        <span className="badge">{t('library.title.openAccess')}</span>
                      ) : (
                        <>
                          {t('library.title.copiesAvailable', { available: h.available, copies: h.copies })}
                          <br />
                          <span className="muted">{t('library.title.loanPeriod', { count: h.loanDays })}</span>
                        </>
                      )}
                    </td>
                    <td>
                      {h.openAccess ? (
                        '—'
                      ) : (
                        <>
                          {t('library.title.queueLength', { count: h.queue })}
                          <br />
                          <span className="muted">
                            <WaitText days={h.estimatedWaitDays} />
                          </span>
                        </>
                      )}
                    </td>
                    <td>
                      {h.openAccess ? null : !d.signedIn ? (
                        <Link to={`/login?redirectTo=/library/${d.book.slug}`}>{t('library.title.signInToBorrow')}</Link>
                      ) : d.myLoan ? null : hold ? (
                        hold.status === 'ready' ? (
                          <Form method="post">
                            <p>{t('library.title.readyUntil', { date: formatDateTime(hold.expiresAt!) })}</p>
                            <input type="hidden" name="holdingId" value={h.holdingId} />
                            <button type="submit" name="intent" value="borrow" className="primary" disabled={busy}>
                              {t('library.title.borrow')}
                            </button>
                          </Form>
                        ) : (
                          <p>
                            {t('library.shelf.position', { position: hold.position })} ·{' '}
                            <Link to="/library/shelf">{t('library.shelf.title')}</Link>
                          </p>
                        )
                      ) : (
                        <Form method="post">
                          <input type="hidden" name="holdingId" value={h.holdingId} />
                          {h.available > 0 ? (
                            <button type="submit" name="intent" value="borrow" className="primary" disabled={busy}>
                              {t('library.title.borrow')}
                            </button>
                          ) : h.copies > 0 ? (
                            <button type="submit" name="intent" value="hold" className="secondary" disabled={busy}>
                              {t('library.title.placeHold')}
                            </button>
                          ) : null}
                        </Form>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </section>
      {d.canEdit ? (
        <p>
          <Link to={`/library/${d.book.slug}/edit`} className="button secondary">
            {t('library.edit.title')}
          </Link>
        </p>
      ) : null}
    </>
  );
}
