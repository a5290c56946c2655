/**
 * The public pages the rendered-page cache may keep for anonymous visitors, and what each shows:
 * its dependencies, as areas (`'library'`: any change in the area) or area keys (`'weeks:2024'`:
 * that key, or a change of the whole area). A write calls `bumpCache(db, area, key?)` with the
 * same names (app/lib/page-cache.server.ts). A page not listed here is never cached; a new public
 * area (clubs, contests…) adds its rows here and bumpCache calls to its writes.
 * When unsure, depend on the whole area: a page rendered once more is cheap, a stale page is wrong.
 */
import { juryQueueVariant } from '~/components/contests/jury-queue.server';
import { notificationsVariant } from '~/components/notifications/notice-list.server';
import {
  clubDiscussionVariant,
  clubPageVariant,
  clubScheduleVariant,
  clubThreadVariant,
  directoryVariant,
} from '~/domain/clubs/shell.server';
import { galleryVariant } from '~/domain/contests/gallery-shell.server';
import { hasOwnCourses } from '~/domain/courses/personal.server';
import { reportPageVariant } from '~/domain/reports/shell.server';
import type { Locale } from '~/i18n/locale';

import type { DB } from './db.server';
import type { ShellRegion } from './shell-region';

type Rule = [RegExp, (m: RegExpExecArray) => string[]];

const RULES: Rule[] = [
  [/^\/$/, () => ['weeks', 'plans', 'units', 'oer', 'courses', 'library']],
  [/^\/weeks\/?$/, () => ['weeks', 'plans']],
  [/^\/weeks\/(\d{4})\/?$/, (m) => [`weeks:${m[1]}`, `plans:${m[1]}`, 'units', 'oer', 'courses', `outreach:${m[1]}`]],
  [/^\/weeks\/(\d{4})\/plans\/[^/]+\/?$/, (m) => [`weeks:${m[1]}`, `plans:${m[1]}`, 'units', `outreach:${m[1]}`]],
  [/^\/units(?:\/[^/]+)?\/?$/, () => ['units', 'plans', 'weeks', 'outreach']],
  [/^\/units\/[^/]+\/resources\/?$/, () => ['units', 'oer']],
  [/^\/library\/?$/, () => ['library', 'units']],
  [/^\/library\/(?!shelf$|notes$|upload$|rotations$|settings$)[^/]+\/?$/, () => ['library', 'units']],
  [/^\/opds(?:\/[^/]+)*\/?$/, () => ['library', 'units']],
  [/^\/resources\/?$/, () => ['oer', 'units']],
  [/^\/resources\/(?!new$|mine$|review$|preview$)[^/]+\/?$/, () => ['oer', 'units']],
  [/^\/courses\/?$/, () => ['courses', 'units']],
  [/^\/courses\/(?!new$)[^/]+\/?$/, () => ['courses', 'oer', 'units']],
  [/^\/search\/?$/, () => ['oer', 'library', 'courses', 'units']],
  // Forums: lists show every thread's activity; a thread page only its own thread (and category
  // names/settings, bumped as the whole area). The review queue and editing pages are never public.
  [/^\/forums\/?$/, () => ['forums', 'units']],
  [/^\/forums\/c\/[^/]+\/?$/, () => ['forums', 'units']],
  [/^\/forums\/t\/([A-Za-z0-9_-]+)\/?$/, (m) => [`forums:${m[1]}`, 'units']],
  // Reading clubs: the directory shows every club; a club's page, discussion and threads show that
  // club only (bumpCache('clubs', slug) after each write: app/domain/clubs/cache.server.ts). Milestone
  // threads answer 404 to anonymous visitors; the schedule is shared with signed-in visitors only
  // (SIGNED_IN_RULES below).
  [/^\/clubs\/?$/, () => ['clubs', 'units']],
  [
    /^\/clubs\/(?!new$|calendar$|challenges$|schools$|mine$)([^/]+)(?:\/(?:discussion|t\/[A-Za-z0-9_-]+))?\/?$/,
    (m) => [`clubs:${m[1]}`, 'units'],
  ],
  // Contests (issue #14): the contest page, its unit leaderboards, a round's results and the
  // contest-wide results, bumped by `contestChanged` (app/domain/contests/cache.server.ts) under the
  // contest's slug. Anonymous visitors see no personal state there. The contest page is sent
  // `no-store` while a round is about to open or close (its phases change with the clock); while a
  // round is open its live counters are refreshed by the page's script from `/contests/<slug>/counters`
  // (not kept here): app/lib/contests-http.server.ts. Taking a round, the
  // jury, entries, management and exports are never kept.
  [
    /^\/contests\/(?!new$|template\.xlsx$)([^/]+)(?:\/(?:leaderboard|results|rounds\/[^/]+\/results))?\/?$/,
    (m) => [`contests:${m[1]}`, 'units'],
  ],
  // A submission round's gallery (issue 15): its entries, their moderation, titles and files bump
  // `contest-gallery:<round id>` (app/domain/contests/cache.server.ts), results and settings the
  // contest's slug. Votes bump nothing: the anonymous page shows counts as of its render (it says
  // when), at most PAGE_CACHE_TTL_S old; voters are signed in and see theirs live.
  [/^\/contests\/([^/]+)\/gallery\/([^/]+)\/?$/, (m) => [`contests:${m[1]}`, `contest-gallery:${m[2]}`, 'units']],
  // Participation statistics: aggregates only, changed by the statistics job (bumpCache('stats', year)).
  [/^\/weeks\/(\d{4})\/stats(?:\/[^/]+)?\/?$/, (m) => [`stats:${m[1]}`, `weeks:${m[1]}`, 'units']],
  // A unit's Week report (issue 16): signed-in only (anonymous visitors are sent to sign in, never
  // kept), shared per visitor's access (SHELL_VARIANT_PAGES below). Every write of the form's reports,
  // attachments and definition bumps `reports:<year>/<form slug>`, role grants and names all of
  // `reports` (app/domain/reports/cache.server.ts); the Week's dates `weeks:<year>`. Form slugs are
  // [a-z0-9-] (the form editor's rule): any other spelling of the path is not shared.
  [
    /^\/weeks\/(\d{4})\/reports\/([a-z0-9]+(?:-[a-z0-9]+)*)\/(?!edit\/?$)[^/]+\/?$/,
    (m) => [`reports:${m[1]}/${m[2]}`, `weeks:${m[1]}`, 'units'],
  ],
];

