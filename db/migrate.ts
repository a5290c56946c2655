import { type Kysely, Migrator, sql } from 'kysely';

import { isPostgres } from './dialect';
import { migrations } from './migrations/index';

export async function migrateToLatest(db: Kysely<any>): Promise<void> {
  // On PostgreSQL the migrator's bookkeeping tables live in the connection's own schema: without
  // it, Kysely finds `kysely_migration_lock` in *any* schema of the database (another app's, or
  // a parallel test's) and then fails to use one that is not on the search path.
  const schema = isPostgres(db) ? (await sql<{ s: string }>`select current_schema() as s`.execute(db)).rows[0]?.s : undefined;
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  for (const r of results ?? []) {
    if (r.status === 'Error') console.error(`migration ${r.migrationName} failed`);
  }
  if (error) throw error instanceof Error ? error : new Error(String(error));
}
