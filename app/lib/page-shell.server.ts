/**
 * Shared renders of public pages for signed-in visitors ("hole punching", issue 10).
 *
 * A signed-in reader's `/library` is the anonymous page plus a few personal things: the header's
 * display name, the bell's unread count, the role-dependent links, and the root loader's `user`,
 * `roles` and `unread` in the hydration data (`window.__remixContext`). Rendering the whole page
 * with React for every reader costs 4–6 ms of CPU. Instead, for the pages opted in
 * (`shellPage` in ./page-cache-routes.server.ts), the page is rendered ONCE per variant for a
 * stand-in reader whose name, id and (two or more) unread count are random placeholders, and each
 * visitor gets that render with their own values put in place of the placeholders — on the server,
 * so it works without JavaScript and hydrates without a mismatch (the HTML and the data agree).
 *
 * Safety, in order:
 * - Only pages whose content does not depend on who reads them, beyond the header: every loader
 *   on their route chain was checked, and each page has a per-visitor test (`sameForReader`) that
 *   sends a visitor with a personal part (roles, courses taken or taught) to an ordinary render.
 * - Or pages with a variant function (`SHELL_VARIANT_PAGES`, e.g. a club's page): it reads, fresh
 *   on each request, exactly what the page's loaders read about the visitor (their membership and
 *   role in the club, their RSVPs) and returns it as a view and a key; the key joins the variant
 *   key and the stand-in's render sees the view (`shellView` in the loader) instead of reading its
 *   own (empty) rows. What cannot be captured (a pair naming another member, a role on the club's
 *   unit) returns null: that visitor's page is rendered for them.
 * - The variant key holds everything that changes the page's structure: path + query, language
 *   (cookie → Accept-Language), text size, the visitor's roles (the nav's links and the `roles`
 *   data) and locale, and whether the unread count is 0, 1 or more (0 and 1 are rendered as they
 *   are; only "more" is a placeholder). Nothing personal is stored: the render is for the stand-in.
 * - Only a visitor whose cookies are the session, `lang` and `textsize` (no flash message or
 *   anything else a render could read); only a 200 without Set-Cookie is kept.
 * - Each placeholder found in the render is checked for its context before anything is stored:
 *   inside the hydration script it is replaced JSON-escaped (as Remix escapes that script: `<`,
 *   `>`, `&`, U+2028/9 as \u escapes); in HTML text or a quoted, non-URL, non-event attribute it
 *   is replaced HTML-escaped (`& < > " '`); the id (never the name) in a style element (a club's
 *   "hide my own row" rule) is filled in only when it is of [A-Za-z0-9_-], else the visitor's page
 *   is rendered for them. Anywhere else (another script, a style but for that id, a URL, an
 *   unquoted attribute) — or the name missing from the data — and the render is not kept: that
 *   variant is rendered for each visitor as before (until its dependencies change).
 * - The CSP nonce is replaced by a fresh one per response (the header and the page's attributes),
 *   so readers never share one.
 * - Exact invalidation: an entry depends on the same names as the anonymous page (bumpCache) and
 *   has the same TTL; the personal values are read on every request (sign-out, a new notice, a
 *   role or language change show at once: a role or language change is a different variant).
 * - Bounded (an LRU by bytes, PAGE_SHELL_MAX_MB, default 32), one render per key at a time
 *   (single flight), switched off with PAGE_SHELL=0 (or with the page cache, PAGE_CACHE=0).
 * - Kept as UTF-8 parts, each also deflated once (./segmented-gzip.server.ts): a visitor who
 *   accepts gzip gets those parts with their values between them as DEFLATE stored blocks — the
 *   same bytes once inflated, without deflating ~100 KB again for every response.
 * Responses carry `Cache-Control: private, no-cache` and `X-Page-Cache: shell`.
 */
import { randomBytes, randomInt } from 'node:crypto';

import { createRequestHandler, type ServerBuild } from '@remix-run/node';
import type { Request as ExpressRequest, RequestHandler, Response as ExpressResponse } from 'express';

