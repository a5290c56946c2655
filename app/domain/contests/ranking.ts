/**
 * The ranking rule of a contest, pure: an ordered list of steps, each switchable. The default is
 * the Vietnamese contests' order — score (desc) → prediction gap (asc) → time taken (asc) →
 * submitted earlier (asc). Entries equal on every enabled step share a rank (1, 1, 3).
 */
export type RankStep = 'score' | 'prediction' | 'time' | 'submitted';
export const RANK_STEPS: readonly RankStep[] = ['score', 'prediction', 'time', 'submitted'];
export interface RankingRule {
  step: RankStep;
  on: boolean;
}
export const DEFAULT_RANKING: RankingRule[] = RANK_STEPS.map((step) => ({ step, on: true }));

export interface Rankable {
  score: number;
  /** |prediction − real figure|; null (no prediction) ranks after every given prediction. */
  predictionGap: number | null;
  durationMs: number;
  submittedAt: string;
}

/** Reads a stored rule, keeping only known steps once each, and appending missing ones switched off. */
export function parseRanking(json: string | null | undefined): RankingRule[] {
  let raw: unknown = null;
  try {
    raw = json ? JSON.parse(json) : null;
  } catch {
    raw = null;
  }
  if (!Array.isArray(raw)) return DEFAULT_RANKING.map((r) => ({ ...r }));
  const out: RankingRule[] = [];
  for (const r of raw as Array<{ step?: unknown; on?: unknown }>) {
    const step = r?.step as RankStep;
    if (RANK_STEPS.includes(step) && !out.some((o) => o.step === step)) out.push({ step, on: r.on !== false });
  }
  for (const step of RANK_STEPS) if (!out.some((o) => o.step === step)) out.push({ step, on: false });
  return out;
}

function compareStep(step: RankStep, a: Rankable, b: Rankable): number {
  switch (step) {
    case 'score':
      return b.score - a.score;
    case 'prediction': {
      const ga = a.predictionGap ?? Number.POSITIVE_INFINITY;
      const gb = b.predictionGap ?? Number.POSITIVE_INFINITY;
      return ga === gb ? 0 : ga < gb ? -1 : 1;
    }
    case 'time':
      return a.durationMs - b.durationMs;
    case 'submitted':
      return a.submittedAt < b.submittedAt ? -1 : a.submittedAt > b.submittedAt ? 1 : 0;
  }
}

/** Negative when `a` ranks before `b` under `rule`; 0 when they tie on every enabled step. */
export function compareEntries(rule: readonly RankingRule[], a: Rankable, b: Rankable): number {
  for (const r of rule) {
    if (!r.on) continue;
    const c = compareStep(r.step, a, b);
    if (c !== 0) return c;
  }
  return 0;
}

/**
 * Sorts and ranks entries (competition ranking: ties share a rank, the next rank skips).
 * `tieKey` orders full ties deterministically for display only.
 */
export function rankEntries<T extends Rankable>(
  rule: readonly RankingRule[],
  entries: readonly T[],
  tieKey: (e: T) => string,
): Array<T & { rank: number }> {
  const sorted = entries.slice().sort((a, b) => compareEntries(rule, a, b) || (tieKey(a) < tieKey(b) ? -1 : tieKey(a) > tieKey(b) ? 1 : 0));
  const out: Array<T & { rank: number }> = [];
  sorted.forEach((e, i) => {
    const prev = out[i - 1];
    const rank = prev && compareEntries(rule, prev, e) === 0 ? prev.rank : i + 1;
    out.push({ ...e, rank });
  });
  return out;
}

/** Which step separated an entry from the one ranked just above it (for "why is my rank this?"). */
export function decidingStep(rule: readonly RankingRule[], above: Rankable, me: Rankable): RankStep | null {
  for (const r of rule) {
    if (r.on && compareStep(r.step, above, me) !== 0) return r.step;
  }
  return null;
}
