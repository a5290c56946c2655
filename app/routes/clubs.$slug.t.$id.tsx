import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';

import { Breadcrumb } from '~/components/Breadcrumb';
import { ThreadView } from '~/components/discussion/ThreadView';
import { clubThreadPage } from '~/domain/clubs/discussion.server';
import { revealMilestone } from '~/domain/clubs/schedule.server';
import { asClubThreadView } from '~/domain/clubs/shell.server';
import type { ModAction } from '~/domain/discussion/moderation.server';
import { useT } from '~/i18n/i18n';
import { getUser, requireUser } from '~/lib/auth.server';
import { threadFormAction } from '~/lib/community-http.server';
import { getDb } from '~/lib/db.server';
import { redirectWithFlash } from '~/lib/flash.server';
import { notFound } from '~/lib/http.server';
import { shellView } from '~/lib/shell-identity.server';
import clubStyles from '~/styles/clubs.css';
import styles from '~/styles/community.css';

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: styles },
  { rel: 'stylesheet', href: clubStyles },
];
export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data && data.status === 'ok' ? data.thread.title : (data?.milestone?.label ?? '') },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await getUser(request);
  const url = new URL(request.url);
  // A shared signed-in render (app/lib/page-shell.server.ts) sees its stand-in as its visitors are seen.
  const d = await clubThreadPage(
    getDb(),
    params.slug ?? '',
    params.id ?? '',
    user?.id ?? null,
    {
      page: Number(url.searchParams.get('page')) || undefined,
      post: Number(url.searchParams.get('post')) || undefined,
    },
    new Date(),
    asClubThreadView(shellView(request)),
  );
  if (d.status === 'missing') notFound();
  return json({ ...d, signedIn: !!user });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const db = getDb();
  const here = new URL(request.url);
  const form = await request.formData();
  const page = await clubThreadPage(db, params.slug ?? '', params.id ?? '', user.id);
  if (form.get('intent') === 'reveal') {
    if (page.status !== 'locked') return redirectWithFlash(here.pathname, { message: 'clubs.flash.revealed' });
    const r = await revealMilestone(db, user.id, page.milestone.id);
    if (!r.ok) notFound();
    return redirectWithFlash(here.pathname, { message: 'clubs.flash.revealed' });
  }
  // Everything else is the shared engine's thread form, once the thread is this club's and readable.
  if (page.status !== 'ok') notFound();
  return threadFormAction(request, db, user.id, params.id ?? '', form);
}

/** A club's moderators keep order in its threads; silencing, slow mode and moves are the forums' tools. */
const CLUB_MOD_ACTIONS: readonly ModAction[] = ['approve', 'hide', 'delete', 'warn', 'lock', 'unlock', 'pin', 'unpin'];

export default function ClubThread() {
  const d = useLoaderData<typeof loader>();
  const { t } = useT();
  const crumbs = [
    { to: '/clubs', label: t('clubs.directory.title') },
    { to: `/clubs/${d.club.slug}`, label: d.club.name },
    { to: `/clubs/${d.club.slug}/discussion`, label: t('clubs.discussion.title') },
  ];
  if (d.status === 'locked') {
    return (
      <>
        <Breadcrumb items={[...crumbs, { label: d.milestone.label }]} />
        <h1>
          {t('clubs.schedule.part', { n: d.milestone.position })}: {d.milestone.label}
        </h1>
        <section className="card spoiler-lock" aria-labelledby="lock-h">
          <h2 id="lock-h">{t('clubs.discussion.lockedTitle')}</h2>
          <p>{t('clubs.discussion.locked', { count: d.posts, part: d.milestone.position })}</p>
          <p>
            <Link to={`/clubs/${d.club.slug}/schedule`}>{t('clubs.discussion.markProgress')}</Link>
          </p>
          <Form method="post">
            <input type="hidden" name="intent" value="reveal" />
            <p className="muted">{t('clubs.discussion.revealWarning')}</p>
            <button type="submit" className="secondary">
              {t('clubs.discussion.reveal')}
            </button>
          </Form>
        </section>
      </>
    );
  }
  return (
    <ThreadView
      d={d}
      crumbs={crumbs}
      intro={
        d.milestone ? (
          <p className="muted">{t('clubs.discussion.aboutPart', { n: d.milestone.position, label: d.milestone.label })}</p>
        ) : null
      }
      modActions={CLUB_MOD_ACTIONS}
    />
  );
}
