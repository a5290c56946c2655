/**
 * Atom 1.0 (RFC 4287) feeds of news, so ward and school portals can embed them. Written by hand
 * (a few elements) with every text escaped; every URL absolute, built from the configured origin
 * (`~/lib/origin.server`), never from the request.
 */
import { absoluteUrl } from '~/lib/origin.server';

import { type NewsItem, newsPhotoPath } from './news.server';

// Characters XML 1.0 forbids even when escaped (control characters other than tab, LF, CR; lone surrogates; U+FFFE/F).
const INVALID_XML =
  // eslint-disable-next-line no-control-regex -- these control characters are exactly what is removed
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Text safe inside an XML element or a double-quoted attribute. */
export function xmlEscape(s: string): string {
  return s
    .replace(INVALID_XML, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** Relative `src`/`href` in rendered news HTML made absolute (feed readers have no base URL). */
function absolutise(html: string): string {
  return html.replace(/\s(src|href)="(\/(?!\/)[^"]*)"/g, (_m, attr: string, p: string) => ` ${attr}="${absoluteUrl(p)}"`);
}

export interface FeedMeta {
  /** Site path of the feed itself (rel=self). */
  selfPath: string;
  /** Site path of the page the feed mirrors (rel=alternate). */
  pagePath: string;
  title: string;
  subtitle?: string;
  authorName: string;
}

export function newsItemPath(item: Pick<NewsItem, 'unitSlug' | 'id'>): string {
  return `/units/${encodeURIComponent(item.unitSlug)}/news#news-${encodeURIComponent(item.id)}`;
}

function rfc3339(iso: string): string {
  return new Date(iso).toISOString();
}

/** The Atom document of these news items (newest first). */
export function atomFeed(meta: FeedMeta, items: NewsItem[], now = new Date()): string {
  const updated = items.reduce((max, i) => (i.updatedAt > max ? i.updatedAt : max), items.length ? '' : now.toISOString());
  const lines = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="vi">',
    `  <id>${xmlEscape(absoluteUrl(meta.selfPath))}</id>`,
    `  <title>${xmlEscape(meta.title)}</title>`,
    meta.subtitle ? `  <subtitle>${xmlEscape(meta.subtitle)}</subtitle>` : '',
    `  <updated>${rfc3339(updated)}</updated>`,
    `  <link rel="self" type="application/atom+xml" href="${xmlEscape(absoluteUrl(meta.selfPath))}"/>`,
    `  <link rel="alternate" type="text/html" href="${xmlEscape(absoluteUrl(meta.pagePath))}"/>`,
    `  <author><name>${xmlEscape(meta.authorName)}</name></author>`,
  ];
  for (const i of items) {
    const url = absoluteUrl(newsItemPath(i));
    const photo = newsPhotoPath(i);
    const body =
      (photo ? `<p><img src="${xmlEscape(absoluteUrl(photo))}" alt="${xmlEscape(i.photoAlt ?? '')}"></p>` : '') + absolutise(i.html);
    lines.push(
      '  <entry>',
      `    <id>${xmlEscape(url)}</id>`,
      `    <title type="text">${xmlEscape(i.title)}</title>`,
      `    <link rel="alternate" type="text/html" href="${xmlEscape(url)}"/>`,
      `    <published>${rfc3339(`${i.date}T00:00:00+07:00`)}</published>`,
      `    <updated>${rfc3339(i.updatedAt)}</updated>`,
      `    <author><name>${xmlEscape(i.unitName)}</name></author>`,
      `    <content type="html">${xmlEscape(body)}</content>`,
      '  </entry>',
    );
  }
  lines.push('</feed>');
  return `${lines.filter((l) => l !== '').join('\n')}\n`;
}
