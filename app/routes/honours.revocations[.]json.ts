import { json } from '@remix-run/node';

import { revocationList } from '~/domain/honours/badges.server';
import { getDb } from '~/lib/db.server';

/** The 1EdTech revocation list every honour credential points at in its `credentialStatus`. */
export async function loader() {
  return json(await revocationList(getDb()), { headers: { 'Cache-Control': 'public, max-age=60', 'Access-Control-Allow-Origin': '*' } });
}
