import { useT } from '~/i18n/i18n';
import { asKey } from '~/i18n/keys';
import type { Flash } from '~/lib/flash.server';

/**
 * The one-time message of the last action (see ~/lib/flash.server.ts), in a live region that is
 * always in the page so screen readers announce it when it appears after a client navigation.
 */
export function FlashMessage({ flash }: { flash: Flash | null }) {
  const { t } = useT();
  return (
    <div className="flash-region" role="status" aria-live="polite">
      {flash ? (
        <p className={`flash flash-${flash.kind}`} data-flash={flash.message}>
          {t(asKey(flash.message), flash.params)}
        </p>
      ) : null}
    </div>
  );
}
