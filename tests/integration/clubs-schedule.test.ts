/**
 * Reading schedules and spoiler-safe discussion on the shared engine, on both dialects: a member
 * still in part 1 cannot get part 2's posts through any page query, the engine's own thread and
 * list reads, the search index or the notification centre; reveal and progress open them; the
 * built-in reader's position counts as progress; bad schedule input is refused with its code.
 */
import '~/domain/places.server';

import { describe, expect, it } from 'vitest';

import type { DB } from '~/db/connection';
import { grantRole } from '~/domain/accounts.server';
import { type ClubInput, createClub, joinClub } from '~/domain/clubs/clubs.server';
import { clubThreadPage, discussionPage, schedulePage } from '~/domain/clubs/discussion.server';
import { invitePair, pairsForClub, respondPair } from '~/domain/clubs/pairs.server';
import { logReading } from '~/domain/clubs/reading.server';
import {
  addMilestone,
  CLUB_PLACE,
  finishedParts,
  markProgress,
  MILESTONE_PLACE,
  revealMilestone,
  setCurrentBook,
} from '~/domain/clubs/schedule.server';
import { canReadPlace } from '~/domain/discussion/places.server';
import { createThread, reply } from '~/domain/discussion/posts.server';
import { placeThreads, threadPage } from '~/domain/discussion/read.server';
import { listNotifications } from '~/domain/notifications/notify.server';
import { createUnit } from '~/domain/units.server';
import { newId, nowIso } from '~/lib/ids.server';

import { dialects } from '../helpers/db';
import { insertTitleRow } from '../helpers/library';
import { ESTABLISHED_ACCOUNT, makeUser } from '../helpers/users';
import { eachFreshWorld } from '../helpers/world';

const NOW = new Date('2026-12-01T03:00:00Z');

async function world(db: DB) {
  const ward = await createUnit(db, { parentId: null, kind: 'ward', slug: `w-${newId(6)}`, name: 'Phường Biên Giang' });
  // Living in the ward, with accounts old enough that the new-member posting limits do not apply.
  const user = (name: string, birthYear: number | null = 1990) =>
    makeUser(db, name, { birthYear, homeUnitId: ward.id, createdAt: ESTABLISHED_ACCOUNT });
  const mod = await user('Cô Hạnh');
  await grantRole(db, { userId: mod, unitId: ward.id, role: 'librarian', grantedBy: null });
  const base: ClubInput = {
    unitId: ward.id,
    name: 'CLB Ông bà và cháu',
    descriptionMd: '',
    language: 'vi',
    audience: 'all',
    visibility: 'request',
    intergenerational: true,
  };
  const make = async (over: Partial<ClubInput> = {}) => {
    const r = await createClub(db, mod, { ...base, ...over });
    if (!r.ok) throw new Error(r.code);
    return r.value;
  };
  const club = await make();
  const grandma = await user('Nguyễn Thị Lan', 1955);
  const grandchild = await user('Trần Minh', 2015);
  const outsider = await user('Người ngoài');
  for (const u of [grandma, grandchild]) {
    await joinClub(db, u, club.id);
    await db.updateTable('club_members').set({ status: 'active' }).where('club_id', '=', club.id).where('user_id', '=', u).execute();
  }
  return { ward, user, mod, club, make, grandma, grandchild, outsider };
}

