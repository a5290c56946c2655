/**
 * A judge's queue's personal region (issue 15): the server's plain string renderer
 * (`renderJuryQueue`, app/components/contests/jury-queue.server.ts) writes exactly what React writes
 * for the same data. The whole route component is rendered on the server through a router, as Remix
 * renders it: once by React for the judge's data (the reference, with Remix's own `<Link>`; and with
 * the layout's server-side links), once for a shared render's stand-in (a placeholder in the
 * region's slot) with the string renderer's HTML put in its place — the two pages must be the same
 * byte for byte. Over both languages, empty and full queues, every page position, scored and not,
 * with and without a next entry, and hostile text in the contest's and round's titles and codes.
 */
import { createElement as h } from 'react';
import { renderToString } from 'react-dom/server';
import { Outlet } from 'react-router-dom';
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from 'react-router-dom/server';
import { describe, expect, it } from 'vitest';

import { renderJuryQueue } from '~/components/contests/jury-queue.server';
import type { JuryQueueData } from '~/components/contests/JuryQueueList';
import { RouterLinksOnServer } from '~/components/layout-links';
import { I18nProvider, type Locale } from '~/i18n/i18n';
import { getT, messagesFor } from '~/i18n/i18n.server';
import { jsonInScript } from '~/lib/page-shell.server';
import { regionPlaceholder, regionSlot } from '~/lib/shell-region';
import JuryQueue from '~/routes/contests.$slug.jury.$roundId._index';

const ROUTE_ID = 'routes/contests.$slug.jury.$roundId._index';
const SLUG = 'giong-doc-hay-2024';
const ROUND = 'r0und1d0000000ab';
const BASE = `/contests/${SLUG}/jury/${ROUND}`;

async function renderPage(url: string, locale: Locale, queue: JuryQueueData | string, full: boolean): Promise<string> {
  const rootData = { locale, user: { id: 'u1', displayName: 'Giám khảo' }, roles: [], unread: 0, largeText: false, flash: null };
  const data = {
    contest: { slug: SLUG, title: 'Giọng đọc <b>hay</b> & "vui"' },
    round: { id: ROUND, title: `Vòng trường 'một' </p>` },
    queue,
  };
  const Root = () =>
    h(RouterLinksOnServer.Provider, { value: full }, h(I18nProvider, { locale, messages: messagesFor(locale), children: h(Outlet) }));
  const routes = [
    {
      id: 'root',
      path: '/',
      loader: () => rootData,
      Component: Root,
      children: [{ id: ROUTE_ID, path: 'contests/:slug/jury/:roundId', loader: () => data, Component: JuryQueue }],
    },
  ];
  const handler = createStaticHandler(routes);
  const context = await handler.query(new Request(`http://localhost${url}`));
  if (context instanceof Response) throw new Error(`${url}: ${context.status}`);
  const router = createStaticRouter(handler.dataRoutes, context);
  return renderToString(h(StaticRouterProvider, { router, context, hydrate: false }));
}

const CODES = ['G0001', 'B00A1Z', '<script>x</script>', `"q" 'a' & b`, 'Mã\u2028lạ'];
function queueOf(n: number, total: number, page: number, scored: (i: number) => boolean, next: boolean): JuryQueueData {
  const items = Array.from({ length: n }, (_, i) => ({ id: `e${page}x${i}abc`, code: CODES[i % CODES.length]!, scored: scored(i) }));
  const pages = Math.max(1, Math.ceil(total / 50));
  return {
    items,
    scored: items.filter((i) => i.scored).length,
    total,
    page,
    pages,
    next: next ? { id: 'nextentry00001', code: CODES[(n + 2) % CODES.length]! } : null,
  };
}

const cases: Array<{ label: string; locale: Locale; url: string; q: JuryQueueData }> = [];
for (const locale of ['vi', 'en'] as const) {
  cases.push({ label: `${locale}: nothing assigned`, locale, url: BASE, q: queueOf(0, 0, 1, () => false, false) });
  cases.push({ label: `${locale}: 6 entries, none scored`, locale, url: BASE, q: queueOf(6, 6, 1, () => false, true) });
  cases.push({ label: `${locale}: 6 entries, all scored`, locale, url: BASE, q: queueOf(6, 6, 1, () => true, false) });
  for (const [page, n] of [
    [1, 50],
    [2, 50],
    [3, 7],
  ] as const)
    cases.push({
      label: `${locale}: page ${page} of 3, some scored`,
      locale,
      url: page === 1 ? BASE : `${BASE}?page=${page}`,
      q: queueOf(n, 107, page, (i) => i % 3 === 0, true),
    });
}

describe("a judge's queue: the string renderer of the personal region equals React", () => {
  it.each(cases.map((c) => [c.label, c] as const))('%s', async (_label, c) => {
    const reference = await renderPage(c.url, c.locale, c.q, true);
    const layoutLinks = await renderPage(c.url, c.locale, c.q, false);
    expect(layoutLinks).toBe(reference);
    const placeholder = regionPlaceholder('0123456789abcdef01');
    const stand = await renderPage(c.url, c.locale, placeholder, false);
    const slot = regionSlot(placeholder, 0)!;
    expect(stand.split(slot).length, 'the slot once').toBe(2);
    const filled = stand.replace(slot, () => renderJuryQueue(c.q, BASE, getT(c.locale)));
    expect(filled).toBe(reference);
    expect(reference).not.toContain('<script>x');
    expect(reference.split(`<li><a data-discover="true" href="${BASE}/`).length - 1).toBe(c.q.items.length);
    const json = jsonInScript(c.q);
    expect(json).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(json)).toEqual(JSON.parse(JSON.stringify(c.q)));
  });
});
