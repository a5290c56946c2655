/**
 * The colours of a Week: each year gets its own pair (a deep background that white text reads
 * on at WCAG AA, and a warm accent), used by its share cards, banners and posters alike.
 * Shared by the server (share-card PNG) and the pages (banner, poster).
 */
export interface WeekColours {
  /** Background of cards, banners, posters; white text on it has contrast ≥ 4.5:1. */
  primary: string;
  /** Accent (eyebrow, rules, stripes); on `primary` it has contrast ≥ 3:1 for large text. */
  accent: string;
}

const PALETTE: WeekColours[] = [
  { primary: '#0b5d3b', accent: '#f2c94c' }, // green and gold
  { primary: '#1d3f8f', accent: '#ffd166' }, // blue and yellow
  { primary: '#8f1d2c', accent: '#ffd8a8' }, // red and cream
  { primary: '#4a2a7a', accent: '#f5c2e7' }, // violet and pink
  { primary: '#0f5e73', accent: '#b8f2e6' }, // teal and mint
];

/** The Week’s colours, fixed by its year (the cycle of five repeats: 2024 and 2019 share theirs). */
export function weekColours(year: number): WeekColours {
  return PALETTE[((year % PALETTE.length) + PALETTE.length) % PALETTE.length]!;
}
