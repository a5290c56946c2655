import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { Form, Link, useActionData, useFetcher, useLoaderData } from '@remix-run/react';
import { useRef } from 'react';

import { Breadcrumb } from '~/components/Breadcrumb';
import { runQuizAttempt } from '~/domain/courses/actions.server';
import { getLesson } from '~/domain/courses/courses.server';
import { getEnrolment } from '~/domain/courses/progress.server';
import { certificateFor } from '~/domain/courses/progress.server';
import { attemptsOf, getAttemptView, getQuiz, type PublicQuestion, type Response } from '~/domain/quiz/quiz.server';
import { quizAttemptSchema } from '~/forms/courses-learning';
import { useT } from '~/i18n/i18n';
import { asKey } from '~/i18n/keys';
import { labelText, trueFalseLabel } from '~/i18n/labels';
import { requireUser } from '~/lib/auth.server';
import { loadCourseForViewer } from '~/lib/courses-access.server';
import { formatDateTime } from '~/lib/dates';
import { courseFailures } from '~/lib/failures/courses.server';
import { redirectWithFlash } from '~/lib/flash.server';
import { parseForm } from '~/lib/forms.server';
import { notFound } from '~/lib/http.server';
import styles from '~/styles/courses.css';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => (data ? [{ title: data.quiz.title }] : []);

