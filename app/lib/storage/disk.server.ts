import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import { type BlobBackend, TooLargeError } from './backend.server';

/** Every written byte reaches the disk before the caller records the file (power-cut safe). */
async function fsyncPath(p: string): Promise<void> {
  const fh = await fs.promises.open(p, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/**
 * Blobs as files under `root` (DATA_DIR/uploads by default). A write goes to a temporary name,
 * is fsynced, then renamed into place (and the folder fsynced): after a crash a file is either
 * complete or absent, never cut short.
 */
export function diskBackend(root: () => string): BlobBackend {
  const fileFor = (objectKey: string) => path.join(root(), objectKey);
  const backend: BlobBackend = {
    kind: 'disk',
    async put(objectKey, data, maxBytes) {
      const file = fileFor(objectKey);
      const dir = path.dirname(file);
      await fs.promises.mkdir(dir, { recursive: true });
      const tmp = `${file}.part-${randomBytes(6).toString('hex')}`;
      let size = 0;
      const cap = new Transform({
        transform(chunk: Buffer, _enc, cb) {
          size += chunk.length;
          if (size > maxBytes) cb(new TooLargeError());
          else cb(null, chunk);
        },
      });
      // The file is opened (created) before the first byte: a write stream opened by name opens it
      // asynchronously, so a stream refused at once (too big) could create the file after the
      // removal below had run, leaving an empty `.part-` file behind (seen in the OER upload test).
      const out = fs.createWriteStream(tmp, { fd: await fs.promises.open(tmp, 'w') });
      try {
        await pipeline(Readable.from(data), cap, out);
        await fsyncPath(tmp);
        await fs.promises.rename(tmp, file);
        await fsyncPath(dir);
      } catch (e) {
        await fs.promises.rm(tmp, { force: true });
        throw e;
      }
      return size;
    },
    async putFile(objectKey, file) {
      return backend.put(objectKey, fs.createReadStream(file), Number.MAX_SAFE_INTEGER);
    },
    async stat(objectKey) {
      try {
        const s = await fs.promises.stat(fileFor(objectKey));
        return { size: s.size, mtime: s.mtime };
      } catch {
        return null;
      }
    },
    range(objectKey, start, end) {
      return fileRangeStream(fileFor(objectKey), start, end);
    },
    async delete(objectKey) {
      await fs.promises.rm(fileFor(objectKey), { force: true });
    },
    async move(from, to) {
      await fs.promises.mkdir(path.dirname(fileFor(to)), { recursive: true });
      await fs.promises.rename(fileFor(from), fileFor(to));
      await fsyncPath(path.dirname(fileFor(to)));
    },
    async *list() {
      const base = root();
      async function* walk(dir: string): AsyncGenerator<{ key: string; size: number; mtime: Date }> {
        let entries: fs.Dirent[];
        try {
          entries = await fs.promises.readdir(dir, { withFileTypes: true });
        } catch {
          return; // no store yet (or the folder went away)
        }
        entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
        for (const e of entries) {
          const full = path.join(dir, e.name);
          if (e.isDirectory()) yield* walk(full);
          else if (e.isFile() && !e.name.includes('.part-')) {
            const st = await fs.promises.stat(full).catch(() => null); // deleted meanwhile
            if (st) yield { key: path.relative(base, full).split(path.sep).join('/'), size: st.size, mtime: st.mtime };
          }
        }
      }
      yield* walk(base);
    },
  };
  return backend;
}

const READ_CHUNK = 64 * 1024;

/**
 * Bytes [start, end] (inclusive) of a file as a web stream for a Response body, read on demand from
 * a file handle. Not `Readable.toWeb(fs stream)`: on Node 20 that adapter can throw an uncaught
 * ERR_INVALID_STATE ("Controller is already closed") when the client cancels mid-stream
 * (nodejs/node#54205) — which media elements do all the time when they seek — and that killed
 * the server. Here a cancel just closes the file handle.
 */
export function fileRangeStream(file: string, start = 0, end?: number): ReadableStream<Uint8Array> {
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
