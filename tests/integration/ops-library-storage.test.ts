/**
 * The library's EPUB files go through the storage module (issue 17), so several app instances
 * share them: an uploaded book is kept in the store (named by its content), the reader's file
 * route serves it from there with range requests, and `npm run storage:copy`'s library step puts
 * books kept before (a path under DATA_DIR) into the store. On the disk backend and on an
 * S3-compatible store — s3rver, a local TEST DOUBLE of the S3 protocol (the real targets are
 * MinIO, Ceph RGW, AWS S3 or a Vietnamese cloud provider's object storage).
 */
import fs from 'node:fs';
import path from 'node:path';

import S3rver from 's3rver';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import type { DB } from '~/db/connection';
import { buildEpub, loadBooks } from '~/db/seed/build-epubs';
import { copyLocalEpubsToStore, keepEpubFile, openEpub, storeKeyOf } from '~/domain/library/files.server';
import { setTitleFile } from '~/domain/library/titles.server';
import { checkUploadedFile, storeUploadedTitle } from '~/domain/library/upload.server';
import { createUnit } from '~/domain/units.server';
import { newId } from '~/lib/ids.server';
import { backendFor, localPath, setStorageBackend, setStorageRoot, statBlob } from '~/lib/storage/index.server';
import { loader as fileLoader } from '~/routes/library.$slug.file';

import { freePort } from '../browser/setup/global';
import { freshDb, TMP_DIR } from '../helpers/db';
import { makeUser } from '../helpers/users';

let epub: Buffer;
let s3: S3rver;
let s3Dir: string;
let s3Url: string;

beforeAll(async () => {
  epub = await buildEpub(loadBooks()[0]!);
  s3Dir = path.join(TMP_DIR, `s3rver-lib-${process.pid}-${Date.now()}`);
  const port = await freePort();
  s3 = new S3rver({ address: '127.0.0.1', port, silent: true, directory: s3Dir, configureBuckets: [{ name: 'llw-lib' }] });
  await s3.run();
  s3Url = `s3://S3RVER:S3RVER@llw-lib?endpoint=http://127.0.0.1:${port}&region=us-east-1`;
});

afterAll(async () => {
  await s3?.close();
  fs.rmSync(s3Dir, { recursive: true, force: true });
});

