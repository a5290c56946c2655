/**
 * The outreach kit on both dialects: who may post news, edit slogans and the loudspeaker text
 * (organisers of the unit or above it; never a sibling's or an outsider), the draft-plan rule,
 * the announcement generated from the plan and its version check, and the Atom feeds (valid XML,
 * absolute URLs from the configured origin, hostile titles escaped). Share cards: size and cache.
 */
import fs from 'node:fs';
import path from 'node:path';

import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import type { DB } from '~/db/connection';
import { grantRole } from '~/domain/accounts.server';
import { kitAccess } from '~/domain/outreach/access.server';
import { generateAnnouncement, saveAnnouncement, savedAnnouncement } from '~/domain/outreach/announcement.server';
import { atomFeed, xmlEscape } from '~/domain/outreach/atom.server';
import { announcementPage, printablePage, weekKitPage } from '~/domain/outreach/kit.server';
import { deleteNews, newsOfUnit, newsOfWeek, postNews } from '~/domain/outreach/news.server';
import { renderShareCard, shareCardPng } from '~/domain/outreach/share-card.server';
import { addSlogan, deleteSlogan, slogansFor, updateSlogan } from '~/domain/outreach/slogans.server';
import { addActivity, ensurePlan, getActivities, setPlanStatus } from '~/domain/plans.server';
import { createUnit } from '~/domain/units.server';
import { syncWeeksFromContent } from '~/domain/weeks.server';
import { resetEnvCache } from '~/lib/env.server';
import { newId } from '~/lib/ids.server';
import { setStorageRoot } from '~/lib/storage/index.server';

import { dialects, freshDb, TMP_DIR } from '../helpers/db';
import { makeUser } from '../helpers/users';

const ORIGIN = 'https://tuyentruyen.example.vn';
const TMP = path.join(TMP_DIR, `outreach-${process.pid}-${newId(6)}`);
let savedPublicUrl: string | undefined;

beforeAll(() => {
  savedPublicUrl = process.env.PUBLIC_URL;
  process.env.PUBLIC_URL = ORIGIN;
  resetEnvCache();
  fs.mkdirSync(TMP, { recursive: true });
  setStorageRoot(path.join(TMP, 'blobs'));
});
afterAll(() => {
  if (savedPublicUrl === undefined) delete process.env.PUBLIC_URL;
  else process.env.PUBLIC_URL = savedPublicUrl;
  resetEnvCache();
  setStorageRoot(null);
  fs.rmSync(TMP, { recursive: true, force: true });
});

async function world(db: DB) {
  await syncWeeksFromContent(db);
  const root = await createUnit(db, { parentId: null, kind: 'ministry', slug: `bo-${newId(6)}`, name: 'Bộ Giáo dục và Đào tạo' });
  const district = await createUnit(db, { parentId: root.id, kind: 'district', slug: `hd-${newId(6)}`, name: 'Quận Hà Đông' });
  const ward = await createUnit(db, { parentId: district.id, kind: 'ward', slug: `bg-${newId(6)}`, name: 'Phường Biên Giang' });
  const sibling = await createUnit(db, { parentId: district.id, kind: 'ward', slug: `vp-${newId(6)}`, name: 'Phường Vạn Phúc' });
  const user = (name: string) => makeUser(db, name, 1980);
  const wardOrganiser = await user('Ban tổ chức Biên Giang');
  await grantRole(db, { userId: wardOrganiser, unitId: ward.id, role: 'organiser', grantedBy: null });
  const districtOrganiser = await user('Ban tổ chức Hà Đông');
  await grantRole(db, { userId: districtOrganiser, unitId: district.id, role: 'organiser', grantedBy: null });
  const siblingOrganiser = await user('Ban tổ chức Vạn Phúc');
  await grantRole(db, { userId: siblingOrganiser, unitId: sibling.id, role: 'organiser', grantedBy: null });
  const wardTeacher = await user('Cô giáo');
  await grantRole(db, { userId: wardTeacher, unitId: ward.id, role: 'teacher', grantedBy: null });
  const citizen = await user('Người dân');
  const rootOrganiser = await user('Bộ');
  await grantRole(db, { userId: rootOrganiser, unitId: root.id, role: 'organiser', grantedBy: null });
  const plan = await ensurePlan(db, ward.id, 2024, wardOrganiser);
  await addActivity(db, plan.id, {
    title: 'Tuyên truyền trên loa truyền thanh',
    kind: 'outreach',
    startsAt: '2024-09-30T23:30:00.000Z',
    endsAt: '2024-10-07T10:30:00.000Z',
    place: 'Đài truyền thanh phường',
    onlineUrl: null,
    audience: 'Nhân dân',
  });
  await addActivity(db, plan.id, {
    title: 'Lễ khai mạc Tuần lễ',
    kind: 'ceremony',
    startsAt: '2024-10-03T00:30:00.000Z',
    endsAt: '2024-10-03T03:00:00.000Z',
    place: 'Trường THCS Biên Giang',
    onlineUrl: null,
    audience: 'Mọi người',
  });
  return { root, district, ward, sibling, wardOrganiser, districtOrganiser, siblingOrganiser, wardTeacher, citizen, rootOrganiser, plan };
}

