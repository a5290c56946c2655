/**
 * React 18.3.1's streaming renderer (react-dom/server, Node build) wrote its whole 2,048-byte buffer
 * when a string did not fit in what was left of it — including the one or two bytes left empty
 * because the next character takes three in UTF-8 (most Vietnamese letters with tone marks). Those
 * zero bytes reached the browser as "Tr�ần" (seen in the contest gallery). Fixed upstream in React
 * 19; patched here (app/patches/react-dom+18.3.1.patch) — drop the patch when moving to React 19.
 */
import { PassThrough } from 'node:stream';
import { text } from 'node:stream/consumers';

import { createElement } from 'react';
import { renderToPipeableStream } from 'react-dom/server';
import { describe, expect, it } from 'vitest';

function render(children: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const { pipe } = renderToPipeableStream(
      createElement(
        'ul',
        null,
        children.map((c, i) => createElement('li', { key: i }, c)),
      ),
      {
        onAllReady() {
          const out = new PassThrough();
          text(out).then(resolve, reject);
          pipe(out);
        },
        onError: reject,
      },
    );
  });
}

describe('streamed pages keep Vietnamese letters whole', () => {
  it('never writes the empty end of a buffer between two characters', async () => {
    // Every alignment of a three-byte letter against the buffer's end.
    for (let pad = 0; pad < 6; pad++) {
      const items = Array.from({ length: 300 }, (_, i) => `${'a'.repeat(pad + (i % 3))} Trần Thị Ánh Nguyệt ${i}`);
      const html = await render(items);
      expect(html).not.toContain('\u0000');
      expect(html).not.toContain('\uFFFD');
      for (const item of items) expect(html).toContain(item);
    }
  });
});
