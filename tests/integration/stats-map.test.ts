/**
 * The national map of provinces: the committed map data has one shape per province of each tree
 * (63 before 01/07/2025, 34 since, the 34 made of the 63 exactly once, the Hoàng Sa and Trường Sa
 * archipelagos drawn within Đà Nẵng and Khánh Hòa); on real databases, every province in force in
 * the seeded tree — the demo provinces, completed to the whole country and reorganised on
 * 01/07/2025 as Nghị quyết 202/2025/QH15 did — matches exactly one shape by its official code
 * (never by name), in the Week's own tree; the shading follows the rate.
 */
import { readFileSync } from 'node:fs';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { editionOn, NO_DATA_FILL, provinceShapes, RATE_CLASSES, rateClass, shapeKey } from '~/components/stats/province-map';
import { PROVINCE_MAP } from '~/components/stats/province-map-data';
import { PROVINCE_MAP_SHAPES } from '~/components/stats/province-map-shapes';
import type { DB } from '~/db/connection';
import { seedProvinceCodes } from '~/db/seed/stats';
import { seedReorganisation2025, seedUnits } from '~/db/seed/units';
import { EDITIONS, spriteFile, spriteSvg } from '~/db/tools/build-province-sprites';
import { childrenOn, createUnit, inForce } from '~/domain/units.server';
import { applyReorganisation } from '~/domain/units/reorganise.server';
import { unwrap } from '~/lib/result';

import { dialects, freshDb } from '../helpers/db';

const pre = PROVINCE_MAP.editions.pre2025 as Record<string, { name: string; d: string }>;
const since = PROVINCE_MAP.editions.since2025 as Record<string, { name: string; from: readonly string[]; d: string }>;
/** x of longitude 110.5° E on the map: the archipelagos lie east of it. */
const X_110_5 = (110.5 - 102.1) * Math.cos((16 * Math.PI) / 180) * 60;
const starts = (d: string) => [...d.matchAll(/M(-?[\d.]+) (-?[\d.]+)/g)].map((m) => Number(m[1]));

