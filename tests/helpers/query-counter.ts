import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';

import type { DB } from '~/db/connection';

/**
 * A view of `db` that counts the queries run through it (an N+1 shows as a count growing with
 * the number of rows): `const q = countQueries(db); await feed(q.db, …); expect(q.count()).toBe(3)`.
 */
export function countQueries(db: DB): { db: DB; count: () => number; reset: () => void } {
  let n = 0;
  const plugin: KyselyPlugin = {
    transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
      n++;
      return args.node;
    },
    transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
      return Promise.resolve(args.result);
    },
  };
  return {
    db: db.withPlugin(plugin),
    count: () => n,
    reset: () => {
      n = 0;
    },
  };
}
