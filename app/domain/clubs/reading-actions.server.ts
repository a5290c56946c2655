/** The reading log page's buttons: a parsed intent → one reading-log operation, saying what happened (codes, no HTTP). */
import type { ReadingPageInput } from '~/forms/reading-log';
import type { DB } from '~/lib/db.server';
import { ok, type Result } from '~/lib/result';

import { logReadingAndCheck } from './challenges.server';
import { deleteLog, type LogError } from './reading.server';

export type ReadingPageDone = 'logged' | 'deleted';

export async function runReadingPage(db: DB, userId: string, input: ReadingPageInput): Promise<Result<ReadingPageDone, LogError>> {
  switch (input.intent) {
    case 'log': {
      // Logging also finishes the challenges this reading completes (for the partner too).
      const r = await logReadingAndCheck(db, userId, {
        readOn: input.readOn,
        minutes: input.minutes,
        outsideTitle: input.what,
        partnerUserId: input.partner,
      });
      return r.ok ? ok('logged') : r;
    }
    case 'delete':
      // Only one's own, non-class entries are deleted; anything else is left as it was.
      await deleteLog(db, userId, input.log);
      return ok('deleted');
  }
}
