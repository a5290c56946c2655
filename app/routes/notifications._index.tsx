import '~/domain/places.server';

import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';

import { listNotifications, markRead } from '~/domain/notifications/notify.server';
import { markReadSchema } from '~/forms/community';
import { useT } from '~/i18n/i18n';
import { detectLocale, getT } from '~/i18n/i18n.server';
import { asKey } from '~/i18n/keys';
import { requireUser } from '~/lib/auth.server';
import { formatDateTime } from '~/lib/dates';
import { getDb } from '~/lib/db.server';
import { redirectWithFlash } from '~/lib/flash.server';
import { parseForm } from '~/lib/forms.server';
import { badRequest } from '~/lib/http.server';
import styles from '~/styles/community.css';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? '' }];

/** Notices a page: the newest first, older ones a link away (a page of 50 cost a third more to render). */
const PER_PAGE = 30;

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const page = Math.min(Math.max(Math.trunc(Number(new URL(request.url).searchParams.get('page'))) || 1, 1), 1000);
  const notes = await listNotifications(getDb(), user.id, { limit: PER_PAGE + 1, offset: (page - 1) * PER_PAGE });
  return json({
    title: getT(detectLocale(request))('community.notifications.title'),
    notes: notes.slice(0, PER_PAGE),
    page,
    more: notes.length > PER_PAGE,
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const r = parseForm(markReadSchema, await request.formData());
  if (!r.ok) return badRequest({ ok: false as const });
  await markRead(getDb(), user.id, r.data.intent === 'read' ? { ids: [r.data.id] } : {});
  return redirectWithFlash('/notifications', { message: 'community.flash.markedRead' });
}

export default function Notifications() {
  const { notes, page, more } = useLoaderData<typeof loader>();
  const { t } = useT();
  const unread = notes.filter((n) => n.unread).length;
  return (
    <>
      <h1>{t('community.notifications.title')}</h1>
      <p className="actions">
        <Link to="/account/notifications">{t('community.notifications.settings')}</Link>
      </p>
      {unread > 0 ? (
        <Form method="post">
          <input type="hidden" name="intent" value="read-all" />
          <button type="submit" className="secondary small">
            {t('community.notifications.markAll', { count: unread })}
          </button>
        </Form>
      ) : null}
      {notes.length === 0 ? <p className="muted">{t('community.notifications.empty')}</p> : null}
      {/* One plain form around the list (each unread notice's button sends its id), not a Remix
          <Form> per row: the page renders up to 30 of them for every signed-in view. */}
      <form method="post">
        <input type="hidden" name="intent" value="read" />
        <ul className="notif-list">
          {notes.map((n) => (
            <li key={n.id} className={`card${n.unread ? ' unread' : ''}`}>
              <p>
                {n.unread ? <span className="visually-hidden">{t('community.notifications.unread')}: </span> : null}
                {n.url ? <Link to={n.url}>{t(asKey(n.message), n.params)}</Link> : t(asKey(n.message), n.params)}
              </p>
              <p className="muted small">{formatDateTime(n.createdAt)}</p>
              {n.unread ? (
                <button type="submit" name="id" value={n.id} className="link-button small">
                  {t('community.notifications.markOne')}
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      </form>
      {page > 1 || more ? (
        <nav aria-label={t('community.notifications.pages')} className="actions">
          {page > 1 ? (
            <Link to={page === 2 ? '/notifications' : `/notifications?page=${page - 1}`}>{t('community.notifications.newer')}</Link>
          ) : null}
          {more ? <Link to={`/notifications?page=${page + 1}`}>{t('community.notifications.older')}</Link> : null}
        </nav>
      ) : null}
    </>
  );
}
