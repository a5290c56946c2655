import { Form } from '@remix-run/react';

import { SelectField, TextArea, TextField } from '~/components/Field';
import { type UnitOption, UnitSelect } from '~/components/UnitSelect';
import { COURSE_AUDIENCES, COURSE_LEVELS } from '~/db/schema/courses';
import { LICENCES } from '~/db/schema/oer';
import { useT } from '~/i18n/i18n';
import { courseAudienceLabel, courseLevelLabel } from '~/i18n/labels';
import { LICENCE_NAME_KEYS } from '~/lib/licences';

type Values = Record<string, string | undefined>;

/** The course details form (create and edit); works without JavaScript. */
export function CourseForm({
  units,
  years,
  values,
  errors,
  submitLabel,
  intent,
}: {
  units: UnitOption[];
  years: number[];
  values: Values;
  errors?: Record<string, string>;
  submitLabel: string;
  intent?: string;
}) {
  const { t } = useT();
  return (
    <Form method="post" noValidate>
      {intent ? <input type="hidden" name="intent" value={intent} /> : null}
      <div className="form-grid">
        <TextField
          name="title"
          label={t('courses.fields.title')}
          defaultValue={values.title}
          error={errors?.title}
          required
          maxLength={200}
        />
        <UnitSelect
          name="unit_id"
          label={t('courses.fields.unit')}
          units={units}
          defaultValue={values.unit_id}
          error={errors?.unit_id}
          optional={false}
        />
        <SelectField name="week_year" label={t('courses.fields.week')} defaultValue={values.week_year ?? ''} error={errors?.week_year}>
          <option value="">{t('courses.fields.noWeek')}</option>
          {years.map((y) => (
            <option key={y} value={y}>
              {y}
            </option>
          ))}
        </SelectField>
        <SelectField
          name="audience"
          label={t('courses.fields.audience')}
          defaultValue={values.audience ?? 'everyone'}
          error={errors?.audience}
        >
          {COURSE_AUDIENCES.map((a) => (
            <option key={a} value={a}>
              {t(courseAudienceLabel[a])}
            </option>
          ))}
        </SelectField>
        <SelectField name="level" label={t('courses.fields.level')} defaultValue={values.level ?? 'beginner'} error={errors?.level}>
          {COURSE_LEVELS.map((a) => (
            <option key={a} value={a}>
              {t(courseLevelLabel[a])}
            </option>
          ))}
        </SelectField>
        <TextField
          name="est_hours"
          type="number"
          min={0}
          step={0.5}
          label={t('courses.fields.hours')}
          defaultValue={values.est_hours ?? '2'}
          error={errors?.est_hours}
          inputMode="decimal"
        />
        <SelectField name="language" label={t('courses.fields.language')} defaultValue={values.language ?? 'vi'} error={errors?.language}>
          <option value="vi">Tiếng Việt</option>
          <option value="en">English</option>
        </SelectField>
        <SelectField
          name="licence"
          label={t('courses.fields.licence')}
          defaultValue={values.licence ?? 'cc-by'}
          error={errors?.licence}
          hint={t('courses.fields.licenceHint')}
        >
          {LICENCES.map((l) => (
            <option key={l} value={l}>
              {t(LICENCE_NAME_KEYS[l])}
            </option>
          ))}
        </SelectField>
        <TextField
          name="cover_url"
          label={t('courses.fields.cover')}
          defaultValue={values.cover_url}
          error={errors?.cover_url}
          placeholder="https://"
        />
        <SelectField
          name="enrol_mode"
          label={t('courses.fields.enrolMode')}
          defaultValue={values.enrol_mode ?? 'open'}
          error={errors?.enrol_mode}
        >
          <option value="open">{t('courses.enrolModes.open')}</option>
          <option value="code">{t('courses.enrolModes.code')}</option>
        </SelectField>
        <TextField
          name="enrol_code"
          label={t('courses.fields.enrolCode')}
          defaultValue={values.enrol_code}
          error={errors?.enrol_code}
          hint={t('courses.fields.enrolCodeHint')}
        />
      </div>
      <TextArea
        name="summary"
        label={t('courses.fields.summary')}
        defaultValue={values.summary}
        error={errors?.summary}
        rows={3}
        required
      />
      <TextArea
        name="description_md"
        label={t('courses.fields.description')}
        hint={t('common.markdownHint')}
        defaultValue={values.description_md}
        error={errors?.description_md}
        rows={6}
      />
      <button type="submit" className="primary">
        {submitLabel}
      </button>
    </Form>
  );
}
