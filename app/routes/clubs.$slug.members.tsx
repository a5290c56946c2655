/**
 * A club's full member list (the club page shows a summary and links here): moderators first, by
 * name (children by first name); "read together" invitations for members, promote/remove and the
 * pending requests for moderators. Every button is a plain form posting to this page's action.
 */
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Link, useActionData, useLoaderData } from '@remix-run/react';

import { Breadcrumb } from '~/components/Breadcrumb';
import { usePostForms } from '~/components/discussion/PostForm';
import { FormError } from '~/components/Field';
import { clubMembersPage } from '~/domain/clubs/pages.server';
import { useT } from '~/i18n/i18n';
import { getUser } from '~/lib/auth.server';
import { clubFormAction } from '~/lib/clubs-http.server';
import { getDb } from '~/lib/db.server';
import { forbidden, notFound } from '~/lib/http.server';
import styles from '~/styles/clubs.css';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await getUser(request);
  const page = await clubMembersPage(getDb(), params.slug ?? '', user?.id ?? null);
  if (page.status === 'missing' || page.status === 'hidden') notFound();
  if (page.status !== 'ok') forbidden();
  return json(page);
}

export const meta: MetaFunction<typeof loader> = ({ data }) => (data ? [{ title: data.club.name }] : []);

export async function action({ request, params }: ActionFunctionArgs) {
  // A pair invitation is followed on the club page (its "read together" section); the rest here.
  return clubFormAction(request, params.slug ?? '', (club, data) =>
    data.intent.startsWith('pair-') ? `/clubs/${club.slug}#pairs` : `/clubs/${club.slug}/members`,
  );
}

export default function ClubMembers() {
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const { t } = useT();
  const forms = usePostForms();
  const { club, access } = d;
  const button = (intent: string, member: string, label: string, className?: string) => (
    <form method="post" action={forms.action} onSubmit={forms.onSubmit} className={className ? `inline-form ${className}` : 'inline-form'}>
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="member" value={member} />
      <button type="submit" className="secondary small">
        {label}
      </button>
    </form>
  );
  const pending = d.members.filter((m) => m.status === 'pending');
  const active = d.members.filter((m) => m.status === 'active');
  return (
    <>
      <Breadcrumb
        items={[
          { to: '/clubs', label: t('clubs.directory.title') },
          { to: `/clubs/${club.slug}`, label: club.name },
          { label: t('clubs.club.members') },
        ]}
      />
      <h1>{t('clubs.members.title', { club: club.name })}</h1>
      <FormError error={a && !a.ok ? a.message : null} />
      {access.canModerate && pending.length ? (
        <section id="requests" aria-labelledby="requests-h">
          <h2 id="requests-h">{t('clubs.club.requests')}</h2>
          <ul>
            {pending.map((m) => (
              <li key={m.id}>
                {m.name} {button('accept-member', m.id, t('clubs.club.accept'))} {button('decline-member', m.id, t('clubs.club.decline'))}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <section aria-labelledby="members-h">
        <h2 id="members-h">{t('clubs.members.count', { count: active.length })}</h2>
        {active.length === 0 ? <p className="muted">{t('clubs.members.none')}</p> : null}
        <ul className="member-list">
          {active.map((m) => (
            <li key={m.id} data-member={m.id}>
              {m.name}
              {m.role === 'moderator' ? <span className="muted"> ({t('clubs.club.moderator')})</span> : null}
              {m.canInvite ? <> {button('pair-invite', m.id, t('clubs.pairs.invite'), 'pair-invite')}</> : null}
              {access.canModerate && m.role !== 'moderator' ? (
                <>
                  {' '}
                  {button('promote-member', m.id, t('clubs.club.promote'))} {button('remove-member', m.id, t('clubs.club.remove'))}
                </>
              ) : null}
            </li>
          ))}
        </ul>
      </section>
      <p>
        <Link to={`/clubs/${club.slug}`}>{t('clubs.members.backToClub')}</Link>
      </p>
    </>
  );
}
