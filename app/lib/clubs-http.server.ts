import type { z } from 'zod';

import { clubAccess, clubRef } from '~/domain/clubs/access.server';
import { runClubAction } from '~/domain/clubs/actions.server';
import { clubActionSchema } from '~/forms/clubs';

import { requireUser } from './auth.server';
import { getDb } from './db.server';
import { failure } from './failures/clubs.server';
import { redirectWithFlash } from './flash.server';
import { parseForm } from './forms.server';
import { badRequest, forbidden, notFound } from './http.server';

/**
 * The club page's and the member list's action (one set of intents, `runClubAction`): parse, run,
 * then back to where the member acted (`back`, given the parsed intent) with the outcome's flash.
 */
export async function clubFormAction(
  request: Request,
  slug: string,
  back: (club: { slug: string }, data: z.infer<typeof clubActionSchema>) => string,
) {
  const user = await requireUser(request);
  const db = getDb();
  const club = await clubRef(db, slug);
  if (!club) notFound();
  const r = parseForm(clubActionSchema, await request.formData());
  if (!r.ok) return badRequest({ ok: false as const, message: 'errors.invalid', values: r.values });
  const done = await runClubAction(db, user.id, club.id, r.data);
  if (!done.ok) return failure(done, r.values);
  return redirectWithFlash(back(club, r.data), { message: done.value });
}

/** The signed-in moderator of the club at `slug` (404 for an unknown or hidden club, 403 for others). */
export async function requireClubModerator(request: Request, slug: string) {
  const user = await requireUser(request);
  const a = await clubAccess(getDb(), { slug }, user.id);
  if (a.status !== 'ok') notFound();
  if (!a.canModerate) forbidden();
  return { user, club: a.club };
}
