/**
 * Builds `app/components/stats/province-map-data.ts`, the simplified SVG map of Vietnam's
 * provinces drawn on the national statistics page. Run once, by hand, and commit the output:
 *
 *   npx tsx db/tools/build-province-map.ts <diaphantinh.json> [out.ts]
 *
 * Input: the "Địa phận tỉnh" (provincial boundaries) data set of Open Development Mekong
 * (Dept of Survey and Mapping, 2016; 63 provinces, including the Hoàng Sa archipelago within
 * Đà Nẵng and the Trường Sa archipelago within Khánh Hòa), licensed CC BY-SA 4.0 (as recorded by
 * geoBoundaries, VNM ADM1 gbOpen metadata), as the TopoJSON `data/diaphantinh.json` of
 * github.com/phamductu/vietnamese-provincial-icons. The input is not committed here.
 *
 * Steps: decode the topology; project (equirectangular, scaled by cos 16°); simplify every arc
 * once with Douglas–Peucker (shared borders stay shared, so neighbours never gap); draw the 63
 * pre-2025 provinces keyed by their official (GSO) code; dissolve them into the 34 provinces of
 * Nghị quyết 202/2025/QH15 with topojson-client's `merge` (inner borders disappear), keyed by the
 * new official codes; islands too small to see become dots (the two archipelagos always).
 */
import { readFileSync, writeFileSync } from 'node:fs';

import type { MultiPolygon, Polygon, Position } from 'geojson';
import { merge } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';

/** Source `gid` → [official code of the pre-2025 province, its name as spelt in the source]. */
const SOURCE: Record<number, [string, string]> = {
  1: ['89', 'An Giang'],
  2: ['77', 'Bà Rịa -Vũng Tàu'],
  3: ['24', 'Bắc Giang'],
  4: ['06', 'Bắc Kạn'],
  5: ['95', 'Bạc Liêu'],
  6: ['27', 'Bắc Ninh'],
  7: ['83', 'Bến Tre'],
  8: ['52', 'Bình Định'],
  9: ['74', 'Bình Dương'],
  10: ['70', 'Bình Phước'],
  11: ['60', 'Bình Thuận'],
  12: ['96', 'Cà Mau'],
  13: ['92', 'Cần Thơn'],
  14: ['04', 'Cao Bằng'],
  15: ['48', 'Đà Nẵng'],
  16: ['66', 'Đăk Lăk'],
  17: ['67', 'Đăk Nông'],
  18: ['11', 'Điện Biên'],
  19: ['75', 'Đồng Nai'],
  20: ['87', 'Đồng Tháp'],
  21: ['64', 'Gia Lai'],
  22: ['02', 'Hà Giang'],
  23: ['35', 'Hà Nam'],
  24: ['01', 'Hà Nội'],
  25: ['42', 'Hà Tĩnh'],
  26: ['30', 'Hải Dương'],
  27: ['31', 'Hải Phòng'],
  28: ['93', 'Hậu Giang'],
  29: ['17', 'Hòa Bình'],
  30: ['33', 'Hưng Yên'],
  31: ['56', 'Khánh Hòa'],
  32: ['91', 'Kien Giang'],
  33: ['62', 'Kon Tum'],
  34: ['12', 'Lai Châu'],
  35: ['68', 'Lâm Đồng'],
  36: ['20', 'Lạng Sơn'],
  37: ['10', 'Lào Cai'],
  38: ['80', 'Long An'],
  39: ['36', 'Nam Định'],
  40: ['40', 'Nghệ An'],
  41: ['37', 'Ninh Bình'],
  42: ['58', 'Ninh Thuận'],
  43: ['25', 'Phú Thọ'],
  44: ['54', 'Phú Yên'],
  45: ['44', 'Quản Bình'],
  46: ['49', 'Quảng Nam'],
  47: ['51', 'Quảng Ngãi'],
  48: ['22', 'Quảng Ninh'],
  49: ['45', 'Quảng Trị'],
  50: ['94', 'Sóc Trăng'],
  51: ['14', 'Sơn La'],
  52: ['72', 'Tây Ninh'],
  53: ['34', 'Thái Bình'],
  54: ['19', 'Thái Nguyên'],
  55: ['38', 'Thanh Hóa'],
  56: ['46', 'Thừa Thiên Huế'],
  57: ['82', 'Tiền Giang'],
  58: ['79', 'TP. Hồ Chí Minh'],
  59: ['84', 'Trà Vinh'],
  60: ['08', 'Tuyên Quang'],
  61: ['86', 'Vĩnh Long'],
  62: ['26', 'Vĩnh Phúc'],
  63: ['15', 'Yên Bái'],
};

