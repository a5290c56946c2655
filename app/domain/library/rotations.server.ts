/**
 * Book rotation between libraries (luân chuyển sách): the receiving library requests copies,
 * the lending library accepts, the rotation becomes active on its start date (when the lender
 * has that many copies free), the copies count for the receiver until the end date, and it
 * returns automatically once the end date has passed and the receiver's loans on them are over.
 */
import { lockRows, writeTransaction } from '~/db/dialect';
import { subtreeIds } from '~/domain/units.server';
import { todayInVietnam } from '~/lib/dates';
import type { DB } from '~/lib/db.server';
import { newId, nowIso } from '~/lib/ids.server';
import { type Mail, sendMails } from '~/lib/mailer.server';
import { bumpCache } from '~/lib/page-cache.server';
import { err, ok, type Result } from '~/lib/result';

import { copiesInUse, effectiveCopies, settleHolding } from './circulation.server';

export type RotationError = 'no_holding' | 'not_enough' | 'same_library' | 'dates' | 'not_found' | 'state';

export async function requestRotation(
  db: DB,
  input: {
    titleId: string;
    fromLibraryId: string;
    toLibraryId: string;
    copies: number;
    startsOn: string;
    endsOn: string;
    requestedBy: string;
  },
): Promise<Result<{ id: string }, RotationError>> {
  if (input.fromLibraryId === input.toLibraryId) return err('same_library');
  if (input.endsOn < input.startsOn) return err('dates');
  const h = await db
    .selectFrom('lib_holdings')
    .selectAll()
    .where('title_id', '=', input.titleId)
    .where('library_id', '=', input.fromLibraryId)
    .executeTakeFirst();
  if (!h || h.open_access) return err('no_holding');
  if (h.copies < input.copies) return err('not_enough');
  const id = newId();
  const now = nowIso();
  await db
    .insertInto('lib_rotations')
    .values({
      id,
      title_id: input.titleId,
      from_library_id: input.fromLibraryId,
      to_library_id: input.toLibraryId,
      copies: input.copies,
      starts_on: input.startsOn,
      ends_on: input.endsOn,
      status: 'requested',
      requested_by: input.requestedBy,
      decided_by: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return ok({ id });
}

export function getRotation(db: DB, id: string) {
  return db.selectFrom('lib_rotations').selectAll().where('id', '=', id).executeTakeFirst();
}

async function ensureHolding(trx: DB, titleId: string, libraryId: string) {
  await trx
    .insertInto('lib_holdings')
    .values({ id: newId(), title_id: titleId, library_id: libraryId, open_access: 0, copies: 0, created_at: nowIso() })
    .onConflict((oc) => oc.columns(['title_id', 'library_id']).doNothing())
    .execute();
  return lockRows(
    trx,
    trx.selectFrom('lib_holdings').selectAll().where('title_id', '=', titleId).where('library_id', '=', libraryId),
  ).executeTakeFirstOrThrow();
}

/** Starts an accepted rotation when its day has come and the lender has the copies free. */
async function tryActivate(db: DB, id: string, now: Date): Promise<boolean> {
  const { ok, mails } = await writeTransaction(db, async (trx) => {
    const r = await lockRows(trx, trx.selectFrom('lib_rotations').selectAll().where('id', '=', id)).executeTakeFirst();
    if (!r || r.status !== 'accepted' || r.starts_on > todayInVietnam(now)) return { ok: false, mails: [] as Mail[] };
    const from = await ensureHolding(trx, r.title_id, r.from_library_id);
    const to = await ensureHolding(trx, r.title_id, r.to_library_id);
    const free = (await effectiveCopies(trx, from, now)) - Object.values(await copiesInUse(trx, from.id, now)).reduce((a, b) => a + b, 0);
    if (free < r.copies) return { ok: false, mails: [] as Mail[] };
    await trx.updateTable('lib_rotations').set({ status: 'active', updated_at: now.toISOString() }).where('id', '=', id).execute();
    return { ok: true, mails: await settleHolding(trx, to.id, now) };
  });
  await sendMails(db, mails);
  return ok;
}

export async function decideRotation(
  db: DB,
  id: string,
  decision: 'accept' | 'decline',
  userId: string,
  now = new Date(),
): Promise<boolean> {
  const r = await db
    .updateTable('lib_rotations')
    .set({ status: decision === 'accept' ? 'accepted' : 'declined', decided_by: userId, updated_at: now.toISOString() })
    .where('id', '=', id)
    .where('status', '=', 'requested')
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) === 0) return false;
  if (decision === 'accept') await tryActivate(db, id, now);
  await bumpCache(db, 'library');
  return true;
}

