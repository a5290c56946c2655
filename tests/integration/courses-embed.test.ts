/**
 * Lessons that embed repository resources (the real embed, not a link), the "video watched
 * ≥ 90 %" rule read from the e-lecture player's saved progress, and the pure access checks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { grantRole, signUp } from '~/domain/accounts.server';
import { courseAccessForEditor, courseAccessForViewer } from '~/domain/courses/access.server';
import { addLesson, addModule, createCourse, publishCourse } from '~/domain/courses/courses.server';
import { embeddedResourceIds, lessonContent } from '~/domain/courses/lesson-content.server';
import { courseProgress, enrol, syncEmbeddedVideo, verifyCertificate } from '~/domain/courses/progress.server';
import { createResource, type ResourceInput, reviewResource, saveProgress, submitResource } from '~/domain/oer/resources.server';
import { createUnit } from '~/domain/units.server';
import { lessonSchema } from '~/forms/courses-lesson';
import type { DB } from '~/lib/db.server';
import { parseForm } from '~/lib/forms.server';
import { newId } from '~/lib/ids.server';
import { unwrap } from '~/lib/result';

import { courseInput, ownerEditor } from '../helpers/courses';
import { dialects, freshDb } from '../helpers/db';
import { resourceInput } from '../helpers/oer';

const resource = (unitId: string, over: Partial<ResourceInput> = {}) =>
  resourceInput(unitId, {
    kind: 'video',
    title: 'Bài giảng: Con đường tự học',
    summary: 'Bài giảng ngắn có phụ đề',
    years: [],
    durationSeconds: 60,
    bodyMd: '',
    hlsUrl: 'https://example.org/bai-giang.m3u8',
    chapters: '00:00 Mở đầu\n00:30 Phần chính',
    ...over,
  });
const course = (unitId: string) =>
  courseInput(unitId, { title: 'Tự học với bài giảng điện tử', summary: 'Xem và học', audience: 'everyone', estHours: 1 });

describe.each(dialects)('courses: embedded resources and the video rule (%s)', (dialect) => {
  let db: DB;
  let cleanup: () => Promise<void>;
  const ids: Record<string, string> = {};
  let school = '';
  let video = '';
  let article = '';
  let draft = '';

  beforeAll(async () => {
    ({ db, cleanup } = await freshDb(dialect));
    const ward = await createUnit(db, { parentId: null, kind: 'ward', slug: `p-${newId(6)}`, name: 'Phường Biên Giang' });
    school = (await createUnit(db, { parentId: ward.id, kind: 'school', slug: `t-${newId(6)}`, name: 'Trường THCS Biên Giang' })).id;
    for (const name of ['teacher', 'organiser', 'learner', 'stranger']) {
      const r = await signUp(db, {
        email: `${name}-${newId(4)}@x.vn`,
        password: 'matkhau123',
        displayName: `Người ${name}`,
        birthYear: null,
        homeUnitId: null,
        locale: 'vi',
      });
      if (!r.ok) throw new Error('signup');
      ids[name] = r.userId;
    }
    await grantRole(db, { userId: ids.teacher!, unitId: school, role: 'teacher', grantedBy: null });
    await grantRole(db, { userId: ids.organiser!, unitId: ward.id, role: 'organiser', grantedBy: null });
    const publish = async (input: ResourceInput) => {
      const id = unwrap(await createResource(db, ids.teacher!, input));
      await submitResource(db, ids.teacher!, id);
      await reviewResource(db, ids.organiser!, id, 'publish', '');
      return id;
    };
    video = await publish(resource(school));
    article = await publish(
      resource(school, {
        kind: 'article',
        title: 'Năm bước tự học',
        hlsUrl: null,
        durationSeconds: null,
        chapters: '',
        bodyMd: '## Bước 1\n\nĐặt mục tiêu <script>alert(1)</script>',
      }),
    );
    draft = unwrap(await createResource(db, ids.teacher!, resource(school, { title: 'Bản nháp chưa duyệt' })));
  });
  afterAll(async () => cleanup());

  it('renders a lesson body as Markdown around the real embeds; unpublished or unknown ids become a notice', async () => {
    const md = `Mở đầu **bài học**.\n\n{{resource:${video}}}\n\nGiữa bài.\n{{resource:${article}}}\n{{resource:${draft}}}\n{{resource:khongtontai}}\nNhắc lại {{resource:${video}}} giữa câu thì không nhúng.`;
    expect(embeddedResourceIds(md)).toEqual([video, article, draft, 'khongtontai']);
    const parts = await lessonContent(db, md);
    expect(parts.map((p) => p.kind)).toEqual(['html', 'embed', 'html', 'embed', 'missing', 'missing', 'html']);
    const [, v, , a] = parts;
    if (v?.kind !== 'embed' || a?.kind !== 'embed') throw new Error('expected embeds');
    expect(v.embed).toMatchObject({ id: video, kind: 'video', hlsUrl: 'https://example.org/bai-giang.m3u8', url: `/resources/${video}` });
    expect(v.embed.chapters.map((c) => c.title)).toEqual(['Mở đầu', 'Phần chính']);
    expect(a.embed.articleHtml).toContain('<h2');
    expect(a.embed.articleHtml).not.toContain('<script');
    expect(parts[0]).toMatchObject({ kind: 'html', html: expect.stringContaining('<strong>bài học</strong>') });
  });

  it('completes a "video" lesson when the embedded e-lecture has been watched to 90 %, read from the player progress', async () => {
    const c = await createCourse(db, ids.teacher!, course(school));
    const m = await addModule(db, await ownerEditor(db, c.id), 'Mô-đun 1');
    const lesson = await addLesson(db, await ownerEditor(db, c.id), m, {
      title: 'Xem bài giảng',
      bodyMd: `Xem hết bài giảng.\n\n{{resource:${video}}}\n`,
      videoUrl: null,
      completionRule: 'video',
    });
    expect(await publishCourse(db, await ownerEditor(db, c.id))).toEqual({ ok: true });
    expect(await enrol(db, c.id, ids.learner!)).toEqual({ ok: true, value: { already: false } });

    expect(await syncEmbeddedVideo(db, c.id, lesson, ids.learner!)).toMatchObject({ percent: 0, lessonCompleted: false });
    const t0 = Date.parse('2026-11-30T09:00:00Z'); // heartbeats as the video plays
    await saveProgress(db, ids.learner!, video, 0, 60, t0);
    await saveProgress(db, ids.learner!, video, 30, 60, t0 + 30_000); // half way
    expect(await syncEmbeddedVideo(db, c.id, lesson, ids.learner!)).toMatchObject({
      percent: 50,
      lessonCompleted: false,
      certificateCode: null,
    });
    expect((await courseProgress(db, c.id, ids.learner!)).done).toBe(0);

    await saveProgress(db, ids.learner!, video, 55, 60, t0 + 55_000); // 91 %: the player marks it watched
    const r = await syncEmbeddedVideo(db, c.id, lesson, ids.learner!);
    expect(r).toMatchObject({ percent: 100, lessonCompleted: true, courseCompleted: true });
    expect((await verifyCertificate(db, r!.certificateCode!)).status).toBe('valid');

    // Rewinding later does not take the completion away.
    await saveProgress(db, ids.learner!, video, 5, 60, t0 + 60_000);
    expect((await syncEmbeddedVideo(db, c.id, lesson, ids.learner!))!.lessonCompleted).toBe(true);
    // Someone else's viewing does not count for the learner, nor does a non-enrolled viewer get progress.
    await saveProgress(db, ids.stranger!, video, 60, 60);
    expect((await syncEmbeddedVideo(db, c.id, lesson, ids.stranger!))!.lessonCompleted).toBe(false);
  });

  it('a lesson without an embedded video has nothing to sync', async () => {
    const c = await createCourse(db, ids.teacher!, course(school));
    const m = await addModule(db, await ownerEditor(db, c.id), 'Mô-đun 1');
    const lesson = await addLesson(db, await ownerEditor(db, c.id), m, {
      title: 'Đọc',
      bodyMd: `{{resource:${article}}}`,
      videoUrl: null,
      completionRule: 'read',
    });
    expect(await syncEmbeddedVideo(db, c.id, lesson, ids.learner!)).toBeNull();
  });

  it('the lesson form accepts the video rule with an embedded e-lecture instead of a video URL', () => {
    const form = (body: string) => {
      const f = new FormData();
      for (const [k, v] of Object.entries({ title: 'Xem bài giảng', body_md: body, video_url: '', completion_rule: 'video' })) f.set(k, v);
      return parseForm(lessonSchema, f);
    };
    expect(form(`Xem nhé.\n{{resource:${video}}}\n`).ok).toBe(true);
    const bad = form('Không có video nào.');
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors, JSON.stringify(bad.errors)).toHaveProperty('video_url', 'courses.errors.videoNeeded');
    if (!bad.ok) expect(bad.errors.video_url).toBe('courses.errors.videoNeeded');
  });

  it('access checks are plain answers: drafts hidden from others, editing for teachers and unit organisers only', async () => {
    const c = await createCourse(db, ids.teacher!, course(school));
    expect(await courseAccessForViewer(db, 'khong-co-khoa-nay', ids.stranger)).toEqual({ status: 'missing' });
    expect((await courseAccessForViewer(db, c.slug, ids.stranger)).status).toBe('hidden');
    expect((await courseAccessForViewer(db, c.slug, null)).status).toBe('hidden');
    expect(await courseAccessForViewer(db, c.slug, ids.teacher)).toMatchObject({ status: 'ok', canEdit: true });
    expect(await courseAccessForViewer(db, c.slug, ids.organiser)).toMatchObject({ status: 'ok', canEdit: true }); // organiser above the school
    expect((await courseAccessForEditor(db, c.slug, ids.stranger!)).status).toBe('forbidden');
    const m = await addModule(db, await ownerEditor(db, c.id), 'Mô-đun 1');
    await addLesson(db, await ownerEditor(db, c.id), m, { title: 'Đọc', bodyMd: 'x', videoUrl: null, completionRule: 'read' });
    await publishCourse(db, await ownerEditor(db, c.id));
    expect(await courseAccessForViewer(db, c.slug, ids.stranger)).toMatchObject({ status: 'ok', canEdit: false });
  });
});
