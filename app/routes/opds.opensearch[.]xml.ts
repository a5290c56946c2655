import type { LoaderFunctionArgs } from '@remix-run/node';

import { OPENSEARCH_TYPE, openSearchDescription } from '~/domain/library/opds.server';
import { feedContext, xmlResponse } from '~/domain/library/opds-http.server';

/** The OpenSearch description OPDS clients read to offer a search box. */
export async function loader({ request }: LoaderFunctionArgs) {
  const { base, text } = feedContext(request);
  return xmlResponse(openSearchDescription(base, text), OPENSEARCH_TYPE);
}
