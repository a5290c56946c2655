/**
 * Lending: loans, holds, hand-over and expiry. Every change runs in `writeTransaction` with the
 * holding row locked (`lockRows`), so two readers can never both take the last copy: on SQLite
 * BEGIN IMMEDIATE serialises writers, on PostgreSQL `FOR UPDATE` on the holding does.
 *
 * Reads treat a loan past its due time and a reservation past its expiry as already over, so
 * what users see is right even before the sweep (or the next write) records it.
 */
import { sql } from 'kysely';

import { isUniqueViolation, lockRows, toNumber, writeTransaction } from '~/db/dialect';
import { listNotifications, markRead, notify } from '~/domain/notifications/notify.server';
import { getT } from '~/i18n/i18n.server';
import { todayInVietnam } from '~/lib/dates';
import type { DB } from '~/lib/db.server';
import { newId } from '~/lib/ids.server';
import { type Mail, sendMails } from '~/lib/mailer.server';
import { bumpCache } from '~/lib/page-cache.server';
import { err, ok, type Result } from '~/lib/result';

export const LOAN_LIMIT = 5;
export const HOLD_LIMIT = 10;
export const DEFAULT_LOAN_DAYS = 14;
export const RESERVATION_HOURS = 72;
const DAY_MS = 24 * 60 * 60 * 1000;

export type BorrowError = 'not_found' | 'open_access' | 'limit' | 'unavailable' | 'already' | 'reserved_for_other';
export type HoldError = 'not_found' | 'open_access' | 'limit' | 'available' | 'already' | 'has_loan';

async function loanDays(db: DB, libraryId: string): Promise<number> {
  const s = await db.selectFrom('lib_library_settings').select('loan_days').where('library_id', '=', libraryId).executeTakeFirst();
  return s?.loan_days ?? DEFAULT_LOAN_DAYS;
}

export async function setLoanDays(db: DB, libraryId: string, days: number): Promise<void> {
  await db
    .insertInto('lib_library_settings')
    .values({ library_id: libraryId, loan_days: days })
    .onConflict((oc) => oc.column('library_id').doUpdateSet({ loan_days: days }))
    .execute();
  await bumpCache(db, 'library');
}
export { loanDays as getLoanDays };

/** Copies a library can lend now: its own, plus rotated in (until the end date), minus rotated out. */
export async function effectiveCopies(
  db: DB,
  holding: { title_id: string; library_id: string; copies: number },
  now: Date,
): Promise<number> {
  const today = todayInVietnam(now);
  const [inRow, outRow] = await Promise.all([
    db
      .selectFrom('lib_rotations')
      .select(sql<number>`coalesce(sum(copies), 0)`.as('n'))
      .where('title_id', '=', holding.title_id)
      .where('to_library_id', '=', holding.library_id)
      .where('status', '=', 'active')
      .where('ends_on', '>=', today)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('lib_rotations')
      .select(sql<number>`coalesce(sum(copies), 0)`.as('n'))
      .where('title_id', '=', holding.title_id)
      .where('from_library_id', '=', holding.library_id)
      .where('status', '=', 'active')
      .executeTakeFirstOrThrow(),
  ]);
  return Math.max(0, holding.copies + toNumber(inRow.n) - toNumber(outRow.n));
}

/** Copies out on loan or reserved for a reader at this holding. */
export async function copiesInUse(db: DB, holdingId: string, now: Date): Promise<{ loans: number; ready: number }> {
  const iso = now.toISOString();
  const [l, r] = await Promise.all([
    db
      .selectFrom('lib_loans')
      .select(sql<number>`count(*)`.as('n'))
      .where('holding_id', '=', holdingId)
      .where('status', '=', 'active')
      .where('due_at', '>', iso)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('lib_holds')
      .select(sql<number>`count(*)`.as('n'))
      .where('holding_id', '=', holdingId)
      .where('status', '=', 'ready')
      .where('expires_at', '>', iso)
      .executeTakeFirstOrThrow(),
  ]);
  return { loans: toNumber(l.n), ready: toNumber(r.n) };
}

export interface HoldingAvailability {
  holdingId: string;
  libraryId: string;
  openAccess: boolean;
  copies: number;
  onLoan: number;
  reserved: number;
  available: number;
  queue: number;
  loanDays: number;
  /** Days a new hold would wait at most (every loan ahead runs its full period); null: no copies. */
  estimatedWaitDays: number | null;
}

