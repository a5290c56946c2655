import { describe, expect, it } from 'vitest';

import type { DB } from '~/db/connection';

import { grantRole } from '../../app/domain/accounts.server';
import { deskAccess } from '../../app/domain/library/access.server';
import { borrow, placeHold, returnLoan } from '../../app/domain/library/circulation.server';
import { libraryDesk } from '../../app/domain/library/desk.server';
import { catalogueAvailability, listTitles } from '../../app/domain/library/titles.server';
import { createUnit } from '../../app/domain/units.server';
import { dialects } from '../helpers/db';
import { eachFreshWorld } from '../helpers/world';
import { type LibraryWorld, libraryWorld } from './library-fixtures';

const DAY = 24 * 3600_000;

describe.each(dialects)('librarian desk /library/loans (%s)', (dialect) => {
  let db: DB;
  let w: LibraryWorld;
  eachFreshWorld(dialect, libraryWorld, (fresh) => ({ db, w } = fresh));

  async function okDesk(userId: string, slug?: string) {
    const a = await deskAccess(db, userId, slug);
    if (a.status !== 'ok') throw new Error(a.status);
    return a;
  }

  it("shows a library's current loans and queue to its librarian, and to a librarian of a unit above it", async () => {
    const [ana, binh, chi] = [await w.user('An'), await w.user('Bình'), await w.user('Chi')];
    const t = await w.title('Thánh Gióng', w.libA.id, 1);
    const t0 = new Date('2026-10-01T00:00:00Z');
    expect((await borrow(db, ana, t.holdingId, t0)).ok).toBe(true);
    expect((await placeHold(db, binh, t.holdingId, t0)).ok).toBe(true);
    expect((await placeHold(db, chi, t.holdingId, new Date(t0.getTime() + 1000))).ok).toBe(true);

    const librarianA = await w.user('Thủ thư A');
    await grantRole(db, { userId: librarianA, unitId: w.libA.id, role: 'librarian', grantedBy: null });
    const desk = await libraryDesk(db, await okDesk(librarianA), 'all', new Date(t0.getTime() + DAY));
    expect(desk.loans.map((l) => [l.title, l.borrower, l.overdue])).toEqual([['Thánh Gióng', 'An', false]]);
    expect(desk.holds.map((h) => [h.reader, h.status, h.position])).toEqual([
      ['Bình', 'waiting', 1],
      ['Chi', 'waiting', 2],
    ]);
    expect(desk.counts).toEqual({ loans: 1, overdue: 0, waiting: 2, ready: 0 });

    // A librarian granted on the province (above both libraries) sees both; filtering by library narrows it.
    const provincial = await w.user('Thủ thư tỉnh');
    await grantRole(db, { userId: provincial, unitId: w.root.id, role: 'librarian', grantedBy: null });
    const all = await okDesk(provincial);
    expect(all.libraries.map((l) => l.id).sort()).toEqual([w.libA.id, w.libB.id].sort());
    const onlyB = await libraryDesk(db, await okDesk(provincial, w.libB.slug), 'all', t0);
    expect(onlyB.loans).toEqual([]);
    expect(onlyB.holds).toEqual([]);
  });

  it('refuses readers, teachers and librarians of another library, on the server', async () => {
    const reader = await w.user();
    expect(await deskAccess(db, reader)).toEqual({ status: 'forbidden' });
    const teacher = await w.user();
    await grantRole(db, { userId: teacher, unitId: w.libA.id, role: 'teacher', grantedBy: null });
    expect(await deskAccess(db, teacher)).toEqual({ status: 'forbidden' });
    const librarianB = await w.user();
    await grantRole(db, { userId: librarianB, unitId: w.libB.id, role: 'librarian', grantedBy: null });
    // Their own desk shows only library B; asking for library A by slug is refused.
    expect((await okDesk(librarianB)).libraries.map((l) => l.id)).toEqual([w.libB.id]);
    expect(await deskAccess(db, librarianB, w.libA.slug)).toEqual({ status: 'forbidden' });
    expect(await deskAccess(db, librarianB, 'khong-co-thu-vien-nay')).toEqual({ status: 'missing' });
    // A librarian of another province sees nothing of this one.
    const other = await createUnit(db, { parentId: null, kind: 'province', slug: 'tinh-khac', name: 'Tỉnh khác' });
    const otherLib = await w.user();
    await grantRole(db, { userId: otherLib, unitId: other.id, role: 'librarian', grantedBy: null });
    expect(await deskAccess(db, otherLib)).toEqual({ status: 'forbidden' });
  });

  it('never shows reading history: returned loans and closed holds are gone from the desk', async () => {
    const [ana, binh] = [await w.user('An'), await w.user('Bình')];
    const t = await w.title('Tấm Cám', w.libA.id, 1);
    const t0 = new Date('2026-10-01T00:00:00Z');
    const loan = await borrow(db, ana, t.holdingId, t0);
    if (!loan.ok) throw new Error(loan.code);
    expect(await returnLoan(db, ana, loan.value.loanId, new Date(t0.getTime() + DAY))).toBe(true);
    const librarian = await w.user();
    await grantRole(db, { userId: librarian, unitId: w.libA.id, role: 'librarian', grantedBy: null });
    const desk = await libraryDesk(db, await okDesk(librarian), 'all', new Date(t0.getTime() + 2 * DAY));
    expect(desk.loans).toEqual([]);
    expect(desk.counts.loans).toBe(0);
    // Nothing anywhere in the page names An, who read the book.
    expect(JSON.stringify(desk)).not.toContain('An');
    expect((await borrow(db, binh, t.holdingId, new Date(t0.getTime() + 2 * DAY))).ok).toBe(true);
    const after = await libraryDesk(db, await okDesk(librarian), 'all', new Date(t0.getTime() + 2 * DAY));
    expect(after.loans.map((l) => l.borrower)).toEqual(['Bình']);
  });

  it('filters overdue loans and holds ready for the next reader', async () => {
    const [ana, binh, chi] = [await w.user('An'), await w.user('Bình'), await w.user('Chi')];
    const t1 = await w.title('Một', w.libA.id, 1);
    const t2 = await w.title('Hai', w.libA.id, 1);
    const t0 = new Date('2026-10-01T00:00:00Z');
    expect((await borrow(db, ana, t1.holdingId, t0)).ok).toBe(true);
    const l2 = await borrow(db, binh, t2.holdingId, new Date(t0.getTime() + 10 * DAY));
    if (!l2.ok) throw new Error(l2.code);
    expect((await placeHold(db, chi, t2.holdingId, new Date(t0.getTime() + 10 * DAY))).ok).toBe(true);
    expect(await returnLoan(db, binh, l2.value.loanId, new Date(t0.getTime() + 12 * DAY))).toBe(true); // Chi's copy is kept 72 h
    const librarian = await w.user();
    await grantRole(db, { userId: librarian, unitId: w.libA.id, role: 'librarian', grantedBy: null });
    const access = await okDesk(librarian);
    const at = new Date(t0.getTime() + 14 * DAY + 60_000); // An's loan is past due, not yet swept
    const overdue = await libraryDesk(db, access, 'overdue', at);
    expect(overdue.loans.map((l) => [l.borrower, l.overdue])).toEqual([['An', true]]);
    expect(overdue.holds).toEqual([]);
    const ready = await libraryDesk(db, access, 'ready', at);
    expect(ready.loans).toEqual([]);
    expect(ready.holds.map((h) => [h.reader, h.status, h.title])).toEqual([['Chi', 'ready', 'Hai']]);
    expect(ready.counts).toEqual({ loans: 1, overdue: 1, waiting: 0, ready: 1 });
  });
});

