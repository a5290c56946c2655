import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';

import { Breadcrumb } from '~/components/Breadcrumb';
import { CourseForm } from '~/components/courses/CourseForm';
import { SortableList } from '~/components/courses/Sortable';
import { FormError, TextField } from '~/components/Field';
import { type CourseEditError, runCourseEdit } from '~/domain/courses/actions.server';
import { courseTeachers, getOutline } from '~/domain/courses/courses.server';
import { listUnits } from '~/domain/units.server';
import { weekYears } from '~/domain/weeks.server';
import { courseEditorSchema } from '~/forms/courses-editor';
import { useT } from '~/i18n/i18n';
import { detectLocale } from '~/i18n/i18n.server';
import { completionRuleLabel, courseStatusLabel, teacherRoleLabel } from '~/i18n/labels';
import { loadCourseForEditor } from '~/lib/courses-access.server';
import { courseFailures } from '~/lib/failures/courses.server';
import { redirectWithFlash } from '~/lib/flash.server';
import { type FieldErrors, type FormValues, parseForm } from '~/lib/forms.server';
import { badRequest } from '~/lib/http.server';
import styles from '~/styles/courses.css';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.course.title ?? '' }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db, course } = await loadCourseForEditor(request, params.slug!);
  const [outline, teachers, units, weeks] = await Promise.all([
    getOutline(db, course.id),
    courseTeachers(db, course.id),
    listUnits(db),
    weekYears(db),
  ]);
  detectLocale(request);
  return json({
    course,
    outline,
    teachers,
    units: units.map((u) => ({ id: u.id, name: u.name, name_en: u.name_en, depth: u.depth })),
    years: weeks,
  });
}

/** Which field a failure belongs next to (the rest go above the form). */
const FIELD_OF: Partial<Record<CourseEditError, string>> = { unit_forbidden: 'unit_id', unknown_user: 'email' };

export async function action({ request, params }: ActionFunctionArgs) {
  const { db, course, editor } = await loadCourseForEditor(request, params.slug!);
  const r = parseForm(courseEditorSchema, await request.formData());
  const intent = r.values.intent ?? '';
  if (!r.ok) return badRequest({ intent, ok: false as const, errors: r.errors, values: r.values });
  const done = await runCourseEdit(db, editor, r.data);
  if (!done.ok) {
    const message = courseFailures[done.code].message;
    return json(
      { intent, ok: false as const, errors: { [FIELD_OF[done.code] ?? '_form']: message }, values: r.values },
      { status: courseFailures[done.code].status },
    );
  }
  const back = `/courses/${course.slug}/edit`;
  const d = done.value;
  switch (d.done) {
    case 'saved':
      return redirectWithFlash(back, { message: 'common.saved' });
    case 'published':
      return redirectWithFlash(back, { message: 'courses.flash.published' });
    case 'unpublished':
      return redirect(back);
    case 'reordered':
      // Sent by the drag-and-drop / keyboard reordering (a fetcher): answer with data, not a redirect.
      return json({ intent, ok: true as const, errors: {} as FieldErrors, values: {} as FormValues });
    case 'outline':
    case 'teachers':
      return redirect(`${back}#${d.done}`);
    case 'module':
      return redirect(`${back}#m-${d.id}`);
    case 'lesson':
      return redirect(`${back}#l-${d.id}`);
    case 'lessonAdded':
      return redirect(`/courses/${course.slug}/edit/${d.id}`);
  }
}