export async function holdingAvailability(
  db: DB,
  h: { id: string; title_id: string; library_id: string; copies: number; open_access: number },
  now = new Date(),
): Promise<HoldingAvailability> {
  const [copies, use, q, days] = await Promise.all([
    effectiveCopies(db, h, now),
    copiesInUse(db, h.id, now),
    db
      .selectFrom('lib_holds')
      .select(sql<number>`count(*)`.as('n'))
      .where('holding_id', '=', h.id)
      .where('status', 'in', ['waiting', 'suspended'])
      .executeTakeFirstOrThrow(),
    loanDays(db, h.library_id),
  ]);
  const queue = toNumber(q.n);
  const available = Math.max(0, copies - use.loans - use.ready);
  return {
    holdingId: h.id,
    libraryId: h.library_id,
    openAccess: h.open_access === 1,
    copies,
    onLoan: use.loans,
    reserved: use.ready,
    available,
    queue,
    loanDays: days,
    estimatedWaitDays: available > 0 ? 0 : copies > 0 ? Math.ceil((queue + 1) / copies) * days : null,
  };
}

/**
 * holdingAvailability for every holding of many titles in ONE query (feeds and lists: no query
 * per entry), with the library's name and slug; ordered by library name.
 */
export async function availabilityOfTitles(db: DB, titleIds: string[], now = new Date()) {
  if (!titleIds.length) return [];
  const iso = now.toISOString();
  const today = todayInVietnam(now);
  const rows = await db
    .selectFrom('lib_holdings as h')
    .innerJoin('units as u', 'u.id', 'h.library_id')
    .leftJoin('lib_library_settings as s', 's.library_id', 'h.library_id')
    .select(['h.id', 'h.title_id', 'h.library_id', 'h.copies', 'h.open_access', 'u.slug', 'u.name', 'u.name_en', 's.loan_days'])
    .select((eb) => [
      eb
        .selectFrom('lib_rotations as r')
        .select(sql<number>`coalesce(sum(r.copies), 0)`.as('n'))
        .whereRef('r.title_id', '=', 'h.title_id')
        .whereRef('r.to_library_id', '=', 'h.library_id')
        .where('r.status', '=', 'active')
        .where('r.ends_on', '>=', today)
        .as('rotated_in'),
      eb
        .selectFrom('lib_rotations as r')
        .select(sql<number>`coalesce(sum(r.copies), 0)`.as('n'))
        .whereRef('r.title_id', '=', 'h.title_id')
        .whereRef('r.from_library_id', '=', 'h.library_id')
        .where('r.status', '=', 'active')
        .as('rotated_out'),
      eb
        .selectFrom('lib_loans as l')
        .select(sql<number>`count(*)`.as('n'))
        .whereRef('l.holding_id', '=', 'h.id')
        .where('l.status', '=', 'active')
        .where('l.due_at', '>', iso)
        .as('on_loan'),
      eb
        .selectFrom('lib_holds as k')
        .select(sql<number>`count(*)`.as('n'))
        .whereRef('k.holding_id', '=', 'h.id')
        .where('k.status', '=', 'ready')
        .where('k.expires_at', '>', iso)
        .as('reserved'),
      eb
        .selectFrom('lib_holds as k')
        .select(sql<number>`count(*)`.as('n'))
        .whereRef('k.holding_id', '=', 'h.id')
        .where('k.status', 'in', ['waiting', 'suspended'])
        .as('queue'),
    ])
    .where('h.title_id', 'in', titleIds)
    .orderBy('u.name')
    .execute();
  return rows.map((r) => {
    const copies = Math.max(0, r.copies + toNumber(r.rotated_in) - toNumber(r.rotated_out));
    const onLoan = toNumber(r.on_loan);
    const reserved = toNumber(r.reserved);
    const queue = toNumber(r.queue);
    const days = r.loan_days ?? DEFAULT_LOAN_DAYS;
    const available = Math.max(0, copies - onLoan - reserved);
    const availability: HoldingAvailability = {
      holdingId: r.id,
      libraryId: r.library_id,
      openAccess: r.open_access === 1,
      copies,
      onLoan,
      reserved,
      available,
      queue,
      loanDays: days,
      estimatedWaitDays: available > 0 ? 0 : copies > 0 ? Math.ceil((queue + 1) / copies) * days : null,
    };
    return {
      id: r.id,
      title_id: r.title_id,
      library_id: r.library_id,
      open_access: r.open_access,
      slug: r.slug,
      name: r.name,
      name_en: r.name_en,
      availability,
    };
  });
}

