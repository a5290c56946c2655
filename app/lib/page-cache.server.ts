/**
 * The rendered-page cache for anonymous visitors (issue 10).
 *
 * - Which pages: the public paths listed in `./page-cache-routes.server.ts`, for GET/HEAD
 *   requests carrying no cookie but `lang` and `textsize` (a session, a flash message or any other
 *   cookie → Remix renders as usual and nothing is stored).
 * - Key: path + query + language (cookie → Accept-Language → vi) + text size.
 * - What is kept: the 200 response's bytes, raw, gzip and brotli, with its headers; never a
 *   response with Set-Cookie, `Cache-Control: private/no-store`, or another status.
 * - A hit is answered here, before Remix and React run, with ETag (+ 304 Not Modified) and
 *   `Cache-Control: public, max-age=0, s-maxage, stale-while-revalidate` for a proxy in front.
 * - Invalidation is exact: a write calls `bumpCache(db, area, key?)`, which advances a global
 *   sequence number in the database (table page_cache_versions) and records it for the area (and
 *   the key). A page remembers the sequence number seen when its render began; it is stale as
 *   soon as one of its dependencies (from the routes table) has a newer number. Other processes
 *   see bumps by polling `seq > last seen` (SQLite, every 250 ms) or at once through
 *   LISTEN/NOTIFY (PostgreSQL, with a 1 s poll as a backstop). A TTL (PAGE_CACHE_TTL_S) backs it up.
 * - Bounded: an LRU with a byte limit (PAGE_CACHE_MAX_MB); a miss renders once per key while
 *   concurrent requests for the same key wait for that render (single flight).
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import zlib from 'node:zlib';

import { createRequestHandler, type ServerBuild } from '@remix-run/node';
import type { Request as ExpressRequest, RequestHandler, Response as ExpressResponse } from 'express';
import { sql } from 'kysely';
import pg from 'pg';

import { isPostgres, toNumber } from '~/db/dialect';
import { prepareQuery } from '~/db/prepared';
import { localeFrom } from '~/i18n/i18n.server';

import type { DB } from './db.server';
import { getEnv } from './env.server';
import type { DirectObservation } from './observability/http.server';
import { pageDependencies } from './page-cache-routes.server';

const gzip = promisify(zlib.gzip);
const brotli = promisify(zlib.brotliCompress);

/** Cookies a cacheable (anonymous) page may depend on: both are part of the key. */
const KEY_COOKIES = new Set(['lang', 'textsize']);
const CHANNEL = 'llw_page_cache';

export interface CacheEntry {
  status: number;
  headers: Array<[string, string]>;
  raw: Buffer;
  gz: Buffer;
  br: Buffer;
  etag: string;
  deps: string[];
  /** The global sequence number seen when the render began. */
  seq: number;
  storedAt: number;
  bytes: number;
}

interface State {
  /** Last change (global sequence number) per area, per `area:key`, and per `area:*` (whole area). */
  versions: Map<string, number>;
  /** The highest sequence number this process knows of (its own bumps included). */
  seq: number;
  /** The highest sequence number read from the table (the polling watermark). */
  polled: number;
  entries: Map<string, CacheEntry>;
  bytes: number;
  inflight: Map<string, Promise<CacheEntry | null>>;
  renders: number;
  poller: NodeJS.Timeout | null;
  listener: pg.Client | null;
  db: DB | null;
  polling: Promise<void> | null;
}

// One state per process, shared by every copy of this module (the build and tsx scripts).
const g = globalThis as unknown as { __llwPageCache?: State };
function state(): State {
  g.__llwPageCache ??= {
    versions: new Map(),
    seq: 0,
    polled: 0,
    entries: new Map(),
    bytes: 0,
    inflight: new Map(),
    renders: 0,
    poller: null,
    listener: null,
    db: null,
    polling: null,
  };
  return g.__llwPageCache;
}

