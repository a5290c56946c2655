/**
 * Shared by the backup tests on an object store (ops-backup-s3, ops-backup-incremental,
 * ops-backup-lock): s3rver started on a free port with its buckets, temporary folders removed at
 * the end, reading and listing objects, and a write load that stores uploads and records a row for
 * each, as the site does, until stopped.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import S3rver from 's3rver';

import type { DB } from '~/db/connection';
import { newId, nowIso } from '~/lib/ids.server';
import type { BlobBackend } from '~/lib/storage/backend.server';
import { newKey, objectKey } from '~/lib/storage/index.server';

import { freePort } from '../browser/setup/global';
import { TMP_DIR } from './db';

export const sha = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');

export async function readObject(store: BlobBackend, key: string): Promise<Buffer | null> {
  const st = await store.stat(key);
  if (!st) return null;
  if (st.size === 0) return Buffer.alloc(0);
  const out: Uint8Array[] = [];
  for await (const c of store.range(key, 0, st.size - 1) as unknown as AsyncIterable<Uint8Array>) out.push(c);
  return Buffer.concat(out);
}

export async function listKeys(store: BlobBackend): Promise<string[]> {
  const keys: string[] = [];
  for await (const o of store.list()) keys.push(o.key);
  return keys.sort();
}

export async function putObject(store: BlobBackend, bytes: number): Promise<{ key: string; sum: string }> {
  const buf = crypto.randomBytes(bytes);
  const key = objectKey(newKey('bin'));
  await store.put(key, [buf], buf.length);
  return { key, sum: sha(buf) };
}

export async function addUser(db: DB, i: number, emailPrefix: string) {
  const id = newId();
  await db
    .insertInto('users')
    .values({
      id,
      email: `${emailPrefix}-${i}-${id}@test.vn`,
      password_hash: 'x',
      display_name: `Bạn đọc ${i}`,
      birth_year: null,
      home_unit_id: null,
      locale: 'vi',
      created_at: nowIso(),
    })
    .execute();
  return id;
}

/**
 * As the site does: each upload (`minBytes` plus up to `spreadBytes`) stored in the object store,
 * then its row recorded; `acked` lists what was done. Until stopped.
 */
export function uploadLoad(db: DB, store: BlobBackend, o: { emailPrefix: string; minBytes: number; spreadBytes: number }) {
  const acked: Array<{ id: string; key: string; sum: string }> = [];
  let stop = false;
  const done = (async () => {
    let i = 0;
    while (!stop) {
      const put = await putObject(store, o.minBytes + ((i * 7919) % o.spreadBytes));
      acked.push({ id: await addUser(db, i++, o.emailPrefix), ...put });
    }
  })();
  return {
    acked,
    stop: async () => {
      stop = true;
      await done;
    },
  };
}

export async function waitFor(cond: () => boolean) {
  while (!cond()) await new Promise((r) => setTimeout(r, 20));
}

/**
 * s3rver — a local TEST DOUBLE of the S3 protocol (the real targets are MinIO, Ceph RGW, AWS S3
 * or a Vietnamese cloud's object storage) — on 127.0.0.1 with `buckets` created, its files in a
 * folder of TMP_DIR named after `name`. `close()` stops it and removes that folder.
 */
export async function startS3rver(name: string, buckets: string[]) {
  const directory = path.join(TMP_DIR, `s3rver-${name}-${process.pid}-${Date.now()}`);
  const port = await freePort();
  const server = new S3rver({ address: '127.0.0.1', port, silent: true, directory, configureBuckets: buckets.map((b) => ({ name: b })) });
  await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    port,
    endpoint,
    /** A STORAGE_URL for `bucket` (under `prefix`) through `via` (default: s3rver itself). s3rver's built-in account; a real deployment passes its keys in AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY. */
    url: (bucket: string, prefix = '', via = endpoint) => `s3://S3RVER:S3RVER@${bucket}/${prefix}?endpoint=${via}&region=us-east-1`,
    close: async () => {
      await server.close();
      fs.rmSync(directory, { recursive: true, force: true });
    },
  };
}

/** Fresh folders in TMP_DIR (`make(prefix)`), all removed by `removeAll()`. */
export function tmpDirs() {
  const made: string[] = [];
  return {
    make: (prefix: string) => {
      fs.mkdirSync(TMP_DIR, { recursive: true });
      const d = fs.mkdtempSync(path.join(TMP_DIR, prefix));
      made.push(d);
      return d;
    },
    removeAll: () => {
      for (const d of made.splice(0)) fs.rmSync(d, { recursive: true, force: true });
    },
  };
}
