/**
 * A club's reading schedule: the current book (a library title or an outside/paper book), its
 * milestones (parts with target dates), each member's progress, and the spoiler gate.
 *
 * Every milestone has one thread on the shared discussion engine (place type 'club_milestone',
 * registered in ./place.server.ts). A member reads a milestone's thread only once they have
 * finished that part (or chose to reveal it); moderators always can. The gate sits in the place
 * policy, so no route, loader, search or notice of the engine can show a later part's posts.
 *
 * Progress is the number of parts finished, in order: what the member marked, or — for a library
 * title — what the built-in reader's saved position says (being in the chapter where part N+1
 * starts means part N is finished), whichever is further.
 */
import { sql } from 'kysely';

import { isUniqueViolation, toNumber, writeTransaction } from '~/db/dialect';
import { openModeratorThread } from '~/domain/discussion/open-thread.server';
import { notify } from '~/domain/notifications/notify.server';
import { todayInVietnam } from '~/lib/dates';
import type { DB } from '~/lib/db.server';
import { newId, nowIso } from '~/lib/ids.server';
import { err, ok, type Result } from '~/lib/result';

import { clubAccess } from './access.server';
import { clubChanged } from './cache.server';

export const CLUB_PLACE = 'club';
export const MILESTONE_PLACE = 'club_milestone';

export type ScheduleError =
  | 'not_found'
  | 'forbidden'
  | 'closed'
  | 'not_member'
  | 'no_book'
  | 'no_title'
  | 'pages_order'
  | 'pages_beyond'
  | 'target_past'
  | 'bad_progress';

async function moderatorOf(db: DB, userId: string, clubId: string): Promise<Result<{ clubId: string }, ScheduleError>> {
  const a = await clubAccess(db, { id: clubId }, userId);
  if (a.status !== 'ok') return err('not_found');
  if (!a.canModerate) return err('forbidden');
  if (a.club.status !== 'active') return err('closed');
  return ok({ clubId });
}

