/**
 * Resumable (tus) uploads of contest entries over real HTTP, on both dialects: who may create an
 * upload (signed-in entrant of an open round, within its size cap, from this site), that nobody
 * else can read or continue it, that an upload cut part-way resumes from the offset the server
 * reports, the content check when the last byte arrives (a renamed text file is refused and its
 * bytes removed), attaching to the entry (the earlier file stays until then) and expiry.
 */
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

import express from 'express';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { DB } from '~/db/connection';
import { createSessionCookie } from '~/lib/auth.server';
import { localPath } from '~/lib/storage/index.server';
import { createTusUploads, TUS_PATH, TUS_ROUTE, type TusUploads } from '~/lib/uploads/tus.server';

import { myEntry, submitEntry } from '../../app/domain/contests/entries.server';
import { attachUpload, expireUploads, UPLOAD_TTL_MS } from '../../app/domain/contests/uploads.server';
import { contestWorld } from '../helpers/contests';
import { dialects, freshDb } from '../helpers/db';
import { mediaFolder, tone } from '../helpers/media';

const { dir: media, file } = mediaFolder('contest-uploads', (file) => {
  tone(file('a.webm'), 3);
  tone(file('b.webm'), 4, 330);
  fs.writeFileSync(file('essay.webm'), 'Đây là một bài văn, không phải âm thanh.\n'.repeat(50));
});

const b64 = (s: string) => Buffer.from(s).toString('base64');

