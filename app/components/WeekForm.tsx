import { Form } from '@remix-run/react';

import { useT } from '~/i18n/i18n';

import { TextArea, TextField } from './Field';

/** The admin's form for a year's Week: every field keeps what was typed when another is wrong. */
export function WeekForm({
  values,
  errors,
  yearLocked,
  submitLabel,
}: {
  values: Record<string, string>;
  errors: Record<string, string>;
  yearLocked?: boolean;
  submitLabel: string;
}) {
  const { t } = useT();
  const f = (name: string) => ({ name, defaultValue: values[name] ?? '', error: errors[name] });
  return (
    <Form method="post" noValidate>
      <fieldset>
        <legend>{t('weeks.form.basics')}</legend>
        <div className="form-grid">
          <TextField {...f('year')} inputMode="numeric" label={t('weeks.form.year')} readOnly={yearLocked} required maxLength={4} />
          <TextField {...f('starts_on')} type="date" label={t('weeks.form.startsOn')} required />
          <TextField {...f('ends_on')} type="date" label={t('weeks.form.endsOn')} required />
          <TextField {...f('report_deadline')} type="date" label={t('weeks.reportDeadline')} />
        </div>
        <TextField {...f('theme_vi')} label={t('weeks.form.themeVi')} required lang="vi" />
        <TextField {...f('theme_en')} label={t('weeks.form.themeEn')} required lang="en" />
      </fieldset>
      <fieldset>
        <legend>{t('weeks.opening')}</legend>
        <div className="form-grid">
          <TextField {...f('opening_at')} type="datetime-local" label={t('weeks.when')} hint={t('common.timeZoneHint')} required />
          <TextField {...f('opening_place_vi')} label={t('weeks.form.placeVi')} required lang="vi" />
          <TextField {...f('opening_place_en')} label={t('weeks.form.placeEn')} required lang="en" />
          <TextField {...f('livestream_url')} type="url" label={t('weeks.form.livestream')} placeholder="https://" />
        </div>
      </fieldset>
      <fieldset>
        <legend>{t('weeks.closing')}</legend>
        <div className="form-grid">
          <TextField {...f('closing_at')} type="datetime-local" label={t('weeks.when')} />
          <TextField {...f('closing_place_vi')} label={t('weeks.form.placeVi')} lang="vi" />
          <TextField {...f('closing_place_en')} label={t('weeks.form.placeEn')} lang="en" />
        </div>
      </fieldset>
      <fieldset>
        <legend>{t('weeks.about')}</legend>
        <TextField {...f('source_vi')} label={t('weeks.form.sourceVi')} lang="vi" />
        <TextField {...f('source_en')} label={t('weeks.form.sourceEn')} lang="en" />
        <TextArea {...f('body_vi')} label={t('weeks.form.bodyVi')} hint={t('common.markdownHint')} rows={12} lang="vi" />
        <TextArea {...f('body_en')} label={t('weeks.form.bodyEn')} rows={12} lang="en" />
      </fieldset>
      <button type="submit" className="primary">
        {submitLabel}
      </button>
    </Form>
  );
}
