/**
 * `node --import tsx tests/bench/tools/seed-notices.ts <email> <n>`: gives that account of the
 * database in DATA_DIR (as `npm start` leaves it, demo data seeded) exactly n notices, one in
 * three unread, as the community bench writes them (`0` empties the list) — so that
 * `RENDER_AS=<email> tests/bench/tools/cpu-loop.ts /bench/floor /notifications` measures the page
 * with an empty list and with a full page of 30 in the same conditions.
 */
import { getDb } from '../../../app/lib/db.server';
import { newId } from '../../../app/lib/ids.server';

const [email, count] = process.argv.slice(2);
if (!email) throw new Error('usage: seed-notices.ts <email> <n>');
const n = Number(count ?? 30);
const db = getDb();
const user = await db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow();
await db.deleteFrom('notif_notifications').where('user_id', '=', user.id).execute();
const base = Date.parse('2026-11-01T08:00:00Z');
const iso = (i: number) => new Date(base + i * 60_000).toISOString();
if (n > 0)
  await db
    .insertInto('notif_notifications')
    .values(
      Array.from({ length: n }, (_, i) => ({
        id: newId(),
        user_id: user.id,
        type: 'community.reply',
        params: JSON.stringify({ name: 'Bạn đọc', title: `Chủ đề thảo luận số ${i + 1} về văn hóa đọc` }),
        url: '/forums',
        place_type: null,
        place_id: null,
        created_at: iso(i),
        read_at: i % 3 ? iso(i) : null,
        email: 'none' as const,
        claim: null,
        emailed_at: null,
      })),
    )
    .execute();
console.log(`${email}: ${n} notices`);
await db.destroy();
process.exit(0);
