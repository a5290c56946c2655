import type { DB } from '../connection';
import { seedAccounts } from './accounts';
import { seedClubs } from './clubs';
import { seedCommunity } from './community';
import { seedReadAloud } from './contest-readaloud';
import { seedContests } from './contests';
import { seedCourses } from './courses';
import { seedHonours } from './honours';
import { seedLibrary } from './library';
import { seedOer } from './oer';
import { seedOutreach } from './outreach';
import { seedPlans } from './plans';
import { seedReports } from './reports';
import { seedStats } from './stats';
import { seedReorganisation2025, seedUnits } from './units';

/**
 * Demo data, idempotent: running it again adds only what is missing. Areas seed after the
 * foundation (they receive the unit slug → id and account email → id maps).
 */
export async function seedDemo(db: DB): Promise<void> {
  const units = await seedUnits(db);
  const users = await seedAccounts(db, units);
  // The post-1-July-2025 two-tier tree: after the accounts, so their roles carry over (logged).
  await seedReorganisation2025(db, units);
  const author = users.get('admin@demo.hoctap.vn');
  if (author) await seedPlans(db, units, author);
  await seedLibrary(db, units, users);
  await seedOer(db, units, users);
  await seedCourses(db, units, users);
  await seedCommunity(db, units, users);
  await seedContests(db, units, users);
  await seedHonours(db, units, users);
  await seedOutreach(db, units, users);
  await seedReports(db, units, users);
  await seedClubs(db, units, users);
  await seedReadAloud(db, units, users);
  // Last: demo participation in the 2024 and 2025 Weeks, then the statistics of every past Week.
  await seedStats(db, units, users);
}