import { unreadCount } from '~/domain/notifications/notify.server';
import { localeFrom } from '~/i18n/i18n.server';

import { getAuthOfGet, type SessionUser } from './auth.server';
import { newNonce } from './csp.server';
import { getDb } from './db.server';
import { currentSeq, DROP_HEADERS as PAGE_DROP_HEADERS, isFresh, pageCache, settings, toWebRequest } from './page-cache.server';
import { shellPage, type ShellVariant } from './page-cache-routes.server';
import { compileSegments, joinGzip, joinRaw, type Segments } from './segmented-gzip.server';
import { SHELL_HEADER, withShellIdentity } from './shell-identity.server';
import { regionPlaceholder } from './shell-region';

const SESSION_COOKIE = 'llw_session';
const KEY_COOKIES = new Set(['lang', 'textsize']);

/** A place in a kept render filled per visitor; `slot-<i>`/`region-json`: a page's personal region (./shell-region.ts). */
type Hole = 'name-html' | 'name-json' | 'id-html' | 'id-json' | 'id-css' | 'count' | 'nonce' | 'region-json' | `slot-${number}`;

/** An id that may be written into a style element as it is (a quoted CSS string): app ids are [0-9a-z]. */
const CSS_SAFE_ID = /^[A-Za-z0-9_-]{1,64}$/;

interface ShellEntry {
  /** The literal parts, UTF-8 and deflated once; null: this variant could not be shared (rendered per visitor until it is stale). */
  parts: Segments | null;
  holes: Hole[];
  /** How many slots of a personal region the render has (0: no region). */
  slots: number;
  headers: Array<[string, string]>;
  deps: string[];
  seq: number;
  storedAt: number;
  bytes: number;
}

interface ShellState {
  entries: Map<string, ShellEntry>;
  bytes: number;
  inflight: Map<string, Promise<ShellEntry>>;
  renders: number;
}
const g = globalThis as unknown as { __llwPageShell?: ShellState };
function shellState(): ShellState {
  g.__llwPageShell ??= { entries: new Map(), bytes: 0, inflight: new Map(), renders: 0 };
  return g.__llwPageShell;
}

function enabled(): boolean {
  return settings().enabled && process.env.PAGE_SHELL !== '0';
}

/** For tests: forget every shared render. */
export function clearShellPages(): void {
  const s = shellState();
  s.entries.clear();
  s.bytes = 0;
  s.renders = 0;
}

export function shellStats(): { entries: number; bytes: number; renders: number } {
  const s = shellState();
  return { entries: s.entries.size, bytes: s.bytes, renders: s.renders };
}

/** The cookies of a visitor who may get a shared render: the session, `lang`, `textsize`; else null. */
function shellCookies(header: string | undefined): Map<string, string> | null {
  if (!header) return null;
  const out = new Map<string, string>();
  for (const part of header.split(/;\s*/)) {
    if (!part) continue;
    const i = part.indexOf('=');
    const name = i < 0 ? part : part.slice(0, i);
    if (name !== SESSION_COOKIE && !KEY_COOKIES.has(name)) return null;
    try {
      out.set(name, decodeURIComponent(part.slice(i + 1)));
    } catch {
      return null;
    }
  }
  return out.has(SESSION_COOKIE) ? out : null;
}

