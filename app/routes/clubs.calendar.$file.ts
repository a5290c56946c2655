import type { LoaderFunctionArgs } from '@remix-run/node';

import { personalCalendar, userForCalendarToken } from '~/domain/clubs/calendar.server';
import { getT } from '~/i18n/i18n.server';
import { getDb } from '~/lib/db.server';

/** A person's private feed: every meeting of every club they belong to, at `/clubs/calendar/<token>.ics`. */
export async function loader({ params }: LoaderFunctionArgs) {
  const db = getDb();
  const token = (params.file ?? '').replace(/\.ics$/, '');
  const userId = await userForCalendarToken(db, token);
  if (!userId) return new Response('Not Found', { status: 404 });
  const user = await db.selectFrom('users').select(['locale']).where('id', '=', userId).executeTakeFirstOrThrow();
  const body = await personalCalendar(db, userId, getT(user.locale === 'en' ? 'en' : 'vi')('clubs.directory.title'));
  return new Response(body, {
    headers: { 'Content-Type': 'text/calendar; charset=utf-8', 'Cache-Control': 'private, max-age=300', 'X-Robots-Tag': 'noindex' },
  });
}
