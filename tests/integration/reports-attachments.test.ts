/**
 * A report's attachments on both dialects: a unit's organiser uploads through the page's
 * multipart form (works without JavaScript); files are accepted by their bytes (a text file named
 * .pdf is refused with the message next to the field; a photo named .pdf is kept as a photo; an
 * XLSX is an office document), capped in size, in number and in total per report (the caps hold
 * under two uploads at once); listed on the report with name and size; downloaded by those who
 * read the report (the unit, the province above it) and nobody else; removable only while the
 * report is a draft or returned, the file leaving the store with it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, expect, it } from 'vitest';

import { grantRole } from '~/domain/accounts.server';
import { reportAccess } from '~/domain/reports/access.server';
import {
  addAttachment,
  listAttachments,
  MAX_ATTACHMENT_BYTES,
  MAX_ATTACHMENTS,
  removeAttachment,
} from '~/domain/reports/attachments.server';
import { reportXlsx } from '~/domain/reports/exports.server';
import { reviewReport, saveReport } from '~/domain/reports/reports.server';
import { reportView } from '~/domain/reports/view.server';
import { newId } from '~/lib/ids.server';
import { putBuffer, setStorageRoot, statBlob } from '~/lib/storage/index.server';
import { action as reportAction } from '~/routes/weeks.$year.reports.$form.$unit._index';
import { loader as download } from '~/routes/weeks.$year.reports.$form.$unit.attachments.$id';
import { loader as printLoader } from '~/routes/weeks.$year.reports.$form.$unit.print';

import { schoolForm } from '../helpers/reports';
import { callRoute } from '../helpers/routes';
import { insertWeek } from '../helpers/weeks';
import { describeWorld } from '../helpers/world';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
/** The route uses today's date: the test's Week is far ahead, so its report is never locked yet. */
const DURING_WEEK = new Date('2099-10-20T03:00:00Z');

let blobs = '';
beforeAll(() => {
  blobs = fs.mkdtempSync(path.join(os.tmpdir(), 'report-attachments-'));
  setStorageRoot(blobs);
});
afterAll(() => {
  setStorageRoot(null);
  fs.rmSync(blobs, { recursive: true, force: true });
});

/** Every file in the store (refused uploads must leave none behind). */
function storedFiles(): string[] {
  if (!fs.existsSync(blobs)) return [];
  return fs
    .readdirSync(blobs, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => d.name);
}

