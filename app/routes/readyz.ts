import { getDb } from '~/lib/db.server';
import { readiness } from '~/lib/observability/ready.server';

/** Readiness (for nginx / an orchestrator): 200 when the database answers and is fully migrated, else 503. */
export async function loader() {
  const r = await readiness(getDb());
  return new Response(JSON.stringify({ status: r.ready ? 'ok' : 'not ready', ...r }), {
    status: r.ready ? 200 : 503,
    headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' },
  });
}
