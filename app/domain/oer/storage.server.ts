/**
 * A small blob store for uploaded files. Disk today (DATA_DIR/uploads/oer/…); the interface —
 * write a stream with a size cap, stat, read a byte range, delete — is what an object store
 * (S3-compatible, with ranged GET) also offers, so it can replace this module later.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import { getEnv } from '~/lib/env.server';
import { newId } from '~/lib/ids.server';

export class TooLargeError extends Error {
  constructor() {
    super('too large');
  }
}

let rootOverride: string | null = null;
/** For tests: put blobs somewhere else. */
export function setStorageRoot(dir: string | null) {
  rootOverride = dir;
}

export function storageRoot(): string {
  return rootOverride ?? path.join(getEnv().DATA_DIR, 'uploads', 'oer');
}

function fileFor(key: string): string {
  if (!/^[a-z0-9]+(\.[a-z0-9]+)?$/.test(key)) throw new Error(`bad storage key ${key}`);
  return path.join(storageRoot(), key.slice(0, 2), key);
}

export function newKey(ext: string): string {
  return `${newId(20)}${ext ? `.${ext.replace(/[^a-z0-9]/g, '')}` : ''}`;
}

/** Streams to disk; stops and deletes the partial file as soon as it passes `maxBytes`. */
export async function putStream(key: string, data: AsyncIterable<Uint8Array>, maxBytes: number): Promise<number> {
  const file = fileFor(key);
  await fs.promises.mkdir(path.dirname(file), { recursive: true });
  let size = 0;
  const cap = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      size += chunk.length;
      if (size > maxBytes) cb(new TooLargeError());
      else cb(null, chunk);
    },
  });
  try {
    await pipeline(Readable.from(data), cap, fs.createWriteStream(file));
  } catch (e) {
    await fs.promises.rm(file, { force: true });
    throw e;
  }
  return size;
}

export async function putBuffer(key: string, buf: Buffer | string): Promise<number> {
  const file = fileFor(key);
  await fs.promises.mkdir(path.dirname(file), { recursive: true });
  await fs.promises.writeFile(file, buf);
  return Buffer.byteLength(buf);
}

/** Copies a file from local disk into the store (seed scripts). */
export async function putFile(key: string, src: string): Promise<number> {
  const file = fileFor(key);
  await fs.promises.mkdir(path.dirname(file), { recursive: true });
  await fs.promises.copyFile(src, file);
  return (await fs.promises.stat(file)).size;
}

export async function statBlob(key: string): Promise<{ size: number; mtime: Date } | null> {
  try {
    const s = await fs.promises.stat(fileFor(key));
    return { size: s.size, mtime: s.mtime };
  } catch {
    return null;
  }
}

/** The local path (only for content sniffing of a just-written blob). */
export function localPath(key: string): string {
  return fileFor(key);
}

export function readRange(key: string, start?: number, end?: number): fs.ReadStream {
  return fs.createReadStream(fileFor(key), start === undefined ? undefined : { start, end });
}

const READ_CHUNK = 64 * 1024;

/**
 * Bytes [start, end] (inclusive) as a web stream for a Response body, read on demand from a file
 * handle. Not `Readable.toWeb(fs stream)`: on Node 20 that adapter can throw an uncaught
 * ERR_INVALID_STATE ("Controller is already closed") when the client cancels mid-stream
 * (nodejs/node#54205) — which media elements do all the time when they seek — and that killed
 * the server. Here a cancel just closes the file handle.
 */
export function readRangeStream(key: string, start = 0, end?: number): ReadableStream<Uint8Array> {
  const file = fileFor(key);
  let fh: fs.promises.FileHandle | null = null;
  let pos = start;
  let done = false;
  const close = async () => {
    done = true;
    const h = fh;
    fh = null;
    await h?.close().catch(() => undefined);
  };
  return new ReadableStream<Uint8Array>(
    {
      async start() {
        fh = await fs.promises.open(file, 'r');
      },
      async pull(controller) {
        try {
          const want = Math.min(READ_CHUNK, (end ?? Number.MAX_SAFE_INTEGER) - pos + 1);
          const h = fh;
          if (done || !h || want <= 0) {
            await close();
            if (want <= 0) controller.close();
            return;
          }
          const buf = Buffer.allocUnsafe(want);
          const { bytesRead } = await h.read(buf, 0, want, pos);
          if (done) return; // cancelled while reading
          if (bytesRead === 0) {
            await close();
            controller.close();
            return;
          }
          pos += bytesRead;
          controller.enqueue(new Uint8Array(buf.buffer, buf.byteOffset, bytesRead));
        } catch (e) {
          const cancelled = done;
          await close();
          if (!cancelled) controller.error(e);
        }
      },
      async cancel() {
        await close();
      },
    },
    { highWaterMark: 2 },
  );
}

export async function deleteBlob(key: string | null | undefined): Promise<void> {
  if (key) await fs.promises.rm(fileFor(key), { force: true });
}
