import { describe, expect, it } from 'vitest';

import { newId, newTimeOrderedId } from '~/lib/ids.server';

describe('ids', () => {
  it('are [0-9a-z] of the asked length, never repeated, across many refills of the random pool', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 20_000; i++) {
      const len = [16, 7, 20, 4][i % 4]!;
      const id = newId(len);
      expect(id).toMatch(new RegExp(`^[0-9a-z]{${len}}$`));
      if (len >= 16) seen.add(id);
    }
    expect(seen.size).toBe(10_000);
    // A length that would hand out bytes twice (or none) is refused.
    for (const bad of [0, -3, 2.5, 5000]) expect(() => newId(bad)).toThrow(RangeError);
  });

  it('time-ordered ids sort by the time they were made', () => {
    const a = newTimeOrderedId(Date.UTC(2026, 10, 30, 1));
    const b = newTimeOrderedId(Date.UTC(2026, 10, 30, 2));
    expect(a).toHaveLength(16);
    expect([b, a].sort()).toEqual([a, b]);
  });
});
