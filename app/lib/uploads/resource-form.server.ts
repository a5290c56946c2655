/**
 * Reads a resource form posted as multipart/form-data: text fields in memory, each file streamed
 * to storage and checked by content (uploads.server.ts). Field order matters: the form puts
 * `kind` before the file inputs, so the media check knows which types to accept.
 */
import type { UploadHandler } from '@remix-run/node';

import type { ResourceKind } from '~/db/schema/oer';
import { RESOURCE_KINDS } from '~/db/schema/oer';
import type { ResourceFiles } from '~/domain/oer/resources.server';
import { storeUpload, type UploadSlot } from '~/domain/oer/uploads.server';
import { oerFailures } from '~/lib/failures/oer.server';
import { parseMultipart } from '~/lib/http.server';
import { deleteBlob } from '~/lib/storage/index.server';

export interface ParsedResourceForm {
  form: FormData;
  files: ResourceFiles;
  fileErrors: Record<string, string>;
  /** Deletes what was stored (when the form is rejected for another reason). */
  discard: () => Promise<void>;
}

const SLOTS: Record<string, UploadSlot> = { media: 'media', captions: 'captions', thumbnail: 'thumbnail' };

export async function parseResourceForm(request: Request, fallbackKind: ResourceKind = 'document'): Promise<ParsedResourceForm> {
  const text: Record<string, string> = {};
  const files: ResourceFiles = {};
  const fileErrors: Record<string, string> = {};
  const stored: string[] = [];
  const handler: UploadHandler = async (part) => {
    if (!part.filename) {
      let s = '';
      const dec = new TextDecoder();
      let n = 0;
      for await (const c of part.data) {
        n += c.length;
        if (n > 1_000_000) throw new Response('Field too large', { status: 413 });
        s += dec.decode(c, { stream: true });
      }
      s += dec.decode();
      text[part.name] = s;
      return s;
    }
    const slot = SLOTS[part.name];
    if (!slot) {
      for await (const _ of part.data) void _; // drain unknown file fields
      return null;
    }
    const kind = (RESOURCE_KINDS as readonly string[]).includes(text.kind ?? '') ? (text.kind as ResourceKind) : fallbackKind;
    const r = await storeUpload(part.data, { slot, kind, filename: part.filename });
    if (!r.ok) {
      fileErrors[part.name] = oerFailures[r.code].message;
      return null;
    }
    const f = r.value;
    stored.push(f.key);
    if (slot === 'media') files.media = { key: f.key, mime: f.mime, size: f.size, name: f.name };
    if (slot === 'captions') files.captionsKey = f.key;
    if (slot === 'thumbnail') files.thumbnailKey = f.key;
    return null;
  };
  const ct = request.headers.get('Content-Type') ?? '';
  const form = ct.startsWith('multipart/form-data') ? await parseMultipart(request, handler) : await request.formData();
  return {
    form,
    files,
    fileErrors,
    discard: async () => {
      for (const k of stored) await deleteBlob(k);
    },
  };
}
