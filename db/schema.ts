/**
 * The one `Database` interface: each area keeps its table types in db/schema/<area>.ts and is
 * gathered here, so every repository takes a `Kysely<Database>` (or a transaction of it).
 */
import type { ContestsTables } from './schema/contests';
import type { CoursesTables } from './schema/courses';
import type { FoundationTables } from './schema/foundation';
import type { LibraryTables } from './schema/library';
import type { OerTables } from './schema/oer';

export * from './schema/foundation';

export interface Database extends FoundationTables, LibraryTables, OerTables, CoursesTables, ContestsTables {}
