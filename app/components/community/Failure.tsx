import { useT } from '~/i18n/i18n';
import { asKey } from '~/i18n/keys';

/** A refused action's message (a translation key with its values), announced to screen readers. */
export function Failure({ message, params }: { message?: string | null; params?: Record<string, string | number> }) {
  const { t } = useT();
  if (!message) return null;
  return (
    <div className="form-error" role="alert">
      {t(asKey(message), params)}
    </div>
  );
}
