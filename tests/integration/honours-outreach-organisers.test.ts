/**
 * Issue #16, the organisers' side of honours and outreach: notices of nominations through the
 * notification centre, the photo checks (content, size, inflation), and the news life cycle
 * (draft, schedule, publish, unpublish, optimistic edit) with its visibility and permissions.
 */
import fs from 'node:fs';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { DB } from '~/db/connection';
import { createNomination, decideNomination, revokeHonour, submitNomination } from '~/domain/honours/nominations.server';
import { addPhoto } from '~/domain/honours/photos.server';
import { listNotifications } from '~/domain/notifications/notify.server';
import { NOTIFICATION_TYPES } from '~/domain/notifications/types';
import {
  deleteNews,
  newsForEdit,
  newsOfUnit,
  newsOfWeek,
  newsPhoto,
  postNews,
  publishDueNews,
  setNewsPublished,
  updateNews,
} from '~/domain/outreach/news.server';
import { checkImageHeader } from '~/lib/images.server';
import { newKey, putBuffer, setStorageRoot, statBlob } from '~/lib/storage/index.server';

import { dialects, freshDb, TMP_DIR } from '../helpers/db';
import { honoursWorld } from '../helpers/honours';

// A real 1×1 PNG, and the same header claiming 50,000 × 50,000 pixels (a decompression bomb).
const PNG_1X1 = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
function bombPng(): Buffer {
  const b = Buffer.from(PNG_1X1);
  b.writeUInt32BE(50_000, 16);
  b.writeUInt32BE(50_000, 20);
  return b;
}

async function world(db: DB) {
  const h = await honoursWorld(db);
  const { ward, sibling, school, province } = h;
  const schoolOrg = await h.organiser('BTC trường', school.id);
  const schoolOrg2 = await h.organiser('BTC trường 2', school.id);
  const wardOrg = await h.organiser('BTC phường', ward.id);
  const provinceOrg = await h.organiser('BTC thành phố', province.id);
  const siblingOrg = await h.organiser('BTC phường bên', sibling.id);
  return { ...h, schoolOrg, schoolOrg2, wardOrg, provinceOrg, siblingOrg };
}

const input = (unitId: string) => ({
  weekYear: 2024,
  unitId,
  category: 'self_learner' as const,
  nomineeName: 'Nguyễn Thị Hoa',
  nomineeEmail: null,
  nomineeBirthYear: 1970,
  consent: false,
  consentBy: null,
  headline: 'Đọc 120 cuốn sách trong năm',
  citationMd: 'Cô **Hoa** lập tủ sách gia đình',
  evidence: [],
});

