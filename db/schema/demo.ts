/** Table types of the demo seed's own bookkeeping, gathered into Database in db/schema.ts. */
import type { Iso } from './foundation';

/** What the demo seed made from which demo entry (`key`, stable across title edits) and how (`detail`, JSON). */
export interface DemoSeedsTable {
  key: string;
  ref_id: string;
  detail: string;
  updated_at: Iso;
}

export interface DemoTables {
  demo_seeds: DemoSeedsTable;
}
