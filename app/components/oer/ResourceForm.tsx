import { Form } from '@remix-run/react';
import { useEffect, useState } from 'react';

import { FormError, SelectField, TextArea, TextField } from '~/components/Field';
import { SafeHtml } from '~/components/Markdown';
import { LICENCES, RESOURCE_KINDS, RESOURCE_LEVELS, SUBJECTS } from '~/db/schema/oer';
import { useT } from '~/i18n/i18n';
import { languageLabel, licenceNameLabel, resourceKindLabel, resourceLevelLabel, subjectLabel } from '~/i18n/labels';

type Values = Record<string, string>;

/**
 * The create/edit form. Works without JS (multipart post, a Preview submit button re-renders the
 * page with the sanitised preview); with JS the preview follows typing through /resources/preview.
 */
export function ResourceForm({
  units,
  values,
  errors,
  previewHtml,
  currentFile,
  submitLabel,
}: {
  units: Array<{ id: string; name: string }>;
  values: Values;
  errors?: Record<string, string>;
  previewHtml?: string | null;
  currentFile?: string | null;
  submitLabel: string;
}) {
  const { t } = useT();
  const [body, setBody] = useState(values.body_md ?? '');
  const [hydrated, setHydrated] = useState(false);
  const [live, setLive] = useState<string | null>(null);
  useEffect(() => setHydrated(true), []);
  // A plain fetch, not a Remix fetcher: a fetcher action makes the router reload the page's data
  // when it answers and, if that happens while the save is navigating to the new page, the router
  // shows its reload instead of the navigation's — whose root data carried the one-time "saved"
  // message, now read and gone (the flaky oer browser tests). The preview changes nothing on the
  // server, so nothing needs reloading: tests/browser/oer-resource-flash.test.ts.
  useEffect(() => {
    if (!hydrated) return;
    if (!body.trim()) return; // nothing to show: no request
    const abort = new AbortController();
    const h = setTimeout(() => {
      const fd = new FormData();
      fd.set('body_md', body);
      fetch('/resources/preview', { method: 'POST', body: fd, signal: abort.signal, headers: { Accept: 'application/json' } })
        .then((r) => (r.ok ? (r.json() as Promise<{ html: string }>) : null))
        .then((d) => {
          if (d && typeof d.html === 'string') setLive(d.html);
        })
        .catch(() => undefined); // aborted (newer text) or offline: the last preview stays
    }, 400);
    return () => {
      clearTimeout(h);
      abort.abort();
    };
  }, [body, hydrated]);
  const html = !hydrated ? previewHtml : body.trim() ? (live ?? previewHtml) : '';
  const e = errors ?? {};
  return (
    <Form method="post" encType="multipart/form-data" noValidate className="oer-form">
      <FormError error={e._form} />
      <div className="form-grid">
        <SelectField
          name="unit_id"
          label={t('oer.form.unit')}
          defaultValue={values.unit_id ?? units[0]?.id ?? ''}
          error={e.unit_id}
          required
        >
          {units.map((u) => (
            <option key={u.id} value={u.id}>
              {u.name}
            </option>
          ))}
        </SelectField>
        <SelectField name="kind" label={t('oer.form.kind')} defaultValue={values.kind ?? ''} error={e.kind} required>
          <option value="">{t('common.choose')}</option>
          {RESOURCE_KINDS.map((k) => (
            <option key={k} value={k}>
              {t(resourceKindLabel[k])}
            </option>
          ))}
        </SelectField>
      </div>
      <TextField name="title" label={t('oer.form.title')} defaultValue={values.title} error={e.title} required maxLength={300} />
      <TextArea name="summary" label={t('oer.form.summary')} defaultValue={values.summary} error={e.summary} required rows={3} />
      <div className="form-grid">
        <TextArea
          name="authors"
          label={t('oer.form.authors')}
          hint={t('oer.form.authorsHint')}
          defaultValue={values.authors}
          error={e.authors}
          required
          rows={2}
        />
        <TextField name="rights_holder" label={t('oer.form.rightsHolder')} defaultValue={values.rights_holder} error={e.rights_holder} />
        <SelectField name="subject" label={t('oer.form.subject')} defaultValue={values.subject ?? ''} error={e.subject} required>
          <option value="">{t('common.choose')}</option>
          {SUBJECTS.map((s) => (
            <option key={s} value={s}>
              {t(subjectLabel[s])}
            </option>
          ))}
        </SelectField>
        <SelectField name="level" label={t('oer.form.level')} defaultValue={values.level ?? ''} error={e.level} required>
          <option value="">{t('common.choose')}</option>
          {RESOURCE_LEVELS.map((s) => (
            <option key={s} value={s}>
              {t(resourceLevelLabel[s])}
            </option>
          ))}
        </SelectField>
        <SelectField name="language" label={t('oer.form.language')} defaultValue={values.language ?? 'vi'} error={e.language} required>
          {(['vi', 'en', 'other'] as const).map((s) => (
            <option key={s} value={s}>
              {t(languageLabel[s])}
            </option>
          ))}
        </SelectField>
        <SelectField name="licence" label={t('oer.form.licence')} defaultValue={values.licence ?? 'cc-by'} error={e.licence} required>
          {LICENCES.map((s) => (
            <option key={s} value={s}>
              {t(licenceNameLabel[s])}
            </option>
          ))}
        </SelectField>
        <TextField
          name="years"
          label={t('oer.form.years')}
          defaultValue={values.years}
          error={e.years}
          placeholder="2024"
          inputMode="numeric"
        />
        <TextField
          name="duration_minutes"
          label={t('oer.form.durationMinutes')}
          defaultValue={values.duration_minutes}
          error={e.duration_minutes}
          inputMode="numeric"
        />
        <TextField
          name="page_count"
          label={t('oer.form.pageCount')}
          defaultValue={values.page_count}
          error={e.page_count}
          inputMode="numeric"
        />
      </div>
      <fieldset>
        <legend>{t('oer.form.media')}</legend>
        {currentFile ? <p className="muted">{t('oer.form.currentFile', { name: currentFile })}</p> : null}
        <TextField name="media" type="file" label={t('oer.form.media')} hint={t('oer.form.mediaHint')} error={e.media} />
        <TextField name="captions" type="file" accept=".vtt,text/vtt" label={t('oer.form.captions')} error={e.captions} />
        <TextField
          name="thumbnail"
          type="file"
          accept="image/png,image/jpeg,image/webp"
          label={t('oer.form.thumbnail')}
          error={e.thumbnail}
        />
        <TextField
          name="hls_url"
          type="url"
          label={t('oer.form.hlsUrl')}
          defaultValue={values.hls_url}
          error={e.hls_url}
          placeholder="https://…/index.m3u8"
        />
        <TextField
          name="external_url"
          type="url"
          label={t('oer.form.externalUrl')}
          defaultValue={values.external_url}
          error={e.external_url}
          placeholder="https://"
        />
        <TextArea
          name="chapters"
          label={t('oer.form.chapters')}
          hint={t('oer.form.chaptersHint')}
          defaultValue={values.chapters}
          error={e.chapters}
          rows={4}
        />
      </fieldset>
      <TextArea
        name="body_md"
        label={t('oer.form.body')}
        hint={`${t('oer.form.bodyHint')} ${t('common.markdownHint')}`}
        value={body}
        onChange={(ev) => setBody(ev.target.value)}
        error={e.body_md}
        rows={12}
      />
      {html ? (
        <section aria-live="polite" aria-label={t('oer.form.previewHeading')} className="oer-preview card">
          <h2>{hydrated ? t('oer.form.livePreview') : t('oer.form.previewHeading')}</h2>
          <SafeHtml html={html} />
        </section>
      ) : null}
      <div className="actions">
        {hydrated ? null : (
          <button type="submit" name="intent" value="preview" className="secondary">
            {t('oer.form.preview')}
          </button>
        )}
        <button type="submit" name="intent" value="save" className="primary">
          {submitLabel}
        </button>
      </div>
    </Form>
  );
}
