import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { Form, Link, useFetcher, useLoaderData } from '@remix-run/react';
import { useEffect, useRef } from 'react';

import { Breadcrumb } from '~/components/Breadcrumb';
import { SafeHtml } from '~/components/Markdown';
import { ResourceEmbed } from '~/components/oer/ResourceEmbed';
import { runLessonProgress } from '~/domain/courses/actions.server';
import { getLesson, getLessons } from '~/domain/courses/courses.server';
import { lessonContent, type LessonPart } from '~/domain/courses/lesson-content.server';
import { courseProgress, getEnrolment, syncEmbeddedVideo, touchLesson } from '~/domain/courses/progress.server';
import { lessonProgressOf } from '~/domain/courses/progress.server';
import { getProgress as getResourceProgress } from '~/domain/oer/resources.server';
import { lessonProgressSchema } from '~/forms/courses-learning';
import { useT } from '~/i18n/i18n';
import { requireUser } from '~/lib/auth.server';
import { loadCourseForViewer } from '~/lib/courses-access.server';
import { parseForm } from '~/lib/forms.server';
import { notFound } from '~/lib/http.server';
import styles from '~/styles/courses.css';
import oerStyles from '~/styles/oer.css';

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: oerStyles },
  { rel: 'stylesheet', href: styles },
];
export const meta: MetaFunction<typeof loader> = ({ data }) => (data ? [{ title: `${data.lesson.title} · ${data.course.title}` }] : []);

async function load(request: Request, params: LoaderFunctionArgs['params']) {
  const ctx = await loadCourseForViewer(request, params.slug!);
  const user = await requireUser(request);
  const lesson = await getLesson(ctx.db, ctx.course.id, params.lessonId!);
  if (!lesson) notFound();
  const enrolment = await getEnrolment(ctx.db, ctx.course.id, user.id);
  if (!enrolment && !ctx.canEdit) throw redirect(`/courses/${ctx.course.slug}`);
  return { ...ctx, user, lesson, enrolled: !!enrolment };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db, course, user, lesson, enrolled } = await load(request, params);
  if (enrolled) await touchLesson(db, course.id, user.id, lesson.id);
  const parts = await lessonContent(db, lesson.body_md);
  const playable = parts.flatMap((p) => (p.kind === 'embed' && (p.embed.kind === 'video' || p.embed.kind === 'audio') ? [p.embed.id] : []));
  // An embedded e-lecture reports to the repository; credit what it saved before showing the state.
  if (enrolled && lesson.completion_rule === 'video' && playable.length) await syncEmbeddedVideo(db, course.id, lesson.id, user.id);
  const resumeAt: Record<string, number> = {};
  for (const id of playable) resumeAt[id] = (await getResourceProgress(db, user.id, id))?.position_seconds ?? 0;
  const [lessons, progress, row] = await Promise.all([
    getLessons(db, course.id),
    courseProgress(db, course.id, user.id),
    lessonProgressOf(db, lesson.id, user.id),
  ]);
  const i = lessons.findIndex((l) => l.id === lesson.id);
  return json({
    course: { slug: course.slug, title: course.title },
    lesson: { id: lesson.id, title: lesson.title, rule: lesson.completion_rule, videoUrl: lesson.video_url, hasQuiz: !!lesson.quiz_id },
    parts,
    resumeAt,
    hasEmbeddedVideo: playable.length > 0,
    viewerId: user.id,
    enrolled,
    state: {
      completed: !!row?.completed_at,
      videoPercent: row?.video_percent ?? 0,
      quizPassed: !!row?.quiz_passed_at,
      read: !!row?.read_at,
    },
    progress: { percent: progress.percent, done: progress.done, total: progress.total },
    prev: i > 0 ? lessons[i - 1]!.id : null,
    next: i >= 0 && i < lessons.length - 1 ? lessons[i + 1]!.id : null,
    position: i + 1,
    total: lessons.length,
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { db, course, user, lesson } = await load(request, params);
  const r = parseForm(lessonProgressSchema, await request.formData());
  if (!r.ok) return json({ errors: r.errors }, { status: 400 });
  const done = await runLessonProgress(db, { courseId: course.id, lessonId: lesson.id, userId: user.id }, r.data);
  const here = `/courses/${course.slug}/lessons/${lesson.id}`;
  switch (done.done) {
    case 'heartbeat':
      return json(done.progress);
    case 'synced': {
      const wantsJson = request.headers.get('Accept')?.includes('application/json') || r.values.js === '1';
      if (wantsJson) return json(done.sync);
      if (done.sync?.certificateCode && done.sync.courseCompleted) return redirect(`/certificates/${done.sync.certificateCode}?new=1`);
      return redirect(here);
    }
    case 'read':
      if (done.certificateCode) return redirect(`/certificates/${done.certificateCode}?new=1`);
      return redirect(done.nextLessonId ? `/courses/${course.slug}/lessons/${done.nextLessonId}` : here);
  }
}

/** Sends heartbeats while the video plays (JavaScript only); the server derives the watch time. */
function TrackedVideo({ src, label }: { src: string; label: string }) {
  const fetcher = useFetcher();
  const last = useRef(0);
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    const v = ref.current;
    if (!v) return;
    const beat = (force: boolean) => {
      const now = Date.now();
      if (!v.duration || (!force && now - last.current < 5000)) return;
      last.current = now;
      fetcher.submit({ intent: 'video', position: String(v.currentTime), duration: String(v.duration) }, { method: 'post' });
    };
    const onTime = () => beat(false);
    const onStop = () => beat(true);
    v.addEventListener('play', onStop);
    v.addEventListener('timeupdate', onTime);
    v.addEventListener('pause', onStop);
    v.addEventListener('ended', onStop);
    return () => {
      v.removeEventListener('play', onStop);
      v.removeEventListener('timeupdate', onTime);
      v.removeEventListener('pause', onStop);
      v.removeEventListener('ended', onStop);
    };
  }, [fetcher]);
  return <video ref={ref} src={src} controls preload="metadata" aria-label={label} className="lesson-video" />;
}