export function settings() {
  const env = process.env;
  return {
    enabled: env.PAGE_CACHE !== '0',
    ttlMs: Number(env.PAGE_CACHE_TTL_S ?? 60) * 1000,
    maxBytes: Number(env.PAGE_CACHE_MAX_MB ?? 64) * 1024 * 1024,
    sMaxAge: Number(env.PAGE_CACHE_S_MAXAGE ?? 10),
    swr: Number(env.PAGE_CACHE_SWR ?? 30),
  };
}

function namesFor(area: string, key?: string | number | null): string[] {
  if (!/^[a-z][a-z0-9-]*$/.test(area)) throw new Error(`bumpCache: bad area "${area}"`);
  return key === undefined || key === null ? [area, `${area}:*`] : [area, `${area}:${key}`];
}

function apply(name: string, seq: number) {
  const s = state();
  if ((s.versions.get(name) ?? 0) < seq) s.versions.set(name, seq);
  if (s.seq < seq) s.seq = seq;
}

/**
 * Marks what a write changed, so every cached page showing it is rendered again: `area` alone
 * (every page of the area), or `area` + `key` (pages of that key, and the area's lists). Call it
 * after the write has committed (outside its transaction), with the application's `db`.
 */
export async function bumpCache(db: DB, area: string, key?: string | number | null): Promise<void> {
  const names = namesFor(area, key);
  const run = (trx: DB) => writeBump(trx, names);
  // On SQLite, BEGIN IMMEDIATE orders the counter; on PostgreSQL the counter row's lock does.
  const seq = db.isTransaction
    ? await run(db)
    : isPostgres(db)
      ? await db.transaction().execute((trx) => run(trx as unknown as DB))
      : await db.connection().execute(async (conn) => {
          await sql`BEGIN IMMEDIATE`.execute(conn);
          try {
            const r = await run(conn as DB);
            await sql`COMMIT`.execute(conn);
            return r;
          } catch (e) {
            await sql`ROLLBACK`.execute(conn).catch(() => undefined);
            throw e;
          }
        });
  for (const name of names) apply(name, seq);
}

// Every change of a cached area runs these two (a forum reply among them): built and compiled once.
const nextSeq = prepareQuery((db: DB, counter: string) =>
  db
    .updateTable('page_cache_versions')
    .set({ seq: sql`seq + 1` })
    .where('name', '=', counter)
    .returning('seq'),
);
const setVersions = prepareQuery((db: DB, names: string[], seq: number) =>
  db
    .insertInto('page_cache_versions')
    .values(names.map((name) => ({ name, seq })))
    .onConflict((oc) => oc.column('name').doUpdateSet({ seq })),
);

async function writeBump(trx: DB, names: string[]): Promise<number> {
  const row = await nextSeq.executeTakeFirst(trx, '#seq');
  if (!row) throw new Error('page cache: the #seq counter row is missing');
  const seq = toNumber(row.seq);
  await setVersions.execute(trx, names, seq);
  if (isPostgres(trx)) await sql`select pg_notify(${CHANNEL}, ${String(seq)})`.execute(trx);
  return seq;
}

/**
 * `bumpCache` inside a write transaction the caller already holds (`writeTransaction`), so the
 * bump commits with the write itself instead of taking the write lock a second time. Returns what
 * to call once that transaction has committed (this process's own view of the versions: applied
 * earlier, a render starting before the commit could store the old data as fresh).
 */
export async function bumpCacheIn(trx: DB, area: string, key?: string | number | null): Promise<() => void> {
  const names = namesFor(area, key);
  const seq = await writeBump(trx, names);
  return () => {
    for (const name of names) apply(name, seq);
  };
}

/** Reads the bumps other processes made since the last look. */
export async function pollPageCacheVersions(db: DB): Promise<void> {
  const s = state();
  if (s.polling) return s.polling;
  s.polling = (async () => {
    // Not `> s.seq`: this process's own later bumps must not hide another's earlier one.
    const rows = await db.selectFrom('page_cache_versions').select(['name', 'seq']).where('seq', '>', s.polled).execute();
    for (const r of rows) {
      const seq = toNumber(r.seq);
      apply(r.name, seq);
      if (seq > s.polled) s.polled = seq;
    }
  })().finally(() => {
    s.polling = null;
  });
  return s.polling;
}

