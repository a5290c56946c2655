import fs from 'node:fs';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { grantRole, signUp } from '~/domain/accounts.server';
import { getResourceEmbed } from '~/domain/oer/embed.server';
import {
  approvePendingEdit,
  createResource,
  getProgress,
  getResource,
  listMine,
  listPublished,
  listVersions,
  recordView,
  reviewQueue,
  reviewResource,
  saveProgress,
  submitResource,
  updateResource,
  withdrawResource,
} from '~/domain/oer/resources.server';
import { storeUpload } from '~/domain/oer/uploads.server';
import { search } from '~/domain/search/index.server';
import { createUnit } from '~/domain/units.server';
import type { DB } from '~/lib/db.server';
import { newId } from '~/lib/ids.server';
import { unwrap } from '~/lib/result';
import { setStorageRoot } from '~/lib/storage/index.server';

import { action as progressAction } from '../../app/routes/resources.$id.progress';
import { dialects, freshDb, TMP_DIR } from '../helpers/db';
import { resourceInput } from '../helpers/oer';
import { callRoute } from '../helpers/routes';

async function* chunks(...parts: Array<Buffer | string>) {
  for (const p of parts) yield typeof p === 'string' ? Buffer.from(p) : p;
}

describe.each(dialects)('resources on %s', (dialect) => {
  let db: DB;
  let cleanup: () => Promise<void>;
  const u: Record<string, string> = {};
  const ids: Record<string, string> = {};
  const storage = path.join(TMP_DIR, `oer-storage-${newId(6)}`);

  beforeAll(async () => {
    ({ db, cleanup } = await freshDb(dialect));
    setStorageRoot(storage);
    const prov = await createUnit(db, { parentId: null, kind: 'province', slug: 'tinh', name: 'Tỉnh' });
    const ward = await createUnit(db, { parentId: prov.id, kind: 'ward', slug: 'phuong', name: 'Phường' });
    const school = await createUnit(db, { parentId: ward.id, kind: 'school', slug: 'truong', name: 'Trường THCS' });
    const other = await createUnit(db, { parentId: null, kind: 'province', slug: 'tinh-khac', name: 'Tỉnh khác' });
    Object.assign(u, { prov: prov.id, ward: ward.id, school: school.id, other: other.id });
    for (const name of ['teacher', 'organiser', 'farOrganiser', 'citizen', 'librarian']) {
      const r = await signUp(db, {
        email: `${name}-${newId(4)}@x.vn`,
        password: 'matkhau123',
        displayName: name,
        birthYear: null,
        homeUnitId: null,
        locale: 'vi',
      });
      if (!r.ok) throw new Error('signup');
      ids[name] = r.userId;
    }
    await grantRole(db, { userId: ids.teacher!, unitId: school.id, role: 'teacher', grantedBy: null });
    await grantRole(db, { userId: ids.organiser!, unitId: prov.id, role: 'organiser', grantedBy: null }); // above the school
    await grantRole(db, { userId: ids.farOrganiser!, unitId: other.id, role: 'organiser', grantedBy: null });
    await grantRole(db, { userId: ids.librarian!, unitId: ward.id, role: 'librarian', grantedBy: null });
  });
  afterAll(async () => {
    setStorageRoot(null);
    fs.rmSync(storage, { recursive: true, force: true });
    await cleanup();
  });

  it('only staff of a school/university create resources there', async () => {
    await expect(createResource(db, ids.citizen!, resourceInput(u.school!))).resolves.toEqual({ ok: false, code: 'forbidden' });
    await expect(createResource(db, ids.teacher!, resourceInput(u.ward!))).resolves.toEqual({ ok: false, code: 'forbidden' }); // a ward is not a school
    const id = unwrap(await createResource(db, ids.teacher!, resourceInput(u.school!)));
    expect((await getResource(db, id))!.status).toBe('draft');
  });

  it('moves draft → submitted → returned (comment) → submitted → published, reviewers from the unit or above only', async () => {
    const id = unwrap(await createResource(db, ids.teacher!, resourceInput(u.school!, { title: 'Hành trang công dân số' })));
    await expect(reviewResource(db, ids.organiser!, id, 'publish', '')).resolves.toEqual({ ok: false, code: 'state' }); // not submitted yet
    await expect(submitResource(db, ids.citizen!, id)).resolves.toEqual({ ok: false, code: 'forbidden' });
    await submitResource(db, ids.teacher!, id);
    expect((await reviewQueue(db, ids.organiser!)).map((r) => r.id)).toContain(id);
    expect((await reviewQueue(db, ids.farOrganiser!)).map((r) => r.id)).not.toContain(id);
    await expect(reviewResource(db, ids.farOrganiser!, id, 'publish', '')).resolves.toEqual({ ok: false, code: 'forbidden' });
    await expect(reviewResource(db, ids.teacher!, id, 'publish', '')).resolves.toEqual({ ok: false, code: 'forbidden' });
    await expect(reviewResource(db, ids.organiser!, id, 'return', '  ')).resolves.toEqual({ ok: false, code: 'comment_required' });
    await reviewResource(db, ids.librarian!, id, 'return', 'Thêm nguồn tham khảo');
    const returned = await getResource(db, id);
    expect(returned!.status).toBe('returned');
    expect(returned!.review_comment).toBe('Thêm nguồn tham khảo');
    expect((await search(db, 'cong dan so')).hits).toHaveLength(0); // not public yet
    await submitResource(db, ids.teacher!, id);
    await reviewResource(db, ids.organiser!, id, 'publish', '');
    expect((await getResource(db, id))!.status).toBe('published');
    expect((await search(db, 'cong dan so')).hits.map((h) => h.id)).toEqual([id]);
    expect((await listPublished(db, { unitId: u.prov })).rows.map((r) => r.id)).toContain(id);
    expect((await listPublished(db, { unitId: u.other })).rows.map((r) => r.id)).not.toContain(id);
    await expect(reviewResource(db, ids.organiser!, id, 'publish', '')).resolves.toEqual({ ok: false, code: 'state' }); // twice
  });

  it('keeps a version history of edits to a published resource and reindexes it', async () => {
    const id = unwrap(await createResource(db, ids.teacher!, resourceInput(u.school!, { title: 'Bài viết về đọc sách' })));
    await submitResource(db, ids.teacher!, id);
    await reviewResource(db, ids.organiser!, id, 'publish', '');
    // Each edit of a published resource waits for a reviewer (security review, finding 6).
    await updateResource(db, ids.teacher!, id, resourceInput(u.school!, { title: 'Văn hóa đọc trong gia đình' }));
    await approvePendingEdit(db, ids.organiser!, id);
    await updateResource(db, ids.teacher!, id, resourceInput(u.school!, { title: 'Văn hóa đọc trong gia đình (bản 3)' }));
    await approvePendingEdit(db, ids.organiser!, id);
    const r = await getResource(db, id);
    expect(r!.status).toBe('published');
    expect(r!.version).toBe(3);
    const versions = await listVersions(db, id);
    expect(versions.map((v) => [v.version, JSON.parse(v.snapshot).title])).toEqual([
      [2, 'Văn hóa đọc trong gia đình'],
      [1, 'Bài viết về đọc sách'],
    ]);
    expect((await search(db, 'van hoa doc gia dinh')).hits.map((h) => h.id)).toEqual([id]);
    expect((await search(db, 'doc sach', {})).hits.map((h) => h.id)).not.toContain(id);
    await expect(updateResource(db, ids.citizen!, id, resourceInput(u.school!))).resolves.toEqual({ ok: false, code: 'forbidden' });
  });

  it('refuses to submit a video without a file or stream', async () => {
    const id = unwrap(await createResource(db, ids.teacher!, resourceInput(u.school!, { kind: 'video', bodyMd: '' })));
    expect(await submitResource(db, ids.teacher!, id)).toEqual({ ok: false, code: 'no_source' });
  });

  it('counts views and completions (90 %) for the author, and resumes', async () => {
    const id = unwrap(
      await createResource(db, ids.teacher!, resourceInput(u.school!, { kind: 'video', hlsUrl: 'https://example.org/a.m3u8' })),
    );
    await submitResource(db, ids.teacher!, id);
    await reviewResource(db, ids.organiser!, id, 'publish', '');
    await recordView(db, id);
    await recordView(db, id);
    // Heartbeats as the video plays (watch time is credited on the server against the clock).
    const t0 = Date.parse('2026-11-30T09:00:00Z');
    await saveProgress(db, ids.citizen!, id, 0, 100, t0);
    expect((await saveProgress(db, ids.citizen!, id, 30, 100, t0 + 30_000)).completed).toBe(false);
    expect((await getProgress(db, ids.citizen!, id))!.position_seconds).toBe(30);
    expect((await saveProgress(db, ids.citizen!, id, 91, 100, t0 + 91_000)).completed).toBe(true);
    expect((await saveProgress(db, ids.citizen!, id, 5, 100, t0 + 95_000)).completed).toBe(true); // rewatching keeps completion
    const mine = (await listMine(db, ids.teacher!)).find((m) => m.id === id)!;
    expect(mine.views).toBe(2);
    expect(Number(mine.completions)).toBe(1);
    // The player's beacon (the route): a garbled position is a 400 that keeps the saved place, never a 500.
    const beacon = (form: Record<string, string>) =>
      callRoute(progressAction, { db, userId: ids.citizen!, path: `/resources/${id}/progress`, params: { id }, form });
    for (const position of ['abc', '-5', '1e9', '']) expect((await beacon({ position, duration: '100' })).status).toBe(400);
    expect((await getProgress(db, ids.citizen!, id))!.position_seconds).toBe(5);
    // A length the player doesn't know (before metadata, a live stream) is no error.
    for (const duration of ['', 'Infinity', 'NaN']) expect((await beacon({ position: '41', duration })).status).toBe(200);
    expect((await beacon({ position: '42' })).status).toBe(200);
    expect((await getProgress(db, ids.citizen!, id))!.position_seconds).toBe(42);
  });

  it('renders a hostile Markdown body inert', async () => {
    const id = unwrap(
      await createResource(
        db,
        ids.teacher!,
        resourceInput(u.school!, {
          bodyMd:
            'Xin chào <script>alert(1)</script>\n\n<img src="x" onerror="alert(2)">\n\n[bấm](javascript:alert(3)) <a href="javascript:alert(4)">x</a> <iframe src="https://evil"></iframe>',
        }),
      ),
    );
    await submitResource(db, ids.teacher!, id);
    await reviewResource(db, ids.organiser!, id, 'publish', '');
    const html = (await getResourceEmbed(db, id))!.articleHtml!;
    expect(html).toContain('Xin chào');
    expect(html).not.toMatch(/<script|onerror|javascript:|<iframe/i);
  });

  it('rejects uploads of the wrong type or too big, leaving nothing on disk', async () => {
    const files = () =>
      fs.existsSync(storage)
        ? fs.readdirSync(storage, { recursive: true }).filter((f) => fs.statSync(path.join(storage, String(f))).isFile())
        : [];
    const before = files().length;
    // an HTML file named .mp4
    expect(
      await storeUpload(chunks('<html><script>alert(1)</script></html>'), { slot: 'media', kind: 'video', filename: 'bai-giang.mp4' }),
    ).toEqual({ ok: false, code: 'file_type' });
    // a PDF offered as a video
    expect(await storeUpload(chunks('%PDF-1.4\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\n'), { slot: 'media', kind: 'video' })).toEqual({
      ok: false,
      code: 'file_type',
    });
    // captions that are not WebVTT
    expect(await storeUpload(chunks('1\n00:00:01,000 --> 00:00:02,000\nSRT\n'), { slot: 'captions', kind: 'video' })).toEqual({
      ok: false,
      code: 'file_type',
    });
    // too big: the stream is cut as soon as it passes the limit
    expect(await storeUpload(chunks(Buffer.alloc(600), Buffer.alloc(600)), { slot: 'media', kind: 'document', maxBytes: 1000 })).toEqual({
      ok: false,
      code: 'file_too_big',
    });
    expect(files().length).toBe(before);
    // a real WebVTT and a PDF are accepted
    const vtt = await storeUpload(chunks('WEBVTT\n\n00:00.000 --> 00:02.000\nXin chào\n'), { slot: 'captions', kind: 'video' });
    expect(vtt).toMatchObject({ ok: true, value: { mime: 'text/vtt' } });
    const pdf = await storeUpload(chunks('%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n'), {
      slot: 'media',
      kind: 'document',
      filename: 'sach.pdf',
    });
    expect(pdf).toMatchObject({ ok: true, value: { mime: 'application/pdf' } });
    expect(files().length).toBe(before + 2);
  });

  it('a reviewer takes a published resource down (with a reason); a draft cannot be "withdrawn"', async () => {
    const id = unwrap(await createResource(db, ids.teacher!, resourceInput(u.school!, { title: 'Gỡ xuống thử nghiệm' })));
    await expect(withdrawResource(db, ids.organiser!, id, 'Không phù hợp')).resolves.toEqual({ ok: false, code: 'state' });
    expect((await getResource(db, id))?.status).toBe('draft');
    await submitResource(db, ids.teacher!, id);
    await reviewResource(db, ids.organiser!, id, 'publish', '');
    expect((await search(db, 'go xuong thu nghiem')).total).toBe(1);
    await expect(withdrawResource(db, ids.farOrganiser!, id, 'Không phù hợp')).resolves.toEqual({ ok: false, code: 'forbidden' });
    await expect(withdrawResource(db, ids.organiser!, id, '  ')).resolves.toEqual({ ok: false, code: 'comment_required' });
    await withdrawResource(db, ids.organiser!, id, 'Sai bản quyền hình ảnh');
    const r = await getResource(db, id);
    expect(r).toMatchObject({ status: 'returned', review_comment: 'Sai bản quyền hình ảnh' });
    expect((await search(db, 'go xuong thu nghiem')).total).toBe(0);
  });
});
