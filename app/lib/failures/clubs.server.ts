/** How club failures read to people: one table for the area (see app/CONVENTIONS.md §1). */
import type { ClubPageError } from '~/domain/clubs/actions.server';
import type { CreateClubError } from '~/domain/clubs/clubs.server';
import type { PollError } from '~/domain/clubs/polls.server';
import type { ChallengeError, LogError, RuleError } from '~/domain/clubs/reading.server';
import type { ScheduleError } from '~/domain/clubs/schedule.server';
import type { Err } from '~/lib/result';
import { defineFailures, failure as answer } from '~/lib/result-http.server';

export const clubFailures = defineFailures<
  ClubPageError | CreateClubError | PollError | LogError | ScheduleError | ChallengeError | RuleError
>({
  not_found: { message: 'clubs.errors.notFound', status: 404 },
  forbidden: { message: 'clubs.errors.forbidden', status: 403 },
  closed: { message: 'clubs.errors.closed', status: 409 },
  bad_code: { message: 'clubs.errors.badCode', status: 400 },
  not_member: { message: 'clubs.errors.notMember', status: 403 },
  last_moderator: { message: 'clubs.errors.lastModerator', status: 409 },
  already: { message: 'clubs.errors.already', status: 409 },
  ends_before_start: { message: 'clubs.errors.endsBeforeStart', status: 400 },
  past: { message: 'clubs.errors.past', status: 409 },
  cancelled: { message: 'clubs.errors.cancelled', status: 409 },
  too_few: { message: 'clubs.errors.tooFew', status: 400 },
  too_many: { message: 'clubs.errors.tooMany', status: 400 },
  closes_in_past: { message: 'clubs.errors.closesInPast', status: 400 },
  poll_closed: { message: 'clubs.errors.pollClosed', status: 409 },
  bad_ranking: { message: 'clubs.errors.badRanking', status: 400 },
  future_date: { message: 'clubs.errors.futureDate', status: 400 },
  too_old: { message: 'clubs.errors.tooOld', status: 400 },
  day_full: { message: 'clubs.errors.dayFull', status: 409 },
  bad_minutes: { message: 'clubs.errors.minutes', status: 400 },
  not_partner: { message: 'clubs.errors.notPartner', status: 400 },
  no_book: { message: 'clubs.errors.noBook', status: 409 },
  no_title: { message: 'clubs.errors.noTitle', status: 400 },
  pages_order: { message: 'clubs.errors.pagesOrder', status: 400 },
  pages_beyond: { message: 'clubs.errors.pagesBeyond', status: 400 },
  target_past: { message: 'clubs.errors.targetPast', status: 400 },
  bad_progress: { message: 'clubs.errors.badProgress', status: 400 },
  self: { message: 'clubs.errors.pairSelf', status: 400 },
  ended: { message: 'clubs.errors.challengeEnded', status: 409 },
  no_weekdays: { message: 'clubs.errors.noWeekdays', status: 400 },
  not_teacher: { message: 'clubs.errors.notTeacher', status: 403 },
});

/** An action's answer for a club failure: the message next to the form, the typed values kept. */
export function failure(e: Err<ClubPageError | CreateClubError | PollError | LogError | ScheduleError>, values?: Record<string, string>) {
  return answer(clubFailures, e, values);
}
