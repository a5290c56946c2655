/**
 * Submission rounds (issue #15): a round of kind 'submission' of the contest shell, with its
 * settings (what is asked, limits, stage, gallery and voting), the entrants' entries (one per
 * entrant and round, replaceable until the window closes) and moderation before anything is public.
 */
import fs from 'node:fs';

import { isUniqueViolation } from '~/db/dialect';
import type { ContestEntriesTable, ContestSubmissionSettingsTable, EntryKind, StageLevel, VotesMode } from '~/db/schema/contest-entries';
import type { DB } from '~/lib/db.server';
import { newId } from '~/lib/ids.server';
import { err, ok, type Result } from '~/lib/result';
import { deleteBlob, newKey, putFile } from '~/lib/storage/index.server';

import { ageFromBirthYear, requireManager } from './access.server';
import { contestChanged, galleryChanged } from './cache.server';
import { addRound, type RoundError, roundPhase } from './contests.server';
import { type Probe, type ProbeError, probeFile } from './entries-media.server';

export type SubmissionSettings = ContestSubmissionSettingsTable;
export type Entry = ContestEntriesTable;

/** Under this age (in the Vietnamese calendar year) an entrant is a minor. */
export const MINOR_AGE = 16;

export interface SubmissionRoundInput {
  title: string;
  opensAt: string;
  closesAt: string;
  entryKind: EntryKind;
  passageTitle: string;
  passageText: string;
  minSeconds: number;
  maxSeconds: number;
  maxWords?: number;
  maxBytes?: number;
  stageLevel: StageLevel;
  advanceCount: number;
  previousRoundId?: string | null;
  judgesPerEntry?: number;
  marginPoints?: number;
  normalise?: boolean;
  gallery?: boolean;
  voting?: boolean;
  votesMode?: VotesMode;
  votesPerAccount?: number;
  voteOpensAt?: string | null;
  voteClosesAt?: string | null;
  voteWeight?: number;
  burstWindowS?: number;
  burstThreshold?: number;
  newAccountDays?: number;
  /** The people's choice prize (none when empty or without voting). */
  peoplesChoiceLabel?: string | null;
  peoplesChoiceWinners?: number;
}

export type SettingsError = RoundError | 'length_range' | 'vote_window' | 'vote_weight' | 'previous_round';

export const DEFAULT_MAX_BYTES = 200 * 1024 * 1024;

function settingsRow(roundId: string, i: SubmissionRoundInput): Omit<SubmissionSettings, 'gallery_entries'> {
  return {
    round_id: roundId,
    entry_kind: i.entryKind,
    passage_title: i.passageTitle.trim(),
    passage_text: i.passageText.trim(),
    min_seconds: Math.max(0, Math.round(i.minSeconds)),
    max_seconds: Math.max(1, Math.round(i.maxSeconds)),
    max_words: Math.max(0, Math.round(i.maxWords ?? 0)),
    max_bytes: i.maxBytes ?? DEFAULT_MAX_BYTES,
    stage_level: i.stageLevel,
    advance_count: Math.max(0, Math.round(i.advanceCount)),
    previous_round_id: i.previousRoundId ?? null,
    judges_per_entry: Math.max(1, Math.round(i.judgesPerEntry ?? 2)),
    margin_points: i.marginPoints ?? 20,
    normalise: i.normalise === false ? 0 : 1,
    gallery: i.gallery ? 1 : 0,
    voting: i.voting ? 1 : 0,
    votes_mode: i.votesMode ?? 'per_entry',
    votes_per_account: Math.max(1, Math.round(i.votesPerAccount ?? 1)),
    vote_opens_at: i.voting ? (i.voteOpensAt ?? null) : null,
    vote_closes_at: i.voting ? (i.voteClosesAt ?? null) : null,
    vote_weight: i.voteWeight ?? 0,
    burst_window_s: i.burstWindowS ?? 600,
    burst_threshold: i.burstThreshold ?? 20,
    new_account_days: i.newAccountDays ?? 7,
    peoples_choice_label: (i.voting && i.peoplesChoiceLabel?.trim()) || null,
    peoples_choice_winners: Math.max(1, Math.round(i.peoplesChoiceWinners ?? 1)),
  };
}

function checkSettings(i: SubmissionRoundInput): SettingsError | null {
  if ((i.entryKind === 'audio' || i.entryKind === 'video') && !(i.minSeconds >= 0 && i.maxSeconds > i.minSeconds)) return 'length_range';
  if (i.voting && !(i.voteOpensAt && i.voteClosesAt && i.voteClosesAt > i.voteOpensAt)) return 'vote_window';
  if (i.voteWeight != null && (i.voteWeight < 0 || i.voteWeight > 1)) return 'vote_weight';
  return null;
}

