/**
 * The one store of uploaded files (issue 17): the local disk by default (DATA_DIR/uploads/oer/…),
 * or any S3-compatible object store when `STORAGE_URL=s3://bucket?endpoint=…` is set (every app
 * instance then sees the same files). Writes are complete or absent; reads are byte ranges (video
 * seeking). `npm run storage:copy` copies the files of a disk store into the object store.
 */
import fs from 'node:fs';
import path from 'node:path';

import { getEnv } from '~/lib/env.server';
import { newId } from '~/lib/ids.server';

import type { BlobBackend } from './backend.server';
import { diskBackend } from './disk.server';
import { parseS3Url, s3Backend } from './s3.server';

export { TooLargeError } from './backend.server';

let rootOverride: string | null = null;
let backendOverride: BlobBackend | null = null;
let cached: { url: string; backend: BlobBackend } | null = null;

/** For tests: put disk blobs somewhere else. */
export function setStorageRoot(dir: string | null) {
  rootOverride = dir;
}

/** For tests and the copy command: use this backend (null: back to STORAGE_URL / the disk). */
export function setStorageBackend(b: BlobBackend | null) {
  backendOverride = b;
}

/** The disk store's folder inside DATA_DIR. */
export const DISK_STORE_DIR = path.join('uploads', 'oer');

/** The folder of the disk store. */
export function storageRoot(): string {
  return rootOverride ?? path.join(getEnv().DATA_DIR, DISK_STORE_DIR);
}

/** The backend configured by STORAGE_URL (unset or `file:`: the disk). */
export function backendFor(url: string | undefined): BlobBackend {
  if (url && url.startsWith('s3://')) {
    const cfg = parseS3Url(url);
    return s3Backend({ ...cfg, prefix: `${cfg.prefix}oer/` });
  }
  return diskBackend(storageRoot);
}

/** The store that STORAGE_URL `url` names for the data folder `dataDir` (backups, which are told both). */
export function storeFor(url: string | undefined, dataDir: string): BlobBackend {
  if (url && url.startsWith('s3://')) return backendFor(url);
  return diskBackend(() => path.join(dataDir, DISK_STORE_DIR));
}

/** Where a store is, for messages and manifests: never its credentials. */
export function describeStore(url: string | undefined, dataDir: string): string {
  if (url && url.startsWith('s3://')) {
    const c = parseS3Url(url);
    return `s3://${c.bucket}/${c.prefix}oer/${c.endpoint ? ` (${c.endpoint})` : ''}`;
  }
  return path.join(dataDir, DISK_STORE_DIR);
}

export function storageBackend(): BlobBackend {
  if (backendOverride) return backendOverride;
  const url = getEnv().STORAGE_URL ?? '';
  if (!cached || cached.url !== url) cached = { url, backend: backendFor(url) };
  return cached.backend;
}

export function objectKey(key: string): string {
  if (!/^[a-z0-9]+(\.[a-z0-9]+)?$/.test(key)) throw new Error(`bad storage key ${key}`);
  return `${key.slice(0, 2)}/${key}`;
}

export function newKey(ext: string): string {
  return `${newId(20)}${ext ? `.${ext.replace(/[^a-z0-9]/g, '')}` : ''}`;
}

/** Streams into the store; stops and keeps nothing as soon as it passes `maxBytes` (TooLargeError). */
export async function putStream(key: string, data: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, maxBytes: number): Promise<number> {
  return storageBackend().put(objectKey(key), data, maxBytes);
}

export async function putBuffer(key: string, buf: Buffer | string): Promise<number> {
  const b = typeof buf === 'string' ? Buffer.from(buf) : buf;
  return putStream(key, [b], b.length);
}

/** Copies a file from local disk into the store (seed scripts). */
export async function putFile(key: string, src: string): Promise<number> {
  return putStream(key, fs.createReadStream(src), Number.MAX_SAFE_INTEGER);
}

export async function statBlob(key: string): Promise<{ size: number; mtime: Date } | null> {
  return storageBackend().stat(objectKey(key));
}

/** Bytes [start, end] (inclusive) as a web stream for a Response body. */
export function readRangeStream(key: string, start = 0, end?: number): ReadableStream<Uint8Array> {
  return storageBackend().range(objectKey(key), start, end);
}

/** The first `n` bytes (content sniffing). */
export async function readHead(key: string, n: number): Promise<Buffer> {
  const st = await statBlob(key);
  if (!st || st.size === 0) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  for await (const c of readRangeStream(key, 0, Math.min(n, st.size) - 1) as unknown as AsyncIterable<Uint8Array>) chunks.push(c);
  return Buffer.concat(chunks);
}

export async function renameBlob(from: string, to: string): Promise<void> {
  await storageBackend().move(objectKey(from), objectKey(to));
}

export async function deleteBlob(key: string | null | undefined): Promise<void> {
  if (key) await storageBackend().delete(objectKey(key));
}

/** The local path of a blob: only on the disk store (tests and tools that must open the file). */
export function localPath(key: string): string {
  if (storageBackend().kind !== 'disk') throw new Error('localPath: the store is not on this disk (STORAGE_URL is s3://…)');
  return path.join(storageRoot(), objectKey(key));
}

/**
 * Copies every file of the disk store at `root` into `target` (an object store) under the same
 * keys, skipping those already there with the same size. Returns what it did.
 */
export async function copyDiskStore(root: string, target: BlobBackend): Promise<{ copied: number; skipped: number; bytes: number }> {
  let copied = 0;
  let skipped = 0;
  let bytes = 0;
  if (!fs.existsSync(root)) return { copied, skipped, bytes };
  for (const dir of await fs.promises.readdir(root)) {
    const sub = path.join(root, dir);
    if (!(await fs.promises.stat(sub)).isDirectory()) continue;
    for (const name of await fs.promises.readdir(sub)) {
      if (name.includes('.part-')) continue; // an interrupted write, never recorded
      const file = path.join(sub, name);
      const size = (await fs.promises.stat(file)).size;
      const there = await target.stat(`${dir}/${name}`);
      if (there && there.size === size) {
        skipped++;
        continue;
      }
      await target.put(`${dir}/${name}`, fs.createReadStream(file), Number.MAX_SAFE_INTEGER);
      copied++;
      bytes += size;
    }
  }
  return { copied, skipped, bytes };
}
