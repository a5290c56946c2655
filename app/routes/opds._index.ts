import type { LoaderFunctionArgs } from '@remix-run/node';

import { NAV_TYPE, navigationFeed } from '~/domain/library/opds.server';
import { feedContext, xmlResponse } from '~/domain/library/opds-http.server';
import { getDb } from '~/lib/db.server';

/** OPDS 1.2 root: a navigation feed for e-reader apps. */
export async function loader({ request }: LoaderFunctionArgs) {
  const { base, text } = feedContext(request);
  return xmlResponse(await navigationFeed(getDb(), base, text), NAV_TYPE);
}
