/** One place that runs a club page's button for a user and says which message to show. */
import type { z } from 'zod';

import type { clubActionSchema, scheduleSchema } from '~/forms/clubs';
import { parseViDate } from '~/lib/dates';
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
import { invitePair, type PairError, respondPair } from './pairs.server';
import { addMilestone, markProgress, type ScheduleError, setCurrentBook } from './schedule.server';

export type ClubPageError = ClubActionError | MeetingError | PairError;

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
  'pair-invite': 'clubs.flash.pairInvited',
  'pair-accept': 'clubs.flash.pairAccepted',
  'pair-decline': 'clubs.flash.pairDeclined',
  'pair-end': 'clubs.flash.pairEnded',
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
    case 'pair-invite': {
      const r = await invitePair(db, userId, clubId, input.member);
      return r.ok ? ok(DONE['pair-invite']) : r;
    }
    case 'pair-accept':
    case 'pair-decline':
    case 'pair-end': {
      const pair = await db.selectFrom('club_pairs').select('club_id').where('id', '=', input.pair).executeTakeFirst();
      if (pair?.club_id !== clubId) return err('not_found');
      const r = await respondPair(
        db,
        userId,
        input.pair,
        input.intent === 'pair-accept' ? 'accept' : input.intent === 'pair-decline' ? 'decline' : 'end',
      );
      return r.ok ? ok(DONE[input.intent]) : r;
    }
  }
}

/** The schedule page's forms: set the current book, add a milestone, mark my progress. */
export async function runScheduleAction(
  db: DB,
  userId: string,
  clubId: string,
  input: z.infer<typeof scheduleSchema>,
  questionIds: string[],
  now = new Date(),
): Promise<Result<string, ScheduleError>> {
  switch (input.intent) {
    case 'book': {
      const r = await setCurrentBook(
        db,
        userId,
        clubId,
        input.source === 'library' ? { titleId: input.title_id } : { title: input.title, author: input.author, pages: input.pages },
      );
      return r.ok ? ok('clubs.flash.bookSet') : r;
    }
    case 'milestone': {
      const targetOn = parseViDate(input.target);
      if (!targetOn) return err('target_past');
      const r = await addMilestone(
        db,
        userId,
        clubId,
        {
          label: input.label,
          fromPage: input.from_page,
          toPage: input.to_page,
          startChapter: input.start_chapter,
          targetOn,
          questions: input.questions.split('\n'),
          questionIds,
        },
        now,
      );
      return r.ok ? ok('clubs.flash.milestoneAdded') : r;
    }
    case 'progress': {
      const r = await markProgress(db, userId, clubId, input.finished);
      return r.ok ? ok('clubs.flash.progressSaved') : r;
    }
  }
}
