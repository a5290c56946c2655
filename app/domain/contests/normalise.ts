/**
 * Jury arithmetic of submission rounds (issue #15), pure so it can be checked by hand:
 * a judge's total for an entry on a 0–100 scale from the weighted rubric, the spread between
 * judges (margin flags), and per-judge z-score normalisation so that a harsh (or generous) judge
 * does not sink (or lift) the batch they happened to receive.
 */

export interface Criterion {
  id: string;
  weight: number;
  max_points: number;
}

/** A judge's total for one entry on 0–100: Σ wᵢ·pᵢ / Σ wᵢ·maxᵢ × 100 (missing criteria count 0). */
export function weightedTotal(criteria: Criterion[], points: Map<string, number> | Record<string, number>): number {
  const get = (id: string) => (points instanceof Map ? points.get(id) : points[id]) ?? 0;
  const max = criteria.reduce((s, c) => s + c.weight * c.max_points, 0);
  if (max <= 0) return 0;
  const got = criteria.reduce((s, c) => s + c.weight * Math.min(c.max_points, Math.max(0, get(c.id))), 0);
  return (got / max) * 100;
}

export interface JudgeScore {
  entryId: string;
  judgeId: string;
  /** The judge's total for the entry, 0–100. */
  total: number;
}

export interface EntryScore {
  entryId: string;
  judges: number;
  /** Mean of the judges' totals. */
  raw: number;
  /** The normalised score on the same 0–100 scale (equal to raw when normalisation is off). */
  norm: number;
  /** max − min of the judges' totals. */
  spread: number;
}

function mean(xs: number[]) {
  return xs.reduce((s, x) => s + x, 0) / xs.length;
}
/** Population standard deviation. */
function sd(xs: number[]) {
  const m = mean(xs);
  return Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / xs.length);
}

/**
 * Per-judge z-scores: each judge's totals become (x − μⱼ)/σⱼ over the entries that judge scored
 * (0 when a judge scored one entry or gave everyone the same). An entry's z is the mean of its
 * judges' z; it is mapped back to the 0–100 scale with the mean and spread of all totals
 * (μ + z̄·σ, clamped to 0–100) so organisers read familiar numbers.
 */
export function scoreEntries(scores: JudgeScore[], normalise: boolean): EntryScore[] {
  const byEntry = new Map<string, JudgeScore[]>();
  const byJudge = new Map<string, number[]>();
  for (const s of scores) {
    byEntry.set(s.entryId, [...(byEntry.get(s.entryId) ?? []), s]);
    byJudge.set(s.judgeId, [...(byJudge.get(s.judgeId) ?? []), s.total]);
  }
  const stats = new Map([...byJudge].map(([j, xs]) => [j, { m: mean(xs), s: sd(xs) }]));
  const all = scores.map((s) => s.total);
  const mAll = all.length ? mean(all) : 0;
  const sAll = all.length ? sd(all) : 0;
  return [...byEntry].map(([entryId, xs]) => {
    const totals = xs.map((x) => x.total);
    const raw = mean(totals);
    let norm = raw;
    if (normalise) {
      const z = mean(
        xs.map((x) => {
          const st = stats.get(x.judgeId)!;
          return st.s > 0 ? (x.total - st.m) / st.s : 0;
        }),
      );
      norm = Math.min(100, Math.max(0, mAll + z * sAll));
    }
    return { entryId, judges: xs.length, raw, norm, spread: Math.max(...totals) - Math.min(...totals) };
  });
}

/** Rounds to 2 decimals for storage and display. */
export function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
