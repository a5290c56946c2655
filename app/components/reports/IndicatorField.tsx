import { useT } from '~/i18n/i18n';
import { asKey } from '~/i18n/keys';

export type FieldMessage = { message: string; params?: Record<string, string | number> };

export interface IndicatorFieldProps {
  code: string;
  label: string;
  type: 'count' | 'vnd' | 'text' | 'bool';
  /** What the input starts with (typed, saved or the platform's figure). */
  value: string;
  platform: number | null;
  prefilled: boolean;
  error?: FieldMessage;
  /** The value another organiser saved meanwhile (optimistic version check). */
  theirs?: string | null;
  yours?: string | null;
}

// Built once: `toLocaleString(locale)` builds a number formatter on every call (one per table cell).
const FIGURE_FORMAT = { vi: new Intl.NumberFormat('vi-VN'), en: new Intl.NumberFormat('en-GB') };

export function formatFigure(v: number | string | null | undefined, locale: string): string {
  if (v == null || v === '') return '';
  return typeof v === 'number' ? FIGURE_FORMAT[locale === 'en' ? 'en' : 'vi'].format(v) : String(v);
}

/** One indicator: label, the platform's figure when pre-filled, the control, and its message. */
export function IndicatorField({ code, label, type, value, platform, prefilled, error, theirs, yours }: IndicatorFieldProps) {
  const { t, locale } = useT();
  const id = `v-${code}`;
  const name = `v_${code}`;
  const hints: string[] = [];
  const corrected = prefilled && platform != null && value !== '' && value.replace(/[\s.,]/g, '') !== String(platform);
  const described =
    [error ? `${id}-error` : null, prefilled ? `${id}-hint` : null, theirs != null ? `${id}-theirs` : null].filter(Boolean).join(' ') ||
    undefined;
  const aria = { 'aria-invalid': error ? (true as const) : undefined, 'aria-describedby': described };
  if (prefilled)
    hints.push(
      t('reports.prefilled', { value: type === 'bool' ? (platform ? t('reports.yes') : t('reports.no')) : formatFigure(platform, locale) }),
    );
  return (
    <div className={`field report-field${error ? ' has-error' : ''}${prefilled ? ' is-prefilled' : ''}`} data-code={code}>
      <label htmlFor={id}>{label}</label>
      {prefilled ? (
        <p id={`${id}-hint`} className="field-hint prefill-hint" title={t('reports.prefilledHint')}>
          <span className="prefill-mark" aria-hidden="true">
            ⟳
          </span>{' '}
          {hints.join(' ')}
          {corrected ? <span className="badge corrected"> {t('reports.corrected')}</span> : null}
        </p>
      ) : null}
      {type === 'text' ? (
        <textarea id={id} name={name} defaultValue={value} rows={3} maxLength={4000} {...aria} />
      ) : type === 'bool' ? (
        <select id={id} name={name} defaultValue={value} {...aria}>
          <option value="">{t('reports.notAnswered')}</option>
          <option value="1">{t('reports.yes')}</option>
          <option value="0">{t('reports.no')}</option>
        </select>
      ) : (
        <input id={id} name={name} type="text" inputMode="numeric" autoComplete="off" defaultValue={value} {...aria} />
      )}
      {theirs != null ? (
        <p id={`${id}-theirs`} className="stale-values">
          {t('reports.theirValue', { value: theirs || '—' })} · {t('reports.yourValue', { value: yours || '—' })}
        </p>
      ) : null}
      {error ? (
        <p id={`${id}-error`} className="field-error" role="alert">
          {t(asKey(error.message), error.params)}
        </p>
      ) : null}
    </div>
  );
}
