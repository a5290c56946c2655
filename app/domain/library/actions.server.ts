/** One place that runs a lending button's intent for a user and says what to tell them. */
import type { z } from 'zod';

import type { circulationSchema } from '~/forms/library-circulation';
import type { DB } from '~/lib/db.server';

import { borrow, changeHold, markNotificationsRead, placeHold, renew, returnLoan } from './circulation.server';
import { clearHistory, setHistoryEnabled } from './reading.server';

export type CirculationResult = { ok: boolean; message: string };

export async function runCirculation(db: DB, userId: string, input: z.infer<typeof circulationSchema>): Promise<CirculationResult> {
  switch (input.intent) {
    case 'borrow': {
      const r = await borrow(db, userId, input.holdingId);
      return r.ok ? { ok: true, message: 'library.flash.borrowed' } : { ok: false, message: `library.errors.borrow.${r.error}` };
    }
    case 'hold': {
      const r = await placeHold(db, userId, input.holdingId);
      return r.ok ? { ok: true, message: 'library.flash.held' } : { ok: false, message: `library.errors.hold.${r.error}` };
    }
    case 'return':
      return (await returnLoan(db, userId, input.loanId))
        ? { ok: true, message: 'library.flash.returned' }
        : { ok: false, message: 'library.errors.notFound' };
    case 'renew': {
      const r = await renew(db, userId, input.loanId);
      return r.ok ? { ok: true, message: 'library.flash.renewed' } : { ok: false, message: `library.errors.renew.${r.error}` };
    }
    case 'suspend':
    case 'resume':
    case 'cancel':
      return (await changeHold(db, userId, input.holdId, input.intent))
        ? { ok: true, message: `library.flash.${input.intent}` }
        : { ok: false, message: 'library.errors.notFound' };
    case 'history':
      await setHistoryEnabled(db, userId, input.enabled === '1');
      return { ok: true, message: input.enabled === '1' ? 'library.flash.historyOn' : 'library.flash.historyOff' };
    case 'clear-history':
      await clearHistory(db, userId);
      return { ok: true, message: 'library.flash.historyCleared' };
    case 'read-notifications':
      await markNotificationsRead(db, userId);
      return { ok: true, message: 'library.flash.notificationsRead' };
  }
}
