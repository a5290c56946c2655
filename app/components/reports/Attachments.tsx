import { Form } from '@remix-run/react';

import type { ATTACHMENT_TYPES } from '~/domain/reports/attachments.server';
import { useT } from '~/i18n/i18n';
import { asKey, type TKey } from '~/i18n/keys';
import { labelOf } from '~/i18n/labels';
import { formatDateTime } from '~/lib/dates';

import type { FieldMessage } from './IndicatorField';

export interface AttachmentRow {
  id: string;
  name: string;
  size: number;
  at: string;
  by: string | null;
}

/** "850 KB", "2,4 MB" in the reader's language. */
export function formatSize(bytes: number, locale: string): string {
  const nf = new Intl.NumberFormat(locale === 'en' ? 'en-GB' : 'vi-VN', { maximumFractionDigits: 1 });
  if (bytes < 1024 * 1024) return `${nf.format(Math.max(1, Math.round(bytes / 1024)))} KB`;
  return `${nf.format(bytes / 1024 / 1024)} MB`;
}

/** The kind of an attached file, by the content type its bytes were accepted as (every accepted type has one). */
const attachmentKindLabel = {
  'application/pdf': 'reports.attachments.kinds.pdf',
  'image/png': 'reports.attachments.kinds.png',
  'image/jpeg': 'reports.attachments.kinds.jpeg',
  'image/webp': 'reports.attachments.kinds.webp',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'reports.attachments.kinds.docx',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'reports.attachments.kinds.xlsx',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'reports.attachments.kinds.pptx',
  'application/vnd.oasis.opendocument.text': 'reports.attachments.kinds.odt',
  'application/vnd.oasis.opendocument.spreadsheet': 'reports.attachments.kinds.ods',
  'application/vnd.oasis.opendocument.presentation': 'reports.attachments.kinds.odp',
} as const satisfies Record<(typeof ATTACHMENT_TYPES)[number], TKey>;

/** "PDF file", "JPEG image"… for a stored content type; a type accepted in the past and no longer listed: "file". */
export function attachmentKindKey(mime: string): TKey {
  return labelOf(attachmentKindLabel, mime) ?? 'reports.attachments.kinds.other';
}

/**
 * The enclosures of the printed report ("Tài liệu kèm theo"), as a Vietnamese administrative
 * document lists them below its body: numbered, each with its file name, kind and size. Nothing
 * when the report has no attachment.
 */
export function PrintEnclosures({ files }: { files: Array<Pick<AttachmentRow, 'id' | 'name' | 'size'> & { mime: string }> }) {
  const { t, locale } = useT();
  if (!files.length) return null;
  return (
    <section className="doc-enclosures" aria-labelledby="doc-enclosures">
      <h2 id="doc-enclosures">{t('reports.print.enclosures')}</h2>
      <ol data-testid="enclosures">
        {files.map((f) => (
          <li key={f.id}>
            {t('reports.print.enclosure', { name: f.name, kind: t(attachmentKindKey(f.mime)), size: formatSize(f.size, locale) })}
          </li>
        ))}
      </ol>
    </section>
  );
}

/**
 * A report's attachments: the list (name → download, size, date) for everyone who reads the
 * report and, while the report can be edited, a remove button per file and the upload form — a
 * plain multipart form that works without JavaScript, its message shown next to the file field.
 */
export function ReportAttachments({
  base,
  files,
  canEdit,
  limits,
  error,
}: {
  base: string;
  files: AttachmentRow[];
  canEdit: boolean;
  limits: { maxMb: number; count: number; totalMb: number };
  error?: FieldMessage;
}) {
  const { t, locale } = useT();
  const params = { max: limits.maxMb, count: limits.count, total: limits.totalMb };
  return (
    <section aria-labelledby="attachments" className="report-panel">
      <h2 id="attachments">{t('reports.attachments.heading')}</h2>
      {files.length ? (
        <ul className="attachment-list" aria-label={t('reports.attachments.listLabel')} data-testid="attachments">
          {files.map((f) => (
            <li key={f.id}>
              <a href={`${base}/attachments/${f.id}`} download={f.name}>
                {f.name}
              </a>{' '}
              <span className="muted">
                {t('reports.attachments.meta', { size: formatSize(f.size, locale), date: formatDateTime(f.at) })}
                {f.by ? ` · ${t('reports.attachments.by', { name: f.by })}` : ''}
              </span>
              {canEdit ? (
                <Form method="post" className="inline-form">
                  <input type="hidden" name="attachmentId" value={f.id} />{' '}
                  <button
                    type="submit"
                    name="intent"
                    value="detach"
                    className="link-button"
                    aria-label={t('reports.attachments.removeNamed', { name: f.name })}
                  >
                    {t('reports.attachments.remove')}
                  </button>
                </Form>
              ) : null}
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">{t('reports.attachments.none')}</p>
      )}
      {canEdit ? (
        <Form method="post" encType="multipart/form-data" className="attachment-form">
          <div className={`field${error ? ' has-error' : ''}`}>
            <label htmlFor="attachment-file">{t('reports.attachments.file')}</label>
            <input
              id="attachment-file"
              type="file"
              name="file"
              accept=".pdf,.png,.jpg,.jpeg,.webp,.docx,.xlsx,.pptx,.odt,.ods,.odp"
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? 'attachment-file-hint attachment-file-error' : 'attachment-file-hint'}
            />
            <p id="attachment-file-hint" className="field-hint">
              {t('reports.attachments.hint', params)}
            </p>
            {error ? (
              <p id="attachment-file-error" className="field-error" role="alert">
                {t(asKey(error.message), { ...params, ...error.params })}
              </p>
            ) : null}
          </div>
          <button type="submit" name="intent" value="attach" className="secondary">
            {t('reports.attachments.upload')}
          </button>
        </Form>
      ) : files.length ? (
        <p className="muted">{t('reports.attachments.lockedNote')}</p>
      ) : null}
    </section>
  );
}
