import { Migrator, sql } from 'kysely';

import type { DB } from '~/db/connection';
import { migrations } from '~/db/migrations/index';

export interface Readiness {
  ready: boolean;
  database: 'ok' | 'unreachable';
  /** Migrations of this build not yet applied to the database (deploy order: migrate, then serve). */
  pendingMigrations: string[];
}

/** Readiness for a load balancer: the database answers and every migration of this build is applied. */
export async function readiness(db: DB): Promise<Readiness> {
  try {
    await sql`select 1`.execute(db);
  } catch {
    return { ready: false, database: 'unreachable', pendingMigrations: [] };
  }
  try {
    const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
    const pending = (await migrator.getMigrations()).filter((m) => !m.executedAt).map((m) => m.name);
    return { ready: pending.length === 0, database: 'ok', pendingMigrations: pending };
  } catch {
    return { ready: false, database: 'ok', pendingMigrations: ['(cannot read the migration table)'] };
  }
}
