import { clubAccess } from '~/domain/clubs/access.server';

import { requireUser } from './auth.server';
import { getDb } from './db.server';
import { forbidden, notFound } from './http.server';

/** The signed-in moderator of the club at `slug` (404 for an unknown or hidden club, 403 for others). */
export async function requireClubModerator(request: Request, slug: string) {
  const user = await requireUser(request);
  const a = await clubAccess(getDb(), { slug }, user.id);
  if (a.status !== 'ok') notFound();
  if (!a.canModerate) forbidden();
  return { user, club: a.club };
}
