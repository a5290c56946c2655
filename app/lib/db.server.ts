import { type DB, openDatabase } from '~/db/connection';

import { getEnv } from './env.server';
import { observeQuery } from './observability/metrics.server';

export type { DB };

// The one place that opens the application's connection; domain modules receive it as `db`.
const g = globalThis as unknown as { __appDb?: DB };

export function getDb(): DB {
  if (!g.__appDb) g.__appDb = openDatabase(getEnv().DATABASE_URL, { onQuery: observeQuery, synchronous: getEnv().SQLITE_SYNCHRONOUS });
  return g.__appDb;
}

export async function closeDb(): Promise<void> {
  const db = g.__appDb;
  g.__appDb = undefined;
  if (db) await db.destroy();
}
