/**
 * Taking a quiz round: the server records the start and the deadline, sends questions without
 * their key, saves answers as they come, refuses them after the deadline (+ grace) and submits the
 * attempt as it stands; a submit is idempotent. Grading is the quiz engine's (`gradeAttempt`).
 */
import { createHash, randomBytes } from 'node:crypto';

import { isUniqueViolation, lockRows, writeTransaction } from '~/db/dialect';
import { prepareQuery } from '~/db/prepared';
import type { ContestAttemptsTable } from '~/db/schema/contests';
import { gradeAttempt, type PublicQuestion, type QuestionDef, type Response } from '~/domain/quiz/quiz.server';
import { seededShuffle } from '~/domain/quiz/random';
import type { DB } from '~/lib/db.server';
import { newId } from '~/lib/ids.server';
import { err, ok, type Result } from '~/lib/result';

import { drawQuestions } from './bank.server';
import { parseQuota, roundPhase } from './contests.server';

export type StartError = 'not_found' | 'not_registered' | 'not_open' | 'attempts_exhausted' | 'no_questions';

/**
 * Resumes the entrant's open attempt (on any device) or starts the next one. The unique
 * (round, user, attempt_no) constraint makes a concurrent double start resume the same attempt.
 */
export async function startAttempt(
  db: DB,
  roundId: string,
  userId: string,
  now = new Date(),
): Promise<Result<{ attemptId: string; resumed: boolean }, StartError>> {
  const round = await db
    .selectFrom('contest_rounds as r')
    .innerJoin('contests as c', 'c.id', 'r.contest_id')
    .select([
      'r.id',
      'r.contest_id',
      'r.opens_at',
      'r.closes_at',
      'r.time_limit_s',
      'r.quota_json',
      'r.kind',
      'c.max_attempts',
      'c.grace_seconds',
      'c.status',
    ])
    .where('r.id', '=', roundId)
    .executeTakeFirst();
  if (!round || round.status !== 'published' || round.kind !== 'quiz') return err('not_found');
  const entrant = await db
    .selectFrom('contest_entrants')
    .select('id')
    .where('contest_id', '=', round.contest_id)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  if (!entrant) return err('not_registered');
  // An attempt left open past its deadline is submitted as it stands before anything else.
  await finaliseExpired(db, roundId, now, userId);
  const mine = await db
    .selectFrom('contest_attempts')
    .select(['id', 'status', 'attempt_no'])
    .where('round_id', '=', roundId)
    .where('user_id', '=', userId)
    .execute();
  const open = mine.find((a) => a.status === 'in_progress');
  if (open) return ok({ attemptId: open.id, resumed: true });
  if (roundPhase(round, now) !== 'open') return err('not_open');
  if (mine.length >= round.max_attempts) return err('attempts_exhausted');
  const seed = randomBytes(8).toString('hex');
  const ids = await drawQuestions(db, round.contest_id, parseQuota(round.quota_json), seed);
  if (!ids.length) return err('no_questions');
  const deadline = new Date(Math.min(now.getTime() + round.time_limit_s * 1000, new Date(round.closes_at).getTime()));
  const id = newId();
  try {
    // In a write transaction so that, on SQLite, concurrent starts share one COMMIT (group commit in
    // writeTransaction): an insert on its own was its own transaction, one fsync a start, ~45 starts/s.
    await writeTransaction(db, (trx) =>
      trx
        .insertInto('contest_attempts')
        .values({
          id,
          round_id: roundId,
          entrant_id: entrant.id,
          user_id: userId,
          attempt_no: mine.length + 1,
          seed,
          question_ids_json: JSON.stringify(ids),
          status: 'in_progress',
          started_at: now.toISOString(),
          deadline_at: deadline.toISOString(),
          submitted_at: null,
          duration_ms: null,
          score: null,
          max_score: null,
          prediction: null,
          answers_sig: null,
          disqualified_at: null,
          disqualified_reason: null,
        })
        .execute(),
    );
    return ok({ attemptId: id, resumed: false });
  } catch (e) {
    if (!isUniqueViolation(e)) throw e;
    // Another request (a second tab, a retried 3G request) started attempt n first: resume it.
    const other = await db
      .selectFrom('contest_attempts')
      .select(['id'])
      .where('round_id', '=', roundId)
      .where('user_id', '=', userId)
      .where('attempt_no', '=', mine.length + 1)
      .executeTakeFirstOrThrow();
    return ok({ attemptId: other.id, resumed: true });
  }
}

