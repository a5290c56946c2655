/** One place that runs a lending button's intent for a user and says what happened (codes, no UI text). */
import type { z } from 'zod';

import type { circulationSchema } from '~/forms/library-circulation';
import type { DB } from '~/lib/db.server';
import { err, ok, type Result } from '~/lib/result';

import {
  borrow,
  type BorrowError,
  changeHold,
  type HoldError,
  markNotificationsRead,
  placeHold,
  renew,
  type RenewError,
  returnLoan,
} from './circulation.server';
import { clearHistory, setHistoryEnabled } from './reading.server';

export type CirculationDone =
  | 'borrowed'
  | 'held'
  | 'returned'
  | 'renewed'
  | 'suspend'
  | 'resume'
  | 'cancel'
  | 'historyOn'
  | 'historyOff'
  | 'historyCleared'
  | 'notificationsRead';

/** A failure of one lending operation: the operation and its own code (the same code can mean different things). */
export type CirculationError = `borrow.${BorrowError}` | `hold.${HoldError}` | `renew.${RenewError}` | 'not_found';

export async function runCirculation(
  db: DB,
  userId: string,
  input: z.infer<typeof circulationSchema>,
): Promise<Result<CirculationDone, CirculationError>> {
  switch (input.intent) {
    case 'borrow': {
      const r = await borrow(db, userId, input.holdingId);
      return r.ok ? ok('borrowed') : err(`borrow.${r.code}`);
    }
    case 'hold': {
      const r = await placeHold(db, userId, input.holdingId);
      return r.ok ? ok('held') : err(`hold.${r.code}`);
    }
    case 'return':
      return (await returnLoan(db, userId, input.loanId)) ? ok('returned') : err('not_found');
    case 'renew': {
      const r = await renew(db, userId, input.loanId);
      return r.ok ? ok('renewed') : err(`renew.${r.code}`);
    }
    case 'suspend':
    case 'resume':
    case 'cancel':
      return (await changeHold(db, userId, input.holdId, input.intent)) ? ok(input.intent) : err('not_found');
    case 'history':
      await setHistoryEnabled(db, userId, input.enabled === '1');
      return ok(input.enabled === '1' ? 'historyOn' : 'historyOff');
    case 'clear-history':
      await clearHistory(db, userId);
      return ok('historyCleared');
    case 'read-notifications':
      await markNotificationsRead(db, userId);
      return ok('notificationsRead');
  }
}
