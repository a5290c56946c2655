/**
 * Instant-runoff (ranked-choice) tally for book polls, pure and deterministic.
 *
 * Each round counts every ballot for its highest-ranked option still in the race. An option
 * with more than half of the ballots still counting (exhausted ballots — every choice
 * eliminated — no longer count) wins. Otherwise the option with the fewest votes is eliminated.
 * A tie for fewest is broken by fewer votes in the earlier rounds (looking back from the latest
 * round), then by fewer first choices, then by the later position in the poll (the option
 * listed last goes first). When only tied options remain (e.g. 5–5), the same order decides
 * which is eliminated, so there is always exactly one winner if anyone voted.
 */
export type IrvRound = { counts: Record<string, number>; exhausted: number; eliminated: string | null };
export type IrvResult = { winner: string | null; rounds: IrvRound[] };

export function instantRunoff(options: string[], ballots: string[][]): IrvResult {
  const valid = new Set(options);
  // Keep each ballot's valid, distinct choices in order.
  const clean = ballots.map((b) => {
    const seen = new Set<string>();
    return b.filter((o) => valid.has(o) && !seen.has(o) && seen.add(o));
  });
  const remaining = new Set(options);
  const rounds: IrvRound[] = [];
  const firstChoices: Record<string, number> = Object.fromEntries(options.map((o) => [o, 0]));
  for (const b of clean) if (b[0]) firstChoices[b[0]]!++;
  if (!clean.some((b) => b.length)) return { winner: null, rounds: [] };

  while (remaining.size > 0) {
    const counts: Record<string, number> = Object.fromEntries([...remaining].map((o) => [o, 0]));
    let exhausted = 0;
    for (const b of clean) {
      const top = b.find((o) => remaining.has(o));
      if (top) counts[top]!++;
      else exhausted++;
    }
    const active = clean.length - exhausted;
    const leader = [...remaining].find((o) => counts[o]! * 2 > active);
    if (leader || remaining.size === 1) {
      rounds.push({ counts, exhausted, eliminated: null });
      return { winner: leader ?? [...remaining][0]!, rounds };
    }
    // Eliminate the weakest, ties broken as described above.
    const order = (a: string, b: string): number => {
      if (counts[a] !== counts[b]) return counts[a]! - counts[b]!;
      for (let i = rounds.length - 1; i >= 0; i--) {
        const ra = rounds[i]!.counts[a] ?? 0;
        const rb = rounds[i]!.counts[b] ?? 0;
        if (ra !== rb) return ra - rb;
      }
      if (firstChoices[a] !== firstChoices[b]) return firstChoices[a]! - firstChoices[b]!;
      return options.indexOf(b) - options.indexOf(a);
    };
    const weakest = [...remaining].sort(order)[0]!;
    rounds.push({ counts, exhausted, eliminated: weakest });
    remaining.delete(weakest);
  }
  return { winner: null, rounds };
}
