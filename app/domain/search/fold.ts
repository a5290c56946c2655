/**
 * Vietnamese text folding for search, shared by the server (indexing, queries) and the client
 * (highlighting). Pure functions, no dependencies.
 *
 * Rules: lower-case; tone and vowel marks removed (ạ ắ ờ → a a o); đ/Đ → d (NFD does not
 * decompose đ, which is why FTS5's remove_diacritics misses it). Folding is done one code point
 * at a time so that a folded string has exactly the length of its NFC original: a match found
 * in folded text can be highlighted at the same offsets in the original.
 */

const MARKS = /[\u0300-\u036f]/g;
const cache = new Map<string, string>();

/** Folds one character (one UTF-16 unit of NFC text) to one character. */
function foldChar(c: string): string {
  const code = c.charCodeAt(0);
  if (code < 128) return c.toLowerCase();
  let f = cache.get(c);
  if (f === undefined) {
    if (c === 'đ' || c === 'Đ' || c === 'ð' || c === 'Ð') f = 'd';
    else {
      const base = c.normalize('NFD').replace(MARKS, '').toLowerCase();
      f = base.length === 1 ? base : c.toLowerCase().length === 1 ? c.toLowerCase() : c;
    }
    cache.set(c, f);
  }
  return f;
}

/** NFC form used for everything stored and compared (decomposed input from some keyboards). */
export function nfc(s: string): string {
  return (s ?? '').normalize('NFC');
}

/** Folded text of the same length as `nfc(s)`. */
export function foldVi(s: string): string {
  const t = nfc(s);
  let out = '';
  for (let i = 0; i < t.length; i++) out += foldChar(t[i]!);
  return out;
}

/** True when the word carries any Vietnamese mark (or đ): such a word must match exactly. */
export function isAccented(word: string): boolean {
  const w = nfc(word).toLowerCase();
  return foldVi(w) !== w;
}

export interface QueryTerm {
  /** The word as typed, NFC lower-case. */
  raw: string;
  /** Folded, only [\p{L}\p{N}] characters: safe to quote in FTS5 MATCH and in to_tsquery. */
  folded: string;
  accented: boolean;
  /** The last word of a query is matched as a prefix (search while typing). */
  prefix: boolean;
}

const WORD = /[\p{L}\p{N}]+/gu;

/** Splits a user query into terms; punctuation, quotes and operators are dropped, never passed on. */
export function parseQuery(q: string, maxTerms = 8): QueryTerm[] {
  const words = (nfc(q).toLowerCase().match(WORD) ?? []).slice(0, maxTerms);
  const endsInWord = /[\p{L}\p{N}]$/u.test(nfc(q));
  return words.map((raw, i) => ({
    raw,
    folded: foldVi(raw),
    accented: isAccented(raw),
    prefix: i === words.length - 1 && endsInWord,
  }));
}

/** Capitalisations under which a word is looked for in the original text (exact accents). */
export function caseVariants(raw: string): string[] {
  const lower = raw.toLowerCase();
  const cap = lower.charAt(0).toUpperCase() + lower.slice(1);
  return [...new Set([lower, cap, lower.toUpperCase()])];
}

const isWordChar = (c: string | undefined) => !!c && /[\p{L}\p{N}]/u.test(c);

/**
 * Where the terms occur in `text` (NFC): token-prefix matches on folded text; accented terms
 * must also match the original marks. Returns [start, end) ranges sorted by start.
 */
export function findMatches(text: string, terms: QueryTerm[]): Array<[number, number]> {
  const original = nfc(text);
  const folded = foldVi(original);
  const lower = original.toLowerCase();
  const ranges: Array<[number, number]> = [];
  for (const term of terms) {
    if (!term.folded) continue;
    let from = 0;
    for (;;) {
      const at = folded.indexOf(term.folded, from);
      if (at < 0) break;
      from = at + 1;
      if (isWordChar(folded[at - 1])) continue; // must start a token
      let end = at + term.folded.length;
      if (!term.prefix && isWordChar(folded[end])) continue; // whole token unless prefix
      if (term.accented && lower.slice(at, at + term.raw.length) !== term.raw) continue;
      if (term.prefix) while (isWordChar(folded[end])) end++;
      ranges.push([at, end]);
    }
  }
  ranges.sort((a, b) => a[0] - b[0]);
  return ranges;
}

/** True when every term occurs in the text (the search semantics, as a pure function). */
export function matchesAll(text: string, terms: QueryTerm[]): boolean {
  return terms.every((t) => findMatches(text, [t]).length > 0);
}

export interface SnippetPart {
  text: string;
  hit: boolean;
}

/** A window of about `size` characters around the first matches, split into plain and highlighted parts. */
export function snippet(text: string, terms: QueryTerm[], size = 180): SnippetPart[] {
  const original = nfc(text).replace(/\s+/g, ' ').trim();
  const ranges = findMatches(original, terms);
  let start = 0;
  if (ranges.length) start = Math.max(0, ranges[0]![0] - Math.floor(size / 4));
  if (start > 0) {
    const sp = original.indexOf(' ', start);
    if (sp > 0 && sp < ranges[0]![0]) start = sp + 1;
  }
  let end = Math.min(original.length, start + size);
  if (end < original.length) {
    const sp = original.lastIndexOf(' ', end);
    if (sp > start + size / 2) end = sp;
  }
  const parts: SnippetPart[] = [];
  if (start > 0) parts.push({ text: '… ', hit: false });
  let pos = start;
  for (const [a, b] of ranges) {
    if (b <= pos || a >= end) continue;
    const s = Math.max(a, pos);
    if (s > pos) parts.push({ text: original.slice(pos, s), hit: false });
    const e = Math.min(b, end);
    parts.push({ text: original.slice(s, e), hit: true });
    pos = e;
  }
  if (pos < end) parts.push({ text: original.slice(pos, end), hit: false });
  if (end < original.length) parts.push({ text: ' …', hit: false });
  return parts;
}
