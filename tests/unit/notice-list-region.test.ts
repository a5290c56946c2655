/**
 * The notification centre's personal region (issue 12): the server's plain string renderer
 * (`renderNoticeRegion`, app/components/notifications/notice-list.server.ts) writes exactly what
 * React writes for the same data. The whole `/notifications` route component is rendered on the
 * server through a router, as Remix renders it: once by React for the visitor's data (the
 * reference, with Remix's own `<Link>`; and with the layout's server-side links), once for a
 * shared render's stand-in (placeholders in the region's slots) with the string renderer's HTML
 * put in place of the slots — the two pages must be the same byte for byte. Over every notice
 * type, both languages, read and unread, with and without a link, every combination of
 * newer/older pages, an empty list, and hostile text (`<script>`, quotes, `&`, entities,
 * U+2028/9, lone surrogates) in names, titles, links and cursors. The region's data in the
 * hydration script is the JSON Remix writes (`jsonInScript`).
 */
import { createElement as h } from 'react';
import { renderToString } from 'react-dom/server';
import { Outlet } from 'react-router-dom';
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from 'react-router-dom/server';
import { describe, expect, it } from 'vitest';

import { RouterLinksOnServer } from '~/components/layout-links';
import { renderNoticeRegion } from '~/components/notifications/notice-list.server';
import type { NoticeLine, NoticePageData } from '~/components/notifications/NoticeList';
import { noticeMessage, NOTIFICATION_TYPES, type NotificationType } from '~/domain/notifications/types';
import { I18nProvider, type Locale } from '~/i18n/i18n';
import { getT, messagesFor } from '~/i18n/i18n.server';
import { asKey } from '~/i18n/keys';
import { formatDateTime } from '~/lib/dates';
import { jsonInScript } from '~/lib/page-shell.server';
import { regionPlaceholder, regionSlot } from '~/lib/shell-region';
import Notifications from '~/routes/notifications._index';

const ROUTE_ID = 'routes/notifications._index';

async function renderPage(url: string, locale: Locale, unread: number, page: NoticePageData | string, full: boolean): Promise<string> {
  const rootData = { locale, user: { id: 'u1', displayName: 'Bạn đọc' }, roles: [], unread, largeText: false, flash: null };
  const Root = () =>
    h(RouterLinksOnServer.Provider, { value: full }, h(I18nProvider, { locale, messages: messagesFor(locale), children: h(Outlet) }));
  const routes = [
    {
      id: 'root',
      path: '/',
      loader: () => rootData,
      Component: Root,
      children: [
        {
          id: 'routes/notifications',
          path: 'notifications',
          children: [{ id: ROUTE_ID, index: true, loader: () => ({ title: 'x', page }), Component: Notifications }],
        },
      ],
    },
  ];
  const handler = createStaticHandler(routes);
  const context = await handler.query(new Request(`http://localhost${url}`));
  if (context instanceof Response) throw new Error(`${url}: ${context.status}`);
  const router = createStaticRouter(handler.dataRoutes, context);
  return renderToString(h(StaticRouterProvider, { router, context, hydrate: false }));
}

const HOSTILE = [
  `<script>alert("x")</script>`,
  `"dq" 'sq' & &amp; &lt; <b>b</b> </p></li>`,
  `\u2028line\u2029para`,
  `lone \ud800 surrogate, emoji 📚, Tiếng Việt đ`,
  `{{name}} javascript:alert(1) <!-- -->`,
];

const iso = (i: number) => new Date(Date.UTC(2026, 10, 1, 3) + i * 3_600_000).toISOString();

/** A page of notices of every type, with hostile params, links of every kind, read and unread. */
function notices(locale: Locale, n: number, salt: number): NoticeLine[] {
  const t = getT(locale);
  const types = Object.keys(NOTIFICATION_TYPES) as NotificationType[];
  return Array.from({ length: n }, (_, i) => {
    const type = types[(i + salt) % types.length]!;
    const hostile = HOSTILE[(i + salt) % HOSTILE.length]!;
    const params = {
      name: i % 2 ? hostile : 'Nguyễn Văn A',
      title: i % 3 ? `Chủ đề ${i} ${hostile}` : 'Văn hoá đọc',
      action: 'ẩn',
      reason: hostile,
      club: hostile,
      book: 'Dế Mèn',
      count: i,
      year: 2026,
      unit: 'Trường <THCS> & "A"',
      form: 'Báo cáo',
      days: 3,
      contest: hostile,
      when: '10:00',
      meeting: hostile,
      challenge: hostile,
      title_name: hostile,
    };
    const urls = [null, '/forums', `/forums/t/abc?page=2&x="1"#post-3`, `/x?q=${hostile}`, ''];
    return {
      id: `n${salt}x${i}-${hostile.length}`,
      // Every third notice stands for several events (a thread's replies gathered while unread).
      text: ((m) => t(asKey(m.key), m.params))(noticeMessage(type, params, i % 3 === 1 ? 3 + i : 1)),
      url: urls[(i + salt) % urls.length]!,
      at: formatDateTime(iso(i)),
      unread: (i + salt) % 3 === 0,
    };
  });
}

