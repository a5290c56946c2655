import type { Kysely } from 'kysely';

// Week reports, second step (issue #16 item 1): report forms edited by organisers with every
// version kept (a report records the form version it was filled against) and a `required` flag
// per indicator.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('report_forms')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema
    .alterTable('report_indicators')
    .addColumn('required', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  // Text answers were optional until now; numbers and yes/no were required to submit.
  await db.updateTable('report_indicators').set({ required: 0 }).where('type', '=', 'text').execute();
  await db.schema.alterTable('report_reports').addColumn('form_version', 'integer').execute();
  await db.schema.alterTable('report_events').addColumn('form_version', 'integer').execute();

  await db.schema
    .createTable('report_form_versions')
    .addColumn('form_id', 'text', (c) => c.notNull().references('report_forms.id').onDelete('cascade'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('definition_json', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('report_form_versions_pk', ['form_id', 'version'])
    .execute();

  // Version 1 of every form defined before this step: its definition as it stands.
  const forms = await db.selectFrom('report_forms').selectAll().execute();
  for (const f of forms) {
    const sections = await db.selectFrom('report_sections').selectAll().where('form_id', '=', f.id).orderBy('position').execute();
    const inds = await db.selectFrom('report_indicators').selectAll().where('form_id', '=', f.id).orderBy('position').execute();
    const definition = {
      titleVi: f.title_vi,
      titleEn: f.title_en,
      appliesTo: JSON.parse(f.applies_to_json),
      rules: JSON.parse(f.rules_json),
      deadline: f.deadline,
      lockDate: f.lock_date,
      docCode: f.doc_code,
      sections: sections.map((s: any) => ({
        titleVi: s.title_vi,
        titleEn: s.title_en,
        indicators: inds
          .filter((i: any) => i.section_id === s.id)
          .map((i: any) => ({
            code: i.code,
            labelVi: i.label_vi,
            labelEn: i.label_en,
            type: i.type,
            min: i.min_value == null ? null : Number(i.min_value),
            max: i.max_value == null ? null : Number(i.max_value),
            required: i.type !== 'text',
            source: i.source,
          })),
      })),
    };
    await db
      .insertInto('report_form_versions')
      .values({ form_id: f.id, version: 1, definition_json: JSON.stringify(definition), created_by: f.created_by, created_at: f.updated_at })
      .execute();
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('report_form_versions').ifExists().execute();
  await db.schema.alterTable('report_events').dropColumn('form_version').execute();
  await db.schema.alterTable('report_reports').dropColumn('form_version').execute();
  await db.schema.alterTable('report_indicators').dropColumn('required').execute();
  await db.schema.alterTable('report_forms').dropColumn('version').execute();
}