/** Starts following other processes' bumps (every serving process calls it at start). */
export async function startPageCacheSync(db: DB): Promise<void> {
  const s = state();
  s.db = db;
  await pollPageCacheVersions(db);
  const tick = () => void pollPageCacheVersions(db).catch((e: unknown) => console.error('[page-cache] poll failed', e));
  if (isPostgres(db)) {
    try {
      const client = new pg.Client({ connectionString: getEnv().DATABASE_URL });
      await client.connect();
      client.on('notification', tick);
      client.on('error', (e) => console.error('[page-cache] LISTEN connection failed', e));
      await client.query(`LISTEN ${CHANNEL}`);
      s.listener = client;
    } catch (e) {
      console.error('[page-cache] LISTEN failed, polling only', e);
    }
  }
  s.poller = setInterval(tick, Number(process.env.PAGE_CACHE_POLL_MS) || (isPostgres(db) ? 1000 : 250));
  s.poller.unref();
}

export async function stopPageCacheSync(): Promise<void> {
  const s = state();
  if (s.poller) clearInterval(s.poller);
  s.poller = null;
  const l = s.listener;
  s.listener = null;
  if (l) await l.end().catch(() => undefined);
}

// ---------- the cache ----------

export function isFresh(e: Pick<CacheEntry, 'deps' | 'seq' | 'storedAt'>, now: number, ttlMs: number): boolean {
  if (now - e.storedAt > ttlMs) return false;
  const v = state().versions;
  for (const dep of e.deps) {
    if ((v.get(dep) ?? 0) > e.seq) return false;
    const i = dep.indexOf(':');
    if (i > 0 && (v.get(`${dep.slice(0, i)}:*`) ?? 0) > e.seq) return false;
  }
  return true;
}

function remove(key: string) {
  const s = state();
  const e = s.entries.get(key);
  if (!e) return;
  s.entries.delete(key);
  s.bytes -= e.bytes;
}

function store(key: string, e: CacheEntry, maxBytes: number) {
  const s = state();
  remove(key);
  if (e.bytes > maxBytes / 4) return; // one huge page must not empty the cache
  s.entries.set(key, e);
  s.bytes += e.bytes;
  // Map iteration is insertion order: the first entries are the least recently used.
  for (const [k] of s.entries) {
    if (s.bytes <= maxBytes) break;
    remove(k);
  }
}

type HitListener = (pathname: string) => void;
const hitListeners: HitListener[] = [];
/**
 * Called with the path of every page answered from the cache (Remix does not run for it): for the
 * few side effects of a page view that must still happen, e.g. counting views, batched.
 */
export function onPageCacheHit(listener: HitListener): void {
  hitListeners.push(listener);
}

/** The highest bump sequence number this process knows of (a render started now saw it). */
export function currentSeq(): number {
  return state().seq;
}

export function pageCacheStats(): { entries: number; bytes: number; renders: number } {
  const s = state();
  return { entries: s.entries.size, bytes: s.bytes, renders: s.renders };
}

// ---------- the data cache: the same invalidation for parts of signed-in pages ----------

interface DataEntry {
  value: Promise<unknown>;
  deps: string[];
  seq: number;
  storedAt: number;
}
const g2 = globalThis as unknown as { __llwDataCache?: Map<string, DataEntry> };
const DATA_MAX_ENTRIES = 2000;

/**
 * A public, user-independent part of a page (a Week's map of plans, a catalogue page) kept in this
 * process and used until one of `deps` is bumped — the page cache's names and rules, so every write
 * that already refreshes the anonymous page refreshes this too. Signed-in visitors are never served
 * a cached page, but most of what they see is the same for everyone; this keeps the expensive
 * queries behind it from running on every view. Only for the serving database (`db` is the handle
 * the page-cache sync follows: integration tests and scripts on other databases always load), never
 * inside a transaction; rejected loads are not kept; bounded (least recently used out).
 */
