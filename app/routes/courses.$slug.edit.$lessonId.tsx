import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';

import { Breadcrumb } from '~/components/Breadcrumb';
import { QuestionForm } from '~/components/courses/QuestionForm';
import { FormError, SelectField, TextArea, TextField } from '~/components/Field';
import { COMPLETION_RULES } from '~/db/schema/courses';
import { runLessonEdit } from '~/domain/courses/actions.server';
import { getLesson } from '~/domain/courses/courses.server';
import { getQuiz, listQuestions, type QuestionDef, questionToInput } from '~/domain/quiz/quiz.server';
import { lessonEditorSchema } from '~/forms/courses-lesson';
import { useT } from '~/i18n/i18n';
import { completionRuleLongLabel, questionKindLabel } from '~/i18n/labels';
import { loadCourseForEditor } from '~/lib/courses-access.server';
import { courseFailures } from '~/lib/failures/courses.server';
import { redirectWithFlash } from '~/lib/flash.server';
import { type FieldErrors, parseForm } from '~/lib/forms.server';
import { badRequest, notFound } from '~/lib/http.server';
import styles from '~/styles/courses.css';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.lesson.title ?? '' }];

async function load(request: Request, params: LoaderFunctionArgs['params']) {
  const { db, course, editor } = await loadCourseForEditor(request, params.slug!);
  const lesson = await getLesson(db, course.id, params.lessonId!);
  if (!lesson) notFound();
  return { db, course, lesson, editor };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db, course, lesson } = await load(request, params);
  const quiz = lesson.quiz_id ? await getQuiz(db, lesson.quiz_id) : null;
  const questions = quiz ? await listQuestions(db, quiz.bank_id) : [];
  const editingId = new URL(request.url).searchParams.get('question');
  const editing = questions.find((q) => q.id === editingId) ?? null;
  // The edit form's values are built here: questionToInput lives in a .server module, which the
  // browser bundle does not have (calling it while rendering crashed the page once hydrated).
  return json({
    course: { slug: course.slug, title: course.title },
    lesson,
    quiz,
    questions,
    editing: editing?.id ?? null,
    editValues: editing ? questionFormValues(editing) : null,
  });
}

