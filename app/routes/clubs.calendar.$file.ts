import type { LoaderFunctionArgs } from '@remix-run/node';

import { calendarOwner, personalCalendar } from '~/domain/clubs/calendar.server';
import { getT } from '~/i18n/i18n.server';
import { getDb } from '~/lib/db.server';

/** A person's private feed: every meeting of every club they belong to, at `/clubs/calendar/<token>.ics`. */
export async function loader({ params }: LoaderFunctionArgs) {
  const db = getDb();
  const token = (params.file ?? '').replace(/\.ics$/, '');
  const owner = await calendarOwner(db, token);
  if (!owner) return new Response('Not Found', { status: 404 });
  const body = await personalCalendar(db, owner.id, getT(owner.locale)('clubs.directory.title'));
  return new Response(body, {
    headers: { 'Content-Type': 'text/calendar; charset=utf-8', 'Cache-Control': 'private, max-age=300', 'X-Robots-Tag': 'noindex' },
  });
}