export function cachedData<T>(db: DB, key: string, deps: string[], load: () => Promise<T>): Promise<T> {
  const s = state();
  if (!settings().enabled || s.db !== db || db.isTransaction) return load();
  const entries = (g2.__llwDataCache ??= new Map());
  const now = Date.now();
  const hit = entries.get(key);
  if (hit) {
    entries.delete(key);
    if (isFresh(hit, now, settings().ttlMs)) {
      entries.set(key, hit);
      return hit.value as Promise<T>;
    }
  }
  const entry: DataEntry = { value: load(), deps, seq: s.seq, storedAt: now };
  entry.value.catch(() => {
    if (entries.get(key) === entry) entries.delete(key);
  });
  entries.set(key, entry);
  if (entries.size > DATA_MAX_ENTRIES) entries.delete(entries.keys().next().value as string);
  return entry.value as Promise<T>;
}

/** For tests: forget every page and every version seen (as a process starting afresh). */
export function clearPageCache(): void {
  const s = state();
  s.entries.clear();
  g2.__llwDataCache?.clear();
  s.bytes = 0;
  s.versions.clear();
  s.seq = 0;
  s.polled = 0;
}

function parseCookies(header: string | undefined): Map<string, string> | null {
  const out = new Map<string, string>();
  if (!header) return out;
  for (const part of header.split(/;\s*/)) {
    if (!part) continue;
    const i = part.indexOf('=');
    const name = i < 0 ? part : part.slice(0, i);
    if (!KEY_COOKIES.has(name)) return null; // a session, a flash, anything else: not anonymous
    try {
      out.set(name, decodeURIComponent(part.slice(i + 1)));
    } catch {
      return null;
    }
  }
  return out;
}

/** Response headers a kept page does not keep (the sender sets them per response). */
export const DROP_HEADERS: ReadonlySet<string> = new Set([
  'content-length',
  'content-encoding',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'date',
  'etag',
  'cache-control',
  'vary',
]);

export function toWebRequest(req: ExpressRequest): Request {
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) {
    if (typeof v === 'string') headers.set(k, v);
    else if (Array.isArray(v)) for (const x of v) headers.append(k, x);
  }
  // As server.ts's own middleware sets it: the client address, never the client's claim.
  headers.set('x-llw-client-ip', req.ip ?? req.socket.remoteAddress ?? '0.0.0.0');
  // Not tied to the first client's connection: others may be waiting for the same render.
  return new Request(`${req.protocol}://${req.get('host') ?? 'localhost'}${req.originalUrl}`, { method: 'GET', headers });
}

function notifyHit(url: string) {
  const q = url.indexOf('?');
  const pathname = q < 0 ? url : url.slice(0, q);
  for (const l of hitListeners) {
    try {
      l(pathname);
    } catch (e) {
      console.error('[page-cache] hit listener failed', e);
    }
  }
}

function cacheControl(): string {
  const { sMaxAge, swr } = settings();
  return `public, max-age=0, s-maxage=${sMaxAge}, stale-while-revalidate=${swr}`;
}

/** Writes a cached entry (Node's own response API: Express's response or a bare one alike). */
const VARY = 'Accept-Encoding, Accept-Language, Cookie';

function send(req: IncomingMessage, res: ServerResponse, e: CacheEntry, how: 'hit' | 'miss') {
  res.statusCode = e.status;
  for (const [k, v] of e.headers) res.setHeader(k, v);
  res.setHeader('ETag', e.etag);
  res.setHeader('Cache-Control', cacheControl());
  res.setHeader('Vary', VARY);
  res.setHeader('X-Page-Cache', how);
  const inm = req.headers['if-none-match'];
  if (inm && inm.split(/\s*,\s*/).some((t) => t === e.etag || t === `W/${e.etag}` || t === '*')) {
    res.statusCode = 304;
    res.end();
    return;
  }
  const body = e[encodingFor(req)];
  if (body !== e.raw) res.setHeader('Content-Encoding', body === e.br ? 'br' : 'gzip');
  res.setHeader('Content-Length', body.length);
  if (req.method === 'HEAD') res.end();
  else res.end(body);
}

