import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';

import { Breadcrumb } from '~/components/Breadcrumb';
import { CHALLENGE_DONE_KEYS, CHALLENGE_GOAL_KEYS, CHALLENGE_KIND_KEYS, CHALLENGE_SCORE_KEYS } from '~/components/clubs/challenge-labels';
import { FormError } from '~/components/Field';
import { ScrollRegion } from '~/components/ScrollRegion';
import { challengePage, runChallengeAction } from '~/domain/clubs/challenges.server';
import { challengeActionSchema } from '~/forms/clubs-challenges';
import { useT } from '~/i18n/i18n';
import { getUser, requireUser } from '~/lib/auth.server';
import { formatDate } from '~/lib/dates';
import { getDb } from '~/lib/db.server';
import { clubFailures } from '~/lib/failures/clubs.server';
import { redirectWithFlash } from '~/lib/flash.server';
import { parseForm } from '~/lib/forms.server';
import { badRequest, notFound } from '~/lib/http.server';
import styles from '~/styles/clubs.css';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.challenge.name ?? '' }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await getUser(request);
  const page = await challengePage(getDb(), params.id ?? '', user?.id ?? null);
  if (page.status !== 'ok') notFound();
  return json({ ...page, signedIn: !!user });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const r = parseForm(challengeActionSchema, await request.formData());
  if (!r.ok) return badRequest({ ok: false as const, errors: r.errors });
  const done = await runChallengeAction(getDb(), user.id, params.id ?? '', r.data);
  if (!done.ok) {
    if (done.code === 'not_found') notFound();
    return badRequest({ ok: false as const, errors: { _form: clubFailures[done.code].message } });
  }
  return redirectWithFlash(`/clubs/challenges/${params.id}`, { message: done.value });
}

export default function ChallengePage() {
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const { t } = useT();
  const c = d.challenge;
  const stateKey = { running: 'clubs.challenges.running', coming: 'clubs.challenges.coming', ended: 'clubs.challenges.ended' } as const;
  return (
    <>
      <Breadcrumb
        items={[
          { to: '/clubs', label: t('clubs.directory.title') },
          { to: '/clubs/challenges', label: t('clubs.challenges.title') },
          { label: c.name },
        ]}
      />
      <h1>{c.name}</h1>
      <p className="lead">
        {c.clubSlug ? <Link to={`/clubs/${c.clubSlug}`}>{c.owner}</Link> : c.owner} · {t(CHALLENGE_KIND_KEYS[c.kind])}
      </p>
      <dl className="facts">
        <dt>{t('clubs.challenges.goalLabel')}</dt>
        <dd>{t(CHALLENGE_GOAL_KEYS[c.kind], { count: c.target })}</dd>
        <dt>{t('clubs.challenges.period')}</dt>
        <dd>
          {formatDate(c.startsOn)}–{formatDate(c.endsOn)} ({t(stateKey[c.state])})
        </dd>
        <dt>{t('clubs.challenges.taking')}</dt>
        <dd>
          {t('clubs.challenges.participants', { count: d.participants })} · {t('clubs.challenges.finishers', { count: d.finishers })}
        </dd>
      </dl>
      <FormError error={a?.errors._form} />

      {d.mine ? (
        <section className="card" aria-labelledby="mine-h">
          <h2 id="mine-h">{t('clubs.challenges.myProgress')}</h2>
          <progress max={d.mine.progress.target} value={Math.min(d.mine.progress.done, d.mine.progress.target)} aria-labelledby="mine-h">
            {d.mine.progress.percent}%
          </progress>{' '}
          <span>
            {t(CHALLENGE_DONE_KEYS[c.kind], { done: d.mine.progress.done, target: d.mine.progress.target })} ({d.mine.progress.percent}%)
          </span>
          {d.mine.completed ? <p className="badge">{t('clubs.reading.completed')}</p> : null}
          {d.mine.certificate ? (
            <p>
              <Link to={`/certificates/${d.mine.certificate}`}>{t('clubs.challenges.certificate')}</Link> ·{' '}
              <Link to={`/verify/${d.mine.certificate}`}>{t('clubs.challenges.verify', { code: d.mine.certificate })}</Link>
            </p>
          ) : null}
          <p>
            <Link to="/reading">{t('clubs.challenges.logHere')}</Link>
          </p>
          <Form method="post" className="inline-form">
            <input type="hidden" name="intent" value="board" />
            <input type="hidden" name="show" value={d.mine.onBoard ? '0' : '1'} />
            <button type="submit" className="secondary small">
              {d.mine.onBoard ? t('clubs.challenges.hideMe') : t('clubs.challenges.showMe')}
            </button>
          </Form>{' '}
          {!d.mine.completed ? (
            <Form method="post" className="inline-form">
              <input type="hidden" name="intent" value="leave" />
              <button type="submit" className="link-button">
                {t('clubs.challenges.leave')}
              </button>
            </Form>
          ) : null}
        </section>
      ) : d.canJoin ? (
        <Form method="post">
          <input type="hidden" name="intent" value="join" />
          <button type="submit" className="primary">
            {t('clubs.challenges.join')}
          </button>
        </Form>
      ) : !d.signedIn ? (
        <p>
          <Link to={`/login?next=/clubs/challenges/${c.id}`}>{t('clubs.challenges.signInToJoin')}</Link>
        </p>
      ) : null}

      <section aria-labelledby="board-h">
        <h2 id="board-h">{t('clubs.challenges.board')}</h2>
        <p className="muted">{t('clubs.challenges.boardPrivacy')}</p>
        {!d.seesNames ? (
          <p>{t('clubs.challenges.boardForParticipants')}</p>
        ) : d.board.length === 0 ? (
          <p>{t('clubs.challenges.boardEmpty')}</p>
        ) : (
          <ol className="leaderboard">
            {d.board.map((b) => (
              <li key={b.id} aria-current={b.me ? 'true' : undefined}>
                <strong>{b.name}</strong>
                {b.me ? ` (${t('clubs.challenges.you')})` : ''} — {t(CHALLENGE_SCORE_KEYS[c.kind], { count: b.done })}
                {b.finished ? ` ✓ ${t('clubs.reading.completed')}` : ''}
              </li>
            ))}
          </ol>
        )}
      </section>

      {d.classBoard.length ? (
        <section aria-labelledby="classes-h">
          <h2 id="classes-h">{t('clubs.challenges.classes')}</h2>
          <p className="muted">{t('clubs.challenges.classesPrivacy', { count: d.minClass })}</p>
          <ScrollRegion label={t('clubs.challenges.classes')}>
            <table className="data">
              <thead>
                <tr>
                  <th scope="col">{t('clubs.school.class')}</th>
                  <th scope="col">{t('clubs.challenges.classTaking')}</th>
                  <th scope="col">{t('clubs.challenges.classAverage')}</th>
                  <th scope="col">{t('clubs.challenges.classFinished')}</th>
                </tr>
              </thead>
              <tbody>
                {d.classBoard.map((k) => (
                  <tr key={k.name}>
                    <th scope="row">{k.name}</th>
                    <td>
                      {k.taking}/{k.students}
                    </td>
                    <td>{k.averagePercent === null ? t('clubs.challenges.tooFew') : `${k.averagePercent}%`}</td>
                    <td>{k.finished === null ? '—' : k.finished}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollRegion>
        </section>
      ) : null}
    </>
  );
}