describe.each(dialects)('club schedules and spoiler-safe threads (%s)', (dialect) => {
  let db: DB;
  let w: Awaited<ReturnType<typeof world>>;
  eachFreshWorld(dialect, world, (fresh) => ({ db, w } = fresh));

  async function twoParts() {
    expect((await setCurrentBook(db, w.mod, w.club.id, { title: 'Dế Mèn phiêu lưu ký', author: 'Tô Hoài', pages: 150 })).ok).toBe(true);
    const p1 = await addMilestone(
      db,
      w.mod,
      w.club.id,
      { label: 'Chương 1–3', fromPage: 1, toPage: 50, targetOn: '2026-12-10', questions: ['Dế Mèn đã học được bài học gì?'] },
      NOW,
    );
    const p2 = await addMilestone(db, w.mod, w.club.id, { label: 'Chương 4–6', fromPage: 51, toPage: 100, targetOn: '2026-12-20' }, NOW);
    if (!p1.ok || !p2.ok) throw new Error('milestones');
    return { p1: p1.value, p2: p2.value };
  }

  it('a member at part 1 cannot read part 2 through any route, engine read, search or notice; reveal and progress open it', async () => {
    const { p1, p2 } = await twoParts();
    expect([p1.position, p2.position]).toEqual([1, 2]);
    expect(p1.threadId && p2.threadId).toBeTruthy();
    // The opening post carries the prepared question.
    const mine = await threadPage(db, w.mod, p1.threadId!, {});
    expect(mine?.posts[0]?.html).toContain('Dế Mèn đã học được bài học gì?');

    await markProgress(db, w.grandchild, w.club.id, 2);
    await markProgress(db, w.grandma, w.club.id, 1);
    const posted = await reply(db, { userId: w.grandchild }, p2.threadId!, { body: 'Đoạn Dế Choắt mất làm cháu buồn lắm.' }, NOW);
    expect(posted.ok).toBe(true);
    await reply(db, { userId: w.grandchild }, p1.threadId!, { body: 'Phần 1 vui quá!' }, NOW);

    // Grandma (finished part 1): part 1 open, part 2 locked everywhere.
    expect(await canReadPlace(db, w.grandma, { type: MILESTONE_PLACE, id: p1.id })).toBe(true);
    expect(await canReadPlace(db, w.grandma, { type: MILESTONE_PLACE, id: p2.id })).toBe(false);
    expect(await threadPage(db, w.grandma, p2.threadId!, {})).toBeNull();
    expect(await placeThreads(db, w.grandma, { type: MILESTONE_PLACE, id: p2.id })).toBeNull();
    expect(await reply(db, { userId: w.grandma }, p2.threadId!, { body: 'Cho bà xem với' }, NOW)).toEqual({ ok: false, code: 'not_found' });
    const locked = await clubThreadPage(db, w.club.slug, p2.threadId!, w.grandma, {}, NOW);
    expect(locked.status).toBe('locked');
    expect(locked.status === 'locked' && locked.posts).toBe(2);
    expect(JSON.stringify(locked)).not.toContain('Dế Choắt');
    const sched = await schedulePage(db, w.club.slug, w.grandma, NOW);
    expect(sched.status === 'ok' && sched.milestones.map((m) => m.open)).toEqual([true, false]);
    expect(JSON.stringify(sched)).not.toContain('Dế Choắt');
    const disc = await discussionPage(db, w.club.slug, w.grandma, 1, NOW);
    expect(disc.status === 'ok' && disc.milestones[1]).toMatchObject({ open: false, posts: 2 });
    // Not in the shared search: milestone threads are never public.
    const docs = await db
      .selectFrom('search_docs')
      .select('ref_id')
      .where('ref_id', 'in', [p2.threadId!, posted.ok ? posted.value.postId : '-'])
      .execute();
    expect(docs).toHaveLength(0);

    // Outsiders get nothing (a private club), moderators everything.
    expect((await clubThreadPage(db, w.club.slug, p1.threadId!, w.outsider, {}, NOW)).status).toBe('missing');
    expect(await threadPage(db, w.outsider, p1.threadId!, {})).toBeNull();
    expect((await threadPage(db, w.mod, p2.threadId!, {}))?.posts).toHaveLength(2);

    // Grandma chooses to reveal: open; then a member who only marks progress opens it too.
    expect((await revealMilestone(db, w.grandma, p2.id)).ok).toBe(true);
    const open = await clubThreadPage(db, w.club.slug, p2.threadId!, w.grandma, {}, NOW);
    expect(open.status === 'ok' && open.posts.map((p) => p.html ?? '').join(' ')).toContain('Dế Choắt');
    expect((await revealMilestone(db, w.outsider, p2.id)).ok).toBe(false);
  });

  it('notices of a part opening reach members without spoilers; replies reach followers who can read the part', async () => {
    const { p2 } = await twoParts();
    const notes = await listNotifications(db, w.grandma);
    expect(notes.filter((n) => n.type === 'clubs.milestone')).toHaveLength(2);
    expect(notes[0]?.url).toBe(`/clubs/${w.club.slug}/schedule`);
    // Grandma follows part 2's thread while she may read it (revealed), then her reveal is gone: the reply notice hides.
    await revealMilestone(db, w.grandma, p2.id);
    await markProgress(db, w.grandchild, w.club.id, 2);
    const { setFollow } = await import('~/domain/discussion/posts.server');
    await setFollow(db, w.grandma, p2.threadId!, true, NOW);
    await reply(db, { userId: w.grandchild }, p2.threadId!, { body: 'Kết phần 2 bất ngờ quá' }, NOW);
    expect((await listNotifications(db, w.grandma)).some((n) => n.type === 'community.reply')).toBe(true);
    await db.deleteFrom('club_reveals').where('user_id', '=', w.grandma).execute();
    expect((await listNotifications(db, w.grandma)).some((n) => n.type === 'community.reply')).toBe(false);
  });

  it("a library title's progress comes from the reader's saved chapter", async () => {
    const titleId = await insertTitleRow(db, { title: 'Tấm Cám', author: 'Dân gian' });
    expect((await setCurrentBook(db, w.mod, w.club.id, { titleId })).ok).toBe(true);
    await addMilestone(db, w.mod, w.club.id, { label: 'Phần đầu', startChapter: 'Chương 1', targetOn: '2026-12-10' }, NOW);
    const p2 = await addMilestone(db, w.mod, w.club.id, { label: 'Phần cuối', startChapter: 'Chương 3', targetOn: '2026-12-20' }, NOW);
    const book = {
      id: (await db.selectFrom('club_books').select('id').where('status', '=', 'current').executeTakeFirstOrThrow()).id,
      title_id: titleId,
    };
    expect(await finishedParts(db, w.grandma, book)).toBe(0);
    await db
      .insertInto('lib_reading_state')
      .values({ user_id: w.grandma, title_id: titleId, cfi: 'epubcfi(/6/8!/4/2)', label: 'Chương 3', updated_at: nowIso() })
      .execute();
    expect(await finishedParts(db, w.grandma, book)).toBe(1);
    if (!p2.ok) throw new Error('p2');
    expect(await canReadPlace(db, w.grandma, { type: MILESTONE_PLACE, id: p2.value.id })).toBe(false);
    await markProgress(db, w.grandma, w.club.id, 2);
    expect(await canReadPlace(db, w.grandma, { type: MILESTONE_PLACE, id: p2.value.id })).toBe(true);
  });

  it('refuses bad schedules with a code, and other people acting as moderators', async () => {
    expect(await addMilestone(db, w.mod, w.club.id, { label: 'x', targetOn: '2026-12-10' }, NOW)).toEqual({ ok: false, code: 'no_book' });
    expect(await setCurrentBook(db, w.grandma, w.club.id, { title: 'Sách của bà' })).toEqual({ ok: false, code: 'forbidden' });
    expect(await setCurrentBook(db, w.mod, w.club.id, { titleId: 'nope' })).toEqual({ ok: false, code: 'no_title' });
    await setCurrentBook(db, w.mod, w.club.id, { title: 'Sách giấy', pages: 80 });
    const bad = (over: Partial<Parameters<typeof addMilestone>[3]>) =>
      addMilestone(db, w.mod, w.club.id, { label: 'Phần', targetOn: '2026-12-10', ...over }, NOW);
    expect(await bad({ fromPage: 30, toPage: 10 })).toEqual({ ok: false, code: 'pages_order' });
    expect(await bad({ fromPage: 30, toPage: 200 })).toEqual({ ok: false, code: 'pages_beyond' });
    expect(await bad({ targetOn: '2026-11-01' })).toEqual({ ok: false, code: 'target_past' });
    expect(await markProgress(db, w.grandma, w.club.id, 5)).toEqual({ ok: false, code: 'bad_progress' });
    expect(await markProgress(db, w.outsider, w.club.id, 0)).toEqual({ ok: false, code: 'not_member' });
    // A moderator of another club cannot touch this one.
    const other = await w.make({ name: 'CLB khác' });
    const otherMod = await w.user('Người điều hành khác');
    await db.updateTable('club_members').set({ user_id: otherMod }).where('club_id', '=', other.id).execute();
    expect(await addMilestone(db, otherMod, w.club.id, { label: 'x', targetOn: '2026-12-10' }, NOW)).toEqual({
      ok: false,
      code: 'forbidden',
    });
  });

  it('two moderators adding parts at once get consecutive positions, never the same one', async () => {
    await setCurrentBook(db, w.mod, w.club.id, { title: 'Sách giấy' });
    const rs = await Promise.all(
      [1, 2, 3, 4].map((i) => addMilestone(db, w.mod, w.club.id, { label: `Phần ${i}`, targetOn: '2026-12-10' }, NOW)),
    );
    expect(rs.map((r) => (r.ok ? r.value.position : 0)).sort()).toEqual([1, 2, 3, 4]);
  });

  it('ordinary club threads: members post through the shared engine; outsiders of a private club see none', async () => {
    const made = await createThread(
      db,
      { userId: w.grandma },
      { type: CLUB_PLACE, id: w.club.id },
      { title: 'Chào cả nhà', body: 'Bà rất vui được đọc cùng các cháu.' },
      NOW,
    );
    expect(made.ok && made.value.url).toMatch(new RegExp(`^/clubs/${w.club.slug}/t/`));
    expect((await createThread(db, { userId: w.outsider }, { type: CLUB_PLACE, id: w.club.id }, { title: 'x', body: 'y' }, NOW)).ok).toBe(
      false,
    );
    expect(await placeThreads(db, w.outsider, { type: CLUB_PLACE, id: w.club.id })).toBeNull();
    const disc = await discussionPage(db, w.club.slug, w.grandchild, 1, NOW);
    expect(disc.status === 'ok' && disc.threads.threads.map((t) => t.title)).toEqual(['Chào cả nhà']);
    expect((await discussionPage(db, w.club.slug, w.outsider, 1, NOW)).status).toBe('forbidden');
  });
  it('pairs a grandparent and a grandchild: invitation notice, one pair per couple, re-invite after a decline, reading logged together', async () => {
    expect(await invitePair(db, w.grandma, w.club.id, w.grandma, NOW)).toEqual({ ok: false, code: 'self' });
    expect(await invitePair(db, w.grandma, w.club.id, w.outsider, NOW)).toEqual({ ok: false, code: 'not_member' });
    const first = await invitePair(db, w.grandma, w.club.id, w.grandchild, NOW);
    if (!first.ok) throw new Error(first.code);
    expect((await listNotifications(db, w.grandchild)).find((n) => n.type === 'clubs.pair_invite')?.params).toMatchObject({
      name: 'Nguyễn Thị Lan',
    });
    expect(await invitePair(db, w.grandchild, w.club.id, w.grandma, NOW)).toEqual({ ok: false, code: 'already' });
    expect((await respondPair(db, w.grandma, first.value.id, 'accept')).ok).toBe(false); // only the invitee answers
    expect((await respondPair(db, w.grandchild, first.value.id, 'decline')).ok).toBe(true);
    const again = await invitePair(db, w.grandma, w.club.id, w.grandchild, NOW);
    expect(again.ok && again.value.id).toBe(first.value.id);
    expect((await respondPair(db, w.grandchild, first.value.id, 'accept')).ok).toBe(true);
    const seen = await pairsForClub(db, w.club.id, w.grandchild, NOW);
    expect(seen.crossGeneration).toBe(1);
    expect(seen.mine).toEqual([expect.objectContaining({ status: 'accepted', otherName: 'Nguyễn Thị Lan' })]);
    // The grandmother sees the child by first name only.
    expect((await pairsForClub(db, w.club.id, w.grandma, NOW)).mine[0]?.otherName).toBe('Minh');
    const logged = await logReading(db, w.grandma, { readOn: '2026-11-30', minutes: 30, partnerUserId: w.grandchild }, NOW);
    expect(logged.ok).toBe(true);
  });
});
