/** The slogan list's form (add / edit / delete): intent → domain call → Result with the flash to show. */
import type { z } from 'zod';

import type { sloganSchema } from '~/forms/outreach-slogans';
import type { DB } from '~/lib/db.server';
import { ok, type Result } from '~/lib/result';

import { addSlogan, deleteSlogan, type SloganError, updateSlogan } from './slogans.server';

export type SloganFlash = 'outreach.flash.sloganAdded' | 'outreach.flash.sloganSaved' | 'outreach.flash.sloganDeleted';

export async function sloganAction(
  db: DB,
  userId: string,
  list: { year: number; unitId: string },
  data: z.infer<typeof sloganSchema>,
): Promise<Result<SloganFlash, SloganError>> {
  switch (data.intent) {
    case 'add': {
      const r = await addSlogan(db, userId, { ...list, text: data.text });
      return r.ok ? ok('outreach.flash.sloganAdded') : r;
    }
    case 'update': {
      const r = await updateSlogan(db, userId, data.id, data.text);
      return r.ok ? ok('outreach.flash.sloganSaved') : r;
    }
    case 'delete': {
      const r = await deleteSlogan(db, userId, data.id);
      return r.ok ? ok('outreach.flash.sloganDeleted') : r;
    }
  }
}
