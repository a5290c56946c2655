import type { LoaderFunctionArgs } from '@remix-run/node';

import { badgeDownload } from '~/domain/honours/pages.server';
import { getUser } from '~/lib/auth.server';
import { getDb } from '~/lib/db.server';
import { notFound } from '~/lib/http.server';

/** The Open Badges 3.0 credential (the signed payload) as JSON, for whoever may see the honour. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await getUser(request);
  const b = await badgeDownload(getDb(), params.id ?? '', user?.id);
  if (!b) notFound();
  return new Response(b.credentialJson, {
    headers: {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Disposition': `attachment; filename="giay-khen-${b.code}.json"`,
      'Cache-Control': 'private, no-store',
    },
  });
}
