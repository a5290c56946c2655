/**
 * The storage module on an S3-compatible object store (issue 17), tested against s3rver — a
 * local S3 TEST DOUBLE speaking the S3 protocol (the real targets are MinIO, Ceph RGW, AWS S3 or a
 * Vietnamese cloud provider's object storage). Same functions as the disk store: capped streaming
 * writes (complete or absent), stat, ranged reads, rename, delete; the resource upload pipeline
 * (content sniffing) on it; and the command copying a disk store into the object store.
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { storeUpload } from '~/domain/oer/uploads.server';
import type { BlobBackend } from '~/lib/storage/backend.server';
import { diskBackend } from '~/lib/storage/disk.server';
import {
  backendFor,
  copyDiskStore,
  deleteBlob,
  newKey,
  objectKey,
  putBuffer,
  putStream,
  readRangeStream,
  setStorageBackend,
  statBlob,
  TooLargeError,
} from '~/lib/storage/index.server';
import { parseS3Url } from '~/lib/storage/s3.server';

import { freePort } from '../browser/setup/global';
import { TMP_DIR } from '../helpers/db';

let server: S3rver;
let dir: string;
let backend: BlobBackend;
let url: string;

async function* chunks(...parts: Buffer[]) {
  for (const p of parts) yield p;
}
async function readAll(s: ReadableStream<Uint8Array>): Promise<Buffer> {
  const out: Uint8Array[] = [];
  for await (const c of s as unknown as AsyncIterable<Uint8Array>) out.push(c);
  return Buffer.concat(out);
}
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

beforeAll(async () => {
  dir = path.join(TMP_DIR, `s3rver-${process.pid}-${Date.now()}`);
  const port = await freePort();
  server = new S3rver({ address: '127.0.0.1', port, silent: true, directory: dir, configureBuckets: [{ name: 'llw-test' }] });
  await server.run();
  // s3rver's built-in account; a real deployment passes its keys in AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY.
  url = `s3://S3RVER:S3RVER@llw-test?endpoint=http://127.0.0.1:${port}&region=us-east-1`;
  backend = backendFor(url);
  setStorageBackend(backend);
});

afterAll(async () => {
  setStorageBackend(null);
  await server?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('STORAGE_URL', () => {
  it('reads bucket, prefix, endpoint and path style from the URL', () => {
    expect(parseS3Url('s3://hoc-tap/uploads?endpoint=https://s3.example.vn&region=hn-1')).toMatchObject({
      bucket: 'hoc-tap',
      prefix: 'uploads/',
      endpoint: 'https://s3.example.vn',
      region: 'hn-1',
      forcePathStyle: true,
    });
    expect(parseS3Url('s3://bucket').forcePathStyle).toBe(false);
    expect(backend.kind).toBe('s3');
  });
});

describe('blobs on the object store', () => {
  it('writes a stream, states its size, and reads any byte range (video seeking)', async () => {
    const data = randomBytes(300_000);
    const key = newKey('mp4');
    expect(await putStream(key, chunks(data.subarray(0, 100_000), data.subarray(100_000)), 1_000_000)).toBe(300_000);
    expect((await statBlob(key))?.size).toBe(300_000);
    expect(sha(await readAll(readRangeStream(key)))).toBe(sha(data));
    expect(await readAll(readRangeStream(key, 1000, 1999))).toEqual(data.subarray(1000, 2000));
    expect(await readAll(readRangeStream(key, 299_990))).toEqual(data.subarray(299_990));
    // Stored under oer/<2 letters>/<key> in the bucket, like the disk layout.
    expect(fs.readdirSync(dir, { recursive: true }).some((f) => String(f).includes(objectKey(key).split('/')[1]!))).toBe(true);
    await deleteBlob(key);
    expect(await statBlob(key)).toBeNull();
  });

  it('refuses a file past its cap and keeps nothing of it', async () => {
    const key = newKey('bin');
    await expect(putStream(key, chunks(randomBytes(60_000), randomBytes(60_000)), 100_000)).rejects.toBeInstanceOf(TooLargeError);
    expect(await statBlob(key)).toBeNull();
  });

  it('takes a resource upload through the same pipeline: sniffed by content, renamed with its extension', async () => {
    const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(50_000), Buffer.from('\n%%EOF\n')]);
    const r = await storeUpload(chunks(pdf), { slot: 'media', kind: 'document', filename: 'bai-giang.pdf' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.key).toMatch(/\.pdf$/);
    expect(r.value.mime).toBe('application/pdf');
    expect(sha(await readAll(readRangeStream(r.value.key)))).toBe(sha(pdf));
    expect(await statBlob(r.value.key.replace(/\.pdf$/, ''))).toBeNull(); // the name before the rename is gone
    const bad = await storeUpload(chunks(Buffer.from('not a video at all')), { slot: 'media', kind: 'video' });
    expect(bad).toEqual({ ok: false, code: 'file_type' });
  });

  it('a small text blob (putBuffer) round-trips', async () => {
    const key = newKey('vtt');
    await putBuffer(key, 'WEBVTT\n\n00:00.000 --> 00:01.000\nXin chào');
    expect((await readAll(readRangeStream(key))).toString()).toContain('Xin chào');
  });
});

describe('copying a disk store into the object store', () => {
  it('copies every file once under the same key, and skips them on a second run', async () => {
    const root = path.join(TMP_DIR, `disk-store-${process.pid}-${Date.now()}`);
    const disk = diskBackend(() => root);
    const keys = [newKey('pdf'), newKey('mp4'), newKey('png')];
    const bodies = keys.map(() => randomBytes(20_000 + Math.floor(Math.random() * 10_000)));
    for (let i = 0; i < keys.length; i++) await disk.put(objectKey(keys[i]!), chunks(bodies[i]!), 1e9);
    fs.writeFileSync(path.join(root, objectKey(keys[0]!)) + '.part-abc', 'half'); // an interrupted write: not copied
    expect(await copyDiskStore(root, backend)).toMatchObject({ copied: 3, skipped: 0 });
    for (let i = 0; i < keys.length; i++) expect(sha(await readAll(readRangeStream(keys[i]!)))).toBe(sha(bodies[i]!));
    expect(await copyDiskStore(root, backend)).toMatchObject({ copied: 0, skipped: 3 });
    fs.rmSync(root, { recursive: true, force: true });
  });
});
