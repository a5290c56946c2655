import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';

import { Breadcrumb } from '~/components/Breadcrumb';
import { FormError } from '~/components/Field';
import { pollPage } from '~/domain/clubs/pages.server';
import { castBallot, closePoll } from '~/domain/clubs/polls.server';
import { useT } from '~/i18n/i18n';
import { getUser, requireUser } from '~/lib/auth.server';
import { formatDateTime } from '~/lib/dates';
import { getDb } from '~/lib/db.server';
import { failure } from '~/lib/failures/clubs.server';
import { redirectWithFlash } from '~/lib/flash.server';
import { forbidden, notFound } from '~/lib/http.server';
import styles from '~/styles/clubs.css';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => (data ? [{ title: data.poll.question }] : []);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await getUser(request);
  const page = await pollPage(getDb(), params.slug ?? '', params.id ?? '', user?.id ?? null);
  if (page.status === 'missing' || page.status === 'hidden') notFound();
  if (page.status !== 'ok') forbidden();
  return json(page);
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const db = getDb();
  const page = await pollPage(db, params.slug ?? '', params.id ?? '', user.id);
  if (page.status !== 'ok') notFound();
  const form = await request.formData();
  const here = `/clubs/${params.slug}/polls/${params.id}`;
  if (form.get('intent') === 'close') {
    const r = await closePoll(db, page.poll.id, { userId: user.id });
    return r.ok ? redirectWithFlash(here, { message: 'clubs.flash.pollClosed' }) : failure(r);
  }
  // choice1…choiceN selects: the member's order of preference; empty ones are skipped.
  const ranking: string[] = [];
  for (let i = 1; i <= page.options.length; i++) {
    const v = form.get(`choice${i}`);
    if (typeof v === 'string' && v) ranking.push(v.slice(0, 40));
  }
  const values = Object.fromEntries(ranking.map((r, i) => [`choice${i + 1}`, r]));
  const r = await castBallot(db, user.id, page.poll.id, ranking);
  return r.ok ? redirectWithFlash(here, { message: 'clubs.flash.voted' }) : failure(r, values);
}

export default function PollPage() {
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const { t } = useT();
  const label = (id: string | null) => d.options.find((o) => o.id === id)?.label ?? '';
  const chosen = (i: number) => a?.values?.[`choice${i + 1}`] ?? d.mine?.[i] ?? '';
  return (
    <>
      <Breadcrumb
        items={[
          { to: '/clubs', label: t('clubs.directory.title') },
          { to: `/clubs/${d.club.slug}`, label: d.club.name },
          { label: d.poll.question },
        ]}
      />
      <h1>{d.poll.question}</h1>
      <p className="muted">
        {d.poll.open ? t('clubs.club.closesAt', { at: formatDateTime(d.poll.closesAt) }) : t('clubs.club.results')} ·{' '}
        {t('clubs.poll.ballots', { count: d.ballots })}
      </p>
      <FormError error={a && !a.ok ? a.message : null} />

      {d.poll.open && d.access.isMember ? (
        <section className="card" aria-labelledby="ballot-h">
          <h2 id="ballot-h">{t('clubs.poll.ballot')}</h2>
          <p className="muted">{d.mine ? t('clubs.poll.voted') : t('clubs.poll.ballotHint')}</p>
          <Form method="post">
            {d.options.map((_, i) => (
              <div className="field" key={i}>
                <label htmlFor={`choice${i + 1}`}>{t('clubs.poll.choice', { n: i + 1 })}</label>
                <select id={`choice${i + 1}`} name={`choice${i + 1}`} defaultValue={chosen(i)}>
                  <option value="">{t('clubs.poll.noChoice')}</option>
                  {d.options.map((o) => (
                    <option key={o.id} value={o.id}>
                      {o.label}
                    </option>
                  ))}
                </select>
              </div>
            ))}
            <button type="submit" className="primary">
              {t('clubs.poll.vote')}
            </button>
          </Form>
        </section>
      ) : null}
      {d.poll.open ? (
        <ul>
          {d.options.map((o) => (
            <li key={o.id}>{o.label}</li>
          ))}
        </ul>
      ) : null}
      {d.poll.open && d.access.canModerate ? (
        <Form method="post">
          <input type="hidden" name="intent" value="close" />
          <button type="submit" className="secondary">
            {t('clubs.poll.close')}
          </button>
        </Form>
      ) : null}

      {d.tally ? (
        <section aria-labelledby="res-h">
          <h2 id="res-h">{d.tally.winner ? t('clubs.poll.winner', { label: label(d.tally.winner) }) : t('clubs.poll.noWinner')}</h2>
          {d.tally.rounds.length ? (
            <>
              <h3>{t('clubs.poll.rounds')}</h3>
              <div className="table-scroll">
                <table className="data">
                  <thead>
                    <tr>
                      <th scope="col">{t('clubs.poll.book')}</th>
                      {d.tally.rounds.map((_, i) => (
                        <th scope="col" key={i}>
                          {t('clubs.poll.round', { n: i + 1 })}
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {d.options.map((o) => (
                      <tr key={o.id}>
                        <th scope="row">{o.label}</th>
                        {d.tally!.rounds.map((r, i) => (
                          <td key={i}>{r.counts[o.id] ?? '—'}</td>
                        ))}
                      </tr>
                    ))}
                    <tr>
                      <th scope="row">{t('clubs.poll.exhausted')}</th>
                      {d.tally.rounds.map((r, i) => (
                        <td key={i}>{r.exhausted}</td>
                      ))}
                    </tr>
                  </tbody>
                </table>
              </div>
              <ol>
                {d.tally.rounds
                  .filter((r) => r.eliminated)
                  .map((r, i) => (
                    <li key={i}>{t('clubs.poll.eliminated', { label: label(r.eliminated) })}</li>
                  ))}
              </ol>
            </>
          ) : null}
        </section>
      ) : null}
    </>
  );
}
