import { type DB, openDatabase } from '~/db/connection';

import { getEnv } from './env.server';
import { logger } from './observability/log.server';
import { observeQuery } from './observability/metrics.server';

export type { DB };

// The one place that opens the application's connection; domain modules receive it as `db`.
const g = globalThis as unknown as { __appDb?: DB };

export function getDb(): DB {
  if (!g.__appDb) {
    const env = getEnv();
    const slowMs = env.SLOW_QUERY_MS;
    const onQuery = !slowMs
      ? observeQuery
      : (sqlText: string, ms: number, failed: boolean) => {
          observeQuery(sqlText, ms, failed);
          if (ms >= slowMs) logger().warn({ ms: Math.round(ms * 10) / 10, sql: sqlText.slice(0, 600) }, 'slow query');
        };
    g.__appDb = openDatabase(env.DATABASE_URL, { onQuery, synchronous: env.SQLITE_SYNCHRONOUS, mmapMb: env.SQLITE_MMAP_MB });
  }
  return g.__appDb;
}

export async function closeDb(): Promise<void> {
  const db = g.__appDb;
  g.__appDb = undefined;
  if (db) await db.destroy();
}