describe.each(dialects)('catalogue order and availability (%s)', (dialect) => {
  let db: DB;
  let w: LibraryWorld;
  eachFreshWorld(dialect, libraryWorld, (fresh) => ({ db, w } = fresh));

  it('lists titles in Vietnamese alphabetical order: "Đọc…" right after "D…", not last', async () => {
    const names = [
      'Đọc sách cùng cháu',
      'Zalo và em',
      'Ăn quả nhớ kẻ trồng cây',
      'Dế mèn',
      'An toàn trên mạng',
      'Bà kể',
      'Ba con',
      'Ếch',
      'Âm vang',
    ];
    for (const n of names) await w.title(n);
    const { titles } = await listTitles(db, {});
    expect(titles.map((t) => t.title)).toEqual([...names].sort(new Intl.Collator('vi').compare));
    expect(titles.map((t) => t.title)).toEqual([
      'An toàn trên mạng',
      'Ăn quả nhớ kẻ trồng cây',
      'Âm vang',
      'Ba con',
      'Bà kể',
      'Dế mèn',
      'Đọc sách cùng cháu',
      'Ếch',
      'Zalo và em',
    ]);
  });

  it('marks what can be read now: open access, a free copy, or all copies out', async () => {
    const reader = await w.user();
    const open = await w.title('Mở', w.libA.id, 0, true);
    const free = await w.title('Còn bản', w.libA.id, 2);
    const out = await w.title('Hết bản', w.libA.id, 1);
    const t0 = new Date('2026-10-01T00:00:00Z');
    expect((await borrow(db, reader, out.holdingId, t0)).ok).toBe(true);
    expect((await borrow(db, reader, free.holdingId, t0)).ok).toBe(true);
    const m = await catalogueAvailability(db, [open.titleId, free.titleId, out.titleId], undefined, t0);
    expect([m.get(open.titleId), m.get(free.titleId), m.get(out.titleId)]).toEqual(['open', 'available', 'on_loan']);
    // Limited to library B, which holds none of them: no mark.
    expect((await catalogueAvailability(db, [free.titleId], w.libB.id, t0)).size).toBe(0);
  });
});