async function lockedHolding(trx: DB, holdingId: string) {
  return lockRows(trx, trx.selectFrom('lib_holdings').selectAll().where('id', '=', holdingId)).executeTakeFirst();
}

/** A library notice through the notification centre (its message names the title). */
async function libraryNotice(
  trx: DB,
  userId: string,
  type: 'library.hold_ready' | 'library.hold_expired' | 'library.loan_expired',
  titleId: string,
  now: Date,
) {
  const t = await trx.selectFrom('lib_titles').select(['title', 'slug']).where('id', '=', titleId).executeTakeFirst();
  await notify(trx, { userId, type, params: t ? { title: t.title } : {}, url: t ? `/library/${t.slug}` : null, now });
}

async function holdReadyMail(trx: DB, userId: string, titleId: string, expiresAt: string): Promise<Mail | null> {
  const [u, title] = await Promise.all([
    trx.selectFrom('users').select(['email', 'locale']).where('id', '=', userId).executeTakeFirst(),
    trx.selectFrom('lib_titles').select(['title', 'slug']).where('id', '=', titleId).executeTakeFirst(),
  ]);
  if (!u || !title) return null;
  const t = getT(u.locale);
  const until = new Date(expiresAt).toLocaleString(u.locale === 'en' ? 'en-GB' : 'vi-VN', { timeZone: 'Asia/Ho_Chi_Minh' });
  return {
    to: u.email,
    subject: t('library.mail.holdReadySubject', { title: title.title }),
    text: t('library.mail.holdReadyBody', { title: title.title, until, path: `/library/${title.slug}` }),
  };
}

/**
 * Brings one holding up to date inside a transaction that holds its lock: records expired loans
 * and unclaimed reservations, then hands every free copy to the next waiting reader (FIFO,
 * suspended holds skipped but keeping their place). Returns mails to send after commit.
 */
export async function settleHolding(trx: DB, holdingId: string, now: Date): Promise<Mail[]> {
  const iso = now.toISOString();
  const mails: Mail[] = [];
  const h = await trx.selectFrom('lib_holdings').selectAll().where('id', '=', holdingId).executeTakeFirst();
  if (!h) return mails;
  const expiredLoans = await trx
    .updateTable('lib_loans')
    .set({ status: 'expired', returned_at: iso })
    .where('holding_id', '=', holdingId)
    .where('status', '=', 'active')
    .where('due_at', '<=', iso)
    .returning(['user_id', 'title_id'])
    .execute();
  for (const l of expiredLoans) await libraryNotice(trx, l.user_id, 'library.loan_expired', l.title_id, now);
  const expiredHolds = await trx
    .updateTable('lib_holds')
    .set({ status: 'expired', closed_at: iso })
    .where('holding_id', '=', holdingId)
    .where('status', '=', 'ready')
    .where('expires_at', '<=', iso)
    .returning(['user_id', 'title_id'])
    .execute();
  for (const x of expiredHolds) await libraryNotice(trx, x.user_id, 'library.hold_expired', x.title_id, now);
  if (h.open_access) return mails;
  const copies = await effectiveCopies(trx, h, now);
  const use = await copiesInUse(trx, holdingId, now);
  let free = copies - use.loans - use.ready;
  while (free > 0) {
    const next = await trx
      .selectFrom('lib_holds')
      .select(['id', 'user_id'])
      .where('holding_id', '=', holdingId)
      .where('status', '=', 'waiting')
      .orderBy('queued_at')
      .orderBy('id')
      .limit(1)
      .executeTakeFirst();
    if (!next) break;
    const expiresAt = new Date(now.getTime() + RESERVATION_HOURS * 3600_000).toISOString();
    await trx.updateTable('lib_holds').set({ status: 'ready', ready_at: iso, expires_at: expiresAt }).where('id', '=', next.id).execute();
    await libraryNotice(trx, next.user_id, 'library.hold_ready', h.title_id, now);
    const m = await holdReadyMail(trx, next.user_id, h.title_id, expiresAt);
    if (m) mails.push(m);
    free--;
  }
  return mails;
}

async function deliver(db: DB, mails: Mail[]) {
  await sendMails(db, mails);
}

