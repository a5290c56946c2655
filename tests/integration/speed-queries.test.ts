/**
 * Queries per page stay constant as data grows (issue 10): the OPDS "new" feed reads every
 * entry's availability in one batched query, and the header's user data (session, user, roles)
 * is one query. Counted with tests/helpers/query-counter.ts.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { DB } from '~/db/connection';

import { borrow } from '../../app/domain/library/circulation.server';
import { acquisitionFeed, type FeedText } from '../../app/domain/library/opds.server';
import { getT } from '../../app/i18n/i18n.server';
import { createSessionCookie, getAuth } from '../../app/lib/auth.server';
import { runWithRequestContext } from '../../app/lib/observability/log.server';
import { dialects, freshDb } from '../helpers/db';
import { countQueries } from '../helpers/query-counter';
import { libraryWorld } from './library-fixtures';

const t = getT('vi');
const text: FeedText = { t: (k, o) => t(k, { ...o, interpolation: { escapeValue: false } }), locale: 'vi' };

describe.each(dialects)('queries per page (%s)', (dialect) => {
  let db: DB;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ db, cleanup } = await freshDb(dialect));
  });
  afterEach(async () => cleanup());

  it('the OPDS "new" feed costs the same number of queries for 3 titles as for 20, and shows the same availability', async () => {
    const w = await libraryWorld(db);
    const reader = await w.user();
    const feedQueries = async () => {
      const q = countQueries(db);
      const xml = await acquisitionFeed(q.db, 'https://x.vn', { kind: 'new' }, 1, text);
      return { n: q.count(), xml };
    };
    const first = [];
    for (let i = 0; i < 3; i++) first.push(await w.title(`Sách ${i}`, w.libA.id, 2));
    // Titles need a file to show acquisition links.
    await db.updateTable('lib_titles').set({ file_path: 'x.epub', file_size: 1 }).execute();
    const small = await feedQueries();
    for (let i = 3; i < 20; i++) await w.title(`Sách ${i}`, w.libA.id, 2);
    await db.updateTable('lib_titles').set({ file_path: 'x.epub', file_size: 1 }).execute();
    const r = await borrow(db, reader, first[0]!.holdingId);
    expect(r.ok).toBe(true);
    const large = await feedQueries();
    expect(large.n).toBe(small.n);
    expect(large.n).toBeGreaterThanOrEqual(2); // the page of titles, then every availability at once
    expect(large.n).toBeLessThanOrEqual(3);
    expect(large.xml.match(/<entry>/g)?.length).toBe(20);
    // The borrowed copy shows: 1 of 2 available for that title, 2 of 2 elsewhere.
    expect(large.xml).toContain('<opds:copies total="2" available="1"/>');
    expect(large.xml.match(/<opds:copies total="2" available="2"\/>/g)?.length).toBe(19);
  });

  it("the header's user data (session, user, roles) is one query", async () => {
    const w = await libraryWorld(db);
    const userId = await w.user('Người đọc');
    await db
      .insertInto('role_grants')
      .values({ id: 'g1', user_id: userId, unit_id: w.libA.id, role: 'librarian', granted_by: null, created_at: new Date().toISOString() })
      .execute();
    const cookie = (await createSessionCookie(userId, db)).split(';')[0]!;
    const q = countQueries(db);
    const auth = await getAuth(new Request('http://x.vn/', { headers: { Cookie: cookie } }), q.db);
    expect(auth.user?.displayName).toBe('Người đọc');
    expect(auth.user?.roles).toEqual(['librarian']);
    expect(q.count()).toBe(1);
  });

  it("a page's root and route loaders (each handed its own copy of the request) share one session lookup", async () => {
    const w = await libraryWorld(db);
    const userId = await w.user();
    const cookie = (await createSessionCookie(userId, db)).split(';')[0]!;
    const q = countQueries(db);
    (globalThis as unknown as { __appDb?: DB }).__appDb = q.db;
    const copy = () => new Request('http://x.vn/library', { headers: { Cookie: cookie } });
    const [root, route] = await runWithRequestContext({ reqId: 'r1' }, () => Promise.all([getAuth(copy()), getAuth(copy())]));
    expect(root.user?.id).toBe(userId);
    expect(route.user?.id).toBe(userId);
    expect(q.count()).toBe(1);
    // Another request reads the session again.
    await runWithRequestContext({ reqId: 'r2' }, () => getAuth(copy()));
    expect(q.count()).toBe(2);
  });
});
