/**
 * Reads the EPUB upload form (multipart/form-data): the file part streams to a temporary file
 * under DATA_DIR/uploads/library/ and stops counting past the size limit; text fields stay small.
 * HTTP parsing lives here, beside the routes; the library's domain (upload.server.ts) checks and
 * keeps the file.
 */
import fs from 'node:fs';
import path from 'node:path';

import type { UploadHandler } from '@remix-run/node';

import { MAX_EPUB_BYTES } from '~/domain/library/epub.server';
import { UPLOAD_SUBDIR } from '~/domain/library/upload.server';
import { getEnv } from '~/lib/env.server';
import { parseMultipart } from '~/lib/http.server';
import { newId } from '~/lib/ids.server';

export async function receiveUpload(request: Request): Promise<{ form: FormData; tmp: string | null; tooBig: boolean }> {
  const dir = path.join(getEnv().DATA_DIR, UPLOAD_SUBDIR);
  await fs.promises.mkdir(dir, { recursive: true });
  let tmp: string | null = null;
  let tooBig = false;
  const handler: UploadHandler = async ({ name, filename, data }) => {
    if (name === 'file' && filename) {
      const file = path.join(dir, `tmp-${newId()}.part`);
      const out = fs.createWriteStream(file);
      let size = 0;
      for await (const chunk of data) {
        size += chunk.length;
        if (size > MAX_EPUB_BYTES) tooBig = true;
        if (!tooBig) out.write(chunk);
      }
      await new Promise<void>((res, rej) => out.end((e?: Error | null) => (e ? rej(e) : res())));
      if (tooBig || size === 0) {
        await fs.promises.rm(file, { force: true });
        return undefined;
      }
      tmp = file;
      return undefined;
    }
    // Ordinary text fields (small): decode as UTF-8.
    const chunks: Uint8Array[] = [];
    let size = 0;
    for await (const c of data) {
      size += c.length;
      if (size < 64 * 1024) chunks.push(c);
    }
    return Buffer.concat(chunks).toString('utf8');
  };
  const form = await parseMultipart(request, handler);
  return { form, tmp, tooBig };
}
