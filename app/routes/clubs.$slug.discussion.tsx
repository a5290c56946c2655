import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';

import { Breadcrumb } from '~/components/Breadcrumb';
import { Failure } from '~/components/community/Failure';
import { Pager } from '~/components/discussion/Pager';
import { TextArea, TextField } from '~/components/Field';
import { clubAccess } from '~/domain/clubs/access.server';
import { discussionPage } from '~/domain/clubs/discussion.server';
import { CLUB_PLACE } from '~/domain/clubs/schedule.server';
import { asClubDiscussionView } from '~/domain/clubs/shell.server';
import { createThread } from '~/domain/discussion/posts.server';
import { clubThreadSchema } from '~/forms/clubs';
import { useT } from '~/i18n/i18n';
import { detectLocale, getT } from '~/i18n/i18n.server';
import { clientIp, getUser, requireUser } from '~/lib/auth.server';
import { communityFailures } from '~/lib/community-http.server';
import { formatDateTime } from '~/lib/dates';
import { getDb } from '~/lib/db.server';
import { redirectWithFlash } from '~/lib/flash.server';
import { parseForm } from '~/lib/forms.server';
import { badRequest, forbidden, notFound } from '~/lib/http.server';
import { failure } from '~/lib/result-http.server';
import { shellView } from '~/lib/shell-identity.server';
import styles from '~/styles/clubs.css';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? '' }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await getUser(request);
  const page = Number(new URL(request.url).searchParams.get('page')) || 1;
  // A shared signed-in render (app/lib/page-shell.server.ts) sees its stand-in as its visitors are seen.
  const d = await discussionPage(getDb(), params.slug ?? '', user?.id ?? null, page, new Date(), asClubDiscussionView(shellView(request)));
  if (d.status === 'missing' || d.status === 'hidden') notFound();
  if (d.status !== 'ok') forbidden();
  const t = getT(detectLocale(request));
  return json({ ...d, title: `${t('clubs.discussion.title')} · ${d.club.name}`, signedIn: !!user });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const db = getDb();
  const a = await clubAccess(db, { slug: params.slug ?? '' }, user.id);
  if (a.status !== 'ok') notFound();
  const r = parseForm(clubThreadSchema, await request.formData());
  if (!r.ok) return badRequest({ ok: false as const, errors: r.errors, values: r.values });
  const made = await createThread(db, { userId: user.id, ip: clientIp(request) }, { type: CLUB_PLACE, id: a.club.id }, r.data);
  if (!made.ok) return failure(communityFailures, made, r.values);
  return redirectWithFlash(made.value.url, {
    message: made.value.status === 'held' ? 'community.flash.held' : 'community.flash.threadCreated',
  });
}

export default function ClubDiscussion() {
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const { t } = useT();
  const values: Record<string, string> = a && 'values' in a && a.values ? a.values : {};
  const errors: Record<string, string> = a && 'errors' in a && a.errors ? a.errors : {};
  const message = a && !a.ok && 'message' in a ? a.message : null;
  const params = a && !a.ok && 'params' in a ? a.params : undefined;
  const { club } = d;
  return (
    <>
      <Breadcrumb
        items={[
          { to: '/clubs', label: t('clubs.directory.title') },
          { to: `/clubs/${club.slug}`, label: club.name },
          { label: t('clubs.discussion.title') },
        ]}
      />
      <h1>{t('clubs.discussion.title')}</h1>
      <p>
        <Link to={`/clubs/${club.slug}/schedule`}>{t('clubs.schedule.title')}</Link>
      </p>

      <section aria-labelledby="parts-h">
        <h2 id="parts-h">{d.book ? t('clubs.discussion.byPart', { book: d.book.title }) : t('clubs.discussion.parts')}</h2>
        {d.milestones.length === 0 ? <p className="muted">{t('clubs.schedule.noMilestones')}</p> : null}
        <ul className="card-list">
          {d.milestones.map((m) => (
            <li key={m.id} className={m.open ? 'card' : 'card spoiler-lock'}>
              <h3>
                {m.threadId ? (
                  <Link to={`/clubs/${club.slug}/t/${m.threadId}`}>
                    {t('clubs.schedule.part', { n: m.position })}: {m.label}
                  </Link>
                ) : (
                  `${t('clubs.schedule.part', { n: m.position })}: ${m.label}`
                )}
              </h3>
              <p>
                {m.open
                  ? t('clubs.discussion.openThread', { count: m.posts })
                  : t('clubs.discussion.locked', { count: m.posts, part: m.position })}
              </p>
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="threads-h">
        <h2 id="threads-h">{t('clubs.discussion.general')}</h2>
        {d.threads.threads.length === 0 ? <p className="muted">{t('clubs.discussion.noThreads')}</p> : null}
        <ul className="thread-list">
          {d.threads.threads.map((th) => (
            <li key={th.id}>
              <Link to={`/clubs/${club.slug}/t/${th.id}`}>{th.title}</Link>{' '}
              <span className="muted small">
                {th.author} · {t('clubs.discussion.replies', { count: th.replies })} · {formatDateTime(th.lastPostAt)}
              </span>
            </li>
          ))}
        </ul>
        <Pager page={d.threads.page} pages={d.threads.pages} label={t('clubs.discussion.pages')} />
      </section>

      {d.canPost ? (
        <section aria-labelledby="new-h" className="card">
          <h2 id="new-h">{t('clubs.discussion.newThread')}</h2>
          <Form method="post" noValidate>
            <Failure message={message} params={params} />
            <TextField
              name="title"
              label={t('clubs.discussion.threadTitle')}
              defaultValue={values.title}
              error={errors.title}
              maxLength={200}
              required
            />
            <TextArea
              name="body"
              label={t('clubs.discussion.threadBody')}
              defaultValue={values.body}
              error={errors.body}
              rows={6}
              required
            />
            <button type="submit" className="primary">
              {t('clubs.discussion.post')}
            </button>
          </Form>
        </section>
      ) : d.signedIn ? null : (
        <p>
          <Link to={`/login?redirectTo=${encodeURIComponent(`/clubs/${club.slug}/discussion`)}`}>{t('clubs.club.signInToJoin')}</Link>
        </p>
      )}
    </>
  );
}