async function load(request: Request, params: LoaderFunctionArgs['params']) {
  const ctx = await loadCourseForViewer(request, params.slug!);
  const user = await requireUser(request);
  const lesson = await getLesson(ctx.db, ctx.course.id, params.lessonId!);
  if (!lesson?.quiz_id) notFound();
  const quiz = await getQuiz(ctx.db, lesson.quiz_id);
  if (!quiz) notFound();
  const enrolled = !!(await getEnrolment(ctx.db, ctx.course.id, user.id));
  if (!enrolled && !ctx.canEdit) throw redirect(`/courses/${ctx.course.slug}`);
  return { ...ctx, user, lesson, quiz };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db, course, user, lesson, quiz } = await load(request, params);
  const attempts = await attemptsOf(db, quiz.id, user.id);
  const url = new URL(request.url);
  const wanted = url.searchParams.get('attempt');
  const open = attempts.find((a) => a.status === 'in_progress');
  const shownId = open?.id ?? (wanted && attempts.some((a) => a.id === wanted) ? wanted : null);
  const view = shownId ? await getAttemptView(db, shownId, user.id) : null;
  const cert = await certificateFor(db, course.id, user.id);
  return json({
    course: { slug: course.slug, title: course.title },
    lesson: { id: lesson.id, title: lesson.title },
    quiz: { title: quiz.title, passPercent: quiz.pass_percent, maxAttempts: quiz.max_attempts, drawCount: quiz.draw_count },
    attempts: attempts.map((a) => ({
      id: a.id,
      no: a.attempt_no,
      status: a.status,
      score: a.score,
      max: a.max_score,
      passed: a.passed === 1,
      submittedAt: a.submitted_at,
    })),
    view,
    certificate: cert?.code ?? null,
    canStart: !open && (quiz.max_attempts == null || attempts.length < quiz.max_attempts),
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { db, course, user, lesson, quiz } = await load(request, params);
  const form = await request.formData();
  const r = parseForm(quizAttemptSchema, form);
  if (!r.ok) return json({ error: r.errors._form ?? r.errors.attemptId ?? 'errors.invalid' }, { status: 400 });
  const done = await runQuizAttempt(db, { courseId: course.id, lessonId: lesson.id, userId: user.id, quizId: quiz.id }, r.data, form);
  if (!done.ok) {
    if (done.code === 'not_found') notFound();
    return json({ error: courseFailures[done.code].message }, { status: courseFailures[done.code].status });
  }
  const here = `/courses/${course.slug}/lessons/${lesson.id}/quiz`;
  const d = done.value;
  switch (d.done) {
    case 'started':
      return redirect(here);
    case 'saved':
      if (d.autosave || request.headers.get('X-Autosave') === '1') return json({ savedAt: new Date().toISOString() });
      return redirectWithFlash(here, { message: 'common.saved' });
    case 'submitted':
      return redirect(`${here}?attempt=${d.attemptId}${d.certificateCode ? `&certificate=${d.certificateCode}` : ''}`);
  }
}

function QuestionField({ q, n, response, disabled }: { q: PublicQuestion; n: number; response: Response | undefined; disabled: boolean }) {
  const { t } = useT();
  const name = `q.${q.id}`;
  const legend = (
    <legend>
      <span className="q-no">{t('courses.quiz.questionN', { n })}</span> {q.prompt}{' '}
      <span className="muted">({t('courses.quiz.points', { count: q.points })})</span>
    </legend>
  );
  const hidden = <input type="hidden" name={`present.${q.id}`} value="1" />;
  if (q.kind === 'single' || q.kind === 'multiple') {
    const chosen = new Set(Array.isArray(response) ? response : response ? [response] : []);
    return (
      <fieldset className="question" disabled={disabled}>
        {legend}
        {hidden}
        {q.kind === 'multiple' ? <p className="muted">{t('courses.quiz.chooseAll')}</p> : null}
        {q.options.map((o) => (
          <label key={o.id} className="choice">
            <input type={q.kind === 'single' ? 'radio' : 'checkbox'} name={name} value={o.id} defaultChecked={chosen.has(o.id)} /> {o.text}
          </label>
        ))}
      </fieldset>
    );
  }
  if (q.kind === 'true_false') {
    return (
      <fieldset className="question" disabled={disabled}>
        {legend}
        {hidden}
        {(['true', 'false'] as const).map((v) => (
          <label key={v} className="choice">
            <input type="radio" name={name} value={v} defaultChecked={response === v} /> {t(trueFalseLabel[v])}
          </label>
        ))}
      </fieldset>
    );
  }
  if (q.kind === 'short') {
    return (
      <fieldset className="question" disabled={disabled}>
        {legend}
        {hidden}
        <label htmlFor={`i-${q.id}`} className="visually-hidden">
          {t('courses.quiz.yourAnswer')}
        </label>
        <input
          id={`i-${q.id}`}
          name={name}
          type="text"
          defaultValue={typeof response === 'string' ? response : ''}
          autoComplete="off"
          maxLength={500}
        />
      </fieldset>
    );
  }
  // Ordering: one "position" select per item, which needs no JavaScript.
  const order = Array.isArray(response) ? response : null;
  return (
    <fieldset className="question" disabled={disabled}>
      {legend}
      {hidden}
      <p className="muted">{t('courses.quiz.orderHint')}</p>
      {q.options.map((o, i) => (
        <div key={o.id} className="order-row">
          <select
            id={`o-${q.id}-${o.id}`}
            name={`q.${q.id}.pos.${o.id}`}
            defaultValue={String(order ? order.indexOf(o.id) + 1 || i + 1 : i + 1)}
          >
            {q.options.map((_, k) => (
              <option key={k} value={k + 1}>
                {k + 1}
              </option>
            ))}
          </select>{' '}
          <label htmlFor={`o-${q.id}-${o.id}`}>{o.text}</label>
        </div>
      ))}
    </fieldset>
  );
}

export default function QuizPage() {
  const { course, lesson, quiz, attempts, view, canStart, certificate } = useLoaderData<typeof loader>();
  const ad = useActionData<{ error?: string }>();
  const { t } = useT();
  const fetcher = useFetcher<{ savedAt?: string }>();
  const formRef = useRef<HTMLFormElement>(null);
  const timer = useRef<ReturnType<typeof setTimeout>>();
  const open = view?.attempt.status === 'in_progress';
  const autosave = () => {
    if (!formRef.current) return;
    clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      const fd = new FormData(formRef.current!);
      fd.set('intent', 'save');
      fd.set('autosave', '1');
      fetcher.submit(fd, { method: 'post' });
    }, 600);
  };
  return (
    <>
      <Breadcrumb
        items={[
          { to: `/courses/${course.slug}`, label: course.title },
          { to: `/courses/${course.slug}/lessons/${lesson.id}`, label: lesson.title },
          { label: quiz.title },
        ]}
      />
      <h1>{quiz.title}</h1>
      <p className="muted">
        {t('courses.quiz.rules', { pass: quiz.passPercent })}{' '}
        {quiz.maxAttempts ? t('courses.quiz.attemptsLeft', { used: attempts.length, max: quiz.maxAttempts }) : t('courses.quiz.unlimited')}
      </p>
      {ad?.error ? (
        <div className="form-error" role="alert">
          {t(asKey(ad.error))}
        </div>
      ) : null}
      {view && !open ? (
        <section className={`card result ${view.attempt.passed ? 'passed' : 'failed'}`} aria-labelledby="result-h">
          <h2 id="result-h">{view.attempt.passed ? t('courses.quiz.passed') : t('courses.quiz.failed')}</h2>
          <p>{t('courses.quiz.score', { score: view.attempt.score, max: view.attempt.maxScore, n: view.attempt.attemptNo })}</p>
          <div className="actions">
            {view.attempt.passed ? (
              <Link className="button" to={`/courses/${course.slug}/lessons/${lesson.id}`}>
                {t('courses.lesson.backToLesson')}
              </Link>
            ) : null}
            {certificate ? (
              <Link className="button" to={`/certificates/${certificate}`}>
                {t('courses.certificate.view')}
              </Link>
            ) : null}
          </div>
        </section>
      ) : null}
      {view ? (
        <Form method="post" ref={formRef} onChange={open ? autosave : undefined} className="quiz-form">
          <input type="hidden" name="attemptId" value={view.attempt.id} />
          {view.questions.map((q, i) => (
            <div key={q.id}>
              <QuestionField q={q} n={i + 1} response={view.responses[q.id]} disabled={!open} />
              {view.feedback?.[q.id] ? (
                <div className={`feedback ${view.feedback[q.id]!.correct ? 'ok' : 'wrong'}`}>
                  <strong>{view.feedback[q.id]!.correct ? t('courses.quiz.correct') : t('courses.quiz.wrong')}</strong>{' '}
                  {!view.feedback[q.id]!.correct ? (
                    <span>
                      {t('courses.quiz.rightAnswer')}:{' '}
                      {q.kind === 'true_false'
                        ? labelText(t, trueFalseLabel, view.feedback[q.id]!.answerText)
                        : view.feedback[q.id]!.answerText}
                    </span>
                  ) : null}
                  {view.feedback[q.id]!.explanation ? <p>{view.feedback[q.id]!.explanation}</p> : null}
                </div>
              ) : null}
            </div>
          ))}
          {open ? (
            <div className="actions sticky-actions">
              <button type="submit" name="intent" value="save" className="secondary">
                {t('courses.quiz.save')}
              </button>
              <button type="submit" name="intent" value="submit" className="primary">
                {t('courses.quiz.submit')}
              </button>
              <span role="status" className="muted">
                {fetcher.state !== 'idle'
                  ? t('courses.quiz.saving')
                  : fetcher.data?.savedAt
                    ? t('courses.quiz.autosaved', { time: formatDateTime(fetcher.data.savedAt) })
                    : ''}
              </span>
            </div>
          ) : null}
        </Form>
      ) : null}
      {canStart ? (
        <Form method="post">
          <button type="submit" name="intent" value="start" className="primary">
            {attempts.length ? t('courses.quiz.retry') : t('courses.quiz.start')}
          </button>
        </Form>
      ) : null}
      {attempts.length ? (
        <section aria-labelledby="attempts-h">
          <h2 id="attempts-h">{t('courses.quiz.history')}</h2>
          <ul>
            {attempts.map((a) => (
              <li key={a.id}>
                {a.status === 'submitted' ? (
                  <Link to={`?attempt=${a.id}`}>{t('courses.quiz.attemptLine', { n: a.no, score: a.score, max: a.max })}</Link>
                ) : (
                  t('courses.quiz.inProgress', { n: a.no })
                )}{' '}
                {a.status === 'submitted' ? (
                  <span className="badge">{a.passed ? t('courses.quiz.passed') : t('courses.quiz.failed')}</span>
                ) : null}
                {a.submittedAt ? <span className="muted"> · {formatDateTime(a.submittedAt)}</span> : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}
