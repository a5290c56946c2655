import '~/domain/places.server';

import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Link, useLoaderData, useNavigate } from '@remix-run/react';
import { useEffect, useRef } from 'react';

import { PostForm, usePostForms } from '~/components/discussion/PostForm';
import { markRead, noticeCursor, notificationsPage, parseNoticeCursor } from '~/domain/notifications/notify.server';
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
import { useRootData } from '~/root';
import styles from '~/styles/community.css';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? '' }];

/** Notices a page (keyset: `?before=` older, `?after=` newer; see `notificationsPage`). */
const PER_PAGE = 30;

/** The page a reader was on (`?before=`/`?after=`, validated), to come back to after marking read. */
function placeOf(url: URL): string {
  const after = parseNoticeCursor(url.searchParams.get('after'));
  const before = parseNoticeCursor(url.searchParams.get('before'));
  if (after) return `/notifications?after=${encodeURIComponent(noticeCursor({ createdAt: after.at, id: after.id }))}`;
  if (before) return `/notifications?before=${encodeURIComponent(noticeCursor({ createdAt: before.at, id: before.id }))}`;
  return '/notifications';
}

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const url = new URL(request.url);
  const page = await notificationsPage(getDb(), user.id, {
    before: parseNoticeCursor(url.searchParams.get('before')),
    after: parseNoticeCursor(url.searchParams.get('after')),
    limit: PER_PAGE,
  });
  // Each notice's line and time are written here, once, as the page shows them (the browser
  // hydrates the same strings instead of translating and formatting every notice again).
  const t = getT(detectLocale(request));
  return json({
    title: t('community.notifications.title'),
    notes: page.notes.map((n) => ({
      id: n.id,
      text: t(asKey(n.message), n.params),
      url: n.url,
      at: formatDateTime(n.createdAt),
      unread: n.unread,
    })),
    older: page.older,
    newer: page.newer,
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const r = parseForm(markReadSchema, await request.formData());
  if (!r.ok) return badRequest({ ok: false as const });
  await markRead(getDb(), user.id, r.data.intent === 'read' ? { ids: [r.data.id] } : {});
  // Back to the same page: the notice stays where it was, now shown read.
  return redirectWithFlash(placeOf(new URL(request.url)), { message: 'community.flash.markedRead' });
}

/**
 * Same-site links in the list are plain `<a>`s (a Remix `<Link>` per notice resolved the route for
 * every one of them on every render); when JavaScript runs, one listener sends a plain click through
 * the router, as `<Link>` would.
 */
function useClientLinks() {
  const ref = useRef<HTMLUListElement>(null);
  const navigate = useNavigate();
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const onClick = (e: MouseEvent) => {
      if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.altKey || e.ctrlKey || e.shiftKey) return;
      const a = e.target instanceof Element ? e.target.closest('a') : null;
      const href = a?.getAttribute('href');
      if (!a || !href || !href.startsWith('/') || href.startsWith('//') || a.target) return;
      e.preventDefault();
      navigate(href);
    };
    el.addEventListener('click', onClick);
    return () => el.removeEventListener('click', onClick);
  }, [navigate]);
  return ref;
}

export default function Notifications() {
  const { notes, older, newer } = useLoaderData<typeof loader>();
  const root = useRootData();
  const { t } = useT();
  const forms = usePostForms();
  const list = useClientLinks();
  // The bell's count (every unread notice, not only this page's): "mark all" marks them all.
  const unread = root?.unread ?? 0;
  return (
    <>
      <h1>{t('community.notifications.title')}</h1>
      <p className="actions">
        <Link to="/account/notifications">{t('community.notifications.settings')}</Link>
      </p>
      {unread > 0 ? (
        <PostForm forms={forms}>
          <input type="hidden" name="intent" value="read-all" />
          <button type="submit" className="secondary small">
            {t('community.notifications.markAll', { count: unread })}
          </button>
        </PostForm>
      ) : null}
      {notes.length === 0 ? <p className="muted">{t('community.notifications.empty')}</p> : null}
      {/* One plain form around the list (each unread notice's button sends its id). */}
      <PostForm forms={forms}>
        <input type="hidden" name="intent" value="read" />
        <ul className="notif-list" ref={list}>
          {notes.map((n) => (
            <li key={n.id} className={n.unread ? 'card unread' : 'card'}>
              <p>
                {n.unread ? <span className="visually-hidden">{t('community.notifications.unread')}: </span> : null}
                {n.url ? <a href={n.url}>{n.text}</a> : n.text}
              </p>
              <p className="muted small">{n.at}</p>
              {n.unread ? (
                <button type="submit" name="id" value={n.id} className="link-button small">
                  {t('community.notifications.markOne')}
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      </PostForm>
      {newer || older ? (
        <nav aria-label={t('community.notifications.pages')} className="actions">
          {newer ? <Link to={`/notifications?after=${encodeURIComponent(newer)}`}>{t('community.notifications.newer')}</Link> : null}
          {older ? <Link to={`/notifications?before=${encodeURIComponent(older)}`}>{t('community.notifications.older')}</Link> : null}
        </nav>
      ) : null}
    </>
  );
}