export async function borrow(
  db: DB,
  userId: string,
  holdingId: string,
  now = new Date(),
): Promise<Result<{ loanId: string; dueAt: string }, BorrowError>> {
  const { result, mails } = await writeTransaction(db, async (trx) => {
    const h = await lockedHolding(trx, holdingId);
    if (!h) return { result: err('not_found'), mails: [] };
    if (h.open_access) return { result: err('open_access'), mails: [] };
    await lockRows(trx, trx.selectFrom('users').select('id').where('id', '=', userId)).executeTakeFirst();
    const mails = await settleHolding(trx, holdingId, now);
    const iso = now.toISOString();
    const mine = await trx
      .selectFrom('lib_loans')
      .select(['title_id'])
      .where('user_id', '=', userId)
      .where('status', '=', 'active')
      .where('due_at', '>', iso)
      .execute();
    if (mine.some((l) => l.title_id === h.title_id)) return { result: err('already'), mails };
    if (mine.length >= LOAN_LIMIT) return { result: err('limit'), mails };
    const ready = await trx
      .selectFrom('lib_holds')
      .select('id')
      .where('holding_id', '=', holdingId)
      .where('user_id', '=', userId)
      .where('status', '=', 'ready')
      .where('expires_at', '>', iso)
      .executeTakeFirst();
    if (!ready) {
      const copies = await effectiveCopies(trx, h, now);
      const use = await copiesInUse(trx, holdingId, now);
      if (copies - use.loans - use.ready <= 0) {
        const waiting = use.ready > 0 && copies - use.loans > 0;
        return { result: err(waiting ? 'reserved_for_other' : 'unavailable'), mails };
      }
    } else {
      await trx.updateTable('lib_holds').set({ status: 'fulfilled', closed_at: iso }).where('id', '=', ready.id).execute();
    }
    const days = await loanDays(trx, h.library_id);
    const loanId = newId();
    const dueAt = new Date(now.getTime() + days * DAY_MS).toISOString();
    await trx
      .insertInto('lib_loans')
      .values({
        id: loanId,
        holding_id: h.id,
        title_id: h.title_id,
        library_id: h.library_id,
        user_id: userId,
        status: 'active',
        borrowed_at: iso,
        due_at: dueAt,
        renewals: 0,
        returned_at: null,
      })
      .execute();
    return { result: ok({ loanId, dueAt }), mails };
  }).catch((e) => {
    if (isUniqueViolation(e)) return { result: err('already'), mails: [] as Mail[] };
    throw e;
  });
  if (result.ok) await bumpCache(db, 'library'); // availability shows on public pages
  await deliver(db, mails);
  return result;
}

export type RenewError = 'not_found' | 'already_renewed' | 'waiting' | 'expired';

export async function renew(db: DB, userId: string, loanId: string, now = new Date()): Promise<Result<{ dueAt: string }, RenewError>> {
  return writeTransaction(db, async (trx) => {
    const loan = await trx.selectFrom('lib_loans').selectAll().where('id', '=', loanId).where('user_id', '=', userId).executeTakeFirst();
    if (!loan) return err('not_found');
    await lockedHolding(trx, loan.holding_id);
    const iso = now.toISOString();
    if (loan.status !== 'active' || loan.due_at <= iso) return err('expired');
    if (loan.renewals >= 1) return err('already_renewed');
    const waiting = await trx
      .selectFrom('lib_holds')
      .select('id')
      .where('holding_id', '=', loan.holding_id)
      .where('status', 'in', ['waiting', 'ready'])
      .limit(1)
      .executeTakeFirst();
    if (waiting) return err('waiting');
    const days = await loanDays(trx, loan.library_id);
    const dueAt = new Date(new Date(loan.due_at).getTime() + days * DAY_MS).toISOString();
    await trx.updateTable('lib_loans').set({ due_at: dueAt, renewals: 1 }).where('id', '=', loanId).execute();
    return ok({ dueAt });
  });
}

export async function returnLoan(db: DB, userId: string, loanId: string, now = new Date()): Promise<boolean> {
  const { ok, mails } = await writeTransaction(db, async (trx) => {
    const loan = await trx.selectFrom('lib_loans').selectAll().where('id', '=', loanId).where('user_id', '=', userId).executeTakeFirst();
    if (!loan) return { ok: false, mails: [] as Mail[] };
    await lockedHolding(trx, loan.holding_id);
    const done = await trx
      .updateTable('lib_loans')
      .set({ status: 'returned', returned_at: now.toISOString() })
      .where('id', '=', loanId)
      .where('status', '=', 'active')
      .executeTakeFirst();
    const mails = await settleHolding(trx, loan.holding_id, now);
    return { ok: Number(done.numUpdatedRows) > 0, mails };
  });
  if (ok) await bumpCache(db, 'library');
  await deliver(db, mails);
  return ok;
}