type QRow = {
  id: string;
  kind: QuestionDef['kind'];
  prompt: string;
  options_json: string;
  answer_json: string;
  explanation: string;
  points: number;
};
function toDef(r: QRow): QuestionDef {
  return {
    id: r.id,
    kind: r.kind,
    prompt: r.prompt,
    options: JSON.parse(r.options_json),
    answer: JSON.parse(r.answer_json),
    explanation: r.explanation,
    points: r.points,
  };
}

async function loadDefs(db: DB, ids: string[]): Promise<QuestionDef[]> {
  if (!ids.length) return [];
  const rows = await db
    .selectFrom('quiz_questions')
    .select(['id', 'kind', 'prompt', 'options_json', 'answer_json', 'explanation', 'points'])
    .where('id', 'in', ids)
    .execute();
  const byId = new Map(rows.map((r) => [r.id, toDef(r)]));
  return ids.map((id) => byId.get(id)).filter((q): q is QuestionDef => !!q);
}

export interface ContestAttemptView {
  id: string;
  roundId: string;
  attemptNo: number;
  status: 'in_progress' | 'submitted';
  startedAt: string;
  deadlineAt: string;
  submittedAt: string | null;
  score: number | null;
  maxScore: number | null;
  durationMs: number | null;
  prediction: number | null;
  /** Questions as the entrant sees them: never the key; options shuffled by the attempt's seed. */
  questions: PublicQuestion[];
  responses: Record<string, Response>;
}

