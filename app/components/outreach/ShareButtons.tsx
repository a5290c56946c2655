/**
 * Share links for a page: Facebook, Zalo and the page's link to copy. Plain links that open the
 * networks' own share pages — no third-party script is loaded. "Copy link" is a read-only field
 * anyone can select and copy; with JavaScript a button copies it in one tap and says so.
 */
import { useEffect, useState } from 'react';

import { useT } from '~/i18n/i18n';

export function ShareButtons({ url, title }: { url: string; title: string }) {
  const { t } = useT();
  const [canCopy, setCanCopy] = useState(false);
  const [copied, setCopied] = useState(false);
  useEffect(() => setCanCopy(typeof navigator !== 'undefined' && !!navigator.clipboard), []);
  const enc = encodeURIComponent(url);
  return (
    <section className="share-links" aria-labelledby="share-h">
      <h2 id="share-h">{t('outreach.share.heading')}</h2>
      <ul className="share-list">
        <li>
          <a
            className="button secondary"
            href={`https://www.facebook.com/sharer/sharer.php?u=${enc}`}
            rel="noopener noreferrer"
            target="_blank"
          >
            {t('outreach.share.facebook')}
          </a>
        </li>
        <li>
          <a
            className="button secondary"
            href={`https://sp.zalo.me/share_inline?url=${enc}&title=${encodeURIComponent(title)}`}
            rel="noopener noreferrer"
            target="_blank"
          >
            {t('outreach.share.zalo')}
          </a>
        </li>
      </ul>
      <div className="share-copy">
        <label htmlFor="share-url">{t('outreach.share.linkLabel')}</label>
        <div className="share-copy-row">
          <input id="share-url" type="url" readOnly value={url} onFocus={(e) => e.currentTarget.select()} />
          {canCopy ? (
            <button
              type="button"
              className="button secondary"
              onClick={() => {
                void navigator.clipboard.writeText(url).then(
                  () => setCopied(true),
                  () => setCopied(false),
                );
              }}
            >
              {t('outreach.share.copy')}
            </button>
          ) : null}
        </div>
        <p className="muted" role="status" aria-live="polite">
          {copied ? t('outreach.share.copied') : ''}
        </p>
      </div>
    </section>
  );
}