// ---------- escaping for each context ----------

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#x27;' };
export function escapeHtmlText(v: string): string {
  return v.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

// As Remix escapes the JSON of `window.__remixContext` (@remix-run/react markup.js).
const SCRIPT_ESCAPES: Record<string, string> = {
  '&': '\\u0026',
  '>': '\\u003e',
  '<': '\\u003c',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
};
/** A string's content inside a JSON string literal inside an inline script. */
export function escapeJsonInScript(v: string): string {
  return JSON.stringify(v)
    .slice(1, -1)
    .replace(/[&><\u2028\u2029]/g, (c) => SCRIPT_ESCAPES[c]!);
}

// ---------- the template ----------

interface Placeholders {
  name: string;
  id: string;
  count: string | null;
  nonce: string | null;
  /** A personal region's placeholders' tag (the data `Zq<tag>RdataQ`, slot i `Zq<tag>R<i>Q`), or null. */
  region?: string | null;
}

/** Attributes whose value is a URL, code or style: a placeholder there is never filled in. */
const UNSAFE_ATTR = /^(?:on.*|href|src|srcset|action|formaction|style|xlink:href|poster|data|content|http-equiv)$/i;

type Raw = 'json' | 'css' | 'script';

/** Where a placeholder at `at` sits: 'json' (the hydration script), 'css' (a style element), 'html', or null (refused). */
function contextAt(html: string, at: number, scripts: Array<[number, number, Raw]>): 'json' | 'css' | 'html' | null {
  for (const [from, to, kind] of scripts) if (at >= from && at < to) return kind === 'script' ? null : kind;
  const lt = html.lastIndexOf('<', at);
  const gt = html.lastIndexOf('>', at);
  if (gt > lt) return 'html'; // text between tags
  const tag = html.slice(lt, at);
  const m = /\s([^\s"'=<>/]+)="[^"]*$/.exec(tag);
  if (!m || UNSAFE_ATTR.test(m[1]!)) return null;
  return 'html';
}

/**
 * Splits a stand-in's render into literal parts and holes; null when a placeholder sits where it
 * could not be filled in safely, or the hydration data does not carry the stand-in's name.
 */
export function makeTemplate(html: string, p: Placeholders): { parts: string[]; holes: Hole[]; slots: number } | null {
  // Every <script>/<style> element's content: [from, to, the hydration data / a style / another script].
  const scripts: Array<[number, number, Raw]> = [];
  const re = /<(script|style)\b[^>]*>/gi;
  for (let m = re.exec(html); m; m = re.exec(html)) {
    const from = m.index + m[0].length;
    const end = html.indexOf(`</${m[1]!.toLowerCase()}`, from);
    const to = end < 0 ? html.length : end;
    const tag = m[1]!.toLowerCase();
    scripts.push([from, to, tag === 'style' ? 'css' : html.startsWith('window.__remixContext = ', from) ? 'json' : 'script']);
    re.lastIndex = to;
  }
  const found: Array<{ at: number; len: number; hole: Hole }> = [];
  const find = (needle: string, kind: 'name' | 'id' | 'count' | 'nonce') => {
    for (let at = html.indexOf(needle); at >= 0; at = html.indexOf(needle, at + needle.length)) {
      if (kind === 'nonce') {
        found.push({ at, len: needle.length, hole: 'nonce' }); // same alphabet and length: safe anywhere
        continue;
      }
      const ctx = contextAt(html, at, scripts);
      if (!ctx) return false;
      // In a style element only the id (filled in only when it is of [A-Za-z0-9_-]: CSS_SAFE_ID).
      if (ctx === 'css' && kind !== 'id') return false;
      const hole: Hole =
        kind === 'count'
          ? 'count'
          : kind === 'name'
            ? ctx === 'json'
              ? 'name-json'
              : 'name-html'
            : ctx === 'json'
              ? 'id-json'
              : ctx === 'css'
                ? 'id-css'
                : 'id-html';
      found.push({ at, len: needle.length, hole });
    }
    return true;
  };
  if (!find(p.name, 'name') || !find(p.id, 'id')) return null;
  if (p.count && !find(p.count, 'count')) return null;
  if (p.nonce && !find(p.nonce, 'nonce')) return null;
  if (!found.some((f) => f.hole === 'name-json') || !found.some((f) => f.hole === 'id-json')) return null;
  // A personal region: its data once, as a whole JSON string in the hydration data (the quotes are
  // part of the hole), and slots 0…n-1 once each, in HTML text between tags (never in an attribute,
  // a script or a style). Anything else and the render is not kept.
  let slots = 0;
  if (p.region) {
    const data = `"${regionPlaceholder(p.region)}"`;
    const at = html.indexOf(data);
    if (at < 0 || html.indexOf(data, at + 1) >= 0 || contextAt(html, at + 1, scripts) !== 'json') return null;
    found.push({ at, len: data.length, hole: 'region-json' });
    const seen = new Set<number>();
    const re = new RegExp(`Zq${p.region}R(\\d{1,2})Q`, 'g');
    for (let m = re.exec(html); m; m = re.exec(html)) {
      const i = Number(m[1]);
      if (seen.has(i) || scripts.some(([from, to]) => m!.index >= from && m!.index < to)) return null;
      if (html.lastIndexOf('>', m.index) < html.lastIndexOf('<', m.index)) return null; // inside a tag
      seen.add(i);
      found.push({ at: m.index, len: m[0].length, hole: `slot-${i}` });
    }
    slots = seen.size;
    if (!slots || [...seen].some((i) => i >= slots)) return null;
  }
  found.sort((a, b) => a.at - b.at);
  const parts: string[] = [];
  const holes: Hole[] = [];
  let last = 0;
  for (const f of found) {
    if (f.at < last) return null; // overlapping placeholders: never expected
    parts.push(html.slice(last, f.at));
    holes.push(f.hole);
    last = f.at + f.len;
  }
  parts.push(html.slice(last));
  // What is left must not hold a placeholder in another form (cut short, a count with digit
  // grouping): that copy would show the stand-in's value to everyone.
  const rest = parts.join('\u0000');
  const digitsOf = (v: string) => new RegExp(v.slice(1, 12).split('').join('\\D{0,2}'));
  if ([p.name, p.id].some((v) => rest.includes(v.slice(2, 14)))) return null;
  if (p.count && digitsOf(p.count).test(rest)) return null;
  return { parts, holes, slots };
}

/** A value as Remix writes it inside the hydration script: its JSON with `& < >` U+2028/9 as \u escapes. */
export function jsonInScript(value: unknown): string {
  return JSON.stringify(value).replace(/[&><\u2028\u2029]/g, (c) => SCRIPT_ESCAPES[c]!);
}

/**
 * One visitor's values. `region`: their personal region (its data as `jsonInScript` writes it, and
 * the HTML of each slot, from the page's string renderer) — required when the template has one.
 */
interface Visitor {
  name: string;
  id: string;
  count: number;
  nonce: string;
  region?: { json: string; html: string[] };
}

/** Each hole's value for one visitor, escaped for its place. */
function holeValues(v: Visitor): (h: Hole) => string {
  const values: Record<string, string> = {
    'name-html': escapeHtmlText(v.name),
    'name-json': escapeJsonInScript(v.name),
    'id-html': escapeHtmlText(v.id),
    'id-json': escapeJsonInScript(v.id),
    'id-css': CSS_SAFE_ID.test(v.id) ? v.id : '',
    count: String(v.count),
    nonce: v.nonce,
  };
  return (h: Hole): string => {
    if (h !== 'region-json' && !h.startsWith('slot-')) return values[h]!;
    if (!v.region) throw new Error('page-shell: a template with a personal region filled without one');
    if (h === 'region-json') return v.region.json;
    const html = v.region.html[Number(h.slice('slot-'.length))];
    if (html === undefined) throw new Error(`page-shell: no HTML for ${h}`);
    return html;
  };
}

/** The page for one visitor: the template with their values, each escaped for its place. */
export function fillTemplate(parts: string[], holes: Hole[], v: Visitor): string {
  const value = holeValues(v);
  let out = parts[0]!;
  for (let i = 0; i < holes.length; i++) out += value(holes[i]!) + parts[i + 1]!;
  return out;
}

// ---------- the middleware ----------

// A shared render also never keeps a cookie (the visitor's own come with each response).
const DROP_HEADERS = new Set([...PAGE_DROP_HEADERS, 'set-cookie']);

function store(key: string, e: ShellEntry) {
  const s = shellState();
  const old = s.entries.get(key);
  if (old) {
    s.entries.delete(key);
    s.bytes -= old.bytes;
  }
  const max = Number(process.env.PAGE_SHELL_MAX_MB ?? 32) * 1024 * 1024;
  if (e.bytes > max / 4) return;
  s.entries.set(key, e);
  s.bytes += e.bytes;
  for (const [k, x] of s.entries) {
    if (s.bytes <= max) break;
    s.entries.delete(k);
    s.bytes -= x.bytes;
  }
}

function digits(n: number): string {
  let out = '';
  for (let i = 0; i < n; i++) out += String(randomInt(10));
  return out;
}

/** Renders the stand-in's page for one variant and makes its template (or a "not shareable" entry). */
async function renderShell(
  req: ExpressRequest,
  render: (request: Request) => Promise<Response>,
  cookies: Map<string, string>,
  user: SessionUser,
  bucket: 0 | 1 | 'n',
  deps: string[],
  view: unknown,
  hasRegion: boolean,
): Promise<ShellEntry> {
  const s = shellState();
  s.renders++;
  const seq = currentSeq();
  const storedAt = Date.now();
  const tag = randomBytes(9).toString('hex');
  const p: Placeholders = {
    name: `Zq${tag}Name`,
    id: `zq${tag}id`,
    count: bucket === 'n' ? `7${digits(14)}` : null,
    nonce: null,
    region: hasRegion ? tag : null,
  };
  const stand: SessionUser = {
    id: p.id,
    email: '',
    displayName: p.name,
    locale: user.locale,
    birthYear: null,
    homeUnitId: null,
    roles: [...user.roles],
  };
  const unread = bucket === 'n' ? Number(p.count) : bucket;
  const request = toWebRequest(req);
  // The stand-in's request carries no session: only the cookies that are part of the key.
  const keep = [...cookies].filter(([k]) => KEY_COOKIES.has(k)).map(([k, v]) => `${k}=${encodeURIComponent(v)}`);
  if (keep.length) request.headers.set('cookie', keep.join('; '));
  else request.headers.delete('cookie');
  const refused: ShellEntry = { parts: null, holes: [], slots: 0, headers: [], deps, seq, storedAt, bytes: 256 };
  const region = p.region ? regionPlaceholder(p.region) : undefined;
  const { response, html } = await withShellIdentity({ user: stand, unread, view, region }, async (token) => {
    request.headers.set(SHELL_HEADER, token);
    const r = await render(request);
    return { response: r, html: await r.text() };
  });
  const cc = response.headers.get('cache-control') ?? '';
  if (response.status !== 200 || response.headers.has('set-cookie') || /no-store/i.test(cc)) return refused;
  const csp = response.headers.get('content-security-policy') ?? '';
  p.nonce = /'nonce-([A-Za-z0-9+/=_-]{16,})'/.exec(csp)?.[1] ?? null;
  const t = makeTemplate(html, p);
  if (!t) {
    console.error(`[page-shell] ${req.path}: a placeholder in an unexpected place; this variant is rendered per visitor`);
    return refused;
  }
  const headers: Array<[string, string]> = [];
  for (const [k, v] of response.headers) {
    if (DROP_HEADERS.has(k)) continue;
    if (p.nonce && v.includes(p.nonce)) {
      const at = v.split(p.nonce);
      headers.push([k, at.join('\u0000')]); // the nonce's places, filled per response
    } else headers.push([k, v]);
  }
  const parts = compileSegments(t.parts);
  return { parts, holes: t.holes, slots: t.slots, headers, deps, seq, storedAt, bytes: parts.bytes + 1024 };
}

async function answer(
  req: ExpressRequest,
  res: ExpressResponse,
  next: (e?: unknown) => void,
  render: (request: Request) => Promise<Response>,
) {
  const url = req.originalUrl;
  const q = url.indexOf('?');
  const page = shellPage(q < 0 ? url : url.slice(0, q));
  if (!page) return next();
  const cookies = shellCookies(req.headers.cookie);
  if (!cookies) return next();
  // The same session lookup the loaders would make (kept for them in the request's context).
  const auth = await getAuthOfGet(req.headers.cookie);
  const user = auth.user;
  if (!user) return next();
  const db = getDb();
  if (!(await page.sameForReader(db, user))) return next();
  // What the page's loaders read of this visitor, captured (null: not capturable, render for them).
  const locale = localeFrom(cookies.get('lang'), String(req.headers['accept-language'] ?? ''));
  const variant: Awaited<ReturnType<ShellVariant>> = page.variant
    ? await page.variant(db, user, new URL(url, 'http://localhost'))
    : { key: '', view: undefined };
  if (!variant) return next();
  const unread = await unreadCount(db, user.id);
  const bucket = unread === 0 ? 0 : unread === 1 ? 1 : 'n';
  const key = JSON.stringify([
    locale,
    cookies.get('textsize') === 'large' ? 'L' : 'n',
    bucket,
    user.locale,
    user.roles,
    variant.key,
    variant.region ? 'R' : '',
    url,
  ]);
  const s = shellState();
  const now = Date.now();
  let entry = s.entries.get(key);
  if (entry && !isFresh(entry, now, settings().ttlMs)) {
    s.entries.delete(key);
    s.bytes -= entry.bytes;
    entry = undefined;
  }
  if (entry) {
    s.entries.delete(key); // most recently used last
    s.entries.set(key, entry);
  } else {
    let p = s.inflight.get(key);
    if (!p) {
      p = renderShell(req, render, cookies, user, bucket, page.deps, variant.view, Boolean(variant.region));
      s.inflight.set(key, p);
      void p
        .then((e) => store(key, e))
        .catch(() => undefined)
        .finally(() => s.inflight.delete(key));
    }
    entry = await p;
  }
  if (!entry.parts) return next();
  if (entry.holes.includes('id-css') && !CSS_SAFE_ID.test(user.id)) return next();
  // The visitor's personal region, read and written for them now (no React): its data and slots.
  let region: { json: string; html: string[] } | undefined;
  if (variant.region) {
    const r = await variant.region({ locale });
    if (r.html.length !== entry.slots) {
      console.error(`[page-shell] ${req.path}: the region has ${r.html.length} slots, the render ${entry.slots}; rendered for the visitor`);
      return next();
    }
    region = { json: jsonInScript(r.data), html: r.html };
  }
  const nonce = newNonce();
  const value = holeValues({ name: user.displayName, id: user.id, count: unread, nonce, region });
  const filled = new Map<Hole, Buffer>();
  const fills = entry.holes.map((h) => {
    let b = filled.get(h);
    if (!b) filled.set(h, (b = Buffer.from(value(h), 'utf8')));
    return b;
  });
  // Deflated once when stored, the visitor's values as stored blocks: no deflating per response.
  const gzip = req.acceptsEncodings('gzip', 'identity') === 'gzip';
  const body = gzip ? joinGzip(entry.parts, fills) : joinRaw(entry.parts, fills);
  res.status(200);
  for (const [k, v] of entry.headers) res.setHeader(k, v.includes('\u0000') ? v.split('\u0000').join(nonce) : v);
  res.setHeader('Cache-Control', 'private, no-cache');
  res.setHeader('Vary', 'Cookie, Accept-Encoding');
  res.setHeader('X-Page-Cache', 'shell');
  if (gzip) res.setHeader('Content-Encoding', 'gzip');
  res.setHeader('Content-Length', body.length);
  if (auth.setCookie) res.append('Set-Cookie', auth.setCookie);
  if (req.method === 'HEAD') res.end();
  else res.end(body);
}

/**
 * The middleware server.ts mounts before Remix: anonymous visitors from the page cache, signed-in
 * visitors of the pages opted in from a shared render, everyone else on to Remix.
 */
export function publicPagesMiddleware(build: ServerBuild): RequestHandler {
  const render = createRequestHandler(build, 'production');
  const anonymous = pageCache(render);
  return (req, res, next) =>
    anonymous(req, res, () => {
      if (!enabled() || (req.method !== 'GET' && req.method !== 'HEAD') || !req.headers.cookie?.includes(SESSION_COOKIE)) return next();
      answer(req, res, next, render).catch(next);
    });
}
