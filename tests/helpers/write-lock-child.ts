/**
 * A second server process, for tests/integration/db-write-lock-processes.test.ts: opens the SQLite
 * file of WL_FILE as the server does (`synchronous=FULL`) and runs `writeTransaction`s on the
 * parent's orders (IPC messages), answering with what it was acknowledged and how its event loop
 * fared meanwhile.
 */
import { type Kysely, sql } from 'kysely';

import { openDatabase } from '~/db/connection';
import { writeTransaction } from '~/db/dialect';

interface Probe {
  wl_items: { id: string; proc: string };
  wl_counter: { id: number; n: number };
}
type Order =
  | { cmd: 'hold'; ms: number }
  | { cmd: 'burst'; n: number; tag: string }
  | { cmd: 'hammer'; n: number; concurrency: number }
  | { cmd: 'exit' };

const name = process.env.WL_NAME!;
const db = openDatabase(process.env.WL_FILE!, { synchronous: 'FULL' }) as unknown as Kysely<Probe>;
const send = (m: unknown) => process.send!(m);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One write: a row of its own and the shared counter (a lost or doubled write shows in either). */
const write = (id: string) =>
  writeTransaction(db, async (trx) => {
    await trx.insertInto('wl_items').values({ id, proc: name }).execute();
    await sql`UPDATE wl_counter SET n = n + 1 WHERE id = 1`.execute(trx);
  });

/** Runs `work` while a 10 ms timer counts its ticks and the longest gap between two of them. */
async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ticks: number; maxGapMs: number }> {
  let ticks = 0;
  let last = performance.now();
  let maxGapMs = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    maxGapMs = Math.max(maxGapMs, now - last);
    last = now;
    ticks++;
  }, 10);
  try {
    const value = await work();
    maxGapMs = Math.max(maxGapMs, performance.now() - last);
    return { value, ticks, maxGapMs };
  } finally {
    clearInterval(timer);
  }
}

process.on('message', (o: Order) => {
  void (async () => {
    if (o.cmd === 'hold') {
      // Holds the write lock for o.ms inside a transaction of one write.
      await writeTransaction(db, async (trx) => {
        await trx
          .insertInto('wl_items')
          .values({ id: `${name}-hold`, proc: name })
          .execute();
        await sql`UPDATE wl_counter SET n = n + 1 WHERE id = 1`.execute(trx);
        send({ event: 'holding' });
        await sleep(o.ms);
      });
      send({ event: 'held', acked: [`${name}-hold`] });
    } else if (o.cmd === 'burst') {
      const r = await timed(() => Promise.allSettled(Array.from({ length: o.n }, (_, i) => write(`${name}-${o.tag}-${i}`))));
      send({
        event: 'burst',
        acked: r.value.flatMap((s, i) => (s.status === 'fulfilled' ? [`${name}-${o.tag}-${i}`] : [])),
        errors: r.value.flatMap((s) => (s.status === 'rejected' ? [String(s.reason)] : [])),
        ticks: r.ticks,
        maxGapMs: r.maxGapMs,
      });
    } else if (o.cmd === 'hammer') {
      const acked: string[] = [];
      const errors: string[] = [];
      let next = 0;
      const r = await timed(() =>
        Promise.all(
          Array.from({ length: o.concurrency }, async () => {
            while (next < o.n) {
              const id = `${name}-h-${next++}`;
              await write(id).then(
                () => acked.push(id),
                (e: unknown) => errors.push(String(e)),
              );
            }
          }),
        ),
      );
      send({ event: 'hammer', acked, errors, ticks: r.ticks, maxGapMs: r.maxGapMs });
    } else if (o.cmd === 'exit') {
      await db.destroy();
      process.exit(0);
    }
  })().catch((e: unknown) => send({ event: 'error', error: String(e) }));
});
send({ event: 'ready' });
