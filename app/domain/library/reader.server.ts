/** The reader page's query: what the reader may do with one title right now. */
import type { DB } from '~/lib/db.server';

import { canReadTitle, isOpenAccess, userHolds, userLoans } from './circulation.server';
import { getPosition, getReaderSettings, listAnnotations, type ReaderSettings } from './reading.server';
import { getTitleBySlug, titleAvailability } from './titles.server';

export type ReaderPage =
  | { kind: 'missing' }
  | {
      kind: 'borrow';
      book: { slug: string; title: string; author: string };
      signedIn: boolean;
      availability: Awaited<ReturnType<typeof titleAvailability>>;
      holds: Array<{ holdingId: string; status: string; position: number; expiresAt: string | null }>;
    }
  | {
      kind: 'read';
      titleId: string;
      book: { slug: string; title: string; author: string };
      signedIn: boolean;
      openAccess: boolean;
      /** End of the reader's loan (null for open access): the offline copy is refused after it. */
      dueAt: string | null;
      position: { cfi: string; updatedAt: string } | null;
      annotations: Array<{ id: string; kind: 'bookmark' | 'highlight'; cfi: string; excerpt: string | null; note: string | null }>;
      settings: ReaderSettings | null;
    };

export async function readerPage(db: DB, slug: string, userId: string | null, now = new Date()): Promise<ReaderPage> {
  const title = await getTitleBySlug(db, slug);
  if (!title || !title.file_path) return { kind: 'missing' };
  const book = { slug: title.slug, title: title.title, author: title.author };
  if (!(await canReadTitle(db, userId, title.id, now))) {
    const [availability, holds] = await Promise.all([titleAvailability(db, title.id, now), userId ? userHolds(db, userId, now) : []]);
    return {
      kind: 'borrow',
      book,
      signedIn: !!userId,
      availability,
      holds: holds
        .filter((h) => availability.some((a) => a.holdingId === h.holding_id))
        .map((h) => ({ holdingId: h.holding_id, status: h.status, position: h.position, expiresAt: h.expires_at })),
    };
  }
  const [open, loans, position, annotations, settings] = await Promise.all([
    isOpenAccess(db, title.id),
    userId ? userLoans(db, userId, now) : [],
    userId ? getPosition(db, userId, title.id) : undefined,
    userId ? listAnnotations(db, userId, title.id) : [],
    userId ? getReaderSettings(db, userId) : null,
  ]);
  const loan = loans.find((l) => l.title_id === title.id);
  return {
    kind: 'read',
    titleId: title.id,
    book,
    signedIn: !!userId,
    openAccess: open,
    dueAt: open ? null : (loan?.due_at ?? null),
    position: position ? { cfi: position.cfi, updatedAt: position.updated_at } : null,
    annotations: annotations.map((a) => ({ id: a.id, kind: a.kind, cfi: a.cfi, excerpt: a.excerpt, note: a.note })),
    settings,
  };
}
