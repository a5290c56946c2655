import { useLocation } from '@remix-run/react';
import { useState } from 'react';

import { useT } from '~/i18n/i18n';
import { asKey } from '~/i18n/keys';
import type { Flash } from '~/lib/flash.server';

/**
 * The one-time message of the last action (see ~/lib/flash.server.ts), in a live region that is
 * always in the page so screen readers announce it when it appears after a client navigation.
 *
 * The cookie is read once, so a later revalidation of the same page (a fetcher's post — the
 * resource editor's live preview — finishing after the save) brings no flash: the message shown
 * stays until the person goes to another page.
 */
export function FlashMessage({ flash }: { flash: Flash | null }) {
  const { t } = useT();
  const { key } = useLocation();
  const [kept, setKept] = useState<{ flash: Flash; key: string } | null>(flash ? { flash, key } : null);
  // Remember the message of this page while rendering (React's "adjust state on a prop change").
  if (flash && (kept?.key !== key || kept.flash.message !== flash.message)) setKept({ flash, key });
  const shown = flash ?? (kept && kept.key === key ? kept.flash : null);
  return (
    <div className="flash-region" role="status" aria-live="polite">
      {shown ? (
        <p className={`flash flash-${shown.kind}`} data-flash={shown.message}>
          {t(asKey(shown.message), shown.params)}
        </p>
      ) : null}
    </div>
  );
}
