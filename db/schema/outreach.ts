/** Table types of the outreach kit (slogans, news, loudspeaker announcements), gathered into Database in db/schema.ts. */
import type { Generated } from 'kysely';

import type { Iso } from './foundation';

export interface OutreachSlogansTable {
  id: string;
  week_year: number;
  /** The unit whose list it is on (the Ministry's list is the Week's; units add their own). */
  unit_id: string;
  text: string;
  position: number;
  created_by: string | null;
  created_at: Iso;
  updated_at: Iso;
}

export type NewsStatus = 'draft' | 'scheduled' | 'published';

export interface OutreachNewsTable {
  id: string;
  week_year: number;
  unit_id: string;
  title: string;
  /** Markdown, rendered through ~/lib/markdown.server (sanitised). */
  body_md: string;
  /** A blob key of app/lib/storage/index.server.ts (an image checked by content). */
  photo_key: string | null;
  photo_alt: string | null;
  /** The day the news is about, yyyy-MM-dd (Vietnam). */
  news_date: string;
  created_by: string | null;
  created_at: Iso;
  updated_at: Iso;
  /** draft: only the unit's organisers see it; scheduled: public from `publish_at`; published: public. */
  status: Generated<NewsStatus>;
  /** When a scheduled item goes public (ISO); when a published item went public. */
  publish_at: Generated<Iso | null>;
  /** Bumped by every edit (the edit form's optimistic check). */
  version: Generated<number>;
  updated_by: Generated<string | null>;
}

export interface OutreachAnnouncementsTable {
  week_year: number;
  unit_id: string;
  text: string;
  /** Optimistic concurrency: a save names the version it edited. */
  version: number;
  updated_by: string | null;
  updated_at: Iso;
}

export interface OutreachTables {
  outreach_slogans: OutreachSlogansTable;
  outreach_news: OutreachNewsTable;
  outreach_announcements: OutreachAnnouncementsTable;
}
