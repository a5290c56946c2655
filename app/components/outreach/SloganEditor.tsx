/**
 * The slogan list of a unit for a Week: its own slogans (editable by its organisers, each in its
 * own small form that works without JavaScript), the ones it inherits from the units above, and —
 * when there are none at all — slogans made from the theme, one click from being added.
 */
import { Form } from '@remix-run/react';

import { FormError } from '~/components/Field';
import { useT } from '~/i18n/i18n';
import { asKey } from '~/i18n/keys';

export interface SloganView {
  id: string;
  text: string;
  own: boolean;
  unitName: string;
}

export function SloganEditor({
  slogans,
  suggested,
  canManage,
  errors,
  values,
}: {
  slogans: SloganView[];
  suggested: string[];
  canManage: boolean;
  errors: Record<string, string>;
  values: Record<string, string>;
}) {
  const { t } = useT();
  const editingId = values.intent === 'update' ? values.id : null;
  return (
    <section aria-labelledby="slogans-h" className="slogans">
      <h2 id="slogans-h">{t('outreach.slogans.heading')}</h2>
      <FormError error={errors._form} />
      {slogans.length ? (
        <ol className="slogan-list">
          {slogans.map((s, i) => (
            <li key={s.id}>
              {s.own && canManage ? (
                <div className="slogan-edit">
                  <Form method="post" className="slogan-row">
                    <input type="hidden" name="intent" value="update" />
                    <input type="hidden" name="id" value={s.id} />
                    <label htmlFor={`slogan-${s.id}`} className="visually-hidden">
                      {t('outreach.slogans.textN', { n: i + 1 })}
                    </label>
                    <input
                      id={`slogan-${s.id}`}
                      name="text"
                      defaultValue={editingId === s.id ? values.text : s.text}
                      maxLength={200}
                      aria-invalid={editingId === s.id && errors.text ? true : undefined}
                      aria-describedby={editingId === s.id && errors.text ? `slogan-${s.id}-error` : undefined}
                    />
                    <button type="submit" className="button secondary small">
                      {t('outreach.slogans.save')}
                    </button>
                  </Form>
                  <Form method="post">
                    <input type="hidden" name="intent" value="delete" />
                    <input type="hidden" name="id" value={s.id} />
                    <button type="submit" className="button secondary small">
                      {t('outreach.slogans.delete')}
                      <span className="visually-hidden">: {s.text}</span>
                    </button>
                  </Form>
                  {editingId === s.id && errors.text ? (
                    <p id={`slogan-${s.id}-error`} className="field-error" role="alert">
                      {t(asKey(errors.text))}
                    </p>
                  ) : null}
                </div>
              ) : (
                <>
                  <q>{s.text}</q> {s.own ? null : <span className="muted">· {t('outreach.slogans.from', { unit: s.unitName })}</span>}
                </>
              )}
            </li>
          ))}
        </ol>
      ) : (
        <p className="muted">{t('outreach.slogans.none')}</p>
      )}
      {suggested.length ? (
        <>
          <h3>{t('outreach.slogans.suggested')}</h3>
          <ul className="slogan-list">
            {suggested.map((s) => (
              <li key={s}>
                <q>{s}</q>
                {canManage ? (
                  <Form method="post" className="inline-form">
                    <input type="hidden" name="intent" value="add" />
                    <input type="hidden" name="text" value={s} />
                    <button type="submit" className="button secondary small">
                      {t('outreach.slogans.addThis')}
                    </button>
                  </Form>
                ) : null}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {canManage ? (
        <Form method="post" className="card" noValidate>
          <input type="hidden" name="intent" value="add" />
          <div className={`field${values.intent === 'add' && errors.text ? ' has-error' : ''}`}>
            <label htmlFor="new-slogan">{t('outreach.slogans.new')}</label>
            <input
              id="new-slogan"
              name="text"
              maxLength={200}
              defaultValue={values.intent === 'add' ? values.text : ''}
              aria-invalid={values.intent === 'add' && errors.text ? true : undefined}
              aria-describedby={values.intent === 'add' && errors.text ? 'new-slogan-error' : undefined}
            />
            {values.intent === 'add' && errors.text ? (
              <p id="new-slogan-error" className="field-error" role="alert">
                {t(asKey(errors.text))}
              </p>
            ) : null}
          </div>
          <button type="submit" className="button">
            {t('outreach.slogans.add')}
          </button>
        </Form>
      ) : null}
    </section>
  );
}
