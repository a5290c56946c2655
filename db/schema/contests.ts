import type { Generated } from 'kysely';

import type { Iso, Role } from './foundation';

/* ---- Contests (issue #14): the shell shared by quiz and submission rounds. ---- */

export type RoundKind = 'quiz' | 'submission';
export type Difficulty = 'easy' | 'medium' | 'hard';
export type PredictionKind = 'perfect' | 'participants';
export type ResultsStatus = 'none' | 'proposed' | 'published';

export interface ContestsTable {
  id: string;
  slug: string;
  unit_id: string;
  week_year: number | null;
  title: string;
  rules_md: string;
  min_age: number | null;
  max_age: number | null;
  /** Entrants must belong to this unit's subtree (the owner unit by default). */
  eligible_unit_id: string;
  /** JSON array of `Role`s whose holders (in the contest's unit tree) may not enter. */
  excluded_roles_json: string;
  max_attempts: number;
  /** JSON array of `{ step, on }` (see app/domain/contests/ranking.ts). */
  ranking_json: string;
  prediction_kind: PredictionKind;
  grace_seconds: number;
  /** Attempts quicker than this are flagged as impossible times. */
  min_seconds: number;
  /** JSON `{ perEntrant, perPercent }`: the collective score formula (plus prize points). */
  collective_json: string;
  status: 'draft' | 'published';
  created_by: string;
  created_at: Iso;
  updated_at: Iso;
  /** Overall ranking: the sum of each entrant's best N rounds; null: of every round. */
  overall_best_rounds: number | null;
  /** Contest-wide prizes (overall and unit prizes): proposed, then confirmed by an organiser. */
  overall_status: Generated<ResultsStatus>;
  overall_published_at: Iso | null;
  overall_published_by: string | null;
}

export interface ContestRoundsTable {
  id: string;
  contest_id: string;
  position: number;
  title: string;
  kind: RoundKind;
  opens_at: Iso;
  closes_at: Iso;
  time_limit_s: number;
  /** JSON array of `{ topic: string | null, difficulty, count }`. */
  quota_json: string;
  results_status: ResultsStatus;
  real_figure: number | null;
  published_at: Iso | null;
  published_by: string | null;
}

export interface ContestPrizesTable {
  id: string;
  contest_id: string;
  /** null: an overall prize of the contest. */
  round_id: string | null;
  label: string;
  rank_from: number;
  rank_to: number;
  /** Points the prize brings to the winner's units' collective score. */
  points: number;
  position: number;
  /** A unit (collective) prize decided on this figure; null: a prize for a person. */
  basis: UnitPrizeBasis | null;
  /** Unit prizes: the level whose units compete (1 = right under the eligible unit). */
  unit_depth: number | null;
}

export type UnitPrizeBasis = 'entrants' | 'rate' | 'collective';

/** The overall ranking across rounds (one row per entrant), with the contest-wide prize won. */
export interface ContestOverallResultsTable {
  contest_id: string;
  user_id: string;
  unit_id: string;
  rank: number;
  rounds: number;
  score: number;
  max_score: number;
  prediction_gap: number | null;
  duration_ms: number;
  submitted_at: Iso;
  prize_id: string | null;
}

/** Units awarded a unit prize, with their rank and the figure it was decided on. */
export interface ContestUnitAwardsTable {
  contest_id: string;
  prize_id: string;
  unit_id: string;
  rank: number;
  value: number;
  entrants: number;
}

/**
 * Per-unit totals of a contest's ranked results (each unit counting its subtree), kept when results
 * are proposed or published: `scope` '' = the published rounds together, else one round's id.
 */
export interface ContestUnitTotalsTable {
  contest_id: string;
  scope: string;
  unit_id: string;
  entrants: number;
  results: number;
  score_sum: number;
  prizes: number;
  points: number;
}

export interface ContestStaffTable {
  contest_id: string;
  user_id: string;
  role: 'organiser' | 'judge';
}

export interface ContestEntrantsTable {
  id: string;
  contest_id: string;
  user_id: string;
  full_name: string;
  birth_year: number;
  unit_id: string;
  phone: string | null;
  registered_at: Iso;
}

export interface ContestQuestionsTable {
  question_id: string;
  contest_id: string;
  topic: string;
  difficulty: Difficulty;
}

export interface ContestAttemptsTable {
  id: string;
  round_id: string;
  entrant_id: string;
  user_id: string;
  attempt_no: number;
  seed: string;
  question_ids_json: string;
  status: 'in_progress' | 'submitted';
  started_at: Iso;
  deadline_at: Iso;
  submitted_at: Iso | null;
  duration_ms: number | null;
  score: number | null;
  max_score: number | null;
  prediction: number | null;
  /** A hash of the submitted answers, to find identical answer sets. */
  answers_sig: string | null;
  disqualified_at: Iso | null;
  disqualified_reason: string | null;
}

export interface ContestAnswersTable {
  attempt_id: string;
  question_id: string;
  response_json: string;
  saved_at: Iso;
}

export interface ContestResultsTable {
  round_id: string;
  user_id: string;
  attempt_id: string;
  unit_id: string;
  rank: number;
  score: number;
  max_score: number;
  prediction_gap: number | null;
  duration_ms: number;
  submitted_at: Iso;
  prize_id: string | null;
}

export interface ContestFlagsTable {
  id: string;
  round_id: string;
  kind: 'identical' | 'too_fast';
  attempt_ids_json: string;
  detail: string;
  created_at: Iso;
}

export interface ContestAuditTable {
  id: string;
  contest_id: string;
  round_id: string | null;
  actor_id: string | null;
  action: string;
  target_user_id: string | null;
  reason: string;
  created_at: Iso;
}

export interface ContestUnitFiguresTable {
  contest_id: string;
  unit_id: string;
  population: number;
}

export interface ContestCertificatesTable {
  id: string;
  code: string;
  contest_id: string;
  /** null: a contest-wide prize (see prize_id). */
  round_id: string | null;
  /** null: a unit's certificate (see holder_unit_id). */
  user_id: string | null;
  holder_name: string;
  title: string;
  prize_label: string;
  unit_name: string;
  issued_at: Iso;
  revoked_at: Iso | null;
  revoked_reason: string | null;
  /** Contest-wide prizes: the prize (one certificate per prize and holder). */
  prize_id: string | null;
  holder_unit_id: string | null;
}

export type ExcludedRoles = Role[];

export interface ContestsTables {
  contests: ContestsTable;
  contest_rounds: ContestRoundsTable;
  contest_prizes: ContestPrizesTable;
  contest_staff: ContestStaffTable;
  contest_entrants: ContestEntrantsTable;
  contest_questions: ContestQuestionsTable;
  contest_attempts: ContestAttemptsTable;
  contest_answers: ContestAnswersTable;
  contest_results: ContestResultsTable;
  contest_flags: ContestFlagsTable;
  contest_audit: ContestAuditTable;
  contest_unit_figures: ContestUnitFiguresTable;
  contest_certificates: ContestCertificatesTable;
  contest_overall_results: ContestOverallResultsTable;
  contest_unit_awards: ContestUnitAwardsTable;
  contest_unit_totals: ContestUnitTotalsTable;
}
