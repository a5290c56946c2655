import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import type { ShouldRevalidateFunction } from '@remix-run/react';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { useRef } from 'react';

import { Breadcrumb } from '~/components/Breadcrumb';
import { formatDuration, RoundPhaseBadge } from '~/components/contests/RoundPhase';
import { useAnswerAutosave } from '~/components/contests/useAnswerAutosave';
import { FormError } from '~/components/Field';
import { attemptView, type QuestionShape, saveAttemptAnswers, startAttempt, submitAttemptAnswers } from '~/domain/contests/attempts.server';
import { roundPhase } from '~/domain/contests/contests.server';
import { roundPage } from '~/domain/contests/pages.server';
import { type PublicQuestion, type Response, responsesFromForm } from '~/domain/quiz/quiz.server';
import { predictionSchema, roundTakeSchema } from '~/forms/contests';
import { useT } from '~/i18n/i18n';
import { asKey } from '~/i18n/keys';
import { requireUser } from '~/lib/auth.server';
import { contestFailures } from '~/lib/contests-http.server';
import { formatDateTime } from '~/lib/dates';
import { getDb } from '~/lib/db.server';
import { redirectWithFlash } from '~/lib/flash.server';
import { parseForm } from '~/lib/forms.server';
import { notFound } from '~/lib/http.server';
import { allowContestSave, allowContestStart } from '~/lib/rate-limit.server';
import { failure } from '~/lib/result-http.server';
import styles from '~/styles/contests.css';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => (data ? [{ title: `${data.round.title} · ${data.contest.title}` }] : []);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const db = getDb();
  const p = await roundPage(db, params.slug!, params.roundId!, user.id);
  if (p.status !== 'ok') notFound();
  const open = p.attempts.find((a) => a.status === 'in_progress');
  const shown = open ?? p.attempts.at(-1);
  const view = shown ? await attemptView(db, shown.id, user.id) : null;
  const phase = roundPhase(p.round);
  return json({
    contest: {
      slug: p.contest.slug,
      title: p.contest.title,
      maxAttempts: p.contest.max_attempts,
      predictionKind: p.contest.prediction_kind,
    },
    round: {
      id: p.round.id,
      title: p.round.title,
      closesAt: p.round.closes_at,
      timeLimitS: p.round.time_limit_s,
      published: p.round.results_status === 'published',
    },
    phase,
    registered: !!p.entrant,
    attemptsUsed: p.attempts.length,
    canStart: !!p.entrant && phase === 'open' && !open && p.attempts.length < p.contest.max_attempts,
    view,
  });
}

/**
 * An autosave changes nothing this page shows: no reload of its data after one (issue #14: saves/s). The page's
 * script now posts autosaves to `…/attempt` (useAnswerAutosave); `autosave=1` here serves pages loaded before that.
 */
export const shouldRevalidate: ShouldRevalidateFunction = ({ formData, defaultShouldRevalidate }) =>
  formData?.get('autosave') === '1' ? false : defaultShouldRevalidate;

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const db = getDb();
  const form = await request.formData();
  const parsed = parseForm(roundTakeSchema, form);
  if (parsed.ok && parsed.data.intent === 'save') {
    // The hot path (answers save every few seconds): one domain call that reads only what a save needs.
    const d = parsed.data;
    if (!(await allowContestSave(user.id))) return failure(contestFailures, { ok: false, code: 'rate_limited' });
    const at = { slug: params.slug!, roundId: params.roundId!, attemptId: d.attemptId, userId: user.id };
    const r = await saveAttemptAnswers(db, at, (questions) => responsesFromForm(questions, form));
    if (!r.ok && r.code === 'not_found') notFound();
    if (d.autosave) return json({ savedAt: r.ok ? new Date().toISOString() : null, error: r.ok ? null : contestFailures[r.code].message });
    const here = `/contests/${params.slug}/rounds/${params.roundId}`;
    if (!r.ok) return redirectWithFlash(here, { message: contestFailures[r.code].message, kind: 'error' });
    return redirectWithFlash(here, { message: 'contests.flash.saved' });
  }
  if (parsed.ok && parsed.data.intent === 'submit') {
    // Submitting reads the attempt the same way; a prediction that is not a whole number keeps the answers.
    const at = { slug: params.slug!, roundId: params.roundId!, attemptId: parsed.data.attemptId, userId: user.id };
    const read = (questions: QuestionShape[]) => responsesFromForm(questions, form);
    const pr = parseForm(predictionSchema, form);
    if (!pr.ok) {
      const saved = await saveAttemptAnswers(db, at, read);
      if (!saved.ok && saved.code === 'not_found') notFound();
      return json({ errors: pr.errors, values: pr.values }, { status: 400 });
    }
    const r = await submitAttemptAnswers(db, at, read, pr.data.prediction);
    if (!r.ok) notFound();
    return redirectWithFlash(`/contests/${params.slug}/rounds/${params.roundId}`, {
      message: r.value.late ? 'contests.flash.submittedLate' : 'contests.flash.submitted',
    });
  }
  const p = await roundPage(db, params.slug!, params.roundId!, user.id);
  if (p.status !== 'ok') notFound();
  const here = `/contests/${p.contest.slug}/rounds/${p.round.id}`;
  if (!parsed.ok) return json({ errors: parsed.errors, values: parsed.values }, { status: 400 });
  const d = parsed.data;
  if (d.intent !== 'start') notFound(); // saving and submitting were answered above
  if (!(await allowContestStart(user.id))) return failure(contestFailures, { ok: false, code: 'rate_limited' });
  const r = await startAttempt(db, p.round.id, user.id);
  if (!r.ok) return failure(contestFailures, r);
  return redirect(here);
}