/** Official names (the map's own labels when no unit in the database carries the code). */
const OLD_NAMES: Record<string, string> = {
  '01': 'Hà Nội',
  '02': 'Hà Giang',
  '04': 'Cao Bằng',
  '06': 'Bắc Kạn',
  '08': 'Tuyên Quang',
  '10': 'Lào Cai',
  '11': 'Điện Biên',
  '12': 'Lai Châu',
  '14': 'Sơn La',
  '15': 'Yên Bái',
  '17': 'Hòa Bình',
  '19': 'Thái Nguyên',
  '20': 'Lạng Sơn',
  '22': 'Quảng Ninh',
  '24': 'Bắc Giang',
  '25': 'Phú Thọ',
  '26': 'Vĩnh Phúc',
  '27': 'Bắc Ninh',
  '30': 'Hải Dương',
  '31': 'Hải Phòng',
  '33': 'Hưng Yên',
  '34': 'Thái Bình',
  '35': 'Hà Nam',
  '36': 'Nam Định',
  '37': 'Ninh Bình',
  '38': 'Thanh Hóa',
  '40': 'Nghệ An',
  '42': 'Hà Tĩnh',
  '44': 'Quảng Bình',
  '45': 'Quảng Trị',
  '46': 'Thừa Thiên Huế',
  '48': 'Đà Nẵng',
  '49': 'Quảng Nam',
  '51': 'Quảng Ngãi',
  '52': 'Bình Định',
  '54': 'Phú Yên',
  '56': 'Khánh Hòa',
  '58': 'Ninh Thuận',
  '60': 'Bình Thuận',
  '62': 'Kon Tum',
  '64': 'Gia Lai',
  '66': 'Đắk Lắk',
  '67': 'Đắk Nông',
  '68': 'Lâm Đồng',
  '70': 'Bình Phước',
  '72': 'Tây Ninh',
  '74': 'Bình Dương',
  '75': 'Đồng Nai',
  '77': 'Bà Rịa – Vũng Tàu',
  '79': 'TP. Hồ Chí Minh',
  '80': 'Long An',
  '82': 'Tiền Giang',
  '83': 'Bến Tre',
  '84': 'Trà Vinh',
  '86': 'Vĩnh Long',
  '87': 'Đồng Tháp',
  '89': 'An Giang',
  '91': 'Kiên Giang',
  '92': 'Cần Thơ',
  '93': 'Hậu Giang',
  '94': 'Sóc Trăng',
  '95': 'Bạc Liêu',
  '96': 'Cà Mau',
};

/**
 * Nghị quyết 202/2025/QH15 (in force 12/06/2025; the two-tier tree from 01/07/2025): each of the
 * 34 provinces and centrally-run cities (new official code, name) and the pre-2025 provinces it
 * was formed from (their codes).
 */
const MERGES_2025: Record<string, [name: string, from: string[]]> = {
  '01': ['Hà Nội', ['01']],
  '04': ['Cao Bằng', ['04']],
  '08': ['Tuyên Quang', ['08', '02']],
  '11': ['Điện Biên', ['11']],
  '12': ['Lai Châu', ['12']],
  '14': ['Sơn La', ['14']],
  '15': ['Lào Cai', ['10', '15']],
  '19': ['Thái Nguyên', ['19', '06']],
  '20': ['Lạng Sơn', ['20']],
  '22': ['Quảng Ninh', ['22']],
  '24': ['Bắc Ninh', ['27', '24']],
  '25': ['Phú Thọ', ['25', '26', '17']],
  '31': ['Hải Phòng', ['31', '30']],
  '33': ['Hưng Yên', ['33', '34']],
  '37': ['Ninh Bình', ['37', '35', '36']],
  '38': ['Thanh Hóa', ['38']],
  '40': ['Nghệ An', ['40']],
  '42': ['Hà Tĩnh', ['42']],
  '44': ['Quảng Trị', ['45', '44']],
  '46': ['Huế', ['46']],
  '48': ['Đà Nẵng', ['48', '49']],
  '51': ['Quảng Ngãi', ['51', '62']],
  '52': ['Gia Lai', ['64', '52']],
  '56': ['Khánh Hòa', ['56', '58']],
  '66': ['Đắk Lắk', ['66', '54']],
  '68': ['Lâm Đồng', ['68', '67', '60']],
  '75': ['Đồng Nai', ['75', '70']],
  '79': ['TP. Hồ Chí Minh', ['79', '74', '77']],
  '80': ['Tây Ninh', ['72', '80']],
  '82': ['Đồng Tháp', ['82', '87']],
  '86': ['Vĩnh Long', ['86', '83', '84']],
  '91': ['An Giang', ['89', '91']],
  '92': ['Cần Thơ', ['92', '94', '93']],
  '96': ['Cà Mau', ['96', '95']],
};

