import { describe, expect, it } from 'vitest';

import type { DB } from '~/db/connection';

import { borrow, returnLoan } from '../../app/domain/library/circulation.server';
import {
  decideRotation,
  libraryRotations,
  requestRotation,
  subtreeRotations,
  sweepRotations,
} from '../../app/domain/library/rotations.server';
import { titleAvailability } from '../../app/domain/library/titles.server';
import { dialects } from '../helpers/db';
import { eachFreshWorld } from '../helpers/world';
import { type LibraryWorld, libraryWorld } from './library-fixtures';

describe.each(dialects)('library rotations (%s)', (dialect) => {
  let db: DB;
  let w: LibraryWorld;
  eachFreshWorld(dialect, libraryWorld, (fresh) => ({ db, w } = fresh));

  it('moves copies to the receiving library while active, and back after the end once loans finish', async () => {
    const librarian = await w.user();
    const reader = await w.user();
    const t = await w.title('Luân chuyển', w.libA.id, 3);
    const day1 = new Date('2026-10-01T03:00:00Z');
    const r = await requestRotation(db, {
      titleId: t.titleId,
      fromLibraryId: w.libA.id,
      toLibraryId: w.libB.id,
      copies: 2,
      startsOn: '2026-10-01',
      endsOn: '2026-10-07',
      requestedBy: librarian,
    });
    if (!r.ok) throw new Error(r.code);
    expect(await decideRotation(db, r.value.id, 'accept', librarian, day1)).toBe(true);
    const avail = await titleAvailability(db, t.titleId, day1);
    const byLib = Object.fromEntries(avail.map((a) => [a.libraryId, a.available]));
    expect(byLib[w.libA.id]).toBe(1);
    expect(byLib[w.libB.id]).toBe(2);
    const holdingB = avail.find((a) => a.libraryId === w.libB.id)!.holdingId;
    const loan = await borrow(db, reader, holdingB, day1);
    if (!loan.ok) throw new Error(loan.code);

    // The end date has passed but the reader still has a rotated copy: not yet returned.
    const after = new Date('2026-10-09T03:00:00Z');
    expect(await sweepRotations(db, after)).toEqual({ started: 0, returned: 0 });
    expect((await libraryRotations(db, w.libB.id)).incoming[0]!.status).toBe('active');
    await returnLoan(db, reader, loan.value.loanId, after);
    expect(await sweepRotations(db, after)).toEqual({ started: 0, returned: 1 });
    const back = await titleAvailability(db, t.titleId, after);
    expect(back.find((a) => a.libraryId === w.libA.id)!.available).toBe(3);
    expect(back.find((a) => a.libraryId === w.libB.id)!.available).toBe(0);
    expect(await subtreeRotations(db, w.root.id)).toHaveLength(1);
  });

  it('waits for the start date and for free copies before activating', async () => {
    const librarian = await w.user();
    const t = await w.title('Chờ', w.libA.id, 1);
    const reader = await w.user();
    await borrow(db, reader, t.holdingId, new Date('2026-10-01T00:00:00Z'));
    const r = await requestRotation(db, {
      titleId: t.titleId,
      fromLibraryId: w.libA.id,
      toLibraryId: w.libB.id,
      copies: 1,
      startsOn: '2026-10-05',
      endsOn: '2026-10-20',
      requestedBy: librarian,
    });
    if (!r.ok) throw new Error(r.code);
    await decideRotation(db, r.value.id, 'accept', librarian, new Date('2026-10-02T00:00:00Z'));
    expect((await libraryRotations(db, w.libA.id)).outgoing[0]!.status).toBe('accepted');
    expect(await sweepRotations(db, new Date('2026-10-06T00:00:00Z'))).toEqual({ started: 0, returned: 0 });
    // The loan ends on 15/10: now the copy can travel.
    expect(await sweepRotations(db, new Date('2026-10-15T01:00:00Z'))).toEqual({ started: 1, returned: 0 });
    expect(
      await requestRotation(db, {
        titleId: t.titleId,
        fromLibraryId: w.libA.id,
        toLibraryId: w.libA.id,
        copies: 1,
        startsOn: '2026-10-05',
        endsOn: '2026-10-20',
        requestedBy: librarian,
      }),
    ).toEqual({ ok: false, code: 'same_library' });
  });
});
