import { type Kysely, sql } from 'kysely';

// Reading challenges, finished: a certificate for each finisher (the same codes and /verify/<code>
// as course certificates, through the one registry in app/domain/certificates/verify.server.ts),
// and each participant's choice to appear on the challenge's leaderboard or not.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('reading_challenge_certificates')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('challenge_id', 'text', (c) => c.notNull().references('reading_challenges.id').onDelete('restrict'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('restrict'))
    .addColumn('holder_name', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('unit_name', 'text', (c) => c.notNull())
    .addColumn('issued_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .addColumn('revoked_reason', 'text')
    .addUniqueConstraint('reading_challenge_certificates_once', ['challenge_id', 'user_id'])
    .execute();
  await db.schema
    .alterTable('reading_challenge_members')
    .addColumn('on_board', 'integer', (c) => c.notNull().defaultTo(1).check(sql`on_board in (0, 1)`))
    .execute();
  await db.schema.createIndex('reading_challenges_unit_idx').on('reading_challenges').columns(['unit_id', 'ends_on']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('reading_challenges_unit_idx').execute();
  await db.schema.alterTable('reading_challenge_members').dropColumn('on_board').execute();
  await db.schema.dropTable('reading_challenge_certificates').execute();
}