/**
 * With JavaScript: when an embedded e-lecture pauses or ends (the OER player has just saved the
 * position to the repository), ask the lesson to re-read it, so completion shows without a reload.
 */
function useEmbeddedVideoSync(active: boolean) {
  const fetcher = useFetcher();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const root = ref.current;
    if (!active || !root) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const onStop = () => {
      clearTimeout(timer);
      timer = setTimeout(() => fetcher.submit({ intent: 'sync-video', js: '1' }, { method: 'post' }), 1200);
    };
    const media = [...root.querySelectorAll('.oer-embed video, .oer-embed audio')];
    for (const m of media) {
      m.addEventListener('pause', onStop);
      m.addEventListener('ended', onStop);
    }
    return () => {
      clearTimeout(timer);
      for (const m of media) {
        m.removeEventListener('pause', onStop);
        m.removeEventListener('ended', onStop);
      }
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [active]);
  return ref;
}

function LessonBody({ parts, resumeAt, viewerId }: { parts: LessonPart[]; resumeAt: Record<string, number>; viewerId: string }) {
  const { t } = useT();
  return (
    <>
      {parts.map((p, i) =>
        p.kind === 'html' ? (
          <SafeHtml key={i} html={p.html} className="prose lesson-body" />
        ) : p.kind === 'embed' ? (
          <ResourceEmbed
            key={i}
            embed={p.embed}
            progressUrl={`/resources/${p.embed.id}/progress`}
            startAt={resumeAt[p.embed.id]}
            viewerId={viewerId}
            headingLevel={2}
          />
        ) : (
          <p key={i} className="muted lesson-missing">
            {t('courses.lesson.resourceMissing')}
          </p>
        ),
      )}
    </>
  );
}