const CURSOR = `${iso(5)}_abcDEF-123`;
const cases: Array<{ label: string; locale: Locale; url: string; unread: number; page: NoticePageData }> = [];
for (const locale of ['vi', 'en'] as const) {
  cases.push({ label: `${locale}: empty`, locale, url: '/notifications', unread: 0, page: { notes: [], older: null, newer: null } });
  cases.push({
    label: `${locale}: empty later page (newer only)`,
    locale,
    url: `/notifications?before=${encodeURIComponent(CURSOR)}`,
    unread: 0,
    page: { notes: [], older: null, newer: CURSOR },
  });
  for (const [k, [older, newer]] of (
    [
      [null, null],
      [CURSOR, null],
      [null, CURSOR],
      [CURSOR, `${iso(9)}_zz`],
    ] as Array<[string | null, string | null]>
  ).entries()) {
    for (const n of [1, 7, 30]) {
      const page = { notes: notices(locale, n, k * 31 + n), older, newer };
      const unread = page.notes.filter((x) => x.unread).length;
      const url = newer ? `/notifications?before=${encodeURIComponent(newer)}` : '/notifications';
      cases.push({
        label: `${locale}: ${n} notices, older ${Boolean(older)}, newer ${Boolean(newer)}`,
        locale,
        url,
        unread: unread + 2,
        page,
      });
    }
  }
  // Every notice read, and every notice unread.
  const all = notices(locale, 12, 5);
  cases.push({
    label: `${locale}: all read`,
    locale,
    url: '/notifications',
    unread: 0,
    page: { notes: all.map((x) => ({ ...x, unread: false })), older: null, newer: null },
  });
  cases.push({
    label: `${locale}: all unread`,
    locale,
    url: '/notifications',
    unread: 1,
    page: { notes: all.map((x) => ({ ...x, unread: true })), older: CURSOR, newer: null },
  });
}

describe('notifications: the string renderer of the personal region equals React', () => {
  it('covers every notice type, hostile text and the pages around', () => {
    const text = cases.flatMap((c) => c.page.notes.map((n) => n.text)).join('\n');
    expect(text).toContain('<script>alert("x")</script>');
    expect(text).toContain('\u2028');
    for (const def of Object.values(NOTIFICATION_TYPES) as Array<{ message: string; collapsed?: string }>) {
      expect(text).not.toContain(def.message); // every message translated
      if (def.collapsed) expect(text).not.toContain(def.collapsed);
    }
    expect(text).toMatch(/\d+ trả lời mới trong “/);
    expect(text).toMatch(/\d+ new replies in “/);
    expect(cases.length).toBeGreaterThan(25);
  });

  it.each(cases.map((c) => [c.label, c] as const))('%s', async (_label, c) => {
    const reference = await renderPage(c.url, c.locale, c.unread, c.page, true);
    const layoutLinks = await renderPage(c.url, c.locale, c.unread, c.page, false);
    expect(layoutLinks).toBe(reference);
    // The stand-in's render, its slots filled with the string renderer's HTML.
    const placeholder = regionPlaceholder('0123456789abcdef01');
    const stand = await renderPage(c.url, c.locale, c.unread, placeholder, false);
    const html = renderNoticeRegion(c.page, getT(c.locale));
    expect(html).toHaveLength(3);
    let filled = stand;
    html.forEach((part, i) => {
      const slot = regionSlot(placeholder, i)!;
      expect(filled.split(slot).length, `slot ${i} once`).toBe(2);
      filled = filled.replace(slot, () => part);
    });
    expect(filled).toBe(reference);
    expect(reference).not.toContain('<script>alert');
    expect(reference.match(/<li class="card/g)?.length ?? 0).toBe(c.page.notes.length);
    if (c.page.older) expect(reference).toContain('data-discover="true" href="/notifications?before=');
    // The data as the hydration script carries it: parses back to the same, nothing raw that could end the script.
    const json = jsonInScript(c.page);
    expect(json).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(json)).toEqual(JSON.parse(JSON.stringify(c.page)));
  });
});
