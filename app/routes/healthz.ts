import { sql } from 'kysely';

import { getDb } from '~/lib/db.server';

/** Liveness and readiness: answers 200 only when the database answers. */
export async function loader() {
  try {
    await sql`select 1`.execute(getDb());
    return new Response(JSON.stringify({ status: 'ok', database: 'ok' }), {
      headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' },
    });
  } catch {
    return new Response(JSON.stringify({ status: 'error', database: 'unreachable' }), {
      status: 503,
      headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' },
    });
  }
}