describe.each(['disk', 's3'] as const)('library EPUBs in the storage module (%s)', (backend) => {
  let db: DB;
  let cleanup: () => Promise<void>;
  let dir: string;
  let libraryId: string;
  let userId: string;

  beforeEach(async () => {
    ({ db, cleanup } = await freshDb('sqlite'));
    dir = path.join(TMP_DIR, `lib-store-${process.pid}-${newId(6)}`);
    fs.mkdirSync(dir, { recursive: true });
    setStorageRoot(path.join(dir, 'uploads', 'oer'));
    setStorageBackend(backend === 's3' ? backendFor(s3Url) : null);
    (globalThis as unknown as { __appDb?: DB }).__appDb = db;
    const prov = await createUnit(db, { parentId: null, kind: 'province', slug: `p-${newId(6)}`, name: 'Tỉnh' });
    libraryId = (await createUnit(db, { parentId: prov.id, kind: 'public_library', slug: `l-${newId(6)}`, name: 'Thư viện' })).id;
    userId = await makeUser(db, 'Thủ thư', 1980);
  });
  afterEach(async () => {
    setStorageBackend(null);
    setStorageRoot(null);
    await cleanup();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** An open-access title from an upload of `bytes` (the upload route's domain steps). */
  async function upload(bytes: Buffer): Promise<string> {
    const tmp = path.join(dir, `tmp-${newId()}.part`);
    fs.writeFileSync(tmp, bytes);
    const checked = await checkUploadedFile(tmp);
    if (!checked.ok) throw new Error(checked.error);
    const slug = await storeUploadedTitle(db, {
      tmp,
      size: checked.size,
      meta: checked.meta,
      libraryId,
      openAccess: true,
      copies: 0,
      userId,
      overrides: {},
    });
    expect(fs.existsSync(tmp)).toBe(false); // the temporary file is gone
    return slug;
  }

  /** The reader's file route, as the browser calls it (a thrown 404/403 returned like a response). */
  const get = (slug: string, headers: Record<string, string> = {}, method = 'GET') =>
    (
      fileLoader({
        request: new Request(`http://localhost/library/${slug}/file`, { method, headers }),
        params: { slug },
        context: {},
      }) as Promise<Response>
    ).catch((thrown: unknown) => {
      if (thrown instanceof Response) return thrown;
      throw thrown;
    });
  const filePath = async (slug: string) =>
    (await db.selectFrom('lib_titles').select('file_path').where('slug', '=', slug).executeTakeFirstOrThrow()).file_path!;

  it('keeps an uploaded book in the store and serves it whole and by byte ranges', async () => {
    const slug = await upload(epub);
    const key = storeKeyOf(await filePath(slug));
    expect(key).toMatch(/^[0-9a-f]{40}\.epub$/);
    expect((await statBlob(key!))?.size).toBe(epub.length);
    // Nothing under DATA_DIR outside the store: another instance reads the same blob.
    if (backend === 'disk') expect(fs.existsSync(localPath(key!))).toBe(true);
    else expect(fs.readdirSync(s3Dir, { recursive: true }).some((f) => String(f).includes(key!))).toBe(true);

    const whole = await get(slug);
    expect(whole.status).toBe(200);
    expect(whole.headers.get('Content-Type')).toBe('application/epub+zip');
    expect(whole.headers.get('Accept-Ranges')).toBe('bytes');
    expect(whole.headers.get('Cache-Control')).toBe('private, no-store');
    expect(Buffer.from(await whole.arrayBuffer()).equals(epub)).toBe(true);

    const part = await get(slug, { Range: 'bytes=100-1123' });
    expect(part.status).toBe(206);
    expect(part.headers.get('Content-Range')).toBe(`bytes 100-1123/${epub.length}`);
    expect(Buffer.from(await part.arrayBuffer()).equals(epub.subarray(100, 1124))).toBe(true);

    const tail = await get(slug, { Range: 'bytes=-64' });
    expect(tail.status).toBe(206);
    expect(Buffer.from(await tail.arrayBuffer()).equals(epub.subarray(epub.length - 64))).toBe(true);

    expect((await get(slug, { Range: `bytes=${epub.length + 10}-` })).status).toBe(416);
    const head = await get(slug, {}, 'HEAD');
    expect(head.headers.get('Content-Length')).toBe(String(epub.length));
    expect(await head.text()).toBe('');
  });

  it('stores the same book once, however many times it is kept', async () => {
    const a = await upload(epub);
    const b = await upload(epub);
    expect(a).not.toBe(b);
    expect(await filePath(a)).toBe(await filePath(b));
  });

  it('storage:copy puts books kept as local paths into the store and switches their titles; a re-run changes nothing', async () => {
    const slug = await upload(epub);
    // A title from before: its file under DATA_DIR, file_path relative to it.
    fs.mkdirSync(path.join(dir, 'uploads', 'library'), { recursive: true });
    const older = Buffer.concat([epub]); // same bytes, kept the old way
    fs.writeFileSync(path.join(dir, 'uploads', 'library', 'cu.epub'), older);
    const id = (await db.selectFrom('lib_titles').select('id').where('slug', '=', slug).executeTakeFirstOrThrow()).id;
    await setTitleFile(db, id, 'uploads/library/cu.epub', older.length);
    // Until copied, it is served from the local disk (ranges too).
    expect(await openEpub('uploads/library/cu.epub', dir)).not.toBeNull();
    expect(await openEpub('../outside.epub', dir)).toBeNull();

    // A second older title whose file is not on this machine.
    const other = await upload(Buffer.from(epub));
    const otherId = (await db.selectFrom('lib_titles').select('id').where('slug', '=', other).executeTakeFirstOrThrow()).id;
    await setTitleFile(db, otherId, 'uploads/library/khong-co.epub', 10);

    expect(await copyLocalEpubsToStore(db, dir)).toEqual({ copied: 1, missing: [other] });
    expect(storeKeyOf(await filePath(slug))).toMatch(/\.epub$/);
    fs.rmSync(path.join(dir, 'uploads', 'library'), { recursive: true, force: true }); // served from the store now
    const part = await get(slug, { Range: 'bytes=0-99' });
    expect(part.status).toBe(206);
    expect(Buffer.from(await part.arrayBuffer()).equals(epub.subarray(0, 100))).toBe(true);
    expect(await copyLocalEpubsToStore(db, dir)).toEqual({ copied: 0, missing: [other] });
    expect((await get(other)).status).toBe(404);
  });

  it('keepEpubFile names a book by its content', async () => {
    const f = path.join(dir, 'book.epub');
    fs.writeFileSync(f, epub);
    const k1 = await keepEpubFile(f);
    fs.writeFileSync(f, Buffer.concat([epub, Buffer.from('x')]));
    const k2 = await keepEpubFile(f);
    expect(k1.filePath).not.toBe(k2.filePath);
    expect(k1.size).toBe(epub.length);
  });
});