export default function LessonPage() {
  const { course, lesson, parts, resumeAt, hasEmbeddedVideo, viewerId, enrolled, state, progress, prev, next, position, total } =
    useLoaderData<typeof loader>();
  const { t } = useT();
  const syncRef = useEmbeddedVideoSync(enrolled && lesson.rule === 'video' && hasEmbeddedVideo && !state.completed);
  return (
    <>
      <Breadcrumb
        items={[
          { to: '/courses', label: t('courses.catalogue.title') },
          { to: `/courses/${course.slug}`, label: course.title },
          { label: lesson.title },
        ]}
      />
      <p className="muted">
        {t('courses.lesson.position', { n: position, total })} ·{' '}
        <progress max={100} value={progress.percent} aria-label={t('courses.progress.ofCourse', { title: course.title })} />{' '}
        {progress.percent}%
      </p>
      <h1>
        {lesson.title} {state.completed ? <span className="badge">✓ {t('courses.progress.lessonDone')}</span> : null}
      </h1>
      {lesson.videoUrl ? (
        <section aria-label={t('courses.lesson.video')}>
          {/\.(mp4|webm|ogg)(\?|$)/i.test(lesson.videoUrl) ? (
            <TrackedVideo src={lesson.videoUrl} label={lesson.title} />
          ) : (
            <p>
              <a href={lesson.videoUrl}>{t('courses.lesson.openVideo')}</a>
            </p>
          )}
          {lesson.rule === 'video' ? (
            <p className="muted">{t('courses.lesson.videoRule', { percent: VIDEO_COMPLETE_PERCENT_UI, watched: state.videoPercent })}</p>
          ) : null}
        </section>
      ) : null}
      <div ref={syncRef}>
        <LessonBody parts={parts} resumeAt={resumeAt} viewerId={viewerId} />
      </div>
      {lesson.rule === 'video' && hasEmbeddedVideo && !lesson.videoUrl ? (
        <p className="muted" role="status">
          {state.completed
            ? t('courses.progress.lessonDone')
            : t('courses.lesson.videoRule', { percent: VIDEO_COMPLETE_PERCENT_UI, watched: state.videoPercent })}
        </p>
      ) : null}
      <div className="lesson-end card">
        {lesson.hasQuiz ? (
          <p>
            <Link className="button" to={`/courses/${course.slug}/lessons/${lesson.id}/quiz`}>
              {state.quizPassed ? t('courses.quiz.review') : t('courses.quiz.take')}
            </Link>
          </p>
        ) : null}
        {enrolled && lesson.rule === 'read' && !state.completed ? (
          <Form method="post">
            <button type="submit" name="intent" value="read" className="primary">
              {t('courses.lesson.markRead')}
            </button>
          </Form>
        ) : null}
        {enrolled && lesson.rule === 'video' && hasEmbeddedVideo && !state.completed ? (
          <Form method="post">
            <button type="submit" name="intent" value="sync-video" className="secondary">
              {t('courses.lesson.checkVideo')}
            </button>
          </Form>
        ) : null}
        {enrolled && lesson.rule === 'quiz' && !state.completed ? <p className="muted">{t('courses.lesson.quizRule')}</p> : null}
        <nav className="actions" aria-label={t('courses.lesson.nav')}>
          {prev ? (
            <Link to={`/courses/${course.slug}/lessons/${prev}`} rel="prev">
              ← {t('courses.lesson.prev')}
            </Link>
          ) : null}
          {next ? (
            <Link to={`/courses/${course.slug}/lessons/${next}`} rel="next">
              {t('courses.lesson.next')} →
            </Link>
          ) : (
            <Link to={`/courses/${course.slug}`}>{t('courses.lesson.backToCourse')}</Link>
          )}
        </nav>
      </div>
    </>
  );
}

const VIDEO_COMPLETE_PERCENT_UI = 90;
