/**
 * Reading challenges as people see them (thử thách đọc): set by a club, a school, a library or any
 * unit for a period; members join, see their progress bar, and finishers get a certificate through
 * the one certificate mechanism (`/verify/<code>`, app/domain/certificates/verify.server.ts).
 *
 * Minors' privacy on leaderboards: names are shown only to signed-in participants and the unit's
 * staff, children under 15 by first name only, and anyone may leave the board. Class figures are
 * aggregates (no names) and a class with fewer than MIN_CLASS participants shows no figure at all.
 *
 * The rules of progress (minutes, days at the daily minutes, distinct books) live in
 * `./reading.server.ts` (`challengeProgress`); this module computes the same figures for many
 * participants at once.
 */
import { sql } from 'kysely';

import { isUniqueViolation, toNumber, writeTransaction } from '~/db/dialect';
import type { ChallengeKind } from '~/db/schema/clubs';
import { hasRole } from '~/domain/accounts.server';
import { newCertificateCode } from '~/domain/courses/progress.server';
import { todayInVietnam } from '~/lib/dates';
import type { DB } from '~/lib/db.server';
import { newId, nowIso } from '~/lib/ids.server';
import { err, ok, type Result } from '~/lib/result';

import { clubAccess } from './access.server';
import { displayNameFor } from './clubs.server';
import { notifyChallengeFinished } from './notices.server';
import {
  type ChallengeError,
  type ChallengeProgress,
  challengeProgress,
  createChallenge,
  type LogError,
  type LogInput,
  logReading,
} from './reading.server';

/** A class figure is shown only when at least this many of its students take part (no one singled out). */
export const MIN_CLASS = 3;
const BOARD_SIZE = 20;
const DAY_MS = 86_400_000;

type ChallengeRow = {
  id: string;
  unit_id: string | null;
  club_id: string | null;
  name: string;
  kind: ChallengeKind;
  target: number;
  starts_on: string;
  ends_on: string;
};

function loadChallenge(db: DB, id: string) {
  return db.selectFrom('reading_challenges').selectAll().where('id', '=', id).executeTakeFirst();
}

async function isUnitStaff(db: DB, userId: string, unitId: string): Promise<boolean> {
  for (const role of ['organiser', 'teacher', 'librarian'] as const) if (await hasRole(db, userId, unitId, role)) return true;
  return false;
}

export type ChallengeAccess =
  | { status: 'missing' }
  | { status: 'ok'; challenge: ChallengeRow; canJoin: boolean; canManage: boolean; clubSlug: string | null; ownerName: string };

/**
 * A unit's challenge is open to everyone (signed in, to join); a club's challenge is seen where the
 * club's inside is (its members, or anyone for a public club) and joined by its members.
 */
export async function challengeAccess(db: DB, id: string, userId: string | null): Promise<ChallengeAccess> {
  const c = await loadChallenge(db, id);
  if (!c) return { status: 'missing' };
  if (c.club_id) {
    const a = await clubAccess(db, { id: c.club_id }, userId);
    if (a.status !== 'ok' || !a.canReadInside) return { status: 'missing' };
    return { status: 'ok', challenge: c, canJoin: a.isMember, canManage: a.canModerate, clubSlug: a.club.slug, ownerName: a.club.name };
  }
  const unit = await db
    .selectFrom('units')
    .select('name')
    .where('id', '=', c.unit_id ?? '')
    .executeTakeFirst();
  return {
    status: 'ok',
    challenge: c,
    canJoin: !!userId,
    canManage: !!userId && !!c.unit_id && (await isUnitStaff(db, userId, c.unit_id)),
    clubSlug: null,
    ownerName: unit?.name ?? '',
  };
}