export default function EditCourse() {
  const { course, outline, teachers, units, years } = useLoaderData<typeof loader>();
  const ad = useActionData<typeof action>();
  const { t } = useT();
  const err = (i: string) => (ad?.intent === i ? ad.errors : undefined);
  const detailValues =
    ad?.intent === 'details' && ad.values
      ? ad.values
      : {
          title: course.title,
          unit_id: course.unit_id,
          week_year: course.week_year ? String(course.week_year) : '',
          audience: course.audience,
          level: course.level,
          est_hours: String(course.est_hours),
          language: course.language,
          licence: course.licence,
          cover_url: course.cover_url ?? '',
          enrol_mode: course.enrol_mode,
          enrol_code: course.enrol_code ?? '',
          summary: course.summary,
          description_md: course.description_md,
        };
  return (
    <>
      <Breadcrumb items={[{ to: '/courses', label: t('courses.catalogue.title') }, { label: course.title }]} />
      <h1>
        {t('courses.edit.title', { title: course.title })}{' '}
        <span className={`badge ${course.status === 'draft' ? 'draft' : ''}`}>{t(courseStatusLabel[course.status])}</span>
      </h1>
      <FormError error={ad?.errors?._form} />
      <div className="actions">
        <Link to={`/courses/${course.slug}`} className="button secondary">
          {t('courses.edit.preview')}
        </Link>
        <Link to={`/courses/${course.slug}/progress`} className="button secondary">
          {t('courses.teacher.progressTitle')}
        </Link>
        <Form method="post" className="inline-form">
          {course.status === 'draft' ? (
            <button type="submit" name="intent" value="publish" className="primary">
              {t('courses.edit.publish')}
            </button>
          ) : (
            <button type="submit" name="intent" value="unpublish" className="danger">
              {t('courses.edit.unpublish')}
            </button>
          )}
        </Form>
      </div>

      <section aria-labelledby="outline">
        <h2 id="outline">{t('courses.edit.outline')}</h2>
        {outline.length === 0 ? <p className="muted">{t('courses.edit.noModules')}</p> : null}
        <SortableList
          items={outline}
          intent="reorder-modules"
          className="outline-edit"
          renderRow={(m, mi, mn, ms) => (
            <li key={m.id} id={`m-${m.id}`} {...ms.rowProps} className={`card module-edit ${ms.rowProps.className ?? ''}`}>
              <Form method="post" className="module-row">
                <input type="hidden" name="moduleId" value={m.id} />
                <div className="module-title-row">
                  {ms.handle}
                  <TextField id={`mt-${m.id}`} name="title" label={t('courses.edit.moduleTitle', { n: mi + 1 })} defaultValue={m.title} />
                </div>
                <div className="actions">
                  <button type="submit" name="intent" value="rename-module" className="secondary button small">
                    {t('common.save')}
                  </button>
                  <button
                    type="submit"
                    name="intent"
                    value="module-up"
                    className="secondary button small"
                    disabled={mi === 0}
                    aria-label={t('courses.edit.moveUp', { title: m.title })}
                  >
                    ↑
                  </button>
                  <button
                    type="submit"
                    name="intent"
                    value="module-down"
                    className="secondary button small"
                    disabled={mi === mn - 1}
                    aria-label={t('courses.edit.moveDown', { title: m.title })}
                  >
                    ↓
                  </button>
                  <button
                    type="submit"
                    name="intent"
                    value="delete-module"
                    className="danger button small"
                    aria-label={t('courses.edit.deleteNamed', { title: m.title })}
                  >
                    {t('common.delete')}
                  </button>
                </div>
              </Form>
              <SortableList
                items={m.lessons}
                intent="reorder-lessons"
                moduleId={m.id}
                className="lesson-edit-list"
                renderRow={(l, li, ln, ls) => (
                  <li key={l.id} id={`l-${l.id}`} {...ls.rowProps}>
                    {ls.handle}
                    <Link to={`/courses/${course.slug}/edit/${l.id}`}>{l.title}</Link>{' '}
                    <span className="badge">{t(completionRuleLabel[l.completion_rule])}</span>
                    <Form method="post" className="inline-form">
                      <input type="hidden" name="lessonId" value={l.id} />{' '}
                      <button
                        type="submit"
                        name="intent"
                        value="lesson-up"
                        className="secondary button small"
                        disabled={li === 0}
                        aria-label={t('courses.edit.moveUp', { title: l.title })}
                      >
                        ↑
                      </button>{' '}
                      <button
                        type="submit"
                        name="intent"
                        value="lesson-down"
                        className="secondary button small"
                        disabled={li === ln - 1}
                        aria-label={t('courses.edit.moveDown', { title: l.title })}
                      >
                        ↓
                      </button>{' '}
                      <button
                        type="submit"
                        name="intent"
                        value="delete-lesson"
                        className="danger button small"
                        aria-label={t('courses.edit.deleteNamed', { title: l.title })}
                      >
                        {t('common.delete')}
                      </button>
                    </Form>
                  </li>
                )}
              />
              <Form method="post" className="add-lesson">
                <input type="hidden" name="module_id" value={m.id} />
                <TextField
                  id={`nl-${m.id}`}
                  name="title"
                  label={t('courses.edit.newLesson')}
                  error={ad?.intent === 'add-lesson' && ad.values?.module_id === m.id ? ad.errors?.title : undefined}
                />
                <button type="submit" name="intent" value="add-lesson" className="secondary">
                  {t('courses.edit.addLesson')}
                </button>
              </Form>
            </li>
          )}
        />
        {/* Keyed by the number of modules: once a module is added the form is a new, empty one, so its
            name is not left in the field inviting a duplicate (without JavaScript the redirect does it). */}
        <Form method="post" key={`new-module-${outline.length}`}>
          <TextField id="new-module" name="title" label={t('courses.edit.newModule')} error={err('add-module')?.title} />
          <button type="submit" name="intent" value="add-module" className="secondary">
            {t('courses.edit.addModule')}
          </button>
        </Form>
      </section>

      <section aria-labelledby="teachers">
        <h2 id="teachers">{t('courses.edit.teachers')}</h2>
        <ul>
          {teachers.map((u) => (
            <li key={u.id}>
              {u.display_name} ({u.email}) — {t(teacherRoleLabel[u.role])}
              {u.role === 'co_teacher' ? (
                <Form method="post" className="inline-form">
                  <input type="hidden" name="userId" value={u.id} />{' '}
                  <button type="submit" name="intent" value="remove-teacher" className="link-button">
                    {t('courses.edit.removeTeacher')}
                  </button>
                </Form>
              ) : null}
            </li>
          ))}
        </ul>
        <Form method="post">
          <TextField
            name="email"
            type="email"
            label={t('courses.edit.coTeacherEmail')}
            error={err('add-teacher')?.email}
            defaultValue={ad?.intent === 'add-teacher' ? ad.values?.email : ''}
          />
          <button type="submit" name="intent" value="add-teacher" className="secondary">
            {t('courses.edit.addTeacher')}
          </button>
        </Form>
      </section>

      <section aria-labelledby="details-h">
        <h2 id="details-h">{t('courses.edit.details')}</h2>
        <CourseForm
          intent="details"
          units={units}
          years={years}
          values={detailValues}
          errors={err('details')}
          submitLabel={t('common.save')}
        />
      </section>
    </>
  );
}