/** Adds a submission round (a stage) to a contest, with its settings (organisers). */
export async function addSubmissionRound(
  db: DB,
  userId: string,
  contestId: string,
  input: SubmissionRoundInput,
): Promise<Result<string, SettingsError>> {
  const bad = checkSettings(input);
  if (bad) return err(bad);
  if (input.previousRoundId) {
    const prev = await db
      .selectFrom('contest_submission_settings as s')
      .innerJoin('contest_rounds as r', 'r.id', 's.round_id')
      .select('r.id')
      .where('r.id', '=', input.previousRoundId)
      .where('r.contest_id', '=', contestId)
      .executeTakeFirst();
    if (!prev) return err('previous_round');
  }
  const r = await addRound(db, userId, contestId, {
    title: input.title,
    kind: 'submission',
    opensAt: input.opensAt,
    closesAt: input.closesAt,
    timeLimitS: Math.max(1, input.maxSeconds),
    quota: [],
  });
  if (!r.ok) return r;
  await db.insertInto('contest_submission_settings').values(settingsRow(r.value, input)).execute();
  return ok(r.value);
}

/** Changes a submission round's settings (not its window: `setRoundWindow` of the shell). */
export async function updateSubmissionSettings(
  db: DB,
  userId: string,
  roundId: string,
  input: SubmissionRoundInput,
): Promise<Result<undefined, SettingsError>> {
  const round = await db.selectFrom('contest_rounds').select(['contest_id', 'kind']).where('id', '=', roundId).executeTakeFirst();
  if (!round || round.kind !== 'submission') return err('not_found');
  const c = await requireManager(db, round.contest_id, userId);
  if (!c.ok) return c;
  const bad = checkSettings(input);
  if (bad) return err(bad);
  const { round_id: _r, ...values } = settingsRow(roundId, input);
  await db.updateTable('contest_submission_settings').set(values).where('round_id', '=', roundId).execute();
  await db.updateTable('contest_rounds').set({ title: input.title.trim() }).where('id', '=', roundId).execute();
  await contestChanged(db, round.contest_id); // the round's title is on the contest's public pages
  return ok();
}

export async function submissionRound(db: DB, roundId: string) {
  const row = await db
    .selectFrom('contest_rounds as r')
    .innerJoin('contest_submission_settings as s', 's.round_id', 'r.id')
    .innerJoin('contests as c', 'c.id', 'r.contest_id')
    .selectAll('s')
    .select([
      'r.id',
      'r.contest_id',
      'r.title',
      'r.opens_at',
      'r.closes_at',
      'r.results_status',
      'r.position',
      'c.slug as contest_slug',
      'c.title as contest_title',
      'c.unit_id as contest_unit_id',
    ])
    .where('r.id', '=', roundId)
    .executeTakeFirst();
  return row ?? null;
}
export type SubmissionRound = NonNullable<Awaited<ReturnType<typeof submissionRound>>>;

export function submissionRoundsOf(db: DB, contestId: string) {
  return db
    .selectFrom('contest_rounds as r')
    .innerJoin('contest_submission_settings as s', 's.round_id', 'r.id')
    .selectAll('s')
    .select(['r.id', 'r.title', 'r.opens_at', 'r.closes_at', 'r.results_status', 'r.position'])
    .where('r.contest_id', '=', contestId)
    .orderBy('r.position')
    .execute();
}

/* ---------------- entries ---------------- */

const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
function entryCode(): string {
  let s = '';
  for (let i = 0; i < 5; i++) s += CODE_ALPHABET[Math.floor(Math.random() * CODE_ALPHABET.length)];
  return s;
}

export type SubmitError =
  | 'not_found'
  | 'not_registered'
  | 'not_open'
  | 'promoted_stage'
  | 'too_short'
  | 'too_long'
  | 'too_large'
  | 'too_many_words'
  | 'file_required'
  | 'text_required'
  | ProbeError;

export interface SubmitInput {
  title: string;
  /** Essay text or photo caption. */
  bodyText?: string;
  /** A local temporary file (a finished upload); checked here before it is stored. */
  tempFile?: string | null;
}

/**
 * Submits or replaces the caller's entry in a submission round while its window is open. The new
 * file is checked (container, kind, duration) and stored first; only then does the entry point to
 * it, in one statement, and the earlier file is deleted — a refused or interrupted replacement
 * leaves the earlier entry whole.
 */
