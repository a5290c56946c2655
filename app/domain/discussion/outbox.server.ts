/**
 * The discussion outbox: a visible reply's fan-out (notices to the thread's followers, the quoted
 * author, mentioned members) written after the post, in batches, by the `community:outbox` job.
 *
 * - Durable: the reply writes its outbox row in the post's own transaction (posts.server.ts), so a
 *   crash after the post leaves the row to be processed by the next run.
 * - Exactly once: a batch's notices are inserted and its rows deleted in one write transaction.
 *   Two instances cannot take the same rows: on SQLite the transaction holds the write lock
 *   (BEGIN IMMEDIATE), on PostgreSQL the rows are taken `FOR UPDATE SKIP LOCKED` (another
 *   instance takes the next rows instead of waiting); the jobs runner's claim also gives each
 *   run to one instance.
 * - A row whose notices cannot be worked out (an error) is not deleted: its `attempts` grows and,
 *   after MAX_ATTEMPTS, it is set aside (kept with its last error) rather than holding up others.
 */
import { isPostgres, writeTransaction } from '~/db/dialect';
import { type NotifyInput, notifyMany } from '~/domain/notifications/notify.server';
import type { DB } from '~/lib/db.server';

import { outboxNotices } from './posts.server';

export const MAX_ATTEMPTS = 5;

/** Works through the outbox, `batch` rows a transaction, at most `maxBatches`; returns the rows done. */
export async function processOutbox(db: DB, _now = new Date(), o: { batch?: number; maxBatches?: number } = {}): Promise<number> {
  const batch = o.batch ?? 100;
  let done = 0;
  for (let b = 0; b < (o.maxBatches ?? 50); b++) {
    const n = await writeTransaction(db, async (trx) => {
      let q = trx
        .selectFrom('disc_outbox')
        .select(['id', 'post_id', 'attempts', 'created_at'])
        .where('attempts', '<', MAX_ATTEMPTS)
        .orderBy('attempts')
        .orderBy('created_at')
        .limit(batch);
      if (isPostgres(trx)) q = q.forUpdate().skipLocked();
      const rows = await q.execute();
      if (!rows.length) return { taken: 0, ok: 0 };
      const notices: NotifyInput[] = [];
      const ok: string[] = [];
      for (const r of rows) {
        try {
          // Dated when the reply was written, not when the job got to it.
          notices.push(...(await outboxNotices(trx, r.post_id, new Date(r.created_at))));
          ok.push(r.id);
        } catch (e) {
          console.error(`[outbox] post ${r.post_id} failed`, e);
          await trx
            .updateTable('disc_outbox')
            .set({ attempts: r.attempts + 1, last_error: String(e instanceof Error ? e.message : e).slice(0, 500) })
            .where('id', '=', r.id)
            .execute();
        }
      }
      await notifyMany(trx, notices);
      if (ok.length) await trx.deleteFrom('disc_outbox').where('id', 'in', ok).execute();
      return { taken: rows.length, ok: ok.length };
    });
    done += n.ok;
    if (n.taken < batch) break;
  }
  return done;
}

/** Rows still waiting (for tests and the bench). */
export async function outboxBacklog(db: DB): Promise<number> {
  const r = await db
    .selectFrom('disc_outbox')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirst();
  return Number(r?.n ?? 0);
}