describeWorld('reports: attachments of a report', (w) => {
  let slug = '';
  let schoolSlug = '';
  let page = '';
  const params = () => ({ year: '2099', form: slug, unit: schoolSlug });

  beforeAll(async () => {
    await insertWeek(w.db, 2099);
    slug = `bc-tep-${newId(6).toLowerCase()}`;
    await schoolForm(w.db, { year: 2099, slug, ownerUnitId: w.units.province, userId: w.users.provinceOrganiser, codes: ['hoat_dong'] });
    schoolSlug = (await w.db.selectFrom('units').select('slug').where('id', '=', w.units.school).executeTakeFirstOrThrow()).slug;
    page = `/weeks/2099/reports/${slug}/${schoolSlug}`;
  });

  const accessOf = async (userId: string) => {
    const a = await reportAccess(w.db, 2099, slug, w.units.school, userId);
    if (a.status !== 'ok') throw new Error(a.status);
    return a;
  };
  const upload = (userId: string, name: string, bytes: Uint8Array, type = 'application/pdf') => {
    const fd = new FormData();
    fd.set('intent', 'attach');
    fd.set('file', new File([new Uint8Array(bytes)], name, { type }));
    return callRoute(reportAction, { db: w.db, userId, path: page, params: params(), multipart: fd });
  };
  const clear = async () => {
    const a = await accessOf(w.users.organiser);
    for (const f of await listAttachments(w.db, a)) expect((await removeAttachment(w.db, a, f.id, DURING_WEEK)).ok).toBe(true);
  };

  it('uploads through the multipart form, checks the bytes, lists and serves the files to those who read the report', async () => {
    const before = storedFiles().length;
    // A text file named .pdf: refused, the message for the file field, nothing kept.
    const bad = await upload(w.users.organiser, 'bien-ban.pdf', Buffer.from('Biên bản họp — không phải PDF.\n'.repeat(20)));
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ fields: { file: { message: 'reports.attachments.errors.fileType' } } });
    expect(storedFiles().length).toBe(before);
    // No file chosen.
    const none = new FormData();
    none.set('intent', 'attach');
    none.set('file', new File([], '', { type: 'application/octet-stream' }));
    const missing = await callRoute(reportAction, { db: w.db, userId: w.users.organiser, path: page, params: params(), multipart: none });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({ fields: { file: { message: 'reports.attachments.errors.missing' } } });

    // A real PDF, a photo whose name claims PDF, and an XLSX (this area's own export).
    expect((await upload(w.users.organiser, 'Biên bản họp.pdf', PDF)).status).toBe(302);
    expect((await upload(w.users.organiser, 'C:\\Ảnh\\khai-mac.pdf', PNG)).status).toBe(302);
    const xlsx = await reportXlsx(w.db, await accessOf(w.users.organiser), 'vi', {
      unit: 'Đơn vị',
      own: 'tự',
      total: 'Tổng',
      yes: 'Có',
      no: 'Không',
    });
    expect((await upload(w.users.organiser, 'so-lieu.xlsx', xlsx, 'application/octet-stream')).status).toBe(302);

    const view = await reportView(w.db, await accessOf(w.users.organiser), 'vi');
    expect(view.can.attach).toBe(true);
    expect(view.attachments.map((f) => [f.name, f.mime, f.size])).toEqual([
      ['Biên bản họp.pdf', 'application/pdf', PDF.length],
      ['khai-mac.pdf', 'image/png', PNG.length],
      ['so-lieu.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', xlsx.length],
    ]);
    const pdf = view.attachments[0]!;

    // The province above reads the report and downloads the file, under its name.
    const got = await callRoute(download, {
      db: w.db,
      userId: w.users.provinceOrganiser,
      path: `${page}/attachments/${pdf.id}`,
      params: { ...params(), id: pdf.id },
    });
    expect(got.status).toBe(200);
    expect(got.headers.get('Content-Type')).toBe('application/pdf');
    expect(got.headers.get('Content-Disposition')).toContain(`filename*=UTF-8''${encodeURIComponent('Biên bản họp.pdf')}`);
    expect(Buffer.from(await got.arrayBuffer()).equals(PDF)).toBe(true);
    // The province reviews; it does not see an upload form, and cannot add files.
    expect((await reportView(w.db, await accessOf(w.users.provinceOrganiser), 'vi')).can.attach).toBe(false);
    expect((await upload(w.users.provinceOrganiser, 'x.pdf', PDF)).status).toBe(403);
    // The printed report lists them as its enclosures for those who read it (the province), nobody else.
    const printed = await callRoute(printLoader, { db: w.db, userId: w.users.provinceOrganiser, path: `${page}/print`, params: params() });
    expect(printed.status).toBe(200);
    const printView = ((await printed.json()) as { doc: { attachments: Array<{ name: string; mime: string; size: number }> } }).doc;
    expect(printView.attachments.map((f) => [f.name, f.mime, f.size])).toEqual(view.attachments.map((f) => [f.name, f.mime, f.size]));
    const printedToStranger = await callRoute(printLoader, { db: w.db, userId: w.users.stranger, path: `${page}/print`, params: params() });
    expect(printedToStranger.status).toBe(403);
    // Someone without a role above the school: refused; an organiser of another province: not even told it exists.
    const asStranger = await callRoute(download, {
      db: w.db,
      userId: w.users.stranger,
      path: `${page}/attachments/${pdf.id}`,
      params: { ...params(), id: pdf.id },
    });
    expect(asStranger.status).toBe(403);
    await grantRole(w.db, { userId: w.users.learner, unitId: w.units.other, role: 'organiser', grantedBy: null });
    const asOther = await callRoute(download, {
      db: w.db,
      userId: w.users.learner,
      path: `${page}/attachments/${pdf.id}`,
      params: { ...params(), id: pdf.id },
    });
    expect(asOther.status).toBe(403);
    // An attachment id of another report is not served through this one.
    const wrong = await callRoute(download, {
      db: w.db,
      userId: w.users.organiser,
      path: `${page}/attachments/nope`,
      params: { ...params(), id: 'nope' },
    });
    expect(wrong.status).toBe(404);

    // Removed through the page while a draft: the file leaves the store.
    const key = (await w.db.selectFrom('report_attachments').select('storage_key').where('id', '=', pdf.id).executeTakeFirstOrThrow())
      .storage_key;
    const removed = await callRoute(reportAction, {
      db: w.db,
      userId: w.users.organiser,
      path: page,
      params: params(),
      form: { intent: 'detach', attachmentId: pdf.id },
    });
    expect(removed.status).toBe(302);
    expect(await statBlob(key)).toBeNull();
    expect((await listAttachments(w.db, await accessOf(w.users.organiser))).map((f) => f.name)).toEqual(['khai-mac.pdf', 'so-lieu.xlsx']);
    await clear();
  });

  it('caps each file, the number of files and their total; two uploads at once cannot pass the count', async () => {
    const before = storedFiles().length;
    const big = Buffer.concat([PDF, Buffer.alloc(MAX_ATTACHMENT_BYTES + 1 - PDF.length, 0x20)]);
    const tooBig = await upload(w.users.organiser, 'scan.pdf', big);
    expect(tooBig.status).toBe(413);
    expect(await tooBig.json()).toMatchObject({ fields: { file: { message: 'reports.attachments.errors.fileTooBig' } } });
    expect(storedFiles().length).toBe(before);

    const a = await accessOf(w.users.organiser);
    const stored = async (bytes: Buffer, name: string) => {
      const key = `${newId(20).toLowerCase()}.pdf`;
      await putBuffer(key, bytes);
      return { key, mime: 'application/pdf', size: bytes.length, name };
    };
    // The total: two files of 19 MB fit under 50 MB, a third does not (and is deleted from the store).
    const nineteen = Buffer.concat([PDF, Buffer.alloc(19 * 1024 * 1024, 0x20)]);
    expect((await addAttachment(w.db, a, await stored(nineteen, '1.pdf'), DURING_WEEK)).ok).toBe(true);
    expect((await addAttachment(w.db, a, await stored(nineteen, '2.pdf'), DURING_WEEK)).ok).toBe(true);
    const third = await stored(nineteen, '3.pdf');
    expect(await addAttachment(w.db, a, third, DURING_WEEK)).toMatchObject({ ok: false, code: 'total_too_big' });
    expect(await statBlob(third.key)).toBeNull();
    await clear();

    // The count: up to MAX_ATTACHMENTS - 1 one by one, then two at once: exactly one is kept.
    for (let i = 0; i < MAX_ATTACHMENTS - 1; i++)
      expect((await addAttachment(w.db, a, await stored(PDF, `${i}.pdf`), DURING_WEEK)).ok).toBe(true);
    const [x, y] = await Promise.all([
      addAttachment(w.db, a, await stored(PDF, 'x.pdf'), DURING_WEEK),
      addAttachment(w.db, a, await stored(PDF, 'y.pdf'), DURING_WEEK),
    ]);
    expect([x.ok, y.ok].sort()).toEqual([false, true]);
    expect((x.ok ? y : x) as unknown).toMatchObject({ ok: false, code: 'too_many' });
    expect(await listAttachments(w.db, a)).toHaveLength(MAX_ATTACHMENTS);
    // The page says it next to the field.
    const eleventh = await upload(w.users.organiser, 'them.pdf', PDF);
    expect(eleventh.status).toBe(409);
    expect(await eleventh.json()).toMatchObject({ fields: { file: { message: 'reports.attachments.errors.tooMany' } } });
    await clear();
  });

  it('keeps a submitted report’s files fixed until it is returned, and refuses those who do not fill it', async () => {
    const org = await accessOf(w.users.organiser);
    expect(
      unwrapId(
        await addAttachment(w.db, org, { key: await blob(), mime: 'application/pdf', size: PDF.length, name: 'bb.pdf' }, DURING_WEEK),
      ),
    ).toBeTruthy();
    // The school's teacher reads nothing here; the province reviewer cannot add.
    expect((await reportAccess(w.db, 2099, slug, w.units.school, w.users.teacher)).status).toBe('forbidden');
    const province = await accessOf(w.users.provinceOrganiser);
    expect(
      await addAttachment(w.db, province, { key: await blob(), mime: 'application/pdf', size: PDF.length, name: 'p.pdf' }, DURING_WEEK),
    ).toMatchObject({ ok: false, code: 'forbidden' });

    expect(await saveReport(w.db, org, { intent: 'submit', version: 0, raw: { v_hoat_dong: '3' } }, DURING_WEEK)).toMatchObject({
      ok: true,
    });
    const [file] = await listAttachments(w.db, org);
    expect(await removeAttachment(w.db, org, file!.id, DURING_WEEK)).toMatchObject({ ok: false, code: 'not_editable' });
    const late = { key: await blob(), mime: 'application/pdf', size: PDF.length, name: 'muon.pdf' };
    expect(await addAttachment(w.db, org, late, DURING_WEEK)).toMatchObject({ ok: false, code: 'not_editable' });
    expect(await statBlob(late.key)).toBeNull();
    const submitted = await reportView(w.db, org, 'vi');
    expect(submitted.can.attach).toBe(false);
    expect(submitted.attachments.map((f) => f.name)).toEqual(['bb.pdf']);
    // After the lock date nothing changes either.
    expect(await removeAttachment(w.db, org, file!.id, new Date('2099-11-06T03:00:00Z'))).toMatchObject({ ok: false, code: 'locked' });

    expect((await reviewReport(w.db, province, 'return', 'Thiếu bản có chữ ký', DURING_WEEK)).ok).toBe(true);
    expect(await removeAttachment(w.db, org, file!.id, DURING_WEEK)).toMatchObject({ ok: true, value: { name: 'bb.pdf' } });
  });

  async function blob() {
    const key = `${newId(20).toLowerCase()}.pdf`;
    await putBuffer(key, PDF);
    return key;
  }
  function unwrapId(r: { ok: boolean; value?: { id: string } }) {
    return r.ok ? r.value!.id : null;
  }
});