const K = 60; // units per degree of latitude
const LON0 = 102.1;
const LAT_MAX = 23.45;
const COS = Math.cos((16 * Math.PI) / 180);
const W = Math.ceil((117.1 - LON0) * COS * K);
const H = Math.ceil((LAT_MAX - 6.9) * K);
const TOLERANCE = 1.6; // Douglas–Peucker tolerance, in map units (the map is drawn ~360–520 px wide: ~0.5 px)
const MIN_AREA = 40; // rings smaller than this (map units²) become a dot
const DOT_GRID = 14; // at most one dot per cell of this size
const ARCHIPELAGO_LON = 110.5; // east of this: Hoàng Sa and Trường Sa

const project = ([lon, lat]: Position): Position => [(lon! - LON0) * COS * K, (LAT_MAX - lat!) * K];

function douglasPeucker(pts: Position[], tol: number): Position[] {
  if (pts.length <= 2) return pts;
  const keep = new Uint8Array(pts.length);
  keep[0] = keep[pts.length - 1] = 1;
  const stack: [number, number][] = [[0, pts.length - 1]];
  while (stack.length) {
    const [a, b] = stack.pop()!;
    const [ax, ay] = pts[a]! as [number, number];
    const [bx, by] = pts[b]! as [number, number];
    const dx = bx - ax;
    const dy = by - ay;
    const len = Math.hypot(dx, dy);
    let best = -1;
    let bestD = tol;
    for (let i = a + 1; i < b; i++) {
      const [px, py] = pts[i]! as [number, number];
      const d = len === 0 ? Math.hypot(px - ax, py - ay) : Math.abs(dy * px - dx * py + bx * ay - by * ax) / len;
      if (d > bestD) {
        bestD = d;
        best = i;
      }
    }
    if (best > 0) {
      keep[best] = 1;
      stack.push([a, best], [best, b]);
    }
  }
  return pts.filter((_, i) => keep[i]);
}

function ringArea(r: Position[]): number {
  let s = 0;
  for (let i = 0, j = r.length - 1; i < r.length; j = i++) s += (r[j]![0]! + r[i]![0]!) * (r[j]![1]! - r[i]![1]!);
  return Math.abs(s / 2);
}

type Dot = { x: number; y: number };

/** One path string for a (Multi)Polygon in map units; small rings become dots (collected, deduplicated per grid cell). */
function pathOf(geom: Polygon | MultiPolygon, dots: Dot[]): string {
  const polys = geom.type === 'Polygon' ? [geom.coordinates] : geom.coordinates;
  const seen = new Set<string>();
  let d = '';
  for (const poly of polys) {
    const outer = poly[0]!;
    const area = ringArea(outer);
    const cx = outer.reduce((s, p) => s + p[0]!, 0) / outer.length;
    const cy = outer.reduce((s, p) => s + p[1]!, 0) / outer.length;
    const archipelago = cx / (COS * K) + LON0 > ARCHIPELAGO_LON;
    if (area < MIN_AREA || archipelago) {
      const key = `${Math.round(cx / DOT_GRID)},${Math.round(cy / DOT_GRID)}`;
      if (seen.has(key)) continue;
      seen.add(key);
      // Only islands off the coast get a dot; the archipelagos always do.
      if (archipelago || area > 2) dots.push({ x: Math.round(cx), y: Math.round(cy) });
      continue;
    }
    for (const ring of poly) {
      if (ring !== outer && ringArea(ring) < MIN_AREA) continue;
      const pts = ring.map((p) => [Math.round(p[0]!), Math.round(p[1]!)]);
      const clean = pts.filter((p, i) => i === 0 || p[0] !== pts[i - 1]![0] || p[1] !== pts[i - 1]![1]);
      if (clean.length < 4) continue;
      d += `M${clean[0]![0]} ${clean[0]![1]}`;
      for (let i = 1; i < clean.length - 1; i++) {
        const dx = clean[i]![0]! - clean[i - 1]![0]!;
        const dy = clean[i]![1]! - clean[i - 1]![1]!;
        d += `l${dx} ${dy}`.replace(/ -/g, '-');
      }
      d += 'z';
    }
  }
  return d;
}

