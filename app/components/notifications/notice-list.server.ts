/**
 * `/notifications` for the shared signed-in renders (app/lib/page-shell.server.ts, issue 12): the
 * page is the same for every visitor but for their list — a personal region (app/lib/shell-region.ts)
 * of three slots (./NoticeList.tsx: the "no notices" line, the list's items, the newer/older links)
 * and the route's `page` data. Here: that data as the loader reads it (`noticePageData`, used by the
 * loader itself too), the same HTML as the React components without React (`renderNoticeRegion`),
 * and the page's variant (`notificationsVariant`: one shared render per path, language, roles…,
 * each visitor's list read and written per request).
 */
import '~/domain/places.server';

import { notificationsPage, parseNoticeCursor } from '~/domain/notifications/notify.server';
import type { TFunction } from '~/i18n/i18n';
import { getT } from '~/i18n/i18n.server';
import { asKey } from '~/i18n/keys';
import type { Locale } from '~/i18n/locale';
import { formatDateTime } from '~/lib/dates';
import type { DB } from '~/lib/db.server';
import type { ShellRegion } from '~/lib/shell-region';

import type { NoticePageData } from './NoticeList';

/** Notices a page (keyset: `?before=` older, `?after=` newer; see `notificationsPage`). */
export const NOTICES_PER_PAGE = 30;

/**
 * The page of notices `url` asks for, each line translated and dated once here, as the page shows
 * them (the browser hydrates the same strings instead of translating and formatting every notice).
 */
export async function noticePageData(db: DB, userId: string, url: URL, t: TFunction): Promise<NoticePageData> {
  const page = await notificationsPage(db, userId, {
    before: parseNoticeCursor(url.searchParams.get('before')),
    after: parseNoticeCursor(url.searchParams.get('after')),
    limit: NOTICES_PER_PAGE,
  });
  return {
    notes: page.notes.map((n) => ({
      id: n.id,
      text: t(asKey(n.message), n.params),
      url: n.url,
      at: formatDateTime(n.createdAt),
      unread: n.unread,
    })),
    older: page.older,
    newer: page.newer,
  };
}

// As React escapes text and attribute values (react-dom/server's escapeTextForBrowser).
const ESCAPES: Record<string, string> = { '"': '&quot;', '&': '&amp;', "'": '&#x27;', '<': '&lt;', '>': '&gt;' };
const esc = (v: string): string => (/["&'<>]/.test(v) ? v.replace(/["&'<>]/g, (c) => ESCAPES[c]!) : v);

/**
 * The HTML of the region's three slots for `page`, exactly as ./NoticeList.tsx renders it (React's
 * server output: `<!-- -->` between two adjacent texts, empty text written as nothing; the newer/older
 * links as the layout's server-side `<a>`, the very element Remix's `<Link>` writes).
 */
export function renderNoticeRegion(page: NoticePageData, t: TFunction): string[] {
  const empty = page.notes.length === 0 ? `<p class="muted">${esc(t('community.notifications.empty'))}</p>` : '';
  let items = '';
  if (page.notes.length) {
    const unread = `<span class="visually-hidden">${esc(t('community.notifications.unread'))}<!-- -->: </span>`;
    const markOne = esc(t('community.notifications.markOne'));
    for (const n of page.notes) {
      items += n.unread ? '<li class="card unread"><p>' + unread : '<li class="card"><p>';
      items += n.url ? `<a href="${esc(n.url)}">${esc(n.text)}</a>` : esc(n.text);
      items += `</p><p class="muted small">${esc(n.at)}</p>`;
      if (n.unread) items += `<button type="submit" name="id" value="${esc(n.id)}" class="link-button small">${markOne}</button>`;
      items += '</li>';
    }
  }
  let pages = '';
  if (page.newer || page.older) {
    pages = `<nav aria-label="${esc(t('community.notifications.pages'))}" class="actions">`;
    if (page.newer)
      pages += `<a data-discover="true" href="${esc(`/notifications?after=${encodeURIComponent(page.newer)}`)}">${esc(t('community.notifications.newer'))}</a>`;
    if (page.older)
      pages += `<a data-discover="true" href="${esc(`/notifications?before=${encodeURIComponent(page.older)}`)}">${esc(t('community.notifications.older'))}</a>`;
    pages += '</nav>';
  }
  return [empty, items, pages];
}

/** The region of one visitor's page: the route's `page` data and its three slots. */
export async function noticeRegion(db: DB, userId: string, url: URL, locale: Locale): Promise<ShellRegion> {
  const t = getT(locale);
  const data = await noticePageData(db, userId, url, t);
  return { data, html: renderNoticeRegion(data, t) };
}

/**
 * The page's variant: nothing of the visitor changes its structure (their roles, language and
 * unread count are in every shared render's key already), so one render per key; their list is
 * the region, read per request. A script's data request (`?_data=`: JSON, no page) is rendered.
 */
export function notificationsVariant(
  db: DB,
  user: { id: string },
  url: URL,
): Promise<{ key: string; view: undefined; region: (ctx: { locale: Locale }) => Promise<ShellRegion> } | null> {
  if (url.searchParams.has('_data')) return Promise.resolve(null);
  return Promise.resolve({ key: 'notices', view: undefined, region: ({ locale }) => noticeRegion(db, user.id, url, locale) });
}
