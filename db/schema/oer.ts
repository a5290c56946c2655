/** Table types of the oer area (open educational resources) and of the shared search index. */
import type { Generated } from 'kysely';

import type { Bool01, Iso } from './foundation';

export const RESOURCE_KINDS = ['video', 'document', 'article', 'periodical', 'audio', 'slides', 'interactive', 'simulation'] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];

export const RESOURCE_LEVELS = ['primary', 'secondary', 'university', 'adult', 'elderly'] as const;
export type ResourceLevel = (typeof RESOURCE_LEVELS)[number];

export const LICENCES = ['cc-by', 'cc-by-sa', 'cc-by-nc', 'cc0', 'public-domain'] as const;
export type Licence = (typeof LICENCES)[number];

export const SUBJECTS = [
  'digital-skills',
  'reading',
  'self-learning',
  'language',
  'science',
  'history',
  'health',
  'life-skills',
  'civics',
  'maths',
  'arts',
  'other',
] as const;
export type Subject = (typeof SUBJECTS)[number];

export const RESOURCE_STATUSES = ['draft', 'submitted', 'published', 'returned'] as const;
export type ResourceStatus = (typeof RESOURCE_STATUSES)[number];

export interface ResourcesTable {
  id: string;
  unit_id: string;
  author_id: string;
  kind: ResourceKind;
  status: ResourceStatus;
  title: string;
  summary: string;
  /** Display names, one per line. */
  authors: string;
  subject: Subject;
  level: ResourceLevel;
  language: string;
  licence: Licence;
  /** Who holds the rights, for the attribution line (defaults to the authors). */
  rights_holder: string | null;
  duration_seconds: number | null;
  page_count: number | null;
  body_md: string;
  /** Uploaded file (video/audio/document/slides/package) in the storage module. */
  media_key: string | null;
  media_type: string | null;
  media_size: number | null;
  media_name: string | null;
  captions_key: string | null;
  thumbnail_key: string | null;
  hls_url: string | null;
  external_url: string | null;
  /** "00:00 Mở đầu" lines. */
  chapters: string;
  review_comment: string | null;
  reviewed_by: string | null;
  reviewed_at: Iso | null;
  version: number;
  views: number;
  published_at: Iso | null;
  created_at: Iso;
  updated_at: Iso;
}

/** The Week years a resource is tagged with. */
export interface ResourceYearsTable {
  resource_id: string;
  year: number;
}

/** A snapshot of the published metadata before each edit of a published resource. */
export interface ResourceVersionsTable {
  id: string;
  resource_id: string;
  version: number;
  snapshot: string; // JSON
  edited_by: string;
  created_at: Iso;
}

export interface ResourceProgressTable {
  resource_id: string;
  user_id: string;
  position_seconds: number;
  duration_seconds: number | null;
  completed: Bool01;
  /** Seconds of playback credited by server-checked heartbeats (issue #9). */
  watched_seconds: Generated<number>;
  /** Epoch ms of the last heartbeat (bigint: a string on PostgreSQL). */
  beat_at: number | string | null;
  beat_position: number | null;
  updated_at: Iso;
}

/** The shared search index (app/domain/search): one row per searchable document of any area. */
export interface SearchDocsTable {
  doc_no: Generated<number>;
  source: string;
  ref_id: string;
  kind: string;
  title: string;
  body: string;
  title_fold: string;
  body_fold: string;
  url: string;
  subject: string | null;
  level: string | null;
  licence: string | null;
  unit_id: string | null;
  /** '|2023|2024|' — Week years, for a LIKE on digits only. */
  years: string;
  /** Filter values as index words (facetTokens in app/domain/search/index.server.ts). */
  facets: string;
  language: string | null;
  published_at: Iso | null;
  updated_at: Iso;
}

export interface OerTables {
  resources: ResourcesTable;
  resource_years: ResourceYearsTable;
  resource_versions: ResourceVersionsTable;
  resource_progress: ResourceProgressTable;
  search_docs: SearchDocsTable;
}