function dotsPath(dots: Dot[]): string {
  // A dot is a small square (2.4 units): visible at 360 px and cheap.
  return dots.map((p) => `M${p.x - 1.2} ${p.y - 1.2}h2.4v2.4h-2.4z`).join('');
}

function main() {
  const [input, out = 'app/components/stats/province-map-data.ts'] = process.argv.slice(2);
  if (!input) throw new Error('usage: tsx db/tools/build-province-map.ts <diaphantinh.json> [out.ts]');
  const topo = JSON.parse(readFileSync(input, 'utf8')) as Topology;
  const object = topo.objects['diaphantinh'] as GeometryCollection<{ gid: number; ten_tinh: string }>;
  if (object.geometries.length !== 63) throw new Error(`expected 63 provinces, got ${object.geometries.length}`);

  // Decode (quantised, delta-encoded) arcs, project, simplify each arc once.
  const [sx, sy] = topo.transform!.scale;
  const [tx, ty] = topo.transform!.translate;
  const arcs = topo.arcs.map((arc) => {
    let x = 0;
    let y = 0;
    const pts = arc.map(([dx, dy]) => {
      x += dx!;
      y += dy!;
      return project([x * sx + tx, y * sy + ty]);
    });
    return douglasPeucker(pts, TOLERANCE);
  });
  const flat: Topology = { type: 'Topology', arcs, objects: topo.objects };

  const codes = new Set<string>();
  const byCode = new Map<string, (typeof object.geometries)[number]>();
  for (const g of object.geometries) {
    const props = g.properties as { gid: number; ten_tinh: string };
    const entry = SOURCE[props.gid];
    if (!entry || entry[1] !== props.ten_tinh) throw new Error(`unexpected source province ${JSON.stringify(g.properties)}`);
    if (codes.has(entry[0])) throw new Error(`duplicate code ${entry[0]}`);
    codes.add(entry[0]);
    byCode.set(entry[0], g);
  }
  const merged = Object.values(MERGES_2025).flatMap(([, from]) => from);
  if (merged.length !== 63 || new Set(merged).size !== 63 || !merged.every((c) => codes.has(c)))
    throw new Error('MERGES_2025 must use each of the 63 pre-2025 provinces exactly once');

  const archipelagoDots = { hoangSa: [] as Dot[], truongSa: [] as Dot[] };
  const edition = (groups: [code: string, name: string, from: string[]][]) => {
    const outShapes: Record<string, { name: string; from: string[]; d: string }> = {};
    for (const [code, name, from] of groups) {
      const geom = merge(flat, from.map((c) => byCode.get(c)!) as never) as MultiPolygon;
      const dots: Dot[] = [];
      const d = pathOf(geom, dots);
      const east = dots.filter((p) => p.x / (COS * K) + LON0 > ARCHIPELAGO_LON);
      if (code === '48' && east.length) archipelagoDots.hoangSa = east;
      if (code === '56' && east.length) archipelagoDots.truongSa = east;
      outShapes[code] = { name, from, d: d + dotsPath(dots) };
    }
    return outShapes;
  };
  const pre2025 = edition([...codes].sort().map((c) => [c, OLD_NAMES[c]!, [c]]));
  const since2025 = edition(Object.entries(MERGES_2025).map(([c, [name, from]]) => [c, name, from]));

  const label = (dots: Dot[]) => {
    const xs = dots.map((p) => p.x);
    const ys = dots.map((p) => p.y);
    return { x: Math.round((Math.min(...xs) + Math.max(...xs)) / 2), y: Math.min(...ys) - 10 };
  };
  if (!archipelagoDots.hoangSa.length || !archipelagoDots.truongSa.length) throw new Error('archipelagos missing');

  const body = `/* Generated by db/tools/build-province-map.ts — do not edit by hand.
 * Provincial boundaries: Open Development Mekong, "Địa phận tỉnh" (Dept of Survey and Mapping, 2016),
 * CC BY-SA 4.0; simplified, projected and dissolved into the 2025 provinces for this map (same licence). */
export const PROVINCE_MAP = ${JSON.stringify(
    {
      width: W,
      height: H,
      archipelagos: {
        hoangSa: { province: '48', ...label(archipelagoDots.hoangSa) },
        truongSa: { province: '56', ...label(archipelagoDots.truongSa) },
      },
      editions: { pre2025, since2025 },
    },
    null,
    1,
  )} as const;
`;
  writeFileSync(out, body);
  console.log(`wrote ${out}: ${body.length} bytes, ${Object.keys(pre2025).length} + ${Object.keys(since2025).length} shapes`);
}

main();
