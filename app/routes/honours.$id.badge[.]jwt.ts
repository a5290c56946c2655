import type { LoaderFunctionArgs } from '@remix-run/node';

import { badgeDownload } from '~/domain/honours/pages.server';
import { getUser } from '~/lib/auth.server';
import { getDb } from '~/lib/db.server';
import { notFound } from '~/lib/http.server';

/** The same credential signed as a compact JWS (VC-JWT, EdDSA): verify with /.well-known/jwks.json. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await getUser(request);
  const b = await badgeDownload(getDb(), params.id ?? '', user?.id);
  if (!b) notFound();
  return new Response(b.jwt, {
    headers: {
      'Content-Type': 'application/vc+jwt',
      'Content-Disposition': `attachment; filename="giay-khen-${b.code}.jwt"`,
      'Cache-Control': 'private, no-store',
    },
  });
}
