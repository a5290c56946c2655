/**
 * Direct loader/action tests: call a route module's `loader` / `action` with a real `Request`
 * (a session cookie written for the user, the test's database as the app's), no browser. A thrown
 * `Response` (404, 403, a redirect) is returned like a returned one, so tests read `status` either way.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';

import type { DB } from '~/db/connection';

import { sessionCookie } from './users';

type Handler = (args: ActionFunctionArgs & LoaderFunctionArgs) => Promise<unknown>;

export type RouteCall = {
  db: DB;
  /** Signed in as this user (a session row is written); omit for an anonymous request. */
  userId?: string;
  path: string;
  params?: Record<string, string>;
  /** Form fields of a POST; omit for a GET (loader). */
  form?: Record<string, string>;
  /** A multipart POST (files), sent as the browser sends a `FormData`. */
  multipart?: FormData;
};

export async function callRoute(handler: Handler, c: RouteCall): Promise<Response> {
  (globalThis as unknown as { __appDb?: DB }).__appDb = c.db;
  const headers = new Headers({ Origin: 'http://localhost' });
  if (c.userId) headers.set('Cookie', await sessionCookie(c.db, c.userId));
  const init: RequestInit = c.multipart
    ? { method: 'POST', headers, body: c.multipart }
    : c.form
      ? { method: 'POST', headers, body: new URLSearchParams(c.form) }
      : { headers };
  const request = new Request(`http://localhost${c.path}`, init);
  try {
    const r = await handler({ request, params: c.params ?? {}, context: {} });
    return r instanceof Response ? r : Response.json(r);
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}
