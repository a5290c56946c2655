/**
 * The reader page of a lending-only book that the visitor has not borrowed (or a visitor who is
 * signed out): what it takes to read it, with the borrow or hold action and the availability,
 * in place of a refusal page. The forms post to the title page, which does the circulation.
 */
import { Form, Link } from '@remix-run/react';

import { Breadcrumb } from '~/components/Breadcrumb';
import { useT } from '~/i18n/i18n';
import { formatDateTime } from '~/lib/dates';

export interface BorrowToReadData {
  book: { slug: string; title: string; author: string };
  signedIn: boolean;
  availability: Array<{
    holdingId: string;
    libraryName: string;
    copies: number;
    available: number;
    queue: number;
    loanDays: number;
    estimatedWaitDays: number | null;
  }>;
  holds: Array<{ holdingId: string; status: string; position: number; expiresAt: string | null }>;
}

export function BorrowToRead({ d }: { d: BorrowToReadData }) {
  const { t } = useT();
  const titlePath = `/library/${d.book.slug}`;
  return (
    <>
      <Breadcrumb
        items={[
          { to: '/library', label: t('library.catalogue.title') },
          { to: titlePath, label: d.book.title },
          { label: t('library.reader.title') },
        ]}
      />
      <h1>{d.book.title}</h1>
      <p className="lead">{d.book.author}</p>
      <section className="card" aria-labelledby="borrow-h">
        <h2 id="borrow-h">{t('library.reader.borrowToRead')}</h2>
        <p>{t('library.reader.borrowToReadBody')}</p>
        {!d.signedIn ? (
          <p>
            <Link to={`/login?redirectTo=${encodeURIComponent(`${titlePath}/read`)}`} className="button primary">
              {t('library.title.signInToBorrow')}
            </Link>
          </p>
        ) : null}
        <ul className="rd-holdings">
          {d.availability.map((h) => {
            const hold = d.holds.find((x) => x.holdingId === h.holdingId);
            return (
              <li key={h.holdingId}>
                <strong>{h.libraryName}</strong>
                <span>
                  {t('library.title.copiesAvailable', { available: h.available, copies: h.copies })} ·{' '}
                  {t('library.title.loanPeriod', { count: h.loanDays })}
                </span>
                <span className="muted">
                  {t('library.title.queueLength', { count: h.queue })} ·{' '}
                  {h.estimatedWaitDays == null
                    ? t('library.title.noCopies')
                    : h.estimatedWaitDays === 0
                      ? t('library.title.noWait')
                      : t('library.title.waitDays', { count: h.estimatedWaitDays })}
                </span>
                {!d.signedIn ? null : hold ? (
                  hold.status === 'ready' ? (
                    <Form method="post" action={titlePath}>
                      <p>{t('library.title.readyUntil', { date: formatDateTime(hold.expiresAt!) })}</p>
                      <input type="hidden" name="holdingId" value={h.holdingId} />
                      <button type="submit" name="intent" value="borrow" className="primary">
                        {t('library.title.borrow')}
                      </button>
                    </Form>
                  ) : (
                    <span>
                      {t('library.shelf.position', { position: hold.position })} ·{' '}
                      <Link to="/library/shelf">{t('library.shelf.title')}</Link>
                    </span>
                  )
                ) : h.available > 0 || h.copies > 0 ? (
                  <Form method="post" action={titlePath}>
                    <input type="hidden" name="holdingId" value={h.holdingId} />
                    {h.available > 0 ? (
                      <button type="submit" name="intent" value="borrow" className="primary">
                        {t('library.title.borrow')}
                      </button>
                    ) : (
                      <button type="submit" name="intent" value="hold" className="secondary">
                        {t('library.title.placeHold')}
                      </button>
                    )}
                  </Form>
                ) : null}
              </li>
            );
          })}
        </ul>
      </section>
    </>
  );
}
