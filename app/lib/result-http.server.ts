/**
 * Turning a domain `Result`'s failure code into what the user sees: one table per area maps each
 * code to a translation key and an HTTP status (`defineFailures`), and `failure()` answers an
 * action with `{ ok: false, message, values }` and that status, so the page shows the message
 * next to the form with what was typed kept.
 */
import { json } from '@remix-run/node';

import type { TKey } from '~/i18n/keys';

import type { Err } from './result';

export type FailureTable<C extends string> = Record<C, { message: TKey; status: 400 | 403 | 404 | 409 | 413 | 422 | 429 }>;

/** Declares an area's table once (`export const libraryFailures = defineFailures<BorrowError | HoldError>({ … })`). */
export function defineFailures<C extends string>(table: FailureTable<C>): FailureTable<C> {
  return table;
}

export type FailureData = { ok: false; message: TKey; params?: Record<string, string | number>; values?: Record<string, string> };

export function failure<C extends string>(table: FailureTable<C>, e: Err<C>, values?: Record<string, string>) {
  const f = failureOf(table, e, values);
  return json<FailureData>(f.data, { status: f.status });
}

/** What `failure` answers, as a status and its data (for an answer written outside Remix: server.ts's direct paths). */
export function failureOf<C extends string>(
  table: FailureTable<C>,
  e: Err<C>,
  values?: Record<string, string>,
): { status: FailureTable<C>[C]['status']; data: FailureData } {
  const row = table[e.code];
  return { status: row.status, data: { ok: false, message: row.message, params: e.detail, values } };
}
