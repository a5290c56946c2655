/**
 * The per-process caches added for page speed (issue 10) give the same answers as the uncached
 * code: prepared statements kept per SQL text, and the router's kept matches per pathname
 * (app/patches/@remix-run+router*.patch) — a caller changing its result can't change the next one.
 */
import { createRequire } from 'node:module';

import type * as Router from '@remix-run/router';
import Sqlite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';

import { withStatementCache } from '~/db/connection';

// The server resolves the router as CommonJS (the patched file); load it the same way.
const { matchRoutes } = createRequire(import.meta.url)('@remix-run/router') as typeof Router;

describe('statement cache', () => {
  it('hands back the same statement for the same SQL, a fresh one while it is still iterating, and stays bounded', () => {
    const raw = new Sqlite(':memory:');
    const db = withStatementCache(raw, 3);
    db.prepare('create table t (n integer)').run();
    for (const n of [1, 2, 3]) db.prepare('insert into t values (?)').run(n);
    const a = db.prepare('select n from t order by n');
    expect(db.prepare('select n from t order by n')).toBe(a);
    // A streamed query keeps its statement busy: a nested identical query must get its own.
    const seen: number[][] = [];
    for (const row of a.iterate() as Iterable<{ n: number }>) {
      const inner = db.prepare('select n from t order by n');
      expect(inner).not.toBe(a);
      seen.push((inner.all() as Array<{ n: number }>).map((r) => r.n).concat(row.n));
    }
    expect(seen).toEqual([
      [1, 2, 3, 1],
      [1, 2, 3, 2],
      [1, 2, 3, 3],
    ]);
    // Past the bound the least recently used text is prepared again (a new object), results unchanged.
    for (const q of ['select 1', 'select 2', 'select 3', 'select 4']) db.prepare(q).get();
    const again = db.prepare('select n from t order by n');
    expect(again).not.toBe(a);
    expect((again.all() as Array<{ n: number }>).map((r) => r.n)).toEqual([1, 2, 3]);
    db.close();
  });
});

describe('kept route matches', () => {
  const routes = [
    {
      id: 'root',
      path: '/',
      children: [
        { id: 'home', index: true },
        { id: 'book', path: 'library/:slug' },
        { id: 'page', path: '*' },
      ],
    },
  ];

  it('answers a repeated pathname like the first time, with copies a caller may change', () => {
    const first = matchRoutes(routes, '/library/truyen-kieu')!;
    expect(first.map((m) => m.route.id)).toEqual(['root', 'book']);
    expect(first[1]!.params).toEqual({ slug: 'truyen-kieu' });
    (first[1]!.params as Record<string, string>).slug = 'changed';
    first.pop();
    const second = matchRoutes(routes, '/library/truyen-kieu')!;
    expect(second.map((m) => m.route.id)).toEqual(['root', 'book']);
    expect(second[1]!.params).toEqual({ slug: 'truyen-kieu' });
    expect(matchRoutes(routes, '/')!.map((m) => m.route.id)).toEqual(['root', 'home']);
    expect(matchRoutes(routes, '/x/y')!.at(-1)!.params).toEqual({ '*': 'x/y' });
    // A different routes array (another router) never gets this array's matches.
    const other = [{ id: 'other', path: '/library/:slug' }];
    expect(matchRoutes(other, '/library/truyen-kieu')!.map((m) => m.route.id)).toEqual(['other']);
  });
});
