/** Week results reports (issue #16): forms, sections, indicators, one report per unit, its values and events. */
import type { Iso, UnitKind } from './foundation';

export const INDICATOR_TYPES = ['count', 'vnd', 'text', 'bool'] as const;
export type IndicatorType = (typeof INDICATOR_TYPES)[number];

export const REPORT_STATUSES = ['draft', 'submitted', 'returned', 'accepted'] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];

/** A rule across fields: `left op right` where each side is an indicator code. */
export interface ReportRule {
  left: string;
  op: '>=' | '<=' | '=';
  right: string;
}

export interface ReportFormsTable {
  id: string;
  week_year: number;
  slug: string;
  /** The unit that defined the form: it applies to that unit's subtree (the Ministry: the whole country). */
  owner_unit_id: string;
  title_vi: string;
  title_en: string;
  /** JSON array of unit kinds that report (`["province","district","ward"]`). */
  applies_to_json: string;
  /** JSON array of `ReportRule`. */
  rules_json: string;
  /** `YYYY-MM-DD`, Vietnam time: on time when first submitted on or before this day. */
  deadline: string;
  /** `YYYY-MM-DD`: from this day nothing can be saved or submitted (DHIS2's expiry). */
  lock_date: string;
  /** The document-number suffix of the printed report (`BC-UBND` → "Số: …/BC-UBND"). */
  doc_code: string;
  /** The form's current version: bumped by every edit, each version's definition kept in `report_form_versions`. */
  version: number;
  created_by: string | null;
  created_at: Iso;
  updated_at: Iso;
}

export interface ReportSectionsTable {
  id: string;
  form_id: string;
  position: number;
  title_vi: string;
  title_en: string;
}

export interface ReportIndicatorsTable {
  id: string;
  form_id: string;
  section_id: string;
  position: number;
  code: string;
  label_vi: string;
  label_en: string;
  type: IndicatorType;
  min_value: number | string | null;
  max_value: number | string | null;
  /** A platform figure the indicator is pre-filled from (see `PREFILL_SOURCES`); null: typed by the unit. */
  source: string | null;
  /** 1: must be answered to submit; 0: optional. */
  required: 0 | 1;
}

export interface ReportReportsTable {
  id: string;
  form_id: string;
  unit_id: string;
  status: ReportStatus;
  /** Optimistic concurrency: bumped by every save; a save quoting an older version is refused. */
  version: number;
  first_submitted_at: Iso | null;
  submitted_at: Iso | null;
  submitted_by: string | null;
  /** JSON array of unit ids listed as late when the parent submitted without them. */
  submitted_without_json: string | null;
  reviewed_at: Iso | null;
  reviewed_by: string | null;
  review_comment: string | null;
  updated_at: Iso;
  updated_by: string | null;
  /** The form version the report was last saved against (null: saved before versions were kept). */
  form_version: number | null;
}

export interface ReportValuesTable {
  report_id: string;
  indicator_id: string;
  /** Whole numbers and VND (bigint: a string on PostgreSQL, read through `toNumber`); bool as 0/1. */
  num_value: number | string | null;
  text_value: string | null;
  /** The platform's figure when the value was saved (null: not a pre-filled indicator). */
  prefill_value: number | string | null;
}

export interface ReportEventsTable {
  id: string;
  report_id: string;
  version: number;
  action: 'submitted' | 'returned' | 'accepted' | 'reopened';
  comment: string | null;
  /** The values as submitted (every submitted version kept), JSON `{code: value}`. */
  values_json: string | null;
  /** For a submission: the form version the values were filled against. */
  form_version: number | null;
  actor_id: string | null;
  created_at: Iso;
}

/** A form's definition as it stood at one version (JSON `FormSnapshot`, see app/domain/reports/editor.server.ts). */
export interface ReportFormVersionsTable {
  form_id: string;
  version: number;
  definition_json: string;
  created_by: string | null;
  created_at: Iso;
}

export interface ReportRemindersTable {
  id: string;
  form_id: string;
  unit_id: string;
  kind: 'd3' | 'd1' | 'manual';
  sent_on: string;
  sent_by: string | null;
  created_at: Iso;
}

/** A file attached to a unit's report for a form (minutes, photos, the signed scan), kept in app/lib/storage. */
export interface ReportAttachmentsTable {
  id: string;
  form_id: string;
  unit_id: string;
  storage_key: string;
  /** The file's name as uploaded (shown and used for the download). */
  name: string;
  /** The content type found in the file's bytes (never the name's or the browser's claim). */
  mime: string;
  size_bytes: number;
  uploaded_by: string | null;
  created_at: Iso;
}

/** Per form, unit and indicator: the sum of the submitted/accepted reports strictly below the unit in the form's tree. */
export interface ReportRollupsTable {
  form_id: string;
  unit_id: string;
  indicator_id: string;
  /** bigint: a string on PostgreSQL, read through `toNumber`. */
  total: number | string;
  /** How many values make the total (0: no value, the indicator is left out). */
  n: number;
}

/** Per form and unit: the reports strictly below it submitted (or accepted), accepted, first submitted on time. */
export interface ReportRollupCountsTable {
  form_id: string;
  unit_id: string;
  submitted: number;
  accepted: number;
  on_time: number;
}

/** The tree and deadline a form's roll-ups follow (`rollupKey`); another key: the roll-ups are not used. */
export interface ReportRollupStateTable {
  form_id: string;
  tree_key: string;
  built_at: Iso;
}

export interface ReportsTables {
  report_forms: ReportFormsTable;
  report_sections: ReportSectionsTable;
  report_indicators: ReportIndicatorsTable;
  report_reports: ReportReportsTable;
  report_values: ReportValuesTable;
  report_events: ReportEventsTable;
  report_reminders: ReportRemindersTable;
  report_form_versions: ReportFormVersionsTable;
  report_attachments: ReportAttachmentsTable;
  report_rollups: ReportRollupsTable;
  report_rollup_counts: ReportRollupCountsTable;
  report_rollup_state: ReportRollupStateTable;
}

export type { UnitKind };
