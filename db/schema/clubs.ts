/** Table types of reading clubs and reading logs, gathered into Database in db/schema.ts. */
import type { ColumnType } from 'kysely';

import type { Bool01, Iso } from './foundation';

export const CLUB_VISIBILITIES = ['public', 'request', 'code'] as const;
export type ClubVisibility = (typeof CLUB_VISIBILITIES)[number];
export const CLUB_AUDIENCES = ['children', 'youth', 'adult', 'all'] as const;
export type ClubAudience = (typeof CLUB_AUDIENCES)[number];
export type ClubStatus = 'pending' | 'active' | 'closed';

export interface ClubClubsTable {
  id: string;
  slug: string;
  unit_id: string;
  name: string;
  description_md: string;
  cover_url: string | null;
  language: string;
  audience: ClubAudience;
  visibility: ClubVisibility;
  /** For 'code' clubs: what members type to join (like class bookshelves). */
  join_code: string | null;
  intergenerational: Bool01;
  /** Linked to a Week (shown on its page, counted in its statistics). */
  week_year: number | null;
  status: ClubStatus;
  created_by: string;
  created_at: Iso;
  approved_by: string | null;
  approved_at: Iso | null;
  closed_at: Iso | null;
}

export type ClubMemberRole = 'moderator' | 'member';
export type ClubMemberStatus = 'active' | 'pending' | 'left' | 'removed';
export interface ClubMembersTable {
  club_id: string;
  user_id: string;
  role: ClubMemberRole;
  status: ClubMemberStatus;
  joined_at: Iso;
  updated_at: Iso;
}

export type PairStatus = 'pending' | 'accepted' | 'declined' | 'ended';
export interface ClubPairsTable {
  id: string;
  club_id: string;
  inviter_id: string;
  invitee_id: string;
  status: PairStatus;
  created_at: Iso;
  responded_at: Iso | null;
}

export type MeetingMode = 'online' | 'in_person';
export interface ClubMeetingsTable {
  id: string;
  club_id: string;
  title: string;
  mode: MeetingMode;
  link: string | null;
  place: string | null;
  starts_at: Iso;
  ends_at: Iso;
  agenda_md: string;
  capacity: number | null;
  status: 'scheduled' | 'cancelled';
  /** iCalendar SEQUENCE: bumped on every change members should see. */
  sequence: number;
  reminded_24h: Bool01;
  reminded_1h: Bool01;
  created_by: string;
  created_at: Iso;
  updated_at: Iso;
}

export type RsvpAnswer = 'yes' | 'no' | 'maybe';
export type RsvpState = 'confirmed' | 'waitlisted' | 'none';
export interface ClubRsvpsTable {
  meeting_id: string;
  user_id: string;
  answer: RsvpAnswer;
  state: RsvpState;
  /** Arrival order on the waitlist (a counter per meeting); null when not waiting. */
  waitlist_seq: number | null;
  attended: Bool01 | null;
  created_at: Iso;
  updated_at: Iso;
}

export interface ClubPollsTable {
  id: string;
  club_id: string;
  question: string;
  closes_at: Iso;
  status: 'open' | 'closed';
  winner_option_id: string | null;
  /** The instant-runoff rounds, JSON, written when the poll closes. */
  tally_json: string | null;
  created_by: string;
  created_at: Iso;
}

export interface ClubPollOptionsTable {
  id: string;
  poll_id: string;
  position: number;
  title_id: string | null;
  label: string;
}

export interface ClubBallotsTable {
  poll_id: string;
  user_id: string;
  /** Option ids in the member's order of preference, comma-separated. */
  ranking: string;
  updated_at: Iso;
}

export type ReadingSource = 'manual' | 'reader' | 'class';
export interface ReadingLogsTable {
  id: string;
  user_id: string;
  /** The day read, in Vietnam (YYYY-MM-DD). */
  read_on: string;
  minutes: number;
  title_id: string | null;
  outside_title: string | null;
  /** Read together with (a family reading pair), logged in one entry for both. */
  partner_user_id: string | null;
  club_id: string | null;
  source: ReadingSource;
  /** For 'class': the class reading session that wrote it. */
  session_id: string | null;
  created_at: Iso;
}

