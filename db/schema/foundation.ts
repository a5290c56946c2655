import type { Generated } from 'kysely';

/**
 * Conventions shared by both dialects (SQLite and PostgreSQL):
 * - ids are text generated in the app (see app/lib/ids.ts), so identity columns never differ;
 * - instants are ISO-8601 UTC strings (`2024-10-01T01:00:00.000Z`), calendar dates `YYYY-MM-DD`;
 * - booleans are integers 0/1 (better-sqlite3 cannot bind true/false).
 */
export type Iso = string;
export type Bool01 = 0 | 1;

export const UNIT_KINDS = [
  'ministry',
  'province',
  'district',
  'ward',
  'school',
  'university',
  'public_library',
  'school_library',
  'clc_library',
  'clc',
  'organisation',
  'learning_unit',
] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];

export const ROLES = ['citizen', 'teacher', 'librarian', 'organiser', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface UnitsTable {
  id: string;
  parent_id: string | null;
  kind: UnitKind;
  slug: string;
  name: string;
  name_en: string | null;
  depth: number;
  created_at: Iso;
  /** Official code (e.g. the national administrative code), unique when set. */
  code: string | null;
  /** First day in force (`YYYY-MM-DD`); null: since before the records. */
  valid_from: string | null;
  /** First day no longer in force (dissolved, merged, renamed); null: in force. */
  valid_to: string | null;
}

/** Closure table: one row per (ancestor, descendant) pair, including (u, u) at depth 0. */
export interface UnitClosureTable {
  ancestor_id: string;
  descendant_id: string;
  depth: number;
}

export interface UsersTable {
  id: string;
  email: string;
  password_hash: string;
  display_name: string;
  birth_year: number | null;
  home_unit_id: string | null;
  locale: 'vi' | 'en';
  created_at: Iso;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  expires_at: Iso;
}

export interface RoleGrantsTable {
  id: string;
  user_id: string;
  unit_id: string;
  role: Role;
  granted_by: string | null;
  created_at: Iso;
}

export interface PasswordResetTokensTable {
  token_hash: string;
  user_id: string;
  expires_at: Iso;
  used_at: Iso | null;
  created_at: Iso;
}

export interface OutboxTable {
  id: string;
  to_address: string;
  subject: string;
  body_text: string;
  status: 'pending' | 'sent' | 'failed' | 'logged';
  error: string | null;
  created_at: Iso;
  sent_at: Iso | null;
}

export interface WeeksTable {
  year: number;
  theme_vi: string;
  theme_en: string;
  starts_on: string;
  ends_on: string;
  opening_at: Iso;
  opening_place_vi: string;
  opening_place_en: string;
  livestream_url: string | null;
  closing_at: Iso | null;
  closing_place_vi: string | null;
  closing_place_en: string | null;
  report_deadline: string | null;
  source_vi: string | null;
  source_en: string | null;
  body_vi: string;
  body_en: string;
  /** 'content' rows are refreshed from content/weeks/<year>.md at start; 'ui' rows are owned by admins. */
  origin: 'content' | 'ui';
  content_hash: string | null;
  updated_at: Iso;
}

export const ACTIVITY_KINDS = ['ceremony', 'talk', 'exhibition', 'training', 'contest', 'club_meeting', 'outreach'] as const;
export type ActivityKind = (typeof ACTIVITY_KINDS)[number];

export interface PlansTable {
  id: string;
  unit_id: string;
  week_year: number;
  status: 'draft' | 'published';
  purpose_md: string;
  created_by: string;
  created_at: Iso;
  updated_at: Iso;
  published_at: Iso | null;
}

export interface PlanActivitiesTable {
  id: string;
  plan_id: string;
  position: number;
  title: string;
  kind: ActivityKind;
  starts_at: Iso;
  ends_at: Iso;
  place: string;
  online_url: string | null;
  audience: string;
}

export interface FoundationTables {
  units: UnitsTable;
  unit_closure: UnitClosureTable;
  users: UsersTable;
  sessions: SessionsTable;
  role_grants: RoleGrantsTable;
  password_reset_tokens: PasswordResetTokensTable;
  outbox: OutboxTable;
  weeks: WeeksTable;
  plans: PlansTable;
  plan_activities: PlanActivitiesTable;
}

// Kept for areas that want an auto-incremented counter without dialect differences.
export type Counter = Generated<number>;