export async function placeHold(
  db: DB,
  userId: string,
  holdingId: string,
  now = new Date(),
): Promise<Result<{ holdId: string }, HoldError>> {
  try {
    const { result, mails } = await writeTransaction(db, async (trx) => {
      const h = await lockedHolding(trx, holdingId);
      if (!h) return { result: err('not_found'), mails: [] as Mail[] };
      if (h.open_access) return { result: err('open_access'), mails: [] as Mail[] };
      await lockRows(trx, trx.selectFrom('users').select('id').where('id', '=', userId)).executeTakeFirst();
      const mails = await settleHolding(trx, holdingId, now);
      const iso = now.toISOString();
      const loan = await trx
        .selectFrom('lib_loans')
        .select('id')
        .where('user_id', '=', userId)
        .where('title_id', '=', h.title_id)
        .where('status', '=', 'active')
        .where('due_at', '>', iso)
        .executeTakeFirst();
      if (loan) return { result: err('has_loan'), mails };
      const open = await trx
        .selectFrom('lib_holds')
        .select(['holding_id'])
        .where('user_id', '=', userId)
        .where('status', 'in', ['waiting', 'ready', 'suspended'])
        .execute();
      if (open.some((o) => o.holding_id === holdingId)) return { result: err('already'), mails };
      if (open.length >= HOLD_LIMIT) return { result: err('limit'), mails };
      const copies = await effectiveCopies(trx, h, now);
      const use = await copiesInUse(trx, holdingId, now);
      const queue = await trx
        .selectFrom('lib_holds')
        .select('id')
        .where('holding_id', '=', holdingId)
        .where('status', '=', 'waiting')
        .limit(1)
        .executeTakeFirst();
      if (copies - use.loans - use.ready > 0 && !queue) return { result: err('available'), mails };
      const holdId = newId();
      await trx
        .insertInto('lib_holds')
        .values({
          id: holdId,
          holding_id: holdingId,
          title_id: h.title_id,
          library_id: h.library_id,
          user_id: userId,
          status: 'waiting',
          queued_at: iso,
          ready_at: null,
          expires_at: null,
          closed_at: null,
        })
        .execute();
      return { result: ok({ holdId }), mails };
    });
    if (result.ok) await bumpCache(db, 'library');
    await deliver(db, mails);
    return result;
  } catch (e) {
    if (isUniqueViolation(e)) return err('already');
    throw e;
  }
}

export type HoldAction = 'suspend' | 'resume' | 'cancel';

/** Suspend keeps the place in the queue (queued_at is untouched); resume may hand a copy over at once. */
export async function changeHold(db: DB, userId: string, holdId: string, action: HoldAction, now = new Date()): Promise<boolean> {
  const { ok, mails } = await writeTransaction(db, async (trx) => {
    const hold = await trx.selectFrom('lib_holds').selectAll().where('id', '=', holdId).where('user_id', '=', userId).executeTakeFirst();
    if (!hold) return { ok: false, mails: [] as Mail[] };
    await lockedHolding(trx, hold.holding_id);
    const from = action === 'suspend' ? ['waiting'] : action === 'resume' ? ['suspended'] : ['waiting', 'ready', 'suspended'];
    const to = action === 'suspend' ? 'suspended' : action === 'resume' ? 'waiting' : 'cancelled';
    const r = await trx
      .updateTable('lib_holds')
      .set(to === 'cancelled' ? { status: to, closed_at: now.toISOString() } : { status: to })
      .where('id', '=', holdId)
      .where('status', 'in', from as Array<'waiting' | 'ready' | 'suspended'>)
      .executeTakeFirst();
    const mails = await settleHolding(trx, hold.holding_id, now);
    return { ok: Number(r.numUpdatedRows) > 0, mails };
  });
  if (ok) await bumpCache(db, 'library');
  await deliver(db, mails);
  return ok;
}

/** 1-based place in the queue among waiting and suspended holds (suspended ones keep theirs). */
export async function holdPosition(db: DB, hold: { id: string; holding_id: string; queued_at: string }): Promise<number> {
  const r = await db
    .selectFrom('lib_holds')
    .select(sql<number>`count(*)`.as('n'))
    .where('holding_id', '=', hold.holding_id)
    .where('status', 'in', ['waiting', 'suspended'])
    .where((eb) => eb.or([eb('queued_at', '<', hold.queued_at), eb.and([eb('queued_at', '=', hold.queued_at), eb('id', '<', hold.id)])]))
    .executeTakeFirstOrThrow();
  return toNumber(r.n) + 1;
}

