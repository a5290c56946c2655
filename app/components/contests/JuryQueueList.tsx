/**
 * The personal part of a judge's queue (`/contests/<slug>/jury/<round>`, issue 15): their progress,
 * the next entry to score, their page of assigned entries (codes only: judging is blind) and the
 * pager. Rendered by React in the browser and for a judge whose page is rendered for them; for a
 * judge served from the page's shared render (app/lib/page-shell.server.ts) the server writes the
 * same HTML with `renderJuryQueue` (./jury-queue.server.ts) — byte for byte
 * (tests/unit/jury-queue-region.test.ts), so the page hydrates as if React had written it. A change
 * here is a change there.
 */
import { LayoutLink } from '~/components/layout-links';
import { useT } from '~/i18n/i18n';

/** One judge's page of their queue, as the loader returns it (and the region's data). */
export interface JuryQueueData {
  items: Array<{ id: string; code: string; scored: boolean }>;
  scored: number;
  total: number;
  page: number;
  pages: number;
  next: { id: string; code: string } | null;
}

/** The region's one slot: everything below the page's heading and its "blind judging" line. `base`: `/contests/<slug>/jury/<round>`. */
export function JuryQueueList({ base, q }: { base: string; q: JuryQueueData }) {
  const { t } = useT();
  return (
    <>
      <p>
        <label htmlFor="jury-progress">{t('contests.entries.jury.progress', { scored: q.scored, total: q.total })}</label>{' '}
        <progress id="jury-progress" max={Math.max(1, q.total)} value={q.scored} />
      </p>
      {q.next ? (
        <p>
          <LayoutLink to={`${base}/${q.next.id}`}>{t('contests.entries.jury.nextTodo', { code: q.next.code })}</LayoutLink>
        </p>
      ) : null}
      {q.items.length === 0 ? (
        <p>{t('contests.entries.jury.none')}</p>
      ) : (
        <ul className="stack">
          {q.items.map((i) => (
            <li key={i.id}>
              <LayoutLink to={`${base}/${i.id}`}>{t('contests.entries.jury.open', { code: i.code })}</LayoutLink>
              {` · ${i.scored ? t('contests.entries.jury.scored') : t('contests.entries.jury.todo')}`}
            </li>
          ))}
        </ul>
      )}
      {q.pages > 1 ? (
        <nav aria-label={t('contests.entries.jury.pager')}>
          <p>
            {q.page > 1 ? <LayoutLink to={`${base}?page=${q.page - 1}`}>{t('contests.entries.gallery.prev')}</LayoutLink> : null}
            {` ${t('contests.entries.jury.pageOf', { page: q.page, pages: q.pages })} `}
            {q.page < q.pages ? <LayoutLink to={`${base}?page=${q.page + 1}`}>{t('contests.entries.gallery.next')}</LayoutLink> : null}
          </p>
        </nav>
      ) : null}
    </>
  );
}
