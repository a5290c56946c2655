import type { LoaderFunctionArgs } from '@remix-run/node';

import { ACQ_TYPE, acquisitionFeed } from '~/domain/library/opds.server';
import { feedContext, xmlResponse } from '~/domain/library/opds-http.server';
import { getDb } from '~/lib/db.server';

/** Open-access titles, with a direct EPUB link each. */
export async function loader({ request }: LoaderFunctionArgs) {
  const { base, text, page } = feedContext(request);
  return xmlResponse(await acquisitionFeed(getDb(), base, { kind: 'open' }, page, text), ACQ_TYPE);
}
