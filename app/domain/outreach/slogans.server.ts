/**
 * Slogans (khẩu hiệu) of a Week: the Ministry's list is the Week's, and any unit may add its own.
 * A unit's banner and poster offer its own slogans and those of the units above it. When a Week
 * has none yet, slogans made from its theme are offered (and seeded for the demo Weeks).
 */
import type { WeeksTable } from '~/db/schema';
import type { DB } from '~/lib/db.server';
import { newId, nowIso } from '~/lib/ids.server';
import { bumpCache } from '~/lib/page-cache.server';
import { err, ok, type Result } from '~/lib/result';

import { canManageOutreach } from './access.server';

export const SLOGAN_MAX = 200;

export type SloganError = 'not_found' | 'forbidden' | 'empty' | 'too_long';

export interface Slogan {
  id: string;
  text: string;
  unitId: string;
  unitName: string;
  unitNameEn: string | null;
  /** True when it is on this unit's own list (so its organisers edit it here). */
  own: boolean;
}

/** Slogans made from a Week's theme (what a new Week starts with). */
export function themeSlogans(week: Pick<WeeksTable, 'year' | 'theme_vi'>): string[] {
  return [
    `Hưởng ứng Tuần lễ học tập suốt đời năm ${week.year}: “${week.theme_vi}”`,
    `${week.theme_vi}!`,
    'Học tập suốt đời vì một xã hội học tập!',
    'Mỗi người dân là một công dân học tập!',
  ];
}

/** The slogans a unit may use for a Week: its own first, then those of the units above it (nearest first). */
export async function slogansFor(db: DB, year: number, unitId: string): Promise<Slogan[]> {
  const rows = await db
    .selectFrom('outreach_slogans as s')
    .innerJoin('unit_closure as c', 'c.ancestor_id', 's.unit_id')
    .innerJoin('units as u', 'u.id', 's.unit_id')
    .select(['s.id', 's.text', 's.unit_id', 's.position', 'u.name', 'u.name_en', 'c.depth'])
    .where('c.descendant_id', '=', unitId)
    .where('s.week_year', '=', year)
    .orderBy('c.depth')
    .orderBy('s.position')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    text: r.text,
    unitId: r.unit_id,
    unitName: r.name,
    unitNameEn: r.name_en,
    own: r.unit_id === unitId,
  }));
}

function clean(text: string): Result<string, SloganError> {
  const t = text.replace(/\s+/g, ' ').trim();
  if (!t) return err('empty');
  if (t.length > SLOGAN_MAX) return err('too_long');
  return ok(t);
}

/** An organiser of the unit adds a slogan at the end of the unit's list for the Week. */
export async function addSlogan(
  db: DB,
  userId: string,
  input: { year: number; unitId: string; text: string },
): Promise<Result<string, SloganError>> {
  if (!(await canManageOutreach(db, userId, input.unitId))) return err('forbidden');
  const text = clean(input.text);
  if (!text.ok) return text;
  const week = await db.selectFrom('weeks').select('year').where('year', '=', input.year).executeTakeFirst();
  if (!week) return err('not_found');
  const id = newId();
  const now = nowIso();
  await db.transaction().execute(async (trx) => {
    const last = await trx
      .selectFrom('outreach_slogans')
      .select('position')
      .where('week_year', '=', input.year)
      .where('unit_id', '=', input.unitId)
      .orderBy('position', 'desc')
      .limit(1)
      .executeTakeFirst();
    await trx
      .insertInto('outreach_slogans')
      .values({
        id,
        week_year: input.year,
        unit_id: input.unitId,
        text: text.value,
        position: (last?.position ?? 0) + 1,
        created_by: userId,
        created_at: now,
        updated_at: now,
      })
      .execute();
  });
  await bumpCache(db, 'outreach', input.year);
  return ok(id);
}

async function ownSlogan(db: DB, userId: string, id: string) {
  const s = await db.selectFrom('outreach_slogans').selectAll().where('id', '=', id).executeTakeFirst();
  if (!s) return err('not_found' as const);
  if (!(await canManageOutreach(db, userId, s.unit_id))) return err('forbidden' as const);
  return ok(s);
}

export async function updateSlogan(db: DB, userId: string, id: string, text: string): Promise<Result<undefined, SloganError>> {
  const s = await ownSlogan(db, userId, id);
  if (!s.ok) return s;
  const t = clean(text);
  if (!t.ok) return t;
  await db.updateTable('outreach_slogans').set({ text: t.value, updated_at: nowIso() }).where('id', '=', id).execute();
  await bumpCache(db, 'outreach', s.value.week_year);
  return ok();
}

export async function deleteSlogan(db: DB, userId: string, id: string): Promise<Result<undefined, SloganError>> {
  const s = await ownSlogan(db, userId, id);
  if (!s.ok) return s;
  await db.deleteFrom('outreach_slogans').where('id', '=', id).execute();
  await bumpCache(db, 'outreach', s.value.week_year);
  return ok();
}
