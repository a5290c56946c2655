import fs from 'node:fs';

import { openDatabase } from '~/db/connection';
import { migrateToLatest } from '~/db/migrate';

import { TEMPLATE_DB, TMP_DIR } from './db';

/** Migrates one template SQLite file; each test file copies it (much faster than migrating each). */
export default async function setup() {
  fs.mkdirSync(TMP_DIR, { recursive: true });
  for (const f of [TEMPLATE_DB, `${TEMPLATE_DB}-wal`, `${TEMPLATE_DB}-shm`]) fs.rmSync(f, { force: true });
  const db = openDatabase(TEMPLATE_DB);
  await migrateToLatest(db);
  await db.destroy(); // checkpoints the WAL into the file, so copying the file alone is enough
}