async function sendUncached(res: ExpressResponse, response: Response, body: Buffer) {
  res.status(response.status);
  for (const [k, v] of response.headers) if (k !== 'content-length' && k !== 'set-cookie') res.setHeader(k, v);
  for (const c of response.headers.getSetCookie()) res.append('Set-Cookie', c);
  res.setHeader('X-Page-Cache', 'bypass');
  res.end(body);
}

/**
 * The cache key of an anonymous request for a public page and its fresh entry, if any (a hit is
 * moved to the LRU's end and told to the hit listeners; a stale one is dropped); null when the
 * request is not one the cache answers (another cookie, a path not in the routes table).
 */
function lookup(req: IncomingMessage, url: string, ttlMs: number): { key: string; deps: string[]; hit: CacheEntry | null } | null {
  const cookies = parseCookies(req.headers.cookie);
  if (!cookies) return null;
  const q = url.indexOf('?');
  const deps = pageDependencies(q < 0 ? url : url.slice(0, q));
  if (!deps) return null;
  const locale = localeFrom(cookies.get('lang'), String(req.headers['accept-language'] ?? ''));
  const key = `${locale}|${cookies.get('textsize') === 'large' ? 'L' : 'n'}|${url}`;
  const s = state();
  const hit = s.entries.get(key);
  if (!hit) return { key, deps, hit: null };
  if (!isFresh(hit, Date.now(), ttlMs)) {
    remove(key);
    return { key, deps, hit: null };
  }
  // Most recently used goes last.
  s.entries.delete(key);
  s.entries.set(key, hit);
  if (hitListeners.length) notifyHit(url);
  return { key, deps, hit };
}

/** Request targets and Host headers the fast path takes; anything unusual goes through Express's guard. */
const PLAIN_TARGET = /^\/(?!\/)[\x21-\x7e]*$/;
export const PLAIN_HOST = /^(?:[A-Za-z0-9.-]{1,253}|\[[0-9A-Fa-f:.]{2,45}\])(?::\d{1,5})?$/;

/**
 * A cache hit answered on Node's request handler itself, before Express (server.ts asks this first,
 * through app/lib/fast-hit.server.ts): the same bytes, headers, ETag/304 and encodings as a hit
 * through the middleware, plus `hooks.headers` (the security headers a page's own do not replace);
 * `hooks.observe` is called before writing (it sets the request id) and what it returns after (the
 * request log line and metrics). Returns false, having written nothing, for anything but a fresh hit
 * of a plain anonymous GET/HEAD, which Express then handles as before. Express's per-request set-up
 * and middleware chain cost several times what writing a cached page does.
 */
export function answerHitDirectly(
  req: IncomingMessage,
  res: ServerResponse,
  hooks: { headers: Array<[string, string]>; observe: (req: IncomingMessage) => DirectObservation },
): boolean {
  const cfg = settings();
  if (!cfg.enabled || (req.method !== 'GET' && req.method !== 'HEAD')) return false;
  const url = req.url ?? '';
  const host = req.headers.host;
  if (!PLAIN_TARGET.test(url) || !host || !PLAIN_HOST.test(host)) return false;
  const found = lookup(req, url, cfg.ttlMs);
  if (!found?.hit) return false;
  const e = found.hit;
  const obs = hooks.observe(req);
  if (req.headers['if-none-match'] !== undefined) {
    // A revalidation (maybe a 304): the general path.
    res.setHeader('X-Request-Id', obs.reqId);
    for (const [k, v] of hooks.headers) res.setHeader(k, v);
    send(req, res, e, 'hit'); // the page's own headers (its CSP with a nonce) replace the defaults
  } else {
    const enc = encodingFor(req);
    // One writeHead with every header line, built once per entry and encoding: the same headers
    // as `send` writes after the defaults, without a setHeader call per line on every hit.
    res.writeHead(e.status, [...directHead(e, hooks.headers, enc), 'X-Request-Id', obs.reqId]);
    if (req.method === 'HEAD') res.end();
    else res.end(e[enc]);
  }
  obs.done(res, 'hit');
  return true;
}

