import type { DB } from '~/lib/db.server';

import { sweepCirculation } from './circulation.server';
import { sweepRotations } from './rotations.server';

/** The library's periodic job: rotations start/end first (they change copy counts), then loans and holds. */
export async function sweepLibrary(db: DB, now = new Date()) {
  const rotations = await sweepRotations(db, now);
  const circulation = await sweepCirculation(db, now);
  return { rotations, circulation };
}
