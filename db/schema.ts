/**
 * The one `Database` interface: each area keeps its table types in db/schema/<area>.ts and is
 * gathered here, so every repository takes a `Kysely<Database>` (or a transaction of it).
 */
import type { ClubsTables } from './schema/clubs';
import type { CommunityTables } from './schema/community';
import type { ContestEntriesTables } from './schema/contest-entries';
import type { ContestUploadsTables } from './schema/contest-uploads';
import type { ContestsTables } from './schema/contests';
import type { CoursesTables } from './schema/courses';
import type { DemoTables } from './schema/demo';
import type { FoundationTables } from './schema/foundation';
import type { HonoursTables } from './schema/honours';
import type { LibraryTables } from './schema/library';
import type { OerTables } from './schema/oer';
import type { OpsTables } from './schema/ops';
import type { OutreachTables } from './schema/outreach';
import type { PageCacheTables } from './schema/page-cache';
import type { ReportsTables } from './schema/reports';
import type { SecurityTables } from './schema/security';
import type { StatsTables } from './schema/stats';
import type { UnitHistoryTables } from './schema/units';

export * from './schema/community';
export * from './schema/foundation';
export * from './schema/stats';
export * from './schema/units';

export interface Database
  extends
    FoundationTables,
    LibraryTables,
    OerTables,
    CoursesTables,
    ClubsTables,
    PageCacheTables,
    DemoTables,
    UnitHistoryTables,
    SecurityTables,
    CommunityTables,
    ContestsTables,
    StatsTables,
    HonoursTables,
    OutreachTables,
    ReportsTables,
    OpsTables,
    ContestEntriesTables,
    ContestUploadsTables {}