export async function attemptView(db: DB, attemptId: string, userId: string): Promise<ContestAttemptView | null> {
  const a = await db
    .selectFrom('contest_attempts')
    .selectAll()
    .where('id', '=', attemptId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  if (!a) return null;
  const defs = await loadDefs(db, JSON.parse(a.question_ids_json));
  const answers = await db.selectFrom('contest_answers').select(['question_id', 'response_json']).where('attempt_id', '=', a.id).execute();
  const responses: Record<string, Response> = {};
  for (const r of answers) responses[r.question_id] = JSON.parse(r.response_json);
  return {
    id: a.id,
    roundId: a.round_id,
    attemptNo: a.attempt_no,
    status: a.status,
    startedAt: a.started_at,
    deadlineAt: a.deadline_at,
    submittedAt: a.submitted_at,
    score: a.score,
    maxScore: a.max_score,
    durationMs: a.duration_ms,
    prediction: a.prediction,
    questions: defs.map((q) => ({
      id: q.id,
      kind: q.kind,
      prompt: q.prompt,
      options: q.kind === 'single' || q.kind === 'multiple' ? seededShuffle(q.options, `${a.seed}:${q.id}`) : q.options,
      points: q.points,
    })),
    responses,
  };
}

/** The entrant's attempts in a round, newest last. */
export function myAttempts(db: DB, roundId: string, userId: string) {
  return db
    .selectFrom('contest_attempts')
    .select(['id', 'attempt_no', 'status', 'started_at', 'deadline_at', 'submitted_at', 'score', 'max_score', 'duration_ms', 'prediction'])
    .where('round_id', '=', roundId)
    .where('user_id', '=', userId)
    .orderBy('attempt_no')
    .execute();
}

async function graceMs(db: DB, roundId: string): Promise<number> {
  const r = await db
    .selectFrom('contest_rounds as r')
    .innerJoin('contests as c', 'c.id', 'r.contest_id')
    .select('c.grace_seconds')
    .where('r.id', '=', roundId)
    .executeTakeFirstOrThrow();
  return r.grace_seconds * 1000;
}

export type SaveError = 'not_found' | 'already_submitted' | 'past_deadline';

/**
 * Saves answers of an open attempt (only its own questions). Past the deadline + grace the
 * answers are refused and the attempt is submitted as it stands.
 */
export async function saveAnswers(
  db: DB,
  attemptId: string,
  userId: string,
  responses: Map<string, Response>,
  now = new Date(),
): Promise<Result<{ saved: number }, SaveError>> {
  const head = await db
    .selectFrom('contest_attempts')
    .select(['round_id'])
    .where('id', '=', attemptId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  if (!head) return err('not_found');
  return saveChecked(db, attemptId, userId, responses, await graceMs(db, head.round_id), now);
}

/**
 * An entrant's answer save as the round page posts it (issue #14: ≥ 1,000 saves/s), in three
 * statements inside the write transaction: the attempt, locked, with its round's contest and grace
 * (the entrant's own attempt of that round of that published contest, else `not_found`); the
 * shapes of its questions (kind and option ids, never the key) for `read` to take the posted
 * answers from; one upsert of every answer. The queries are prepared (`~/db/prepared`): built and
 * compiled once, not on every save.
 */
export async function saveAttemptAnswers(
  db: DB,
  at: AttemptAt,
  read: (questions: QuestionShape[]) => Map<string, Response>,
  now = new Date(),
): Promise<Result<{ saved: number }, SaveError>> {
  const r = await writeTransaction(db, async (trx): Promise<Result<{ saved: number }, SaveError>> => {
    const a = await attemptToSave.executeTakeFirst(trx, at.attemptId, at.userId, at.roundId, at.slug);
    if (!a) return err('not_found');
    if (a.status !== 'in_progress') return err('already_submitted');
    if (now.getTime() > new Date(a.deadline_at).getTime() + a.grace_seconds * 1000) return err('past_deadline');
    const ids: string[] = JSON.parse(a.question_ids_json);
    const responses = read(ids.length ? shapesInOrder(ids, await questionShapes.execute(trx, ids)) : []);
    const allowed = new Set(ids);
    const qids: string[] = [];
    const json: string[] = [];
    for (const [qid, resp] of responses)
      if (allowed.has(qid)) {
        qids.push(qid);
        json.push(JSON.stringify(resp));
      }
    if (qids.length) await upsertAnswers.execute(trx, at.attemptId, qids, json, now.toISOString());
    return ok({ saved: qids.length });
  });
  if (!r.ok && r.code === 'past_deadline')
    await submitAttempt(db, at.attemptId, at.userId, { responses: new Map(), prediction: null }, now);
  return r;
}

/** The attempt an answer save writes to (see `saveAttemptAnswers`), its row locked on PostgreSQL. */
const attemptToSave = prepareQuery((db: DB, attemptId: string, userId: string, roundId: string, slug: string) =>
  lockRows(
    db,
    db
      .selectFrom('contest_attempts as a')
      .innerJoin('contest_rounds as r', 'r.id', 'a.round_id')
      .innerJoin('contests as c', 'c.id', 'r.contest_id')
      .select(['a.status', 'a.question_ids_json', 'a.deadline_at', 'c.grace_seconds'])
      .where('a.id', '=', attemptId)
      .where('a.user_id', '=', userId)
      .where('a.round_id', '=', roundId)
      .where('c.slug', '=', slug)
      .where('c.status', '=', 'published'),
    'a',
  ),
);

/** The shapes of an attempt's questions (no key), prepared per number of questions. */
const questionShapes = prepareQuery((db: DB, ids: string[]) =>
  db.selectFrom('quiz_questions').select(['id', 'kind', 'options_json']).where('id', 'in', ids),
);

function shapesInOrder(ids: string[], rows: Array<{ id: string; kind: QuestionDef['kind']; options_json: string }>): QuestionShape[] {
  const byId = new Map(rows.map((q) => [q.id, { id: q.id, kind: q.kind, options: optionsOf(q.id, q.options_json) }]));
  return ids.map((id) => byId.get(id)).filter((q): q is QuestionShape => !!q);
}

/**
 * A question's parsed options, kept per process while its stored text is unchanged: every save
 * reads the text (an edited question is seen at once) but parsing the options of every question
 * of the attempt was ~4 % of a save's CPU. Read-only for callers; at most OPTIONS_KEPT questions.
 */
const parsedOptions = new Map<string, { json: string; options: PublicQuestion['options'] }>();
const OPTIONS_KEPT = 20_000;
function optionsOf(questionId: string, json: string): PublicQuestion['options'] {
  const kept = parsedOptions.get(questionId);
  if (kept && kept.json === json) return kept.options;
  const options = JSON.parse(json) as PublicQuestion['options'];
  if (parsedOptions.size >= OPTIONS_KEPT) parsedOptions.clear();
  parsedOptions.set(questionId, { json, options });
  return options;
}

/** Every answer of a save in one statement (`attempt_id, question_id` unique), prepared per number of answers. */
const upsertAnswers = prepareQuery((db: DB, attemptId: string, qids: string[], json: string[], savedAt: string) =>
  db
    .insertInto('contest_answers')
    .values(qids.map((qid, i) => ({ attempt_id: attemptId, question_id: qid, response_json: json[i]!, saved_at: savedAt })))
    .onConflict((oc) =>
      oc
        .columns(['attempt_id', 'question_id'])
        .doUpdateSet((eb) => ({
          response_json: eb.ref('excluded.response_json'),
          saved_at: eb.ref('excluded.saved_at'),
        }))
        // An answer as stored is not written again: the page posts the whole form after every
        // change, so most of a save's answers are the ones it stored before (`saved_at` is when
        // the answer was last changed).
        .whereRef('contest_answers.response_json', '<>', 'excluded.response_json'),
    ),
);

/**
 * The round page's submit (issue #14: ≥ 300 submits/s at p99 < 300 ms) in one write transaction of
 * prepared statements (`~/db/prepared`: built and compiled once, not on every submit): the attempt,
 * locked, with its round's contest and grace (the entrant's own attempt of that round of that
 * published contest, else `not_found`); its questions with their key (their shapes give `read` the
 * posted answers); then `submitLocked`'s upsert of those answers (in time only), the stored answers
 * and the closing update. A retried submit returns the first result (`alreadySubmitted`).
 */
export async function submitAttemptAnswers(
  db: DB,
  at: AttemptAt,
  read: (questions: QuestionShape[]) => Map<string, Response>,
  prediction: number | null,
  now = new Date(),
): Promise<Result<SubmitOutcome, 'not_found'>> {
  return writeTransaction(db, async (trx): Promise<Result<SubmitOutcome, 'not_found'>> => {
    const a = await attemptToSubmit.executeTakeFirst(trx, at.attemptId, at.userId, at.roundId, at.slug);
    if (!a) return err('not_found');
    return ok(await submitLocked(trx, a, read, prediction, a.grace_seconds * 1000, now));
  });
}

/** The attempt a submit closes (see `submitAttemptAnswers`), its row locked on PostgreSQL. */
const attemptToSubmit = prepareQuery((db: DB, attemptId: string, userId: string, roundId: string, slug: string) =>
  lockRows(
    db,
    db
      .selectFrom('contest_attempts as a')
      .innerJoin('contest_rounds as r', 'r.id', 'a.round_id')
      .innerJoin('contests as c', 'c.id', 'r.contest_id')
      .select([
        'a.id',
        'a.status',
        'a.question_ids_json',
        'a.started_at',
        'a.deadline_at',
        'a.prediction',
        'a.score',
        'a.max_score',
        'a.duration_ms',
        'c.grace_seconds',
      ])
      .where('a.id', '=', attemptId)
      .where('a.user_id', '=', userId)
      .where('a.round_id', '=', roundId)
      .where('c.slug', '=', slug)
      .where('c.status', '=', 'published'),
    'a',
  ),
);

export interface AttemptAt {
  slug: string;
  roundId: string;
  attemptId: string;
  userId: string;
}
export type QuestionShape = Pick<PublicQuestion, 'id' | 'kind' | 'options'>;

/** The save itself: on the locked attempt row, refused when submitted or late; one upsert for every answer. */
async function saveChecked(
  db: DB,
  attemptId: string,
  userId: string,
  responses: Map<string, Response>,
  grace: number,
  now: Date,
): Promise<Result<{ saved: number }, SaveError>> {
  const r = await writeTransaction(db, async (trx) => {
    const a = await lockRows(
      db,
      trx.selectFrom('contest_attempts').select(['id', 'status', 'question_ids_json', 'deadline_at']).where('id', '=', attemptId),
    ).executeTakeFirstOrThrow();
    if (a.status !== 'in_progress') return err('already_submitted' as const);
    if (now.getTime() > new Date(a.deadline_at).getTime() + grace) return err('past_deadline' as const);
    const allowed = new Set<string>(JSON.parse(a.question_ids_json));
    const saved_at = now.toISOString();
    const values = [...responses]
      .filter(([qid]) => allowed.has(qid))
      .map(([qid, resp]) => ({ attempt_id: attemptId, question_id: qid, response_json: JSON.stringify(resp), saved_at }));
    if (values.length)
      await trx
        .insertInto('contest_answers')
        .values(values)
        .onConflict((oc) =>
          oc
            .columns(['attempt_id', 'question_id'])
            .doUpdateSet((eb) => ({
              response_json: eb.ref('excluded.response_json'),
              saved_at: eb.ref('excluded.saved_at'),
            }))
            .whereRef('contest_answers.response_json', '<>', 'excluded.response_json'),
        )
        .execute();
    return ok({ saved: values.length });
  });
  if (!r.ok && r.code === 'past_deadline') await submitAttempt(db, attemptId, userId, { responses: new Map(), prediction: null }, now);
  return r;
}

export interface SubmitOutcome {
  attemptId: string;
  score: number;
  maxScore: number;
  durationMs: number;
  alreadySubmitted: boolean;
  /** True when the deadline (+ grace) had passed: the last answers were not taken. */
  late: boolean;
}

/** A stable fingerprint of an answer set (to find identical sets across entrants). */
export function answersSignature(rows: Array<{ question_id: string; response_json: string }>): string {
  const parts = rows
    .map((r) => `${r.question_id}=${r.response_json}`)
    .sort()
    .join('|');
  return createHash('sha256').update(parts).digest('hex').slice(0, 32);
}

/**
 * Saves the last answers (if in time), grades from what is stored, and closes the attempt, in
 * one transaction on the locked attempt row. A retried submit returns the first result.
 */
export async function submitAttempt(
  db: DB,
  attemptId: string,
  userId: string,
  last: { responses: Map<string, Response>; prediction: number | null },
  now = new Date(),
): Promise<Result<SubmitOutcome, 'not_found'>> {
  const head = await db
    .selectFrom('contest_attempts')
    .select(['round_id'])
    .where('id', '=', attemptId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  if (!head) return err('not_found');
  return submitChecked(db, attemptId, last, await graceMs(db, head.round_id), now);
}

/** The submit itself, on the locked attempt row (see `submitAttempt`). */
async function submitChecked(
  db: DB,
  attemptId: string,
  last: { responses: Map<string, Response>; prediction: number | null },
  grace: number,
  now: Date,
): Promise<Result<SubmitOutcome, 'not_found'>> {
  return writeTransaction(db, async (trx) => {
    const a = await lockedAttempt.executeTakeFirst(trx, attemptId);
    if (!a) throw new Error(`attempt ${attemptId} vanished`);
    return ok(await submitLocked(trx, a, () => last.responses, last.prediction, grace, now));
  });
}

type LockedAttempt = Pick<
  ContestAttemptsTable,
  'id' | 'status' | 'question_ids_json' | 'started_at' | 'deadline_at' | 'prediction' | 'score' | 'max_score' | 'duration_ms'
>;

/** The attempt a submit closes, by id, its row locked on PostgreSQL. */
const lockedAttempt = prepareQuery((db: DB, attemptId: string) =>
  lockRows(
    db,
    db
      .selectFrom('contest_attempts')
      .select(['id', 'status', 'question_ids_json', 'started_at', 'deadline_at', 'prediction', 'score', 'max_score', 'duration_ms'])
      .where('id', '=', attemptId),
  ),
);

/** An attempt's questions with their key, prepared per number of questions. */
const questionDefs = prepareQuery((db: DB, ids: string[]) =>
  db
    .selectFrom('quiz_questions')
    .select(['id', 'kind', 'prompt', 'options_json', 'answer_json', 'explanation', 'points'])
    .where('id', 'in', ids),
);

/** Every stored answer of an attempt. */
const attemptAnswers = prepareQuery((db: DB, attemptId: string) =>
  db.selectFrom('contest_answers').select(['question_id', 'response_json']).where('attempt_id', '=', attemptId),
);

/** The closing update of a submit. */
const closeAttempt = prepareQuery(
  (
    db: DB,
    attemptId: string,
    submittedAt: string,
    durationMs: number,
    score: number,
    maxScore: number,
    prediction: number | null,
    sig: string,
  ) =>
    db
      .updateTable('contest_attempts')
      .set({
        status: 'submitted',
        submitted_at: submittedAt,
        duration_ms: durationMs,
        score,
        max_score: maxScore,
        prediction,
        answers_sig: sig,
      })
      .where('id', '=', attemptId),
);

/**
 * Closes a locked attempt (inside the caller's write transaction): an attempt already submitted
 * gives its first result; otherwise the answers `read` takes from the last post are saved when in
 * time (deadline + grace; late, they and the prediction are not taken), every stored answer is
 * graded and the attempt closed with its score, time, prediction and answers' signature.
 */
async function submitLocked(
  trx: DB,
  a: LockedAttempt,
  read: (questions: QuestionShape[]) => Map<string, Response>,
  prediction: number | null,
  grace: number,
  now: Date,
): Promise<SubmitOutcome> {
  if (a.status === 'submitted')
    return {
      attemptId: a.id,
      score: a.score ?? 0,
      maxScore: a.max_score ?? 0,
      durationMs: a.duration_ms ?? 0,
      alreadySubmitted: true,
      late: false,
    };
  const deadline = new Date(a.deadline_at).getTime();
  const late = now.getTime() > deadline + grace;
  const ids: string[] = JSON.parse(a.question_ids_json);
  const rows = ids.length ? await questionDefs.execute(trx, ids) : [];
  const byId = new Map(rows.map((r) => [r.id, r]));
  const defs = ids
    .map((id) => byId.get(id))
    .filter((q): q is QRow => !!q)
    .map(toDef);
  if (!late) {
    const allowed = new Set(ids);
    const qids: string[] = [];
    const json: string[] = [];
    for (const [qid, resp] of read(defs))
      if (allowed.has(qid)) {
        qids.push(qid);
        json.push(JSON.stringify(resp));
      }
    if (qids.length) await upsertAnswers.execute(trx, a.id, qids, json, now.toISOString());
  }
  const answers = await attemptAnswers.execute(trx, a.id);
  const graded = gradeAttempt(defs, new Map(answers.map((r) => [r.question_id, JSON.parse(r.response_json) as Response])), 0);
  const end = Math.min(now.getTime(), deadline);
  const durationMs = Math.max(0, end - new Date(a.started_at).getTime());
  await closeAttempt.execute(
    trx,
    a.id,
    new Date(end).toISOString(),
    durationMs,
    graded.score,
    graded.maxScore,
    late ? a.prediction : prediction,
    answersSignature(answers),
  );
  return { attemptId: a.id, score: graded.score, maxScore: graded.maxScore, durationMs, alreadySubmitted: false, late };
}

const FINALISE_AT_ONCE = 50;

/** Submits, as they stand, the open attempts of a round whose deadline + grace has passed (optionally one user's). */
export async function finaliseExpired(db: DB, roundId: string, now = new Date(), userId?: string): Promise<number> {
  const grace = await graceMs(db, roundId);
  let q = db
    .selectFrom('contest_attempts')
    .select(['id', 'user_id'])
    .where('round_id', '=', roundId)
    .where('status', '=', 'in_progress')
    .where('deadline_at', '<', new Date(now.getTime() - grace).toISOString());
  if (userId) q = q.where('user_id', '=', userId);
  const stale = await q.execute();
  // Each closed in its own transaction, as a submit is, FINALISE_AT_ONCE at a time (issue #14: the
  // attempts left open when a round of 500,000 closes): concurrent write transactions share one COMMIT
  // on SQLite (group commit) and the pool's connections on PostgreSQL, instead of one commit after another.
  const last = { responses: new Map<string, Response>(), prediction: null };
  for (let i = 0; i < stale.length; i += FINALISE_AT_ONCE)
    await Promise.all(stale.slice(i, i + FINALISE_AT_ONCE).map((s) => submitChecked(db, s.id, last, grace, now)));
  return stale.length;
}
