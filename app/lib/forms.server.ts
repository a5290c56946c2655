import type { z } from 'zod';

export type FieldErrors = Record<string, string>;
export type FormValues = Record<string, string>;

/**
 * What the form helpers read of a posted form: a `FormData`, or the `URLSearchParams` of a
 * urlencoded body read outside Remix (server.ts's direct paths, app/lib/contests-autosave.server.ts).
 */
export interface FormFields {
  get(name: string): FormDataEntryValue | null;
  getAll(name: string): FormDataEntryValue[];
  has(name: string): boolean;
  entries(): IterableIterator<[string, FormDataEntryValue]>;
}

export type FormResult<T> = { ok: true; data: T; values: FormValues } | { ok: false; errors: FieldErrors; values: FormValues };

/** The typed text of every (non-file) field, to send back so nothing the user wrote is lost. */
export function formValues(
  formData: FormFields,
  omit: string[] = ['password', 'currentPassword', 'newPassword', 'confirmPassword'],
): FormValues {
  const values: FormValues = {};
  for (const [k, v] of formData.entries()) if (typeof v === 'string' && !omit.includes(k)) values[k] = v;
  return values;
}

/** 'errors.required', 'courses.errors.needTwoOptions': a translation key, not a zod sentence. */
const TRANSLATION_KEY = /^[a-z][A-Za-z0-9]*(\.[A-Za-z0-9_]+)+$/;

/**
 * Validates a form with its zod schema. Messages in schemas are translation keys
 * ('errors.required', or an area's own 'library.errors.x'); any other zod message falls back to a key chosen by the issue code.
 */
export function parseForm<S extends z.ZodType>(schema: S, formData: FormFields): FormResult<z.infer<S>> {
  const raw: Record<string, unknown> = {};
  for (const [k, v] of formData.entries()) raw[k] = typeof v === 'string' ? v : v;
  const values = formValues(formData);
  const result = schema.safeParse(raw);
  if (result.success) return { ok: true, data: result.data, values };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    // An unknown or missing `intent` (the button) is not a field: its message goes above the form.
    const key = issue.path[0] === undefined || issue.path[0] === 'intent' ? '_form' : String(issue.path[0]);
    if (errors[key]) continue;
    errors[key] = TRANSLATION_KEY.test(issue.message) ? issue.message : issue.code === 'too_big' ? 'errors.tooLong' : 'errors.invalid';
  }
  return { ok: false, errors, values };
}
