import { useT } from '~/i18n/i18n';
import { localName } from '~/lib/names';

import { SelectField } from './Field';

export interface UnitOption {
  id: string;
  name: string;
  name_en: string | null;
  depth: number;
}

/** A select of units, indented by depth so the hierarchy reads at a glance. */
export function UnitSelect({
  name,
  label,
  units,
  defaultValue,
  error,
  optional = true,
  hint,
}: {
  name: string;
  label: string;
  units: UnitOption[];
  defaultValue?: string | null;
  error?: string;
  optional?: boolean;
  hint?: string;
}) {
  const { t, locale } = useT();
  return (
    <SelectField name={name} label={label} defaultValue={defaultValue ?? ''} error={error} hint={hint} required={!optional}>
      <option value="">{optional ? t('common.none') : t('common.choose')}</option>
      {units.map((u) => (
        <option key={u.id} value={u.id}>
          {'\u00a0\u00a0'.repeat(u.depth)}
          {localName(u, locale)}
        </option>
      ))}
    </SelectField>
  );
}
