/**
 * Every message exists in Vietnamese and English with the same `{{placeholders}}`, so switching
 * language never shows a raw key or drops a name or number from a sentence. Vietnamese is the
 * source (keys are typed from it); English must follow. Also: what `t()` does with plurals.
 */
import fs from 'node:fs';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { createT } from '~/i18n/i18n';
import { resources } from '~/i18n/resources.server';

function leaves(o: unknown, prefix = '', out = new Map<string, string>()): Map<string, string> {
  if (typeof o === 'string') out.set(prefix, o);
  else if (o && typeof o === 'object') for (const [k, v] of Object.entries(o)) leaves(v, prefix ? `${prefix}.${k}` : k, out);
  return out;
}

const placeholders = (s: string) => [...s.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();
// A plural family may differ in shape between languages (Vietnamese has only `_other`).
const pluralBase = (k: string) => k.replace(/_(zero|one|two|few|many|other)$/, '');

describe('translations: vi and en', () => {
  const vi = leaves(resources.vi);
  const en = leaves(resources.en);

  it('every namespace file exists in both languages and is registered', () => {
    const dir = path.resolve(import.meta.dirname, '../../app/locales');
    const files = (l: string) => fs.readdirSync(path.join(dir, l)).sort();
    expect(files('en')).toEqual(files('vi'));
    expect(Object.keys(resources.vi).sort()).toEqual(files('vi').map((f) => f.replace(/\.json$/, '')));
  });

  it('have the same keys (plural families by their base key)', () => {
    const bases = (m: Map<string, string>) => [...new Set([...m.keys()].map(pluralBase))].sort();
    const viBases = bases(vi);
    const enBases = bases(en);
    expect(
      enBases.filter((k) => !viBases.includes(k)),
      'keys only in English',
    ).toEqual([]);
    expect(
      viBases.filter((k) => !enBases.includes(k)),
      'keys missing in English',
    ).toEqual([]);
  });

  it('have the same placeholders in every message', () => {
    const byBase = (m: Map<string, string>) => {
      const r = new Map<string, Set<string>>();
      for (const [k, v] of m) {
        const b = pluralBase(k);
        const set = r.get(b) ?? new Set<string>();
        // A plural's `count` may be written in one form and implied in another ("one book").
        for (const p of placeholders(v)) if (!(p === 'count' && b !== k)) set.add(p);
        r.set(b, set);
      }
      return r;
    };
    const v = byBase(vi);
    const e = byBase(en);
    const differ: string[] = [];
    for (const [k, ps] of v) {
      const q = e.get(k);
      if (q && [...ps].sort().join(',') !== [...q].sort().join(',')) differ.push(`${k}: vi {${[...ps]}} en {${[...q]}}`);
    }
    expect(differ).toEqual([]);
  });

  it('has no empty messages', () => {
    const empty = [...vi, ...en].filter(([, s]) => !s.trim()).map(([k]) => k);
    expect(empty).toEqual([]);
  });

  it('t() picks the plural form by count and fills placeholders', () => {
    const t = createT('en', { x: { books_one: 'one book', books_other: '{{count}} books', hi: 'Hello {{name}}' } });
    // The test messages are not the product's: cast their keys.
    const tt = t as unknown as (k: string, p?: Record<string, unknown>) => string;
    expect(tt('x.books', { count: 1 })).toBe('one book');
    expect(tt('x.books', { count: 3 })).toBe('3 books');
    expect(tt('x.hi', { name: 'Lan' })).toBe('Hello Lan');
  });
});