describe.each(dialects)('resumable contest uploads on %s', (dialect) => {
  let db: DB;
  let cleanup: () => Promise<void>;
  let w: Awaited<ReturnType<typeof contestWorld>>;
  let tus: TusUploads;
  let server: ReturnType<ReturnType<typeof express>['listen']>;
  let base: string;
  let dir: string;

  beforeEach(async () => {
    const f = await freshDb(dialect);
    db = f.db;
    cleanup = f.cleanup;
    w = await contestWorld(db);
    dir = path.join(media, `tus-${dialect}-${Date.now()}`);
    tus = createTusUploads({ db: () => db, directory: dir });
    const app = express();
    app.all(TUS_ROUTE, tus.handler);
    server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(async () => {
    await new Promise((r) => server.close(r));
    await cleanup();
  });

  async function setup(maxBytes = 5 * 1024 * 1024) {
    const c = await w.contest();
    const roundId = await w.openAudioRound(c.id, { maxBytes });
    const entrant = await w.entrant(c.id, 'Nguyễn Văn An', w.schoolA.id);
    return { roundId, entrant };
  }

  const cookieOf = async (userId: string) => (await createSessionCookie(userId, db)).split(';')[0]!;

  async function create(cookie: string | null, roundId: string, size: number, origin = base) {
    const headers: Record<string, string> = {
      'Tus-Resumable': '1.0.0',
      'Upload-Length': String(size),
      'Upload-Metadata': `roundId ${b64(roundId)},filename ${b64('bai-doc.webm')}`,
      Origin: origin,
    };
    if (cookie) headers.Cookie = cookie;
    return fetch(`${base}${TUS_PATH}`, { method: 'POST', headers });
  }

  const patch = (cookie: string, location: string, offset: number, body: Buffer) =>
    fetch(new URL(location, base), {
      method: 'PATCH',
      headers: {
        'Tus-Resumable': '1.0.0',
        'Upload-Offset': String(offset),
        'Content-Type': 'application/offset+octet-stream',
        Cookie: cookie,
        Origin: base,
      },
      body: new Uint8Array(body),
    });

  const head = (cookie: string, location: string) =>
    fetch(new URL(location, base), { method: 'HEAD', headers: { 'Tus-Resumable': '1.0.0', Cookie: cookie } });

  it('lets only a signed-in entrant of an open round create an upload, within the size cap, from this site', async () => {
    const { roundId, entrant } = await setup(1024 * 1024);
    const me = await cookieOf(entrant);
    expect((await create(null, roundId, 1000)).status).toBe(401);
    const outsider = await cookieOf(await w.user('Người ngoài'));
    const r1 = await create(outsider, roundId, 1000);
    expect(r1.status).toBe(403);
    expect(await r1.json()).toEqual({ code: 'not_registered', params: {} });
    const big = await create(me, roundId, 2 * 1024 * 1024);
    expect(big.status).toBe(413);
    expect(await big.json()).toEqual({ code: 'too_large', params: { maxMb: 1 } });
    const empty = await create(me, roundId, 0);
    expect(empty.status).toBe(422);
    expect(await empty.json()).toMatchObject({ code: 'empty' });
    expect((await create(me, 'no-such-round', 1000)).status).toBe(404);
    // a cross-site page cannot start an upload with the entrant's cookie
    expect((await create(me, roundId, 1000, 'https://evil.example')).status).toBe(403);
    // after the window closes
    const later = createTusUploads({ db: () => db, directory: dir, now: () => new Date(Date.now() + 2 * 86_400_000) });
    const app = express();
    app.all(TUS_ROUTE, later.handler);
    const s2 = app.listen(0, '127.0.0.1');
    await new Promise((r) => s2.once('listening', r));
    try {
      const port = (s2.address() as AddressInfo).port;
      const closed = await fetch(`http://127.0.0.1:${port}${TUS_PATH}`, {
        method: 'POST',
        headers: {
          'Tus-Resumable': '1.0.0',
          'Upload-Length': '1000',
          'Upload-Metadata': `roundId ${b64(roundId)}`,
          Cookie: me,
          Origin: `http://127.0.0.1:${port}`,
        },
      });
      expect(closed.status).toBe(409);
      expect(await closed.json()).toMatchObject({ code: 'not_open' });
    } finally {
      await new Promise((r) => s2.close(r));
    }
    expect(await db.selectFrom('contest_uploads').select('id').execute()).toEqual([]);
  });

  it('resumes a cut upload from the server offset, checks it, and replaces the entry only when it is attached', async () => {
    const { roundId, entrant } = await setup();
    const me = await cookieOf(entrant);
    // an earlier entry (form upload) whose file must survive until the replacement is complete
    const first = await submitEntry(db, entrant, roundId, { title: 'Bài cũ', tempFile: file('a.webm') });
    if (!first.ok) throw new Error(first.code);
    const oldKey = first.value.entry.blob_key!;

    const bytes = fs.readFileSync(file('b.webm'));
    const created = await create(me, roundId, bytes.length);
    expect(created.status).toBe(201);
    const location = created.headers.get('location')!;
    const id = location.split('/').pop()!;
    // someone else cannot see or continue it
    const other = await cookieOf(await w.user('Người khác'));
    expect((await head(other, location)).status).toBe(404);
    expect((await patch(other, location, 0, bytes)).status).toBe(404);

    // the first 60 %, then the connection "drops"
    const cut = Math.floor(bytes.length * 0.6);
    const p1 = await patch(me, location, 0, bytes.subarray(0, cut));
    expect(p1.status).toBe(204);
    const h = await head(me, location);
    expect(h.headers.get('upload-offset')).toBe(String(cut));
    // a file stopped at 60 % cannot be attached; the earlier entry is whole
    expect(await attachUpload(db, entrant, roundId, id, { title: 'Bài mới' }, tus.filePath(id))).toMatchObject({
      ok: false,
      code: 'upload_incomplete',
    });
    expect((await myEntry(db, roundId, entrant))!.blob_key).toBe(oldKey);
    expect(fs.existsSync(localPath(oldKey))).toBe(true);
    // resuming from the wrong offset is refused; from the server's offset it completes
    expect((await patch(me, location, 0, bytes)).status).toBe(409);
    const p2 = await patch(me, location, cut, bytes.subarray(cut));
    expect(p2.status).toBe(204);
    expect(p2.headers.get('upload-offset')).toBe(String(bytes.length));
    expect(fs.readFileSync(tus.filePath(id)).equals(bytes)).toBe(true);
    const row = await db.selectFrom('contest_uploads').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'complete', mime: 'audio/webm' });
    expect(Number(row.duration_s)).toBeCloseTo(4, 0);

    // another user cannot attach it; the owner can, and only then the old file goes
    const otherId = (await db.selectFrom('users').select('id').where('display_name', '=', 'Người khác').executeTakeFirstOrThrow()).id;
    expect(await attachUpload(db, otherId, roundId, id, { title: 'x' }, tus.filePath(id))).toMatchObject({ code: 'upload_missing' });
    const a = await attachUpload(db, entrant, roundId, id, { title: 'Bài mới' }, tus.filePath(id));
    if (!a.ok) throw new Error(a.code);
    expect(a.value.replaced).toBe(true);
    const entry = (await myEntry(db, roundId, entrant))!;
    expect(entry.title).toBe('Bài mới');
    expect(entry.blob_key).not.toBe(oldKey);
    expect(fs.readFileSync(localPath(entry.blob_key!)).equals(bytes)).toBe(true);
    expect(fs.existsSync(localPath(oldKey))).toBe(false);
    // used once: a second attach is refused
    expect(await attachUpload(db, entrant, roundId, id, { title: 'again' }, tus.filePath(id))).toMatchObject({ code: 'upload_missing' });
  });

  it('refuses a renamed text file when its last byte arrives, removes it, and keeps the entry', async () => {
    const { roundId, entrant } = await setup();
    const me = await cookieOf(entrant);
    const bytes = fs.readFileSync(file('essay.webm'));
    const created = await create(me, roundId, bytes.length);
    const location = created.headers.get('location')!;
    const id = location.split('/').pop()!;
    const done = await patch(me, location, 0, bytes);
    expect(done.status).toBe(422);
    expect(await done.json()).toEqual({ code: 'not_media', params: {} });
    expect(fs.existsSync(tus.filePath(id))).toBe(false);
    expect(await db.selectFrom('contest_uploads').select(['status', 'error']).where('id', '=', id).executeTakeFirst()).toEqual({
      status: 'refused',
      error: 'not_media',
    });
    expect(await attachUpload(db, entrant, roundId, id, { title: 'x' }, tus.filePath(id))).toMatchObject({ code: 'not_media' });
    expect(await myEntry(db, roundId, entrant)).toBeUndefined();
  });

  it('keeps one upload in progress per entrant and round: a new one supersedes the abandoned one', async () => {
    const { roundId, entrant } = await setup();
    const me = await cookieOf(entrant);
    const first = (await create(me, roundId, 5000)).headers.get('location')!;
    expect((await patch(me, first, 0, Buffer.alloc(1000, 1))).status).toBe(204);
    const second = (await create(me, roundId, 6000)).headers.get('location')!;
    expect((await head(me, first)).status).toBe(404);
    expect(fs.existsSync(tus.filePath(first.split('/').pop()!))).toBe(false);
    expect((await head(me, second)).headers.get('upload-length')).toBe('6000');
    expect(await db.selectFrom('contest_uploads').select('id').execute()).toEqual([{ id: second.split('/').pop() }]);
  });

  it('forgets expired uploads', async () => {
    const { roundId, entrant } = await setup();
    const me = await cookieOf(entrant);
    const created = await create(me, roundId, 5000);
    const id = created.headers.get('location')!.split('/').pop()!;
    expect(await expireUploads(db, new Date(Date.now() + 60_000))).toEqual([]);
    const gone = await expireUploads(db, new Date(Date.now() + UPLOAD_TTL_MS + 60_000));
    expect(gone).toEqual([id]);
    for (const g of gone) await tus.remove(g);
    expect(fs.existsSync(tus.filePath(id))).toBe(false);
    expect((await head(me, created.headers.get('location')!)).status).toBe(404);
  });
});