function Question({ q, n, response, disabled }: { q: PublicQuestion; n: number; response: Response | undefined; disabled: boolean }) {
  const { t } = useT();
  const name = `q.${q.id}`;
  const chosen = new Set(Array.isArray(response) ? response : response ? [response] : []);
  const options =
    q.kind === 'true_false'
      ? [
          { id: 'true', text: t('contests.take.true') },
          { id: 'false', text: t('contests.take.false') },
        ]
      : q.options;
  return (
    <fieldset className="contest-question" disabled={disabled}>
      <legend>
        {t('contests.take.questionN', { n })} {q.prompt}
      </legend>
      <input type="hidden" name={`present.${q.id}`} value="1" />
      {q.kind === 'multiple' ? <p className="muted">{t('contests.take.chooseAll')}</p> : null}
      {options.map((o) => (
        <label key={o.id} className="choice">
          <input type={q.kind === 'multiple' ? 'checkbox' : 'radio'} name={name} value={o.id} defaultChecked={chosen.has(o.id)} /> {o.text}
        </label>
      ))}
    </fieldset>
  );
}

export default function TakeRound() {
  const d = useLoaderData<typeof loader>();
  const data = useActionData<{ errors?: Record<string, string>; values?: Record<string, string>; message?: string }>();
  const { t } = useT();
  const formRef = useRef<HTMLFormElement>(null);
  const view = d.view;
  const open = view?.status === 'in_progress';
  const { autosave, status } = useAnswerAutosave(formRef, `/contests/${d.contest.slug}/rounds/${d.round.id}/attempt`);
  const base = `/contests/${d.contest.slug}`;
  return (
    <>
      <Breadcrumb
        items={[{ to: '/contests', label: t('contests.list.title') }, { to: base, label: d.contest.title }, { label: d.round.title }]}
      />
      <h1>
        {d.round.title} <RoundPhaseBadge phase={d.phase} />
      </h1>
      <FormError error={data?.message ?? data?.errors?._form} />
      {!d.registered ? (
        <p>
          <Link to={base}>{t('contests.take.registerFirst')}</Link>
        </p>
      ) : null}
      {d.canStart ? (
        <Form method="post">
          <p>{t('contests.take.intro', { minutes: Math.round(d.round.timeLimitS / 60) })}</p>
          {d.attemptsUsed > 0 ? <p>{t('contests.take.attemptsUsed', { used: d.attemptsUsed, max: d.contest.maxAttempts })}</p> : null}
          <input type="hidden" name="intent" value="start" />
          <button type="submit">{d.attemptsUsed ? t('contests.take.startAgain') : t('contests.take.start')}</button>
        </Form>
      ) : null}
      {view && !open ? (
        <section className="card" aria-labelledby="done-h">
          <h2 id="done-h">{t('contests.take.submittedTitle')}</h2>
          <p>{t('contests.take.yourScore', { score: view.score ?? 0, max: view.maxScore ?? 0, time: formatDuration(view.durationMs) })}</p>
          {view.prediction != null ? <p>{t('contests.take.yourPrediction', { n: view.prediction })}</p> : null}
          <p>
            {d.round.published ? (
              <Link to={`${base}/rounds/${d.round.id}/results`}>{t('contests.page.results')}</Link>
            ) : (
              t('contests.page.awaitResults')
            )}
          </p>
        </section>
      ) : null}
      {view && open ? (
        <Form method="post" ref={formRef} onChange={autosave}>
          <p className="contest-deadline">{t('contests.take.deadline', { at: formatDateTime(view.deadlineAt) })}</p>
          <input type="hidden" name="attemptId" value={view.id} />
          {view.questions.map((q, i) => (
            <Question key={q.id} q={q} n={i + 1} response={view.responses[q.id]} disabled={false} />
          ))}
          <p aria-live="polite" className="muted">
            {status ? t(status) : ''}
          </p>
          <button type="submit" name="intent" value="save" className="secondary" formNoValidate>
            {t('contests.take.save')}
          </button>
          <div className={`field${data?.errors?.prediction ? ' has-error' : ''}`}>
            <label htmlFor="f-prediction">
              {d.contest.predictionKind === 'perfect' ? t('contests.take.predictPerfect') : t('contests.take.predictParticipants')}
            </label>
            <input
              id="f-prediction"
              name="prediction"
              inputMode="numeric"
              defaultValue={data?.values?.prediction ?? ''}
              aria-invalid={data?.errors?.prediction ? true : undefined}
              aria-describedby={data?.errors?.prediction ? 'f-prediction-error' : undefined}
              required
            />
            {data?.errors?.prediction ? (
              <p id="f-prediction-error" className="field-error" role="alert">
                {t(asKey(data.errors.prediction))}
              </p>
            ) : null}
          </div>
          <button type="submit" name="intent" value="submit">
            {t('contests.take.submit')}
          </button>
        </Form>
      ) : null}
    </>
  );
}
