/** A Week row for tests that need the year to exist (reports, honours, outreach…). */
import type { Insertable } from 'kysely';

import type { DB } from '~/db/connection';
import type { WeeksTable } from '~/db/schema';
import { nowIso } from '~/lib/ids.server';

/** The Week of `year`: 1–7 October, reports due on 30 October; `over` changes any column. */
export async function insertWeek(db: DB, year: number, over: Partial<Insertable<WeeksTable>> = {}): Promise<void> {
  await db
    .insertInto('weeks')
    .values({
      year,
      theme_vi: 'Học tập suốt đời',
      theme_en: 'Lifelong learning',
      starts_on: `${year}-10-01`,
      ends_on: `${year}-10-07`,
      opening_at: `${year}-10-01T01:00:00.000Z`,
      opening_place_vi: 'Hà Nội',
      opening_place_en: 'Hanoi',
      livestream_url: null,
      closing_at: null,
      closing_place_vi: null,
      closing_place_en: null,
      report_deadline: `${year}-10-30`,
      source_vi: null,
      source_en: null,
      body_vi: '',
      body_en: '',
      origin: 'ui',
      content_hash: null,
      updated_at: nowIso(),
      ...over,
    })
    .execute();
}
