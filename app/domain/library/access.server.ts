/**
 * Who may see a library's desk (its current loans and hold queues): librarians of the library's
 * unit or of a unit above it (roles apply to the subtree), and admins. No HTTP here: routes turn
 * the answer into 403/404.
 */
import type { DB } from '~/lib/db.server';

import { librarianLibraries, titleHoldings } from './titles.server';

export interface DeskLibrary {
  id: string;
  slug: string;
  name: string;
  name_en: string | null;
}

export type DeskAccess =
  | { status: 'forbidden' }
  | { status: 'missing' }
  /** `library`: the one library asked for, or null for all of `libraries`. */
  | { status: 'ok'; libraries: DeskLibrary[]; library: DeskLibrary | null };

/** The libraries whose desk the user may see, and the one asked for by slug (if any) checked against them. */
export async function deskAccess(db: DB, userId: string, librarySlug?: string | null): Promise<DeskAccess> {
  const libraries = await librarianLibraries(db, userId);
  if (libraries.length === 0) return { status: 'forbidden' };
  if (!librarySlug) return { status: 'ok', libraries, library: null };
  const library = libraries.find((l) => l.slug === librarySlug);
  if (library) return { status: 'ok', libraries, library };
  const exists = await db.selectFrom('units').select('id').where('slug', '=', librarySlug).executeTakeFirst();
  return exists ? { status: 'forbidden' } : { status: 'missing' };
}

export type TitleEditAccess =
  | { status: 'forbidden' }
  /** `managed`: the libraries the user is a librarian of (holdings are set for these only). */
  | { status: 'ok'; managed: Awaited<ReturnType<typeof librarianLibraries>>; holdings: Awaited<ReturnType<typeof titleHoldings>> };

/** Who may edit a title's record: librarians of a library holding it, or the one who uploaded it. */
export async function titleEditAccess(db: DB, userId: string, title: { id: string; created_by: string | null }): Promise<TitleEditAccess> {
  const [managed, holdings] = await Promise.all([librarianLibraries(db, userId), titleHoldings(db, title.id)]);
  if (!managed.some((m) => holdings.some((h) => h.library_id === m.id)) && title.created_by !== userId) return { status: 'forbidden' };
  return { status: 'ok', managed, holdings };
}