/**
 * Pages shared with signed-in visitors (SHELL_VARIANT_PAGES) but never kept for anonymous ones, with
 * their dependencies. A club's schedule shows who is behind, which moves with the date: the date is
 * part of its variant key, while an anonymous page would be kept past midnight. It shows every
 * member's progress too: marks bump `clubs:<slug>`, a member's reader moving to another chapter of
 * the club's library book `club-progress:<slug>` (app/domain/clubs/cache.server.ts), the book's
 * copies and holds and the titles a moderator chooses from `library`. The notification centre
 * (issue 12; anonymous visitors are sent to sign in) is shared per variant with a personal region:
 * the layout only (the brand's Week) around the visitor's list; so is a judge's queue (issue 15).
 */
const SIGNED_IN_RULES: Rule[] = [
  [/^\/notifications\/?$/, () => ['weeks']],
  // A judge's queue (issue 15): the layout, the contest's and the round's titles around the judge's
  // queue, a personal region read per request (the titles are in the variant's key too).
  [/^\/contests\/([^/]+)\/jury\/[^/]+\/?$/, (m) => [`contests:${m[1]}`, 'weeks']],
  [
    /^\/clubs\/(?!new$|calendar$|challenges$|schools$|mine$)([^/]+)\/schedule\/?$/,
    (m) => [`clubs:${m[1]}`, `club-progress:${m[1]}`, 'library', 'units'],
  ],
];

function dependencies(rules: Rule[], pathname: string): string[] | null {
  for (const [re, deps] of rules) {
    const m = re.exec(pathname);
    if (m) return deps(m);
  }
  return null;
}

/** The dependencies of a cacheable public page, or null when the path is not cached. */
export function pageDependencies(pathname: string): string[] | null {
  return dependencies(RULES, pathname);
}

/**
 * Signed-in visitors' shared renders (app/lib/page-shell.server.ts): the pages opted in, each
 * with the test that this visitor's page is the page every reader sees (only the header's name,
 * bell count and role links differ, and those are filled in per request). Every loader on the
 * page's route chain was checked for what it reads of the user:
 * - `/` shows organisers and admins a "create the next Week" button (homePage → userRoles);
 * - `/weeks/<year>` shows organisers and admins planning links (userRoles);
 * - `/library` shows librarians their desk (librarianLibraries: role grants);
 * - `/resources` shows teachers, organisers and librarians "submit a resource" (authorUnits);
 * - `/courses` shows teachers and organisers their tools (role grants), and everyone the courses
 *   they take or teach (a list: not a small variant) — shared only with those who have none.
 * - `/weeks/<year>/stats` and a unit's statistics show everyone the same aggregates.
 * So on the first five the shared render is for people without any role grant; role holders (a few hundred
 * organisers, librarians, teachers, admins) and learners with courses get their page rendered.
 * A page not listed here is rendered for every signed-in visitor as before.
 */
export type ShellTest = (db: DB, user: { id: string; roles: readonly string[] }) => Promise<boolean>;

