import { Marked } from 'marked';
import sanitizeHtml from 'sanitize-html';

// marked does not sanitise: every user-written Markdown goes through sanitize-html after it.
const marked = new Marked({ gfm: true, breaks: false, async: false });

const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [
    ...sanitizeHtml.defaults.allowedTags,
    'img',
    'figure',
    'figcaption',
    'del',
    'ins',
    'sup',
    'sub',
    'details',
    'summary',
    'mark',
  ],
  allowedAttributes: {
    a: ['href', 'title', 'rel', 'target'],
    img: ['src', 'alt', 'title', 'width', 'height', 'loading'],
    th: ['align', 'scope'],
    td: ['align'],
    code: ['class'],
    ol: ['start'],
  },
  allowedSchemes: ['http', 'https', 'mailto', 'tel'],
  allowedSchemesByTag: { img: ['http', 'https'] },
  allowProtocolRelative: false,
  transformTags: {
    a: (tagName, attribs) => {
      const external = /^https?:\/\//.test(attribs.href ?? '');
      return { tagName, attribs: external ? { ...attribs, rel: 'noopener noreferrer nofollow', target: '_blank' } : attribs };
    },
    img: (tagName, attribs) => ({ tagName, attribs: { ...attribs, loading: 'lazy' } }),
  },
};

export function sanitize(html: string): string {
  return sanitizeHtml(html, OPTIONS);
}

/** Markdown written by a user, rendered to HTML that is safe to insert. */
export function renderMarkdown(md: string): string {
  const text = md ?? '';
  const kept = rendered.get(text);
  if (kept !== undefined) {
    rendered.delete(text);
    rendered.set(text, kept);
    return kept;
  }
  const html = sanitize(marked.parse(text) as string);
  rendered.set(text, html);
  renderedBytes += text.length + html.length;
  for (const [k, v] of rendered) {
    if (renderedBytes <= RENDERED_MAX_CHARS) break;
    rendered.delete(k);
    renderedBytes -= k.length + v.length;
  }
  return html;
}

/**
 * The same text always renders to the same HTML, and pages render the same few bodies (a Week's
 * description, a course's summary) on every view: ~5 % of a Week page's CPU. Kept by text, least
 * recently used out past ~8 M characters.
 */
const rendered = new Map<string, string>();
let renderedBytes = 0;
const RENDERED_MAX_CHARS = 8_000_000;
