/**
 * Prepared queries (`~/db/prepared`, issue #14): built and compiled once per dialect handle, run
 * with each call's values through the handle's executor. They give the builder's rows on both
 * dialects (scalar and list parameters, inside a write transaction too), and Kysely's plugins see
 * every run: the query counter counts each one, a plugin's `transformQuery` sees the call's real
 * values and its `transformResult` shapes the rows.
 */
import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { DB } from '~/db/connection';
import { lockRows, writeTransaction } from '~/db/dialect';
import { prepareQuery } from '~/db/prepared';

import { dialects, freshDb } from '../helpers/db';
import { countQueries } from '../helpers/query-counter';

const byKey = prepareQuery((db: DB, key: string) => db.selectFrom('rate_limits').select(['key', 'points']).where('key', '=', key));
const byKeys = prepareQuery((db: DB, keys: string[], min: number) =>
  db.selectFrom('rate_limits').select(['key', 'points']).where('key', 'in', keys).where('points', '>=', min).orderBy('key'),
);
const upsert = prepareQuery((db: DB, keys: string[], points: number[]) =>
  db
    .insertInto('rate_limits')
    .values(keys.map((key, i) => ({ key, points: points[i]!, expire: null })))
    .onConflict((oc) => oc.column('key').doUpdateSet((eb) => ({ points: eb.ref('excluded.points') }))),
);
const locked = prepareQuery((db: DB, key: string) =>
  lockRows(db, db.selectFrom('rate_limits').select(['key', 'points']).where('key', '=', key)),
);

describe.each(dialects)('prepared queries (%s)', (dialect) => {
  let db: DB;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ db, cleanup } = await freshDb(dialect));
    await db
      .insertInto('rate_limits')
      .values([
        { key: 'a', points: 1, expire: null },
        { key: 'b', points: 2, expire: null },
        { key: 'c', points: 3, expire: null },
      ])
      .execute();
  });
  afterEach(async () => cleanup());

  it('returns what the builder returns, for every call’s values and list lengths', async () => {
    for (const k of ['a', 'b', 'c', 'zz']) {
      const built = await db.selectFrom('rate_limits').select(['key', 'points']).where('key', '=', k).execute();
      expect(await byKey.execute(db, k)).toEqual(built);
    }
    expect(await byKeys.execute(db, ['a', 'c'], 0)).toEqual([
      { key: 'a', points: 1 },
      { key: 'c', points: 3 },
    ]);
    expect(await byKeys.execute(db, ['a', 'b', 'c'], 2)).toEqual([
      { key: 'b', points: 2 },
      { key: 'c', points: 3 },
    ]);
    expect(await byKeys.execute(db, ['b'], 0)).toEqual([{ key: 'b', points: 2 }]);
    expect(await byKey.executeTakeFirst(db, 'nope')).toBeUndefined();
  });

  it('writes inside a write transaction, and reads its own writes there (a locked read on PostgreSQL)', async () => {
    const seen = await writeTransaction(db, async (trx) => {
      await upsert.execute(trx, ['a', 'd'], [10, 40]);
      return locked.executeTakeFirst(trx, 'd');
    });
    expect(seen).toEqual({ key: 'd', points: 40 });
    await upsert.execute(db, ['e'], [5]);
    expect(await byKeys.execute(db, ['a', 'd', 'e'], 0)).toEqual([
      { key: 'a', points: 10 },
      { key: 'd', points: 40 },
      { key: 'e', points: 5 },
    ]);
  });

  it('goes through the plugins on every run: counted each time, with the real values, results transformed', async () => {
    const q = countQueries(db);
    await byKey.execute(q.db, 'a');
    await byKey.execute(q.db, 'b');
    await byKeys.execute(q.db, ['a', 'b'], 0);
    expect(q.count()).toBe(3);
    const values: string[] = [];
    const plugin: KyselyPlugin = {
      transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
        values.push(JSON.stringify(args.node));
        return args.node;
      },
      transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
        return Promise.resolve({ ...args.result, rows: args.result.rows.map((r) => ({ ...r, seen: true })) });
      },
    };
    expect(await byKey.execute(db.withPlugin(plugin), 'c')).toEqual([{ key: 'c', points: 3, seen: true }]);
    expect(values).toHaveLength(1);
    expect(values[0]).toContain('"value":"c"');
    // The handle without the plugin is unchanged, and still runs the kept compiled query.
    expect(await byKey.execute(db, 'c')).toEqual([{ key: 'c', points: 3 }]);
  });

  it('refuses a parameter that is not a value of the query', () => {
    const bad = prepareQuery((d: DB, key: string) =>
      d
        .selectFrom('rate_limits')
        .select('key')
        .where('key', '=', `${key}`.slice(0, 0) || 'x'),
    );
    return expect(bad.execute(db, 'a')).rejects.toThrow(/parameter 0/);
  });
});
