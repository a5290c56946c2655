/**
 * Offline support for every page: registers the service worker (which keeps visited pages and
 * the offline page), says plainly when the device is offline that the page is a saved copy to
 * read, not to change, and sends the reader's queued saves when the network returns (the offline
 * store is imported then, so that it stays out of every page's first-load JavaScript).
 */
import { useEffect, useState } from 'react';

import { useT } from '~/i18n/i18n';
import { useRootData } from '~/root';

import { offlineUserId } from './library/offline-user';

export function OfflineNotice() {
  const { t } = useT();
  const userId = useRootData()?.user?.id ?? null;
  const [offline, setOffline] = useState(false);

  useEffect(() => {
    if ('serviceWorker' in navigator && window.location.protocol !== 'file:') {
      navigator.serviceWorker.register('/sw.js').catch(() => undefined);
    }
  }, []);

  useEffect(() => {
    const update = () => {
      setOffline(!navigator.onLine);
      const id = offlineUserId(userId);
      // The offline store (a reader's queue) is loaded only for a signed-in reader, not in every page's first load.
      if (navigator.onLine && id) {
        import('./library/offline-store').then(({ flushQueue }) => flushQueue(id)).catch(() => undefined);
      }
    };
    update();
    window.addEventListener('online', update);
    window.addEventListener('offline', update);
    return () => {
      window.removeEventListener('online', update);
      window.removeEventListener('offline', update);
    };
  }, [userId]);

  if (!offline) return null;
  return (
    <p className="offline-notice" role="status">
      {t('common.offline.notice')} <a href="/offline">{t('common.offline.list')}</a>
    </p>
  );
}
