/**
 * Files attached to a unit's report (minutes, photos, the signed scan): stored through the one
 * store of uploaded files (`~/lib/storage`, via the shared `storeUpload`: streamed with a size cap,
 * accepted by the bytes' content type, never by the name), at most `MAX_ATTACHMENTS` files and
 * `MAX_ATTACHMENTS_TOTAL` bytes per report, both counted inside the transaction that adds the file
 * (the form's row locked, so two uploads at once cannot pass the caps together). Added and removed
 * by those who fill the report while it can still be edited (not yet submitted, or returned) and
 * before the lock date; listed and downloaded by everyone who may read the report (the area's
 * access module, scoped to the unit tree). A refused file is deleted from the store.
 */
import { lockRows, toNumber, writeTransaction } from '~/db/dialect';
import type { DB } from '~/lib/db.server';
import { newId } from '~/lib/ids.server';
import { err, ok, type Result } from '~/lib/result';
import { deleteBlob } from '~/lib/storage/index.server';

import type { ReportAccess } from './access.server';
import { reportsChanged } from './cache.server';
import { isLocked } from './reports.server';

const MB = 1024 * 1024;
export const MAX_ATTACHMENT_BYTES = 20 * MB;
export const MAX_ATTACHMENTS = 10;
export const MAX_ATTACHMENTS_TOTAL = 50 * MB;

/** What a report may carry, by content: PDF, photos, and office documents (OOXML and OpenDocument). */
export const ATTACHMENT_TYPES = [
  'application/pdf',
  'image/png',
  'image/jpeg',
  'image/webp',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/vnd.oasis.opendocument.text',
  'application/vnd.oasis.opendocument.spreadsheet',
  'application/vnd.oasis.opendocument.presentation',
] as const;

export type AttachError = 'forbidden' | 'locked' | 'not_editable' | 'too_many' | 'total_too_big';
export type DetachError = 'forbidden' | 'locked' | 'not_editable' | 'not_found';

export interface StoredFile {
  key: string;
  mime: string;
  size: number;
  name: string;
}

export interface AttachmentItem {
  id: string;
  name: string;
  mime: string;
  size: number;
  at: string;
  by: string | null;
}

/** The report's status as it stands (`none`: no report row yet — still being filled). */
async function statusNow(db: DB, a: ReportAccess) {
  const r = await db
    .selectFrom('report_reports')
    .select('status')
    .where('form_id', '=', a.form.id)
    .where('unit_id', '=', a.unitId)
    .executeTakeFirst();
  return r?.status ?? 'none';
}

const editableStatus = (s: string) => s === 'none' || s === 'draft' || s === 'returned';

/** Whether files can be added to or removed from the report now (the page shows the upload form only then). */
export function attachmentsEditable(a: ReportAccess, status: string, now = new Date()): boolean {
  return a.canEdit && a.unitId !== a.tree.ownerId && editableStatus(status) && !isLocked(a.form.lock_date, now);
}

export async function listAttachments(db: DB, a: ReportAccess): Promise<AttachmentItem[]> {
  const rows = await db
    .selectFrom('report_attachments as x')
    .leftJoin('users as u', 'u.id', 'x.uploaded_by')
    .select(['x.id', 'x.name', 'x.mime', 'x.size_bytes', 'x.created_at', 'u.display_name as by'])
    .where('x.form_id', '=', a.form.id)
    .where('x.unit_id', '=', a.unitId)
    .orderBy('x.created_at')
    .orderBy('x.id')
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.name, mime: r.mime, size: toNumber(r.size_bytes), at: r.created_at, by: r.by }));
}

/**
 * Records a file already stored (and checked) as an attachment of the report; on refusal the
 * stored file is deleted, so nothing is left behind.
 */
export async function addAttachment(
  db: DB,
  a: ReportAccess,
  file: StoredFile,
  now = new Date(),
): Promise<Result<{ id: string }, AttachError>> {
  const refuse = async (code: AttachError) => {
    await deleteBlob(file.key);
    return err(code);
  };
  if (!a.canEdit || a.unitId === a.tree.ownerId) return refuse('forbidden');
  if (isLocked(a.form.lock_date, now)) return refuse('locked');
  const r = await writeTransaction(db, async (trx) => {
    await lockRows(db, trx.selectFrom('report_forms').select('id').where('id', '=', a.form.id)).executeTakeFirst();
    if (!editableStatus(await statusNow(trx, a))) return err('not_editable' as const);
    const used = await trx
      .selectFrom('report_attachments')
      .select([(e) => e.fn.countAll<number>().as('n'), (e) => e.fn.sum<number>('size_bytes').as('bytes')])
      .where('form_id', '=', a.form.id)
      .where('unit_id', '=', a.unitId)
      .executeTakeFirstOrThrow();
    if (toNumber(used.n) >= MAX_ATTACHMENTS) return err('too_many' as const);
    if (toNumber(used.bytes ?? 0) + file.size > MAX_ATTACHMENTS_TOTAL) return err('total_too_big' as const);
    const id = newId();
    await trx
      .insertInto('report_attachments')
      .values({
        id,
        form_id: a.form.id,
        unit_id: a.unitId,
        storage_key: file.key,
        name: cleanName(file.name, file.key),
        mime: file.mime,
        size_bytes: file.size,
        uploaded_by: a.userId,
        created_at: now.toISOString(),
      })
      .execute();
    return ok({ id });
  });
  if (!r.ok) return refuse(r.code);
  if (!db.isTransaction) await reportsChanged(db, a.form);
  return r;
}

/** Removes an attachment while the report can still be edited; its file leaves the store. */
export async function removeAttachment(
  db: DB,
  a: ReportAccess,
  id: string,
  now = new Date(),
): Promise<Result<{ name: string }, DetachError>> {
  if (!a.canEdit || a.unitId === a.tree.ownerId) return err('forbidden');
  if (isLocked(a.form.lock_date, now)) return err('locked');
  const r = await writeTransaction(db, async (trx) => {
    await lockRows(db, trx.selectFrom('report_forms').select('id').where('id', '=', a.form.id)).executeTakeFirst();
    const row = await trx
      .selectFrom('report_attachments')
      .select(['id', 'name', 'storage_key'])
      .where('id', '=', id)
      .where('form_id', '=', a.form.id)
      .where('unit_id', '=', a.unitId)
      .executeTakeFirst();
    if (!row) return err('not_found' as const);
    if (!editableStatus(await statusNow(trx, a))) return err('not_editable' as const);
    await trx.deleteFrom('report_attachments').where('id', '=', row.id).execute();
    return ok(row);
  });
  if (!r.ok) return r;
  if (!db.isTransaction) await reportsChanged(db, a.form);
  await deleteBlob(r.value.storage_key);
  return ok({ name: r.value.name });
}

/** One attachment of the report, for its download (the caller holds a read access to this report). */
export async function attachmentFile(db: DB, a: ReportAccess, id: string) {
  return db
    .selectFrom('report_attachments')
    .select(['id', 'name', 'mime', 'size_bytes', 'storage_key'])
    .where('id', '=', id)
    .where('form_id', '=', a.form.id)
    .where('unit_id', '=', a.unitId)
    .executeTakeFirst();
}

/** The uploaded name without any folder part or control characters (a browser may send "C:\\…\\x.pdf"). */
export function cleanName(name: string, key: string): string {
  const base = name
    .split(/[\\/]/)
    .pop()!
    // eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .trim()
    .slice(0, 200);
  return base || key;
}
