import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes, TextareaHTMLAttributes } from 'react';
import { useT } from '~/i18n/i18n';

interface Common {
  name: string;
  label: string;
  error?: string;
  hint?: string;
}

function Message({ id, error }: { id: string; error?: string }) {
  const { t } = useT();
  if (!error) return null;
  return (
    <p id={`${id}-error`} className="field-error" role="alert">
      {t(error)}
    </p>
  );
}

function describedBy(id: string, error?: string, hint?: string) {
  return [error ? `${id}-error` : null, hint ? `${id}-hint` : null].filter(Boolean).join(' ') || undefined;
}

/** A labelled input whose translated error sits next to it and is announced to screen readers. */
export function TextField({ name, label, error, hint, id, ...rest }: Common & InputHTMLAttributes<HTMLInputElement>) {
  const fid = id ?? `f-${name}`;
  return (
    <div className={`field${error ? ' has-error' : ''}`}>
      <label htmlFor={fid}>{label}</label>
      {hint ? (
        <p id={`${fid}-hint`} className="field-hint">
          {hint}
        </p>
      ) : null}
      <input id={fid} name={name} aria-invalid={error ? true : undefined} aria-describedby={describedBy(fid, error, hint)} {...rest} />
      <Message id={fid} error={error} />
    </div>
  );
}

export function TextArea({ name, label, error, hint, id, ...rest }: Common & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const fid = id ?? `f-${name}`;
  return (
    <div className={`field${error ? ' has-error' : ''}`}>
      <label htmlFor={fid}>{label}</label>
      {hint ? (
        <p id={`${fid}-hint`} className="field-hint">
          {hint}
        </p>
      ) : null}
      <textarea id={fid} name={name} aria-invalid={error ? true : undefined} aria-describedby={describedBy(fid, error, hint)} {...rest} />
      <Message id={fid} error={error} />
    </div>
  );
}

export function SelectField({
  name,
  label,
  error,
  hint,
  id,
  children,
  ...rest
}: Common & SelectHTMLAttributes<HTMLSelectElement> & { children: ReactNode }) {
  const fid = id ?? `f-${name}`;
  return (
    <div className={`field${error ? ' has-error' : ''}`}>
      <label htmlFor={fid}>{label}</label>
      {hint ? (
        <p id={`${fid}-hint`} className="field-hint">
          {hint}
        </p>
      ) : null}
      <select id={fid} name={name} aria-invalid={error ? true : undefined} aria-describedby={describedBy(fid, error, hint)} {...rest}>
        {children}
      </select>
      <Message id={fid} error={error} />
    </div>
  );
}

/** A form-level message (e.g. wrong password) shown above the fields. */
export function FormError({ error }: { error?: string | null }) {
  const { t } = useT();
  if (!error) return null;
  return (
    <div className="form-error" role="alert">
      {t(error)}
    </div>
  );
}
