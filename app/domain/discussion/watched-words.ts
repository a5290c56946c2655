/**
 * Watched words, matched the Vietnamese way (pure, no dependencies; unit-tested in
 * tests/unit/community-watched-words.test.ts).
 *
 * A watched word or phrase matches a run of consecutive tokens of the text whose letters,
 * joined, equal the word's letters — so "d.m", "đ m", "Đ-M" and "dm" all match "đm", and
 * "đồ ngu" matches "do ngu" and "đồngu" — but never a piece of a longer word ("ngu" does not
 * match "nguyễn"). Comparison is case-insensitive, folds đ → d and tone/vowel marks, and undoes a
 * few look-alike tricks (0→o, 1→i, 3→e, 4→a, @→a, $→s inside words; repeated letters collapsed).
 * Marks are respected the way search does: text written without marks matches any accent
 * (evasion), text written with marks must carry the word's own marks ("ngủ" is not "ngu").
 */
import { foldVi, nfc } from '~/domain/search/fold';

export type WatchAction = 'block' | 'hold' | 'flag';
export interface WatchedWord {
  word: string;
  action: WatchAction;
}
export interface WatchMatch {
  word: string;
  action: WatchAction;
}

const LEET: Record<string, string> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '@': 'a', $: 's' };
const TOKEN = /[\p{L}\p{M}\p{N}@$]+/gu;

/** Lower-case NFC with look-alike digits and symbols replaced (only in tokens holding a letter). */
function unleet(token: string): string {
  if (!/\p{L}/u.test(token)) return token.replace(/[@$]/g, '');
  return token.replace(/[0134@$]/g, (c) => LEET[c]!);
}

function collapse(s: string): string {
  return s.replace(/(.)\1+/gu, '$1');
}

/** The tokens of a text: `raw` (lower-case NFC, marks kept) and `folded`. */
export function tokens(text: string): Array<{ raw: string; folded: string }> {
  const out: Array<{ raw: string; folded: string }> = [];
  for (const m of nfc(text).toLowerCase().matchAll(TOKEN)) {
    const raw = unleet(m[0]);
    if (!raw) continue;
    out.push({ raw, folded: foldVi(raw) });
  }
  return out;
}

interface Prepared {
  entry: WatchedWord;
  raw: string;
  folded: string;
}

function prepare(w: WatchedWord): Prepared | null {
  const t = tokens(w.word);
  if (!t.length) return null;
  return { entry: w, raw: collapse(t.map((x) => x.raw).join('')), folded: collapse(t.map((x) => x.folded).join('')) };
}

/** Every watched word found in `text` (once each), strongest action first: block, hold, flag. */
export function matchWatchedWords(text: string, words: WatchedWord[]): WatchMatch[] {
  const list = words.map(prepare).filter((p): p is Prepared => !!p);
  if (!list.length) return [];
  const toks = tokens(text);
  const found = new Map<string, WatchMatch>();
  for (const p of list) {
    outer: for (let i = 0; i < toks.length; i++) {
      let raw = '';
      let folded = '';
      for (let j = i; j < toks.length; j++) {
        raw += toks[j]!.raw;
        folded += toks[j]!.folded;
        const f = collapse(folded);
        if (f === p.folded) {
          const r = collapse(raw);
          // Unmarked text matches any accent; marked text must carry the word's marks.
          if (r === f || r === p.raw) {
            found.set(p.entry.word, { word: p.entry.word, action: p.entry.action });
            break outer;
          }
        }
        if (!p.folded.startsWith(f)) break;
      }
    }
  }
  const rank: Record<WatchAction, number> = { block: 0, hold: 1, flag: 2 };
  return [...found.values()].sort((a, b) => rank[a.action] - rank[b.action]);
}

/** The strongest action the text triggers, or null. */
export function watchedAction(text: string, words: WatchedWord[]): WatchAction | null {
  return matchWatchedWords(text, words)[0]?.action ?? null;
}
