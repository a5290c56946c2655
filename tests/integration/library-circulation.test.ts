import { describe, expect, it } from 'vitest';

import type { DB } from '~/db/connection';

import {
  borrow,
  canReadTitle,
  changeHold,
  holdPosition,
  placeHold,
  renew,
  returnLoan,
  setLoanDays,
  sweepCirculation,
  userHolds,
  userLoans,
} from '../../app/domain/library/circulation.server';
import { titleAvailability } from '../../app/domain/library/titles.server';
import { dialects } from '../helpers/db';
import { eachFreshWorld } from '../helpers/world';
import { type LibraryWorld, libraryWorld } from './library-fixtures';

const DAY = 24 * 3600_000;

describe.each(dialects)('library circulation (%s)', (dialect) => {
  let db: DB;
  let w: LibraryWorld;
  eachFreshWorld(dialect, libraryWorld, (fresh) => ({ db, w } = fresh));

  it('lends for the library period (14 days by default, or the library setting) and lets the reader open the file', async () => {
    const reader = await w.user();
    const { titleId, holdingId } = await w.title('Truyện Kiều');
    const t0 = new Date('2026-10-01T02:00:00Z');
    expect(await canReadTitle(db, reader, titleId, t0)).toBe(false);
    const r = await borrow(db, reader, holdingId, t0);
    expect(r.ok).toBe(true);
    if (r.ok) expect(new Date(r.value.dueAt).getTime() - t0.getTime()).toBe(14 * DAY);
    expect(await canReadTitle(db, reader, titleId, t0)).toBe(true);
    await setLoanDays(db, w.libB.id, 7);
    const other = await w.title('Sách B', w.libB.id);
    const r2 = await borrow(db, reader, other.holdingId, t0);
    if (!r2.ok) throw new Error(r2.code);
    expect(new Date(r2.value.dueAt).getTime() - t0.getTime()).toBe(7 * DAY);
  });

  it('refuses a sixth loan and a second loan of the same title', async () => {
    const reader = await w.user();
    const titles = [];
    for (let i = 0; i < 6; i++) titles.push(await w.title(`Sách ${i}`, w.libA.id, 2));
    for (let i = 0; i < 5; i++) expect((await borrow(db, reader, titles[i]!.holdingId)).ok).toBe(true);
    expect(await borrow(db, reader, titles[5]!.holdingId)).toEqual({ ok: false, code: 'limit' });
    expect(await borrow(db, reader, titles[0]!.holdingId)).toEqual({ ok: false, code: 'already' });
    expect(await userLoans(db, reader)).toHaveLength(5);
  });

  it('renews once when nobody waits, never when someone does', async () => {
    const [a, b] = [await w.user(), await w.user()];
    const t1 = await w.title('Một', w.libA.id, 1);
    const t0 = new Date('2026-10-01T00:00:00Z');
    const loan = await borrow(db, a, t1.holdingId, t0);
    if (!loan.ok) throw new Error(loan.code);
    const r1 = await renew(db, a, loan.value.loanId, new Date(t0.getTime() + DAY));
    expect(r1.ok).toBe(true);
    if (r1.ok) expect(new Date(r1.value.dueAt).getTime() - t0.getTime()).toBe(28 * DAY);
    expect(await renew(db, a, loan.value.loanId, new Date(t0.getTime() + 2 * DAY))).toEqual({ ok: false, code: 'already_renewed' });

    const t2 = await w.title('Hai', w.libA.id, 1);
    const loan2 = await borrow(db, a, t2.holdingId, t0);
    if (!loan2.ok) throw new Error(loan2.code);
    expect((await placeHold(db, b, t2.holdingId, t0)).ok).toBe(true);
    expect(await renew(db, a, loan2.value.loanId, t0)).toEqual({ ok: false, code: 'waiting' });
  });

  it('ends a loan at its due time: the file is closed and the copy lendable again', async () => {
    const [a, b] = [await w.user(), await w.user()];
    const t = await w.title('Hết hạn', w.libA.id, 1);
    const t0 = new Date('2026-10-01T00:00:00Z');
    expect((await borrow(db, a, t.holdingId, t0)).ok).toBe(true);
    expect(await borrow(db, b, t.holdingId, new Date(t0.getTime() + 13 * DAY))).toEqual({ ok: false, code: 'unavailable' });
    const later = new Date(t0.getTime() + 14 * DAY + 1000);
    expect(await canReadTitle(db, a, t.titleId, later)).toBe(false);
    await sweepCirculation(db, later);
    const row = await db.selectFrom('lib_loans').select('status').where('user_id', '=', a).executeTakeFirstOrThrow();
    expect(row.status).toBe('expired');
    const notes = await db.selectFrom('notif_notifications').select('type').where('user_id', '=', a).execute();
    expect(notes.map((n) => n.type)).toContain('library.loan_expired');
    expect((await borrow(db, b, t.holdingId, later)).ok).toBe(true);
  });

  it('hands a returned copy to the first in line, reserves it 72 h with a notice and mail, then passes it on', async () => {
    const [a, b, c] = [await w.user('An'), await w.user('Bình'), await w.user('Chi')];
    const t = await w.title('Hàng đợi', w.libA.id, 1);
    const t0 = new Date('2026-10-01T00:00:00Z');
    const loan = await borrow(db, a, t.holdingId, t0);
    if (!loan.ok) throw new Error(loan.code);
    expect((await placeHold(db, b, t.holdingId, t0)).ok).toBe(true);
    expect((await placeHold(db, c, t.holdingId, new Date(t0.getTime() + 1000))).ok).toBe(true);
    const [hc] = await userHolds(db, c, t0);
    expect(hc!.position).toBe(2);
    const avail = await titleAvailability(db, t.titleId, t0);
    expect(avail[0]!.queue).toBe(2);
    expect(avail[0]!.estimatedWaitDays).toBe(42);

    const tr = new Date(t0.getTime() + DAY);
    expect(await returnLoan(db, a, loan.value.loanId, tr)).toBe(true);
    const [hb] = await userHolds(db, b, tr);
    expect(hb!.status).toBe('ready');
    expect(new Date(hb!.expires_at!).getTime() - tr.getTime()).toBe(72 * 3600_000);
    expect((await db.selectFrom('notif_notifications').select('type').where('user_id', '=', b).execute()).map((n) => n.type)).toEqual([
      'library.hold_ready',
    ]);
    const mail = await db.selectFrom('outbox').selectAll().execute();
    expect(mail).toHaveLength(1);
    expect(mail[0]!.subject).toContain('Hàng đợi');
    // Someone else cannot take the copy kept for Bình.
    const d = await w.user('Dũng');
    expect(await borrow(db, d, t.holdingId, tr)).toEqual({ ok: false, code: 'reserved_for_other' });
    expect((await userHolds(db, c, tr))[0]!.position).toBe(1);

    // Bình never comes: after 72 h the copy passes to Chi.
    const tx = new Date(tr.getTime() + 72 * 3600_000 + 1);
    await sweepCirculation(db, tx);
    expect((await db.selectFrom('lib_holds').select('status').where('user_id', '=', b).executeTakeFirstOrThrow()).status).toBe('expired');
    const [hc2] = await userHolds(db, c, tx);
    expect(hc2!.status).toBe('ready');
    expect((await borrow(db, c, t.holdingId, tx)).ok).toBe(true);
    expect((await db.selectFrom('lib_holds').select('status').where('user_id', '=', c).executeTakeFirstOrThrow()).status).toBe('fulfilled');
  });

  it('skips a suspended hold but gives it back its place on resume', async () => {
    const [a, b, c] = [await w.user(), await w.user(), await w.user()];
    const t = await w.title('Tạm dừng', w.libA.id, 1);
    const t0 = new Date('2026-10-01T00:00:00Z');
    const loan = await borrow(db, a, t.holdingId, t0);
    if (!loan.ok) throw new Error(loan.code);
    const hb = await placeHold(db, b, t.holdingId, t0);
    await placeHold(db, c, t.holdingId, new Date(t0.getTime() + 5));
    if (!hb.ok) throw new Error(hb.code);
    expect(await changeHold(db, b, hb.value.holdId, 'suspend', t0)).toBe(true);
    // Still first in the queue while suspended.
    const held = await db.selectFrom('lib_holds').selectAll().where('id', '=', hb.value.holdId).executeTakeFirstOrThrow();
    expect(await holdPosition(db, held)).toBe(1);
    const t1 = new Date(t0.getTime() + DAY);
    await returnLoan(db, a, loan.value.loanId, t1);
    expect((await userHolds(db, c, t1))[0]!.status).toBe('ready');
    expect((await userHolds(db, b, t1))[0]!.status).toBe('suspended');
    expect(await changeHold(db, b, hb.value.holdId, 'resume', t1)).toBe(true);
    expect((await userHolds(db, b, t1))[0]).toMatchObject({ status: 'waiting', position: 1 });
  });

  it('refuses a hold when a copy is free, and an eleventh hold', async () => {
    const a = await w.user();
    const free = await w.title('Còn sách', w.libA.id, 1);
    expect(await placeHold(db, a, free.holdingId)).toEqual({ ok: false, code: 'available' });
    const lender = await w.user();
    const ts = [];
    for (let i = 0; i < 11; i++) {
      const t = await w.title(`Đặt ${i}`, w.libA.id, 1);
      // The lender borrows 5 at most, so give each title a distinct first borrower.
      const first = i < 5 ? lender : await w.user();
      expect((await borrow(db, first, t.holdingId)).ok).toBe(true);
      ts.push(t);
    }
    for (let i = 0; i < 10; i++) expect((await placeHold(db, a, ts[i]!.holdingId)).ok).toBe(true);
    expect(await placeHold(db, a, ts[10]!.holdingId)).toEqual({ ok: false, code: 'limit' });
  });

  it('lends exactly 3 copies to 200 readers borrowing at the same moment', async () => {
    const t = await w.title('Sách hot', w.libA.id, 3);
    const readers = [];
    for (let i = 0; i < 200; i++) readers.push(await w.user());
    const results = await Promise.all(readers.map((r) => borrow(db, r, t.holdingId)));
    expect(results.filter((r) => r.ok)).toHaveLength(3);
    expect(results.filter((r) => !r.ok && r.code === 'unavailable')).toHaveLength(197);
    const loans = await db
      .selectFrom('lib_loans')
      .select('id')
      .where('holding_id', '=', t.holdingId)
      .where('status', '=', 'active')
      .execute();
    expect(loans).toHaveLength(3);
  });

  it('serves open access titles to anyone, without loans', async () => {
    const t = await w.title('Mở', w.libA.id, 0, true);
    expect(await canReadTitle(db, null, t.titleId)).toBe(true);
    const a = await w.user();
    expect(await borrow(db, a, t.holdingId)).toEqual({ ok: false, code: 'open_access' });
  });
});
