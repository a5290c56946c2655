import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';

import { Breadcrumb } from '~/components/Breadcrumb';
import { FormError } from '~/components/Field';
import { SafeHtml } from '~/components/Markdown';
import { getOutline } from '~/domain/courses/courses.server';
import { courseProgress, enrol, getEnrolment } from '~/domain/courses/progress.server';
import { certificateFor } from '~/domain/courses/progress.server';
import { unitName } from '~/domain/units.server';
import { enrolSchema } from '~/forms/courses-course';
import { useT } from '~/i18n/i18n';
import { detectLocale } from '~/i18n/i18n.server';
import { completionRuleLabel, courseAudienceLabel, courseLevelLabel } from '~/i18n/labels';
import { requireUser } from '~/lib/auth.server';
import { loadCourseForViewer } from '~/lib/courses-access.server';
import { courseFailures } from '~/lib/failures/courses.server';
import { parseForm } from '~/lib/forms.server';
import { badRequest } from '~/lib/http.server';
import { keyFor, LICENCE_NAME_KEYS } from '~/lib/licences';
import { renderMarkdown } from '~/lib/markdown.server';
import styles from '~/styles/courses.css';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }];
export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data ? [{ title: data.course.title }, { name: 'description', content: data.course.summary }] : [];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db, course, user, canEdit } = await loadCourseForViewer(request, params.slug!);
  const locale = detectLocale(request);
  const [outline, enrolment, progress, cert] = await Promise.all([
    getOutline(db, course.id),
    user ? getEnrolment(db, course.id, user.id) : null,
    user ? courseProgress(db, course.id, user.id) : null,
    user ? certificateFor(db, course.id, user.id) : undefined,
  ]);
  return json({
    course: {
      slug: course.slug,
      title: course.title,
      summary: course.summary,
      audience: course.audience,
      level: course.level,
      est_hours: course.est_hours,
      week_year: course.week_year,
      licence: course.licence,
      language: course.language,
      cover_url: course.cover_url,
      status: course.status,
      enrol_mode: course.enrol_mode,
      unit: unitName({ name: course.unit_name, name_en: course.unit_name_en }, locale),
      unit_slug: course.unit_slug,
    },
    descriptionHtml: renderMarkdown(course.description_md),
    outline: outline.map((m) => ({
      id: m.id,
      title: m.title,
      lessons: m.lessons.map((l) => ({ id: l.id, title: l.title, rule: l.completion_rule })),
    })),
    enrolled: !!enrolment,
    signedIn: !!user,
    progress: enrolment ? progress : null,
    certificate: cert ?? null,
    canEdit,
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const { db, course } = await loadCourseForViewer(request, params.slug!);
  const form = parseForm(enrolSchema, await request.formData());
  if (!form.ok) return badRequest({ error: courseFailures.wrong_code.message });
  const r = await enrol(db, course.id, user.id, form.data.code);
  if (!r.ok) return badRequest({ error: courseFailures[r.code].message });
  const p = await courseProgress(db, course.id, user.id);
  return redirect(p.nextLessonId ? `/courses/${course.slug}/lessons/${p.nextLessonId}` : `/courses/${course.slug}`);
}

export default function CoursePage() {
  const { course, descriptionHtml, outline, enrolled, signedIn, progress, certificate, canEdit } = useLoaderData<typeof loader>();
  const ad = useActionData<typeof action>();
  const { t } = useT();
  const done = new Set(progress?.completedLessonIds ?? []);
  return (
    <>
      <Breadcrumb items={[{ to: '/courses', label: t('courses.catalogue.title') }, { label: course.title }]} />
      {course.status === 'draft' ? (
        <p className="flash" role="status">
          {t('courses.previewNotice')}
        </p>
      ) : null}
      <header className="course-head">
        {course.cover_url ? <img src={course.cover_url} alt="" className="course-cover" /> : null}
        <h1>{course.title}</h1>
        <p className="lead">{course.summary}</p>
        <dl className="facts">
          <dt>{t('courses.fields.unit')}</dt>
          <dd>
            <Link to={`/units/${course.unit_slug}`}>{course.unit}</Link>
          </dd>
          {course.week_year ? (
            <>
              <dt>{t('courses.fields.week')}</dt>
              <dd>
                <Link to={`/weeks/${course.week_year}`}>{course.week_year}</Link>
              </dd>
            </>
          ) : null}
          <dt>{t('courses.fields.audience')}</dt>
          <dd>{t(courseAudienceLabel[course.audience])}</dd>
          <dt>{t('courses.fields.level')}</dt>
          <dd>{t(courseLevelLabel[course.level])}</dd>
          <dt>{t('courses.fields.duration')}</dt>
          <dd>{t('courses.hours', { count: course.est_hours })}</dd>
          <dt>{t('courses.fields.licence')}</dt>
          <dd>{keyFor(LICENCE_NAME_KEYS, course.licence) ? t(keyFor(LICENCE_NAME_KEYS, course.licence)!) : course.licence}</dd>
        </dl>
      </header>
      {canEdit ? (
        <p>
          <Link to={`/courses/${course.slug}/edit`} className="button secondary">
            {t('courses.edit.link')}
          </Link>
        </p>
      ) : null}
      {certificate ? (
        <p className="flash" role="status">
          {t('courses.certificate.have')} <Link to={`/certificates/${certificate.code}`}>{t('courses.certificate.view')}</Link>
        </p>
      ) : null}
      {enrolled && progress ? (
        <section className="card" aria-labelledby="my-progress">
          <h2 id="my-progress">{t('courses.progress.title')}</h2>
          <p>
            <progress max={100} value={progress.percent} aria-labelledby="my-progress" />{' '}
            {t('courses.progress.summary', { done: progress.done, total: progress.total, percent: progress.percent })}
          </p>
          {progress.nextLessonId && progress.done < progress.total ? (
            <Link className="button" to={`/courses/${course.slug}/lessons/${progress.nextLessonId}`}>
              {progress.done === 0 ? t('courses.start') : t('courses.continue')}
            </Link>
          ) : null}
        </section>
      ) : course.status === 'published' ? (
        <section className="card" aria-labelledby="enrol-h">
          <h2 id="enrol-h">{t('courses.enrol.title')}</h2>
          <FormError error={ad?.error} />
          {signedIn ? (
            <Form method="post">
              {course.enrol_mode === 'code' ? (
                <div className="field">
                  <label htmlFor="code">{t('courses.enrol.code')}</label>
                  <input id="code" name="code" autoComplete="off" required />
                </div>
              ) : null}
              <button type="submit" className="primary">
                {t('courses.enrol.submit')}
              </button>
            </Form>
          ) : (
            <p>
              <Link to={`/login?redirectTo=/courses/${course.slug}`} className="button">
                {t('courses.enrol.signIn')}
              </Link>
            </p>
          )}
        </section>
      ) : null}
      <SafeHtml html={descriptionHtml} />
      <section aria-labelledby="outline-h">
        <h2 id="outline-h">{t('courses.outline')}</h2>
        <ol className="course-outline">
          {outline.map((m) => {
            const mp = progress?.modules.find((x) => x.moduleId === m.id);
            return (
              <li key={m.id}>
                <h3>
                  {m.title}{' '}
                  {mp ? <span className="muted">— {t('courses.progress.module', { done: mp.done, total: mp.total })}</span> : null}
                </h3>
                <ol>
                  {m.lessons.map((l) => (
                    <li key={l.id} className={done.has(l.id) ? 'done' : undefined}>
                      {enrolled || canEdit ? <Link to={`/courses/${course.slug}/lessons/${l.id}`}>{l.title}</Link> : <span>{l.title}</span>}{' '}
                      {done.has(l.id) ? (
                        <span className="badge">✓ {t('courses.progress.lessonDone')}</span>
                      ) : (
                        <span className="muted">({t(completionRuleLabel[l.rule])})</span>
                      )}
                    </li>
                  ))}
                </ol>
              </li>
            );
          })}
        </ol>
      </section>
    </>
  );
}
