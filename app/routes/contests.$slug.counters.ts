/**
 * The live counters of a contest's open rounds as JSON (issue #14): the contest page is kept in
 * the page cache like the other public contest pages, showing the figures of its render, and its
 * script polls this every `refreshS` seconds to move them. Cheap: the figures are kept per process
 * (`liveCounters`), so a thousand polls cost one count. Same access as the page (404 for a draft
 * to anyone but its organisers).
 */
import type { LoaderFunctionArgs } from '@remix-run/node';
import { json } from '@remix-run/node';

import { contestCounters } from '~/domain/contests/pages.server';
import { LIVE_COUNTERS_TTL_S } from '~/domain/contests/results.server';
import { getUser } from '~/lib/auth.server';
import { getDb } from '~/lib/db.server';
import { notFound } from '~/lib/http.server';

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await getUser(request);
  const c = await contestCounters(getDb(), params.slug!, user?.id ?? null);
  if (c.status !== 'ok') notFound();
  return json({ refreshS: LIVE_COUNTERS_TTL_S, rounds: c.rounds }, { headers: { 'Cache-Control': 'no-store' } });
}
