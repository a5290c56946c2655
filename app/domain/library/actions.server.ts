/** One place that runs a lending button's intent for a user and says what happened (codes, no UI text). */
import type { z } from 'zod';

import type { circulationSchema } from '~/forms/library-circulation';
import type { RotationsPageInput } from '~/forms/library-rotation';
import type { BookshelvesInput } from '~/forms/library-shelf';
import type { TitleEditorInput } from '~/forms/library-title';
import type { DB } from '~/lib/db.server';
import { type AccessCode, err, ok, type Result } from '~/lib/result';

import { titleEditAccess } from './access.server';
import {
  borrow,
  type BorrowError,
  changeHold,
  type HoldError,
  markNotificationsRead,
  placeHold,
  renew,
  type RenewError,
  returnLoan,
} from './circulation.server';
import { createShelfAs, decideRotationAs, requestRotationAs } from './manage.server';
import { clearHistory, setHistoryEnabled } from './reading.server';
import type { RotationError } from './rotations.server';
import { indexTitle } from './search.server';
import { joinShelf, type JoinShelfError } from './shelves.server';
import { getHolding, getTitle, updateTitle, upsertHolding } from './titles.server';

export type CirculationDone =
  | 'borrowed'
  | 'held'
  | 'returned'
  | 'renewed'
  | 'suspend'
  | 'resume'
  | 'cancel'
  | 'historyOn'
  | 'historyOff'
  | 'historyCleared'
  | 'notificationsRead';

/** A failure of one lending operation: the operation and its own code (the same code can mean different things). */
export type CirculationError = `borrow.${BorrowError}` | `hold.${HoldError}` | `renew.${RenewError}` | 'not_found';

export async function runCirculation(
  db: DB,
  userId: string,
  input: z.infer<typeof circulationSchema>,
): Promise<Result<CirculationDone, CirculationError>> {
  switch (input.intent) {
    case 'borrow': {
      const r = await borrow(db, userId, input.holdingId);
      return r.ok ? ok('borrowed') : err(`borrow.${r.code}`);
    }
    case 'hold': {
      const r = await placeHold(db, userId, input.holdingId);
      return r.ok ? ok('held') : err(`hold.${r.code}`);
    }
    case 'return':
      return (await returnLoan(db, userId, input.loanId)) ? ok('returned') : err('not_found');
    case 'renew': {
      const r = await renew(db, userId, input.loanId);
      return r.ok ? ok('renewed') : err(`renew.${r.code}`);
    }
    case 'suspend':
    case 'resume':
    case 'cancel':
      return (await changeHold(db, userId, input.holdId, input.intent)) ? ok(input.intent) : err('not_found');
    case 'history':
      await setHistoryEnabled(db, userId, input.enabled === '1');
      return ok(input.enabled === '1' ? 'historyOn' : 'historyOff');
    case 'clear-history':
      await clearHistory(db, userId);
      return ok('historyCleared');
    case 'read-notifications':
      await markNotificationsRead(db, userId);
      return ok('notificationsRead');
  }
}

/** The bookshelves page: join a shelf with its code, or create one (a teacher of the unit). */
export type BookshelvesDone = { done: 'joined' | 'created'; shelfId: string };
export type BookshelvesError = `join.${JoinShelfError}` | `create.${AccessCode}`;

export async function runBookshelves(db: DB, userId: string, input: BookshelvesInput): Promise<Result<BookshelvesDone, BookshelvesError>> {
  switch (input.intent) {
    case 'join': {
      const r = await joinShelf(db, userId, input.code);
      return r.ok ? ok({ done: 'joined', shelfId: r.value }) : err(`join.${r.code}`);
    }
    case 'create': {
      const r = await createShelfAs(db, userId, { unitId: input.unit_id, name: input.name });
      return r.ok ? ok({ done: 'created', shelfId: r.value.id }) : err(`create.${r.code}`);
    }
  }
}

/** The rotations page: a librarian asks another library for copies, or decides on a rotation. */
export type RotationsDone = 'sent' | 'decided';

export async function runRotations(
  db: DB,
  userId: string,
  input: RotationsPageInput,
  now = new Date(),
): Promise<Result<RotationsDone, RotationError | 'forbidden'>> {
  if (input.intent === 'request') {
    const h = await getHolding(db, input.holdingId);
    if (!h) return err('no_holding');
    const r = await requestRotationAs(db, userId, {
      titleId: h.title_id,
      fromLibraryId: h.library_id,
      toLibraryId: input.toLibraryId,
      copies: input.copies,
      startsOn: input.startsOn,
      endsOn: input.endsOn,
    });
    return r.ok ? ok('sent') : r;
  }
  const r = await decideRotationAs(db, userId, input.rotationId, input.intent, now);
  return r.ok ? ok('decided') : r;
}

/** The title editor: its record (librarians of a holding library, or the uploader), or a holding of one's own library. */
export type TitleEditDone = 'record' | 'holding';

export async function runTitleEdit(
  db: DB,
  userId: string,
  titleId: string,
  input: TitleEditorInput,
): Promise<Result<TitleEditDone, AccessCode>> {
  const title = await getTitle(db, titleId);
  if (!title) return err('not_found');
  const access = await titleEditAccess(db, userId, title);
  if (access.status !== 'ok') return err('forbidden');
  switch (input.intent) {
    case 'record':
      await updateTitle(db, title.id, {
        title: input.title,
        author: input.author,
        language: input.language,
        description: input.description,
        subjects: input.subjects.split(','),
        audience: input.audience,
        themeYear: input.theme_year,
        publisher: input.publisher || null,
        publishedYear: input.published_year,
      });
      await indexTitle(db, title.id);
      return ok('record');
    case 'holding':
      if (!access.managed.some((m) => m.id === input.library_id)) return err('forbidden');
      await upsertHolding(db, title.id, input.library_id, {
        openAccess: input.access === 'open',
        copies: input.access === 'open' ? 0 : input.copies,
      });
      await indexTitle(db, title.id);
      return ok('holding');
  }
}
