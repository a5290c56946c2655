import type { LoaderFunctionArgs } from '@remix-run/node';

import { ACQ_TYPE, acquisitionFeed } from '~/domain/library/opds.server';
import { feedContext, xmlResponse } from '~/domain/library/opds-http.server';
import { getDb } from '~/lib/db.server';

/** Search through the shared Vietnamese-aware index ("hoc tap" finds "học tập"). */
export async function loader({ request }: LoaderFunctionArgs) {
  const { base, text, page, url } = feedContext(request);
  const q = (url.searchParams.get('q') ?? '').trim().slice(0, 200);
  return xmlResponse(await acquisitionFeed(getDb(), base, { kind: 'search', q }, page, text), ACQ_TYPE);
}
