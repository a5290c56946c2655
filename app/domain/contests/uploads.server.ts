/**
 * Resumable uploads of contest entries (issue #15, the tus protocol): who may start one (a signed-in
 * entrant of a round whose window is open, within the round's size cap), whose an upload is, the
 * content check when its last byte arrives (the same checks as a form upload: container by its
 * first bytes, kind, duration by ffprobe, size), and attaching a finished upload to the entrant's
 * entry through `submitEntry` (which stores it through the storage module and keeps the earlier
 * file until the new one is in place). The bytes themselves live in the tus store of the HTTP layer
 * (`~/lib/uploads/tus.server`); these functions take its file path.
 */
import type { UploadStatus } from '~/db/schema/contest-uploads';
import type { DB } from '~/lib/db.server';
import { consumeUploadStart, type UploadStartLimits } from '~/lib/rate-limit.server';
import { err, ok, type Result } from '~/lib/result';

import { canUpload, type Entry, type SubmissionRound, submissionRound, submitEntry, type SubmitError } from './entries.server';
import { type Probe, probeFile } from './entries-media.server';

/** An unfinished or unused upload is forgotten (row and bytes) this long after it started. */
export const UPLOAD_TTL_MS = 24 * 60 * 60 * 1000;

export type UploadError = SubmitError | 'upload_missing' | 'upload_incomplete' | 'no_length' | 'rate_limited';

export interface BeginUploadInput {
  /** The tus upload id. */
  id: string;
  roundId: string;
  /** The declared length (Upload-Length); undefined when the client deferred it. */
  size: number | undefined;
  /** The client's address (its budget of upload starts is shared by everyone behind it). */
  ip: string;
}

/**
 * Checks and records the start of an upload (the tus creation request). An entrant has one upload
 * in progress per round: a new one supersedes their earlier unattached ones (a resumed upload keeps
 * its id and never comes here), whose ids are returned for the caller to remove their bytes — so
 * nobody can fill the disk with abandoned uploads. Each start first spends one point of the
 * account's and of the address's budget (`rate_limited` with the seconds to wait once spent).
 */
export async function beginUpload(
  db: DB,
  userId: string,
  input: BeginUploadInput,
  now = new Date(),
  limits?: UploadStartLimits,
): Promise<Result<{ round: SubmissionRound; superseded: string[] }, UploadError>> {
  const budget = await consumeUploadStart(userId, input.ip, db, limits);
  if (!budget.ok) return err('rate_limited', { seconds: budget.retryAfterS });
  const r = await canUpload(db, userId, input.roundId, now);
  if (!r.ok) return r;
  const round = r.value;
  if (round.entry_kind === 'essay') return err('wrong_kind');
  if (input.size == null || !Number.isSafeInteger(input.size) || input.size < 0) return err('no_length');
  if (input.size === 0) return err('empty');
  if (input.size > round.max_bytes) return err('too_large', { maxMb: Math.floor(round.max_bytes / 1048576) });
  const earlier = await db
    .selectFrom('contest_uploads')
    .select('id')
    .where('user_id', '=', userId)
    .where('round_id', '=', round.id)
    .where('status', '!=', 'attached')
    .execute();
  const superseded = earlier.map((e) => e.id);
  if (superseded.length) await db.deleteFrom('contest_uploads').where('id', 'in', superseded).execute();
  await db
    .insertInto('contest_uploads')
    .values({
      id: input.id,
      user_id: userId,
      round_id: round.id,
      size_bytes: input.size,
      status: 'uploading',
      error: null,
      mime: null,
      duration_s: null,
      created_at: now.toISOString(),
      finished_at: null,
      expires_at: new Date(now.getTime() + UPLOAD_TTL_MS).toISOString(),
    })
    .execute();
  return ok({ round, superseded });
}

/** Whether `userId` may read or continue upload `id` (only its own, and not once it expired). */
export async function uploadAccess(db: DB, id: string, userId: string, now = new Date()): Promise<'ok' | 'missing'> {
  const row = await db.selectFrom('contest_uploads').select(['user_id', 'expires_at', 'status']).where('id', '=', id).executeTakeFirst();
  if (!row || row.user_id !== userId || row.expires_at <= now.toISOString() || row.status === 'attached') return 'missing';
  return 'ok';
}

