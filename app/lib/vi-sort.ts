/**
 * A Vietnamese sort key: a plain ASCII string whose byte order is Vietnamese alphabetical order
 * (the order of `Intl.Collator('vi')`), so the database can sort and page by it on both dialects
 * (SQLite BINARY, PostgreSQL `COLLATE "C"`) without a Vietnamese collation of its own.
 *
 * Three levels, as a collator compares: letters (a ă â b c d đ e ê … — "Đọc" after every "D…"),
 * then tones (ngang, huyền, hỏi, ngã, sắc, nặng), then case (lower first). Each level is
 * separated by "0", which sorts below every code, so a prefix sorts first ("Ba" < "Ba con").
 */

const ALPHABET = 'aăâbcdđeêfghijklmnoôơpqrstuưvwxyz';
const MODIFIERS: Record<string, Record<string, string>> = {
  '\u0306': { a: 'ă' },
  '\u0302': { a: 'â', e: 'ê', o: 'ô' },
  '\u031b': { o: 'ơ', u: 'ư' },
};
const TONES: Record<string, string> = { '\u0300': '1', '\u0309': '2', '\u0303': '3', '\u0301': '4', '\u0323': '5' };

/** Primary code of one base letter/character: 2 characters, all above "0". */
function primary(c: string): string {
  const i = ALPHABET.indexOf(c);
  if (i >= 0) return String(30 + i);
  if (/\d/.test(c)) return `2${c}`;
  if (/\s/.test(c)) return '10';
  if (/[\p{P}]/u.test(c)) return '11';
  if (/[\p{S}]/u.test(c)) return '12';
  return '19'; // a letter of another script: after symbols, before digits (rare in this catalogue)
}

export function viSortKey(input: string, maxChars = 200): string {
  const s = input
    .normalize('NFD')
    .trim()
    .slice(0, maxChars * 3);
  let p = '';
  let tones = '';
  let cases = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (/[\u0300-\u036f]/.test(ch)) continue; // a stray mark: handled with its base letter
    let lower = ch.toLowerCase();
    const upper = lower !== ch;
    if (lower === 'đ' || lower === 'ð') lower = 'đ';
    let tone = '0';
    while (i + 1 < s.length && /[\u0300-\u036f]/.test(s[i + 1]!)) {
      const mark = s[++i]!;
      const mod = MODIFIERS[mark]?.[lower];
      if (mod) lower = mod;
      else if (TONES[mark]) tone = TONES[mark]!;
    }
    p += primary(lower);
    tones += tone;
    cases += upper ? '1' : '0';
    if (p.length >= maxChars * 2) break;
  }
  return `${p}0${tones}0${cases}`;
}

/** Compares two strings in Vietnamese order (the same order as their sort keys). */
export const viCompare = new Intl.Collator('vi').compare;
