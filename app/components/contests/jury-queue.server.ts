/**
 * A judge's queue (`/contests/<slug>/jury/<round>`, issue 15) for the shared signed-in renders
 * (app/lib/page-shell.server.ts): the page is the same for every judge of the round but for their
 * queue — a personal region (app/lib/shell-region.ts) of one slot (./JuryQueueList.tsx: progress,
 * the next entry to score, their page of entries, the pager) and the route's `queue` data. Here:
 * that data as the loader returns it (`juryQueueData`), the same HTML as the React component
 * without React (`renderJuryQueue`), and the page's variant (`juryQueueVariant`).
 *
 * The variant makes the page's own query (`juryQueuePage`: the contest visible to the visitor, the
 * submission round of that contest, the visitor one of its judges, their page of the queue) fresh
 * on every request, exactly as the loader would. A visitor who is not a judge of the round (or no
 * such contest or round) gets null: their request is rendered for them (a 404, as before). For a
 * judge, the key is what the shared part shows (the contest's slug and title, the round's id and
 * title: the breadcrumb, the heading, the title); their queue is the region, written from the
 * same query — codes and their own statuses only, never an entrant's name or unit (blind judging),
 * and only the entries assigned to them (not those they declared a conflict with). A score saved
 * changes their statuses and progress: the next request reads them again. A script's data request
 * (`?_data=`: JSON, no page) is rendered.
 */
import { juryQueuePage } from '~/domain/contests/entries-pages.server';
import { roundPathOf } from '~/domain/contests/round-path.server';
import type { TFunction } from '~/i18n/i18n';
import { getT } from '~/i18n/i18n.server';
import type { Locale } from '~/i18n/locale';
import type { DB } from '~/lib/db.server';
import type { ShellRegion } from '~/lib/shell-region';

import type { JuryQueueData } from './JuryQueueList';

type QueuePage = Extract<Awaited<ReturnType<typeof juryQueuePage>>, { status: 'ok' }>;

/** The region's data from the page query (what the loader returns as `queue`). */
export function juryQueueData(q: QueuePage): JuryQueueData {
  return {
    items: q.items.map((i) => ({ id: i.id, code: i.code, scored: i.status === 'scored' })),
    scored: q.scored,
    total: q.total,
    page: q.page,
    pages: q.pages,
    next: q.next ? { id: q.next.id, code: q.next.code } : null,
  };
}

/** What the shared part of the page shows (its breadcrumb, heading and title). */
export interface JuryPageView {
  contest: { slug: string; title: string };
  round: { id: string; title: string };
}

export function juryPageView(q: QueuePage): JuryPageView {
  return { contest: { slug: q.contest.slug, title: q.contest.title }, round: { id: q.round.id, title: q.round.title } };
}

/** The view a shared render's stand-in was given (see `juryQueueVariant`), else undefined. */
export function asJuryPageView(v: unknown): JuryPageView | undefined {
  if (!v || typeof v !== 'object' || !('jury' in v)) return undefined;
  return (v as { jury: JuryPageView }).jury;
}

// As React escapes text and attribute values (react-dom/server's escapeTextForBrowser).
const ESCAPES: Record<string, string> = { '"': '&quot;', '&': '&amp;', "'": '&#x27;', '<': '&lt;', '>': '&gt;' };
const esc = (v: string): string => (/["&'<>]/.test(v) ? v.replace(/["&'<>]/g, (c) => ESCAPES[c]!) : v);

/** The layout's server-side link (`LayoutLink` for a plain path: the element Remix's `<Link>` writes). */
const link = (href: string, text: string) => `<a data-discover="true" href="${esc(href)}">${esc(text)}</a>`;

/**
 * The HTML of the region's slot for `q`, exactly as ./JuryQueueList.tsx renders it (React's server
 * output). `base` (`/contests/<slug>/jury/<round>`) must be a plain path (`plainJuryBase`): the
 * layout's links write it as it is only then.
 */
export function renderJuryQueue(q: JuryQueueData, base: string, t: TFunction): string {
  let out = `<p><label for="jury-progress">${esc(t('contests.entries.jury.progress', { scored: q.scored, total: q.total }))}</label> `;
  out += `<progress id="jury-progress" max="${Math.max(1, q.total)}" value="${q.scored}"></progress></p>`;
  if (q.next) out += `<p>${link(`${base}/${q.next.id}`, t('contests.entries.jury.nextTodo', { code: q.next.code }))}</p>`;
  if (q.items.length === 0) out += `<p>${esc(t('contests.entries.jury.none'))}</p>`;
  else {
    const scored = esc(` · ${t('contests.entries.jury.scored')}`);
    const todo = esc(` · ${t('contests.entries.jury.todo')}`);
    out += '<ul class="stack">';
    for (const i of q.items)
      out += `<li>${link(`${base}/${i.id}`, t('contests.entries.jury.open', { code: i.code }))}${i.scored ? scored : todo}</li>`;
    out += '</ul>';
  }
  if (q.pages > 1) {
    out += `<nav aria-label="${esc(t('contests.entries.jury.pager'))}"><p>`;
    if (q.page > 1) out += link(`${base}?page=${q.page - 1}`, t('contests.entries.gallery.prev'));
    out += esc(` ${t('contests.entries.jury.pageOf', { page: q.page, pages: q.pages })} `);
    if (q.page < q.pages) out += link(`${base}?page=${q.page + 1}`, t('contests.entries.gallery.next'));
    out += '</p></nav>';
  }
  return out;
}

const JURY_PATH = /^\/contests\/([^/]+)\/jury\/([^/]+)\/?$/;
/** Slugs and ids the layout's links write as they are (`LayoutLink`'s plain paths); entry ids are [0-9a-z]. */
const PLAIN = /^[A-Za-z0-9_~-]+$/;

/** The region of one judge's page: the route's `queue` data and its one slot. */
export function juryRegion(q: QueuePage, base: string, locale: Locale): ShellRegion {
  const data = juryQueueData(q);
  return { data, html: [renderJuryQueue(data, base, getT(locale))] };
}

/** The page's variant (see the module's comment); null: rendered for this visitor. */
export async function juryQueueVariant(
  db: DB,
  user: { id: string },
  url: URL,
): Promise<{ key: string; view: { jury: JuryPageView }; region: (ctx: { locale: Locale }) => Promise<ShellRegion> } | null> {
  const at = roundPathOf(JURY_PATH, url);
  if (!at) return null;
  const { slug, roundId } = at;
  if (!PLAIN.test(slug) || !PLAIN.test(roundId)) return null;
  // As the loader reads it.
  const q = await juryQueuePage(db, slug, roundId, user.id, Number(url.searchParams.get('page')) || 1);
  if (q.status !== 'ok' || !PLAIN.test(q.contest.slug) || !PLAIN.test(q.round.id)) return null;
  const view = juryPageView(q);
  const base = `/contests/${q.contest.slug}/jury/${q.round.id}`;
  if (q.items.some((i) => !PLAIN.test(i.id)) || (q.next && !PLAIN.test(q.next.id))) return null;
  return {
    key: JSON.stringify(['jury', view]),
    view: { jury: view },
    region: ({ locale }) => Promise.resolve(juryRegion(q, base, locale)),
  };
}
