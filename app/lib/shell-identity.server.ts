/**
 * The stand-in identity of a shared signed-in render (app/lib/page-shell.server.ts, issue 10).
 *
 * A page shared by signed-in readers is rendered once per variant for a made-up reader whose
 * name, id and unread count are random placeholders; the placeholders are then replaced by each
 * visitor's own values. The render's request names its stand-in by a random, single-use token in
 * a header; `getAuth` and the root loader ask here first. The token lives only in this process and
 * only while its render runs, so a header sent from outside names nothing.
 */
import { randomBytes } from 'node:crypto';

import type { SessionUser } from './auth.server';

export const SHELL_HEADER = 'x-llw-shell';

export interface ShellIdentity {
  user: SessionUser;
  unread: number;
  /**
   * What a page's variant function captured of the visitor (their membership and role in a club,
   * their RSVPs…): the loader renders the stand-in as that visitor would be seen (page-shell).
   */
  view?: unknown;
  /**
   * The placeholder of the page's personal region (./shell-region.ts), when the page has one: the
   * loader returns it in place of the region's data (`shellRegion`), read for each visitor per request.
   */
  region?: string;
}

const g = globalThis as unknown as { __llwShellIdentities?: Map<string, ShellIdentity> };
const identities = () => (g.__llwShellIdentities ??= new Map());

/** Runs `fn` with a token that names `identity` until `fn`'s promise settles. */
export async function withShellIdentity<T>(identity: ShellIdentity, fn: (token: string) => Promise<T>): Promise<T> {
  const token = randomBytes(24).toString('base64url');
  identities().set(token, identity);
  try {
    return await fn(token);
  } finally {
    identities().delete(token);
  }
}

/** The stand-in a shared render's request names, or null for every other request. */
export function shellIdentity(request: Request): ShellIdentity | null {
  const token = request.headers.get(SHELL_HEADER);
  return token ? (identities().get(token) ?? null) : null;
}

/** The captured view of a shared render's visitor (see `ShellIdentity.view`), or undefined. */
export function shellView(request: Request): unknown {
  return shellIdentity(request)?.view;
}

/** The placeholder a shared render's loader returns in place of its personal region's data, or null (render the visitor's). */
export function shellRegion(request: Request): string | null {
  return shellIdentity(request)?.region ?? null;
}
