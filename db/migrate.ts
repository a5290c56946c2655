import { type Kysely, Migrator } from 'kysely';

import { migrations } from './migrations/index';

/**
 * `schema`: where the migration tables live when the connection's search_path is a private schema
 * (tests): Kysely's existence check otherwise sees another schema's `kysely_migration_lock` and skips
 * creating its own.
 */
export async function migrateToLatest(db: Kysely<any>, schema?: string): Promise<void> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations }, migrationTableSchema: schema });
  const { error, results } = await migrator.migrateToLatest();
  for (const r of results ?? []) {
    if (r.status === 'Error') console.error(`migration ${r.migrationName} failed`);
  }
  if (error) throw error instanceof Error ? error : new Error(String(error));
}
