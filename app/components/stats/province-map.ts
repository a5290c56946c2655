import pre2025Sprite from './province-map-pre2025.svg';
import { PROVINCE_MAP_SHAPES as PROVINCE_MAP } from './province-map-shapes';
import since2025Sprite from './province-map-since2025.svg';

/** Which drawing of the provinces a Week uses: the 63 before the 2025 reform, the 34 since. */
export type MapEdition = keyof typeof PROVINCE_MAP.editions;

/**
 * The file of each edition's geometry (one `<path id="p<code>">` per province, no fill), a
 * fingerprinted asset the browser keeps: the page draws each province with
 * `<use href="<file>#p<code>">` and its own fill, so no page carries the paths
 * (db/tools/build-province-sprites.ts makes the files from province-map-data.ts).
 */
export const MAP_SPRITES: Record<MapEdition, string> = { pre2025: pre2025Sprite, since2025: since2025Sprite };

/** The two-tier tree (34 provinces, Nghị quyết 202/2025/QH15) is in force from this day. */
export const TWO_TIER_FROM = '2025-07-01';

export const editionOn = (day: string): MapEdition => (day >= TWO_TIER_FROM ? 'since2025' : 'pre2025');

/**
 * The map shape a unit's official code stands for. A dissolved province whose code the reform
 * gave to its successor keeps it with the year it was retired (`52/2025`: Bình Định until
 * 30/06/2025), because `units.code` is unique; the suffix is dropped here.
 */
export const shapeKey = (code: string | null | undefined): string | null => (code ? code.replace(/\/\d{4}$/, '') : null);

/**
 * Shading classes of the participation rate (participants per 100 accounts), lowest first: a
 * sequential, colour-blind-safe palette (ColorBrewer "Blues", 5 classes). `min` is inclusive.
 */
export const RATE_CLASSES = [
  { min: 0, max: 20, fill: '#eff3ff' },
  { min: 20, max: 40, fill: '#bdd7e7' },
  { min: 40, max: 60, fill: '#6baed6' },
  { min: 60, max: 80, fill: '#3182bd' },
  { min: 80, max: 100, fill: '#08519c' },
] as const;
/** Provinces without a figure (no unit with that code, or no accounts): light grey, hatched in the legend. */
export const NO_DATA_FILL = '#d9d9d9';

/** The class index (0–4) of a rate, or null without a rate. */
export function rateClass(rate: number | null): number | null {
  if (rate == null || Number.isNaN(rate)) return null;
  const i = RATE_CLASSES.findIndex((c) => rate < c.max);
  return i === -1 ? RATE_CLASSES.length - 1 : i;
}

export interface MapProvince {
  code: string | null;
  slug?: string;
  name: string;
  rate: number | null;
}

export interface MapShape {
  /** The official code of the province in the edition's tree. */
  key: string;
  /** The shape's geometry: `<use href>` of it in the edition's file. */
  href: string;
  name: string;
  /** The unit shown for this shape, when one in the Week's tree carries the code. */
  slug: string | null;
  rate: number | null;
  cls: number | null;
  fill: string;
}

/**
 * One shape per province of the edition, each matched to the province unit whose official code it
 * is (never by name); shapes without a unit are drawn unshaded. Units without a shape are returned
 * apart (`unmatched`), so the page can say so.
 */
export function provinceShapes(edition: MapEdition, provinces: MapProvince[]): { shapes: MapShape[]; unmatched: MapProvince[] } {
  const shapes = PROVINCE_MAP.editions[edition] as Record<string, string>;
  const byKey = new Map<string, MapProvince>();
  const unmatched: MapProvince[] = [];
  for (const p of provinces) {
    const key = shapeKey(p.code);
    if (key && shapes[key] && !byKey.has(key)) byKey.set(key, p);
    else unmatched.push(p);
  }
  return {
    shapes: Object.entries(shapes).map(([key, shapeName]) => {
      const p = byKey.get(key);
      const rate = p?.rate ?? null;
      const cls = rateClass(rate);
      return {
        key,
        href: `${MAP_SPRITES[edition]}#p${key}`,
        name: p?.name ?? shapeName,
        slug: p?.slug ?? null,
        rate,
        cls,
        fill: cls == null ? NO_DATA_FILL : RATE_CLASSES[cls]!.fill,
      };
    }),
    unmatched,
  };
}

export const MAP_SIZE = { width: PROVINCE_MAP.width, height: PROVINCE_MAP.height };
export const ARCHIPELAGOS = PROVINCE_MAP.archipelagos;
