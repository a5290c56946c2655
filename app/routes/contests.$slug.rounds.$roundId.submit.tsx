import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation, useSubmit } from '@remix-run/react';
import { type FormEvent, useState, useSyncExternalStore } from 'react';

import { Breadcrumb } from '~/components/Breadcrumb';
import { entryKindLabel } from '~/components/contests/entry-labels';
import { EntryPlayer } from '~/components/contests/EntryPlayer';
import { Recorder } from '~/components/contests/Recorder';
import { UploadProgress, useResumableUpload } from '~/components/contests/ResumableUpload';
import { TextArea, TextField } from '~/components/Field';
import { discardTemp, submitEntry } from '~/domain/contests/entries.server';
import { submitPage } from '~/domain/contests/entries-pages.server';
import { attachUpload } from '~/domain/contests/uploads.server';
import { submitWithUploadSchema } from '~/forms/contest-uploads';
import { useT } from '~/i18n/i18n';
import { asKey } from '~/i18n/keys';
import { clientIp, getUser, requireUser } from '~/lib/auth.server';
import { formatDateTime } from '~/lib/dates';
import { getDb } from '~/lib/db.server';
import { entryFailures } from '~/lib/failures/contest-entries.server';
import { uploadFailures } from '~/lib/failures/contest-uploads.server';
import { redirectWithFlash } from '~/lib/flash.server';
import { parseForm } from '~/lib/forms.server';
import { badRequest, notFound } from '~/lib/http.server';
import { consumeUploadStart } from '~/lib/rate-limit.server';
import { receiveEntryForm } from '~/lib/uploads/contest-entry-form.server';
import { tusUploads } from '~/lib/uploads/tus.server';
import styles from '~/styles/contests.css';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => (data ? [{ title: `${data.round.title} · ${data.contest.title}` }] : []);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await getUser(request);
  const p = await submitPage(getDb(), params.slug!, params.roundId!, user?.id ?? null);
  if (p.status !== 'ok') notFound();
  const r = p.round;
  return json({
    contest: { slug: p.contest.slug, title: p.contest.title },
    round: {
      id: r.id,
      title: r.title,
      kind: r.entry_kind,
      passageTitle: r.passage_title,
      passageText: r.passage_text,
      minSeconds: r.min_seconds,
      maxSeconds: r.max_seconds,
      maxMb: Math.floor(r.max_bytes / 1048576),
      closesAt: r.closes_at,
      promoted: !!r.previous_round_id,
    },
    phase: p.phase,
    signedIn: !!user,
    registered: p.registered,
    mine: p.mine
      ? {
          id: p.mine.id,
          title: p.mine.title,
          bodyText: p.mine.body_text,
          mime: p.mine.mime,
          durationS: p.mine.duration_s,
          replaced: p.mine.replaced_count,
          updatedAt: p.mine.updated_at,
        }
      : null,
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const db = getDb();
  const p = await submitPage(db, params.slug!, params.roundId!, user.id);
  if (p.status !== 'ok') notFound();
  // A form carrying a file starts an upload: one point of the account's and address's budget, before its bytes are written.
  const up = await receiveEntryForm(request, p.round.max_bytes, { beforeFile: () => consumeUploadStart(user.id, clientIp(request), db) });
  try {
    const parsed = parseForm(submitWithUploadSchema, up.form);
    if (!parsed.ok) return badRequest({ errors: parsed.errors, values: parsed.values, params: {} as Record<string, string | number> });
    if (up.limited != null)
      return json(
        {
          errors: { file: uploadFailures.rate_limited.message } as Record<string, string>,
          values: parsed.values,
          params: { seconds: up.limited } as Record<string, string | number>,
        },
        { status: uploadFailures.rate_limited.status },
      );
    // A finished resumable upload (the page's script uploaded the file before posting the form).
    const uploadId = parsed.data.upload_id;
    if (uploadId && !up.tempFile) {
      const tus = tusUploads();
      const r = await attachUpload(
        db,
        user.id,
        p.round.id,
        uploadId,
        { title: parsed.data.title, bodyText: parsed.data.body_text },
        tus.filePath(uploadId),
      );
      if (!r.ok)
        return json(
          {
            errors: { file: uploadFailures[r.code].message } as Record<string, string>,
            values: parsed.values,
            params: (r.detail ?? {}) as Record<string, string | number>,
          },
          { status: uploadFailures[r.code].status },
        );
      await tus.remove(uploadId);
      return redirectWithFlash(`/contests/${p.contest.slug}/rounds/${p.round.id}/submit`, {
        message: r.value.replaced ? 'contests.entries.flash.replaced' : 'contests.entries.flash.submitted',
      });
    }
    if (up.tooBig)
      return badRequest({
        errors: { file: entryFailures.too_large.message } as Record<string, string>,
        values: parsed.values,
        params: { maxMb: Math.floor(p.round.max_bytes / 1048576) } as Record<string, string | number>,
      });
    const r = await submitEntry(db, user.id, p.round.id, {
      title: parsed.data.title,
      bodyText: parsed.data.body_text,
      tempFile: up.tempFile,
    });
    if (!r.ok)
      return json(
        {
          errors: { file: entryFailures[r.code].message } as Record<string, string>,
          values: parsed.values,
          params: (r.detail ?? {}) as Record<string, string | number>,
        },
        { status: entryFailures[r.code].status },
      );
    return redirectWithFlash(`/contests/${p.contest.slug}/rounds/${p.round.id}/submit`, {
      message: r.value.replaced ? 'contests.entries.flash.replaced' : 'contests.entries.flash.submitted',
    });
  } finally {
    await discardTemp(up.tempFile);
  }
}

const noSubscribe = () => () => undefined;

export default function Submit() {
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const nav = useNavigation();
  const { t } = useT();
  const base = `/contests/${d.contest.slug}`;
  const values = a?.values ?? {};
  const fileError = a?.errors?.file;
  const submit = useSubmit();
  // The recorder and the resumable upload exist only once the page's script runs; without it the
  // form posts its file field as before.
  const hydrated = useSyncExternalStore(
    noSubscribe,
    () => true,
    () => false,
  );
  const [recording, setRecording] = useState<File | null>(null);
  const [picked, setPicked] = useState(false);
  const { state: upState, upload } = useResumableUpload(d.round.id);
  const busy = nav.state !== 'idle' || upState.phase === 'uploading' || upState.phase === 'offline';
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    const form = e.currentTarget;
    const input = form.elements.namedItem('file');
    const chosen = input instanceof HTMLInputElement ? (input.files?.[0] ?? null) : null;
    const file = chosen ?? recording;
    if (!file) return; // nothing to upload (a title change, an essay): the plain post
    e.preventDefault();
    const fd = new FormData(form);
    fd.delete('file');
    void upload(file).then((id) => {
      if (!id) return;
      fd.set('upload_id', id);
      submit(fd, { method: 'post', encType: 'multipart/form-data' });
    });
  };
  return (
    <>
      <Breadcrumb
        items={[{ to: '/contests', label: t('contests.list.title') }, { to: base, label: d.contest.title }, { label: d.round.title }]}
      />
      <h1>{t('contests.entries.submit.title', { round: d.round.title })}</h1>
      <p>
        {t(entryKindLabel[d.round.kind])}
        {d.round.kind === 'audio' || d.round.kind === 'video'
          ? ` · ${t('contests.entries.submit.limits', { min: d.round.minSeconds, max: d.round.maxSeconds })}`
          : null}
        {' · '}
        {t('contests.entries.submit.window', { to: formatDateTime(d.round.closesAt) })}
      </p>
      {d.round.passageText ? (
        <section className="card passage" aria-labelledby="passage-h">
          <h2 id="passage-h">{d.round.passageTitle || t('contests.entries.submit.passage')}</h2>
          <div className="passage-text">
            {d.round.passageText.split(/\n{2,}/).map((para, i) => (
              <p key={i}>{para}</p>
            ))}
          </div>
        </section>
      ) : null}
      {d.mine ? (
        <section className="card" aria-labelledby="mine-h">
          <h2 id="mine-h">{t('contests.entries.submit.mine')}</h2>
          <p>
            <strong>{d.mine.title}</strong> · {formatDateTime(d.mine.updatedAt)}
            {d.mine.replaced ? ` · ${t('contests.entries.submit.replaced', { n: d.mine.replaced })}` : null}
          </p>
          <EntryPlayer src={`${base}/entries/${d.mine.id}/media`} mime={d.mine.mime} label={d.mine.title} />
          {d.mine.bodyText ? <p>{d.mine.bodyText}</p> : null}
        </section>
      ) : null}
      {d.round.promoted ? (
        <p>{t('contests.entries.submit.promoted')}</p>
      ) : !d.signedIn ? (
        <p>
          <Link to={`/login?redirectTo=${encodeURIComponent(`${base}/rounds/${d.round.id}/submit`)}`}>
            {t('contests.entries.submit.signIn')}
          </Link>
        </p>
      ) : !d.registered ? (
        <p>
          {t('contests.entries.submit.notRegistered')} <Link to={base}>{t('contests.entries.submit.register')}</Link>
        </p>
      ) : d.phase !== 'open' ? (
        <p>{t('contests.entries.submit.closed')}</p>
      ) : (
        <Form method="post" encType="multipart/form-data" className="stack" aria-labelledby="send-h" onSubmit={onSubmit}>
          <h2 id="send-h">{t('contests.entries.submit.send')}</h2>
          {d.mine ? <p>{t('contests.entries.submit.replaceNote')}</p> : null}
          <TextField
            name="title"
            label={t('contests.entries.fields.entryTitle')}
            defaultValue={values.title ?? d.mine?.title ?? ''}
            error={a?.errors?.title}
            required
            maxLength={200}
          />
          {d.round.kind === 'essay' || d.round.kind === 'photo' ? (
            <TextArea
              name="body_text"
              label={t('contests.entries.fields.bodyText')}
              defaultValue={values.body_text ?? d.mine?.bodyText ?? ''}
              error={a?.errors?.body_text}
              rows={d.round.kind === 'essay' ? 12 : 3}
            />
          ) : null}
          {hydrated && (d.round.kind === 'audio' || d.round.kind === 'video') ? (
            <Recorder
              kind={d.round.kind}
              minSeconds={d.round.minSeconds}
              maxSeconds={d.round.maxSeconds}
              passageTitle={d.round.passageTitle}
              passageText={d.round.passageText}
              onRecording={setRecording}
            />
          ) : null}
          {d.round.kind !== 'essay' ? (
            <div className="field">
              <label htmlFor="f-file">
                {hydrated && (d.round.kind === 'audio' || d.round.kind === 'video')
                  ? t('contests.upload.chooseFile')
                  : t('contests.entries.fields.file')}
              </label>
              <p id="f-file-hint" className="hint">
                {t('contests.entries.submit.fileHint', { mb: d.round.maxMb })}
              </p>
              <input
                id="f-file"
                type="file"
                name="file"
                accept={d.round.kind === 'photo' ? 'image/*' : d.round.kind === 'video' ? 'video/*' : 'audio/*,video/webm'}
                capture={d.round.kind === 'photo' ? 'environment' : undefined}
                aria-describedby={fileError ? 'f-file-hint f-file-error' : 'f-file-hint'}
                aria-invalid={fileError ? true : undefined}
                onChange={(e) => setPicked(!!e.currentTarget.files?.length)}
              />
              {picked && recording ? <p className="hint">{t('contests.recorder.fileWins')}</p> : null}
              {fileError ? (
                <p id="f-file-error" className="field-error" role="alert">
                  {t(asKey(fileError), a?.params ?? {})}
                </p>
              ) : null}
            </div>
          ) : null}
          {hydrated ? <UploadProgress state={upState.phase === 'done' && nav.state === 'idle' ? { phase: 'idle' } : upState} /> : null}
          <div className="actions">
            <button type="submit" className="button" disabled={busy}>
              {t('contests.entries.submit.send')}
            </button>
          </div>
        </Form>
      )}
    </>
  );
}
