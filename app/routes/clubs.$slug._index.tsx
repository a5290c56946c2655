import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';

import { Breadcrumb } from '~/components/Breadcrumb';
import { FormError, TextField } from '~/components/Field';
import { clubPage } from '~/domain/clubs/pages.server';
import { asClubPageView } from '~/domain/clubs/shell.server';
import { useT } from '~/i18n/i18n';
import { detectLocale } from '~/i18n/i18n.server';
import { getUser } from '~/lib/auth.server';
import { clubFormAction } from '~/lib/clubs-http.server';
import { formatDateTime } from '~/lib/dates';
import { getDb } from '~/lib/db.server';
import { forbidden, notFound } from '~/lib/http.server';
import { localName } from '~/lib/names';
import { shellView } from '~/lib/shell-identity.server';
import styles from '~/styles/clubs.css';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => (data ? [{ title: data.club.name }] : []);

const BANDS = ['child', 'youth', 'adult', 'elder', 'unknown'] as const;
const BAND_KEYS = {
  child: 'clubs.bands.child',
  youth: 'clubs.bands.youth',
  adult: 'clubs.bands.adult',
  elder: 'clubs.bands.elder',
  unknown: 'clubs.bands.unknown',
} as const;
const AUDIENCE_KEYS = {
  children: 'clubs.audiences.children',
  youth: 'clubs.audiences.youth',
  adult: 'clubs.audiences.adult',
  all: 'clubs.audiences.all',
} as const;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await getUser(request);
  // A shared signed-in render (app/lib/page-shell.server.ts) sees its stand-in as its visitors are seen.
  const page = await clubPage(getDb(), params.slug ?? '', user?.id ?? null, new Date(), asClubPageView(shellView(request)));
  if (page.status === 'missing' || page.status === 'hidden') notFound();
  if (page.status !== 'ok') forbidden();
  const locale = detectLocale(request);
  return json({
    ...page,
    unitName: localName(page.club.unit, locale),
    signedIn: !!user,
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  return clubFormAction(request, params.slug ?? '', (club, data) =>
    data.intent === 'rsvp'
      ? `/clubs/${club.slug}#meeting-${data.meeting}`
      : data.intent.startsWith('pair-')
        ? `/clubs/${club.slug}#pairs`
        : `/clubs/${club.slug}`,
  );
}

function Button({ intent, label, member, className }: { intent: string; label: string; member?: string; className?: string }) {
  return (
    <Form method="post" className="inline-form">
      <input type="hidden" name="intent" value={intent} />
      {member ? <input type="hidden" name="member" value={member} /> : null}
      <button type="submit" className={className ?? 'secondary small'}>
        {label}
      </button>
    </Form>
  );
}

function PairButton({ intent, pair, label, primary }: { intent: string; pair: string; label: string; primary?: boolean }) {
  return (
    <Form method="post" className="inline-form">
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="pair" value={pair} />
      <button type="submit" className={primary ? 'primary small' : 'secondary small'}>
        {label}
      </button>
    </Form>
  );
}

export default function ClubPage() {
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const { t } = useT();
  const { club, access } = d;
  const total = BANDS.reduce((s, b) => s + d.mix[b], 0);
  const mine = access.membership;
  return (
    <>
      <Breadcrumb items={[{ to: '/clubs', label: t('clubs.directory.title') }, { label: club.name }]} />
      <h1>{club.name}</h1>
      <p className="muted">
        {t('clubs.club.unit', { unit: d.unitName })} · {t(AUDIENCE_KEYS[club.audience])}
        {club.intergenerational ? <span className="badge"> {t('clubs.badge.intergenerational')}</span> : null}
      </p>
      {club.status === 'pending' ? <p className="notice">{t('clubs.club.pendingClub')}</p> : null}
      {club.status === 'closed' ? <p className="notice">{t('clubs.club.closed')}</p> : null}
      <FormError error={a && !a.ok ? a.message : null} />

      <section aria-labelledby="join-h" className="card">
        <h2 id="join-h" className="visually-hidden">
          {t('clubs.club.join')}
        </h2>
        {!d.signedIn ? (
          <Link to={`/login?redirectTo=${encodeURIComponent(`/clubs/${club.slug}`)}`} className="button">
            {t('clubs.club.signInToJoin')}
          </Link>
        ) : mine?.status === 'active' ? (
          <Button intent="leave" label={t('clubs.club.leave')} />
        ) : mine?.status === 'pending' ? (
          <p>{t('clubs.club.pendingMine')}</p>
        ) : club.status === 'active' ? (
          club.visibility === 'code' ? (
            <Form method="post" noValidate>
              <input type="hidden" name="intent" value="join" />
              <TextField
                name="code"
                label={t('clubs.club.code')}
                defaultValue={a?.values?.code}
                autoComplete="off"
                maxLength={20}
                required
              />
              <button type="submit">{t('clubs.club.join')}</button>
            </Form>
          ) : (
            <Button
              intent="join"
              label={club.visibility === 'request' ? t('clubs.club.requestJoin') : t('clubs.club.join')}
              className="primary"
            />
          )
        ) : null}
        {club.joinCode ? <p>{t('clubs.club.codeShare', { code: club.joinCode })}</p> : null}
        {access.canApprove && club.status === 'pending' ? (
          <Button intent="approve-club" label={t('clubs.club.approve')} className="primary" />
        ) : null}
      </section>

      <section aria-labelledby="about-h">
        <h2 id="about-h">{t('clubs.club.about')}</h2>
        <div className="prose" dangerouslySetInnerHTML={{ __html: club.descriptionHtml }} />
      </section>

      <section aria-labelledby="gen-h">
        <h2 id="gen-h">{t('clubs.club.generations')}</h2>
        <p className="muted">{t('clubs.club.generationsNote')}</p>
        <div className="gen-bar" aria-hidden="true">
          {BANDS.filter((b) => d.mix[b] > 0).map((b) => (
            <span key={b} className={`gen-${b}`} style={{ flexGrow: d.mix[b] }} />
          ))}
        </div>
        <table className="data">
          <caption className="visually-hidden">{t('clubs.club.generations')}</caption>
          <tbody>
            {BANDS.filter((b) => b !== 'unknown' || d.mix.unknown > 0).map((b) => (
              <tr key={b}>
                <th scope="row">
                  <span className={`gen-dot gen-${b}`} aria-hidden="true" /> {t(BAND_KEYS[b])}
                </th>
                <td>{d.mix[b]}</td>
              </tr>
            ))}
            <tr>
              <th scope="row">{t('clubs.club.members')}</th>
              <td>{total}</td>
            </tr>
            <tr>
              <th scope="row">{t('clubs.pairs.cross')}</th>
              <td>{d.pairs.crossGeneration}</td>
            </tr>
          </tbody>
        </table>
      </section>

      {access.canReadInside ? (
        <>
          <nav aria-label={t('clubs.schedule.title')} className="club-links">
            <Link to={`/clubs/${club.slug}/schedule`}>{t('clubs.schedule.title')}</Link> ·{' '}
            <Link to={`/clubs/${club.slug}/discussion`}>{t('clubs.discussion.title')}</Link>
          </nav>
          <section aria-labelledby="meet-h">
            <h2 id="meet-h">{t('clubs.club.meetings')}</h2>
            {access.canModerate && club.status === 'active' ? (
              <p>
                <Link to={`/clubs/${club.slug}/meetings/new`}>{t('clubs.club.newMeeting')}</Link>
              </p>
            ) : null}
            {d.meetings.length === 0 ? <p className="muted">{t('clubs.club.noMeetings')}</p> : null}
            <ul className="card-list">
              {d.meetings.map((m) => (
                <li key={m.id} id={`meeting-${m.id}`} className="card">
                  <h3>
                    <Link to={`/clubs/${club.slug}/meetings/${m.id}`}>{m.title}</Link>
                  </h3>
                  <p>
                    {formatDateTime(m.startsAt)} · {m.mode === 'online' ? t('clubs.club.online') : t('clubs.club.inPerson')} ·{' '}
                    {m.capacity
                      ? t('clubs.club.seats', { confirmed: m.confirmed, capacity: m.capacity })
                      : t('clubs.club.seatsOpen', { confirmed: m.confirmed })}
                  </p>
                  {m.status === 'cancelled' ? (
                    <p className="notice">{t('clubs.meeting.cancelled')}</p>
                  ) : access.isMember ? (
                    <Form method="post" className="button-row">
                      <input type="hidden" name="intent" value="rsvp" />
                      <input type="hidden" name="meeting" value={m.id} />
                      <button
                        type="submit"
                        name="answer"
                        value="yes"
                        className={m.mine === 'confirmed' || m.mine === 'waitlisted' ? 'primary small' : 'secondary small'}
                        aria-pressed={m.mine !== 'none'}
                      >
                        {t('clubs.club.rsvpYes')}
                      </button>
                      <button type="submit" name="answer" value="maybe" className="secondary small">
                        {t('clubs.club.rsvpMaybe')}
                      </button>
                      <button type="submit" name="answer" value="no" className="secondary small">
                        {t('clubs.club.rsvpNo')}
                      </button>
                    </Form>
                  ) : null}
                  {m.mine === 'confirmed' ? <p>{t('clubs.club.state.confirmed')}</p> : null}
                  {m.mine === 'waitlisted' ? (
                    <p>
                      <Link to={`/clubs/${club.slug}/meetings/${m.id}`}>{t('clubs.meeting.waitlist')}</Link>
                    </p>
                  ) : null}
                </li>
              ))}
            </ul>
            <p>
              <a href={`/clubs/${club.slug}/calendar.ics`}>{t('clubs.club.calendar')}</a>
            </p>
          </section>

          <section aria-labelledby="poll-h">
            <h2 id="poll-h">{t('clubs.club.polls')}</h2>
            {access.canModerate && club.status === 'active' ? (
              <p>
                <Link to={`/clubs/${club.slug}/polls/new`}>{t('clubs.club.newPoll')}</Link>
              </p>
            ) : null}
            {d.polls.length === 0 ? (
              <p className="muted">{t('clubs.club.noPolls')}</p>
            ) : (
              <ul>
                {d.polls.map((p) => (
                  <li key={p.id}>
                    <Link to={`/clubs/${club.slug}/polls/${p.id}`}>{p.question}</Link>{' '}
                    <span className="muted">
                      {p.status === 'open' ? t('clubs.club.closesAt', { at: formatDateTime(p.closes_at) }) : t('clubs.club.results')}
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </section>

          <section aria-labelledby="members-h">
            <h2 id="members-h">{t('clubs.club.members')}</h2>
            <p>
              {t('clubs.members.count', { count: total })}
              {d.moderators.length ? ` · ${t('clubs.members.moderators', { names: d.moderators.join(', ') })}` : null}
            </p>
            {d.pendingRequests > 0 ? (
              <p>
                <Link to={`/clubs/${club.slug}/members#requests`}>{t('clubs.members.requestsWaiting', { count: d.pendingRequests })}</Link>
              </p>
            ) : null}
            <p>
              <Link to={`/clubs/${club.slug}/members`}>{t('clubs.members.all', { count: total })}</Link>
            </p>
          </section>
          {access.isMember ? (
            <section id="pairs" aria-labelledby="pairs-h">
              <h2 id="pairs-h">{t('clubs.pairs.title')}</h2>
              <p className="muted">{t('clubs.pairs.intro')}</p>
              {d.pairs.mine.length === 0 ? <p className="muted">{t('clubs.pairs.none')}</p> : null}
              <p>
                <Link to={`/clubs/${club.slug}/members`}>{t('clubs.members.inviteFromList')}</Link>
              </p>
              <ul>
                {d.pairs.mine.map((p) => (
                  <li key={p.id}>
                    {p.status === 'accepted'
                      ? t('clubs.pairs.with', { name: p.otherName })
                      : p.incoming
                        ? t('clubs.pairs.incoming', { name: p.otherName })
                        : t('clubs.pairs.outgoing', { name: p.otherName })}{' '}
                    {p.incoming ? (
                      <>
                        <PairButton intent="pair-accept" pair={p.id} label={t('clubs.pairs.accept')} primary />{' '}
                        <PairButton intent="pair-decline" pair={p.id} label={t('clubs.pairs.decline')} />
                      </>
                    ) : p.status === 'accepted' ? (
                      <PairButton intent="pair-end" pair={p.id} label={t('clubs.pairs.end')} />
                    ) : null}
                  </li>
                ))}
              </ul>
              {d.pairs.mine.some((p) => p.status === 'accepted') ? (
                <p>
                  <Link to="/reading">{t('clubs.pairs.logTogether')}</Link>
                </p>
              ) : null}
            </section>
          ) : null}
          {access.canModerate && club.status !== 'closed' ? <Button intent="close" label={t('clubs.club.close')} /> : null}
        </>
      ) : (
        <p className="muted">{t('clubs.club.membersHidden')}</p>
      )}
    </>
  );
}