/** A stored question back in the form's typed shape (option numbers from 1, lines). */
function questionFormValues(q: QuestionDef): Record<string, string> {
  const i = questionToInput(q);
  return {
    kind: i.kind,
    prompt: i.prompt,
    options: (i.options ?? []).join('\n'),
    correct: (i.correct ?? []).map((n) => n + 1).join(', '),
    true_false: i.trueFalse == null ? '' : String(i.trueFalse),
    accepted: (i.accepted ?? []).join('\n'),
    fold: i.kind !== 'short' || i.foldDiacritics ? 'on' : '',
    explanation: i.explanation ?? '',
    points: String(i.points ?? 1),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { db, course, lesson, editor } = await load(request, params);
  const r = parseForm(lessonEditorSchema, await request.formData());
  const intent = r.values.intent ?? '';
  if (!r.ok) return badRequest({ intent, errors: r.errors, values: r.values });
  const done = await runLessonEdit(db, editor, lesson.id, r.data);
  if (!done.ok) {
    if (done.code === 'not_found') notFound();
    return json(
      { intent, errors: { _form: courseFailures[done.code].message } as FieldErrors, values: r.values },
      { status: courseFailures[done.code].status },
    );
  }
  const back = `/courses/${course.slug}/edit/${lesson.id}`;
  const d = done.value;
  switch (d.done) {
    case 'lessonSaved':
      return redirectWithFlash(back, { message: 'common.saved' });
    case 'quizSaved':
      return redirectWithFlash(`${back}#quiz`, { message: 'common.saved' });
    case 'questions':
      return redirect(`${back}#questions`);
    case 'question':
      return redirect(`${back}#q-${d.id}`);
  }
}

export default function EditLesson() {
  const { course, lesson, quiz, questions, editing, editValues } = useLoaderData<typeof loader>();
  const ad = useActionData<typeof action>();
  const { t } = useT();
  const err = (i: string) => (ad?.intent === i ? ad.errors : undefined);
  const lv =
    ad?.intent === 'lesson' && ad.values
      ? ad.values
      : { title: lesson.title, body_md: lesson.body_md, video_url: lesson.video_url ?? '', completion_rule: lesson.completion_rule };
  const qv =
    ad?.intent === 'quiz' && ad.values
      ? ad.values
      : quiz
        ? {
            quiz_title: quiz.title,
            draw_count: quiz.draw_count ? String(quiz.draw_count) : '',
            max_attempts: quiz.max_attempts ? String(quiz.max_attempts) : '',
            pass_percent: String(quiz.pass_percent),
            shuffle_questions: quiz.shuffle_questions ? 'on' : '',
            shuffle_options: quiz.shuffle_options ? 'on' : '',
          }
        : { quiz_title: lesson.title, pass_percent: '70', shuffle_questions: 'on', shuffle_options: 'on' };
  const av = ad?.intent === 'add-question' && ad.values ? ad.values : {};
  // The question being edited: the one just posted with errors, or the one chosen by ?question=.
  const editId = ad?.intent === 'update-question' && ad.values?.questionId ? ad.values.questionId : editing;
  return (
    <>
      <Breadcrumb
        items={[
          { to: '/courses', label: t('courses.catalogue.title') },
          { to: `/courses/${course.slug}/edit`, label: course.title },
          { label: lesson.title },
        ]}
      />
      <h1>{t('courses.lessonEdit.title', { title: lesson.title })}</h1>
      <p>
        <Link to={`/courses/${course.slug}/lessons/${lesson.id}`}>{t('courses.edit.preview')}</Link>
      </p>
      <FormError error={ad?.errors?._form} />
      <Form method="post" noValidate>
        <input type="hidden" name="intent" value="lesson" />
        <TextField name="title" label={t('courses.fields.lessonTitle')} defaultValue={lv.title} error={err('lesson')?.title} />
        <TextArea
          name="body_md"
          label={t('courses.fields.body')}
          hint={t('courses.fields.bodyHint', { token: '{{resource:…}}' })}
          defaultValue={lv.body_md}
          error={err('lesson')?.body_md}
          rows={14}
        />
        <TextField
          name="video_url"
          label={t('courses.fields.video')}
          hint={t('courses.fields.videoHint')}
          defaultValue={lv.video_url}
          error={err('lesson')?.video_url}
        />
        <SelectField
          name="completion_rule"
          label={t('courses.fields.rule')}
          defaultValue={lv.completion_rule}
          error={err('lesson')?.completion_rule}
        >
          {COMPLETION_RULES.map((r) => (
            <option key={r} value={r}>
              {t(completionRuleLongLabel[r])}
            </option>
          ))}
        </SelectField>
        <button type="submit" className="primary">
          {t('courses.lessonEdit.save')}
        </button>
      </Form>

      <section aria-labelledby="quiz">
        <h2 id="quiz">{t('courses.lessonEdit.quiz')}</h2>
        <Form method="post" noValidate>
          <input type="hidden" name="intent" value="quiz" />
          <div className="form-grid">
            <TextField
              name="quiz_title"
              label={t('courses.fields.quizTitle')}
              defaultValue={qv.quiz_title}
              error={err('quiz')?.quiz_title}
            />
            <TextField
              name="pass_percent"
              type="number"
              min={0}
              max={100}
              label={t('courses.fields.passPercent')}
              defaultValue={qv.pass_percent}
              error={err('quiz')?.pass_percent}
            />
            <TextField
              name="draw_count"
              type="number"
              min={1}
              label={t('courses.fields.drawCount')}
              hint={t('courses.fields.drawCountHint')}
              defaultValue={qv.draw_count}
              error={err('quiz')?.draw_count}
            />
            <TextField
              name="max_attempts"
              type="number"
              min={1}
              label={t('courses.fields.maxAttempts')}
              hint={t('courses.fields.maxAttemptsHint')}
              defaultValue={qv.max_attempts}
              error={err('quiz')?.max_attempts}
            />
          </div>
          <div className="field checkbox">
            <label>
              <input type="checkbox" name="shuffle_questions" defaultChecked={qv.shuffle_questions === 'on'} />{' '}
              {t('courses.fields.shuffleQuestions')}
            </label>
            <label>
              <input type="checkbox" name="shuffle_options" defaultChecked={qv.shuffle_options === 'on'} />{' '}
              {t('courses.fields.shuffleOptions')}
            </label>
          </div>
          <button type="submit" className="secondary">
            {t('courses.lessonEdit.saveQuiz')}
          </button>
        </Form>

        <h3 id="questions">{t('courses.lessonEdit.questions', { count: questions.length })}</h3>
        <ol className="question-admin">
          {questions.map((q) => (
            <li key={q.id} id={`q-${q.id}`} className="card">
              <p>
                <span className="badge">{t(questionKindLabel[q.kind])}</span> {q.prompt}
              </p>
              {q.options.length ? (
                <ol type="1">
                  {q.options.map((o) => (
                    <li key={o.id}>{o.text}</li>
                  ))}
                </ol>
              ) : null}
              {editId === q.id ? (
                <fieldset id={`edit-${q.id}`} className="question-edit">
                  <legend>{t('courses.lessonEdit.editQuestion')}</legend>
                  <QuestionForm
                    intent="update-question"
                    idPrefix={`eq-${q.id}`}
                    questionId={q.id}
                    values={ad?.intent === 'update-question' && ad.values ? ad.values : (editValues ?? {})}
                    errors={err('update-question')}
                    submitLabel={t('courses.lessonEdit.saveQuestion')}
                  />
                  <p>
                    <Link to={`/courses/${course.slug}/edit/${lesson.id}#q-${q.id}`}>{t('courses.lessonEdit.cancelEdit')}</Link>
                  </p>
                </fieldset>
              ) : null}
              <div className="actions">
                {editId !== q.id ? (
                  <Link
                    to={`?question=${q.id}#edit-${q.id}`}
                    className="button secondary small"
                    aria-label={t('courses.edit.editNamed', { title: q.prompt })}
                  >
                    {t('common.edit')}
                  </Link>
                ) : null}
                <Form method="post" className="inline-form">
                  <input type="hidden" name="questionId" value={q.id} />
                  <button
                    type="submit"
                    name="intent"
                    value="delete-question"
                    className="danger button small"
                    aria-label={t('courses.edit.deleteNamed', { title: q.prompt })}
                  >
                    {t('common.delete')}
                  </button>
                </Form>
              </div>
            </li>
          ))}
        </ol>
        <fieldset>
          <legend>{t('courses.lessonEdit.addQuestion')}</legend>
          <QuestionForm
            intent="add-question"
            idPrefix="nq"
            formKey={questions.length}
            values={av}
            errors={err('add-question')}
            submitLabel={t('courses.lessonEdit.addQuestion')}
          />
        </fieldset>
      </section>
    </>
  );
}
