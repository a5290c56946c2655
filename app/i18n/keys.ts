/**
 * Translation keys, typed straight from the Vietnamese files (the source language): no generation
 * step, and a missing or misspelled key fails `npm run typecheck`. English must carry the same
 * keys and placeholders (`tests/unit/i18n-parity.test.ts`).
 *
 * A plural family (`x_one`, `x_other`) is called by its base key with a `count`: `t('x', { count })`.
 */
import type viAccounts from '~/locales/vi/accounts.json';
import type viClubs from '~/locales/vi/clubs.json';
import type viCommon from '~/locales/vi/common.json';
import type viCommunity from '~/locales/vi/community.json';
import type viContests from '~/locales/vi/contests.json';
import type viCourses from '~/locales/vi/courses.json';
import type viErrors from '~/locales/vi/errors.json';
import type viHonours from '~/locales/vi/honours.json';
import type viLibrary from '~/locales/vi/library.json';
import type viOer from '~/locales/vi/oer.json';
import type viOps from '~/locales/vi/ops.json';
import type viOutreach from '~/locales/vi/outreach.json';
import type viReports from '~/locales/vi/reports.json';
import type viStats from '~/locales/vi/stats.json';
import type viUnits from '~/locales/vi/units.json';
import type viWeeks from '~/locales/vi/weeks.json';

export type SourceMessages = {
  common: typeof viCommon;
  errors: typeof viErrors;
  weeks: typeof viWeeks;
  accounts: typeof viAccounts;
  library: typeof viLibrary;
  oer: typeof viOer;
  courses: typeof viCourses;
  clubs: typeof viClubs;
  units: typeof viUnits;
  community: typeof viCommunity;
  contests: typeof viContests;
  stats: typeof viStats;
  honours: typeof viHonours;
  outreach: typeof viOutreach;
  reports: typeof viReports;
  /** Operations: the backup/restore command's messages (not sent to pages). */
  ops: typeof viOps;
};

type Leaves<T, P extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${P}${K}` : Leaves<T[K], `${P}${K}.`>;
}[keyof T & string];

type PluralBase<K> = K extends `${infer B}_${'zero' | 'one' | 'two' | 'few' | 'many' | 'other'}` ? B : never;

type LeafKey = Leaves<SourceMessages>;

/** Every key `t()` accepts. */
export type TKey = LeafKey | PluralBase<LeafKey>;

/** The keys under one prefix, e.g. `KeysUnder<'oer.kinds.'>` → `'video' | 'pdf' | …`. */
export type KeysUnder<P extends string> = TKey extends infer K ? (K extends `${P}${infer R}` ? R : never) : never;

/**
 * A key that arrived as data (a zod message, a flash cookie, a failure table) and was written as
 * a literal key elsewhere. Use only at those boundaries; everywhere else write the literal.
 */
export function asKey(key: string): TKey {
  return key as TKey;
}