export function currentBook(db: DB, clubId: string) {
  return db
    .selectFrom('club_books')
    .selectAll()
    .where('club_id', '=', clubId)
    .where('status', '=', 'current')
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export type BookInput = { titleId?: string | null; title?: string | null; author?: string | null; pages?: number | null };

/** A moderator sets the club's current book; the previous one becomes 'done' (its milestones and threads stay). */
export async function setCurrentBook(
  db: DB,
  userId: string,
  clubId: string,
  input: BookInput,
): Promise<Result<{ id: string }, ScheduleError>> {
  const m = await moderatorOf(db, userId, clubId);
  if (!m.ok) return m;
  let title = input.title?.trim() ?? '';
  let author = input.author?.trim() ?? '';
  if (input.titleId) {
    const t = await db.selectFrom('lib_titles').select(['title', 'author']).where('id', '=', input.titleId).executeTakeFirst();
    if (!t) return err('no_title');
    title = t.title;
    author = t.author;
  }
  if (!title) return err('no_title');
  const id = newId();
  await writeTransaction(db, async (trx) => {
    await trx.updateTable('club_books').set({ status: 'done' }).where('club_id', '=', clubId).where('status', '=', 'current').execute();
    await trx
      .insertInto('club_books')
      .values({
        id,
        club_id: clubId,
        title_id: input.titleId ?? null,
        title: title.slice(0, 300),
        author: author.slice(0, 300),
        pages: input.titleId ? null : (input.pages ?? null),
        status: 'current',
        set_by: userId,
        created_at: nowIso(),
      })
      .execute();
  });
  return clubChanged(db, clubId, ok({ id }));
}

export type MilestoneInput = {
  label: string;
  fromPage?: number | null;
  toPage?: number | null;
  startChapter?: string | null;
  /** YYYY-MM-DD */
  targetOn: string;
  /** New questions (also saved in the club's bank). */
  questions?: string[];
  /** Questions picked from the bank. */
  questionIds?: string[];
};

export function questionBank(db: DB, clubId: string) {
  return db
    .selectFrom('club_questions')
    .select(['id', 'body'])
    .where('club_id', '=', clubId)
    .orderBy('created_at')
    .orderBy('id')
    .limit(200)
    .execute();
}

/**
 * Adds the next milestone of the current book and opens its thread with the chosen questions.
 * Positions are numbered under the database's unique (book, position): two moderators adding a
 * part at once get 3 and 4, never two 3s.
 */
export async function addMilestone(
  db: DB,
  userId: string,
  clubId: string,
  input: MilestoneInput,
  now = new Date(),
): Promise<Result<{ id: string; position: number; threadId: string | null }, ScheduleError>> {
  const m = await moderatorOf(db, userId, clubId);
  if (!m.ok) return m;
  const book = await currentBook(db, clubId);
  if (!book) return err('no_book');
  const from = input.fromPage ?? null;
  const to = input.toPage ?? null;
  if (from != null && to != null && to < from) return err('pages_order');
  if (book.pages != null && ((to ?? 0) > book.pages || (from ?? 0) > book.pages)) return err('pages_beyond');
  if (input.targetOn < todayInVietnam(now)) return err('target_past');
  const id = newId();
  let position = 0;
  for (let attempt = 0; attempt < 5 && !position; attempt++) {
    try {
      position = await writeTransaction(db, async (trx) => {
        const last = await trx
          .selectFrom('club_milestones')
          .select(sql<number | null>`max(position)`.as('p'))
          .where('book_id', '=', book.id)
          .executeTakeFirstOrThrow();
        const p = toNumber(last.p) + 1;
        await trx
          .insertInto('club_milestones')
          .values({
            id,
            club_id: clubId,
            book_id: book.id,
            position: p,
            label: input.label.trim().slice(0, 200),
            from_page: from,
            to_page: to,
            start_chapter: book.title_id ? input.startChapter?.trim() || null : null,
            target_on: input.targetOn,
            thread_id: null,
            created_by: userId,
            created_at: now.toISOString(),
          })
          .execute();
        return p;
      });
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
    }
  }
  if (!position) throw new Error('could not number the milestone');

  // The questions: new ones go into the bank; picked ones come from it (this club's only).
  const fresh = (input.questions ?? [])
    .map((q) => q.trim())
    .filter(Boolean)
    .slice(0, 20);
  for (const body of fresh)
    await db
      .insertInto('club_questions')
      .values({ id: newId(), club_id: clubId, body: body.slice(0, 1000), created_by: userId, created_at: now.toISOString() })
      .execute();
  const picked = input.questionIds?.length
    ? (await questionBank(db, clubId)).filter((q) => input.questionIds!.includes(q.id)).map((q) => q.body)
    : [];
  const questions = [...new Set([...picked, ...fresh])];
  const label = input.label.trim();
  const body = questions.length ? questions.map((q, i) => `${i + 1}. ${q}`).join('\n') : label;
  const thread = await openModeratorThread(db, userId, { type: MILESTONE_PLACE, id }, { title: `${book.title} — ${label}`, body }, now);
  if (thread) await db.updateTable('club_milestones').set({ thread_id: thread.threadId }).where('id', '=', id).execute();
  await notifyMembers(db, clubId, userId, { label, book: book.title, threadId: thread?.threadId ?? null }, now);
  return clubChanged(db, clubId, ok({ id, position, threadId: thread?.threadId ?? null }));
}

async function notifyMembers(
  db: DB,
  clubId: string,
  exceptId: string,
  p: { label: string; book: string; threadId: string | null },
  now: Date,
) {
  const club = await db.selectFrom('club_clubs').select(['slug', 'name']).where('id', '=', clubId).executeTakeFirst();
  if (!club) return;
  const members = await db
    .selectFrom('club_members')
    .select('user_id')
    .where('club_id', '=', clubId)
    .where('status', '=', 'active')
    .where('user_id', '!=', exceptId)
    .execute();
  // The notice names the part only (no post text) and points at the schedule: no spoiler for anyone behind.
  for (const mem of members)
    await notify(db, {
      userId: mem.user_id,
      type: 'clubs.milestone',
      params: { club: club.name, part: p.label, book: p.book },
      url: `/clubs/${club.slug}/schedule`,
      place: { type: CLUB_PLACE, id: clubId },
      now,
    });
}

export function milestones(db: DB, bookId: string) {
  return db.selectFrom('club_milestones').selectAll().where('book_id', '=', bookId).orderBy('position').execute();
}

/** Parts of the book the member has finished: their own mark, or the built-in reader's position for a library title. */
export async function finishedParts(
  db: DB,
  userId: string,
  book: { id: string; title_id: string | null },
  list?: Array<{ position: number; start_chapter: string | null }>,
): Promise<number> {
  const mark = await db
    .selectFrom('club_progress')
    .select('finished')
    .where('book_id', '=', book.id)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  if (!book.title_id) return finishedFrom(mark?.finished, null, []);
  const pos = await db
    .selectFrom('lib_reading_state')
    .select('label')
    .where('user_id', '=', userId)
    .where('title_id', '=', book.title_id)
    .executeTakeFirst();
  return finishedFrom(mark?.finished, pos?.label, readerLabel(pos?.label) ? (list ?? (await milestones(db, book.id))) : []);
}

/** The reader's saved position as `finishedFrom` compares it (null: none, or blank). */
export function readerLabel(label: string | null | undefined): string | null {
  return label?.trim() || null;
}

/**
 * Parts finished from the member's own mark and, for a library title, the built-in reader's
 * position (`label`; `parts`: the book's milestones, needed only when there is a label) — the rule
 * of `finishedParts`, also applied by the shared thread renders' capture (./shell.server.ts).
 */
export function finishedFrom(
  mark: number | null | undefined,
  label: string | null | undefined,
  parts: ReadonlyArray<{ position: number; start_chapter: string | null }>,
): number {
  let finished = mark ?? 0;
  const at = readerLabel(label);
  if (at) {
    const part = parts.find((x) => x.start_chapter && x.start_chapter.trim() === at);
    if (part) finished = Math.max(finished, part.position - 1);
  }
  return finished;
}

/** The clock as the schedule page reads it: today in Vietnam (who is behind) and the year (who is a child). */
export interface ScheduleClock {
  today: string;
  year: number;
}

export function scheduleClock(now: Date): ScheduleClock {
  return { today: todayInVietnam(now), year: now.getUTCFullYear() };
}

/** A member marks how many parts they have finished (moving back is allowed: a re-read). */
export async function markProgress(
  db: DB,
  userId: string,
  clubId: string,
  finished: number,
): Promise<Result<{ finished: number }, ScheduleError>> {
  const a = await clubAccess(db, { id: clubId }, userId);
  if (a.status !== 'ok') return err('not_found');
  if (!a.isMember) return err('not_member');
  const book = await currentBook(db, clubId);
  if (!book) return err('no_book');
  const count = (await milestones(db, book.id)).length;
  if (!Number.isInteger(finished) || finished < 0 || finished > count) return err('bad_progress');
  const stamp = nowIso();
  await db
    .insertInto('club_progress')
    .values({ book_id: book.id, user_id: userId, finished, updated_at: stamp })
    .onConflict((oc) => oc.columns(['book_id', 'user_id']).doUpdateSet({ finished, updated_at: stamp }))
    .execute();
  return clubChanged(db, clubId, ok({ finished }));
}

async function loadMilestone(db: DB, milestoneId: string) {
  return db
    .selectFrom('club_milestones as m')
    .innerJoin('club_books as b', 'b.id', 'm.book_id')
    .select(['m.id', 'm.club_id', 'm.position', 'm.label', 'm.thread_id', 'm.book_id', 'b.title_id', 'b.title as book_title'])
    .where('m.id', '=', milestoneId)
    .executeTakeFirst();
}

export type MilestoneGate =
  | { status: 'missing' }
  | { status: 'outside' }
  | { status: 'locked'; revealable: boolean }
  | { status: 'open'; moderator: boolean; revealed: boolean };

/** Whether the member may read a milestone's thread, and why not. */
export async function milestoneGate(db: DB, userId: string | null, milestoneId: string): Promise<MilestoneGate> {
  const m = await loadMilestone(db, milestoneId);
  if (!m) return { status: 'missing' };
  const a = await clubAccess(db, { id: m.club_id }, userId);
  if (a.status !== 'ok') return { status: 'missing' };
  if (a.canModerate) return { status: 'open', moderator: true, revealed: false };
  if (!userId || !a.isMember) return { status: 'outside' };
  if ((await finishedParts(db, userId, { id: m.book_id, title_id: m.title_id })) >= m.position)
    return { status: 'open', moderator: false, revealed: false };
  const revealed = await db
    .selectFrom('club_reveals')
    .select('user_id')
    .where('milestone_id', '=', milestoneId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return revealed ? { status: 'open', moderator: false, revealed: true } : { status: 'locked', revealable: true };
}

/** The member chooses to see a part's posts before finishing it. */
export async function revealMilestone(db: DB, userId: string, milestoneId: string): Promise<Result<undefined, ScheduleError>> {
  const g = await milestoneGate(db, userId, milestoneId);
  if (g.status === 'missing') return err('not_found');
  if (g.status === 'outside') return err('not_member');
  if (g.status === 'open') return ok();
  await db
    .insertInto('club_reveals')
    .values({ milestone_id: milestoneId, user_id: userId, created_at: nowIso() })
    .onConflict((oc) => oc.columns(['milestone_id', 'user_id']).doNothing())
    .execute();
  return ok();
}

/** Visible posts of each thread (the count a locked member sees: "3 posts about part 2"). */
export async function visiblePostCounts(db: DB, threadIds: string[]): Promise<Map<string, number>> {
  if (!threadIds.length) return new Map();
  const rows = await db
    .selectFrom('disc_posts')
    .select(['thread_id', sql<number>`count(*)`.as('n')])
    .where('thread_id', 'in', threadIds)
    .where('status', '=', 'visible')
    .groupBy('thread_id')
    .execute();
  return new Map(rows.map((r) => [r.thread_id, toNumber(r.n)]));
}

/**
 * Members' progress on the current book for the schedule page (children are not named): each one's
 * mark and reader position read with the member list in one query, counted as `finishedParts` does.
 */
export async function membersProgress(db: DB, clubId: string, book: { id: string; title_id: string | null }) {
  const list = await milestones(db, book.id);
  const members = await db
    .selectFrom('club_members as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .leftJoin('club_progress as p', (j) => j.onRef('p.user_id', '=', 'm.user_id').on('p.book_id', '=', book.id))
    .leftJoin('lib_reading_state as rs', (j) => j.onRef('rs.user_id', '=', 'm.user_id').on('rs.title_id', '=', book.title_id ?? ''))
    .select(['m.user_id', 'u.display_name', 'u.birth_year', 'p.finished', 'rs.label'])
    .where('m.club_id', '=', clubId)
    .where('m.status', '=', 'active')
    .orderBy('u.display_name')
    .limit(500)
    .execute();
  return {
    milestones: list,
    members: members.map(({ finished, label, ...mem }) => ({
      ...mem,
      finished: finishedFrom(finished, book.title_id ? label : null, list),
    })),
  };
}
