import type { Kysely } from 'kysely';

// Periodic jobs run once across app instances (app/lib/jobs.server.ts): each run is claimed by
// moving `next_run_at` forward in one conditional UPDATE, which only one instance can win.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('ops_job_runs')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('next_run_at', 'text', (c) => c.notNull())
    .addColumn('claimed_by', 'text')
    .addColumn('claimed_at', 'text')
    .addColumn('finished_at', 'text')
    .addColumn('failed', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('ops_job_runs').execute();
}
