/**
 * Units with history on real databases: the tree in force on a date, merges with lineage, roles
 * carried to successors, Week roll-ups that follow the tree of their own year, the reorganisation
 * tool's checks, and the official-list importer (per-row errors, all or nothing).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { DB } from '~/db/connection';
import { seedAccounts } from '~/db/seed/accounts';
import { REORGANISATION_2025_DATE, seedReorganisation2025, seedUnits } from '~/db/seed/units';
import { hasRole, unitsWithAnyRole } from '~/domain/accounts.server';
import { childPlanCounts, ensurePlan, publishedPlanTree, setPlanStatus } from '~/domain/plans.server';
import { ancestorsOn, currentSuccessor, isInForce, lineageOf, listUnits, treeOnDate } from '~/domain/units.server';
import { importUnits } from '~/domain/units/import.server';
import { applyReorganisation, previewReorganisation } from '~/domain/units/reorganise.server';
import { createWeek, readWeekFiles, syncWeeksFromContent } from '~/domain/weeks.server';

import { dialects, freshDb } from '../helpers/db';

describe.each(dialects)('units with history on %s', (dialect) => {
  let db: DB;
  let cleanup: () => Promise<void>;
  let units: Map<string, string>;
  let users: Map<string, string>;
  const u = (slug: string) => {
    const id = units.get(slug);
    if (!id) throw new Error(`no unit ${slug}`);
    return id;
  };
  const slugsOf = async (rows: Array<{ slug: string }>) => rows.map((r) => r.slug);

  beforeAll(async () => {
    ({ db, cleanup } = await freshDb(dialect));
    await syncWeeksFromContent(db);
    const w = readWeekFiles().find((x) => x.year === 2024)!;
    const { origin: _o, content_hash: _h, updated_at: _u, ...input } = w;
    await createWeek(db, { ...input, year: 2026, starts_on: '2026-10-01', ends_on: '2026-10-07', opening_at: '2026-10-01T01:00:00.000Z' });
    units = await seedUnits(db);
    users = await seedAccounts(db, units);
    units = await seedReorganisation2025(db, units);
  });
  afterAll(async () => {
    await cleanup?.();
  });

  it('the tree in force on a date: the 2024 tree with districts, the 2026 tree with wards under the province', async () => {
    const y2024 = await treeOnDate(db, '2024-10-01');
    const y2026 = await treeOnDate(db, '2026-10-01');
    const parent2024 = new Map(y2024.map((x) => [x.slug, x.parent_on]));
    const parent2026 = new Map(y2026.map((x) => [x.slug, x.parent_on]));
    expect(parent2024.get('bien-giang')).toBe(u('ha-dong'));
    expect(parent2024.get('thcs-bien-giang')).toBe(u('bien-giang'));
    expect(parent2024.has('phuong-ha-dong')).toBe(false);
    expect(parent2024.has('bac-kan')).toBe(true);
    expect(parent2026.get('thcs-bien-giang')).toBe(u('phuong-ha-dong'));
    expect(parent2026.get('phuong-ha-dong')).toBe(u('ha-noi'));
    for (const gone of ['bien-giang', 'van-phuc', 'ha-dong', 'bac-kan', 'binh-dinh', 'tp-thai-nguyen', 'quy-nhon'])
      expect(parent2026.has(gone)).toBe(false);
    // No district is left on or after 1 July 2025.
    expect(y2026.filter((x) => x.kind === 'district')).toEqual([]);
    expect((await treeOnDate(db, '2025-06-30')).some((x) => x.slug === 'bien-giang')).toBe(true);
    expect(await isInForce(db, u('bien-giang'), REORGANISATION_2025_DATE)).toBe(false);
    // Tree order: each unit right after its parent's subtree begins, not "depth then name".
    const order = y2026.map((x) => x.slug);
    expect(order.indexOf('phuong-ha-dong')).toBeGreaterThan(order.indexOf('ha-noi'));
    expect(order.indexOf('thcs-bien-giang')).toBeLessThan(order.indexOf('thai-nguyen'));
    // Past breadcrumb vs today's.
    expect(await slugsOf(await ancestorsOn(db, u('thcs-bien-giang'), '2024-10-01'))).toEqual([
      'bo-gddt',
      'ha-noi',
      'ha-dong',
      'bien-giang',
      'thcs-bien-giang',
    ]);
    expect(await slugsOf(await ancestorsOn(db, u('thcs-bien-giang'), '2026-10-01'))).toEqual([
      'bo-gddt',
      'ha-noi',
      'phuong-ha-dong',
      'thcs-bien-giang',
    ]);
  });

  it('pickers list only the current tree, in Vietnamese tree order', async () => {
    const list = await listUnits(db);
    const slugs = list.map((x) => x.slug);
    expect(slugs).not.toContain('bien-giang');
    expect(slugs).toContain('phuong-ha-dong');
    const i = slugs.indexOf('phuong-ha-dong');
    expect(list[i + 1]!.level).toBe(list[i]!.level + 1); // its children follow it
    // "Đại học Thái Nguyên" and the ward of the same province stay under Thái Nguyên, after it.
    expect(slugs.indexOf('dh-thai-nguyen')).toBeGreaterThan(slugs.indexOf('thai-nguyen'));
  });

  it('merges keep their lineage', async () => {
    const lineage = await lineageOf(db, u('phuong-ha-dong'));
    expect(lineage.map((l) => [l.predecessor_slug, l.kind, l.effective_on]).sort()).toEqual([
      ['bien-giang', 'merged_into', '2025-07-01'],
      ['van-phuc', 'merged_into', '2025-07-01'],
    ]);
    expect(await currentSuccessor(db, u('bien-giang'))).toBe(u('phuong-ha-dong'));
    expect(await currentSuccessor(db, u('so-gddt-binh-dinh'))).toBe(u('so-gddt-gia-lai'));
    expect((await lineageOf(db, u('so-gddt-gia-lai')))[0]!.kind).toBe('renamed_to');
  });

  it('roles on dissolved units carried over to the successor, logged, and still reach past records', async () => {
    const bg = users.get('bantochuc.biengiang@demo.hoctap.vn')!;
    const grants = await db.selectFrom('role_grants').select(['unit_id', 'role']).where('user_id', '=', bg).execute();
    expect(grants).toEqual([{ unit_id: u('phuong-ha-dong'), role: 'organiser' }]);
    const log = await db.selectFrom('unit_changes').selectAll().where('kind', '=', 'role_carried').where('user_id', '=', bg).execute();
    expect(log).toHaveLength(1);
    expect(log[0]!.other_unit_id).toBe(u('bien-giang'));
    expect(await hasRole(db, bg, u('thcs-bien-giang'), 'organiser')).toBe(true);
    expect(await hasRole(db, bg, u('bien-giang'), 'organiser')).toBe(true); // the 2024 plan stays hers
    expect(await hasRole(db, bg, u('ha-noi'), 'organiser')).toBe(false);
    const bd = users.get('bantochuc.binhdinh@demo.hoctap.vn')!;
    expect(await hasRole(db, bd, u('dh-quy-nhon'), 'organiser')).toBe(true);
    expect(await hasRole(db, bd, u('thcs-tan-thinh'), 'organiser')).toBe(false);
    // Re-running the seed does not grant the role on the dissolved unit again.
    await seedAccounts(db, units);
    expect(await db.selectFrom('role_grants').select('unit_id').where('user_id', '=', bg).execute()).toHaveLength(1);
    // unitsWithAnyRole (pickers of "my units") still works through the one indexed join.
    const mine = await unitsWithAnyRole(db, bd, ['organiser']).execute();
    expect(mine.map((x) => x.slug)).toContain('gia-lai');
  });

  it('roll-ups follow the tree of the Week: a 2024 Week and a 2026 Week over the same school', async () => {
    const admin = users.get('admin@demo.hoctap.vn')!;
    for (const year of [2024, 2026]) {
      const p = await ensurePlan(db, u('thcs-bien-giang'), year, admin);
      await setPlanStatus(db, p.id, 'published');
    }
    const c2024 = await childPlanCounts(db, u('ha-noi'), 2024);
    const c2026 = await childPlanCounts(db, u('ha-noi'), 2026);
    expect(c2024.find((c) => c.slug === 'ha-dong')?.planCount).toBe(1);
    expect(c2024.some((c) => c.slug === 'phuong-ha-dong')).toBe(false);
    expect(c2026.find((c) => c.slug === 'phuong-ha-dong')?.planCount).toBe(1);
    expect(c2026.some((c) => c.slug === 'ha-dong')).toBe(false);
    const bg2024 = await childPlanCounts(db, u('bien-giang'), 2024);
    expect(bg2024.find((c) => c.slug === 'thcs-bien-giang')?.status).toBe('published');
    const tree2024 = await publishedPlanTree(db, 2024);
    const hn2024 = tree2024[0]!.children.find((n) => n.slug === 'ha-noi');
    expect(hn2024?.planCount).toBe(1);
    const tree2026 = await publishedPlanTree(db, 2026);
    expect(tree2026[0]!.children.find((n) => n.slug === 'ha-noi')?.planCount).toBe(1);
  });

  it('a reorganisation is previewed, checked and applied in one go', async () => {
    const hn = users.get('bantochuc.hanoi@demo.hoctap.vn')!;
    const tn = users.get('bantochuc.thainguyen@demo.hoctap.vn')!;
    const on = '2026-11-01';
    const r = {
      op: 'merge' as const,
      sourceIds: [u('phuong-ha-dong')],
      target: {
        create: {
          name: 'Phường Thử Nghiệm',
          nameEn: null,
          slug: 'phuong-thu-nghiem',
          kind: 'ward' as const,
          parentId: u('ha-noi'),
          code: null,
        },
      },
      on,
    };
    expect(await previewReorganisation(db, tn, r)).toMatchObject({ ok: false, code: 'forbidden' });
    const preview = await previewReorganisation(db, hn, r);
    if (!preview.ok) throw new Error(preview.code);
    expect(preview.value.moved.map((m) => m.name).sort()).toContain('Trường THCS Biên Giang');
    expect(preview.value.roles.map((x) => x.email)).toEqual(['bantochuc.biengiang@demo.hoctap.vn']);
    // Preview changed nothing.
    expect(await isInForce(db, u('phuong-ha-dong'), '2026-11-30')).toBe(true);
    expect(await previewReorganisation(db, hn, { ...r, on: '2025-01-01' })).toMatchObject({ ok: false, code: 'date_order' });
    expect(await previewReorganisation(db, hn, { op: 'move', unitId: u('ha-noi'), parentId: u('thcs-bien-giang'), on })).toMatchObject({
      ok: false,
      code: 'cycle',
    });
    expect(await previewReorganisation(db, hn, { ...r, target: { create: { ...r.target.create, slug: 'ha-noi' } } })).toMatchObject({
      ok: false,
      code: 'slug_taken',
    });
    const applied = await applyReorganisation(db, hn, r);
    if (!applied.ok) throw new Error(applied.code);
    const newId = applied.value.targetId;
    expect(await isInForce(db, u('phuong-ha-dong'), '2026-11-30')).toBe(false);
    expect(await isInForce(db, u('phuong-ha-dong'), '2026-10-31')).toBe(true);
    const parentNow = (await treeOnDate(db, '2026-11-30')).find((x) => x.slug === 'thcs-bien-giang')?.parent_on;
    expect(parentNow).toBe(newId);
    // The 2026 Week (which began before the change) still rolls up under Phường Hà Đông.
    expect((await childPlanCounts(db, u('ha-noi'), 2026)).find((c) => c.slug === 'phuong-ha-dong')?.planCount).toBe(1);
    // And the 2024 Week still under Quận Hà Đông.
    expect((await childPlanCounts(db, u('ha-noi'), 2024)).find((c) => c.slug === 'ha-dong')?.planCount).toBe(1);
    const bg = users.get('bantochuc.biengiang@demo.hoctap.vn')!;
    expect(await hasRole(db, bg, newId, 'organiser')).toBe(true);
    expect(await hasRole(db, bg, u('bien-giang'), 'organiser')).toBe(true);
    // A move with its children.
    const mv = await applyReorganisation(db, hn, { op: 'move', unitId: u('th-bien-giang'), parentId: u('ha-noi'), on: '2026-11-15' });
    expect(mv.ok).toBe(true);
    expect((await ancestorsOn(db, u('th-bien-giang'), '2026-11-20')).map((a) => a.slug)).toEqual(['bo-gddt', 'ha-noi', 'th-bien-giang']);
    expect((await ancestorsOn(db, u('th-bien-giang'), '2026-11-10')).map((a) => a.slug)).toEqual([
      'bo-gddt',
      'ha-noi',
      'phuong-thu-nghiem',
      'th-bien-giang',
    ]);
  });

  it('the importer reports every bad row with its line and imports nothing', async () => {
    const before = await db
      .selectFrom('units')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    const tn = users.get('bantochuc.thainguyen@demo.hoctap.vn')!;
    const csv = [
      'code,name,kind,parent_code,valid_from',
      '05443,Phường Phan Đình Phùng B,phường,thai-nguyen,01/07/2025',
      '05443,"Xã Trùng, mã",xã,thai-nguyen,01/07/2025',
      '99001,Xã Lạ,huyện lỵ,thai-nguyen,01/07/2025',
      '99002,Xã Sai Ngày,xã,thai-nguyen,31/02/2025',
      '99003,Trường Mồ Côi,school,99999,01/07/2025',
      '99004,Xã Hà Nội,xã,ha-noi,01/07/2025',
      '99005,,xã,thai-nguyen,01/07/2025',
      '99006,Thiếu cột,xã',
    ].join('\n');
    const r = await importUnits(db, tn, csv);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => [e.line, e.field, e.code])).toEqual([
      [3, 'code', 'duplicate_code'],
      [4, 'kind', 'bad_kind'],
      [5, 'valid_from', 'bad_date'],
      [6, 'parent_code', 'parent_missing'],
      [7, 'parent_code', 'forbidden'],
      [8, 'name', 'required'],
      [9, 'row', 'columns'],
    ]);
    const after = await db
      .selectFrom('units')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('a clean official list loads in one go, parents from the file or already loaded', async () => {
    const tn = users.get('bantochuc.thainguyen@demo.hoctap.vn')!;
    const csv = [
      '\uFEFFmã,tên,loại,mã cấp trên,hiệu lực từ',
      '05450,Trường THCS Quang Trung,school,05449,2025-07-01',
      '05449,Phường Gia Sàng (thử),ward,thai-nguyen,01/07/2025',
    ].join('\r\n');
    const r = await importUnits(db, tn, csv);
    expect(r).toMatchObject({ ok: true, created: 2 });
    const tree = await treeOnDate(db, '2025-07-01');
    const school = tree.find((x) => x.code === '05450')!;
    const ward = tree.find((x) => x.code === '05449')!;
    expect(school.parent_on).toBe(ward.id);
    expect(ward.parent_on).toBe(u('thai-nguyen'));
    expect(tree.some((x) => x.code === '05449' && x.valid_from === '2025-07-01')).toBe(true);
    expect((await treeOnDate(db, '2025-06-30')).some((x) => x.code === '05449')).toBe(false);
    // Loading the same codes again is refused row by row.
    const again = await importUnits(db, tn, csv);
    expect(again.ok ? [] : again.errors.map((e) => e.code)).toEqual(['code_exists', 'code_exists']);
  });
});
