/**
 * Sessions and permission checks. The only module that imports lucia (v3 is deprecated
 * upstream; keeping it here makes it replaceable). Throwing helpers in the Epic Stack style.
 */
import { redirect } from '@remix-run/node';
import { Lucia, TimeSpan } from 'lucia';

import type { Role } from '~/db/schema';
import { authenticate, hasRole, normaliseEmail } from '~/domain/accounts.server';
import { readCookie, readCookieHeader } from '~/i18n/i18n.server';
import type { Locale } from '~/i18n/locale';

import { type DB, getDb } from './db.server';
import { getEnv } from './env.server';
import { KyselyLuciaAdapter } from './lucia-adapter.server';
import { requestContext, setRequestUser } from './observability/log.server';
import { consumeLoginAttempt, recordLoginSuccess } from './rate-limit.server';
import { shellIdentity } from './shell-identity.server';

export interface SessionUser {
  id: string;
  email: string;
  displayName: string;
  locale: Locale;
  birthYear: number | null;
  homeUnitId: string | null;
  /** Roles held anywhere in the unit tree (read with the session, in one query). */
  roles: Role[];
}

interface UserAttrs {
  email: string;
  display_name: string;
  locale: Locale;
  birth_year: number | null;
  home_unit_id: string | null;
  roles: Role[];
}

function makeLucia(db: DB, expiresIn = new TimeSpan(30, 'd')) {
  return new Lucia<Record<never, never>, SessionUser>(new KyselyLuciaAdapter(db), {
    sessionExpiresIn: expiresIn,
    sessionCookie: {
      name: 'llw_session',
      attributes: { sameSite: 'lax', secure: getEnv().isProduction },
    },
    getUserAttributes: (a) => {
      const attrs = a as unknown as UserAttrs;
      return {
        id: '',
        email: attrs.email,
        displayName: attrs.display_name,
        locale: attrs.locale,
        birthYear: attrs.birth_year,
        homeUnitId: attrs.home_unit_id,
        roles: attrs.roles ?? [],
      };
    },
  });
}

const instances = new WeakMap<DB, ReturnType<typeof makeLucia>>();
export function getLucia(db: DB = getDb()) {
  let l = instances.get(db);
  if (!l) instances.set(db, (l = makeLucia(db)));
  return l;
}
/** For tests of expiry: a Lucia on the same store with a short lifetime. */
export function makeLuciaForTest(db: DB, seconds: number) {
  return makeLucia(db, new TimeSpan(seconds, 's'));
}

/**
 * The session id from the Cookie header. Lucia's own reader decodes every cookie and throws on
 * a malformed %-escape in any of them (a 500 for one bad cookie); this reads only ours, safely.
 */
function sessionCookie(request: Request, lucia: ReturnType<typeof makeLucia>): string | null {
  return readCookie(request, lucia.sessionCookieName);
}

export interface AuthState {
  user: SessionUser | null;
  /** A Set-Cookie header to send when Lucia extended or cleared the session. */
  setCookie: string | null;
}

// Root and route loaders of one request share one session lookup. Remix hands each loader its own
// copy of the Request, so within a served request the lookup is kept in the request's context
// (GET only: after a form's action the session may have changed); the WeakMap covers direct calls.
const authOfRequest = new WeakMap<Request, Promise<AuthState>>();

/** Where a GET's session lookup is kept in its request context, by Cookie header: one key for `getAuth` and `getAuthOfGet`. */
const authMemoKey = (cookieHeader: string | null | undefined) => `auth:${cookieHeader ?? ''}`;

export function getAuth(request: Request, db?: DB): Promise<AuthState> {
  // A shared signed-in render (app/lib/page-shell.server.ts) is done for a stand-in reader.
  const shell = shellIdentity(request);
  if (shell) return Promise.resolve({ user: shell.user, setCookie: null });
  if (db) return readAuth(request, db);
  const ctx = request.method === 'GET' ? requestContext() : undefined;
  const key = authMemoKey(request.headers.get('cookie'));
  let p = (ctx?.memo?.get(key) as Promise<AuthState> | undefined) ?? authOfRequest.get(request);
  if (!p) {
    p = readAuth(request, getDb());
    authOfRequest.set(request, p);
    if (ctx) (ctx.memo ??= new Map()).set(key, p);
  }
  return p;
}

async function readAuth(request: Request, db: DB): Promise<AuthState> {
  return readSession(sessionCookie(request, getLucia(db)), db);
}

/**
 * The session of a Cookie header's text, read as `getAuth` reads a Request's (for a request
 * answered outside Remix, without a web Request: app/lib/contests-autosave.server.ts).
 */
