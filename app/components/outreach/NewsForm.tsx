import { Form } from '@remix-run/react';

import { FormError, TextArea, TextField } from '~/components/Field';
import { useT } from '~/i18n/i18n';
import { asKey } from '~/i18n/keys';

type FieldErrors = Record<string, string>;

export interface NewsFormItem {
  id: string;
  version: number;
  photoUrl: string | null;
  photoAlt: string | null;
}

/**
 * The news form (write or edit): title, day, Markdown, cover photo, and when it goes public —
 * now, at a day and time, or kept as a draft. A plain multipart form (works without JavaScript).
 */
export function NewsForm({
  values,
  errors,
  item,
  today,
}: {
  /** What was typed (after a refused post), else the stored item's fields. */
  values: Record<string, string>;
  errors: FieldErrors;
  /** The item being edited; absent when writing a new one. */
  item?: NewsFormItem;
  today: string;
}) {
  const { t } = useT();
  const publish = values.publish ?? 'now';
  return (
    <Form method="post" encType="multipart/form-data" noValidate>
      <FormError error={errors._form} />
      <input type="hidden" name="intent" value={item ? 'update' : 'post'} />
      {item ? (
        <>
          <input type="hidden" name="id" value={item.id} />
          <input type="hidden" name="version" value={item.version} />
        </>
      ) : null}
      <TextField name="title" label={t('outreach.news.title')} defaultValue={values.title} error={errors.title} maxLength={200} required />
      <TextField
        name="date"
        label={t('outreach.news.date')}
        hint={t('outreach.news.dateHint')}
        defaultValue={values.date ?? today}
        error={errors.date}
        inputMode="numeric"
        required
      />
      <TextArea
        name="body"
        label={t('outreach.news.body')}
        hint={t('outreach.news.bodyHint')}
        defaultValue={values.body}
        error={errors.body}
        rows={6}
      />
      {item?.photoUrl ? (
        <div className="field">
          <img className="news-photo" src={item.photoUrl} alt={item.photoAlt ?? ''} />
          <label>
            <input type="checkbox" name="removePhoto" defaultChecked={values.removePhoto === 'on'} /> {t('outreach.news.removePhoto')}
          </label>
        </div>
      ) : null}
      <div className={`field${errors.photo ? ' has-error' : ''}`}>
        <label htmlFor="photo">{item?.photoUrl ? t('outreach.news.replacePhoto') : t('outreach.news.photo')}</label>
        <p id="photo-hint" className="field-hint">
          {t('outreach.news.photoHint')}
        </p>
        <input
          id="photo"
          name="photo"
          type="file"
          accept="image/png,image/jpeg,image/webp"
          aria-describedby={errors.photo ? 'photo-error photo-hint' : 'photo-hint'}
          aria-invalid={errors.photo ? true : undefined}
        />
        {errors.photo ? (
          <p id="photo-error" className="field-error" role="alert">
            {t(asKey(errors.photo))}
          </p>
        ) : null}
      </div>
      <TextField
        name="photoAlt"
        label={t('outreach.news.photoAlt')}
        defaultValue={values.photoAlt ?? item?.photoAlt ?? ''}
        error={errors.photoAlt}
        maxLength={300}
      />
      <fieldset className={`news-publish${errors.publishDay ? ' has-error' : ''}`}>
        <legend>{t('outreach.news.when')}</legend>
        <label>
          <input type="radio" name="publish" value="now" defaultChecked={publish === 'now'} /> {t('outreach.news.publishNow')}
        </label>
        <label>
          <input type="radio" name="publish" value="schedule" defaultChecked={publish === 'schedule'} /> {t('outreach.news.publishLater')}
        </label>
        <div className="news-schedule">
          <TextField
            name="publishDay"
            label={t('outreach.news.publishDay')}
            hint={t('outreach.news.dateHint')}
            defaultValue={values.publishDay}
            error={errors.publishDay}
            inputMode="numeric"
          />
          <TextField
            name="publishTime"
            label={t('outreach.news.publishTime')}
            hint={t('outreach.news.timeHint')}
            defaultValue={values.publishTime}
            inputMode="numeric"
          />
        </div>
        <label>
          <input type="radio" name="publish" value="draft" defaultChecked={publish === 'draft'} /> {t('outreach.news.keepDraft')}
        </label>
      </fieldset>
      <button type="submit" className="button">
        {item ? t('outreach.news.save') : t('outreach.news.submit')}
      </button>
    </Form>
  );
}
