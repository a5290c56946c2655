/**
 * What a domain function returns when it can fail in a way the user should be told about.
 *
 * - `ok(value)` on success; `err(code)` with a short code from the area's own union
 *   (`'limit' | 'unavailable' | …`), never a translation key and never a `Response`.
 * - Every area declares its codes next to its functions (`export type BorrowError = …`) and the
 *   route maps them to a translation key and an HTTP status in one table per area
 *   (`app/routes/…` → `~/lib/result-http.server.ts`'s `failure()`).
 * - Permission refusals use the shared codes `'not_found'` (or hidden: the same to outsiders)
 *   and `'forbidden'`, so every area's access module answers in one vocabulary.
 * - Programming errors (a broken invariant) still throw `Error`: they are bugs, not outcomes.
 */
export type Ok<T> = { ok: true; value: T };
export type Err<C extends string> = { ok: false; code: C; detail?: Record<string, string | number> };
export type Result<T, C extends string> = Ok<T> | Err<C>;

/** The refusals every area shares. */
export type AccessCode = 'not_found' | 'forbidden';

export function ok(): Ok<undefined>;
export function ok<T>(value: T): Ok<T>;
export function ok<T>(value?: T): Ok<T | undefined> {
  return { ok: true, value };
}

export function err<C extends string>(code: C, detail?: Record<string, string | number>): Err<C> {
  return detail ? { ok: false, code, detail } : { ok: false, code };
}

export function isOk<T, C extends string>(r: Result<T, C>): r is Ok<T> {
  return r.ok;
}

/** The value of a result that must be ok (seeds, tests, invariants); a failure here is a bug. */
export function unwrap<T, C extends string>(r: Result<T, C>): T {
  if (!r.ok) throw new Error(`unexpected failure: ${r.code}`);
  return r.value;
}
