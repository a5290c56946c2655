import type { Generated } from 'kysely';

import type { Bool01, Iso } from './foundation';

/* ---- Submission rounds of contests (issue #15), beside the quiz rounds of the shell (#14). ---- */

export type EntryKind = 'audio' | 'video' | 'essay' | 'photo';
export type StageLevel = 'school' | 'ward' | 'province' | 'national';
export type Moderation = 'pending' | 'approved' | 'rejected';
export type VotesMode = 'per_entry' | 'per_contest';

export interface ContestSubmissionSettingsTable {
  round_id: string;
  entry_kind: EntryKind;
  /** What to read aloud (read-aloud rounds) or the brief (other kinds). */
  passage_title: string;
  passage_text: string;
  /** Recording length limits (audio/video). */
  min_seconds: number;
  max_seconds: number;
  /** Essay length limit (0: none). */
  max_words: number;
  max_bytes: number;
  stage_level: StageLevel;
  /** The best N of each stage unit (school, ward, province; the whole round when national) move on. */
  advance_count: number;
  /** The stage this one receives its entries from (null: entrants submit here). */
  previous_round_id: string | null;
  judges_per_entry: number;
  /** Judges' totals (0–100) further apart than this flag the entry. */
  margin_points: number;
  normalise: Bool01;
  gallery: Bool01;
  voting: Bool01;
  votes_mode: VotesMode;
  /** per_contest: how many votes an account has in the round. */
  votes_per_account: number;
  vote_opens_at: Iso | null;
  vote_closes_at: Iso | null;
  /** 0: the people's choice never enters the jury score; 0 < w ≤ 1 mixes it in. */
  vote_weight: number;
  burst_window_s: number;
  /** This many votes from new accounts for one entry within the burst window hold its votes. */
  burst_threshold: number;
  /** An account created less than this many days before the vote is "new" for burst detection. */
  new_account_days: number;
  /** The people's choice prize of the round (null: none), decided from counted votes only. */
  peoples_choice_label: string | null;
  /** How many of the most-voted entries receive it (ties at the last place share it). */
  peoples_choice_winners: number;
  /** Entries of the round the gallery shows (the rule of `isPublic` without the gallery switch), kept by triggers on contest_entries (migration 2026-12-01T0350). */
  gallery_entries: Generated<number>;
}

export interface ContestEntriesTable {
  id: string;
  round_id: string;
  entrant_id: string;
  user_id: string;
  unit_id: string;
  /** The anonymous label judges see ("B-7K3Q"). */
  code: string;
  title: string;
  /** Essay text or photo caption. */
  body_text: string;
  blob_key: string | null;
  mime: string | null;
  size_bytes: number | null;
  duration_s: number | null;
  /** Under 16 at submission: a video is never public without parental consent. */
  minor: Bool01;
  moderation: Moderation;
  parental_consent: Bool01;
  promoted_from: string | null;
  submitted_at: Iso;
  updated_at: Iso;
  replaced_count: number;
  /** Counted votes, kept by triggers on contest_votes (migration 2026-12-01T0100). */
  votes_counted: number;
}

export interface ContestCriteriaTable {
  id: string;
  round_id: string;
  position: number;
  label: string;
  description: string;
  weight: number;
  max_points: number;
  /** JSON array of `{ points, text }`: what each level means. */
  levels_json: string;
}

export interface ContestJudgesTable {
  round_id: string;
  user_id: string;
  /** The judge's affiliation: entries from this unit, its subtree or its ancestors are never theirs. */
  unit_id: string | null;
  invited_by: string | null;
  created_at: Iso;
}

export interface ContestConflictsTable {
  id: string;
  contest_id: string;
  judge_id: string;
  /** A person the judge may not judge (any of their entries) … */
  person_id: string | null;
  /** … or one entry. */
  entry_id: string | null;
  reason: string;
  created_at: Iso;
}

export interface ContestAssignmentsTable {
  entry_id: string;
  judge_id: string;
  round_id: string;
  status: 'assigned' | 'scored' | 'conflict';
  assigned_at: Iso;
  scored_at: Iso | null;
}

export interface ContestScoresTable {
  entry_id: string;
  judge_id: string;
  criterion_id: string;
  points: number;
  saved_at: Iso;
}

export interface ContestEntryResultsTable {
  round_id: string;
  entry_id: string;
  judges: number;
  raw_score: number;
  norm_score: number;
  votes: number;
  final_score: number;
  rank: number;
  group_unit_id: string | null;
  advanced: Bool01;
  margin_flag: Bool01;
  prize_id: string | null;
}

export interface ContestVotesTable {
  id: string;
  round_id: string;
  entry_id: string;
  user_id: string;
  ip_hash: string;
  new_account: Bool01;
  status: 'counted' | 'held' | 'rejected';
  created_at: Iso;
}

export interface ContestVoteQuotaTable {
  round_id: string;
  user_id: string;
  used: number;
}

export interface ContestVoteFlagsTable {
  id: string;
  round_id: string;
  entry_id: string;
  status: 'open' | 'cleared' | 'rejected';
  votes_seen: number;
  created_at: Iso;
  reviewed_by: string | null;
  reviewed_at: Iso | null;
}

/** The people's choice of a round, decided when its results are confirmed (counted votes only). */
export interface ContestVoteResultsTable {
  round_id: string;
  entry_id: string;
  votes: number;
  rank: number;
  winner: Bool01;
  decided_at: Iso;
}

export interface ContestEntriesTables {
  contest_submission_settings: ContestSubmissionSettingsTable;
  contest_entries: ContestEntriesTable;
  contest_criteria: ContestCriteriaTable;
  contest_judges: ContestJudgesTable;
  contest_conflicts: ContestConflictsTable;
  contest_assignments: ContestAssignmentsTable;
  contest_scores: ContestScoresTable;
  contest_entry_results: ContestEntryResultsTable;
  contest_votes: ContestVotesTable;
  contest_vote_quota: ContestVoteQuotaTable;
  contest_vote_flags: ContestVoteFlagsTable;
  contest_vote_results: ContestVoteResultsTable;
}