/** The content checks of an entry file against a round, as `submitEntry` makes them. */
export async function checkEntryFile(file: string, round: SubmissionRound): Promise<Result<Probe, SubmitError>> {
  const p = await probeFile(file, round.entry_kind);
  if (!p.ok) return err(p.code);
  const probe = p.value;
  if (probe.size > round.max_bytes) return err('too_large', { maxMb: Math.floor(round.max_bytes / 1048576) });
  if (probe.durationS != null && (round.entry_kind === 'audio' || round.entry_kind === 'video')) {
    if (probe.durationS < round.min_seconds) return err('too_short', { min: round.min_seconds, got: Math.round(probe.durationS) });
    if (probe.durationS > round.max_seconds) return err('too_long', { max: round.max_seconds, got: Math.round(probe.durationS) });
  }
  return ok(probe);
}

/**
 * The last byte of upload `id` arrived (its bytes are in `file`): checks the content and records
 * the answer. A refused upload's bytes are removed by the caller.
 */
export async function finishUpload(db: DB, id: string, file: string, now = new Date()): Promise<Result<Probe, UploadError>> {
  const row = await db.selectFrom('contest_uploads').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return err('upload_missing');
  const round = await submissionRound(db, row.round_id);
  if (!round) return err('not_found');
  const c = await checkEntryFile(file, round);
  const t = now.toISOString();
  if (!c.ok) {
    await db
      .updateTable('contest_uploads')
      .set({ status: 'refused' satisfies UploadStatus, error: c.code, finished_at: t })
      .where('id', '=', id)
      .execute();
    return c;
  }
  await db
    .updateTable('contest_uploads')
    .set({ status: 'complete' satisfies UploadStatus, mime: c.value.mime, duration_s: c.value.durationS, finished_at: t })
    .where('id', '=', id)
    .execute();
  return c;
}

export interface AttachInput {
  title: string;
  bodyText?: string;
}

/**
 * Submits (or replaces) the caller's entry with a finished upload: only their own upload for this
 * round whose content check passed. `submitEntry` checks the window again, stores the file through
 * the storage module and only then points the entry at it (the earlier file stays until then).
 */
export async function attachUpload(
  db: DB,
  userId: string,
  roundId: string,
  uploadId: string,
  input: AttachInput,
  file: string,
  now = new Date(),
): Promise<Result<{ entry: Entry; replaced: boolean }, UploadError>> {
  const row = await db
    .selectFrom('contest_uploads')
    .selectAll()
    .where('id', '=', uploadId)
    .where('user_id', '=', userId)
    .where('round_id', '=', roundId)
    .executeTakeFirst();
  if (!row || row.status === 'attached' || row.expires_at <= now.toISOString()) return err('upload_missing');
  if (row.status === 'refused') return err((row.error ?? 'not_media') as SubmitError);
  if (row.status !== 'complete') return err('upload_incomplete');
  const r = await submitEntry(db, userId, roundId, { title: input.title, bodyText: input.bodyText, tempFile: file }, now);
  if (!r.ok) return r;
  await db
    .updateTable('contest_uploads')
    .set({ status: 'attached' satisfies UploadStatus })
    .where('id', '=', uploadId)
    .execute();
  return ok({ entry: r.value.entry, replaced: r.value.replaced });
}

/**
 * Forgets expired uploads: returns their ids (the caller removes their bytes from the tus store)
 * after deleting their rows. Attached uploads' bytes were already stored on the entry.
 */
export async function expireUploads(db: DB, now = new Date()): Promise<string[]> {
  const rows = await db.selectFrom('contest_uploads').select('id').where('expires_at', '<=', now.toISOString()).execute();
  const ids = rows.map((r) => r.id);
  for (let i = 0; i < ids.length; i += 500)
    await db
      .deleteFrom('contest_uploads')
      .where('id', 'in', ids.slice(i, i + 500))
      .execute();
  return ids;
}
