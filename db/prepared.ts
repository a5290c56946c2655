import {
  type Compilable,
  type CompiledQuery,
  createQueryId,
  type DialectAdapter,
  type Kysely,
  OperationNodeTransformer,
  type PrimitiveValueListNode,
  type RootOperationNode,
  type ValueNode,
} from 'kysely';

/**
 * A query of a hot path built and compiled by Kysely once per dialect handle (and per length of its
 * list parameters), then run with each call's values — through the handle's executor, so that
 * Kysely's plugins see every run. Building and compiling a query with the builder was ~15 % of a
 * contest answer save's CPU (issue #14); the SQL text and its parameter order do not change
 * between calls, only the values.
 *
 * ```ts
 * const sessionRow = prepareQuery((db: DB, id: string) => db.selectFrom('sessions').selectAll().where('id', '=', id));
 * const rows = await sessionRow.execute(db, sessionId);
 * ```
 *
 * `build` receives stand-ins for its parameters and must only hand them to Kysely as values
 * (`where(col, '=', p)`, `values({ col: p })`, `where(col, 'in', list)`): no string operations or
 * comparisons on them. An array parameter may be mapped over (`list.map((x) => ({ col: x }))`) —
 * its length is part of the cache key — but its items are stand-ins too. `build` should not
 * depend on anything but the handle's dialect (e.g. `lockRows(db, …)`); the handle it gets has
 * no plugins (see below). A parameter not found in the compiled query throws when first prepared.
 *
 * Every run goes through `handle.getExecutor()`:
 *  - without plugins (the application's handle): the kept compiled query with this call's values
 *    → `executeQuery` (the same driver call, statement cache and query log as the builder's);
 *  - with plugins (e.g. tests/helpers/query-counter.ts): the kept operation tree with this call's
 *    values put back → every plugin's `transformQuery` → compiled afresh → `executeQuery`, which
 *    runs every plugin's `transformResult` — exactly what the builder would have done.
 */
export function prepareQuery<D, P extends unknown[], R>(
  build: (db: Kysely<D>, ...params: P) => Compilable<R> & { toOperationNode(): RootOperationNode },
): PreparedQuery<D, P, R> {
  const kept = new WeakMap<DialectAdapter, Map<string, Compiled>>();
  const arity = build.length - 1;
  const compiledFor = (db: Kysely<D>, params: unknown[]): { c: Compiled; values: unknown[] } => {
    if (params.length !== arity) throw new Error(`prepareQuery: ${params.length} parameters given, ${arity} expected`);
    const key = params.map((p) => (Array.isArray(p) ? p.length : '.')).join(',');
    const values: unknown[] = [];
    for (const p of params)
      if (Array.isArray(p)) values.push(...(p as unknown[]));
      else values.push(p);
    const executor = db.getExecutor();
    let byKey = kept.get(executor.adapter);
    if (!byKey) kept.set(executor.adapter, (byKey = new Map()));
    let c = byKey.get(key);
    if (!c) {
      let n = 0;
      const slots = params.map((p) => (Array.isArray(p) ? p.map(() => new Slot(n++)) : new Slot(n++)));
      const node = build(db.withoutPlugins(), ...(slots as P)).toOperationNode();
      const compiled = executor.compileQuery<R>(node, createQueryId());
      const seen = new Set(compiled.parameters.filter((x) => x instanceof Slot).map((x) => (x as Slot).index));
      for (let i = 0; i < n; i++) if (!seen.has(i)) throw new Error(`prepareQuery: parameter ${i} is not a value of the query`);
      byKey.set(key, (c = { node, compiled }));
    }
    return { c, values };
  };
  return {
    async execute(db, ...params) {
      const { c, values } = compiledFor(db, params);
      const executor = db.getExecutor();
      if (!executor.plugins.length) {
        const parameters = c.compiled.parameters.map((x) => (x instanceof Slot ? values[x.index] : x));
        return (await executor.executeQuery<R>({ ...c.compiled, parameters })).rows;
      }
      const queryId = createQueryId();
      const node = executor.transformQuery(new FillSlots(values).transformNode(c.node, queryId), queryId);
      return (await executor.executeQuery<R>(executor.compileQuery<R>(node, queryId))).rows;
    },
    async executeTakeFirst(db, ...params) {
      return (await this.execute(db, ...params))[0];
    },
  };
}

export interface PreparedQuery<D, P extends unknown[], R> {
  execute(db: Kysely<D>, ...params: P): Promise<R[]>;
  executeTakeFirst(db: Kysely<D>, ...params: P): Promise<R | undefined>;
}

interface Compiled {
  node: RootOperationNode;
  compiled: CompiledQuery;
}

/** Stands for the i-th parameter value (array items counted one by one) in a prepared query. */
class Slot {
  constructor(readonly index: number) {}
}

/** Puts a call's values back in place of the stand-ins, for the plugins to see the real query. */
class FillSlots extends OperationNodeTransformer {
  constructor(private readonly values: readonly unknown[]) {
    super();
  }

  protected override transformValue(node: ValueNode): ValueNode {
    return node.value instanceof Slot ? { ...node, value: this.values[node.value.index] } : node;
  }

  protected override transformPrimitiveValueList(node: PrimitiveValueListNode): PrimitiveValueListNode {
    return node.values.some((v) => v instanceof Slot)
      ? { ...node, values: node.values.map((v) => (v instanceof Slot ? this.values[v.index] : v)) }
      : node;
  }
}
