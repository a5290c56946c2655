/**
 * Reads the news form (multipart/form-data): text fields in memory, the photo streamed to storage
 * and accepted only when its content is a PNG, JPEG or WebP image of at most 5 MB (the oer
 * area's upload check, `storeUpload` with the thumbnail rules) whose header declares at most the
 * pixels of ~/lib/images.server (the inflation cap). A plain urlencoded post (the buttons) is read
 * as usual.
 */
import { json, type UploadHandler } from '@remix-run/node';

import { storeUpload, type UploadError } from '~/domain/oer/uploads.server';
import { newsAction } from '~/domain/outreach/actions.server';
import type { Publish } from '~/domain/outreach/news.server';
import { newsSchema, publishChoice } from '~/forms/outreach-news';
import { getDb } from '~/lib/db.server';
import { outreachFailures } from '~/lib/failures/outreach.server';
import { redirectWithFlash } from '~/lib/flash.server';
import { type FieldErrors, parseForm } from '~/lib/forms.server';
import { badRequest, parseMultipart } from '~/lib/http.server';
import { checkImageHeader } from '~/lib/images.server';
import { deleteBlob, readHead } from '~/lib/storage/index.server';

export type NewsPhotoError = UploadError | 'too_many_pixels';

/** The pixel check of a stored photo (its first 512 KB hold the header, EXIF included); deletes it when refused. */
async function checkStoredImage(key: string, mime: string): Promise<NewsPhotoError | null> {
  const c = checkImageHeader(await readHead(key, 512 * 1024), mime);
  if (c.ok) return null;
  await deleteBlob(key);
  return c.code === 'too_many_pixels' ? 'too_many_pixels' : 'file_type';
}

export interface ParsedNewsForm {
  form: FormData;
  photo: { key: string } | null;
  photoError: NewsPhotoError | null;
  /** Deletes the stored photo (when the form is rejected for another reason). */
  discard: () => Promise<void>;
}

export async function parseNewsForm(request: Request): Promise<ParsedNewsForm> {
  let photo: { key: string } | null = null;
  let photoError: NewsPhotoError | null = null;
  const handler: UploadHandler = async (part) => {
    if (!part.filename) {
      const dec = new TextDecoder();
      let s = '';
      let n = 0;
      for await (const c of part.data) {
        n += c.length;
        if (n > 100_000) throw new Response('Field too large', { status: 413 });
        s += dec.decode(c, { stream: true });
      }
      return s + dec.decode();
    }
    if (part.name !== 'photo' || photo) {
      for await (const _ of part.data) void _; // drain other file fields
      return null;
    }
    const r = await storeUpload(part.data, { slot: 'thumbnail', kind: 'article', filename: part.filename });
    if (!r.ok) photoError = r.code;
    else {
      photoError = await checkStoredImage(r.value.key, r.value.mime);
      if (!photoError) photo = { key: r.value.key };
    }
    return null;
  };
  const ct = request.headers.get('Content-Type') ?? '';
  const form = ct.startsWith('multipart/form-data') ? await parseMultipart(request, handler) : await request.formData();
  return {
    form,
    photo,
    photoError,
    discard: async () => {
      if (photo) await deleteBlob(photo.key);
    },
  };
}

/**
 * The news forms' action, shared by the unit's news page and an item's edit page: reads the
 * multipart form (photo by content), checks the fields, runs the one domain call
 * (`newsAction`) and redirects with its flash, or answers with the errors next to the fields and
 * what was typed kept. A refused form never leaves its photo behind.
 */
export async function runNewsForm(
  request: Request,
  userId: string,
  ctx: { year: number; unitId: string },
  back: string,
): Promise<Response> {
  const { form, photo, photoError, discard } = await parseNewsForm(request);
  const r = parseForm(newsSchema, form);
  if (!r.ok) {
    await discard();
    return badRequest({ errors: r.errors, values: r.values });
  }
  const errors: FieldErrors = {};
  let publish: Publish | null = null;
  if (r.data.intent === 'post' || r.data.intent === 'update') {
    if (photoError) errors.photo = outreachFailures[photoError].message;
    if (photo && !r.data.photoAlt) errors.photoAlt = 'outreach.errors.photoAltRequired';
    const p = publishChoice(r.data);
    if (p.ok) publish = p.value;
    else errors[p.field] = p.message;
  }
  if (Object.keys(errors).length) {
    await discard();
    return badRequest({ errors, values: r.values });
  }
  const res = await newsAction(getDb(), userId, ctx, r.data, { publish, photo });
  if (!res.ok) {
    await discard();
    const f = outreachFailures[res.code];
    const message = res.code === 'conflict' ? 'outreach.errors.newsConflict' : f.message;
    return json({ errors: { _form: message } as FieldErrors, values: r.values, conflict: res.code === 'conflict' }, { status: f.status });
  }
  return redirectWithFlash(back, { message: res.value });
}
