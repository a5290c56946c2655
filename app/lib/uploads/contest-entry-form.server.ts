/**
 * Reads the entrant's submit form (multipart/form-data): text fields in memory, the file streamed
 * to a local temporary file with a size cap. The domain checks that file's content BEFORE it is
 * put into blob storage (`submitEntry`); the caller removes the temporary file afterwards.
 * `beforeFile` (the upload-start rate limit) is asked once a file part begins, before any of its
 * bytes is written: when it refuses, the part is drained unread into nothing and `limited` says
 * how many seconds to wait.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import type { UploadHandler } from '@remix-run/node';

import { parseMultipart } from '~/lib/http.server';
import { newId } from '~/lib/ids.server';
import type { Consumed } from '~/lib/rate-limit.server';

export interface EntryForm {
  form: FormData;
  tempFile: string | null;
  tooBig: boolean;
  /** Seconds to wait when `beforeFile` refused the file (null: not refused). */
  limited: number | null;
}

export function entryTempDir(): string {
  return path.join(os.tmpdir(), 'contest-entries');
}

export async function receiveEntryForm(
  request: Request,
  maxBytes: number,
  opts: { beforeFile?: () => Promise<Consumed> } = {},
): Promise<EntryForm> {
  let tempFile: string | null = null;
  let tooBig = false;
  let limited: number | null = null;
  const handler: UploadHandler = async (part) => {
    if (!part.filename) {
      let s = '';
      const dec = new TextDecoder();
      let n = 0;
      for await (const c of part.data) {
        n += c.length;
        if (n <= 200_000) s += dec.decode(c, { stream: true });
      }
      return s + dec.decode();
    }
    if (part.name !== 'file' || tempFile || limited != null) {
      for await (const _ of part.data) void _;
      return null;
    }
    const allowed = opts.beforeFile ? await opts.beforeFile() : ({ ok: true } as const);
    if (!allowed.ok) {
      limited = allowed.retryAfterS;
      for await (const _ of part.data) void _;
      return null;
    }
    await fs.promises.mkdir(entryTempDir(), { recursive: true });
    const file = path.join(entryTempDir(), `form-${newId(16)}`);
    let size = 0;
    const cap = new Transform({
      transform(chunk: Buffer, _e, cb) {
        size += chunk.length;
        if (size > maxBytes) cb(new Error('too large'));
        else cb(null, chunk);
      },
    });
    try {
      await pipeline(Readable.from(part.data), cap, fs.createWriteStream(file));
      // an empty file input sends a part with a filename of "" and no bytes: no file chosen
      if (size > 0 || part.filename) tempFile = file;
    } catch {
      tooBig = true;
      await fs.promises.rm(file, { force: true });
      for await (const _ of part.data) void _;
    }
    return null;
  };
  const ct = request.headers.get('Content-Type') ?? '';
  const form = ct.startsWith('multipart/form-data') ? await parseMultipart(request, handler) : await request.formData();
  return { form, tempFile, tooBig, limited };
}
