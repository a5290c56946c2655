import { Form } from '@remix-run/react';

import { SelectField, TextArea, TextField } from '~/components/Field';
import { QUESTION_KINDS } from '~/db/schema/courses';
import { useT } from '~/i18n/i18n';
import { questionKindLabel } from '~/i18n/labels';

type Values = Record<string, string | undefined>;

/**
 * A quiz question as a teacher writes it, for all five kinds, without JavaScript: options one per
 * line; the key as option numbers, true/false, or accepted answers one per line. Used to add a
 * question and to edit one (`questionId`); `idPrefix` keeps ids unique when both are on a page.
 */
export function QuestionForm({
  intent,
  idPrefix,
  values,
  errors,
  submitLabel,
  questionId,
  formKey,
}: {
  intent: string;
  idPrefix: string;
  values: Values;
  errors?: Record<string, string>;
  submitLabel: string;
  questionId?: string;
  formKey?: string | number;
}) {
  const { t } = useT();
  const id = (name: string) => `${idPrefix}-${name}`;
  // A posted or stored question says whether folding is on; a blank form defaults to on.
  const fold = values.kind ? values.fold === 'on' : true;
  return (
    <Form method="post" noValidate key={formKey}>
      <input type="hidden" name="intent" value={intent} />
      {questionId ? <input type="hidden" name="questionId" value={questionId} /> : null}
      <SelectField id={id('kind')} name="kind" label={t('courses.fields.kind')} defaultValue={values.kind ?? 'single'} error={errors?.kind}>
        {QUESTION_KINDS.map((k) => (
          <option key={k} value={k}>
            {t(questionKindLabel[k])}
          </option>
        ))}
      </SelectField>
      <TextArea
        id={id('prompt')}
        name="prompt"
        label={t('courses.fields.prompt')}
        defaultValue={values.prompt}
        error={errors?.prompt}
        rows={2}
      />
      <TextArea
        id={id('options')}
        name="options"
        label={t('courses.fields.options')}
        hint={t('courses.fields.optionsHint')}
        defaultValue={values.options}
        error={errors?.options}
        rows={4}
      />
      <TextField
        id={id('correct')}
        name="correct"
        label={t('courses.fields.correct')}
        hint={t('courses.fields.correctHint')}
        defaultValue={values.correct}
        error={errors?.correct}
      />
      <SelectField
        id={id('true_false')}
        name="true_false"
        label={t('courses.fields.trueFalse')}
        defaultValue={values.true_false ?? ''}
        error={errors?.true_false}
      >
        <option value="">{t('common.choose')}</option>
        <option value="true">{t('courses.quiz.true')}</option>
        <option value="false">{t('courses.quiz.false')}</option>
      </SelectField>
      <TextArea
        id={id('accepted')}
        name="accepted"
        label={t('courses.fields.accepted')}
        hint={t('courses.fields.acceptedHint')}
        defaultValue={values.accepted}
        error={errors?.accepted}
        rows={3}
      />
      <div className="field checkbox">
        <label>
          <input type="checkbox" name="fold" defaultChecked={fold} /> {t('courses.fields.fold')}
        </label>
      </div>
      <TextArea
        id={id('explanation')}
        name="explanation"
        label={t('courses.fields.explanation')}
        defaultValue={values.explanation}
        error={errors?.explanation}
        rows={2}
      />
      <TextField
        id={id('points')}
        name="points"
        type="number"
        min={1}
        max={100}
        label={t('courses.fields.points')}
        defaultValue={values.points ?? '1'}
        error={errors?.points}
      />
      <button type="submit" className="primary">
        {submitLabel}
      </button>
    </Form>
  );
}
