/** The reading log page's buttons: a parsed intent → one reading-log operation, saying what happened (codes, no HTTP). */
import type { ReadingPageInput } from '~/forms/reading-log';
import type { DB } from '~/lib/db.server';
import { ok, type Result } from '~/lib/result';

import { deleteLog, type LogError, logReading } from './reading.server';

export type ReadingPageDone = 'logged' | 'deleted';

export async function runReadingPage(db: DB, userId: string, input: ReadingPageInput): Promise<Result<ReadingPageDone, LogError>> {
  switch (input.intent) {
    case 'log': {
      const r = await logReading(db, userId, {
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
