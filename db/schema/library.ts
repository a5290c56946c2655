/** Table types of the library area, gathered into Database in db/schema.ts. */
import type { Generated } from 'kysely';

import type { Bool01, Iso } from './foundation';

export const LIB_AUDIENCES = ['children', 'youth', 'adult', 'all'] as const;
export type LibAudience = (typeof LIB_AUDIENCES)[number];

/** A shared bibliographic record: one per work, whatever library holds it. */
export interface LibTitlesTable {
  id: string;
  slug: string;
  title: string;
  author: string;
  language: string;
  description: string;
  /** Comma-separated subjects, e.g. "truyện cổ tích,văn học dân gian". */
  subjects: string;
  audience: LibAudience;
  theme_year: number | null;
  publisher: string | null;
  published_year: number | null;
  /** EPUB path relative to DATA_DIR, null until a file exists. */
  file_path: string | null;
  file_size: number | null;
  /** 'content' titles are (re)built from content/books; 'upload' titles come from librarians. */
  origin: 'content' | 'upload';
  created_by: string | null;
  created_at: Iso;
  updated_at: Iso;
  /** Vietnamese sort key of the title (app/lib/vi-sort.ts), set by createTitle/updateTitle. */
  sort_key: Generated<string>;
}

/** A library's holding of a title: open access, or a number of licensed copies. */
export interface LibHoldingsTable {
  id: string;
  title_id: string;
  library_id: string;
  open_access: Bool01;
  copies: number;
  created_at: Iso;
}

export interface LibLibrarySettingsTable {
  library_id: string;
  loan_days: number;
}

export type LoanStatus = 'active' | 'returned' | 'expired';
export interface LibLoansTable {
  id: string;
  holding_id: string;
  title_id: string;
  library_id: string;
  user_id: string;
  status: LoanStatus;
  borrowed_at: Iso;
  due_at: Iso;
  renewals: number;
  returned_at: Iso | null;
}

export type HoldStatus = 'waiting' | 'ready' | 'suspended' | 'fulfilled' | 'cancelled' | 'expired';
export interface LibHoldsTable {
  id: string;
  holding_id: string;
  title_id: string;
  library_id: string;
  user_id: string;
  status: HoldStatus;
  /** Queue order (FIFO): kept while suspended, so a resumed hold keeps its place. */
  queued_at: Iso;
  ready_at: Iso | null;
  expires_at: Iso | null;
  closed_at: Iso | null;
}

export interface LibNotificationsTable {
  id: string;
  user_id: string;
  kind: 'hold_ready' | 'hold_expired' | 'loan_expired';
  title_id: string | null;
  created_at: Iso;
  read_at: Iso | null;
}

export interface LibReadingStateTable {
  user_id: string;
  title_id: string;
  cfi: string;
  label: string | null;
  updated_at: Iso;
}

export interface LibAnnotationsTable {
  id: string;
  user_id: string;
  title_id: string;
  kind: 'bookmark' | 'highlight';
  cfi: string;
  excerpt: string | null;
  note: string | null;
  created_at: Iso;
  /** Set by a reader that made the annotation offline: a resent request adds it only once. */
  client_ref: string | null;
}

export interface LibHistoryTable {
  id: string;
  user_id: string;
  title_id: string;
  last_opened_at: Iso;
}

export type ReaderTheme = 'light' | 'sepia' | 'dark';
export interface LibReaderSettingsTable {
  user_id: string;
  /** Percent of the book's own size, 80–200. */
  font_size: number;
  theme: ReaderTheme;
  /** Line height in percent, 120–200. */
  line_height: number;
  updated_at: Iso;
}

export interface LibPrefsTable {
  user_id: string;
  history_enabled: Bool01;
}

export type RotationStatus = 'requested' | 'accepted' | 'active' | 'returned' | 'declined' | 'cancelled';
export interface LibRotationsTable {
  id: string;
  title_id: string;
  from_library_id: string;
  to_library_id: string;
  copies: number;
  starts_on: string;
  ends_on: string;
  status: RotationStatus;
  requested_by: string;
  decided_by: string | null;
  created_at: Iso;
  updated_at: Iso;
}

export interface LibShelvesTable {
  id: string;
  unit_id: string;
  teacher_id: string;
  name: string;
  join_code: string;
  created_at: Iso;
}

export interface LibShelfTitlesTable {
  shelf_id: string;
  title_id: string;
  added_at: Iso;
}

export interface LibShelfMembersTable {
  shelf_id: string;
  user_id: string;
  joined_at: Iso;
}

export interface LibraryTables {
  lib_titles: LibTitlesTable;
  lib_holdings: LibHoldingsTable;
  lib_library_settings: LibLibrarySettingsTable;
  lib_loans: LibLoansTable;
  lib_holds: LibHoldsTable;
  lib_notifications: LibNotificationsTable;
  lib_reading_state: LibReadingStateTable;
  lib_annotations: LibAnnotationsTable;
  lib_history: LibHistoryTable;
  lib_prefs: LibPrefsTable;
  lib_reader_settings: LibReaderSettingsTable;
  lib_rotations: LibRotationsTable;
  lib_shelves: LibShelvesTable;
  lib_shelf_titles: LibShelfTitlesTable;
  lib_shelf_members: LibShelfMembersTable;
}
