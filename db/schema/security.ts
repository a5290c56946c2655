/** Table types added by the security review (issue #9). */
import type { Iso } from './foundation';

/** Rate-limit counters shared by all server processes (app/lib/rate-limit.server.ts). */
export interface RateLimitsTable {
  key: string;
  points: number;
  /** Epoch milliseconds; a bigint (a string on PostgreSQL, read through toNumber). */
  expire: number | string | null;
}

/** An edit of a published resource awaiting review (JSON of the edited columns and years). */
export interface ResourcePendingEditsTable {
  resource_id: string;
  changes: string;
  edited_by: string;
  created_at: Iso;
}

export interface SecurityTables {
  rate_limits: RateLimitsTable;
  resource_pending_edits: ResourcePendingEditsTable;
}
