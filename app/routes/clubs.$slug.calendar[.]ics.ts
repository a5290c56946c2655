import type { LoaderFunctionArgs } from '@remix-run/node';

import { clubAccess } from '~/domain/clubs/access.server';
import { clubCalendar } from '~/domain/clubs/calendar.server';
import { getUser } from '~/lib/auth.server';
import { getDb } from '~/lib/db.server';

/** A club's meetings as iCalendar: public clubs for anyone, private clubs for their members. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const db = getDb();
  const user = await getUser(request);
  const a = await clubAccess(db, { slug: params.slug ?? '' }, user?.id ?? null);
  if (a.status !== 'ok' || !a.canReadInside) return new Response('Not Found', { status: 404 });
  return new Response(await clubCalendar(db, a.club.id), {
    headers: {
      'Content-Type': 'text/calendar; charset=utf-8',
      'Content-Disposition': `inline; filename="${a.club.slug}.ics"`,
      'Cache-Control': 'private, max-age=300',
    },
  });
}
