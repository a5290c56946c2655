/**
 * Family reading pairs (liên thế hệ): a member invites another member of the same club (a
 * grandparent, a grandchild, a parent); once accepted, the pair logs reading together in one
 * entry. One pair per couple and club (the database's unique constraint); an invitation declined
 * or ended may be sent again.
 */
import { sql } from 'kysely';

import { isUniqueViolation, toNumber } from '~/db/dialect';
import { generationBand } from '~/domain/accounts.server';
import { notify } from '~/domain/notifications/notify.server';
import type { DB } from '~/lib/db.server';
import { newId, nowIso } from '~/lib/ids.server';
import { err, ok, type Result } from '~/lib/result';

import { clubAccess } from './access.server';
import { clubChanged } from './cache.server';
import { displayNameFor } from './clubs.server';
import { CLUB_PLACE } from './schedule.server';

export type PairError = 'not_found' | 'not_member' | 'self' | 'already';

async function isActiveMember(db: DB, clubId: string, userId: string) {
  const m = await db
    .selectFrom('club_members')
    .select('status')
    .where('club_id', '=', clubId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return m?.status === 'active';
}

export async function invitePair(
  db: DB,
  inviterId: string,
  clubId: string,
  inviteeId: string,
  now = new Date(),
): Promise<Result<{ id: string }, PairError>> {
  const a = await clubAccess(db, { id: clubId }, inviterId);
  if (a.status !== 'ok') return err('not_found');
  if (!a.isMember) return err('not_member');
  if (inviterId === inviteeId) return err('self');
  if (!(await isActiveMember(db, clubId, inviteeId))) return err('not_member');
  const existing = await db
    .selectFrom('club_pairs')
    .select(['id', 'status', 'inviter_id'])
    .where('club_id', '=', clubId)
    .where((eb) =>
      eb.or([
        eb.and([eb('inviter_id', '=', inviterId), eb('invitee_id', '=', inviteeId)]),
        eb.and([eb('inviter_id', '=', inviteeId), eb('invitee_id', '=', inviterId)]),
      ]),
    )
    .where('status', 'in', ['pending', 'accepted'])
    .executeTakeFirst();
  if (existing) return err('already');
  const stamp = now.toISOString();
  let id = newId();
  try {
    await db
      .insertInto('club_pairs')
      .values({
        id,
        club_id: clubId,
        inviter_id: inviterId,
        invitee_id: inviteeId,
        status: 'pending',
        created_at: stamp,
        responded_at: null,
      })
      .execute();
  } catch (e) {
    if (!isUniqueViolation(e)) throw e;
    // Invited before (declined or ended): the same row is sent again.
    const row = await db
      .updateTable('club_pairs')
      .set({ status: 'pending', created_at: stamp, responded_at: null })
      .where('club_id', '=', clubId)
      .where('inviter_id', '=', inviterId)
      .where('invitee_id', '=', inviteeId)
      .where('status', 'in', ['declined', 'ended'])
      .returning('id')
      .executeTakeFirst();
    if (!row) return err('already');
    id = row.id;
  }
  const who = await db.selectFrom('users').select(['display_name', 'birth_year']).where('id', '=', inviterId).executeTakeFirstOrThrow();
  await notify(db, {
    userId: inviteeId,
    type: 'clubs.pair_invite',
    params: { name: displayNameFor(who.display_name, who.birth_year, now), club: a.club.name },
    url: `/clubs/${a.club.slug}#pairs`,
    place: { type: CLUB_PLACE, id: clubId },
    now,
  });
  return ok({ id });
}

/** The invitee accepts or declines; either member may end an accepted pair. */
export async function respondPair(
  db: DB,
  userId: string,
  pairId: string,
  answer: 'accept' | 'decline' | 'end',
): Promise<Result<undefined, PairError>> {
  const p = await db.selectFrom('club_pairs').selectAll().where('id', '=', pairId).executeTakeFirst();
  if (!p) return err('not_found');
  if (answer === 'end') {
    if (p.status !== 'accepted' || (p.inviter_id !== userId && p.invitee_id !== userId)) return err('not_found');
  } else if (p.status !== 'pending' || p.invitee_id !== userId) return err('not_found');
  const status = answer === 'accept' ? 'accepted' : answer === 'decline' ? 'declined' : 'ended';
  await db.updateTable('club_pairs').set({ status, responded_at: nowIso() }).where('id', '=', pairId).execute();
  return clubChanged(db, p.club_id, ok());
}

/** What the club page shows about pairs: the member's own invitations and pairs, and how many cross-generation pairs the club has. */
export async function pairsForClub(db: DB, clubId: string, userId: string | null, now = new Date()) {
  const rows = await db
    .selectFrom('club_pairs as p')
    .innerJoin('users as a', 'a.id', 'p.inviter_id')
    .innerJoin('users as b', 'b.id', 'p.invitee_id')
    .select([
      'p.id',
      'p.status',
      'p.inviter_id',
      'p.invitee_id',
      'a.display_name as a_name',
      'a.birth_year as a_birth',
      'b.display_name as b_name',
      'b.birth_year as b_birth',
    ])
    .where('p.club_id', '=', clubId)
    .where('p.status', 'in', ['pending', 'accepted'])
    .execute();
  const crossGeneration = rows.filter(
    (r) => r.status === 'accepted' && generationBand(r.a_birth, now) !== generationBand(r.b_birth, now),
  ).length;
  const mine = userId ? rows.filter((r) => r.inviter_id === userId || r.invitee_id === userId) : [];
  return {
    crossGeneration,
    mine: mine.map((r) => {
      const other = r.inviter_id === userId;
      return {
        id: r.id,
        status: r.status,
        incoming: r.invitee_id === userId && r.status === 'pending',
        otherId: other ? r.invitee_id : r.inviter_id,
        otherName: other ? displayNameFor(r.b_name, r.b_birth, now) : displayNameFor(r.a_name, r.a_birth, now),
      };
    }),
  };
}

export async function acceptedPairs(db: DB, clubId: string): Promise<number> {
  const r = await db
    .selectFrom('club_pairs')
    .select(sql<number>`count(*)`.as('n'))
    .where('club_id', '=', clubId)
    .where('status', '=', 'accepted')
    .executeTakeFirstOrThrow();
  return toNumber(r.n);
}
