/**
 * Wall time inside every better-sqlite3 statement call (`all`, `get`, `run`, `iterate`), by the
 * statement's SQL, for the tools that print which statements a page or a save runs (sql-loop.ts,
 * contest-save-loop.ts, contest-save-ab.ts). Call before the application opens its database.
 */
import Sqlite from 'better-sqlite3';

export type StatementStats = Map<string, { ms: number; calls: number }>;

/** Times the statement calls made while `counting()` is true (always by default) into the map returned. */
export function timeStatements(counting: () => boolean = () => true): StatementStats {
  const stats: StatementStats = new Map();
  const proto = Object.getPrototypeOf(new Sqlite(':memory:').prepare('select 1')) as Record<string, unknown>;
  for (const m of ['all', 'get', 'run', 'iterate'] as const) {
    const orig = proto[m] as (...a: unknown[]) => unknown;
    proto[m] = function (this: { source: string }, ...args: unknown[]) {
      if (!counting()) return orig.apply(this, args);
      const t0 = performance.now();
      try {
        return orig.apply(this, args);
      } finally {
        const s = stats.get(this.source) ?? { ms: 0, calls: 0 };
        s.ms += performance.now() - t0;
        s.calls++;
        stats.set(this.source, s);
      }
    };
  }
  return stats;
}
