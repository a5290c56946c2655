/** Unit history: the closure table per period, lineage and the change log (see the unit-history migration). */
export interface UnitTreeHistoryTable {
  ancestor_id: string;
  descendant_id: string;
  depth: number;
  /** `YYYY-MM-DD`; '0001-01-01' for "since the records began". */
  valid_from: string;
  /** First day the pair no longer holds; null: still holds. */
  valid_to: string | null;
}

export const LINEAGE_KINDS = ['merged_into', 'split_from', 'renamed_to'] as const;
export type LineageKind = (typeof LINEAGE_KINDS)[number];

export interface UnitLineageTable {
  id: string;
  predecessor_id: string;
  successor_id: string;
  kind: LineageKind;
  effective_on: string;
  change_id: string | null;
}

export const UNIT_CHANGE_KINDS = [
  'created',
  'moved',
  'dissolved',
  'renamed',
  'merged',
  'imported',
  'role_carried',
  'home_carried',
] as const;
export type UnitChangeKind = (typeof UNIT_CHANGE_KINDS)[number];

export interface UnitChangesTable {
  id: string;
  /** One reorganisation or import = one batch. */
  batch_id: string;
  effective_on: string;
  kind: UnitChangeKind;
  unit_id: string | null;
  other_unit_id: string | null;
  user_id: string | null;
  /** A short human-readable note (names at the time of the change). */
  detail: string;
  actor_id: string | null;
  created_at: string;
}

export interface UnitHistoryTables {
  unit_tree_history: UnitTreeHistoryTable;
  unit_lineage: UnitLineageTable;
  unit_changes: UnitChangesTable;
}
