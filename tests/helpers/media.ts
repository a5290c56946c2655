/** Media files for the contest-entry tests: a scratch folder that is also the storage root, and tones made by ffmpeg. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { afterAll, beforeAll } from 'vitest';

import { setStorageRoot } from '~/lib/storage/index.server';

import { TMP_DIR } from './db';

/**
 * A folder `<name>-<pid>` under tests/.tmp for the whole test file, made (then filled by `make`)
 * before its tests, with the blob store in its `blobs`, and removed after them.
 */
export function mediaFolder(name: string, make: (file: (n: string) => string) => void) {
  const dir = path.join(TMP_DIR, `${name}-${process.pid}`);
  const file = (n: string) => path.join(dir, n);
  beforeAll(() => {
    fs.mkdirSync(dir, { recursive: true });
    make(file);
    setStorageRoot(path.join(dir, 'blobs'));
  });
  afterAll(() => {
    setStorageRoot(null);
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return { dir, file };
}

/** A sine tone of `seconds` written by ffmpeg: Opus in WebM, or plain PCM when `to` ends in .wav. */
export function tone(to: string, seconds: number, frequency = 440): void {
  const codec = to.endsWith('.wav') ? [] : ['-c:a', 'libopus'];
  execFileSync('ffmpeg', [
    '-loglevel',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    `sine=frequency=${frequency}:duration=${seconds}`,
    ...codec,
    to,
  ]);
}
