import { LICENCES, RESOURCE_KINDS, RESOURCE_LEVELS, SUBJECTS } from '~/db/schema/oer';
import { useT } from '~/i18n/i18n';
import { licenceLabel, resourceKindLabel, resourceLevelLabel, subjectLabel } from '~/i18n/labels';

/** The shared filter selects (GET forms: they work without JS). */
export function FilterFields({ values, years }: { values: Record<string, string>; years: number[] }) {
  const { t } = useT();
  const sel = (name: string, label: string, options: Array<[string, string]>) => (
    <div className="field">
      <label htmlFor={`flt-${name}`}>{label}</label>
      <select id={`flt-${name}`} name={name} defaultValue={values[name] ?? ''}>
        <option value="">{t('oer.all')}</option>
        {options.map(([v, l]) => (
          <option key={v} value={v}>
            {l}
          </option>
        ))}
      </select>
    </div>
  );
  return (
    <div className="oer-filters">
      {sel(
        'kind',
        t('oer.form.kind'),
        RESOURCE_KINDS.map((k) => [k, t(resourceKindLabel[k])]),
      )}
      {sel(
        'subject',
        t('oer.form.subject'),
        SUBJECTS.map((k) => [k, t(subjectLabel[k])]),
      )}
      {sel(
        'level',
        t('oer.form.level'),
        RESOURCE_LEVELS.map((k) => [k, t(resourceLevelLabel[k])]),
      )}
      {sel(
        'licence',
        t('oer.form.licence'),
        LICENCES.map((k) => [k, t(licenceLabel[k])]),
      )}
      {sel(
        'year',
        t('oer.search.year'),
        years.map((y) => [String(y), String(y)]),
      )}
    </div>
  );
}