export async function submitEntry(
  db: DB,
  userId: string,
  roundId: string,
  input: SubmitInput,
  now = new Date(),
): Promise<Result<{ entry: Entry; probe: Probe | null; replaced: boolean }, SubmitError>> {
  const round = await submissionRound(db, roundId);
  if (!round) return err('not_found');
  if (round.previous_round_id) return err('promoted_stage');
  if (roundPhase(round, now) !== 'open') return err('not_open');
  const entrant = await db
    .selectFrom('contest_entrants')
    .selectAll()
    .where('contest_id', '=', round.contest_id)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  if (!entrant) return err('not_registered');
  const needsFile = round.entry_kind !== 'essay';
  const body = (input.bodyText ?? '').trim();
  if (round.entry_kind === 'essay') {
    if (!body) return err('text_required');
    const words = body.split(/\s+/).filter(Boolean).length;
    if (round.max_words > 0 && words > round.max_words) return err('too_many_words', { max: round.max_words, words });
  }
  const existing = await db
    .selectFrom('contest_entries')
    .selectAll()
    .where('round_id', '=', roundId)
    .where('entrant_id', '=', entrant.id)
    .executeTakeFirst();
  let probe: Probe | null = null;
  let key: string | null = null;
  if (input.tempFile) {
    const p = await probeFile(input.tempFile, round.entry_kind);
    if (!p.ok) return err(p.code);
    probe = p.value;
    if (probe.size > round.max_bytes) return err('too_large', { maxMb: Math.floor(round.max_bytes / 1048576) });
    if (probe.durationS != null && (round.entry_kind === 'audio' || round.entry_kind === 'video')) {
      if (probe.durationS < round.min_seconds) return err('too_short', { min: round.min_seconds, got: Math.round(probe.durationS) });
      if (probe.durationS > round.max_seconds) return err('too_long', { max: round.max_seconds, got: Math.round(probe.durationS) });
    }
    key = newKey(probe.ext);
    await putFile(key, input.tempFile);
  } else if (needsFile && !existing?.blob_key) return err('file_required');

  const t = now.toISOString();
  const fileValues = probe ? { blob_key: key, mime: probe.mime, size_bytes: probe.size, duration_s: probe.durationS } : {};
  if (existing) {
    const updated = await db
      .updateTable('contest_entries')
      .set({
        ...fileValues,
        title: input.title.trim(),
        body_text: body,
        updated_at: t,
        // a new file is seen again by the moderators before it is public
        ...(probe ? { moderation: 'pending' as const, replaced_count: existing.replaced_count + 1 } : {}),
      })
      .where('id', '=', existing.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    if (probe && existing.blob_key) await deleteUnreferenced(db, existing.blob_key);
    if (existing.moderation === 'approved') await galleryChanged(db, roundId); // its title, text or file, or it leaves the gallery
    return ok({ entry: updated, probe, replaced: true });
  }
  const minor = ageFromBirthYear(entrant.birth_year, now) < MINOR_AGE ? 1 : 0;
  for (let tries = 0; ; tries++) {
    const row: Entry = {
      id: newId(),
      round_id: roundId,
      entrant_id: entrant.id,
      user_id: userId,
      unit_id: entrant.unit_id,
      code: entryCode(),
      title: input.title.trim(),
      body_text: body,
      blob_key: key,
      mime: probe?.mime ?? null,
      size_bytes: probe?.size ?? null,
      duration_s: probe?.durationS ?? null,
      minor,
      moderation: 'pending',
      parental_consent: 0,
      promoted_from: null,
      votes_counted: 0,
      submitted_at: t,
      updated_at: t,
      replaced_count: 0,
    };
    try {
      await db.insertInto('contest_entries').values(row).execute();
      return ok({ entry: row, probe, replaced: false });
    } catch (e) {
      if (!isUniqueViolation(e) || tries > 5) throw e;
      // Two submissions of the same entrant at once: the other one won; replace it with this file.
      const other = await db
        .selectFrom('contest_entries')
        .selectAll()
        .where('round_id', '=', roundId)
        .where('entrant_id', '=', entrant.id)
        .executeTakeFirst();
      if (other) {
        const updated = await db
          .updateTable('contest_entries')
          .set({ ...fileValues, title: row.title, body_text: body, updated_at: t })
          .where('id', '=', other.id)
          .returningAll()
          .executeTakeFirstOrThrow();
        if (probe && other.blob_key && other.blob_key !== key) await deleteUnreferenced(db, other.blob_key);
        if (other.moderation === 'approved') await galleryChanged(db, roundId);
        return ok({ entry: updated, probe, replaced: true });
      }
    }
  }
}

/** Deletes a blob unless another entry (a promoted copy) still points at it. */
async function deleteUnreferenced(db: DB, key: string) {
  const still = await db.selectFrom('contest_entries').select('id').where('blob_key', '=', key).limit(1).executeTakeFirst();
  if (!still) await deleteBlob(key);
}

/** Removes a temporary upload file (after it was stored or refused). */
export async function discardTemp(file: string | null | undefined) {
  if (file) await fs.promises.rm(file, { force: true });
}

export function myEntry(db: DB, roundId: string, userId: string) {
  return db.selectFrom('contest_entries').selectAll().where('round_id', '=', roundId).where('user_id', '=', userId).executeTakeFirst();
}

/* ---------------- moderation and visibility ---------------- */

/** The one rule: public in the gallery only when approved, and a minor's video or photo only with parental consent. */
export function isPublic(
  e: Pick<Entry, 'moderation' | 'minor' | 'parental_consent' | 'mime'>,
  s: Pick<SubmissionSettings, 'gallery'>,
): boolean {
  if (!s.gallery || e.moderation !== 'approved') return false;
  const visual = !!e.mime && (e.mime.startsWith('video/') || e.mime.startsWith('image/'));
  return !(e.minor && visual && !e.parental_consent);
}

export type ModerateError = 'not_found' | 'forbidden' | 'consent_required';

export async function moderateEntry(
  db: DB,
  userId: string,
  entryId: string,
  decision: 'approved' | 'rejected',
  parentalConsent: boolean,
): Promise<Result<undefined, ModerateError>> {
  const e = await db
    .selectFrom('contest_entries as e')
    .innerJoin('contest_rounds as r', 'r.id', 'e.round_id')
    .select(['e.id', 'e.round_id', 'e.minor', 'e.mime', 'r.contest_id'])
    .where('e.id', '=', entryId)
    .executeTakeFirst();
  if (!e) return err('not_found');
  const c = await requireManager(db, e.contest_id, userId);
  if (!c.ok) return c;
  const visual = !!e.mime && (e.mime.startsWith('video/') || e.mime.startsWith('image/'));
  if (decision === 'approved' && e.minor && visual && !parentalConsent) return err('consent_required');
  await db
    .updateTable('contest_entries')
    .set({ moderation: decision, parental_consent: parentalConsent ? 1 : 0 })
    .where('id', '=', entryId)
    .execute();
  await galleryChanged(db, e.round_id);
  return ok();
}

/** Entries waiting for moderation (organisers). */
export async function moderationQueue(db: DB, userId: string, roundId: string) {
  const round = await submissionRound(db, roundId);
  if (!round) return err('not_found');
  const c = await requireManager(db, round.contest_id, userId);
  if (!c.ok) return c;
  const rows = await db
    .selectFrom('contest_entries as e')
    .innerJoin('contest_entrants as n', 'n.id', 'e.entrant_id')
    .innerJoin('units as u', 'u.id', 'e.unit_id')
    .select([
      'e.id',
      'e.code',
      'e.title',
      'e.mime',
      'e.duration_s',
      'e.minor',
      'e.moderation',
      'e.parental_consent',
      'e.submitted_at',
      'n.full_name',
      'u.name as unit_name',
    ])
    .where('e.round_id', '=', roundId)
    .orderBy('e.moderation', 'desc')
    .orderBy('e.submitted_at')
    .execute();
  return ok({ round, entries: rows });
}

export type MediaAccess = { status: 'missing' } | { status: 'ok'; key: string; mime: string };

/**
 * Who may fetch an entry's file: its entrant, the contest's organisers, a judge it is assigned
 * to, and everyone once it is public in the gallery.
 */
export async function entryMediaAccess(db: DB, entryId: string, userId: string | null): Promise<MediaAccess> {
  const e = await db
    .selectFrom('contest_entries as e')
    .innerJoin('contest_submission_settings as s', 's.round_id', 'e.round_id')
    .innerJoin('contest_rounds as r', 'r.id', 'e.round_id')
    .select(['e.id', 'e.user_id', 'e.blob_key', 'e.mime', 'e.moderation', 'e.minor', 'e.parental_consent', 's.gallery', 'r.contest_id'])
    .where('e.id', '=', entryId)
    .executeTakeFirst();
  if (!e || !e.blob_key || !e.mime) return { status: 'missing' };
  const okv = { status: 'ok' as const, key: e.blob_key, mime: e.mime };
  if (isPublic(e, e)) return okv;
  if (!userId) return { status: 'missing' };
  if (e.user_id === userId) return okv;
  const judge = await db
    .selectFrom('contest_assignments')
    .select('status')
    .where('entry_id', '=', entryId)
    .where('judge_id', '=', userId)
    .where('status', '!=', 'conflict')
    .executeTakeFirst();
  if (judge) return okv;
  const m = await requireManager(db, e.contest_id, userId);
  return m.ok ? okv : { status: 'missing' };
}

/** Used by the upload route: whether this user may upload into this round right now. */
export async function canUpload(db: DB, userId: string, roundId: string, now = new Date()): Promise<Result<SubmissionRound, SubmitError>> {
  const round = await submissionRound(db, roundId);
  if (!round) return err('not_found');
  if (round.previous_round_id) return err('promoted_stage');
  if (roundPhase(round, now) !== 'open') return err('not_open');
  const entrant = await db
    .selectFrom('contest_entrants')
    .select('id')
    .where('contest_id', '=', round.contest_id)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  if (!entrant) return err('not_registered');
  return ok(round);
}
