import { type Kysely, sql } from 'kysely';

// The honour roll (issue #16 item 6): nominations of exemplary self-learners, families, units and
// collectives for a Week, approved by the nominating unit's parent (every submitted version kept),
// their photos, the Open Badges 3.0 credentials issued for approved ones, and the deployment's
// Ed25519 signing key.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('honour_nominations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('week_year', 'integer', (c) => c.notNull().references('weeks.year'))
    .addColumn('unit_id', 'text', (c) => c.notNull().references('units.id'))
    .addColumn('approver_unit_id', 'text', (c) => c.notNull().references('units.id'))
    .addColumn('category', 'text', (c) =>
      c.notNull().check(sql`category in ('self_learner','learning_family','learning_unit','collective')`),
    )
    .addColumn('nominee_name', 'text', (c) => c.notNull())
    .addColumn('nominee_email', 'text')
    .addColumn('nominee_birth_year', 'integer')
    .addColumn('is_minor', 'integer', (c) => c.notNull().defaultTo(0).check(sql`is_minor in (0,1)`))
    .addColumn('consent', 'integer', (c) => c.notNull().defaultTo(0).check(sql`consent in (0,1)`))
    .addColumn('consent_by', 'text')
    .addColumn('consent_at', 'text')
    .addColumn('headline', 'text', (c) => c.notNull())
    .addColumn('citation_md', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('evidence_json', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('draft','submitted','returned','approved')`))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('submitted_at', 'text')
    .addColumn('decided_by', 'text', (c) => c.references('users.id'))
    .addColumn('decided_at', 'text')
    .execute();
  await db.schema.createIndex('honour_nominations_week_idx').on('honour_nominations').columns(['week_year', 'status']).execute();
  await db.schema.createIndex('honour_nominations_unit_idx').on('honour_nominations').columns(['unit_id', 'status']).execute();
  await db.schema.createIndex('honour_nominations_approver_idx').on('honour_nominations').columns(['approver_unit_id', 'status']).execute();

  await db.schema
    .createTable('honour_versions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('nomination_id', 'text', (c) => c.notNull().references('honour_nominations.id').onDelete('cascade'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('snapshot_json', 'text', (c) => c.notNull())
    .addColumn('submitted_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('submitted_at', 'text', (c) => c.notNull())
    .addColumn('decision', 'text', (c) => c.check(sql`decision is null or decision in ('returned','approved')`))
    .addColumn('comment', 'text')
    .addColumn('decided_by', 'text', (c) => c.references('users.id'))
    .addColumn('decided_at', 'text')
    .addUniqueConstraint('honour_versions_once', ['nomination_id', 'version'])
    .execute();

  await db.schema
    .createTable('honour_photos')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('nomination_id', 'text', (c) => c.notNull().references('honour_nominations.id').onDelete('cascade'))
    .addColumn('blob_key', 'text', (c) => c.notNull())
    .addColumn('mime', 'text', (c) => c.notNull())
    .addColumn('bytes', 'integer', (c) => c.notNull())
    .addColumn('alt', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('honour_photos_nomination_idx').on('honour_photos').column('nomination_id').execute();

  await db.schema
    .createTable('honour_badges')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('nomination_id', 'text', (c) => c.notNull().unique().references('honour_nominations.id'))
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('salt', 'text', (c) => c.notNull())
    .addColumn('identity_hash', 'text')
    .addColumn('credential_json', 'text', (c) => c.notNull())
    .addColumn('jwt', 'text', (c) => c.notNull())
    .addColumn('kid', 'text', (c) => c.notNull())
    .addColumn('issued_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .addColumn('revoked_reason', 'text')
    .addColumn('revoked_by', 'text', (c) => c.references('users.id'))
    .execute();

  await db.schema
    .createTable('honour_keys')
    .addColumn('kid', 'text', (c) => c.primaryKey())
    .addColumn('slot', 'text', (c) => c.notNull().unique())
    .addColumn('alg', 'text', (c) => c.notNull())
    .addColumn('public_jwk', 'text', (c) => c.notNull())
    .addColumn('private_jwk', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['honour_keys', 'honour_badges', 'honour_photos', 'honour_versions', 'honour_nominations']) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
