import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';

import { FormError } from '~/components/Field';
import { runCirculation } from '~/domain/library/actions.server';
import { userHolds, userLoans, userNotifications } from '~/domain/library/circulation.server';
import { historyEnabled, readingHistory } from '~/domain/library/reading.server';
import { memberShelves } from '~/domain/library/shelves.server';
import { circulationSchema } from '~/forms/library-circulation';
import { useT } from '~/i18n/i18n';
import { detectLocale, getT } from '~/i18n/i18n.server';
import { notifyLabel } from '~/i18n/labels';
import { requireUser } from '~/lib/auth.server';
import { formatDate, formatDateTime } from '~/lib/dates';
import { getDb } from '~/lib/db.server';
import { circulationResponse, type CirculationResult } from '~/lib/failures/library.server';
import { parseForm } from '~/lib/forms.server';
import { badRequest } from '~/lib/http.server';
import { pickLocal } from '~/lib/names';
import styles from '~/styles/library.css';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? '' }];

const DAY = 24 * 3600_000;

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const db = getDb();
  const now = new Date();
  const locale = detectLocale(request);
  const [loans, holds, notes, history, enabled, shelves] = await Promise.all([
    userLoans(db, user.id, now),
    userHolds(db, user.id, now),
    userNotifications(db, user.id),
    readingHistory(db, user.id),
    historyEnabled(db, user.id),
    memberShelves(db, user.id),
  ]);
  const lib = (r: { library_name: string; library_name_en: string | null }) => pickLocal(r.library_name, r.library_name_en, locale);
  return json({
    title: getT(locale)('library.shelf.title'),
    loans: loans.map((l) => ({
      id: l.id,
      slug: l.slug,
      title: l.title,
      library: lib(l),
      dueAt: l.due_at,
      daysLeft: Math.max(0, Math.ceil((new Date(l.due_at).getTime() - now.getTime()) / DAY)),
      renewed: l.renewals > 0,
    })),
    holds: holds.map((h) => ({
      id: h.id,
      slug: h.slug,
      title: h.title,
      library: lib(h),
      status: h.status,
      position: h.position,
      expiresAt: h.expires_at,
    })),
    notifications: notes.map((n) => ({ id: n.id, kind: n.kind, title: n.title, slug: n.slug, at: n.created_at, unread: !n.read_at })),
    history,
    historyEnabled: enabled,
    shelves,
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const r = parseForm(circulationSchema, await request.formData());
  if (!r.ok) return badRequest<CirculationResult>({ ok: false, message: 'errors.invalid' });
  return circulationResponse(await runCirculation(getDb(), user.id, r.data));
}

export default function Shelf() {
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const { t } = useT();
  const unread = d.notifications.filter((n) => n.unread);
  return (
    <>
      <h1>{t('library.shelf.title')}</h1>
      {a ? (
        a.ok ? (
          <p className="flash" role="status">
            {t(a.message)}
          </p>
        ) : (
          <FormError error={a.message} />
        )
      ) : null}
      {unread.length > 0 ? (
        <section className="card" aria-labelledby="notes-h">
          <h2 id="notes-h">{t('library.shelf.notifications')}</h2>
          <ul>
            {unread.map((n) => (
              <li key={n.id}>
                {formatDateTime(n.at)} —{' '}
                {n.slug ? (
                  <Link to={`/library/${n.slug}`}>{t(notifyLabel[n.kind], { title: n.title })}</Link>
                ) : (
                  t(notifyLabel[n.kind], { title: '' })
                )}
              </li>
            ))}
          </ul>
          <Form method="post">
            <button type="submit" name="intent" value="read-notifications" className="secondary small">
              {t('library.shelf.markRead')}
            </button>
          </Form>
        </section>
      ) : null}

      <section aria-labelledby="loans-h">
        <h2 id="loans-h">{t('library.shelf.loans', { count: d.loans.length })}</h2>
        {d.loans.length === 0 ? <p className="muted">{t('library.shelf.noLoans')}</p> : null}
        <ul className="stack" style={{ listStyle: 'none', padding: 0 }}>
          {d.loans.map((l) => (
            <li key={l.id} className="card">
              <h3 style={{ marginTop: 0 }}>
                <Link to={`/library/${l.slug}`}>{l.title}</Link>
              </h3>
              <p>
                {l.library} · {t('library.shelf.daysLeft', { count: l.daysLeft, date: formatDate(l.dueAt) })}
              </p>
              <Form method="post" className="actions">
                <input type="hidden" name="loanId" value={l.id} />
                <Link to={`/library/${l.slug}/read`} className="button primary">
                  {t('library.title.read')}
                </Link>
                <button type="submit" name="intent" value="renew" className="secondary" disabled={l.renewed}>
                  {t('library.title.renew')}
                </button>
                <button type="submit" name="intent" value="return" className="danger">
                  {t('library.title.return')}
                </button>
              </Form>
              {l.renewed ? <p className="muted">{t('library.title.renewedOnce')}</p> : null}
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="holds-h">
        <h2 id="holds-h">{t('library.shelf.holds', { count: d.holds.length })}</h2>
        {d.holds.length === 0 ? <p className="muted">{t('library.shelf.noHolds')}</p> : null}
        <ul className="stack" style={{ listStyle: 'none', padding: 0 }}>
          {d.holds.map((h) => (
            <li key={h.id} className="card" data-hold={h.slug}>
              <h3 style={{ marginTop: 0 }}>
                <Link to={`/library/${h.slug}`}>{h.title}</Link>
              </h3>
              <p>
                {h.library} ·{' '}
                {h.status === 'ready'
                  ? t('library.title.readyUntil', { date: formatDateTime(h.expiresAt!) })
                  : h.status === 'suspended'
                    ? t('library.shelf.suspendedAt', { position: h.position })
                    : t('library.shelf.position', { position: h.position })}
              </p>
              <Form method="post" className="actions">
                <input type="hidden" name="holdId" value={h.id} />
                {h.status === 'ready' ? (
                  <Link to={`/library/${h.slug}`} className="button primary">
                    {t('library.title.borrow')}
                  </Link>
                ) : null}
                {h.status === 'waiting' ? (
                  <button type="submit" name="intent" value="suspend" className="secondary">
                    {t('library.shelf.suspend')}
                  </button>
                ) : null}
                {h.status === 'suspended' ? (
                  <button type="submit" name="intent" value="resume" className="secondary">
                    {t('library.shelf.resume')}
                  </button>
                ) : null}
                <button type="submit" name="intent" value="cancel" className="danger">
                  {t('library.shelf.cancelHold')}
                </button>
              </Form>
            </li>
          ))}
        </ul>
      </section>

      {d.shelves.length > 0 ? (
        <section aria-labelledby="shelves-h">
          <h2 id="shelves-h">{t('library.bookshelves.mine')}</h2>
          <ul>
            {d.shelves.map((s) => (
              <li key={s.id}>
                <Link to={`/bookshelves/${s.id}`}>{s.name}</Link>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <section aria-labelledby="history-h">
        <h2 id="history-h">{t('library.shelf.history')}</h2>
        <p>
          <Link to="/library/notes">{t('library.notes.title')}</Link>
        </p>
        <Form method="post" className="actions">
          <input type="hidden" name="enabled" value={d.historyEnabled ? '0' : '1'} />
          <p>{d.historyEnabled ? t('library.shelf.historyIsOn') : t('library.shelf.historyIsOff')}</p>
          <button type="submit" name="intent" value="history" className="secondary" aria-pressed={d.historyEnabled}>
            {d.historyEnabled ? t('library.shelf.turnHistoryOff') : t('library.shelf.turnHistoryOn')}
          </button>
        </Form>
        {d.history.length === 0 ? (
          <p className="muted">{t('library.shelf.noHistory')}</p>
        ) : (
          <>
            <ul>
              {d.history.map((h) => (
                <li key={h.slug}>
                  <Link to={`/library/${h.slug}`}>{h.title}</Link> <span className="muted">— {formatDateTime(h.last_opened_at)}</span>
                </li>
              ))}
            </ul>
            <Form method="post">
              <button type="submit" name="intent" value="clear-history" className="danger">
                {t('library.shelf.clearHistory')}
              </button>
            </Form>
          </>
        )}
      </section>
    </>
  );
}
