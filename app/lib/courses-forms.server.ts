import type { z } from 'zod';
import { parseForm, type FormResult } from '~/lib/forms.server';

/**
 * `parseForm` for the courses area's forms, keeping the area's own messages: the shared helper
 * passes through only keys that start with 'errors.' and shows 'courses.errors.*' as the generic
 * "invalid". (Remove this wrapper once the shared helper accepts '<area>.errors.*' keys.)
 */
export function parseCoursesForm<S extends z.ZodType>(schema: S, formData: FormData): FormResult<z.infer<S>> {
  const r = parseForm(schema, formData);
  if (r.ok) return r;
  const raw: Record<string, unknown> = {};
  for (const [k, v] of formData.entries()) raw[k] = v;
  const parsed = schema.safeParse(raw);
  if (parsed.success) return r;
  const own: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    const key = String(issue.path[0] ?? '_form');
    if (!own[key] && /^courses\.errors\./.test(issue.message)) own[key] = issue.message;
  }
  return { ...r, errors: { ...r.errors, ...own } };
}
