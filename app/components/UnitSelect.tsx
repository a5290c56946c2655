import { type ChangeEvent, useId, useMemo, useState, useSyncExternalStore } from 'react';

import { foldVi } from '~/domain/search/fold';
import { useT } from '~/i18n/i18n';
import { localName } from '~/lib/names';
import { inTreeOrder } from '~/lib/unit-tree';

import { SelectField } from './Field';

export interface UnitOption {
  id: string;
  name: string;
  name_en: string | null;
  depth: number;
  /** With parent ids the options are put in real tree order (children under their parent). */
  parent_id?: string | null;
}

const noSubscribe = () => () => undefined;

type Ordered = UnitOption & { level: number; path: string };

function order(units: UnitOption[], label: (u: UnitOption) => string): Ordered[] {
  const withParents = units.length > 0 && units.every((u) => u.parent_id !== undefined);
  const ordered = withParents
    ? inTreeOrder(units.map((u) => ({ ...u, parent_id: u.parent_id ?? null })))
    : units.map((u) => ({ ...u, level: u.depth - Math.min(...units.map((x) => x.depth)) }));
  const byId = new Map(ordered.map((u) => [u.id, u]));
  return ordered.map((u) => {
    const up: string[] = [];
    let p = u.parent_id ? byId.get(u.parent_id) : undefined;
    while (p && up.length < 4) {
      up.push(label(p));
      p = p.parent_id ? byId.get(p.parent_id) : undefined;
    }
    return { ...u, path: up.join(' · ') };
  });
}

/**
 * A select of units in tree order, indented by level. Without JavaScript it is a plain select;
 * with it, a search box above filters the options by name, accents optional ("bien giang" finds
 * "Biên Giang"), and each match shows where it sits in the tree.
 */
export function UnitSelect({
  name,
  label,
  units,
  defaultValue,
  error,
  optional = true,
  hint,
  id,
}: {
  id?: string;
  name: string;
  label: string;
  units: UnitOption[];
  defaultValue?: string | null;
  error?: string;
  optional?: boolean;
  hint?: string;
}) {
  const { t, locale } = useT();
  const nameOf = (u: Pick<UnitOption, 'name' | 'name_en'>) => localName(u, locale);
  const ordered = useMemo(() => order(units, nameOf), [units, locale]); // eslint-disable-line react-hooks/exhaustive-deps -- nameOf depends only on locale
  // False on the server and while hydrating, true after: the search box exists only where it works.
  const enhanced = useSyncExternalStore(
    noSubscribe,
    () => true,
    () => false,
  );
  const [query, setQuery] = useState('');
  const [selected, setSelected] = useState(defaultValue ?? '');
  const searchId = useId();
  const q = foldVi(query.trim()).replace(/\s+/g, ' ');
  const shown = q ? ordered.filter((u) => u.id === selected || foldVi(nameOf(u)).includes(q)) : ordered;
  const matches = q ? shown.filter((u) => foldVi(nameOf(u)).includes(q)).length : 0;
  return (
    <div className="unit-select">
      {enhanced ? (
        <div className="field unit-search">
          <label htmlFor={searchId}>{t('common.unitSearch.label', { label })}</label>
          <input
            id={searchId}
            type="search"
            value={query}
            autoComplete="off"
            aria-describedby={`${searchId}-status`}
            onChange={(e) => setQuery(e.target.value)}
          />
          <p id={`${searchId}-status`} className="field-hint" aria-live="polite">
            {q ? (matches ? t('common.unitSearch.count', { count: matches }) : t('common.unitSearch.none')) : t('common.unitSearch.hint')}
          </p>
        </div>
      ) : null}
      <SelectField
        id={id}
        name={name}
        label={label}
        defaultValue={defaultValue ?? ''}
        error={error}
        hint={hint}
        required={!optional}
        onChange={(e: ChangeEvent<HTMLSelectElement>) => setSelected(e.target.value)}
      >
        <option value="">{optional ? t('common.none') : t('common.choose')}</option>
        {shown.map((u) => (
          <option key={u.id} value={u.id}>
            {q ? `${nameOf(u)}${u.path ? ` — ${u.path}` : ''}` : `${'\u00a0\u00a0'.repeat(u.level)}${nameOf(u)}`}
          </option>
        ))}
      </SelectField>
    </div>
  );
}
