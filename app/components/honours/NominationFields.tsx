import { TextArea, TextField } from '~/components/Field';
import { HONOUR_CATEGORIES } from '~/db/schema/honours';
import { useT } from '~/i18n/i18n';
import { asKey } from '~/i18n/keys';

import { honourCategoryLabel } from './labels';

/** The fields shared by the new and edit forms; `v` holds what was typed (or stored). */
export function NominationFields({ v, e }: { v: Record<string, string | undefined>; e: Record<string, string | undefined> }) {
  const { t } = useT();
  return (
    <>
      <fieldset className="field">
        <legend>{t('honours.fields.category')}</legend>
        {HONOUR_CATEGORIES.map((c) => (
          <label key={c} className="choice">
            <input type="radio" name="category" value={c} defaultChecked={(v.category ?? 'self_learner') === c} />{' '}
            {t(honourCategoryLabel[c])}
          </label>
        ))}
        {e.category ? (
          <p className="field-error" role="alert">
            {t(asKey(e.category))}
          </p>
        ) : null}
      </fieldset>
      <TextField
        name="nominee_name"
        label={t('honours.fields.nomineeName')}
        defaultValue={v.nominee_name}
        error={e.nominee_name}
        required
        maxLength={200}
      />
      <TextField
        name="nominee_email"
        type="email"
        label={t('honours.fields.nomineeEmail')}
        hint={t('honours.fields.nomineeEmailHint')}
        defaultValue={v.nominee_email}
        error={e.nominee_email}
        maxLength={200}
        autoComplete="off"
      />
      <TextField
        name="nominee_birth_year"
        label={t('honours.fields.nomineeBirthYear')}
        hint={t('honours.fields.nomineeBirthYearHint')}
        inputMode="numeric"
        defaultValue={v.nominee_birth_year}
        error={e.nominee_birth_year}
        maxLength={4}
      />
      <div className="field">
        <label className="choice">
          <input type="checkbox" name="consent" defaultChecked={v.consent === 'on' || v.consent === '1'} /> {t('honours.fields.consent')}
        </label>
      </div>
      <TextField name="consent_by" label={t('honours.fields.consentBy')} defaultValue={v.consent_by} error={e.consent_by} maxLength={200} />
      <TextField
        name="headline"
        label={t('honours.fields.headline')}
        defaultValue={v.headline}
        error={e.headline}
        required
        maxLength={200}
      />
      <TextArea
        name="citation_md"
        label={t('honours.fields.citation')}
        hint={t('honours.fields.citationHint')}
        defaultValue={v.citation_md}
        error={e.citation_md}
        rows={8}
      />
      <TextArea
        name="evidence"
        label={t('honours.fields.evidence')}
        hint={t('honours.fields.evidenceHint')}
        defaultValue={v.evidence}
        error={e.evidence}
        rows={3}
      />
    </>
  );
}