/** Where a person may set a challenge: units where they teach, lend or organise; clubs they moderate. */
export async function challengeOwners(db: DB, userId: string) {
  const units = await db
    .selectFrom('units as u')
    .select(['u.id', 'u.name', 'u.depth'])
    .where('u.valid_to', 'is', null)
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('role_grants as g')
          .innerJoin('unit_closure as c', 'c.ancestor_id', 'g.unit_id')
          .select('g.id')
          .whereRef('c.descendant_id', '=', 'u.id')
          .where('g.user_id', '=', userId)
          .where('g.role', 'in', ['organiser', 'teacher', 'librarian', 'admin']),
      ),
    )
    .orderBy('u.depth')
    .orderBy('u.name')
    .limit(300)
    .execute();
  const clubs = await db
    .selectFrom('club_members as m')
    .innerJoin('club_clubs as c', 'c.id', 'm.club_id')
    .select(['c.id', 'c.name'])
    .where('m.user_id', '=', userId)
    .where('m.status', '=', 'active')
    .where('m.role', '=', 'moderator')
    .where('c.status', '=', 'active')
    .orderBy('c.name')
    .execute();
  return { units, clubs };
}

/**
 * The challenges a person sees: those running or coming of every unit (or under `unitId`), and of
 * the clubs whose inside they may read; with their own state in each.
 */
export async function listChallenges(db: DB, userId: string | null, opts: { unitId?: string } = {}, now = new Date()) {
  const today = todayInVietnam(now);
  const myClubIds = userId
    ? (await db.selectFrom('club_members').select('club_id').where('user_id', '=', userId).where('status', '=', 'active').execute()).map(
        (r) => r.club_id,
      )
    : [];
  let q = db
    .selectFrom('reading_challenges as c')
    .leftJoin('units as u', 'u.id', 'c.unit_id')
    .leftJoin('club_clubs as k', 'k.id', 'c.club_id')
    .select([
      'c.id',
      'c.name',
      'c.kind',
      'c.target',
      'c.starts_on',
      'c.ends_on',
      'c.unit_id',
      'c.club_id',
      'u.name as unit_name',
      'k.name as club_name',
      'k.slug as club_slug',
      (eb) =>
        eb
          .selectFrom('reading_challenge_members as m')
          .select(sql<number>`count(*)`.as('n'))
          .whereRef('m.challenge_id', '=', 'c.id')
          .as('participants'),
    ])
    .where('c.ends_on', '>=', today)
    .where((eb) =>
      eb.or([
        eb('c.unit_id', 'is not', null),
        eb('k.visibility', '=', 'public'),
        ...(myClubIds.length ? [eb('c.club_id', 'in', myClubIds)] : []),
      ]),
    );
  if (opts.unitId)
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('unit_closure as uc')
          .select('uc.descendant_id')
          .where('uc.ancestor_id', '=', opts.unitId!)
          .where((x) => x.or([x('uc.descendant_id', '=', x.ref('c.unit_id')), x('uc.descendant_id', '=', x.ref('k.unit_id'))])),
      ),
    );
  const rows = await q.orderBy('c.starts_on').orderBy('c.name').limit(100).execute();
  const mine = userId
    ? await db
        .selectFrom('reading_challenge_members')
        .select(['challenge_id', 'completed_at'])
        .where('user_id', '=', userId)
        .where('challenge_id', 'in', rows.map((r) => r.id).concat(['-']))
        .execute()
    : [];
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    kind: r.kind,
    target: r.target,
    startsOn: r.starts_on,
    endsOn: r.ends_on,
    owner: r.club_name ?? r.unit_name ?? '',
    clubSlug: r.club_slug,
    participants: toNumber(r.participants),
    running: r.starts_on <= today,
    joined: mine.some((m) => m.challenge_id === r.id),
    completed: mine.some((m) => m.challenge_id === r.id && !!m.completed_at),
  }));
}

/** Daily minutes of many people over a period (their own logs and those logged with them). */
async function dailyMinutesOf(db: DB, userIds: string[], from: string, to: string): Promise<Map<string, Map<string, number>>> {
  const out = new Map<string, Map<string, number>>();
  for (let i = 0; i < userIds.length; i += 500) {
    const chunk = userIds.slice(i, i + 500);
    for (const col of ['user_id', 'partner_user_id'] as const) {
      const rows = await db
        .selectFrom('reading_logs')
        .select([`${col} as who`, 'read_on', sql<number>`sum(minutes)`.as('m')])
        .where(col, 'in', chunk)
        .where('read_on', '>=', from)
        .where('read_on', '<=', to)
        .groupBy([col, 'read_on'])
        .execute();
      for (const r of rows) {
        if (!r.who) continue;
        const days = out.get(r.who) ?? new Map<string, number>();
        days.set(r.read_on, (days.get(r.read_on) ?? 0) + toNumber(r.m));
        out.set(r.who, days);
      }
    }
  }
  return out;
}

