/** `npm run db:migrate` and `npm run db:seed`: exit non-zero on any failure. */
import { syncWeeksFromContent } from '../app/domain/weeks.server';
import { getEnv } from '../app/lib/env.server';
import { openDatabase } from './connection';
import { migrateToLatest } from './migrate';
import { seedDemo } from './seed/index';

const cmd = process.argv[2];
const db = openDatabase(getEnv().DATABASE_URL);
try {
  if (cmd === 'migrate') {
    await migrateToLatest(db);
    console.log('migrated');
  } else if (cmd === 'seed') {
    await migrateToLatest(db);
    await syncWeeksFromContent(db);
    await seedDemo(db);
    console.log('seeded');
  } else {
    console.error('usage: db/cli.ts migrate|seed');
    process.exitCode = 2;
  }
} catch (e) {
  console.error(e);
  process.exitCode = 1;
} finally {
  await db.destroy();
}
