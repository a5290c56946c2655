/**
 * Seeded randomness for quizzes: an attempt stores its seed, so the draw and the order of
 * questions and options are the same on every reload of that attempt.
 */

/** FNV-1a: a 32-bit hash of a string, to turn a seed (and a question id) into PRNG state. */
function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** mulberry32: small, fast and good enough to shuffle questions. */
export function prng(seed: string): () => number {
  let a = hash32(seed);
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A shuffled copy (Fisher–Yates) driven by `seed`. */
export function seededShuffle<T>(items: readonly T[], seed: string): T[] {
  const out = items.slice();
  const rnd = prng(seed);
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** `count` distinct items drawn at random (never the same item twice), in drawn order. */
export function drawWithoutRepeats<T>(items: readonly T[], count: number | null, seed: string): T[] {
  const shuffled = seededShuffle(items, seed);
  return count == null ? shuffled : shuffled.slice(0, Math.min(count, items.length));
}
