import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

import type { DB } from '../connection';

/** The committed demo video and captions (content/media): every demo e-lecture plays offline, even without ffmpeg. */
export const COMMITTED_VIDEO = path.resolve(process.cwd(), 'content/media/bai-giang-mau.webm');
export const COMMITTED_CAPTIONS = path.resolve(process.cwd(), 'content/media/bai-giang-mau.vtt');
export const DEMO_VIDEO_SECONDS = 10;

export type DemoVideoSource = 'ffmpeg' | 'committed';

function fontFile(): string | null {
  try {
    return createRequire(path.join(process.cwd(), 'package.json')).resolve(
      '@expo-google-fonts/be-vietnam-pro/600SemiBold/BeVietnamPro_600SemiBold.ttf',
    );
  } catch {
    return null;
  }
}

let ffmpegChecked: boolean | null = null;
/** Looks for ffmpeg again at the next call (ffmpeg installed while the process runs; tests that change PATH). */
export function recheckFfmpeg(): void {
  ffmpegChecked = null;
}
export function hasFfmpeg(): boolean {
  if (ffmpegChecked === null) {
    const r = spawnSync('ffmpeg', ['-hide_banner', '-version'], { stdio: 'pipe' });
    ffmpegChecked = !r.error && r.status === 0;
  }
  return ffmpegChecked;
}

/** drawtext escaping: the text goes inside '…' in a filter graph. */
function drawtextText(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/'/g, '\u2019').replace(/:/g, '\\:').replace(/%/g, '\\%');
}

/** Splits a title into at most 3 lines of ~30 characters for the title card. */
function titleLines(title: string): string[] {
  const lines: string[] = [];
  for (const w of title.split(/\s+/)) {
    const last = lines[lines.length - 1];
    if (last !== undefined && `${last} ${w}`.length <= 30) lines[lines.length - 1] = `${last} ${w}`;
    else lines.push(w);
  }
  return lines.slice(0, 3);
}

/**
 * A 10-second title card for one e-lecture (VP8/WebM, plays in every browser), made with ffmpeg
 * when it is installed; null without ffmpeg (or if it fails), and the caller uses the committed video.
 */
export function makeTitleCard(title: string): string | null {
  const font = fontFile();
  if (!font || !hasFfmpeg()) return null;
  const out = path.join(os.tmpdir(), `llw-demo-${process.pid}-${Date.now()}.webm`);
  const lines = titleLines(title);
  const text = lines.map(
    (l, i) => `drawtext=fontfile=${font}:text='${drawtextText(l)}':fontcolor=white:fontsize=24:x=(w-text_w)/2:y=${70 + i * 34}`,
  );
  const vf = [
    ...text,
    `drawtext=fontfile=${font}:text='${drawtextText('Tuần lễ hưởng ứng học tập suốt đời')}':fontcolor=0xf4d35e:fontsize=16:x=(w-text_w)/2:y=h-60`,
    `drawtext=fontfile=${font}:text='%{eif\\:t\\:d}s':fontcolor=white:fontsize=14:x=w-40:y=h-26`,
  ].join(',');
  const r = spawnSync(
    'ffmpeg',
    [
      '-hide_banner',
      '-loglevel',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      `color=c=0x0b5d3b:s=480x270:r=6:d=${DEMO_VIDEO_SECONDS}`,
      '-f',
      'lavfi',
      '-i',
      `sine=frequency=330:duration=${DEMO_VIDEO_SECONDS}:sample_rate=22050`,
      '-vf',
      vf,
      '-af',
      'volume=0.12',
      '-c:v',
      'libvpx',
      '-deadline',
      'realtime',
      '-cpu-used',
      '8',
      '-b:v',
      '120k',
      '-c:a',
      'libvorbis',
      '-q:a',
      '0',
      '-ac',
      '1',
      '-shortest',
      out,
    ],
    { stdio: 'pipe' },
  );
  if (r.error || r.status !== 0) {
    console.warn(
      `[seed:oer] ffmpeg could not make a title card (${r.error?.message ?? r.stderr?.toString().trim()}); using the committed demo video.`,
    );
    fs.rmSync(out, { force: true });
    return null;
  }
  return out;
}

export interface DemoSeed {
  refId: string;
  detail: Record<string, unknown>;
}

export async function getDemoSeed(db: DB, key: string): Promise<DemoSeed | null> {
  const r = await db.selectFrom('demo_seeds').select(['ref_id', 'detail']).where('key', '=', key).executeTakeFirst();
  if (!r) return null;
  let detail: Record<string, unknown> = {};
  try {
    detail = JSON.parse(r.detail) as Record<string, unknown>;
  } catch {
    // a hand-edited row: treat as no detail
  }
  return { refId: r.ref_id, detail };
}

export async function putDemoSeed(db: DB, key: string, refId: string, detail: Record<string, unknown>): Promise<void> {
  const now = new Date().toISOString();
  await db
    .insertInto('demo_seeds')
    .values({ key, ref_id: refId, detail: JSON.stringify(detail), updated_at: now })
    .onConflict((oc) => oc.column('key').doUpdateSet({ ref_id: refId, detail: JSON.stringify(detail), updated_at: now }))
    .execute();
}