/** The periodic sweep: every holding with something due is settled in its own short transaction. */
export async function sweepCirculation(db: DB, now = new Date()): Promise<{ holdings: number }> {
  const iso = now.toISOString();
  const rows = await db
    .selectFrom('lib_loans')
    .select('holding_id')
    .where('status', '=', 'active')
    .where('due_at', '<=', iso)
    .union(db.selectFrom('lib_holds').select('holding_id').where('status', '=', 'ready').where('expires_at', '<=', iso))
    .union(db.selectFrom('lib_holds').select('holding_id').where('status', '=', 'waiting'))
    .execute();
  const ids = [...new Set(rows.map((r) => r.holding_id))];
  for (const id of ids) {
    const mails = await writeTransaction(db, async (trx) => {
      await lockedHolding(trx, id);
      return settleHolding(trx, id, now);
    });
    await deliver(db, mails);
  }
  if (ids.length) await bumpCache(db, 'library');
  return { holdings: ids.length };
}

/** True when the user may download the title's file: open access somewhere, or a current loan. */
export async function canReadTitle(db: DB, userId: string | null, titleId: string, now = new Date()): Promise<boolean> {
  const open = await db
    .selectFrom('lib_holdings')
    .select('id')
    .where('title_id', '=', titleId)
    .where('open_access', '=', 1)
    .limit(1)
    .executeTakeFirst();
  if (open) return true;
  if (!userId) return false;
  const loan = await db
    .selectFrom('lib_loans')
    .select('id')
    .where('user_id', '=', userId)
    .where('title_id', '=', titleId)
    .where('status', '=', 'active')
    .where('due_at', '>', now.toISOString())
    .executeTakeFirst();
  return !!loan;
}

export function isOpenAccess(db: DB, titleId: string) {
  return db
    .selectFrom('lib_holdings')
    .select('id')
    .where('title_id', '=', titleId)
    .where('open_access', '=', 1)
    .limit(1)
    .executeTakeFirst()
    .then((r) => !!r);
}

export async function userLoans(db: DB, userId: string, now = new Date()) {
  return db
    .selectFrom('lib_loans as l')
    .innerJoin('lib_titles as t', 't.id', 'l.title_id')
    .innerJoin('units as u', 'u.id', 'l.library_id')
    .select([
      'l.id',
      'l.holding_id',
      'l.due_at',
      'l.borrowed_at',
      'l.renewals',
      't.id as title_id',
      't.slug',
      't.title',
      't.author',
      'u.name as library_name',
      'u.name_en as library_name_en',
    ])
    .where('l.user_id', '=', userId)
    .where('l.status', '=', 'active')
    .where('l.due_at', '>', now.toISOString())
    .orderBy('l.due_at')
    .execute();
}

export async function userHolds(db: DB, userId: string, now = new Date()) {
  const iso = now.toISOString();
  const rows = await db
    .selectFrom('lib_holds as h')
    .innerJoin('lib_titles as t', 't.id', 'h.title_id')
    .innerJoin('units as u', 'u.id', 'h.library_id')
    .select([
      'h.id',
      'h.holding_id',
      'h.status',
      'h.queued_at',
      'h.expires_at',
      't.slug',
      't.title',
      't.author',
      'u.name as library_name',
      'u.name_en as library_name_en',
    ])
    .where('h.user_id', '=', userId)
    .where((eb) =>
      eb.or([eb('h.status', 'in', ['waiting', 'suspended']), eb.and([eb('h.status', '=', 'ready'), eb('h.expires_at', '>', iso)])]),
    )
    .orderBy('h.queued_at')
    .execute();
  return Promise.all(rows.map(async (r) => ({ ...r, position: r.status === 'ready' ? 0 : await holdPosition(db, r) })));
}

/** The member's library notices (from the notification centre), newest first. */
export async function userNotifications(db: DB, userId: string, limit = 20) {
  const rows = await listNotifications(db, userId, { prefix: 'library.', limit });
  return rows.map((n) => ({
    id: n.id,
    kind: n.type.slice('library.'.length) as 'hold_ready' | 'hold_expired' | 'loan_expired',
    created_at: n.createdAt,
    read_at: n.unread ? null : n.createdAt,
    title: typeof n.params.title === 'string' ? n.params.title : null,
    slug: n.url?.startsWith('/library/') ? n.url.slice('/library/'.length) : null,
  }));
}

export async function markNotificationsRead(db: DB, userId: string): Promise<void> {
  await markRead(db, userId, { prefix: 'library.' });
}