const noRoles: ShellTest = (_db, user) => Promise.resolve(user.roles.length === 0);
const anyone: ShellTest = () => Promise.resolve(true);

const SHELL_PAGES: Array<[RegExp, ShellTest]> = [
  [/^\/$/, noRoles],
  [/^\/weeks\/\d{4}\/?$/, noRoles],
  [/^\/library\/?$/, noRoles],
  [/^\/resources\/?$/, noRoles],
  [/^\/courses\/?$/, async (db, user) => user.roles.length === 0 && !(await hasOwnCourses(db, user.id))],
  // Participation statistics (the national page and a unit's): their loaders read nothing of the
  // visitor, so everyone shares them, role holders too (their roles are part of the key, and the
  // stand-in render has them for the header's links).
  [/^\/weeks\/\d{4}\/stats(?:\/[^/]+)?\/?$/, anyone],
];

/**
 * Pages shared per variant: the variant function reads, in one small query per request, exactly
 * what the page's loaders read about the visitor (a club: their membership and role in it, their
 * RSVPs to its coming meetings…) and returns it as `view` with a `key` made of it; visitors with
 * the same key share a render, made for a stand-in seen as `view` (the loader reads it with
 * `shellView`). Null when something the loaders read cannot be captured: that visitor's page is
 * rendered for them. The view must be a pure function of rows read fresh on every request or
 * whose changes bump the page's dependencies.
 */
export type ShellVariant = (
  db: DB,
  user: { id: string; roles: readonly string[] },
  url: URL,
) => Promise<{
  key: string;
  view: unknown;
  /**
   * A personal region (app/lib/shell-region.ts): the page is rendered for the stand-in with
   * placeholders there, and this renders the visitor's region (its data and HTML, no React) on
   * each request, after the shared render is known to be usable, in the page's language.
   */
  region?: (ctx: { locale: Locale }) => Promise<ShellRegion>;
} | null>;

const SHELL_VARIANT_PAGES: Array<[RegExp, ShellVariant]> = [
  // Reading clubs (issue 13): the directory (the visitor's home unit when "near me" is asked for;
  // "my clubs" and the private calendar address are on /clubs/mine), and a club's page.
  [/^\/clubs\/?$/, directoryVariant],
  [/^\/clubs\/(?!new$|calendar$|challenges$|schools$|mine$)[^/]+\/?$/, clubPageVariant],
  // A club's threads (parts' threads behind the spoiler gate too) and its discussion page (issue 13).
  [/^\/clubs\/(?!new$|calendar$|challenges$|schools$|mine$)[^/]+\/t\/[A-Za-z0-9_-]+\/?$/, clubThreadVariant],
  [/^\/clubs\/(?!new$|calendar$|challenges$|schools$|mine$)[^/]+\/discussion\/?$/, clubDiscussionVariant],
  // A club's schedule (issue 13): the visitor's membership, progress, open parts and the date.
  [/^\/clubs\/(?!new$|calendar$|challenges$|schools$|mine$)[^/]+\/schedule\/?$/, clubScheduleVariant],
  // A read-aloud round's gallery (issue 15): the visitor's votes on the page's entries, with the
  // page's vote counts (votes bump no cache, so the counts are part of the key).
  [/^\/contests\/[^/]+\/gallery\/[^/]+\/?$/, galleryVariant],
  // A unit's Week report (issue 16): the visitor's access to it (fill, review, reopen, read), the
  // clock's state (deadline, lock date) and, while they fill it, the platform's figures.
  [/^\/weeks\/\d{4}\/reports\/[^/]+\/(?!edit\/?$)[^/]+\/?$/, reportPageVariant],
  // The notification centre (issue 12): everyone's page but for their list, a personal region.
  [/^\/notifications\/?$/, notificationsVariant],
  // A judge's queue (issue 15): shared by the round's judges but for their queue, a personal region;
  // anyone else (not a judge of the round: a 404) is rendered for them.
  [/^\/contests\/[^/]+\/jury\/[^/]+\/?$/, juryQueueVariant],
];

/** A page signed-in visitors may share (with its dependencies, its per-visitor test and its variant), or null. */
export function shellPage(pathname: string): { deps: string[]; sameForReader: ShellTest; variant?: ShellVariant } | null {
  const deps = pageDependencies(pathname) ?? dependencies(SIGNED_IN_RULES, pathname);
  if (!deps) return null;
  for (const [re, test] of SHELL_PAGES) if (re.test(pathname)) return { deps, sameForReader: test };
  for (const [re, variant] of SHELL_VARIANT_PAGES) if (re.test(pathname)) return { deps, sameForReader: anyone, variant };
  return null;
}

/** The path patterns of the shared signed-in renders, for tests that visit every one of them. */
export function shellPagePatterns(): RegExp[] {
  return SHELL_PAGES.map(([re]) => re);
}
