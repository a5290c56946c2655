/**
 * The discussion outbox: a visible reply's fan-out (notices to the thread's followers, the quoted
 * author, mentioned members) written after the post, in batches, by the `community:outbox` job.
 *
 * - Durable: the reply writes its outbox row in the post's own transaction (posts.server.ts), so a
 *   crash after the post leaves the row to be processed by the next run.
 * - Short lock holds: a batch's notices (followers, who may read the place, email choices, ages,
 *   push subscriptions) are worked out from a plain read first (`readOutboxBatch`: a few statements
 *   for the whole batch — its posts, their threads' followers, the quoted authors —, not a few a post); the write
 *   transaction (`writeOutboxBatch`) only takes the rows, checks again in one query that their posts
 *   are still visible (a post removed since the read notifies nobody), and writes the notices. A batch of 100 replies is ~1,500 notices: reading them inside
 *   the transaction held SQLite's one write lock ~90 ms a batch, with every reply of every process
 *   waiting behind it (SQLITE_BATCH_TRACE: the fan-out held the lock 58 % of the time once the
 *   replies' own writes were cheap).
 * - Exactly once: the write transaction deletes the batch's rows `RETURNING` those it removed, and
 *   writes the notices of those rows only. Whoever removes a row first (another job runner, or a
 *   place that sends its notices at once: posts.server.ts processOutboxFor) is the one that notifies:
 *   on SQLite the transactions take the write lock in turn; on PostgreSQL the second DELETE waits
 *   for the first's row locks and then finds the rows gone.
 * - A row whose notices cannot be worked out (an error) is not deleted: its `attempts` grows and,
 *   after MAX_ATTEMPTS, it is set aside (kept with its last error) rather than holding up others.
 */
import { sql } from 'kysely';

import { writeTransaction } from '~/db/dialect';
import { type NewNotice, noticeRows, type NotifyInput, writeNotices } from '~/domain/notifications/notify.server';
import type { DB } from '~/lib/db.server';

import { outboxNotices } from './posts.server';

export const MAX_ATTEMPTS = 5;

/**
 * Works through the outbox, `batch` rows a transaction (default 25), at most `maxBatches` (default
 * 200: 5,000 rows a run of the 2-second job, ten times what 500 replies a second bring); returns
 * the rows done. Small batches because the job runs in a web worker: a batch's reads and its write
 * transaction run without a turn of that worker's event loop and hold SQLite's write lock for the
 * other worker's replies too. At full scale, 44 followers a reply: 100 rows a batch gave 280
 * replies/s over HTTP with p99 391 ms, 20 rows 339/s with p99 148 ms (`tools/post-http-kept.ts`).
 */
export async function processOutbox(db: DB, _now = new Date(), o: { batch?: number; maxBatches?: number } = {}): Promise<number> {
  const batch = o.batch ?? 25;
  let done = 0;
  for (let b = 0; b < (o.maxBatches ?? 200); b++) {
    const read = await readOutboxBatch(db, batch);
    if (!read) break;
    done += await writeOutboxBatch(db, read);
    if (read.rows < batch) break;
    // Let the process's requests in between batches: on SQLite every statement returns at once, so
    // without a turn of the event loop here a backlog of thousands was worked through while the
    // requests waiting on this process (a web worker runs the jobs) were not even read.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return done;
}

/** A batch of outbox rows with their notices worked out (`readOutboxBatch`), not yet written. */
export interface OutboxBatch {
  /** Rows read. */
  rows: number;
  /** Every notice, and the outbox row it comes from. */
  notices: NewNotice[];
  rowOf: string[];
  /** The rows whose notices could be worked out, and the others with their error. */
  ok: string[];
  failed: Map<string, string>;
}

const asError = (e: unknown) => (e instanceof Error ? e : new Error(String(e)));

/**
 * The next `batch` rows and their notices (followers, place rights, email choices, ages, push
 * subscriptions), read without the write lock; null when the outbox is empty.
 */
export async function readOutboxBatch(db: DB, batch: number): Promise<OutboxBatch | null> {
  const rows = await db
    .selectFrom('disc_outbox')
    .select(['id', 'post_id', 'created_at'])
    .where('attempts', '<', MAX_ATTEMPTS)
    .orderBy('attempts')
    .orderBy('created_at')
    .limit(batch)
    .execute();
  if (!rows.length) return null;
  const inputs: NotifyInput[] = [];
  const rowOf: string[] = [];
  const failed = new Map<string, string>();
  // The batch's posts, followers and quoted authors are read at once; should that fail, each row is
  // tried on its own so that one bad row does not hold back the others. Notices are dated when the
  // reply was written, not when the job got to it.
  const each = await outboxNotices(
    db,
    rows.map((r) => ({ postId: r.post_id, at: new Date(r.created_at) })),
  ).catch(async (e: unknown) => {
    console.error(`[outbox] a batch of ${rows.length} failed; trying its rows one by one`, e);
    const one: (NotifyInput[] | Error)[] = [];
    for (const r of rows)
      one.push(await outboxNotices(db, [{ postId: r.post_id, at: new Date(r.created_at) }]).then((n) => n[0]!, asError));
    return one;
  });
  rows.forEach((r, i) => {
    const n = each[i]!;
    if (n instanceof Error) {
      console.error(`[outbox] post ${r.post_id} failed`, n);
      failed.set(r.id, n.message.slice(0, 500));
      return;
    }
    for (const x of n) {
      inputs.push(x);
      rowOf.push(r.id);
    }
  });
  return {
    rows: rows.length,
    notices: await noticeRows(db, inputs),
    rowOf,
    ok: rows.map((r) => r.id).filter((id) => !failed.has(id)),
    failed,
  };
}

/**
 * Writes a batch in one write transaction: takes its rows (`DELETE … RETURNING`: only those still
 * there), checks again under the lock that their posts and threads are still visible (a moderator
 * may have removed one since the read), writes the notices of the rows taken whose post still
 * is, and counts a failure for the rows that failed. Returns the rows taken.
 */
export async function writeOutboxBatch(db: DB, b: OutboxBatch): Promise<number> {
  return writeTransaction(db, async (trx) => {
    const taken = b.ok.length ? await trx.deleteFrom('disc_outbox').where('id', 'in', b.ok).returning(['id', 'post_id']).execute() : [];
    const postIds = [...new Set(taken.map((t) => t.post_id))];
    const visible = new Set(
      postIds.length
        ? (
            await trx
              .selectFrom('disc_posts as p')
              .innerJoin('disc_threads as t', 't.id', 'p.thread_id')
              .select('p.id')
              .where('p.id', 'in', postIds)
              .where('p.status', '=', 'visible')
              .where('t.status', '=', 'visible')
              .execute()
          ).map((p) => p.id)
        : [],
    );
    const send = new Set(taken.filter((t) => visible.has(t.post_id)).map((t) => t.id));
    await writeNotices(
      trx,
      b.notices.filter((_, i) => send.has(b.rowOf[i]!)),
    );
    for (const [id, error] of b.failed)
      await trx
        .updateTable('disc_outbox')
        .set({ attempts: sql<number>`attempts + 1`, last_error: error })
        .where('id', '=', id)
        .where('attempts', '<', MAX_ATTEMPTS)
        .execute();
    return taken.length;
  });
}

/** Rows still waiting (for tests and the bench). */
export async function outboxBacklog(db: DB): Promise<number> {
  const r = await db
    .selectFrom('disc_outbox')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirst();
  return Number(r?.n ?? 0);
}
