import type { Migration } from 'kysely';

import * as m0001 from './2026-11-21T0001-foundation';
import * as m0100 from './2026-11-21T0100-library';
import * as m0200 from './2026-11-21T0200-oer';
import * as m0300 from './2026-11-21T0300-courses';
import * as m20261130T0930 from './2026-11-30T0930-reader';

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
  '2026-11-30T0930-reader': m20261130T0930,
};
