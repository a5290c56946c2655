/**
 * Content checks of an uploaded entry file, on the local temporary file BEFORE it goes into blob
 * storage: the real container from its first bytes (a renamed text file is refused whatever its
 * name says), then the streams and duration from ffprobe when it is installed. Without ffprobe
 * the container check still runs and the duration is reported as unknown (`probed: false`).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';

import type { EntryKind } from '~/db/schema/contest-entries';

export type Container = 'webm' | 'ogg' | 'mp3' | 'wav' | 'mp4' | 'flac' | 'jpeg' | 'png' | 'webp';

export interface Probe {
  container: Container;
  mime: string;
  ext: string;
  size: number;
  /** null when ffprobe is absent or could not tell. */
  durationS: number | null;
  hasVideo: boolean | null;
  hasAudio: boolean | null;
  probed: boolean;
}

export type ProbeError = 'empty' | 'not_media' | 'wrong_kind' | 'unreadable';

const MIME: Record<Container, [string, string]> = {
  webm: ['video/webm', 'webm'],
  ogg: ['audio/ogg', 'ogg'],
  mp3: ['audio/mpeg', 'mp3'],
  wav: ['audio/wav', 'wav'],
  mp4: ['video/mp4', 'mp4'],
  flac: ['audio/flac', 'flac'],
  jpeg: ['image/jpeg', 'jpg'],
  png: ['image/png', 'png'],
  webp: ['image/webp', 'webp'],
};

/** The container named by a file's first bytes, or null. */
export function sniffContainer(head: Buffer): Container | null {
  const ascii = (from: number, to: number) => head.subarray(from, to).toString('latin1');
  if (head.length >= 4 && head[0] === 0x1a && head[1] === 0x45 && head[2] === 0xdf && head[3] === 0xa3) return 'webm';
  if (ascii(0, 4) === 'OggS') return 'ogg';
  if (ascii(0, 4) === 'fLaC') return 'flac';
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WAVE') return 'wav';
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'webp';
  if (ascii(4, 8) === 'ftyp') return 'mp4';
  if (ascii(0, 3) === 'ID3') return 'mp3';
  if (head.length >= 2 && head[0] === 0xff && (head[1] & 0xe0) === 0xe0 && (head[1] & 0x06) !== 0) return 'mp3';
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'jpeg';
  if (head.length >= 8 && head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
  return null;
}

const AV: Container[] = ['webm', 'ogg', 'mp3', 'wav', 'mp4', 'flac'];
const IMAGES: Container[] = ['jpeg', 'png', 'webp'];

let ffprobeBin: string | null | undefined;
/** The ffprobe binary, or null when it is not installed (FFPROBE_PATH overrides; "none" disables). */
export function ffprobePath(): string | null {
  if (ffprobeBin !== undefined) return ffprobeBin;
  const env = process.env.FFPROBE_PATH;
  if (env === 'none') return (ffprobeBin = null);
  const candidates = env ? [env] : ['/usr/bin/ffprobe', '/usr/local/bin/ffprobe', '/opt/homebrew/bin/ffprobe'];
  ffprobeBin = candidates.find((c) => fs.existsSync(c)) ?? null;
  return ffprobeBin;
}

/** For tests: pretend ffprobe is (or is not) installed. */
export function setFfprobePath(p: string | null | undefined) {
  ffprobeBin = p;
}

function run(bin: string, args: string[]): Promise<string | null> {
  return new Promise((resolve) => {
    execFile(bin, args, { timeout: 60_000, maxBuffer: 32 * 1024 * 1024 }, (e, out) => resolve(e ? null : out));
  });
}

interface FfprobeOut {
  format?: { duration?: string };
  streams?: Array<{ codec_type?: string }>;
}

async function ffprobe(bin: string, file: string): Promise<{ durationS: number | null; hasVideo: boolean; hasAudio: boolean } | null> {
  const out = await run(bin, ['-v', 'error', '-show_entries', 'format=duration:stream=codec_type', '-of', 'json', file]);
  if (out == null) return null;
  let v: FfprobeOut;
  try {
    v = JSON.parse(out) as FfprobeOut;
  } catch {
    return null;
  }
  const types = (v.streams ?? []).map((s) => s.codec_type);
  let durationS = Number(v.format?.duration);
  if (!Number.isFinite(durationS)) {
    // Recordings from MediaRecorder (WebM) carry no duration in their header: read the last packet.
    const pk = await run(bin, [
      '-v',
      'error',
      '-select_streams',
      '0',
      '-show_entries',
      'packet=pts_time,duration_time',
      '-of',
      'csv=p=0',
      file,
    ]);
    durationS = NaN;
    for (const line of (pk ?? '').split('\n')) {
      const [pts, dur] = line.split(',').map(Number);
      if (Number.isFinite(pts)) durationS = Math.max(Number.isFinite(durationS) ? durationS : 0, pts + (Number.isFinite(dur) ? dur : 0));
    }
  }
  return {
    durationS: Number.isFinite(durationS) ? Math.round(durationS * 10) / 10 : null,
    hasVideo: types.includes('video'),
    hasAudio: types.includes('audio'),
  };
}

/** Checks a local file against what a round asks for. */
export async function probeFile(file: string, kind: EntryKind): Promise<{ ok: true; value: Probe } | { ok: false; code: ProbeError }> {
  let st: fs.Stats;
  try {
    st = await fs.promises.stat(file);
  } catch {
    return { ok: false, code: 'unreadable' };
  }
  if (st.size === 0) return { ok: false, code: 'empty' };
  const fh = await fs.promises.open(file, 'r');
  const head = Buffer.alloc(16);
  try {
    await fh.read(head, 0, 16, 0);
  } finally {
    await fh.close();
  }
  const container = sniffContainer(head);
  if (!container) return { ok: false, code: 'not_media' };
  if (kind === 'photo' ? !IMAGES.includes(container) : !AV.includes(container)) return { ok: false, code: 'wrong_kind' };
  const [mime0, ext] = MIME[container];
  const base: Probe = { container, mime: mime0, ext, size: st.size, durationS: null, hasVideo: null, hasAudio: null, probed: false };
  if (kind === 'photo') return { ok: true, value: base };
  const bin = ffprobePath();
  if (!bin) return { ok: true, value: base };
  const p = await ffprobe(bin, file);
  // ffprobe refusing a file whose first bytes look right: a truncated or corrupt upload.
  if (!p || (!p.hasAudio && !p.hasVideo)) return { ok: false, code: 'not_media' };
  if (kind === 'video' && !p.hasVideo) return { ok: false, code: 'wrong_kind' };
  if (kind === 'audio' && !p.hasAudio) return { ok: false, code: 'wrong_kind' };
  const mime = container === 'webm' || container === 'mp4' ? `${p.hasVideo ? 'video' : 'audio'}/${container}` : mime0;
  return { ok: true, value: { ...base, mime, durationS: p.durationS, hasVideo: p.hasVideo, hasAudio: p.hasAudio, probed: true } };
}
