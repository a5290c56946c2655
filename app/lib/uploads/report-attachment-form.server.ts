/**
 * Reads a report's attachment form (multipart/form-data): the text fields in memory, the one
 * `file` part streamed into storage through the shared upload check (`storeUpload`: capped at
 * MAX_ATTACHMENT_BYTES, accepted only when its bytes are a PDF, a photo or an office document).
 * Other file parts are drained and ignored.
 */
import type { UploadHandler } from '@remix-run/node';

import { storeUpload, type UploadError } from '~/domain/oer/uploads.server';
import { ATTACHMENT_TYPES, MAX_ATTACHMENT_BYTES, type StoredFile } from '~/domain/reports/attachments.server';
import { parseMultipart } from '~/lib/http.server';

export interface ParsedAttachmentForm {
  form: FormData;
  file: StoredFile | null;
  /** Why the file was refused (nothing was kept), or `missing` when no file was chosen. */
  fileError: UploadError | 'missing' | null;
}

export async function parseAttachmentForm(request: Request): Promise<ParsedAttachmentForm> {
  let file: StoredFile | null = null;
  let fileError: ParsedAttachmentForm['fileError'] = null;
  let seen = false;
  const handler: UploadHandler = async (part) => {
    if (!part.filename) {
      const dec = new TextDecoder();
      let s = '';
      let n = 0;
      for await (const c of part.data) {
        n += c.length;
        if (n > 10_000) throw new Response('Field too large', { status: 413 });
        s += dec.decode(c, { stream: true });
      }
      return s + dec.decode();
    }
    if (part.name !== 'file' || seen) {
      for await (const _ of part.data) void _; // drain other file fields
      return null;
    }
    seen = true;
    const r = await storeUpload(part.data, {
      slot: 'media',
      kind: 'document',
      filename: part.filename,
      maxBytes: MAX_ATTACHMENT_BYTES,
      allowed: ATTACHMENT_TYPES,
    });
    if (r.ok) file = r.value;
    else fileError = r.code;
    return null;
  };
  const form = await parseMultipart(request, handler);
  // A browser sends an empty part (no name, no bytes) when no file was chosen.
  if (!seen) fileError = 'missing';
  return { form, file, fileError };
}
