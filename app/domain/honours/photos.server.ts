/**
 * Photos of a nomination, kept in the shared blob store and checked by their content (the bytes
 * must be a JPEG, PNG or WebP image, whatever the file name or declared type says), with a size
 * cap (5 MB, enforced while the form is read) and an inflation cap (the pixel count the header
 * declares, ~/lib/images.server).
 */
import { fileTypeFromBuffer } from 'file-type';

import type { DB } from '~/lib/db.server';
import { newId } from '~/lib/ids.server';
import { checkImageHeader } from '~/lib/images.server';
import { err, ok, type Result } from '~/lib/result';
import { deleteBlob, newKey, putBuffer, readRangeStream, statBlob } from '~/lib/storage/index.server';

import { nominationAccess } from './access.server';

export const MAX_HONOUR_PHOTO_BYTES = 5 * 1024 * 1024;
const MAX_PHOTOS = 6;
const IMAGE_TYPES: Record<string, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp' };

export type PhotoError = 'not_found' | 'forbidden' | 'not_image' | 'too_large' | 'too_many_pixels' | 'too_many';

export async function addPhoto(
  db: DB,
  userId: string,
  id: string,
  bytes: Uint8Array,
  alt: string,
  now = new Date(),
): Promise<Result<{ id: string }, PhotoError>> {
  const a = await nominationAccess(db, id, userId);
  if (a.status !== 'ok') return err('not_found');
  if (!a.canEdit) return err('forbidden');
  if (bytes.byteLength > MAX_HONOUR_PHOTO_BYTES) return err('too_large');
  const type = await fileTypeFromBuffer(bytes);
  const ext = type ? IMAGE_TYPES[type.mime] : undefined;
  if (!type || !ext) return err('not_image');
  const dims = checkImageHeader(bytes, type.mime);
  if (!dims.ok) return err(dims.code);
  const count = await db
    .selectFrom('honour_photos')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('nomination_id', '=', id)
    .executeTakeFirstOrThrow();
  if (Number(count.n) >= MAX_PHOTOS) return err('too_many');
  const key = newKey(ext);
  await putBuffer(key, Buffer.from(bytes));
  const photoId = newId();
  await db
    .insertInto('honour_photos')
    .values({
      id: photoId,
      nomination_id: id,
      blob_key: key,
      mime: type.mime,
      bytes: bytes.byteLength,
      alt: alt.trim().slice(0, 300),
      created_at: now.toISOString(),
    })
    .execute();
  return ok({ id: photoId });
}

export async function removePhoto(db: DB, userId: string, id: string, photoId: string): Promise<Result<undefined, PhotoError>> {
  const a = await nominationAccess(db, id, userId);
  if (a.status !== 'ok') return err('not_found');
  if (!a.canEdit) return err('forbidden');
  const p = await db
    .selectFrom('honour_photos')
    .select('blob_key')
    .where('id', '=', photoId)
    .where('nomination_id', '=', id)
    .executeTakeFirst();
  if (!p) return err('not_found');
  await db.deleteFrom('honour_photos').where('id', '=', photoId).execute();
  await deleteBlob(p.blob_key);
  return ok();
}

/** A photo's bytes for whoever may see the nomination; null otherwise. */
export async function photoFile(db: DB, id: string, photoId: string, userId: string | null | undefined) {
  const a = await nominationAccess(db, id, userId);
  if (a.status !== 'ok') return null;
  const p = await db
    .selectFrom('honour_photos')
    .select(['blob_key', 'mime'])
    .where('id', '=', photoId)
    .where('nomination_id', '=', id)
    .executeTakeFirst();
  if (!p) return null;
  const st = await statBlob(p.blob_key);
  if (!st) return null;
  return { mime: p.mime, size: st.size, stream: readRangeStream(p.blob_key), isPublic: a.isPublic };
}
