import '~/domain/places.server';

import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';

import { PostForm, useClientLinks, usePostForms } from '~/components/discussion/PostForm';
import { noticePageData } from '~/components/notifications/notice-list.server';
import { NoticeItems, type NoticePageData, NoticePages, NoticesEmpty } from '~/components/notifications/NoticeList';
import { markRead, noticeCursor, parseNoticeCursor } from '~/domain/notifications/notify.server';
import { markReadSchema } from '~/forms/community';
import { useT } from '~/i18n/i18n';
import { detectLocale, getT } from '~/i18n/i18n.server';
import { requireUser } from '~/lib/auth.server';
import { getDb } from '~/lib/db.server';
import { redirectWithFlash } from '~/lib/flash.server';
import { parseForm } from '~/lib/forms.server';
import { badRequest } from '~/lib/http.server';
import { shellRegion } from '~/lib/shell-identity.server';
import { type RegionData, regionSlot } from '~/lib/shell-region';
import { useRootData } from '~/root';
import styles from '~/styles/community.css';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? '' }];

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
  const t = getT(detectLocale(request));
  // The list is a personal region of the page's shared render (app/lib/page-shell.server.ts): in the
  // stand-in's render a placeholder, filled per visitor by ~/components/notifications/notice-list.server.
  const slot = shellRegion(request);
  const page: RegionData<NoticePageData> = slot ?? (await noticePageData(getDb(), user.id, new URL(request.url), t));
  return json({ title: t('community.notifications.title'), page });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const r = parseForm(markReadSchema, await request.formData());
  if (!r.ok) return badRequest({ ok: false as const });
  await markRead(getDb(), user.id, r.data.intent === 'read' ? { ids: [r.data.id] } : {});
  // Back to the same page: the notice stays where it was, now shown read.
  return redirectWithFlash(placeOf(new URL(request.url)), { message: 'community.flash.markedRead' });
}

export default function Notifications() {
  const { page } = useLoaderData<typeof loader>();
  const root = useRootData();
  const { t } = useT();
  const forms = usePostForms();
  const list = useClientLinks<HTMLUListElement>();
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
      {/* The visitor's own list (./NoticeList.tsx): in a shared render's stand-in, its slots. */}
      {typeof page === 'string' ? regionSlot(page, 0) : <NoticesEmpty page={page} />}
      {/* One plain form around the list (each unread notice's button sends its id). */}
      <PostForm forms={forms}>
        <input type="hidden" name="intent" value="read" />
        <ul className="notif-list" ref={list}>
          {typeof page === 'string' ? regionSlot(page, 1) : <NoticeItems page={page} />}
        </ul>
      </PostForm>
      {typeof page === 'string' ? regionSlot(page, 2) : <NoticePages page={page} />}
    </>
  );
}
