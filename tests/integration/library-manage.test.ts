import { describe, expect, it } from 'vitest';

import type { DB } from '~/db/connection';

import { grantRole } from '../../app/domain/accounts.server';
import { borrow, getLoanDays } from '../../app/domain/library/circulation.server';
import {
  changeShelfTitleAs,
  createShelfAs,
  decideRotationAs,
  organiserRotations,
  requestRotationAs,
  setLoanDaysAs,
  shelfForViewer,
  shelfReadingAs,
} from '../../app/domain/library/manage.server';
import { recordOpened, setHistoryEnabled } from '../../app/domain/library/reading.server';
import { getRotation } from '../../app/domain/library/rotations.server';
import { joinShelf, shelfTitles } from '../../app/domain/library/shelves.server';
import { createUnit } from '../../app/domain/units.server';
import { dialects } from '../helpers/db';
import { eachFreshWorld } from '../helpers/world';
import { type LibraryWorld, libraryWorld } from './library-fixtures';

describe.each(dialects)('library permission checks (%s)', (dialect) => {
  let db: DB;
  let w: LibraryWorld;
  eachFreshWorld(dialect, libraryWorld, (fresh) => ({ db, w } = fresh));

  it('only a teacher of the school creates a shelf; only its teacher changes titles and sees the reading, which respects the history switch', async () => {
    const school = await createUnit(db, { parentId: w.root.id, kind: 'school', slug: `s-${Date.now()}`, name: 'Trường THCS thử' });
    const teacher = await w.user('Cô giáo');
    const otherTeacher = await w.user('Thầy khác');
    const [a, b] = [await w.user('Học sinh A'), await w.user('Học sinh B')];
    await grantRole(db, { userId: teacher, unitId: school.id, role: 'teacher', grantedBy: null });
    await grantRole(db, { userId: otherTeacher, unitId: w.libA.id, role: 'teacher', grantedBy: null });

    expect(await createShelfAs(db, a, { unitId: school.id, name: 'Không được' })).toEqual({ ok: false, code: 'forbidden' });
    expect(await createShelfAs(db, otherTeacher, { unitId: school.id, name: 'Không được' })).toEqual({ ok: false, code: 'forbidden' });
    const shelf = await createShelfAs(db, teacher, { unitId: school.id, name: 'Tủ sách 6A' });
    if (!shelf.ok) throw new Error(shelf.code);

    const t1 = await w.title('Dế Mèn', w.libA.id, 2);
    const t2 = await w.title('Cổ tích', w.libA.id, 0, true);
    expect(await changeShelfTitleAs(db, a, shelf.value.id, t1.titleId, 'add')).toEqual({ ok: false, code: 'forbidden' });
    expect(await changeShelfTitleAs(db, teacher, shelf.value.id, t1.titleId, 'add')).toEqual({ ok: true });
    expect(await changeShelfTitleAs(db, teacher, shelf.value.id, t2.titleId, 'add')).toEqual({ ok: true });
    expect((await shelfTitles(db, shelf.value.id)).map((t) => t.title)).toEqual(['Cổ tích', 'Dế Mèn']);

    expect((await shelfForViewer(db, shelf.value.id, a))!.role).toBe(null);
    expect(await joinShelf(db, a, shelf.value.code.toLowerCase())).toEqual({ ok: true, value: shelf.value.id });
    expect(await joinShelf(db, b, shelf.value.code)).toEqual({ ok: true, value: shelf.value.id });
    expect((await shelfForViewer(db, shelf.value.id, a))!.role).toBe('member');
    expect((await shelfForViewer(db, shelf.value.id, teacher))!.role).toBe('teacher');

    // A reads the open book (history on by default) and borrows Dế Mèn; B turned history off.
    await recordOpened(db, a, t2.titleId);
    await borrow(db, a, t1.holdingId);
    await setHistoryEnabled(db, b, false);
    await recordOpened(db, b, t2.titleId);

    expect(await shelfReadingAs(db, a, shelf.value.id)).toEqual({ ok: false, code: 'forbidden' });
    expect(await shelfReadingAs(db, otherTeacher, shelf.value.id)).toEqual({ ok: false, code: 'forbidden' });
    const r = await shelfReadingAs(db, teacher, shelf.value.id);
    if (!r.ok) throw new Error(r.code);
    const byName = Object.fromEntries(r.value.students.map((s) => [s.display_name, s.reading]));
    expect(byName['Học sinh A']).toEqual(['Cổ tích', 'Dế Mèn']);
    expect(byName['Học sinh B']).toEqual([]);

    expect(await changeShelfTitleAs(db, teacher, shelf.value.id, t1.titleId, 'remove')).toEqual({ ok: true });
    expect((await shelfTitles(db, shelf.value.id)).map((t) => t.title)).toEqual(['Cổ tích']);
  });

  it('rotations: the receiving librarian requests, only the lending librarian decides, only the receiver cancels; organisers see their subtree', async () => {
    const libA = await w.user('Thủ thư A');
    const libB = await w.user('Thủ thư B');
    const reader = await w.user('Bạn đọc');
    const organiser = await w.user('Ban tổ chức');
    await grantRole(db, { userId: libA, unitId: w.libA.id, role: 'librarian', grantedBy: null });
    await grantRole(db, { userId: libB, unitId: w.libB.id, role: 'librarian', grantedBy: null });
    await grantRole(db, { userId: organiser, unitId: w.root.id, role: 'organiser', grantedBy: null });
    const t = await w.title('Sách luân chuyển', w.libA.id, 3);
    const input = {
      titleId: t.titleId,
      fromLibraryId: w.libA.id,
      toLibraryId: w.libB.id,
      copies: 2,
      startsOn: '2030-10-01',
      endsOn: '2030-10-31',
    };

    // Asking on behalf of a library one does not run is refused, as is a request to a non-library unit.
    expect(await requestRotationAs(db, reader, input)).toEqual({ ok: false, code: 'forbidden' });
    expect(await requestRotationAs(db, libA, input)).toEqual({ ok: false, code: 'forbidden' });
    expect(await requestRotationAs(db, organiser, input)).toEqual({ ok: false, code: 'forbidden' });
    expect(await requestRotationAs(db, libB, { ...input, copies: 9 })).toEqual({ ok: false, code: 'not_enough' });
    const req = await requestRotationAs(db, libB, input);
    if (!req.ok) throw new Error(req.code);

    expect(await decideRotationAs(db, libB, req.value.id, 'accept')).toEqual({ ok: false, code: 'forbidden' });
    expect(await decideRotationAs(db, reader, req.value.id, 'decline')).toEqual({ ok: false, code: 'forbidden' });
    expect(await decideRotationAs(db, organiser, req.value.id, 'accept')).toEqual({ ok: false, code: 'forbidden' });
    expect(await decideRotationAs(db, libA, req.value.id, 'cancel')).toEqual({ ok: false, code: 'forbidden' });
    expect((await getRotation(db, req.value.id))!.status).toBe('requested');
    expect(await decideRotationAs(db, libA, req.value.id, 'accept')).toEqual({ ok: true });
    expect((await getRotation(db, req.value.id))!.status).toBe('accepted');
    // A decided rotation cannot be decided again; the receiver can still withdraw before it starts.
    expect(await decideRotationAs(db, libA, req.value.id, 'decline')).toEqual({ ok: false, code: 'state' });
    expect(await decideRotationAs(db, libB, req.value.id, 'cancel')).toEqual({ ok: true });
    expect(await decideRotationAs(db, libA, 'nope', 'accept')).toEqual({ ok: false, code: 'not_found' });

    const seen = await organiserRotations(db, organiser);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.rotations.map((r) => r.status)).toEqual(['cancelled']);
    const outsider = await createUnit(db, { parentId: null, kind: 'province', slug: `x-${Date.now()}`, name: 'Tỉnh khác' });
    const otherOrganiser = await w.user('Ban tổ chức khác');
    await grantRole(db, { userId: otherOrganiser, unitId: outsider.id, role: 'organiser', grantedBy: null });
    expect((await organiserRotations(db, otherOrganiser))[0]!.rotations).toEqual([]);
  });

  it('only a librarian of the library sets its loan period', async () => {
    const libA = await w.user();
    const reader = await w.user();
    await grantRole(db, { userId: libA, unitId: w.libA.id, role: 'librarian', grantedBy: null });
    expect(await setLoanDaysAs(db, reader, w.libA.id, 7)).toEqual({ ok: false, code: 'forbidden' });
    expect(await setLoanDaysAs(db, libA, w.libB.id, 7)).toEqual({ ok: false, code: 'forbidden' });
    expect(await setLoanDaysAs(db, libA, w.libA.id, 7)).toEqual({ ok: true });
    expect(await getLoanDays(db, w.libA.id)).toBe(7);
    expect(await getLoanDays(db, w.libB.id)).toBe(14);
    const t = await w.title('Bảy ngày', w.libA.id, 1);
    const now = new Date('2030-01-01T00:00:00Z');
    const loan = await borrow(db, reader, t.holdingId, now);
    if (!loan.ok) throw new Error(loan.code);
    expect(loan.value.dueAt).toBe('2030-01-08T00:00:00.000Z');
  });
});
