/**
 * The resumable upload of an entry file (issue #15): `tus-js-client` (loaded with `import()` only
 * when an upload starts) sends the file to `/uploads/tus` in 1 MB pieces; a dropped connection is
 * retried, and when the browser comes back online the upload continues from the offset the server
 * reports. A second press of «Submit» after a failure resumes the same upload (the client remembers
 * it by the file's fingerprint). The server's refusal codes are shown as translated messages.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { DetailedError, Upload } from 'tus-js-client';

import { useT } from '~/i18n/i18n';
import type { TKey } from '~/i18n/keys';
import { labelText } from '~/i18n/labels';

export const TUS_ENDPOINT = '/uploads/tus';

/** Refusal codes of the upload endpoint → messages (literal keys). */
const uploadErrorKey: Record<string, TKey> = {
  too_large: 'contests.entries.errors.too_large',
  too_short: 'contests.entries.errors.too_short',
  too_long: 'contests.entries.errors.too_long',
  empty: 'contests.entries.errors.empty',
  not_media: 'contests.entries.errors.not_media',
  unreadable: 'contests.entries.errors.not_media',
  wrong_kind: 'contests.entries.errors.wrong_kind',
  not_open: 'contests.entries.errors.not_open',
  promoted_stage: 'contests.entries.errors.promoted_stage',
  not_registered: 'contests.errors.not_registered',
  not_found: 'contests.errors.not_found',
  forbidden: 'contests.upload.errors.signed_out',
  upload_missing: 'contests.upload.errors.upload_missing',
  no_length: 'contests.upload.errors.no_length',
  rate_limited: 'contests.upload.errors.rate_limited',
};

export type UploadState =
  | { phase: 'idle' }
  | { phase: 'uploading'; percent: number; resumed: boolean }
  | { phase: 'offline'; percent: number }
  | { phase: 'done' }
  | { phase: 'failed'; code: string | null; params: Record<string, string | number> };

function refusalOf(e: Error): { code: string | null; params: Record<string, string | number> } {
  const body = (e as DetailedError).originalResponse?.getBody?.();
  if (body) {
    try {
      const v = JSON.parse(body) as { code?: unknown; params?: unknown };
      if (typeof v.code === 'string') return { code: v.code, params: (v.params ?? {}) as Record<string, string | number> };
    } catch {
      /* not ours */
    }
  }
  return { code: null, params: {} };
}

/** Uploads `file` for `roundId`; resolves with the upload id once the server accepted the whole file. */
export function useResumableUpload(roundId: string) {
  const [state, setState] = useState<UploadState>({ phase: 'idle' });
  const current = useRef<Upload | null>(null);
  const onlineHandler = useRef<(() => void) | null>(null);

  useEffect(
    () => () => {
      if (onlineHandler.current) window.removeEventListener('online', onlineHandler.current);
      void current.current?.abort();
    },
    [],
  );

  const upload = useCallback(
    async (file: File): Promise<string | null> => {
      const { Upload } = await import('tus-js-client');
      const percentOf = (sent: number, total: number) => (total > 0 ? Math.floor((sent / total) * 100) : 0);
      return new Promise<string | null>((resolve) => {
        let lastPercent = 0;
        let resumed = false;
        const u = new Upload(file, {
          endpoint: new URL(TUS_ENDPOINT, window.location.href).href,
          chunkSize: 1024 * 1024,
          retryDelays: [0, 1000, 3000, 5000, 10000, 20000],
          removeFingerprintOnSuccess: true,
          metadata: { roundId, filename: file.name, filetype: file.type },
          onProgress(sent, total) {
            lastPercent = percentOf(sent, total);
            setState({ phase: 'uploading', percent: lastPercent, resumed });
          },
          onShouldRetry(err) {
            const status = (err as DetailedError).originalResponse?.getStatus?.() ?? 0;
            if (status >= 400 && status < 500 && status !== 409 && status !== 423) return false;
            resumed = true;
            setState(navigator.onLine ? { phase: 'uploading', percent: lastPercent, resumed } : { phase: 'offline', percent: lastPercent });
            return true;
          },
          onSuccess() {
            const id = (u.url ?? '').split('/').pop() ?? '';
            setState({ phase: 'done' });
            resolve(id || null);
          },
          onError(err) {
            const r = refusalOf(err);
            if (!r.code && !navigator.onLine) {
              // Offline for longer than the retries: continue by itself when the network is back.
              setState({ phase: 'offline', percent: lastPercent });
              const again = () => {
                window.removeEventListener('online', again);
                onlineHandler.current = null;
                resumed = true;
                setState({ phase: 'uploading', percent: lastPercent, resumed });
                u.start();
              };
              onlineHandler.current = again;
              window.addEventListener('online', again);
              return;
            }
            setState({ phase: 'failed', code: r.code, params: r.params });
            resolve(null);
          },
        });
        current.current = u;
        setState({ phase: 'uploading', percent: 0, resumed: false });
        void u
          .findPreviousUploads()
          .then((prev) => {
            if (prev[0]) {
              resumed = true;
              u.resumeFromPreviousUpload(prev[0]);
            }
          })
          .catch(() => undefined)
          .finally(() => u.start());
      });
    },
    [roundId],
  );

  return { state, upload };
}

/** The progress bar and its live message. */
export function UploadProgress({ state }: { state: UploadState }) {
  const { t } = useT();
  if (state.phase === 'idle') return <p className="visually-hidden" role="status" aria-live="polite" />;
  const percent = state.phase === 'uploading' || state.phase === 'offline' ? state.percent : state.phase === 'done' ? 100 : null;
  const message =
    state.phase === 'uploading'
      ? state.resumed
        ? t('contests.upload.resuming', { percent: state.percent })
        : t('contests.upload.progress', { percent: state.percent })
      : state.phase === 'offline'
        ? t('contests.upload.offline', { percent: state.percent })
        : state.phase === 'done'
          ? t('contests.upload.done')
          : '';
  return (
    <div className="upload-progress">
      {percent != null ? (
        <progress max={100} value={percent} aria-label={t('contests.upload.progressLabel')}>
          {percent}%
        </progress>
      ) : null}
      <p role="status" aria-live="polite">
        {message}
      </p>
      {state.phase === 'failed' ? (
        <p className="field-error" role="alert">
          {state.code && uploadErrorKey[state.code]
            ? labelText((k) => t(k, state.params), uploadErrorKey, state.code)
            : t('contests.upload.failed')}
        </p>
      ) : null}
    </div>
  );
}
