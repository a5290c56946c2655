/**
 * The personal part of `/notifications` (issue 12): the "no notices" line, the list's items and
 * the newer/older links. Rendered by React in the browser and for a visitor whose page is rendered
 * for them; for a visitor served from the page's shared render (app/lib/page-shell.server.ts) the
 * server writes the same HTML with `renderNoticeRegion` (./notice-list.server.ts) — byte for byte
 * (tests/unit/notice-list-region.test.ts), so the page hydrates as if React had written it. A
 * change here is a change there.
 */
import { LayoutLink } from '~/components/layout-links';
import { useT } from '~/i18n/i18n';

/** One notice as the page shows it (its line translated and its time written by the loader). */
export interface NoticeLine {
  id: string;
  text: string;
  url: string | null;
  at: string;
  unread: boolean;
}

/** The loader's data for the list: a page of notices and the cursors of the pages around it. */
export interface NoticePageData {
  notes: NoticeLine[];
  older: string | null;
  newer: string | null;
}

/** Slot 0: the line shown when the page has no notice. */
export function NoticesEmpty({ page }: { page: NoticePageData }) {
  const { t } = useT();
  return page.notes.length === 0 ? <p className="muted">{t('community.notifications.empty')}</p> : null;
}

/** Slot 1: the `<li>`s of the list (inside the page's one form: each unread notice's button sends its id). */
export function NoticeItems({ page }: { page: NoticePageData }) {
  const { t } = useT();
  return (
    <>
      {page.notes.map((n) => (
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
    </>
  );
}

/** Slot 2: the links to the newer and older pages. */
export function NoticePages({ page }: { page: NoticePageData }) {
  const { t } = useT();
  if (!page.newer && !page.older) return null;
  return (
    <nav aria-label={t('community.notifications.pages')} className="actions">
      {page.newer ? (
        <LayoutLink to={`/notifications?after=${encodeURIComponent(page.newer)}`}>{t('community.notifications.newer')}</LayoutLink>
      ) : null}
      {page.older ? (
        <LayoutLink to={`/notifications?before=${encodeURIComponent(page.older)}`}>{t('community.notifications.older')}</LayoutLink>
      ) : null}
    </nav>
  );
}
