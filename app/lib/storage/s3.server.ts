import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

import type * as S3Sdk from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';

import { type BlobBackend } from './backend.server';
import { diskBackend } from './disk.server';

export interface S3Config {
  bucket: string;
  prefix: string;
  endpoint?: string;
  region: string;
  forcePathStyle: boolean;
  accessKeyId?: string;
  secretAccessKey?: string;
}

/**
 * `s3://bucket/optional/prefix?endpoint=https://s3.example.vn&region=…&forcePathStyle=1`, with
 * credentials in the URL (`s3://KEY:SECRET@bucket`) or, better, AWS_ACCESS_KEY_ID /
 * AWS_SECRET_ACCESS_KEY (the SDK's usual chain).
 */
export function parseS3Url(url: string): S3Config {
  const u = new URL(url);
  if (u.protocol !== 's3:' || !u.hostname) throw new Error('STORAGE_URL must look like s3://bucket?endpoint=https://…');
  const endpoint = u.searchParams.get('endpoint') ?? undefined;
  const fps = u.searchParams.get('forcePathStyle');
  return {
    bucket: u.hostname,
    prefix: decodeURIComponent(u.pathname.replace(/^\/+/, '')).replace(/\/?$/, (m) => (u.pathname.length > 1 ? '/' : m)),
    endpoint,
    region: u.searchParams.get('region') ?? process.env.AWS_REGION ?? 'us-east-1',
    // Self-hosted servers (MinIO, Ceph) usually want path-style URLs; AWS prefers virtual hosts.
    forcePathStyle: fps === null ? !!endpoint : fps === '1' || fps === 'true',
    accessKeyId: u.username ? decodeURIComponent(u.username) : undefined,
    secretAccessKey: u.password ? decodeURIComponent(u.password) : undefined,
  };
}

const notFound = (e: unknown) => {
  const x = e as { name?: string; $metadata?: { httpStatusCode?: number } };
  return x?.name === 'NotFound' || x?.name === 'NoSuchKey' || x?.$metadata?.httpStatusCode === 404;
};

/**
 * Blobs in an S3-compatible object store (AWS S3, MinIO, Ceph RGW, a Vietnamese cloud's object
 * storage). An upload is first spooled (with its size cap) to a temporary file, then sent with
 * its length in one PUT: the object appears whole or not at all. Reads use ranged GETs (video).
 */
let sdk: typeof S3Sdk | undefined;
/**
 * The AWS SDK, loaded when an object store is first configured: importing it costs ~1.7 s of
 * start-up, and every server start and test file imports the storage module (disk by default).
 */
function s3Sdk(): typeof S3Sdk {
  return (sdk ??= createRequire(import.meta.url)('@aws-sdk/client-s3') as typeof S3Sdk);
}

export function s3Backend(cfg: S3Config): BlobBackend & { client: S3Client; cfg: S3Config } {
  const { CopyObjectCommand, DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } =
    s3Sdk();
  const client = new S3Client({
    region: cfg.region,
    endpoint: cfg.endpoint,
    forcePathStyle: cfg.forcePathStyle,
    // Checksums only where the API requires them: the SDK's newer default (aws-chunked bodies with
    // trailing checksums) is not understood by many S3-compatible servers.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    ...(cfg.accessKeyId && cfg.secretAccessKey
      ? { credentials: { accessKeyId: cfg.accessKeyId, secretAccessKey: cfg.secretAccessKey } }
      : {}),
  });
  const Key = (objectKey: string) => `${cfg.prefix}${objectKey}`;
  const spoolDir = path.join(os.tmpdir(), 'llw-s3-spool');
  const spool = diskBackend(() => spoolDir);
  return {
    kind: 's3',
    client,
    cfg,
    async put(objectKey, data, maxBytes) {
      const tmp = `${randomBytes(12).toString('hex')}.part`;
      const size = await spool.put(tmp, data, maxBytes); // TooLargeError: nothing was sent
      const file = path.join(spoolDir, tmp);
      try {
        await client.send(
          new PutObjectCommand({ Bucket: cfg.bucket, Key: Key(objectKey), Body: fs.createReadStream(file), ContentLength: size }),
        );
      } finally {
        await fs.promises.rm(file, { force: true });
      }
      return size;
    },
    async putFile(objectKey, file) {
      // Straight from the file with its length: no second spool copy (restores of large stores).
      const size = (await fs.promises.stat(file)).size;
      await client.send(
        new PutObjectCommand({ Bucket: cfg.bucket, Key: Key(objectKey), Body: fs.createReadStream(file), ContentLength: size }),
      );
      return size;
    },
    async stat(objectKey) {
      try {
        const h = await client.send(new HeadObjectCommand({ Bucket: cfg.bucket, Key: Key(objectKey) }));
        return { size: Number(h.ContentLength ?? 0), mtime: h.LastModified ?? new Date(0) };
      } catch (e) {
        if (notFound(e)) return null;
        throw e;
      }
    },
    range(objectKey, start, end) {
      let reader: ReadableStreamDefaultReader<Uint8Array> | null = null;
      return new ReadableStream<Uint8Array>({
        async start() {
          const r = await client.send(
            new GetObjectCommand({ Bucket: cfg.bucket, Key: Key(objectKey), Range: `bytes=${start}-${end ?? ''}` }),
          );
          if (!r.Body) throw new Error('empty S3 body');
          reader = r.Body.transformToWebStream().getReader() as ReadableStreamDefaultReader<Uint8Array>;
        },
        async pull(controller) {
          const { done, value } = await reader!.read();
          if (done) controller.close();
          else controller.enqueue(value);
        },
        async cancel(reason) {
          await reader?.cancel(reason).catch(() => undefined);
        },
      });
    },
    async delete(objectKey) {
      await client.send(new DeleteObjectCommand({ Bucket: cfg.bucket, Key: Key(objectKey) }));
    },
    async move(from, to) {
      await client.send(
        new CopyObjectCommand({
          Bucket: cfg.bucket,
          Key: Key(to),
          CopySource: `${cfg.bucket}/${encodeURIComponent(Key(from)).replace(/%2F/g, '/')}`,
        }),
      );
      await client.send(new DeleteObjectCommand({ Bucket: cfg.bucket, Key: Key(from) }));
    },
    async *list(pageSize = 1000) {
      let ContinuationToken: string | undefined;
      do {
        const page = await client.send(
          new ListObjectsV2Command({ Bucket: cfg.bucket, Prefix: cfg.prefix, MaxKeys: pageSize, ContinuationToken }),
        );
        for (const o of page.Contents ?? []) {
          if (!o.Key?.startsWith(cfg.prefix) || o.Key.endsWith('/')) continue; // a folder marker
          yield { key: o.Key.slice(cfg.prefix.length), size: Number(o.Size ?? 0), mtime: o.LastModified };
        }
        ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (ContinuationToken);
    },
  };
}
