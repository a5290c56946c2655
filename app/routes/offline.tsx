import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { useEffect, useState } from 'react';

import {
  flushQueue,
  listOfflineBooks,
  type OfflineBook,
  pruneOfflineBooks,
  queuedCount,
  removeOfflineBook,
} from '~/components/library/offline-store';
import { offlineUserId } from '~/components/library/offline-user';
import { useT } from '~/i18n/i18n';
import { detectLocale, getT } from '~/i18n/i18n.server';
import { formatDate } from '~/lib/dates';
import { useRootData } from '~/root';

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? '' }];

export function loader({ request }: LoaderFunctionArgs) {
  return json({ title: getT(detectLocale(request))('library.offline.title') });
}

/**
 * What this device can read without a network: the books saved from the reader (loans that have
 * ended are removed here too), and how many saves wait to be sent. The list lives in the browser,
 * so the page's loader gives only its title: the service worker keeps a copy and shows it whenever a page that
 * was never visited is asked for offline.
 */
export default function OfflinePage() {
  const { t } = useT();
  const rootUserId = useRootData()?.user?.id ?? null;
  const [userId, setUserId] = useState(rootUserId);
  const [books, setBooks] = useState<OfflineBook[] | null>(null);
  const [pending, setPending] = useState(0);

  useEffect(() => {
    setUserId(offlineUserId(rootUserId));
  }, [rootUserId]);

  useEffect(() => {
    if (!userId) return;
    void (async () => {
      await pruneOfflineBooks(userId);
      setBooks(listOfflineBooks(userId));
      setPending(queuedCount(userId));
      // Online again: send what waits, then show what is left.
      if (navigator.onLine) {
        await flushQueue(userId);
        setPending(queuedCount(userId));
      }
    })();
  }, [userId]);

  return (
    <>
      <h1>{t('library.offline.title')}</h1>
      <p>{t('library.offline.intro')}</p>
      {!userId ? (
        <p className="muted">{t('library.offline.signIn')}</p>
      ) : books == null ? null : books.length === 0 ? (
        <p className="muted">{t('library.offline.empty')}</p>
      ) : (
        <ul className="offline-books" data-testid="offline-books">
          {books.map((b) => (
            <li key={b.slug}>
              {/* A full page load: it opens from the saved copy when offline. */}
              <a href={`/library/${b.slug}/read`} className="offline-book-title">
                {b.title}
              </a>
              <span className="muted"> — {b.author}</span>
              <br />
              <span className="muted">
                {b.dueAt ? t('library.offline.until', { date: formatDate(b.dueAt) }) : t('library.offline.open')}
              </span>{' '}
              <button
                type="button"
                className="link-button"
                onClick={() => void removeOfflineBook(userId, b.slug).then(() => setBooks(listOfflineBooks(userId)))}
              >
                {t('library.offline.remove')}
              </button>
            </li>
          ))}
        </ul>
      )}
      {pending > 0 ? <p role="status">{t('library.offline.pending', { count: pending })}</p> : null}
      <noscript>
        <p>{t('library.offline.noJs')}</p>
      </noscript>
    </>
  );
}