async function booksOf(db: DB, userIds: string[], from: string, to: string): Promise<Map<string, number>> {
  const sets = new Map<string, Set<string>>();
  for (let i = 0; i < userIds.length; i += 500) {
    const chunk = userIds.slice(i, i + 500);
    for (const col of ['user_id', 'partner_user_id'] as const) {
      const rows = await db
        .selectFrom('reading_logs')
        .select([`${col} as who`, 'title_id', 'outside_title'])
        .where(col, 'in', chunk)
        .where('read_on', '>=', from)
        .where('read_on', '<=', to)
        .execute();
      for (const r of rows) {
        const key = r.title_id ?? (r.outside_title ? `o:${r.outside_title.toLowerCase()}` : null);
        if (!r.who || !key) continue;
        const s = sets.get(r.who) ?? new Set<string>();
        s.add(key);
        sets.set(r.who, s);
      }
    }
  }
  return new Map([...sets].map(([k, s]) => [k, s.size]));
}

/** The same figures as `challengeProgress`, for many participants in a few queries. */
export async function progressOfMany(db: DB, c: ChallengeRow, userIds: string[]): Promise<Map<string, ChallengeProgress>> {
  const out = new Map<string, ChallengeProgress>();
  const periodDays = Math.round((Date.parse(c.ends_on) - Date.parse(c.starts_on)) / DAY_MS) + 1;
  const target = c.kind === 'minutes_per_day' ? periodDays : c.target;
  const done = new Map<string, number>();
  if (c.kind === 'books') {
    for (const [u, n] of await booksOf(db, userIds, c.starts_on, c.ends_on)) done.set(u, n);
  } else {
    for (const [u, days] of await dailyMinutesOf(db, userIds, c.starts_on, c.ends_on)) {
      let n = 0;
      for (const m of days.values()) n += c.kind === 'minutes_total' ? m : m >= c.target ? 1 : 0;
      done.set(u, n);
    }
  }
  for (const u of userIds) {
    const d = done.get(u) ?? 0;
    out.set(u, { done: d, target, percent: Math.min(100, Math.round((d / target) * 100)), complete: d >= target });
  }
  return out;
}

/** Joins (or, for a club's challenge, refuses a non-member). */
export async function joinChallengeAs(
  db: DB,
  userId: string,
  challengeId: string,
  now = new Date(),
): Promise<Result<undefined, ChallengeError | 'not_member'>> {
  const a = await challengeAccess(db, challengeId, userId);
  if (a.status !== 'ok') return err('not_found');
  if (!a.canJoin) return err('not_member');
  if (a.challenge.ends_on < todayInVietnam(now)) return err('ended');
  await db
    .insertInto('reading_challenge_members')
    .values({ challenge_id: challengeId, user_id: userId, joined_at: nowIso(), completed_at: null, on_board: 1 })
    .onConflict((oc) => oc.columns(['challenge_id', 'user_id']).doNothing())
    .execute();
  // Reading logged before joining counts too: finishing may already be true.
  await completeChallengesFor(db, userId, now, challengeId);
  return ok();
}

