import { type Kysely, sql } from 'kysely';

// Week results reports (issue #16, items 1–5): forms of indicators in sections, one report per
// unit the form applies to (drafts, submissions, approval up the chain with every version kept),
// reminders sent (so the automatic ones go out once).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('report_forms')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('week_year', 'integer', (c) => c.notNull().references('weeks.year').onDelete('cascade'))
    .addColumn('slug', 'text', (c) => c.notNull())
    .addColumn('owner_unit_id', 'text', (c) => c.notNull().references('units.id').onDelete('restrict'))
    .addColumn('title_vi', 'text', (c) => c.notNull())
    .addColumn('title_en', 'text', (c) => c.notNull())
    .addColumn('applies_to_json', 'text', (c) => c.notNull())
    .addColumn('rules_json', 'text', (c) => c.notNull())
    .addColumn('deadline', 'text', (c) => c.notNull())
    .addColumn('lock_date', 'text', (c) => c.notNull())
    .addColumn('doc_code', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('report_forms_slug_unique', ['week_year', 'slug'])
    .execute();

  await db.schema
    .createTable('report_sections')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('form_id', 'text', (c) => c.notNull().references('report_forms.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('title_vi', 'text', (c) => c.notNull())
    .addColumn('title_en', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('report_sections_form_idx').on('report_sections').columns(['form_id', 'position']).execute();

  await db.schema
    .createTable('report_indicators')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('form_id', 'text', (c) => c.notNull().references('report_forms.id').onDelete('cascade'))
    .addColumn('section_id', 'text', (c) => c.notNull().references('report_sections.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('label_vi', 'text', (c) => c.notNull())
    .addColumn('label_en', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull().check(sql`type in ('count','vnd','text','bool')`))
    .addColumn('min_value', 'bigint')
    .addColumn('max_value', 'bigint')
    .addColumn('source', 'text')
    .addUniqueConstraint('report_indicators_code_unique', ['form_id', 'code'])
    .execute();

  await db.schema
    .createTable('report_reports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('form_id', 'text', (c) => c.notNull().references('report_forms.id').onDelete('cascade'))
    .addColumn('unit_id', 'text', (c) => c.notNull().references('units.id').onDelete('restrict'))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('draft','submitted','returned','accepted')`))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('first_submitted_at', 'text')
    .addColumn('submitted_at', 'text')
    .addColumn('submitted_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('submitted_without_json', 'text')
    .addColumn('reviewed_at', 'text')
    .addColumn('reviewed_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('review_comment', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addUniqueConstraint('report_reports_unit_unique', ['form_id', 'unit_id'])
    .execute();
  await db.schema.createIndex('report_reports_status_idx').on('report_reports').columns(['form_id', 'status']).execute();

  await db.schema
    .createTable('report_values')
    .addColumn('report_id', 'text', (c) => c.notNull().references('report_reports.id').onDelete('cascade'))
    .addColumn('indicator_id', 'text', (c) => c.notNull().references('report_indicators.id').onDelete('cascade'))
    .addColumn('num_value', 'bigint')
    .addColumn('text_value', 'text')
    .addColumn('prefill_value', 'bigint')
    .addPrimaryKeyConstraint('report_values_pk', ['report_id', 'indicator_id'])
    .execute();

  await db.schema
    .createTable('report_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('report_id', 'text', (c) => c.notNull().references('report_reports.id').onDelete('cascade'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull().check(sql`action in ('submitted','returned','accepted','reopened')`))
    .addColumn('comment', 'text')
    .addColumn('values_json', 'text')
    .addColumn('actor_id', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('report_events_report_idx').on('report_events').columns(['report_id', 'created_at']).execute();

  await db.schema
    .createTable('report_reminders')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('form_id', 'text', (c) => c.notNull().references('report_forms.id').onDelete('cascade'))
    .addColumn('unit_id', 'text', (c) => c.notNull().references('units.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('d3','d1','manual')`))
    .addColumn('sent_on', 'text', (c) => c.notNull())
    .addColumn('sent_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('report_reminders_once', ['form_id', 'unit_id', 'kind', 'sent_on'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['report_reminders', 'report_events', 'report_values', 'report_reports', 'report_indicators', 'report_sections', 'report_forms'])
    await db.schema.dropTable(t).ifExists().execute();
}
