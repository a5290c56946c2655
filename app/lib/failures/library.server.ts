/**
 * Library: each domain code → the message the user sees and the HTTP status, in one place
 * (lending, rotations, classroom shelves). Lending answers stay on the page (JSON), so the
 * success messages are mapped here too.
 */
import { json } from '@remix-run/node';

import type { BookshelvesError, CirculationDone, CirculationError } from '~/domain/library/actions.server';
import type { RotationError } from '~/domain/library/rotations.server';
import type { TKey } from '~/i18n/keys';
import type { AccessCode, Result } from '~/lib/result';
import { defineFailures } from '~/lib/result-http.server';

export const circulationFailures = defineFailures<CirculationError>({
  not_found: { message: 'library.errors.notFound', status: 409 },
  'borrow.not_found': { message: 'library.errors.borrow.not_found', status: 409 },
  'borrow.open_access': { message: 'library.errors.borrow.open_access', status: 409 },
  'borrow.limit': { message: 'library.errors.borrow.limit', status: 409 },
  'borrow.unavailable': { message: 'library.errors.borrow.unavailable', status: 409 },
  'borrow.already': { message: 'library.errors.borrow.already', status: 409 },
  'borrow.reserved_for_other': { message: 'library.errors.borrow.reserved_for_other', status: 409 },
  'hold.not_found': { message: 'library.errors.hold.not_found', status: 409 },
  'hold.open_access': { message: 'library.errors.hold.open_access', status: 409 },
  'hold.limit': { message: 'library.errors.hold.limit', status: 409 },
  'hold.available': { message: 'library.errors.hold.available', status: 409 },
  'hold.already': { message: 'library.errors.hold.already', status: 409 },
  'hold.has_loan': { message: 'library.errors.hold.has_loan', status: 409 },
  'renew.not_found': { message: 'library.errors.renew.not_found', status: 409 },
  'renew.already_renewed': { message: 'library.errors.renew.already_renewed', status: 409 },
  'renew.waiting': { message: 'library.errors.renew.waiting', status: 409 },
  'renew.expired': { message: 'library.errors.renew.expired', status: 409 },
});

const circulationDone = {
  borrowed: 'library.flash.borrowed',
  held: 'library.flash.held',
  returned: 'library.flash.returned',
  renewed: 'library.flash.renewed',
  suspend: 'library.flash.suspend',
  resume: 'library.flash.resume',
  cancel: 'library.flash.cancel',
  historyOn: 'library.flash.historyOn',
  historyOff: 'library.flash.historyOff',
  historyCleared: 'library.flash.historyCleared',
  notificationsRead: 'library.flash.notificationsRead',
} as const satisfies Record<CirculationDone, TKey>;

export type CirculationResult = { ok: boolean; message: TKey };

/** The lending button's answer: the message shown on the page, 409 when refused. */
export function circulationResponse(r: Result<CirculationDone, CirculationError>) {
  if (r.ok) return json<CirculationResult>({ ok: true, message: circulationDone[r.value] });
  const row = circulationFailures[r.code];
  return json<CirculationResult>({ ok: false, message: row.message }, { status: row.status });
}

export const rotationFailures = defineFailures<RotationError | AccessCode>({
  forbidden: { message: 'errors.page.forbidden.title', status: 403 },
  not_found: { message: 'library.errors.rotation.not_found', status: 400 },
  no_holding: { message: 'library.errors.rotation.no_holding', status: 400 },
  not_enough: { message: 'library.errors.rotation.not_enough', status: 400 },
  same_library: { message: 'library.errors.rotation.same_library', status: 400 },
  dates: { message: 'library.errors.rotation.dates', status: 400 },
  state: { message: 'library.errors.rotation.state', status: 400 },
});

export const shelfFailures = defineFailures<BookshelvesError>({
  'join.unknown_code': { message: 'library.errors.shelf.code', status: 400 },
  'join.too_many_tries': { message: 'library.errors.shelf.tooManyTries', status: 429 },
  // Only units where the user teaches are offered; anything else is refused on the server too.
  'create.forbidden': { message: 'library.errors.shelf.notTeacher', status: 400 },
  'create.not_found': { message: 'library.errors.shelf.notTeacher', status: 400 },
});
