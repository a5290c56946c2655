/**
 * Raster covers for reading apps that do not show SVG (many OPDS readers): the generated SVG
 * cover (`coverSvg`) rendered to PNG by resvg with a bundled Vietnamese font (Be Vietnam Pro,
 * shipped by an npm package, so the result does not depend on the fonts of the machine).
 * Rendering takes tens of milliseconds: each PNG is cached on disk under DATA_DIR, named by a
 * hash of its SVG, so a changed title or author gives a new file and an unchanged one is read back.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';

import { Resvg } from '@resvg/resvg-js';

import { getEnv } from '~/lib/env.server';

import { coverSvg } from './opds.server';

const FONT_FAMILY = 'Be Vietnam Pro';
let fontFiles: string[] | null = null;

function fonts(): string[] {
  if (!fontFiles) {
    const req = createRequire(path.join(process.cwd(), 'package.json'));
    fontFiles = [
      req.resolve('@expo-google-fonts/be-vietnam-pro/400Regular/BeVietnamPro_400Regular.ttf'),
      req.resolve('@expo-google-fonts/be-vietnam-pro/600SemiBold/BeVietnamPro_600SemiBold.ttf'),
    ];
  }
  return fontFiles;
}

/** Renders an SVG to PNG with the bundled font (no system fonts), `width` pixels wide. */
export function renderPng(svg: string, width = 300): Buffer {
  const r = new Resvg(svg, {
    fitTo: { mode: 'width', value: width },
    font: {
      fontFiles: fonts(),
      loadSystemFonts: false,
      defaultFontFamily: FONT_FAMILY,
      serifFamily: FONT_FAMILY,
      sansSerifFamily: FONT_FAMILY,
    },
  });
  return r.render().asPng();
}

/** The PNG cover of a title (from the disk cache when already rendered). */
export async function coverPng(title: string, author: string, dataDir = getEnv().DATA_DIR): Promise<{ png: Buffer; etag: string }> {
  const svg = coverSvg(title, author);
  const hash = createHash('sha256').update(svg).digest('hex').slice(0, 32);
  const dir = path.join(dataDir, 'cache', 'covers');
  const file = path.join(dir, `${hash}.png`);
  try {
    return { png: await fs.readFile(file), etag: `"${hash}"` };
  } catch {
    const png = renderPng(svg);
    await fs.mkdir(dir, { recursive: true });
    // Written under a temporary name then renamed: a concurrent reader never sees half a file.
    const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
    await fs.writeFile(tmp, png);
    await fs.rename(tmp, file);
    return { png, etag: `"${hash}"` };
  }
}
