import type { Kysely } from 'kysely';

// Week reports (issue #16 item 2): files attached to a unit's report for a form — minutes,
// photos, the signed scan — kept in the one store of uploaded files (app/lib/storage) under
// `storage_key`, with the name they were uploaded under, their checked content type and size.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('report_attachments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('form_id', 'text', (c) => c.notNull().references('report_forms.id').onDelete('cascade'))
    .addColumn('unit_id', 'text', (c) => c.notNull().references('units.id'))
    .addColumn('storage_key', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('mime', 'text', (c) => c.notNull())
    .addColumn('size_bytes', 'integer', (c) => c.notNull())
    .addColumn('uploaded_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('report_attachments_report').on('report_attachments').columns(['form_id', 'unit_id', 'created_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('report_attachments').ifExists().execute();
}
