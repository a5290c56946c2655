/** Rows of the contests' exports (CSV/XLSX in exports.server): one builder for every table. */

export type Cell = string | number | null;
/** One column of an export: its header and how a row fills it. */
export type Column<R> = readonly [header: string, cell: (r: R) => Cell];

/** An export's rows: the header first, then one row per record. */
export function table<R>(columns: ReadonlyArray<Column<R>>, records: readonly R[]): Cell[][] {
  return [columns.map((c) => c[0]), ...records.map((r) => columns.map((c) => c[1](r)))];
}

/** What a ranked quiz result (a round's or the contest-wide one) gives an export. */
export interface QuizResultRecord {
  rank: number;
  full_name: string;
  birth_year: number;
  unit_name: string;
  score: number;
  max_score: number;
  prediction_gap: number | null;
  duration_ms: number;
  submitted_at: string;
  label: string | null;
}

/**
 * The columns of a quiz ranking export — one shape for a round's results and the contest-wide
 * ranking: `lead` columns, then rank, name, birth year, unit, `afterUnit` columns, score, maximum,
 * prediction gap, time in seconds (one decimal), the submission instant (headed `submittedHeader`)
 * and the prize.
 */
export function quizResultColumns<R extends QuizResultRecord>(
  lead: ReadonlyArray<Column<R>>,
  afterUnit: ReadonlyArray<Column<R>>,
  submittedHeader: string,
): Array<Column<R>> {
  return [
    ...lead,
    ['rank', (r) => r.rank],
    ['full_name', (r) => r.full_name],
    ['birth_year', (r) => r.birth_year],
    ['unit', (r) => r.unit_name],
    ...afterUnit,
    ['score', (r) => r.score],
    ['max_score', (r) => r.max_score],
    ['prediction_gap', (r) => r.prediction_gap],
    ['time_s', (r) => Math.round(r.duration_ms / 100) / 10],
    [submittedHeader, (r) => r.submitted_at],
    ['prize', (r) => r.label ?? ''],
  ];
}
