/**
 * Share cards: the 1200×630 PNG that Facebook, Zalo and Twitter show for a Week or a unit's plan
 * (Open Graph image). Laid out with satori (flexbox to SVG, text shaped with the bundled Be Vietnam
 * Pro font, so Vietnamese diacritics never depend on the machine's fonts), then rasterised by
 * resvg. A card takes ~200 ms: each is cached on disk under DATA_DIR/cache/share-cards, named by a
 * hash of everything drawn on it, so a changed theme, unit name or date gives a new file and an
 * unchanged card is read back.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';

import { Resvg } from '@resvg/resvg-js';
import type satoriFn from 'satori';

import { formatDate } from '~/lib/dates';
import { getEnv } from '~/lib/env.server';

import { weekColours } from './palette';

export const CARD_WIDTH = 1200;
export const CARD_HEIGHT = 630;
const LAYOUT_VERSION = 2;
const FAMILY = 'Be Vietnam Pro';

export interface CardInput {
  year: number;
  /** The eyebrow line ("Tuần lễ hưởng ứng học tập suốt đời 2024"). */
  eyebrow: string;
  theme: string;
  /** The unit whose plan it is; null for the Week's own card. */
  unitName: string | null;
  startsOn: string;
  endsOn: string;
  siteName: string;
}

let fontData: Array<{ name: string; data: Buffer; weight: 400 | 700; style: 'normal' }> | null = null;

async function fonts() {
  if (!fontData) {
    const req = createRequire(path.join(process.cwd(), 'package.json'));
    const [regular, bold] = await Promise.all([
      fs.readFile(req.resolve('@expo-google-fonts/be-vietnam-pro/400Regular/BeVietnamPro_400Regular.ttf')),
      fs.readFile(req.resolve('@expo-google-fonts/be-vietnam-pro/700Bold/BeVietnamPro_700Bold.ttf')),
    ]);
    fontData = [
      { name: FAMILY, data: regular, weight: 400, style: 'normal' },
      { name: FAMILY, data: bold, weight: 700, style: 'normal' },
    ];
  }
  return fontData;
}

type Node = { type: string; props: { style?: Record<string, unknown>; children?: Node | string | Array<Node | string> } };
const h = (style: Record<string, unknown>, children: Node['props']['children']): Node => ({ type: 'div', props: { style, children } });

/** The card as satori nodes (a plain object tree: the domain has no JSX). */
function layout(c: CardInput): Node {
  const { primary, accent } = weekColours(c.year);
  const themeSize = c.theme.length <= 50 ? 64 : c.theme.length <= 90 ? 54 : 44;
  // The outer box is the canvas; the inner one grows to fill it, so its padding and border stay inside.
  return h({ width: CARD_WIDTH, height: CARD_HEIGHT, display: 'flex', backgroundColor: primary }, [
    h(
      {
        flexGrow: 1,
        display: 'flex',
        flexDirection: 'column',
        justifyContent: 'space-between',
        color: '#ffffff',
        fontFamily: FAMILY,
        padding: '52px 64px 44px 56px',
        borderLeft: `24px solid ${accent}`,
      },
      [
        h({ display: 'flex', fontSize: 28, fontWeight: 700, color: accent, textTransform: 'uppercase', letterSpacing: 1 }, c.eyebrow),
        h(
          { display: 'flex', fontSize: themeSize, fontWeight: 700, lineHeight: 1.2, maxHeight: themeSize * 1.2 * 4, overflow: 'hidden' },
          c.theme,
        ),
        h({ display: 'flex', flexDirection: 'column' }, [
          h({ display: 'flex', width: 160, height: 8, backgroundColor: accent, marginBottom: 20 }, []),
          ...(c.unitName ? [h({ display: 'flex', fontSize: 34, fontWeight: 700 }, c.unitName)] : []),
          h({ display: 'flex', justifyContent: 'space-between', fontSize: 30, marginTop: 8 }, [
            h({ display: 'flex' }, `${formatDate(c.startsOn)} – ${formatDate(c.endsOn)}`),
            h({ display: 'flex', color: accent }, c.siteName),
          ]),
        ]),
      ],
    ),
  ]);
}

/** Renders a card to PNG (no cache). */
export async function renderShareCard(c: CardInput): Promise<Buffer> {
  // satori loads on the first card drawn (~1 s of start-up that every server start and test paid).
  const { default: satori } = await import('satori');
  const svg = await satori(layout(c) as unknown as Parameters<typeof satoriFn>[0], {
    width: CARD_WIDTH,
    height: CARD_HEIGHT,
    fonts: await fonts(),
  });
  return new Resvg(svg, { fitTo: { mode: 'original' }, font: { loadSystemFonts: false } }).render().asPng();
}

/** The card's PNG, from the disk cache when this exact card was drawn before. */
export async function shareCardPng(c: CardInput, dataDir = getEnv().DATA_DIR): Promise<{ png: Buffer; etag: string }> {
  const hash = createHash('sha256')
    .update(JSON.stringify([LAYOUT_VERSION, c]))
    .digest('hex')
    .slice(0, 32);
  const dir = path.join(dataDir, 'cache', 'share-cards');
  const file = path.join(dir, `${hash}.png`);
  try {
    return { png: await fs.readFile(file), etag: `"${hash}"` };
  } catch {
    const png = await renderShareCard(c);
    await fs.mkdir(dir, { recursive: true });
    // Written under a temporary name then renamed: a concurrent reader never sees half a file.
    const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
    await fs.writeFile(tmp, png);
    await fs.rename(tmp, file);
    return { png, etag: `"${hash}"` };
  }
}
