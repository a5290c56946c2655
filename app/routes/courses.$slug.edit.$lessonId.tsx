import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';

import { Breadcrumb } from '~/components/Breadcrumb';
import { QuestionForm } from '~/components/courses/QuestionForm';
import { FormError, SelectField, TextArea, TextField } from '~/components/Field';
import { COMPLETION_RULES } from '~/db/schema/courses';
import { ensureLessonQuiz, getLesson, updateLesson } from '~/domain/courses/courses.server';
import {
  addQuestion,
  deleteQuestion,
  getQuiz,
  listQuestions,
  type QuestionDef,
  questionToInput,
  updateQuestion,
} from '~/domain/quiz/quiz.server';
import { lessonSchema, questionSchema, quizSettingsSchema } from '~/forms/courses-lesson';
import { useT } from '~/i18n/i18n';
import { completionRuleLongLabel, questionKindLabel } from '~/i18n/labels';
import { loadCourseForEditor } from '~/lib/courses-access.server';
import { courseFailures } from '~/lib/failures/courses.server';
import { redirectWithFlash } from '~/lib/flash.server';
import { parseForm } from '~/lib/forms.server';
import { badRequest, notFound } from '~/lib/http.server';
import styles from '~/styles/courses.css';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.lesson.title ?? '' }];

async function load(request: Request, params: LoaderFunctionArgs['params']) {
  const { db, course } = await loadCourseForEditor(request, params.slug!);
  const lesson = await getLesson(db, course.id, params.lessonId!);
  if (!lesson) notFound();
  return { db, course, lesson };
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

type AD = { intent: string; errors?: Record<string, string>; values?: Record<string, string> };

export async function action({ request, params }: ActionFunctionArgs) {
  const { db, course, lesson } = await load(request, params);
  const form = await request.formData();
  const intent = String(form.get('intent') ?? '');
  const back = `/courses/${course.slug}/edit/${lesson.id}`;
  if (intent === 'lesson') {
    const r = parseForm(lessonSchema, form);
    if (!r.ok) return badRequest<AD>({ intent, errors: r.errors, values: r.values });
    await updateLesson(db, course.id, lesson.id, {
      title: r.data.title,
      bodyMd: r.data.body_md,
      videoUrl: r.data.video_url,
      completionRule: r.data.completion_rule,
    });
    return redirectWithFlash(back, { message: 'common.saved' });
  }
  if (intent === 'quiz') {
    const r = parseForm(quizSettingsSchema, form);
    if (!r.ok) return badRequest<AD>({ intent, errors: r.errors, values: r.values });
    await ensureLessonQuiz(db, course.id, lesson.id, {
      title: r.data.quiz_title,
      drawCount: r.data.draw_count,
      maxAttempts: r.data.max_attempts,
      passPercent: r.data.pass_percent,
      shuffleQuestions: r.data.shuffle_questions,
      shuffleOptions: r.data.shuffle_options,
    });
    return redirectWithFlash(`${back}#quiz`, { message: 'common.saved' });
  }
  if (intent === 'add-question') {
    const r = parseForm(questionSchema, form);
    if (!r.ok) return badRequest<AD>({ intent, errors: r.errors, values: r.values });
    const { bankId } = await ensureLessonQuiz(
      db,
      course.id,
      lesson.id,
      lesson.quiz_id
        ? await currentSettings(db, lesson.quiz_id)
        : { title: lesson.title, drawCount: null, maxAttempts: null, passPercent: 70, shuffleQuestions: true, shuffleOptions: true },
    );
    const added = await addQuestion(db, bankId, r.data);
    if (!added.ok) return badRequest<AD>({ intent, errors: { _form: courseFailures[added.code].message }, values: r.values });
    return redirect(`${back}#questions`);
  }
  if (intent === 'update-question' && lesson.quiz_id) {
    const quiz = await getQuiz(db, lesson.quiz_id);
    const questionId = String(form.get('questionId') ?? '');
    const r = parseForm(questionSchema, form);
    if (!r.ok) return badRequest<AD>({ intent, errors: r.errors, values: r.values });
    if (!quiz) notFound();
    const updated = await updateQuestion(db, quiz.bank_id, questionId, r.data);
    if (!updated.ok) return badRequest<AD>({ intent, errors: { _form: courseFailures[updated.code].message }, values: r.values });
    return redirect(`${back}#q-${questionId}`);
  }
  if (intent === 'delete-question' && lesson.quiz_id) {
    const quiz = await getQuiz(db, lesson.quiz_id);
    if (quiz) await deleteQuestion(db, quiz.bank_id, String(form.get('questionId') ?? ''));
    return redirect(`${back}#questions`);
  }
  return badRequest<AD>({ intent, errors: { _form: 'errors.invalid' } });
}

async function currentSettings(db: Parameters<typeof getQuiz>[0], quizId: string) {
  const q = (await getQuiz(db, quizId))!;
  return {
    title: q.title,
    drawCount: q.draw_count,
    maxAttempts: q.max_attempts,
    passPercent: q.pass_percent,
    shuffleQuestions: q.shuffle_questions === 1,
    shuffleOptions: q.shuffle_options === 1,
  };
}

export default function EditLesson() {
  const { course, lesson, quiz, questions, editing, editValues } = useLoaderData<typeof loader>();
  const ad = useActionData<AD>();
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