export async function cancelRotation(db: DB, id: string, now = new Date()): Promise<boolean> {
  const r = await db
    .updateTable('lib_rotations')
    .set({ status: 'cancelled', updated_at: now.toISOString() })
    .where('id', '=', id)
    .where('status', 'in', ['requested', 'accepted'])
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) > 0) await bumpCache(db, 'library');
  return Number(r.numUpdatedRows) > 0;
}

/** Ends an active rotation past its end date once the receiver no longer needs the copies. */
async function tryReturn(db: DB, id: string, now: Date): Promise<boolean> {
  const { ok, mails } = await writeTransaction(db, async (trx) => {
    const r = await lockRows(trx, trx.selectFrom('lib_rotations').selectAll().where('id', '=', id)).executeTakeFirst();
    if (!r || r.status !== 'active' || r.ends_on >= todayInVietnam(now)) return { ok: false, mails: [] as Mail[] };
    const from = await ensureHolding(trx, r.title_id, r.from_library_id);
    const to = await ensureHolding(trx, r.title_id, r.to_library_id);
    // Past the end date the rotated copies no longer count for the receiver (effectiveCopies),
    // so its loans above its own copies are the ones still running on rotated copies.
    const use = await copiesInUse(trx, to.id, now);
    if (use.loans + use.ready > (await effectiveCopies(trx, to, now))) return { ok: false, mails: [] as Mail[] };
    await trx.updateTable('lib_rotations').set({ status: 'returned', updated_at: now.toISOString() }).where('id', '=', id).execute();
    return { ok: true, mails: await settleHolding(trx, from.id, now) };
  });
  await sendMails(db, mails);
  return ok;
}

export async function sweepRotations(db: DB, now = new Date()) {
  const today = todayInVietnam(now);
  const starting = await db
    .selectFrom('lib_rotations')
    .select('id')
    .where('status', '=', 'accepted')
    .where('starts_on', '<=', today)
    .execute();
  const ending = await db.selectFrom('lib_rotations').select('id').where('status', '=', 'active').where('ends_on', '<', today).execute();
  let started = 0;
  let returned = 0;
  for (const r of starting) if (await tryActivate(db, r.id, now)) started++;
  for (const r of ending) if (await tryReturn(db, r.id, now)) returned++;
  if (started || returned) await bumpCache(db, 'library');
  return { started, returned };
}

function rotationQuery(db: DB) {
  return db
    .selectFrom('lib_rotations as r')
    .innerJoin('lib_titles as t', 't.id', 'r.title_id')
    .innerJoin('units as f', 'f.id', 'r.from_library_id')
    .innerJoin('units as d', 'd.id', 'r.to_library_id')
    .select([
      'r.id',
      'r.copies',
      'r.starts_on',
      'r.ends_on',
      'r.status',
      'r.from_library_id',
      'r.to_library_id',
      't.title',
      't.slug',
      'f.name as from_name',
      'f.name_en as from_name_en',
      'd.name as to_name',
      'd.name_en as to_name_en',
    ])
    .orderBy('r.starts_on', 'desc');
}

/** Rotations coming into and going out of a library. */
export async function libraryRotations(db: DB, libraryId: string) {
  const [incoming, outgoing] = await Promise.all([
    rotationQuery(db).where('r.to_library_id', '=', libraryId).execute(),
    rotationQuery(db).where('r.from_library_id', '=', libraryId).execute(),
  ]);
  return { incoming, outgoing };
}

/** Every rotation touching a library in an organiser's subtree. */
export function subtreeRotations(db: DB, unitId: string) {
  return rotationQuery(db)
    .where((eb) => eb.or([eb('r.from_library_id', 'in', subtreeIds(db, unitId)), eb('r.to_library_id', 'in', subtreeIds(db, unitId))]))
    .limit(200)
    .execute();
}
