import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { coverPng } from '~/domain/library/covers.server';
import { faviconIco } from '~/lib/icons.server';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'covers-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Width and height from a PNG's IHDR chunk. */
const size = (png: Buffer) => [png.readUInt32BE(16), png.readUInt32BE(20)];

describe('raster covers for reading apps without SVG', () => {
  it('renders the generated cover as a 300×450 PNG with the bundled Vietnamese font, and serves it again from the disk cache', async () => {
    const a = await coverPng('Đọc sách cùng cháu — sổ tay cho ông bà', 'Nhóm biên soạn', dir);
    expect(a.png.subarray(1, 4).toString()).toBe('PNG');
    expect(size(a.png)).toEqual([300, 450]);
    const cached = fs.readdirSync(path.join(dir, 'cache', 'covers'));
    expect(cached).toEqual([`${a.etag.slice(1, -1)}.png`]);
    const b = await coverPng('Đọc sách cùng cháu — sổ tay cho ông bà', 'Nhóm biên soạn', dir);
    expect(b.etag).toBe(a.etag);
    expect(b.png.equals(a.png)).toBe(true);
    // Another title: another image and another file.
    const c = await coverPng('Tấm Cám', 'Truyện cổ tích', dir);
    expect(c.etag).not.toBe(a.etag);
    expect(fs.readdirSync(path.join(dir, 'cache', 'covers'))).toHaveLength(2);
  });

  it('makes /favicon.ico an ICO of 16, 32 and 48 px PNGs', () => {
    const ico = faviconIco();
    expect([...ico.subarray(0, 6)]).toEqual([0, 0, 1, 0, 3, 0]);
    const sizes = [0, 1, 2].map((i) => ico.readUInt8(6 + 16 * i));
    expect(sizes).toEqual([16, 32, 48]);
    const first = ico.readUInt32LE(6 + 12);
    expect(ico.subarray(first + 1, first + 4).toString()).toBe('PNG');
  });
});
