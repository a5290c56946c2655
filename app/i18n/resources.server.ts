import enAccounts from '~/locales/en/accounts.json';
import enClubs from '~/locales/en/clubs.json';
import enCommon from '~/locales/en/common.json';
import enCommunity from '~/locales/en/community.json';
import enContests from '~/locales/en/contests.json';
import enCourses from '~/locales/en/courses.json';
import enErrors from '~/locales/en/errors.json';
import enHonours from '~/locales/en/honours.json';
import enLibrary from '~/locales/en/library.json';
import enOer from '~/locales/en/oer.json';
import enOps from '~/locales/en/ops.json';
import enOutreach from '~/locales/en/outreach.json';
import enReports from '~/locales/en/reports.json';
import enStats from '~/locales/en/stats.json';
import enUnits from '~/locales/en/units.json';
import enWeeks from '~/locales/en/weeks.json';
import viAccounts from '~/locales/vi/accounts.json';
import viClubs from '~/locales/vi/clubs.json';
import viCommon from '~/locales/vi/common.json';
import viCommunity from '~/locales/vi/community.json';
import viContests from '~/locales/vi/contests.json';
import viCourses from '~/locales/vi/courses.json';
import viErrors from '~/locales/vi/errors.json';
import viHonours from '~/locales/vi/honours.json';
import viLibrary from '~/locales/vi/library.json';
import viOer from '~/locales/vi/oer.json';
import viOps from '~/locales/vi/ops.json';
import viOutreach from '~/locales/vi/outreach.json';
import viReports from '~/locales/vi/reports.json';
import viStats from '~/locales/vi/stats.json';
import viUnits from '~/locales/vi/units.json';
import viWeeks from '~/locales/vi/weeks.json';

import type { Locale, Messages } from './i18n';

/**
 * Every translation file, by area: `t('weeks.theme')` reads app/locales/<lang>/weeks.json.
 * Each area owns its own pair of files; add an area here.
 */
export const resources: Record<Locale, Messages> = {
  vi: {
    common: viCommon,
    errors: viErrors,
    weeks: viWeeks,
    accounts: viAccounts,
    library: viLibrary,
    oer: viOer,
    courses: viCourses,
    clubs: viClubs,
    units: viUnits,
    community: viCommunity,
    contests: viContests,
    stats: viStats,
    honours: viHonours,
    outreach: viOutreach,
    reports: viReports,
    // The backup/restore command's messages (db/backup-cli.ts); no page asks for them.
    ops: viOps,
  },
  en: {
    common: enCommon,
    errors: enErrors,
    weeks: enWeeks,
    accounts: enAccounts,
    library: enLibrary,
    oer: enOer,
    courses: enCourses,
    clubs: enClubs,
    units: enUnits,
    community: enCommunity,
    contests: enContests,
    stats: enStats,
    honours: enHonours,
    outreach: enOutreach,
    reports: enReports,
    ops: enOps,
  },
};
