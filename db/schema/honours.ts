import type { Iso } from './foundation';

/* ---- The honour roll (issue #16 item 6). ---- */

export const HONOUR_CATEGORIES = ['self_learner', 'learning_family', 'learning_unit', 'collective'] as const;
export type HonourCategory = (typeof HONOUR_CATEGORIES)[number];
export type NominationStatus = 'draft' | 'submitted' | 'returned' | 'approved';

export interface HonourNominationsTable {
  id: string;
  week_year: number;
  /** The nominating unit. */
  unit_id: string;
  /** Its parent in the tree in force on the Week's first day (the unit itself at the root). */
  approver_unit_id: string;
  category: HonourCategory;
  nominee_name: string;
  /** Only to identify the recipient of the badge by a salted hash; never shown. */
  nominee_email: string | null;
  nominee_birth_year: number | null;
  /** Under 18 in the Week's year: never shown publicly without consent. */
  is_minor: 0 | 1;
  consent: 0 | 1;
  /** Who gave the consent (parent or guardian), as typed. */
  consent_by: string | null;
  consent_at: Iso | null;
  headline: string;
  citation_md: string;
  /** JSON array of `{ url, label }`. */
  evidence_json: string;
  status: NominationStatus;
  /** Number of submitted versions. */
  version: number;
  created_by: string;
  created_at: Iso;
  updated_at: Iso;
  submitted_at: Iso | null;
  decided_by: string | null;
  decided_at: Iso | null;
  /** Set when the honour was issued for a contest's published results (the round and the winner). */
  contest_round_id: string | null;
  contest_user_id: string | null;
  /** Set when issued for a contest's contest-wide prize (the contest; with `contest_user_id`). */
  contest_overall_id: string | null;
}

/** Per contest: whether its winners' badges are issued when results are published (no row = on). */
export interface HonourContestSettingsTable {
  contest_id: string;
  auto_badges: 0 | 1;
  updated_by: string | null;
  updated_at: Iso;
}

export interface HonourVersionsTable {
  id: string;
  nomination_id: string;
  version: number;
  snapshot_json: string;
  submitted_by: string;
  submitted_at: Iso;
  decision: 'returned' | 'approved' | null;
  comment: string | null;
  decided_by: string | null;
  decided_at: Iso | null;
}

export interface HonourPhotosTable {
  id: string;
  nomination_id: string;
  blob_key: string;
  mime: string;
  bytes: number;
  alt: string;
  created_at: Iso;
}

export interface HonourBadgesTable {
  id: string;
  nomination_id: string;
  /** The certificate code, verified at /verify/<code>. */
  code: string;
  salt: string;
  /** `sha256$<hex>` of the email + salt; null when no email was given. */
  identity_hash: string | null;
  credential_json: string;
  /** The credential signed as a compact JWS (VC-JWT, EdDSA). */
  jwt: string;
  kid: string;
  issued_at: Iso;
  revoked_at: Iso | null;
  revoked_reason: string | null;
  revoked_by: string | null;
}

/** The deployment's signing key (one per `slot`, generated on first use). */
export interface HonourKeysTable {
  kid: string;
  slot: string;
  alg: string;
  public_jwk: string;
  private_jwk: string;
  created_at: Iso;
}

export interface HonoursTables {
  honour_nominations: HonourNominationsTable;
  honour_versions: HonourVersionsTable;
  honour_photos: HonourPhotosTable;
  honour_badges: HonourBadgesTable;
  honour_keys: HonourKeysTable;
  honour_contest_settings: HonourContestSettingsTable;
}