export function getAuthFromCookieHeader(header: string | undefined, db: DB = getDb()): Promise<AuthState> {
  return readSession(readCookieHeader(header, getLucia(db).sessionCookieName), db);
}

/**
 * `getAuth` of a GET answered in front of Remix from its Cookie header (the shared signed-in renders,
 * app/lib/page-shell.server.ts): the same lookup without making a web Request for it, kept in the
 * request's context as `getAuth` keeps it, so the loaders reuse it when the request goes on to Remix.
 */
export function getAuthOfGet(cookieHeader: string | undefined): Promise<AuthState> {
  const ctx = requestContext();
  const key = authMemoKey(cookieHeader);
  let p = ctx?.memo?.get(key) as Promise<AuthState> | undefined;
  if (!p) {
    p = getAuthFromCookieHeader(cookieHeader);
    if (ctx) (ctx.memo ??= new Map()).set(key, p);
  }
  return p;
}

async function readSession(sessionId: string | null, db: DB): Promise<AuthState> {
  const lucia = getLucia(db);
  if (!sessionId) return { user: null, setCookie: null };
  const { session, user } = await lucia.validateSession(sessionId);
  if (!session) return { user: null, setCookie: lucia.createBlankSessionCookie().serialize() };
  setRequestUser(session.userId); // the request's log lines carry the user id from here on
  return {
    user: { ...(user as unknown as SessionUser), id: session.userId },
    setCookie: session.fresh ? lucia.createSessionCookie(session.id).serialize() : null,
  };
}

export async function getUser(request: Request): Promise<SessionUser | null> {
  return (await getAuth(request)).user;
}

function loginRedirect(request: Request): never {
  const url = new URL(request.url);
  throw redirect(`/login?redirectTo=${encodeURIComponent(url.pathname + url.search)}`);
}

/** The signed-in user, or a redirect to the sign-in page that comes back here. */
export async function requireUser(request: Request): Promise<SessionUser> {
  const user = await getUser(request);
  if (!user) loginRedirect(request);
  return user;
}

/** The signed-in user holding `role` on `unitId` (or an ancestor); otherwise 403. */
export async function requireRole(request: Request, unitId: string, role: Role, db: DB = getDb()): Promise<SessionUser> {
  const user = await requireUser(request);
  if (!(await hasRole(db, user.id, unitId, role))) throw new Response('Forbidden', { status: 403 });
  return user;
}

/** The signed-in user holding any of `roles` somewhere (e.g. to open an organiser's dashboard). */
export async function requireAnyRole(request: Request, roles: Role[]): Promise<SessionUser> {
  const user = await requireUser(request);
  const mine = user.roles; // read with the session (requireUser reads the application's database)
  if (!mine.some((r) => roles.includes(r) || r === 'admin')) throw new Response('Forbidden', { status: 403 });
  return user;
}

export function clientIp(request: Request): string {
  return request.headers.get('x-llw-client-ip') ?? '0.0.0.0';
}

export type SignInResult = { ok: true; setCookie: string } | { ok: false; error: 'invalid' | 'rate_limited'; retryAfterS?: number };

/**
 * Consumes a sign-in attempt (atomically, in the shared store) *before* the slow password
 * check, so parallel guesses cannot all pass a limit that is read first and counted later;
 * then checks the credentials and opens a session.
 */
export async function signIn(request: Request, email: string, password: string, db: DB = getDb()): Promise<SignInResult> {
  const key = normaliseEmail(email);
  const ip = clientIp(request);
  const limit = await consumeLoginAttempt(key, ip, db);
  if (!limit.ok) return { ok: false, error: 'rate_limited', retryAfterS: limit.retryAfterS };
  const userId = await authenticate(db, key, password);
  if (!userId) return { ok: false, error: 'invalid' };
  await recordLoginSuccess(key, ip, db);
  return { ok: true, setCookie: await createSessionCookie(userId, db) };
}

export async function createSessionCookie(userId: string, db: DB = getDb()): Promise<string> {
  const lucia = getLucia(db);
  const session = await lucia.createSession(userId, {});
  return lucia.createSessionCookie(session.id).serialize();
}

export async function signOut(request: Request, db: DB = getDb()): Promise<string> {
  const lucia = getLucia(db);
  const sessionId = sessionCookie(request, lucia);
  if (sessionId) await lucia.invalidateSession(sessionId);
  return lucia.createBlankSessionCookie().serialize();
}

/** After a password change or reset: every other device is signed out. */
export async function invalidateAllSessions(userId: string, db: DB = getDb()): Promise<void> {
  await getLucia(db).invalidateUserSessions(userId);
}

export async function deleteExpiredSessions(db: DB = getDb()): Promise<void> {
  await getLucia(db).deleteExpiredSessions();
}