export async function leaveChallenge(db: DB, userId: string, challengeId: string): Promise<Result<undefined, ChallengeError>> {
  const r = await db
    .deleteFrom('reading_challenge_members')
    .where('challenge_id', '=', challengeId)
    .where('user_id', '=', userId)
    .where('completed_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numDeletedRows) ? ok() : err('not_found');
}

/** A participant shows or hides their name on the leaderboard. */
export async function setOnBoard(db: DB, userId: string, challengeId: string, on: boolean): Promise<Result<undefined, ChallengeError>> {
  const r = await db
    .updateTable('reading_challenge_members')
    .set({ on_board: on ? 1 : 0 })
    .where('challenge_id', '=', challengeId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) ? ok() : err('not_found');
}

/**
 * Issues a finisher's certificate once (the unique (challenge, user) constraint), with the name as
 * shown publicly at /verify/<code>: a child's first name only.
 */
export async function issueChallengeCertificate(
  db: DB,
  challengeId: string,
  userId: string,
  now = new Date(),
): Promise<{ code: string; created: boolean }> {
  const existing = await db
    .selectFrom('reading_challenge_certificates')
    .select('code')
    .where('challenge_id', '=', challengeId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  if (existing) return { code: existing.code, created: false };
  const c = await db
    .selectFrom('reading_challenges as c')
    .leftJoin('units as u', 'u.id', 'c.unit_id')
    .leftJoin('club_clubs as k', 'k.id', 'c.club_id')
    .leftJoin('units as ku', 'ku.id', 'k.unit_id')
    .select(['c.name', 'u.name as unit_name', 'k.name as club_name', 'ku.name as club_unit_name'])
    .where('c.id', '=', challengeId)
    .executeTakeFirstOrThrow();
  const user = await db.selectFrom('users').select(['display_name', 'birth_year']).where('id', '=', userId).executeTakeFirstOrThrow();
  const code = newCertificateCode();
  try {
    await db
      .insertInto('reading_challenge_certificates')
      .values({
        id: newId(),
        code,
        challenge_id: challengeId,
        user_id: userId,
        holder_name: displayNameFor(user.display_name, user.birth_year, now),
        title: c.name,
        unit_name: c.club_name ? `${c.club_name} · ${c.club_unit_name ?? ''}` : (c.unit_name ?? ''),
        issued_at: now.toISOString(),
        revoked_at: null,
        revoked_reason: null,
      })
      .execute();
    return { code, created: true };
  } catch (e) {
    if (!isUniqueViolation(e)) throw e;
    return issueChallengeCertificate(db, challengeId, userId, now);
  }
}

/**
 * After a person's reading changed: every challenge they joined that is running (or just ended) and
 * not yet finished is checked; finishers are marked (once) and get their certificate.
 * Returns the challenges just finished.
 */
export async function completeChallengesFor(db: DB, userId: string, now = new Date(), onlyId?: string): Promise<string[]> {
  const today = todayInVietnam(now);
  let q = db
    .selectFrom('reading_challenge_members as m')
    .innerJoin('reading_challenges as c', 'c.id', 'm.challenge_id')
    .select('c.id')
    .where('m.user_id', '=', userId)
    .where('m.completed_at', 'is', null)
    .where('c.starts_on', '<=', today);
  if (onlyId) q = q.where('c.id', '=', onlyId);
  const finished: string[] = [];
  for (const { id } of await q.execute()) {
    const p = await challengeProgress(db, userId, id, now);
    if (!p?.complete) continue;
    if (await finishChallenge(db, id, userId, now)) finished.push(id);
  }
  return finished;
}

/**
 * One finisher, once: in one transaction, marks them finished (only if not yet — the row's
 * `completed_at` is the once-only key, so two checks running together finish them once), issues
 * the certificate and tells them (bell and digest, `clubs.challenge_finished`). Returns whether
 * this call was the one that finished them.
 */
async function finishChallenge(db: DB, challengeId: string, userId: string, now: Date): Promise<boolean> {
  return writeTransaction(db, async (trx) => {
    const r = await trx
      .updateTable('reading_challenge_members')
      .set({ completed_at: now.toISOString() })
      .where('challenge_id', '=', challengeId)
      .where('user_id', '=', userId)
      .where('completed_at', 'is', null)
      .executeTakeFirst();
    if (!Number(r.numUpdatedRows)) return false;
    await issueChallengeCertificate(trx, challengeId, userId, now);
    await notifyChallengeFinished(trx, challengeId, userId, now);
    return true;
  });
}

/** Everything the challenge page shows, for this viewer. */
export async function challengePage(db: DB, id: string, userId: string | null, now = new Date()) {
  const a = await challengeAccess(db, id, userId);
  if (a.status !== 'ok') return a;
  const c = a.challenge;
  const members = await db
    .selectFrom('reading_challenge_members as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select(['m.user_id', 'm.completed_at', 'm.on_board', 'u.display_name', 'u.birth_year'])
    .where('m.challenge_id', '=', id)
    .limit(20_000)
    .execute();
  const mineRow = userId ? members.find((m) => m.user_id === userId) : undefined;
  const seesNames = !!mineRow || a.canManage;
  const progress = await progressOfMany(
    db,
    c,
    members.map((m) => m.user_id),
  );
  const board = seesNames
    ? members
        .filter((m) => m.on_board === 1 || m.user_id === userId)
        .map((m) => ({
          id: m.user_id,
          name: displayNameFor(m.display_name, m.birth_year, now),
          done: progress.get(m.user_id)!.done,
          finished: !!m.completed_at,
          me: m.user_id === userId,
        }))
        .sort((x, y) => y.done - x.done || Number(y.finished) - Number(x.finished) || x.name.localeCompare(y.name, 'vi'))
        .slice(0, BOARD_SIZE)
    : [];
  // Classes: the class bookshelves of the challenge's unit (a school) and below, as aggregates.
  const classes = c.unit_id
    ? await db
        .selectFrom('lib_shelves as s')
        .innerJoin('unit_closure as uc', 'uc.descendant_id', 's.unit_id')
        .innerJoin('lib_shelf_members as sm', 'sm.shelf_id', 's.id')
        .select(['s.id', 's.name', 'sm.user_id'])
        .where('uc.ancestor_id', '=', c.unit_id)
        .limit(50_000)
        .execute()
    : [];
  const byClass = new Map<string, { name: string; students: number; taking: string[] }>();
  const memberIds = new Set(members.map((m) => m.user_id));
  for (const r of classes) {
    const k = byClass.get(r.id) ?? { name: r.name, students: 0, taking: [] };
    k.students++;
    if (memberIds.has(r.user_id)) k.taking.push(r.user_id);
    byClass.set(r.id, k);
  }
  const classBoard = [...byClass.values()]
    .map((k) => {
      const shown = k.taking.length >= MIN_CLASS;
      const avg = shown ? Math.round(k.taking.reduce((s, u) => s + progress.get(u)!.percent, 0) / k.taking.length) : null;
      const done = shown ? k.taking.filter((u) => progress.get(u)!.complete).length : null;
      return { name: k.name, students: k.students, taking: k.taking.length, averagePercent: avg, finished: done };
    })
    .sort((x, y) => (y.averagePercent ?? -1) - (x.averagePercent ?? -1) || x.name.localeCompare(y.name, 'vi'));
  const cert = userId
    ? await db
        .selectFrom('reading_challenge_certificates')
        .select('code')
        .where('challenge_id', '=', id)
        .where('user_id', '=', userId)
        .executeTakeFirst()
    : undefined;
  const today = todayInVietnam(now);
  return {
    status: 'ok' as const,
    challenge: {
      id: c.id,
      name: c.name,
      kind: c.kind,
      target: c.target,
      startsOn: c.starts_on,
      endsOn: c.ends_on,
      owner: a.ownerName,
      clubSlug: a.clubSlug,
      state: c.ends_on < today ? ('ended' as const) : c.starts_on > today ? ('coming' as const) : ('running' as const),
    },
    canJoin: a.canJoin && c.ends_on >= today && !mineRow,
    canManage: a.canManage,
    participants: members.length,
    finishers: members.filter((m) => !!m.completed_at).length,
    mine: mineRow
      ? {
          progress: progress.get(mineRow.user_id)!,
          completed: !!mineRow.completed_at,
          onBoard: mineRow.on_board === 1,
          certificate: cert?.code ?? null,
        }
      : null,
    board,
    seesNames,
    classBoard,
    minClass: MIN_CLASS,
  };
}

/**
 * The job: finishers of running challenges (and those that ended yesterday, for reading logged
 * late, by a class session or by the reader) are marked and get their certificate.
 */
export async function completeDueChallenges(db: DB, now = new Date()): Promise<number> {
  const today = todayInVietnam(now);
  const yesterday = new Date(Date.parse(`${today}T00:00:00Z`) - DAY_MS).toISOString().slice(0, 10);
  const running = await db
    .selectFrom('reading_challenges')
    .select('id')
    .where('starts_on', '<=', today)
    .where('ends_on', '>=', yesterday)
    .execute();
  let n = 0;
  for (const c of running) n += (await markCompletions(db, c.id, now)).length;
  return n;
}

/** Logs reading (./reading.server.ts `logReading`) and finishes the challenges it completes, for both of a pair. */
export async function logReadingAndCheck(
  db: DB,
  userId: string,
  input: LogInput,
  now = new Date(),
): Promise<Result<{ id: string; finished: string[] }, LogError>> {
  const r = await logReading(db, userId, input, now);
  if (!r.ok) return r;
  const finished = await completeChallengesFor(db, userId, now);
  if (input.partnerUserId) await completeChallengesFor(db, input.partnerUserId, now);
  return ok({ id: r.value.id, finished });
}

/** The challenges directory: what is running or coming, and whether this person may set one. */
export async function challengesDirectory(db: DB, userId: string | null, now = new Date()) {
  const challenges = await listChallenges(db, userId, {}, now);
  const owners = userId ? await challengeOwners(db, userId) : { units: [], clubs: [] };
  return { challenges, canCreate: owners.units.length + owners.clubs.length > 0 };
}

export type NewChallenge = {
  owner: string;
  name: string;
  kind: ChallengeKind;
  target: number;
  startsOn: string;
  endsOn: string;
};

/** Sets a challenge for a unit ("unit:<id>") or a club ("club:<id>"); the rights are checked by `createChallenge`. */
export async function createChallengeFor(db: DB, userId: string, input: NewChallenge): Promise<Result<{ id: string }, ChallengeError>> {
  const [type, id] = input.owner.split(':') as ['unit' | 'club', string];
  return createChallenge(db, userId, {
    unitId: type === 'unit' ? id : null,
    clubId: type === 'club' ? id : null,
    name: input.name,
    kind: input.kind,
    target: input.target,
    startsOn: input.startsOn,
    endsOn: input.endsOn,
  });
}

/** The flash after each button of the challenge page (literal keys). */
const DONE = {
  join: 'clubs.flash.challengeJoined',
  leave: 'clubs.flash.challengeLeft',
  show: 'clubs.flash.boardShown',
  hide: 'clubs.flash.boardHidden',
} as const;

export type ChallengeAction = { intent: 'join' } | { intent: 'leave' } | { intent: 'board'; show: '0' | '1' };

/** Runs a challenge page's button for a person; says which message to show. */
export async function runChallengeAction(
  db: DB,
  userId: string,
  challengeId: string,
  input: ChallengeAction,
  now = new Date(),
): Promise<Result<(typeof DONE)[keyof typeof DONE], ChallengeError | 'not_member'>> {
  switch (input.intent) {
    case 'join': {
      const r = await joinChallengeAs(db, userId, challengeId, now);
      return r.ok ? ok(DONE.join) : r;
    }
    case 'leave': {
      const r = await leaveChallenge(db, userId, challengeId);
      return r.ok ? ok(DONE.leave) : r;
    }
    case 'board': {
      const r = await setOnBoard(db, userId, challengeId, input.show === '1');
      return r.ok ? ok(input.show === '1' ? DONE.show : DONE.hide) : r;
    }
  }
}

/** Marks a challenge's finishers (once) and issues their certificates; returns who just finished. */
export async function markCompletions(db: DB, challengeId: string, now = new Date()): Promise<string[]> {
  const c = await loadChallenge(db, challengeId);
  if (!c) return [];
  const open = (
    await db
      .selectFrom('reading_challenge_members')
      .select('user_id')
      .where('challenge_id', '=', challengeId)
      .where('completed_at', 'is', null)
      .execute()
  ).map((r) => r.user_id);
  const progress = await progressOfMany(db, c, open);
  const finished: string[] = [];
  for (const u of open) {
    if (!progress.get(u)?.complete) continue;
    if (await finishChallenge(db, challengeId, u, now)) finished.push(u);
  }
  return finished;
}