describe.each(dialects)('organisers of honours and outreach (%s)', (dialect) => {
  let db: DB;
  let cleanup: () => Promise<void>;
  const blobs = path.join(TMP_DIR, `blobs-h16-${process.pid}-${dialect}`);
  beforeEach(async () => {
    ({ db, cleanup } = await freshDb(dialect));
    setStorageRoot(blobs);
  });
  afterEach(async () => {
    setStorageRoot(null);
    fs.rmSync(blobs, { recursive: true, force: true });
    await cleanup();
  });

  it('notifies the approver unit when a nomination reaches it, and the nominator of each outcome', async () => {
    const w = await world(db);
    const c = await createNomination(db, w.schoolOrg, input(w.school.id));
    if (!c.ok) throw new Error(c.code);
    const id = c.value.id;
    expect((await submitNomination(db, w.schoolOrg, id)).ok).toBe(true);
    // The ward's own organiser hears of it (not the province above, nor the sibling, nor the submitter).
    const toWard = await listNotifications(db, w.wardOrg);
    expect(toWard.map((n) => n.type)).toEqual(['honours.submitted']);
    expect(toWard[0]!.url).toBe(`/honours/${id}`);
    expect(toWard[0]!.params).toMatchObject({ nominee: 'Nguyễn Thị Hoa', unit: 'Trường THCS Thử' });
    expect(await listNotifications(db, w.provinceOrg)).toEqual([]);
    expect(await listNotifications(db, w.siblingOrg)).toEqual([]);
    expect(await listNotifications(db, w.schoolOrg)).toEqual([]);

    expect((await decideNomination(db, w.wardOrg, id, { decision: 'return', comment: 'Thêm minh chứng' })).ok).toBe(true);
    const returned = await listNotifications(db, w.schoolOrg);
    expect(returned.map((n) => n.type)).toEqual(['honours.returned']);
    expect(returned[0]!.params).toMatchObject({ comment: 'Thêm minh chứng', approver: 'Phường Biên Thử' });

    // A second organiser resubmits: both the creator and the resubmitter hear of the approval.
    expect((await submitNomination(db, w.schoolOrg2, id)).ok).toBe(true);
    expect((await listNotifications(db, w.wardOrg)).filter((n) => n.type === 'honours.submitted')).toHaveLength(2);
    expect((await decideNomination(db, w.wardOrg, id, { decision: 'approve' })).ok).toBe(true);
    expect((await listNotifications(db, w.schoolOrg)).map((n) => n.type)).toContain('honours.approved');
    expect((await listNotifications(db, w.schoolOrg2)).map((n) => n.type)).toContain('honours.approved');

    expect((await revokeHonour(db, w.wardOrg, id, 'Trùng lặp')).ok).toBe(true);
    expect((await listNotifications(db, w.schoolOrg))[0]!.type).toBe('honours.revoked');
    // Mail: adults at once, minors never immediately.
    const mail = await db.selectFrom('notif_notifications').select(['type', 'email']).where('user_id', '=', w.wardOrg).execute();
    expect(mail.every((m) => m.email === 'pending')).toBe(true);
    for (const t of ['honours.submitted', 'honours.approved', 'honours.returned', 'honours.revoked', 'honours.awarded'] as const)
      expect(NOTIFICATION_TYPES[t].minor).not.toBe('immediate');
  });

  it('checks a nomination photo by content, size and inflation', async () => {
    const w = await world(db);
    const c = await createNomination(db, w.schoolOrg, input(w.school.id));
    if (!c.ok) throw new Error(c.code);
    const id = c.value.id;
    expect(checkImageHeader(PNG_1X1, 'image/png')).toEqual({ ok: true, width: 1, height: 1 });
    expect(checkImageHeader(PNG_1X1, 'image/jpeg')).toEqual({ ok: false, code: 'not_image' });
    expect(await addPhoto(db, w.schoolOrg, id, bombPng(), 'Bom')).toEqual({ ok: false, code: 'too_many_pixels' });
    expect(await addPhoto(db, w.schoolOrg, id, new TextEncoder().encode('<svg onload=alert(1)>'), 'x')).toEqual({
      ok: false,
      code: 'not_image',
    });
    expect(await addPhoto(db, w.schoolOrg, id, new Uint8Array(5 * 1024 * 1024 + 1), 'x')).toEqual({ ok: false, code: 'too_large' });
    expect(await addPhoto(db, w.siblingOrg, id, PNG_1X1, 'x')).toEqual({ ok: false, code: 'not_found' });
    const ok = await addPhoto(db, w.schoolOrg, id, PNG_1X1, 'Cô Hoa bên tủ sách');
    expect(ok.ok).toBe(true);
    expect(await db.selectFrom('honour_photos').select(['mime', 'alt']).where('nomination_id', '=', id).execute()).toEqual([
      { mime: 'image/png', alt: 'Cô Hoa bên tủ sách' },
    ]);
  });

  it('news: draft, schedule, publish, unpublish, edit with a version check; visible only when public', async () => {
    const w = await world(db);
    const t0 = new Date('2024-10-01T02:00:00.000Z');
    const base = { year: 2024, unitId: w.ward.id, bodyMd: 'Nội dung <script>alert(1)</script>', newsDate: '2024-10-01', photo: null };
    // Only the unit's organisers (or above) write; the sibling ward cannot.
    expect(await postNews(db, w.siblingOrg, { ...base, title: 'X' }, t0)).toEqual({ ok: false, code: 'forbidden' });
    const draft = await postNews(db, w.wardOrg, { ...base, title: 'Bản nháp', publish: { mode: 'draft' } }, t0);
    const later = await postNews(
      db,
      w.provinceOrg,
      { ...base, title: 'Hẹn giờ', publish: { mode: 'schedule', at: '2024-10-02T01:00:00.000Z' } },
      t0,
    );
    const now = await postNews(db, w.wardOrg, { ...base, title: 'Khai mạc' }, t0);
    if (!draft.ok || !later.ok || !now.ok) throw new Error('post');
    const titles = async (at: Date, withUnpublished = false) =>
      (await newsOfUnit(db, w.ward.id, { year: 2024, now: at, withUnpublished })).map((n) => n.title).sort();
    expect(await titles(t0)).toEqual(['Khai mạc']);
    expect(await titles(t0, true)).toEqual(['Bản nháp', 'Hẹn giờ', 'Khai mạc']);
    expect((await newsOfUnit(db, w.ward.id, { now: t0 }))[0]!.html).not.toContain('<script');
    // The scheduled item is public from its time, before the job has run; the job then marks it.
    const t1 = new Date('2024-10-02T01:00:00.000Z');
    expect(await titles(t1)).toEqual(['Hẹn giờ', 'Khai mạc']);
    expect((await newsOfWeek(db, 2024, 50, t0)).map((n) => n.title)).toEqual(['Khai mạc']);
    expect(await publishDueNews(db, t1)).toBe(1);
    expect(await publishDueNews(db, t1)).toBe(0);

    // Publish the draft, unpublish the opening news.
    expect(await setNewsPublished(db, w.siblingOrg, draft.value, true, t1)).toEqual({ ok: false, code: 'not_found' });
    expect((await setNewsPublished(db, w.wardOrg, draft.value, true, t1)).ok).toBe(true);
    expect((await setNewsPublished(db, w.wardOrg, now.value, false, t1)).ok).toBe(true);
    expect(await titles(t1)).toEqual(['Bản nháp', 'Hẹn giờ']);
    expect(await setNewsPublished(db, w.siblingOrg, draft.value, false, t1)).toEqual({ ok: false, code: 'forbidden' });

    // Two organisers edit at once: the second is told (conflict), nothing is overwritten.
    const item = await newsForEdit(db, w.wardOrg, w.ward.id, draft.value);
    expect(item?.version).toBeGreaterThan(0);
    const edit = (title: string) => ({
      title,
      bodyMd: 'Sửa',
      newsDate: '2024-10-02',
      photo: null,
      photoAlt: '',
      removePhoto: false,
      publish: { mode: 'now' as const },
      version: item!.version,
    });
    expect((await updateNews(db, w.wardOrg, draft.value, edit('Bản của phường'), t1)).ok).toBe(true);
    expect(await updateNews(db, w.provinceOrg, draft.value, edit('Bản của thành phố'), t1)).toEqual({ ok: false, code: 'conflict' });
    const after = await newsForEdit(db, w.wardOrg, w.ward.id, draft.value);
    expect(after?.title).toBe('Bản của phường');
    expect(after?.status).toBe('published');
    expect(await newsForEdit(db, w.siblingOrg, w.ward.id, draft.value)).toBeNull();

    // A cover photo of a draft is served only to the unit's organisers; deleting removes it.
    const key = newKey('png');
    await putBuffer(key, PNG_1X1);
    const withPhoto = await postNews(db, w.wardOrg, { ...base, title: 'Ảnh', photo: { key, alt: 'Ảnh' }, publish: { mode: 'draft' } }, t1);
    if (!withPhoto.ok) throw new Error('photo');
    expect(await newsPhoto(db, w.ward.slug, withPhoto.value, null, t1)).toBeNull();
    expect(await newsPhoto(db, w.ward.slug, withPhoto.value, w.wardOrg, t1)).toEqual({ key, isPublic: false });
    expect((await deleteNews(db, w.wardOrg, withPhoto.value)).ok).toBe(true);
    expect(await statBlob(key)).toBeNull();
  });
});