describe('the province map data', () => {
  it('has 63 pre-2025 provinces and 34 since, the 34 made of the 63 exactly once', () => {
    expect(Object.keys(pre)).toHaveLength(63);
    expect(Object.keys(since)).toHaveLength(34);
    const from = Object.values(since).flatMap((s) => s.from);
    expect(from).toHaveLength(63);
    expect(new Set(from)).toEqual(new Set(Object.keys(pre)));
    for (const s of [...Object.values(pre), ...Object.values(since)]) expect(s.d).toMatch(/^M\d/);
    // Merged examples: Bắc Kạn into Thái Nguyên; Bình Định and the former Gia Lai into the new Gia Lai (52).
    expect(since['19']!.from).toEqual(expect.arrayContaining(['19', '06']));
    expect(since['52']!.from).toEqual(expect.arrayContaining(['52', '64']));
    expect(since['01']!.from).toEqual(['01']);
    // Small enough to ship with the page.
    expect(JSON.stringify(PROVINCE_MAP).length).toBeLessThan(100_000);
  });

  it('draws Hoàng Sa within Đà Nẵng and Trường Sa within Khánh Hòa, in both trees, and labels them', () => {
    for (const ed of [pre, since]) {
      expect(starts(ed['48']!.d).some((x) => x > X_110_5)).toBe(true);
      expect(starts(ed['56']!.d).some((x) => x > X_110_5)).toBe(true);
      for (const [code, s] of Object.entries(ed))
        if (code !== '48' && code !== '56') expect(starts(s.d).every((x) => x < X_110_5)).toBe(true);
    }
    expect(PROVINCE_MAP.archipelagos.hoangSa.province).toBe('48');
    expect(PROVINCE_MAP.archipelagos.truongSa.province).toBe('56');
    expect(PROVINCE_MAP.archipelagos.hoangSa.x).toBeGreaterThan(X_110_5);
  });

  it('shades by class of the rate, darker for higher rates, grey without a figure', () => {
    expect(rateClass(null)).toBeNull();
    expect(rateClass(0)).toBe(0);
    expect(rateClass(19.9)).toBe(0);
    expect(rateClass(20)).toBe(1);
    expect(rateClass(100)).toBe(4);
    const provinces = Object.keys(since).map((code, i) => ({ code, slug: `p${code}`, name: `P${code}`, rate: i === 0 ? null : i * 3 }));
    const { shapes, unmatched } = provinceShapes('since2025', provinces);
    expect(unmatched).toEqual([]);
    const sorted = [...shapes].filter((s) => s.rate != null).sort((a, b) => a.rate! - b.rate!);
    for (let i = 1; i < sorted.length; i++) expect(sorted[i]!.cls!).toBeGreaterThanOrEqual(sorted[i - 1]!.cls!);
    for (const s of shapes) expect(s.fill).toBe(s.cls == null ? NO_DATA_FILL : RATE_CLASSES[s.cls]!.fill);
    expect(shapes.find((s) => s.key === Object.keys(since)[0])!.fill).toBe(NO_DATA_FILL);
    // The page shades each province (and the legend's swatch) by its class from stats.css: the same colours.
    const css = readFileSync('app/styles/stats.css', 'utf8');
    const cssFill = (cls: string) => new RegExp(`\\.stat-map \\[data-class='${cls}'\\] \\{\\s*--rate-fill: (#[0-9a-f]{6});`).exec(css)?.[1];
    RATE_CLASSES.forEach((c, i) => expect(cssFill(String(i))).toBe(c.fill));
    expect(cssFill('none')).toBe(NO_DATA_FILL);
    // Matched by code, never by name: a unit named like a province but without its code is not drawn.
    const byName = provinceShapes('since2025', [{ code: null, slug: 'x', name: 'Hà Nội', rate: 50 }]);
    expect(byName.unmatched).toHaveLength(1);
    expect(byName.shapes.every((s) => s.rate == null)).toBe(true);
    expect(shapeKey('52/2025')).toBe('52');
    expect(editionOn('2024-10-01')).toBe('pre2025');
    expect(editionOn('2025-07-01')).toBe('since2025');
  });

  it('keeps the geometry in one SVG file per edition, up to date with the map data, each province drawn by reference', () => {
    for (const e of EDITIONS) {
      // The committed files are what the tool makes from the committed data (run it after the data changes).
      const svg = readFileSync(spriteFile(e), 'utf8');
      expect(svg).toBe(spriteSvg(e));
      const shapes = PROVINCE_MAP.editions[e] as Record<string, { name: string; d: string }>;
      for (const [code, shape] of Object.entries(shapes)) {
        expect(svg).toContain(`<path id="p${code}" vector-effect="non-scaling-stroke" d="${shape.d}"/>`);
        expect((PROVINCE_MAP_SHAPES.editions[e] as Record<string, string>)[code]).toBe(shape.name);
      }
      expect(Object.keys(PROVINCE_MAP_SHAPES.editions[e])).toEqual(Object.keys(shapes));
      // No fill in the file: each page shades the province with the <use> element's own fill.
      expect(svg).not.toMatch(/fill=/);
    }
    expect(PROVINCE_MAP_SHAPES.archipelagos).toEqual(PROVINCE_MAP.archipelagos);
    expect([PROVINCE_MAP_SHAPES.width, PROVINCE_MAP_SHAPES.height]).toEqual([PROVINCE_MAP.width, PROVINCE_MAP.height]);
    // The page refers to the shape in its edition's file, and carries no geometry of its own.
    const { shapes } = provinceShapes('since2025', []);
    expect(shapes.find((s) => s.key === '01')!.href).toMatch(/province-map-since2025[^#]*\.svg#p01$/);
    expect(provinceShapes('pre2025', []).shapes.every((s) => /province-map-pre2025[^#]*\.svg#p\d\d$/.test(s.href))).toBe(true);
    expect(JSON.stringify(shapes)).not.toMatch(/"d"|M\d+ \d+l/);
  });
});

describe.each(dialects)('the province map on the seeded tree (%s)', (dialect) => {
  let db: DB;
  let cleanup: () => Promise<void>;
  let root: string;

  beforeAll(async () => {
    ({ db, cleanup } = await freshDb(dialect));
    const units = await seedUnits(db);
    await seedReorganisation2025(db, units);
    await seedProvinceCodes(db);
    root = units.get('bo-gddt')!;
    // The rest of the country: every pre-2025 province the demo lacks, then the 2025 merges.
    const have = new Set(
      (await db.selectFrom('units').select('code').where('kind', '=', 'province').execute()).map((u) => shapeKey(u.code)),
    );
    for (const [code, s] of Object.entries(pre))
      if (!have.has(code)) await createUnit(db, { parentId: root, kind: 'province', slug: `tinh-${code}`, name: `Tỉnh ${s.name}`, code });
    for (const [code, s] of Object.entries(since)) {
      const others = s.from.filter((c) => c !== code);
      if (!others.length) continue;
      const target = await db.selectFrom('units').select(['id', 'valid_to']).where('code', '=', code).executeTakeFirstOrThrow();
      const sources = await db.selectFrom('units').select('id').where('code', 'in', others).where('valid_to', 'is', null).execute();
      if (!sources.length) continue;
      unwrap(
        await applyReorganisation(
          db,
          null,
          { op: 'merge', sourceIds: sources.map((u) => u.id), target: { id: target.id }, on: '2025-07-01' },
          { system: true },
        ),
      );
    }
  });
  afterAll(async () => cleanup?.());

  const provincesOn = async (on: string) =>
    (await childrenOn(db, root, on))
      .filter((u) => u.kind === 'province')
      .map((u, i) => ({ code: u.code, slug: u.slug, name: u.name, rate: (i * 7) % 101 }));

  it.each([
    ['2024-10-01', 'pre2025', 63],
    ['2025-10-01', 'since2025', 34],
  ] as const)('on %s every province in force has exactly one shape (%s, %i)', async (on, edition, n) => {
    expect(editionOn(on)).toBe(edition);
    const provinces = await provincesOn(on);
    expect(provinces).toHaveLength(n);
    const { shapes, unmatched } = provinceShapes(edition, provinces);
    expect(unmatched).toEqual([]);
    expect(shapes).toHaveLength(n);
    // One shape per province, each province on one shape, shaded by its own rate.
    expect(new Set(shapes.map((s) => s.slug)).size).toBe(n);
    for (const p of provinces) {
      const mine = shapes.filter((s) => s.slug === p.slug);
      expect(mine).toHaveLength(1);
      expect(mine[0]!.key).toBe(shapeKey(p.code));
      expect(mine[0]!.fill).toBe(RATE_CLASSES[rateClass(p.rate)!]!.fill);
    }
  });

  it('draws the demo provinces in the Week’s own tree: Bình Định and the former Gia Lai in 2024, the new Gia Lai in 2025', async () => {
    const y2024 = provinceShapes('pre2025', await provincesOn('2024-10-01')).shapes;
    expect(y2024.find((s) => s.key === '52')!.slug).toBe('binh-dinh');
    expect(y2024.find((s) => s.key === '64')!.slug).toBe('gia-lai-truoc-2025');
    expect(y2024.find((s) => s.key === '06')!.slug).toBe('bac-kan');
    const y2025 = provinceShapes('since2025', await provincesOn('2025-10-01')).shapes;
    expect(y2025.find((s) => s.key === '52')!.slug).toBe('gia-lai');
    expect(y2025.find((s) => s.key === '19')!.slug).toBe('thai-nguyen');
    expect(y2025.some((s) => s.slug === 'bac-kan')).toBe(false);
    // inForce is what childrenOn reads: a dissolved province is not in the 2025 tree.
    const dissolved = await db
      .selectFrom('unit_tree_history as h')
      .innerJoin('units as u', 'u.id', 'h.descendant_id')
      .select('u.slug')
      .where('u.slug', '=', 'binh-dinh')
      .where('h.depth', '=', 0)
      .where(inForce('h', '2025-10-01'))
      .execute();
    expect(dissolved).toEqual([]);
  });
});
