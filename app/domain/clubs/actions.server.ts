/** One place that runs a club page's button for a user and says which message to show. */
import type { z } from 'zod';

import type { clubActionSchema } from '~/forms/clubs';
import type { DB } from '~/lib/db.server';
import { err, ok, type Result } from '~/lib/result';

import {
  approveClub,
  closeClub,
  type ClubActionError,
  decideMember,
  joinClub,
  leaveClub,
  promoteMember,
  removeMember,
} from './clubs.server';
import { type MeetingError, rsvp } from './meetings.server';

export type ClubPageError = ClubActionError | MeetingError;

/** The flash shown after each intent succeeds (literal keys, so a typo fails the typecheck). */
const DONE = {
  leave: 'clubs.flash.left',
  'approve-club': 'clubs.flash.approved',
  close: 'clubs.flash.closed',
  'accept-member': 'clubs.flash.memberAccepted',
  'decline-member': 'clubs.flash.memberDeclined',
  'remove-member': 'clubs.flash.memberRemoved',
  'promote-member': 'clubs.flash.memberPromoted',
  rsvp: 'clubs.flash.rsvp',
} as const;

export async function runClubAction(
  db: DB,
  userId: string,
  clubId: string,
  input: z.infer<typeof clubActionSchema>,
): Promise<Result<string, ClubPageError>> {
  switch (input.intent) {
    case 'join': {
      const r = await joinClub(db, userId, clubId, input.code);
      if (!r.ok) return r;
      return ok(r.value.status === 'pending' ? 'clubs.flash.requested' : 'clubs.flash.joined');
    }
    case 'leave': {
      const r = await leaveClub(db, userId, clubId);
      return r.ok ? ok(DONE.leave) : r;
    }
    case 'approve-club': {
      const r = await approveClub(db, userId, clubId);
      return r.ok ? ok(DONE['approve-club']) : r;
    }
    case 'close': {
      const r = await closeClub(db, userId, clubId);
      return r.ok ? ok(DONE.close) : r;
    }
    case 'accept-member':
    case 'decline-member': {
      const r = await decideMember(db, userId, clubId, input.member, input.intent === 'accept-member');
      return r.ok ? ok(DONE[input.intent]) : r;
    }
    case 'remove-member': {
      const r = await removeMember(db, userId, clubId, input.member);
      return r.ok ? ok(DONE['remove-member']) : r;
    }
    case 'promote-member': {
      const r = await promoteMember(db, userId, clubId, input.member);
      return r.ok ? ok(DONE['promote-member']) : r;
    }
    case 'rsvp': {
      const m = await db.selectFrom('club_meetings').select('club_id').where('id', '=', input.meeting).executeTakeFirst();
      if (!m || m.club_id !== clubId) return err('not_found');
      const r = await rsvp(db, userId, input.meeting, input.answer);
      return r.ok ? ok(DONE.rsvp) : r;
    }
  }
}
