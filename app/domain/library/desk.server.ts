/**
 * A librarian's desk: the current loans and hold queues of the libraries they look after.
 *
 * Privacy rule: a librarian sees who holds a copy *now* and who waits for one — what they need to
 * run the queue — never what a reader has read. Returned and expired loans, fulfilled or
 * cancelled holds and reading history are not read here at all.
 */
import type { DB } from '~/lib/db.server';

import type { DeskAccess } from './access.server';

export const DESK_VIEWS = ['all', 'overdue', 'ready'] as const;
export type DeskView = (typeof DESK_VIEWS)[number];

export interface DeskLoan {
  id: string;
  titleId: string;
  slug: string;
  title: string;
  libraryId: string;
  borrower: string;
  borrowedAt: string;
  dueAt: string;
  renewals: number;
  /** Past its due time, its copy not yet taken back by the circulation sweep. */
  overdue: boolean;
}

export interface DeskHold {
  id: string;
  titleId: string;
  slug: string;
  title: string;
  libraryId: string;
  reader: string;
  status: 'waiting' | 'suspended' | 'ready';
  /** 1-based place in the title's queue at this library (ready holds: 0). */
  position: number;
  queuedAt: string;
  expiresAt: string | null;
}

export interface DeskPage {
  loans: DeskLoan[];
  holds: DeskHold[];
  counts: { loans: number; overdue: number; waiting: number; ready: number };
}

/**
 * The desk of the libraries `access` allows (one, or all of them), filtered by `view`:
 * `overdue` only overdue loans, `ready` only holds waiting to be collected.
 */
export async function libraryDesk(
  db: DB,
  access: Extract<DeskAccess, { status: 'ok' }>,
  view: DeskView = 'all',
  now = new Date(),
  limit = 500,
): Promise<DeskPage> {
  const libraryIds = access.library ? [access.library.id] : access.libraries.map((l) => l.id);
  const iso = now.toISOString();
  const [loanRows, holdRows] = await Promise.all([
    db
      .selectFrom('lib_loans as l')
      .innerJoin('lib_titles as t', 't.id', 'l.title_id')
      .innerJoin('users as u', 'u.id', 'l.user_id')
      .select(['l.id', 'l.title_id', 'l.library_id', 'l.borrowed_at', 'l.due_at', 'l.renewals', 't.slug', 't.title', 'u.display_name'])
      .where('l.library_id', 'in', libraryIds)
      .where('l.status', '=', 'active')
      .orderBy('l.due_at')
      .orderBy('l.id')
      .limit(limit)
      .execute(),
    db
      .selectFrom('lib_holds as h')
      .innerJoin('lib_titles as t', 't.id', 'h.title_id')
      .innerJoin('users as u', 'u.id', 'h.user_id')
      .select([
        'h.id',
        'h.holding_id',
        'h.title_id',
        'h.library_id',
        'h.status',
        'h.queued_at',
        'h.expires_at',
        't.slug',
        't.title',
        'u.display_name',
      ])
      .where('h.library_id', 'in', libraryIds)
      .where((eb) =>
        eb.or([eb('h.status', 'in', ['waiting', 'suspended']), eb.and([eb('h.status', '=', 'ready'), eb('h.expires_at', '>', iso)])]),
      )
      .orderBy('h.holding_id')
      .orderBy('h.queued_at')
      .orderBy('h.id')
      .limit(limit)
      .execute(),
  ]);
  const loans: DeskLoan[] = loanRows.map((r) => ({
    id: r.id,
    titleId: r.title_id,
    slug: r.slug,
    title: r.title,
    libraryId: r.library_id,
    borrower: r.display_name,
    borrowedAt: r.borrowed_at,
    dueAt: r.due_at,
    renewals: r.renewals,
    overdue: r.due_at <= iso,
  }));
  // Queue places per holding (FIFO by queued_at; suspended holds keep their place).
  const place = new Map<string, number>();
  const holds: DeskHold[] = holdRows.map((r) => {
    let position = 0;
    if (r.status !== 'ready') {
      position = (place.get(r.holding_id) ?? 0) + 1;
      place.set(r.holding_id, position);
    }
    return {
      id: r.id,
      titleId: r.title_id,
      slug: r.slug,
      title: r.title,
      libraryId: r.library_id,
      reader: r.display_name,
      status: r.status as DeskHold['status'],
      position,
      queuedAt: r.queued_at,
      expiresAt: r.expires_at,
    };
  });
  const counts = {
    loans: loans.length,
    overdue: loans.filter((l) => l.overdue).length,
    waiting: holds.filter((h) => h.status !== 'ready').length,
    ready: holds.filter((h) => h.status === 'ready').length,
  };
  return {
    loans: view === 'ready' ? [] : view === 'overdue' ? loans.filter((l) => l.overdue) : loans,
    holds: view === 'overdue' ? [] : view === 'ready' ? holds.filter((h) => h.status === 'ready') : holds,
    counts,
  };
}