export type ChallengeKind = 'minutes_per_day' | 'minutes_total' | 'books';
export interface ReadingChallengesTable {
  id: string;
  unit_id: string | null;
  club_id: string | null;
  name: string;
  kind: ChallengeKind;
  /** Minutes a day, minutes in all, or books. */
  target: number;
  starts_on: string;
  ends_on: string;
  created_by: string;
  created_at: Iso;
}

export interface ReadingChallengeMembersTable {
  challenge_id: string;
  user_id: string;
  joined_at: Iso;
  completed_at: Iso | null;
  /** Shown on the challenge's leaderboard (children by first name only); the participant may opt out. */
  on_board: ColumnType<Bool01, Bool01 | undefined, Bool01>;
}

/** A finisher's certificate, verified at /verify/<code> like course certificates. */
export interface ReadingChallengeCertificatesTable {
  id: string;
  code: string;
  challenge_id: string;
  user_id: string;
  /** As shown publicly: a child's first name only. */
  holder_name: string;
  title: string;
  unit_name: string;
  issued_at: Iso;
  revoked_at: Iso | null;
  revoked_reason: string | null;
}

export interface SchoolReadingRulesTable {
  unit_id: string;
  minutes: number;
  period: 'day' | 'week';
  /** ISO weekdays the rule applies on (1 = Monday … 7 = Sunday), comma-separated. */
  weekdays: string;
  updated_by: string;
  updated_at: Iso;
}

export interface ClassReadingSessionsTable {
  id: string;
  shelf_id: string;
  read_on: string;
  minutes: number;
  recorded_by: string;
  created_at: Iso;
}

export interface ClubCalendarTokensTable {
  user_id: string;
  token: string;
  created_at: Iso;
}

/** A book a club reads: a title of the digital library, or an outside/paper book. */
export interface ClubBooksTable {
  id: string;
  club_id: string;
  title_id: string | null;
  title: string;
  author: string;
  pages: number | null;
  /** One 'current' book per club at a time (the schedule); earlier ones are 'done'. */
  status: 'current' | 'done';
  set_by: string;
  created_at: Iso;
}

/** A part of a club book with a target date; its discussion thread is `thread_id` (the shared engine). */
export interface ClubMilestonesTable {
  id: string;
  club_id: string;
  book_id: string;
  /** 1, 2, 3… in reading order. */
  position: number;
  label: string;
  from_page: number | null;
  to_page: number | null;
  /** For a library title: the reader's chapter title where this part starts. */
  start_chapter: string | null;
  /** YYYY-MM-DD (Vietnam). */
  target_on: string;
  thread_id: string | null;
  created_by: string;
  created_at: Iso;
}

export interface ClubProgressTable {
  book_id: string;
  user_id: string;
  /** How many parts (milestones, in order) the member has finished. */
  finished: number;
  updated_at: Iso;
}

/** A member chose to see a milestone's posts before reaching it. */
export interface ClubRevealsTable {
  milestone_id: string;
  user_id: string;
  created_at: Iso;
}

/** The club's bank of discussion questions, reused across milestones and books. */
export interface ClubQuestionsTable {
  id: string;
  club_id: string;
  body: string;
  created_by: string;
  created_at: Iso;
}

export interface ClubsTables {
  club_books: ClubBooksTable;
  club_calendar_tokens: ClubCalendarTokensTable;
  club_milestones: ClubMilestonesTable;
  club_progress: ClubProgressTable;
  club_questions: ClubQuestionsTable;
  club_reveals: ClubRevealsTable;
  club_clubs: ClubClubsTable;
  club_members: ClubMembersTable;
  club_pairs: ClubPairsTable;
  club_meetings: ClubMeetingsTable;
  club_rsvps: ClubRsvpsTable;
  club_polls: ClubPollsTable;
  club_poll_options: ClubPollOptionsTable;
  club_ballots: ClubBallotsTable;
  reading_logs: ReadingLogsTable;
  reading_challenges: ReadingChallengesTable;
  reading_challenge_members: ReadingChallengeMembersTable;
  reading_challenge_certificates: ReadingChallengeCertificatesTable;
  school_reading_rules: SchoolReadingRulesTable;
  class_reading_sessions: ClassReadingSessionsTable;
}
