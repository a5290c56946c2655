import type { Migration } from 'kysely';
import * as m0001 from './2026-11-21T0001-foundation';
import * as m0100 from './2026-11-21T0100-library';
import * as m0200 from './2026-11-21T0200-oer';
import * as m0300 from './2026-11-21T0300-courses';
import * as m2026_11_30T0900_security from './2026-11-30T0900-security';
import * as m2026_11_30T0910_page_cache from './2026-11-30T0910-page-cache';
import * as m2026_11_30T0920_unit_history from './2026-11-30T0920-unit-history';
import * as m2026_11_30T0930_reader from './2026-11-30T0930-reader';
import * as m2026_11_30T0950_newcomer from './2026-11-30T0950-newcomer';
import * as m2026_11_30T1000_community from './2026-11-30T1000-community';
import * as m2026_11_30T1010_contests from './2026-11-30T1010-contests';
import * as m2026_11_30T1020_clubs from './2026-11-30T1020-clubs';
import * as m2026_11_30T1140_web_push from './2026-11-30T1140-web-push';
import * as m2026_11_30T1240_stats from './2026-11-30T1240-stats';
import * as m2026_11_30T1220_honours from './2026-11-30T1220-honours';
import * as m2026_11_30T1230_outreach from './2026-11-30T1230-outreach';
import * as m2026_11_30T1210_reports from './2026-11-30T1210-reports';
import * as m2026_11_30T1300_ops from './2026-11-30T1300-ops';
import * as m2026_11_30T1250_clubs_schedule from './2026-11-30T1250-clubs-schedule';
import * as m2026_11_30T1200_contest_entries from './2026-11-30T1200-contest-entries';
import * as m2026_11_30T1500_contest_uploads from './2026-11-30T1500-contest-uploads';
import * as m2026_11_30T1510_contest_votes from './2026-11-30T1510-contest-votes';
import * as m2026_11_30T1530_contest_prizes from './2026-11-30T1530-contest-prizes';
import * as m2026_11_30T1520_clubs_challenges from './2026-11-30T1520-clubs-challenges';
import * as m2026_11_30T1550_honours_outreach from './2026-11-30T1550-honours-outreach';
import * as m2026_11_30T1540_reports_forms from './2026-11-30T1540-reports-forms';
import * as m2026_11_30T1620_report_attachments from './2026-11-30T1620-report-attachments';
import * as m2026_11_30T1630_contest_badges_auto from './2026-11-30T1630-contest-badges-auto';
import * as m2026_11_30T2130_community_speed from './2026-11-30T2130-community-speed';
import * as m2026_11_30T2140_clubs_speed from './2026-11-30T2140-clubs-speed';
import * as m2026_11_30T2160_reports_bench from './2026-11-30T2160-reports-bench';
import * as m2026_12_01T0020_community_outbox from './2026-12-01T0020-community-outbox';
import * as m2026_12_01T0040_contest_ranking from './2026-12-01T0040-contest-ranking';
import * as m2026_12_01T0050_report_rollups from './2026-12-01T0050-report-rollups';
import * as m2026_12_01T0100_contest_vote_counts from './2026-12-01T0100-contest-vote-counts';
import * as m2026_12_01T0350_contest_gallery from './2026-12-01T0350-contest-gallery';
import * as m2026_12_02T1200_notice_collapse from './2026-12-02T1200-notice-collapse';

/**
 * Every migration, by its dated name. A static list (not a directory scan) so the same
 * migrator runs from the Remix server bundle, from tsx scripts and from tests.
 * Append new files at the end; never edit or remove a landed one.
 */
export const migrations: Record<string, Migration> = {
  '2026-11-21T0001-foundation': m0001,
  '2026-11-21T0100-library': m0100,
  '2026-11-21T0200-oer': m0200,
  '2026-11-21T0300-courses': m0300,
  '2026-11-30T0900-security': m2026_11_30T0900_security,
  '2026-11-30T0910-page-cache': m2026_11_30T0910_page_cache,
  '2026-11-30T0920-unit-history': m2026_11_30T0920_unit_history,
  '2026-11-30T0930-reader': m2026_11_30T0930_reader,
  '2026-11-30T0950-newcomer': m2026_11_30T0950_newcomer,
  '2026-11-30T1000-community': m2026_11_30T1000_community,
  '2026-11-30T1010-contests': m2026_11_30T1010_contests,
  '2026-11-30T1020-clubs': m2026_11_30T1020_clubs,
  '2026-11-30T1140-web-push': m2026_11_30T1140_web_push,
  '2026-11-30T1240-stats': m2026_11_30T1240_stats,
  '2026-11-30T1220-honours': m2026_11_30T1220_honours,
  '2026-11-30T1230-outreach': m2026_11_30T1230_outreach,
  '2026-11-30T1210-reports': m2026_11_30T1210_reports,
  '2026-11-30T1300-ops': m2026_11_30T1300_ops,
  '2026-11-30T1250-clubs-schedule': m2026_11_30T1250_clubs_schedule,
  '2026-11-30T1200-contest-entries': m2026_11_30T1200_contest_entries,
  '2026-11-30T1500-contest-uploads': m2026_11_30T1500_contest_uploads,
  '2026-11-30T1510-contest-votes': m2026_11_30T1510_contest_votes,
  '2026-11-30T1530-contest-prizes': m2026_11_30T1530_contest_prizes,
  '2026-11-30T1520-clubs-challenges': m2026_11_30T1520_clubs_challenges,
  '2026-11-30T1550-honours-outreach': m2026_11_30T1550_honours_outreach,
  '2026-11-30T1540-reports-forms': m2026_11_30T1540_reports_forms,
  '2026-11-30T1620-report-attachments': m2026_11_30T1620_report_attachments,
  '2026-11-30T1630-contest-badges-auto': m2026_11_30T1630_contest_badges_auto,
  '2026-11-30T2130-community-speed': m2026_11_30T2130_community_speed,
  '2026-11-30T2140-clubs-speed': m2026_11_30T2140_clubs_speed,
  '2026-11-30T2160-reports-bench': m2026_11_30T2160_reports_bench,
  '2026-12-01T0020-community-outbox': m2026_12_01T0020_community_outbox,
  '2026-12-01T0040-contest-ranking': m2026_12_01T0040_contest_ranking,
  '2026-12-01T0050-report-rollups': m2026_12_01T0050_report_rollups,
  '2026-12-01T0100-contest-vote-counts': m2026_12_01T0100_contest_vote_counts,
  '2026-12-01T0350-contest-gallery': m2026_12_01T0350_contest_gallery,
  '2026-12-02T1200-notice-collapse': m2026_12_02T1200_notice_collapse,
};
