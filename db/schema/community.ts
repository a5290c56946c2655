import type { Generated } from 'kysely';

import type { Bool01, Iso } from './foundation';

/** Discussion engine (disc_), forums (forum_) and the notification centre (notif_). */
export type DiscStatus = 'visible' | 'held' | 'hidden' | 'removed';
export const REACTIONS = ['like', 'thanks', 'insightful', 'support'] as const;
export type Reaction = (typeof REACTIONS)[number];
export const FLAG_REASONS = ['spam', 'offensive', 'off_topic', 'minor_data', 'other'] as const;
export type FlagReason = (typeof FLAG_REASONS)[number];
export type QueueReason = 'flags' | 'watched_hold' | 'watched_flag' | 'minor' | 'new_member';
export type WatchAction = 'block' | 'hold' | 'flag';
export type EmailMode = 'immediate' | 'digest' | 'never';

export interface DiscThreadsTable {
  id: string;
  place_type: string;
  place_id: string;
  unit_id: string | null;
  title: string;
  author_id: string;
  status: DiscStatus;
  pinned: Bool01;
  locked: Bool01;
  slow_mode_s: number;
  last_post_no: number;
  reply_count: number;
  created_at: Iso;
  last_post_at: Iso;
}

export interface DiscPostsTable {
  id: string;
  thread_id: string;
  post_no: number;
  author_id: string;
  body_md: string;
  body_html: string;
  quote_of: string | null;
  status: DiscStatus;
  edit_count: number;
  created_at: Iso;
  edited_at: Iso | null;
  removed_at: Iso | null;
}

export interface DiscPostEditsTable {
  id: string;
  post_id: string;
  body_md: string;
  edited_by: string | null;
  edited_at: Iso;
}

export interface DiscReactionsTable {
  post_id: string;
  user_id: string;
  reaction: Reaction;
  created_at: Iso;
}

export interface DiscFollowsTable {
  thread_id: string;
  user_id: string;
  created_at: Iso;
}

export interface DiscReadsTable {
  thread_id: string;
  user_id: string;
  last_read_no: number;
  updated_at: Iso;
}

/** A visible reply's fan-out still to do (notices to followers, the quoted author, mentions): see app/domain/discussion/outbox.server.ts. */
export interface DiscOutboxTable {
  id: string;
  post_id: string;
  created_at: Iso;
  attempts: Generated<number>;
  last_error: string | null;
}

export interface DiscFlagsTable {
  id: string;
  post_id: string;
  user_id: string;
  reason: FlagReason;
  note: string | null;
  established: Bool01;
  created_at: Iso;
}

export interface DiscQueueTable {
  id: string;
  post_id: string;
  unit_id: string;
  reason: QueueReason;
  status: 'open' | 'handled';
  escalations: number;
  created_at: Iso;
  queued_at: Iso;
  handled_by: string | null;
  handled_at: Iso | null;
}

export interface DiscModLogTable {
  id: string;
  actor_id: string | null;
  action: string;
  thread_id: string | null;
  post_id: string | null;
  subject_user_id: string | null;
  unit_id: string | null;
  reason: string;
  created_at: Iso;
}

export interface DiscModeratorsTable {
  unit_id: string;
  user_id: string;
  appointed_by: string | null;
  created_at: Iso;
}

export interface DiscSilencesTable {
  id: string;
  user_id: string;
  unit_id: string;
  until: Iso;
  reason: string;
  created_by: string | null;
  created_at: Iso;
}

export interface DiscWatchedWordsTable {
  id: string;
  unit_id: string;
  word: string;
  action: WatchAction;
  created_by: string | null;
  created_at: Iso;
}

export interface ForumCategoriesTable {
  id: string;
  slug: string;
  unit_id: string;
  week_year: number | null;
  name: string;
  description: string;
  visibility: 'public' | 'members';
  slow_mode_s: number;
  position: number;
  created_by: string | null;
  created_at: Iso;
}

export interface NotifNotificationsTable {
  id: string;
  user_id: string;
  type: string;
  /** JSON object of plain-text parameters for the type's message. */
  params: string;
  url: string | null;
  place_type: string | null;
  place_id: string | null;
  created_at: Iso;
  read_at: Iso | null;
  email: 'none' | 'pending' | 'digest' | 'sending' | 'sent';
  claim: string | null;
  emailed_at: Iso | null;
  /** Web push delivery (migration 2026-11-30T1140): 'none' without a device or with push off. */
  push: Generated<'none' | 'pending' | 'sending' | 'sent'>;
  /** What gathers into one unread notice (`thread:<id>`), or null (migration 2026-12-02T1200). */
  collapse_key: string | null;
  /** How many events the notice stands for (replies gathered while it was unread). */
  count: Generated<number>;
}

export interface NotifPushSubscriptionsTable {
  id: string;
  user_id: string;
  /** The push service's address for one browser (unique). */
  endpoint: string;
  p256dh: string;
  auth: string;
  user_agent: Generated<string>;
  created_at: Iso;
  last_success_at: Iso | null;
  failures: Generated<number>;
}

export interface NotifPrefsTable {
  user_id: string;
  type: string;
  mode: EmailMode;
  updated_at: Iso;
}

export interface CommunityTables {
  disc_threads: DiscThreadsTable;
  disc_posts: DiscPostsTable;
  disc_post_edits: DiscPostEditsTable;
  disc_reactions: DiscReactionsTable;
  disc_follows: DiscFollowsTable;
  disc_reads: DiscReadsTable;
  disc_outbox: DiscOutboxTable;
  disc_flags: DiscFlagsTable;
  disc_queue: DiscQueueTable;
  disc_mod_log: DiscModLogTable;
  disc_moderators: DiscModeratorsTable;
  disc_silences: DiscSilencesTable;
  disc_watched_words: DiscWatchedWordsTable;
  forum_categories: ForumCategoriesTable;
  notif_notifications: NotifNotificationsTable;
  notif_prefs: NotifPrefsTable;
  notif_push_subscriptions: NotifPushSubscriptionsTable;
}