function encodingFor(req: IncomingMessage): 'raw' | 'gz' | 'br' {
  const accept = String(req.headers['accept-encoding'] ?? '');
  return /\bbr\b/.test(accept) ? 'br' : /\bgzip\b/.test(accept) ? 'gz' : 'raw';
}

const directHeads = new WeakMap<CacheEntry, Map<string, string[]>>();

/** The header lines of a hit on `e` sent in `enc`, as `send` would leave them, flattened name, value… */
function directHead(e: CacheEntry, defaults: Array<[string, string]>, enc: 'raw' | 'gz' | 'br'): string[] {
  let byEnc = directHeads.get(e);
  if (!byEnc) directHeads.set(e, (byEnc = new Map()));
  let head = byEnc.get(enc);
  if (!head) {
    const lines = new Map<string, [string, string]>(); // a later line replaces an earlier one of the same name
    const put = (k: string, v: string) => lines.set(k.toLowerCase(), [k, v]);
    for (const [k, v] of defaults) put(k, v);
    for (const [k, v] of e.headers) put(k, v);
    put('ETag', e.etag);
    put('Cache-Control', cacheControl());
    put('Vary', VARY);
    put('X-Page-Cache', 'hit');
    if (enc !== 'raw') put('Content-Encoding', enc === 'br' ? 'br' : 'gzip');
    put('Content-Length', String(e[enc].length));
    head = [...lines.values()].flat();
    byEnc.set(enc, head);
  }
  return head;
}

/**
 * The Express middleware (mounted by server.ts just before Remix): answers anonymous requests for
 * public pages from the cache, renders a miss once per key through Remix, passes everything else on.
 */
export function pageCacheMiddleware(build: ServerBuild): RequestHandler {
  return pageCache(createRequestHandler(build, 'production'));
}

/** The cache in front of any renderer of web Requests (Remix's handler in the server). */
export function pageCache(render: (request: Request) => Promise<Response>): RequestHandler {
  return (req, res, next) => {
    const cfg = settings();
    if (!cfg.enabled || (req.method !== 'GET' && req.method !== 'HEAD')) return next();
    const url = req.originalUrl;
    const found = lookup(req, url, cfg.ttlMs);
    if (!found) return next();
    const { key, deps, hit } = found;
    if (hit) return send(req, res, hit, 'hit');
    const s = state();
    const waiting = s.inflight.get(key);
    if (waiting) {
      waiting
        .then((e) => {
          if (!e) return next();
          if (hitListeners.length) notifyHit(url);
          send(req, res, e, 'hit');
        })
        .catch(next);
      return;
    }
    const startSeq = s.seq;
    let uncached: { response: Response; body: Buffer } | null = null;
    const p = (async (): Promise<CacheEntry | null> => {
      s.renders++;
      const response = await render(toWebRequest(req));
      const body = Buffer.from(await response.arrayBuffer());
      const cc = response.headers.get('cache-control') ?? '';
      if (response.status !== 200 || response.headers.has('set-cookie') || /private|no-store|no-cache/i.test(cc)) {
        uncached = { response, body };
        return null;
      }
      const [gz, br] = await Promise.all([
        gzip(body, { level: 6 }),
        brotli(body, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 6, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length } }),
      ]);
      const headers: Array<[string, string]> = [];
      for (const [k, v] of response.headers) if (!DROP_HEADERS.has(k)) headers.push([k, v]);
      const entry: CacheEntry = {
        status: 200,
        headers,
        raw: body,
        gz,
        br,
        etag: `"${createHash('sha1').update(body).digest('base64url')}"`,
        deps,
        seq: startSeq,
        storedAt: Date.now(),
        bytes: body.length + gz.length + br.length + 512 + key.length * 2,
      };
      store(key, entry, cfg.maxBytes);
      return entry;
    })();
    s.inflight.set(key, p);
    p.finally(() => s.inflight.delete(key)).catch(() => undefined);
    p.then((e) => {
      if (e) return send(req, res, e, 'miss');
      const u = uncached as { response: Response; body: Buffer } | null;
      if (u) return sendUncached(res, u.response, u.body);
      next();
    }).catch(next);
  };
}
