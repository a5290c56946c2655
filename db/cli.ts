/** `npm run db:migrate` and `npm run db:seed`: exit non-zero on any failure. */
import { backfillStats } from '../app/domain/stats/aggregate.server';
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
  } else if (cmd === 'stats-backfill') {
    // `npm run stats:backfill [-- 2024 2025]`: recomputes the statistics of those Weeks (every past Week by default).
    await migrateToLatest(db);
    const years = process.argv.slice(3).map(Number).filter(Number.isInteger);
    const done = await backfillStats(db, new Date(), years);
    console.log(`statistics computed for ${done.join(', ') || 'no Week'}`);
  } else {
    console.error('usage: db/cli.ts migrate|seed|stats-backfill [years…]');
    process.exitCode = 2;
  }
} catch (e) {
  console.error(e);
  process.exitCode = 1;
} finally {
  await db.destroy();
}
