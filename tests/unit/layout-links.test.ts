/**
 * The site layout's cheap server-side links and forms (app/components/layout-links.tsx, issue 12)
 * write exactly what the Remix `<NavLink>`, `<Link>` and `<Form>` they stand for write: the whole
 * SiteLayout is rendered on the server both ways — the Remix components (the reference, forced with
 * `RouterLinksOnServer`) and the cheap ones — for readers of every kind (anonymous, no roles,
 * organiser, admin; unread 0 / 1 / many; Vietnamese and English; large text; a name to escape)
 * on paths that make each link active or not (nested, other case, query strings, characters the
 * sign-in link's `redirectTo` must encode), and the HTML must be the same byte for byte.
 */
import { createElement as h } from 'react';
import { renderToString } from 'react-dom/server';
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from 'react-router-dom/server';
import { describe, expect, it } from 'vitest';

import { RouterLinksOnServer } from '~/components/layout-links';
import { SiteLayout } from '~/components/SiteLayout';
import { I18nProvider, type Locale } from '~/i18n/i18n';
import { messagesFor } from '~/i18n/i18n.server';

interface Reader {
  user: { id: string; displayName: string } | null;
  roles: string[];
  unread: number;
  locale: Locale;
  largeText: boolean;
}

async function renderLayout(url: string, reader: Reader, full: boolean): Promise<string> {
  const rootData = {
    locale: reader.locale,
    user: reader.user,
    roles: reader.roles,
    unread: reader.unread,
    largeText: reader.largeText,
    flash: null,
    brandWeek: { year: 2025, status: 'current' as const },
  };
  const Root = () =>
    h(
      RouterLinksOnServer.Provider,
      { value: full },
      h(I18nProvider, {
        locale: reader.locale,
        messages: messagesFor(reader.locale),
        children: h(SiteLayout, { children: h('p', null, 'page') }),
      }),
    );
  const routes = [
    { id: 'root', path: '/', loader: () => rootData, Component: Root, children: [{ id: 'page', path: '*', Component: () => null }] },
  ];
  const handler = createStaticHandler(routes);
  const context = await handler.query(new Request(`http://localhost${url}`));
  if (context instanceof Response) throw new Error(`${url}: ${context.status}`);
  const router = createStaticRouter(handler.dataRoutes, context);
  return renderToString(h(StaticRouterProvider, { router, context, hydrate: false }));
}

const readers: Record<string, Reader> = {
  anonymous: { user: null, roles: [], unread: 0, locale: 'vi', largeText: false },
  plain: { user: { id: 'u1', displayName: 'Phạm Thị Lan' }, roles: [], unread: 0, locale: 'vi', largeText: false },
  one: { user: { id: 'u2', displayName: 'Lê <b>Ánh</b> & "Tú"' }, roles: ['teacher'], unread: 1, locale: 'vi', largeText: true },
  organiser: { user: { id: 'u3', displayName: 'Hoàng Tổ Chức' }, roles: ['organiser'], unread: 12, locale: 'en', largeText: false },
  admin: { user: { id: 'u4', displayName: 'Admin' }, roles: ['admin'], unread: 3, locale: 'en', largeText: true },
};

const paths = [
  '/',
  '/notifications',
  '/notifications?before=2026-11-01T08%3A00%3A00.000Z~abc',
  '/account',
  '/account/notifications',
  '/accounts',
  '/weeks',
  '/weeks/',
  '/weeks/2024/plans',
  '/Weeks/2024',
  '/weeksx',
  '/weeks/new',
  '/organise/x',
  '/admin/roles',
  '/clubs/mine',
  '/library/shelf',
  '/search?q=h%E1%BB%8Dc%20t%E1%BA%ADp&x=%22%3C%3E',
  '/forums/t/abc',
  '/units/tr%C6%B0%E1%BB%9Dng-a',
];

describe('layout links: the cheap server-side elements equal the Remix components', () => {
  for (const [name, reader] of Object.entries(readers))
    it(`the whole layout, ${name}, on ${paths.length} paths`, async () => {
      for (const url of paths) {
        const reference = await renderLayout(url, reader, true);
        const cheap = await renderLayout(url, reader, false);
        expect(reference).toContain('site-header'); // rendered, not an error page
        expect(cheap, url).toBe(reference);
      }
    });

  it('marks the current page: the active link carries aria-current and the active class', async () => {
    const html = await renderLayout('/notifications', readers.organiser!, false);
    expect(html).toMatch(/<a aria-label="[^"]+" data-discover="true" aria-current="page" class="bell active" href="\/notifications">/);
    expect(html).toContain('<a data-discover="true" class="" href="/account">Hoàng Tổ Chức</a>');
    expect(html).toContain('<a data-discover="true" class="" href="/organise">');
    const nested = await renderLayout('/Weeks/2024', readers.anonymous!, false);
    expect(nested).toContain('<a data-discover="true" aria-current="page" class="active" href="/weeks">');
    expect(nested).toContain(`href="/login?redirectTo=${encodeURIComponent('/Weeks/2024')}"`);
  });
});