describe.each(dialects)('outreach (%s)', (dialect) => {
  let db: DB;
  let cleanup: () => Promise<void>;
  let w: Awaited<ReturnType<typeof world>>;
  beforeEach(async () => {
    ({ db, cleanup } = await freshDb(dialect));
    w = await world(db);
  });
  afterEach(async () => {
    await cleanup();
  });

  it('a draft plan’s kit is hidden from outsiders and open to the unit’s organisers; published, it is public', async () => {
    expect((await kitAccess(db, 2024, w.ward.slug, null)).status).toBe('hidden');
    expect((await kitAccess(db, 2024, w.ward.slug, w.siblingOrganiser)).status).toBe('hidden');
    expect((await kitAccess(db, 2024, w.ward.slug, w.wardTeacher)).status).toBe('hidden');
    const own = await kitAccess(db, 2024, w.ward.slug, w.wardOrganiser);
    expect(own.status === 'ok' && own.canManage).toBe(true);
    const above = await kitAccess(db, 2024, w.ward.slug, w.districtOrganiser);
    expect(above.status === 'ok' && above.canManage).toBe(true);
    expect((await kitAccess(db, 1999, w.ward.slug, w.wardOrganiser)).status).toBe('missing');
    expect((await kitAccess(db, 2024, 'khong-co', w.wardOrganiser)).status).toBe('missing');
    await setPlanStatus(db, w.plan.id, 'published');
    const pub = await kitAccess(db, 2024, w.ward.slug, null);
    expect(pub.status === 'ok' && !pub.canManage).toBe(true);
  });

  it('slogans: organisers of the unit or above edit its list; a sibling, a teacher or a citizen cannot; lists inherit from above', async () => {
    expect((await addSlogan(db, w.siblingOrganiser, { year: 2024, unitId: w.ward.id, text: 'Không được' })).ok).toBe(false);
    expect(await addSlogan(db, w.wardTeacher, { year: 2024, unitId: w.ward.id, text: 'Không được' })).toEqual({
      ok: false,
      code: 'forbidden',
    });
    expect(await addSlogan(db, w.citizen, { year: 2024, unitId: w.ward.id, text: 'Không được' })).toEqual({ ok: false, code: 'forbidden' });
    const own = await addSlogan(db, w.wardOrganiser, { year: 2024, unitId: w.ward.id, text: '  Đọc sách   hôm nay, vững bước ngày mai! ' });
    expect(own.ok).toBe(true);
    const fromDistrict = await addSlogan(db, w.districtOrganiser, {
      year: 2024,
      unitId: w.district.id,
      text: 'Hà Đông chung tay xây dựng xã hội học tập',
    });
    expect(fromDistrict.ok).toBe(true);
    expect(await addSlogan(db, w.wardOrganiser, { year: 2024, unitId: w.ward.id, text: '   ' })).toEqual({ ok: false, code: 'empty' });
    expect(await addSlogan(db, w.wardOrganiser, { year: 2024, unitId: w.ward.id, text: 'x'.repeat(201) })).toEqual({
      ok: false,
      code: 'too_long',
    });
    expect(await addSlogan(db, w.wardOrganiser, { year: 1999, unitId: w.ward.id, text: 'Năm không có' })).toEqual({
      ok: false,
      code: 'not_found',
    });

    const list = await slogansFor(db, 2024, w.ward.id);
    expect(list.map((s) => [s.text, s.own])).toEqual([
      ['Đọc sách hôm nay, vững bước ngày mai!', true],
      ['Hà Đông chung tay xây dựng xã hội học tập', false],
    ]);
    // The ward's organiser cannot change the district's slogan; the sibling sees only the district's.
    const districtSlogan = list[1]!.id;
    expect(await updateSlogan(db, w.wardOrganiser, districtSlogan, 'Sửa trộm')).toEqual({ ok: false, code: 'forbidden' });
    expect(await deleteSlogan(db, w.siblingOrganiser, list[0]!.id)).toEqual({ ok: false, code: 'forbidden' });
    expect((await slogansFor(db, 2024, w.sibling.id)).map((s) => s.text)).toEqual(['Hà Đông chung tay xây dựng xã hội học tập']);
    expect((await updateSlogan(db, w.districtOrganiser, list[0]!.id, 'Mỗi người dân là một công dân học tập!')).ok).toBe(true);
    expect((await deleteSlogan(db, w.wardOrganiser, list[0]!.id)).ok).toBe(true);
    expect((await slogansFor(db, 2024, w.ward.id)).map((s) => s.text)).toEqual(['Hà Đông chung tay xây dựng xã hội học tập']);
  });

  it('a Week without slogans offers ones made from its theme (banner and poster use them)', async () => {
    await setPlanStatus(db, w.plan.id, 'published');
    const page = await printablePage(db, 2024, w.ward.slug, null, 'vi');
    expect(page.status).toBe('ok');
    if (page.status !== 'ok') return;
    expect(page.slogans[0]).toContain('Phát triển văn hóa đọc thúc đẩy học tập suốt đời');
    expect(page.opening.place).toBe('Trường THCS Biên Giang');
    const kit = await weekKitPage(db, 2024, null);
    expect(kit.status === 'ok' && kit.suggested.length > 0 && !kit.canManage).toBe(true);
  });

  it('news: the unit’s organisers post and delete; others are refused; lists per unit and per Week', async () => {
    const input = {
      year: 2024,
      unitId: w.ward.id,
      title: 'Khai mạc Tuần lễ',
      bodyMd: 'Sáng **03/10**.',
      newsDate: '2024-10-03',
      photo: null,
    };
    expect(await postNews(db, w.siblingOrganiser, input)).toEqual({ ok: false, code: 'forbidden' });
    expect(await postNews(db, w.citizen, input)).toEqual({ ok: false, code: 'forbidden' });
    expect(await postNews(db, w.wardOrganiser, { ...input, year: 1999 })).toEqual({ ok: false, code: 'not_found' });
    const a = await postNews(db, w.wardOrganiser, input);
    const b = await postNews(db, w.districtOrganiser, { ...input, title: 'Tổng kết Tuần lễ', newsDate: '2024-10-07' });
    expect(a.ok && b.ok).toBe(true);
    const news = await newsOfUnit(db, w.ward.id, { year: 2024 });
    expect(news.map((n) => n.title)).toEqual(['Tổng kết Tuần lễ', 'Khai mạc Tuần lễ']);
    expect(news[1]!.html).toContain('<strong>03/10</strong>');
    expect((await newsOfWeek(db, 2024)).length).toBe(2);
    if (!a.ok) return;
    expect(await deleteNews(db, w.siblingOrganiser, a.value)).toEqual({ ok: false, code: 'forbidden' });
    expect(await deleteNews(db, w.wardTeacher, a.value)).toEqual({ ok: false, code: 'forbidden' });
    expect((await deleteNews(db, w.wardOrganiser, a.value)).ok).toBe(true);
    expect(await deleteNews(db, w.wardOrganiser, a.value)).toEqual({ ok: false, code: 'not_found' });
    expect((await newsOfUnit(db, w.ward.id)).map((n) => n.title)).toEqual(['Tổng kết Tuần lễ']);
  });

  it('news Markdown is sanitised: no script, no event handler, no javascript: link', async () => {
    const r = await postNews(db, w.wardOrganiser, {
      year: 2024,
      unitId: w.ward.id,
      title: 'Tin',
      bodyMd: '<script>alert(1)</script><img src=x onerror="alert(2)"> [bấm](javascript:alert(3))',
      newsDate: '2024-10-02',
      photo: null,
    });
    expect(r.ok).toBe(true);
    const [n] = await newsOfUnit(db, w.ward.id);
    expect(n!.html).not.toMatch(/<script|onerror|href="javascript:/i);
    expect(n!.html).toContain('<img src="x"');
  });

  it('the announcement is generated from the plan, saved by organisers only, and a stale save is refused', async () => {
    const page = await announcementPage(db, 2024, w.ward.slug, w.wardOrganiser, 'vi');
    expect(page.status).toBe('ok');
    if (page.status !== 'ok') return;
    expect(page.version).toBe(0);
    expect(page.text).toContain('Phường Biên Giang');
    expect(page.text).toContain('“Phát triển văn hóa đọc thúc đẩy học tập suốt đời”');
    expect(page.text).toContain('từ ngày 01/10/2024 đến ngày 07/10/2024');
    expect(page.text).toContain('Lễ khai mạc được tổ chức vào lúc 7 giờ 30 ngày 03/10/2024, tại Trường THCS Biên Giang.');
    expect(page.text).toContain('- Tuyên truyền trên loa truyền thanh: 6 giờ 30 ngày 01/10/2024, tại Đài truyền thanh phường.');
    const activities = await getActivities(db, w.plan.id);
    const week = (await db.selectFrom('weeks').selectAll().where('year', '=', 2024).executeTakeFirstOrThrow())!;
    expect(generateAnnouncement(week, w.ward, activities, 'en')).toContain(
      'The opening ceremony takes place at 7:30 on 03/10/2024 at Trường THCS Biên Giang.',
    );

    const input = { year: 2024, unitId: w.ward.id, text: 'Kính thưa bà con!', version: 0 };
    expect(await saveAnnouncement(db, w.siblingOrganiser, input)).toEqual({ ok: false, code: 'forbidden' });
    expect(await saveAnnouncement(db, w.citizen, input)).toEqual({ ok: false, code: 'forbidden' });
    expect(await saveAnnouncement(db, w.wardOrganiser, input)).toEqual({ ok: true, value: 1 });
    // A second organiser who opened the generated text (version 0) cannot overwrite silently.
    expect(await saveAnnouncement(db, w.districtOrganiser, { ...input, text: 'Bản khác' })).toEqual({ ok: false, code: 'conflict' });
    expect(await saveAnnouncement(db, w.districtOrganiser, { ...input, text: 'Bản của quận', version: 1 })).toEqual({ ok: true, value: 2 });
    expect(await saveAnnouncement(db, w.wardOrganiser, { ...input, text: 'Muộn', version: 1 })).toEqual({ ok: false, code: 'conflict' });
    expect((await savedAnnouncement(db, 2024, w.ward.id))?.text).toBe('Bản của quận');
    expect((await announcementPage(db, 2024, w.ward.slug, w.wardOrganiser, 'vi')).status === 'ok').toBe(true);
  });

  it('Atom feeds are valid XML with absolute URLs from the configured origin, and hostile titles stay text', async () => {
    const hostile = '<script>alert("x")</script> & ]]> \u0001 “Đọc” \'ok\'';
    const r = await postNews(db, w.wardOrganiser, {
      year: 2024,
      unitId: w.ward.id,
      title: hostile,
      bodyMd: 'Xem [kế hoạch](/weeks/2024) và <b>ảnh</b>.',
      newsDate: '2024-10-04',
      photo: { key: 'abc123def456.png', alt: 'Ảnh "khai mạc" <1>' },
    });
    expect(r.ok).toBe(true);
    const items = await newsOfWeek(db, 2024);
    const xml = atomFeed(
      { selfPath: '/weeks/2024/outreach/news.atom', pagePath: '/weeks/2024/outreach', title: 'Tin & <tức>', authorName: 'Bộ' },
      items,
    );
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml).not.toContain('<script>');
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@' }).parse(xml) as {
      feed: {
        title: string;
        id: string;
        link: Array<{ '@href': string }>;
        entry: { title: { '#text': string }; id: string; link: { '@href': string }; content: { '#text': string } };
      };
    };
    expect(doc.feed.title).toBe('Tin & <tức>');
    const entry = doc.feed.entry;
    expect(entry.title['#text']).toBe(hostile.replace('\u0001', ''));
    const urls = [doc.feed.id, ...doc.feed.link.map((l) => l['@href']), entry.id, entry.link['@href']];
    for (const u of urls) expect(u.startsWith(`${ORIGIN}/`)).toBe(true);
    expect(entry.link['@href']).toBe(`${ORIGIN}/units/${w.ward.slug}/news#news-${r.ok ? r.value : ''}`);
    // The HTML content carries absolute links and the photo, escaped once inside the XML.
    expect(entry.content['#text']).toContain(`href="${ORIGIN}/weeks/2024"`);
    expect(entry.content['#text']).toContain(`src="${ORIGIN}/units/${w.ward.slug}/news/`);
    expect(entry.content['#text']).toContain('alt="Ảnh &quot;khai mạc&quot; &lt;1&gt;"');
    expect(xmlEscape('a\u0000b<')).toBe('ab&lt;');
  });
});

describe('share cards', () => {
  const card = {
    year: 2024,
    eyebrow: 'Tuần lễ hưởng ứng học tập suốt đời 2024',
    theme: 'Phát triển văn hóa đọc thúc đẩy học tập suốt đời',
    unitName: 'Phường Biên Giang',
    startsOn: '2024-10-01',
    endsOn: '2024-10-07',
    siteName: 'hoctapsuotdoi.vn',
  };

  it('is a 1200×630 PNG, cached on disk by content, and a changed theme makes a new card', async () => {
    const png = await renderShareCard(card);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1200, 630]);
    const dir = path.join(TMP, 'data');
    const first = await shareCardPng(card, dir);
    const again = await shareCardPng(card, dir);
    expect(again.etag).toBe(first.etag);
    expect(fs.readdirSync(path.join(dir, 'cache', 'share-cards'))).toEqual([`${first.etag.slice(1, -1)}.png`]);
    const changed = await shareCardPng({ ...card, theme: 'Xây dựng năng lực tự học trong kỷ nguyên số' }, dir);
    expect(changed.etag).not.toBe(first.etag);
    expect(fs.readdirSync(path.join(dir, 'cache', 'share-cards')).length).toBe(2);
  });
});
