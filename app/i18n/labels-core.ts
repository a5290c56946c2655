/**
 * The part of ./labels.ts (which re-exports it: import from either) that the home page and every
 * page's error boundary need, kept apart so that the first-load JavaScript of `/` carries these
 * few maps instead of every area's labels. Same rules: literal keys, never a template literal.
 */
import type { TKey } from './keys';

export const activityKindLabel = {
  ceremony: 'weeks.activityKinds.ceremony',
  talk: 'weeks.activityKinds.talk',
  exhibition: 'weeks.activityKinds.exhibition',
  training: 'weeks.activityKinds.training',
  contest: 'weeks.activityKinds.contest',
  club_meeting: 'weeks.activityKinds.club_meeting',
  outreach: 'weeks.activityKinds.outreach',
} as const satisfies Record<string, TKey>;

export const weekStatusLabel = {
  current: 'weeks.status.current',
  upcoming: 'weeks.status.upcoming',
  past: 'weeks.status.past',
} as const satisfies Record<string, TKey>;

export const errorPageText = {
  notFound: { title: 'errors.page.notFound.title', body: 'errors.page.notFound.body' },
  forbidden: { title: 'errors.page.forbidden.title', body: 'errors.page.forbidden.body' },
  badRequest: { title: 'errors.page.badRequest.title', body: 'errors.page.badRequest.body' },
  server: { title: 'errors.page.server.title', body: 'errors.page.server.body' },
} as const satisfies Record<string, { title: TKey; body: TKey }>;

/** The key for a code that arrived as a plain string, or `undefined` when the map does not know it. */
export function labelOf<M extends Record<string, TKey>>(map: M, code: string | null | undefined): TKey | undefined {
  return code != null && Object.prototype.hasOwnProperty.call(map, code) ? map[code as keyof M] : undefined;
}

/** The translated label of a code typed as a plain string (a database row); an unknown code shows as itself. */
export function labelText(t: (key: TKey) => string, map: Record<string, TKey>, code: string): string {
  const key = labelOf(map, code);
  return key ? t(key) : code;
}
