import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes, TextareaHTMLAttributes } from 'react';

import { useT } from '~/i18n/i18n';
import { asKey } from '~/i18n/keys';

interface Common {
  name: string;
  label: string;
  error?: string;
  hint?: string;
}

function Message({ id, error, params }: { id: string; error?: string; params?: Record<string, string | number> }) {
  const { t } = useT();
  if (!error) return null;
  return (
    <p id={`${id}-error`} className="field-error" role="alert">
      {t(asKey(error), params)}
    </p>
  );
}

function describedBy(id: string, error?: string, hint?: string) {
  return [error ? `${id}-error` : null, hint ? `${id}-hint` : null].filter(Boolean).join(' ') || undefined;
}

/** Label, hint and error around one control; the control gets the matching aria attributes. */
function FieldShell({
  id,
  label,
  error,
  errorParams,
  hint,
  children,
}: {
  id: string;
  label: string;
  error?: string;
  errorParams?: Record<string, string | number>;
  hint?: string;
  children: (aria: { 'aria-invalid'?: true; 'aria-describedby'?: string }) => ReactNode;
}) {
  return (
    <div className={`field${error ? ' has-error' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {hint ? (
        <p id={`${id}-hint`} className="field-hint">
          {hint}
        </p>
      ) : null}
      {children({ 'aria-invalid': error ? true : undefined, 'aria-describedby': describedBy(id, error, hint) })}
      <Message id={id} error={error} params={errorParams} />
    </div>
  );
}

/**
 * A labelled input whose translated error sits next to it and is announced to screen readers
 * (`errorParams`: values of the message's placeholders, e.g. a maximum).
 */
export function TextField({
  name,
  label,
  error,
  errorParams,
  hint,
  id,
  ...rest
}: Common & { errorParams?: Record<string, string | number> } & InputHTMLAttributes<HTMLInputElement>) {
  const fid = id ?? `f-${name}`;
  return (
    <FieldShell id={fid} label={label} error={error} errorParams={errorParams} hint={hint}>
      {(aria) => <input id={fid} name={name} {...aria} {...rest} />}
    </FieldShell>
  );
}

export function TextArea({ name, label, error, hint, id, ...rest }: Common & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const fid = id ?? `f-${name}`;
  return (
    <FieldShell id={fid} label={label} error={error} hint={hint}>
      {(aria) => <textarea id={fid} name={name} {...aria} {...rest} />}
    </FieldShell>
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
    <FieldShell id={fid} label={label} error={error} hint={hint}>
      {(aria) => (
        <select id={fid} name={name} {...aria} {...rest}>
          {children}
        </select>
      )}
    </FieldShell>
  );
}

/** A form-level message (e.g. wrong password) shown above the fields. */
export function FormError({ error }: { error?: string | null }) {
  const { t } = useT();
  if (!error) return null;
  return (
    <div className="form-error" role="alert">
      {t(asKey(error))}
    </div>
  );
}

/** A catalogue filter: a labelled select whose first option means "any". Works as a GET form field. */
export function FilterSelect({
  name,
  label,
  value,
  anyLabel,
  options,
  id,
}: {
  name: string;
  label: string;
  value?: string | number | null;
  anyLabel: string;
  options: Array<{ value: string | number; label: string | number }>;
  id?: string;
}) {
  return (
    <SelectField name={name} id={id} label={label} defaultValue={value == null ? '' : String(value)}>
      <option value="">{anyLabel}</option>
      {options.map((o) => (
        <option key={o.value} value={o.value}>
          {o.label}
        </option>
      ))}
    </SelectField>
  );
}
