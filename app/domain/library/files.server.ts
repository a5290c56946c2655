/**
 * The library's EPUB files in the one storage module (app/lib/storage, issue 17): on the local
 * disk by default, in an S3-compatible object store with STORAGE_URL, so that every app instance
 * serves the same books. `lib_titles.file_path` holds `store:<key>`; the key is named by the
 * file's content (SHA-256), so the same book kept twice (a re-seed, a re-run copy) is one blob.
 * A title kept before this change has a path relative to DATA_DIR instead: it is still served
 * from that instance's disk until `npm run storage:copy` puts it into the store.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import type { DB } from '~/lib/db.server';
import { getEnv } from '~/lib/env.server';
import { fileRangeStream } from '~/lib/storage/disk.server';
import { putFile, readRangeStream, statBlob } from '~/lib/storage/index.server';
import type { RangeSource } from '~/lib/storage/range-response.server';

export const STORE_PREFIX = 'store:';

/** The storage key of a `file_path`, or null for an older local path. */
export function storeKeyOf(filePath: string): string | null {
  return filePath.startsWith(STORE_PREFIX) ? filePath.slice(STORE_PREFIX.length) : null;
}

async function sha256File(file: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of fs.createReadStream(file)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/**
 * Puts a local EPUB (an upload's checked temporary file, a built demo book) into the store unless
 * the same content is already there; returns the `file_path` to record and the size. Call it
 * before writing the row: after a crash a row never points at a missing file.
 */
export async function keepEpubFile(file: string): Promise<{ filePath: string; size: number }> {
  const size = (await fs.promises.stat(file)).size;
  const key = `${(await sha256File(file)).slice(0, 40)}.epub`;
  const there = await statBlob(key);
  if (!there || there.size !== size) await putFile(key, file);
  return { filePath: `${STORE_PREFIX}${key}`, size };
}

/** A title's file, ready to be served with ranges, or null when it is missing. */
export async function openEpub(filePath: string, dataDir = getEnv().DATA_DIR): Promise<RangeSource | null> {
  const key = storeKeyOf(filePath);
  if (key) {
    const st = await statBlob(key).catch(() => null);
    if (!st) return null;
    return { size: st.size, mtime: st.mtime, etag: `"${key}"`, read: (start, end) => readRangeStream(key, start, end) };
  }
  // An older title: a file under DATA_DIR on this instance's disk.
  const root = path.resolve(dataDir);
  const file = path.resolve(root, filePath);
  if (!file.startsWith(root + path.sep)) return null;
  const st = await fs.promises.stat(file).catch(() => null);
  if (!st?.isFile()) return null;
  return {
    size: st.size,
    mtime: st.mtime,
    etag: `"${st.size}-${st.mtime.getTime()}"`,
    read: (start, end) => fileRangeStream(file, start, end),
  };
}

/**
 * `npm run storage:copy`: every title whose file is still a local path under `dataDir` gets it put
 * into the store (the configured one) and its `file_path` switched to the stored key. The local
 * file is left in place. Titles whose local file is missing are listed, not changed. Re-runnable.
 */
export async function copyLocalEpubsToStore(db: DB, dataDir = getEnv().DATA_DIR): Promise<{ copied: number; missing: string[] }> {
  const rows = await db
    .selectFrom('lib_titles')
    .select(['id', 'slug', 'file_path'])
    .where('file_path', 'is not', null)
    .where('file_path', 'not like', `${STORE_PREFIX}%`)
    .execute();
  let copied = 0;
  const missing: string[] = [];
  const root = path.resolve(dataDir);
  for (const r of rows) {
    const file = path.resolve(root, r.file_path!);
    if (!file.startsWith(root + path.sep) || !fs.existsSync(file)) {
      missing.push(r.slug);
      continue;
    }
    const kept = await keepEpubFile(file);
    await db
      .updateTable('lib_titles')
      .set({ file_path: kept.filePath, file_size: kept.size })
      .where('id', '=', r.id)
      .where('file_path', '=', r.file_path)
      .execute();
    copied++;
  }
  return { copied, missing };
}
