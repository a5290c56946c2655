import { json } from '@remix-run/node';

import { publicJwks } from '~/domain/honours/badges.server';
import { getDb } from '~/lib/db.server';

/** The public half of the deployment's credential-signing key (Ed25519), as a JWKS. */
export async function loader() {
  return json(await publicJwks(getDb()), { headers: { 'Cache-Control': 'public, max-age=300', 'Access-Control-Allow-Origin': '*' } });
}
