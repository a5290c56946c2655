/**
 * A gzip body made of parts deflated once and per-response fills (app/lib/segmented-gzip.server.ts):
 * whatever the parts and fills, a browser's inflate gives exactly the identity body.
 */
import zlib from 'node:zlib';

import { describe, expect, it } from 'vitest';

import { compileSegments, joinGzip, joinRaw } from '~/lib/segmented-gzip.server';

const page = (n: number) => `<li>Bà Lan đọc cùng cháu Minh ${n} phút — “Dế Mèn phiêu lưu ký”</li>`.repeat(n);

describe('segmented gzip', () => {
  const cases: Array<[string, string[], string[]]> = [
    ['a name and a nonce', ['<html><b>', '</b><script nonce="', '">x</script></html>'], ['Trần Ánh', 'n0nc3']],
    ['empty parts and an empty fill', ['', page(3), ''], ['', 'Zq']],
    ['a personal region longer than a stored block allows', ['<ul>', '</ul><p>', '</p>'], [page(2000), 'Lê Bình']],
    ['a region just over the deflate threshold', [page(40), page(40)], ['x'.repeat(1025)]],
  ];
  it.each(cases)('inflates to the identity body: %s', (_, parts, fillText) => {
    const s = compileSegments(parts);
    const fills = fillText.map((f) => Buffer.from(f, 'utf8'));
    const raw = joinRaw(s, fills);
    expect(raw.toString('utf8')).toBe(parts.map((p, i) => p + (fillText[i] ?? '')).join(''));
    const gz = joinGzip(s, fills);
    expect(zlib.gunzipSync(gz).equals(raw)).toBe(true); // the trailer's CRC-32 and length checked too
  });

  it('sends the long page compressed, and the same parts serve another visitor', () => {
    const s = compileSegments(['<main>', page(500), '</main>']);
    const a = joinGzip(s, [Buffer.from('An'), Buffer.from('1')]);
    const b = joinGzip(s, [Buffer.from('Bình'), Buffer.from('2')]);
    expect(a.length).toBeLessThan(joinRaw(s, [Buffer.from('An'), Buffer.from('1')]).length / 10);
    expect(zlib.gunzipSync(b).toString('utf8')).toContain('<main>Bình');
    expect(zlib.gunzipSync(a).toString('utf8')).not.toContain('Bình');
  });
});
